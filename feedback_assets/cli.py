"""The ``feedback-assets`` command."""

from __future__ import annotations

import argparse
import sys

from feedback_assets import settings


def _migrate(args: argparse.Namespace) -> int:
    from feedback_assets.storage import make_engine, upgrade
    from feedback_assets.storage.migrate import current_revision

    engine = make_engine(args.database_url)
    before = current_revision(engine)
    reached = upgrade(engine)
    print(f"database {engine.url.render_as_string(hide_password=True)}: {before or 'empty'} -> {reached}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="feedback-assets", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    migrate = commands.add_parser("migrate", help="create or upgrade the database schema (idempotent)")
    migrate.add_argument("--database-url", default=None, help=f"default: ${settings.DATABASE_URL_ENV} or embedded SQLite")
    migrate.set_defaults(handler=_migrate)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
