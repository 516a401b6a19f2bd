"""The ``feedback-assets`` command: run the pipeline, resume or cancel a run, open the UI, migrate, list runs,
export and push stories, prune old runs, evaluate, calibrate, import."""

from __future__ import annotations

import argparse
import io
import os
import sys
import traceback
from datetime import datetime
from pathlib import Path

from feedback_assets import settings
from feedback_assets.command_line import explain, positive_int


def parse_when(value: str) -> datetime:
    """An ISO date (midnight UTC) or datetime (naive = UTC)."""
    from feedback_assets.new_runs import InvalidRunRequest, parse_when as parse

    try:
        return parse(value)
    except InvalidRunRequest as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _use_database(url: str | None) -> None:
    if url:
        os.environ[settings.DATABASE_URL_ENV] = url


def _migrate(args: argparse.Namespace) -> int:
    from feedback_assets.storage import make_engine, upgrade
    from feedback_assets.storage.migrate import current_revision

    engine = make_engine(args.database_url)
    before = current_revision(engine)
    reached = upgrade(engine)
    print(f"database {engine.url.render_as_string(hide_password=True)}: {before or 'empty'} -> {reached}")
    return 0


def _run(args: argparse.Namespace) -> int:
    _use_database(args.database_url)
    if args.engine:
        os.environ[settings.ENGINE_ENV] = args.engine
    from feedback_assets.defs.main_job import run_pipeline

    return run_pipeline(
        source=args.source,
        input_path=args.input,
        since=args.since,
        until=args.until,
        max_conversations=args.max_conversations,
        engine_name=args.engine or settings.engine_name(),
        batch_size=args.batch_size,
    )


def _runs(args: argparse.Namespace) -> int:
    _use_database(args.database_url)
    from feedback_assets.defs.main_job import print_runs

    return print_runs(limit=args.limit)


def _resume(args: argparse.Namespace) -> int:
    _use_database(args.database_url)
    from feedback_assets.defs.main_job import resume_pipeline_run

    return resume_pipeline_run(args.run_id)


def _cancel(args: argparse.Namespace) -> int:
    _use_database(args.database_url)
    from feedback_assets.defs.main_job import cancel_pipeline_run

    return cancel_pipeline_run(args.run_id)


def _ui(args: argparse.Namespace) -> int:
    _use_database(args.database_url)
    from feedback_assets.defs.instance import ensure_dagster_home

    home = ensure_dagster_home()
    workspace = settings.PROJECT_DIR / "workspace.yaml"
    from feedback_assets.defs.main_job import open_project
    from feedback_assets.ui_process import dagster_dev_command, serve_ui

    open_project()
    mode = "read-only: no launching, no sensors; " if args.read_only else ""
    print(f"Dagster UI on http://{args.host}:{args.port} ({mode}DAGSTER_HOME={home}); Ctrl-C stops it.", flush=True)
    return serve_ui(
        dagster_dev_command(host=args.host, port=args.port, workspace=workspace, read_only=args.read_only)
    )


def _evaluate(argv: list[str]) -> int:
    from feedback_assets.evaluation import main as evaluate_main

    return evaluate_main(argv)


def _calibrate(argv: list[str]) -> int:
    from feedback_assets.calibration import main as calibrate_main

    return calibrate_main(argv)


def _import_legacy(argv: list[str]) -> int:
    from feedback_assets.legacy_import import main as import_main

    return import_main(argv)


def _export(argv: list[str]) -> int:
    from feedback_assets.export import main as export_main

    return export_main(argv)


def _prune(argv: list[str]) -> int:
    from feedback_assets.prune_command import main as prune_main

    return prune_main(argv)


def _push(argv: list[str]) -> int:
    from feedback_assets.tracker import main as push_main

    return push_main(argv)


def _worker(argv: list[str]) -> int:
    from feedback_assets.workers import main as worker_main

    return worker_main(argv)


# Subcommands with their own argument parsers: everything after the name is theirs (including --help).
DELEGATED = {
    "evaluate": _evaluate,
    "calibrate": _calibrate,
    "import-legacy": _import_legacy,
    "export": _export,
    "push": _push,
    "prune": _prune,
    "worker": _worker,
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="feedback-assets",
        description=__doc__,
        epilog="--verbose (anywhere) prints the full trace of a failure instead of one line.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    database_help = f"default: ${settings.DATABASE_URL_ENV}, else the embedded SQLite file"

    run = commands.add_parser("run", help="create a pipeline run and materialise its four assets with their checks")
    run.add_argument("--source", choices=["sample", "jsonl", "intercom"], default="sample")
    run.add_argument("--input", type=Path, help="jsonl source: a .jsonl file or a folder of them")
    run.add_argument("--since", type=parse_when, help="window start on updated_at (ISO date or datetime, UTC)")
    run.add_argument("--until", type=parse_when, help="window end on updated_at, exclusive")
    run.add_argument("--max-conversations", type=positive_int)
    run.add_argument("--engine", choices=["offline", "anthropic"], help=f"default: ${settings.ENGINE_ENV}, else offline")
    run.add_argument("--batch-size", type=positive_int, default=settings.DEFAULT_BATCH_SIZE,
                     help=f"rows per write chunk (default {settings.DEFAULT_BATCH_SIZE}; results do not depend on it)")
    run.add_argument("--database-url", help=database_help)
    run.set_defaults(handler=_run)

    ui = commands.add_parser("ui", help="start the Dagster UI (dagster dev) on the project's instance")
    ui.add_argument("--host", default="127.0.0.1", help="address to listen on (0.0.0.0: every interface)")
    ui.add_argument("--port", type=int, default=3000)
    ui.add_argument(
        "--read-only",
        action="store_true",
        help="viewers only: the webserver alone in read-only mode (no launches, no sensor or schedule changes, "
        "no daemon); run a normal `ui` (or dagster-daemon) elsewhere for the sensors",
    )
    ui.add_argument("--database-url", help=database_help)
    ui.set_defaults(handler=_ui)

    runs = commands.add_parser("runs", help="list pipeline runs with their status and counters")
    runs.add_argument("--limit", type=positive_int, default=20)
    runs.add_argument("--database-url", help=database_help)
    runs.set_defaults(handler=_runs)

    resume = commands.add_parser(
        "resume", help="complete a pipeline run: materialise only what is missing or failed of its partition"
    )
    resume.add_argument("run_id", type=positive_int, metavar="RUN_ID")
    resume.add_argument("--database-url", help=database_help)
    resume.set_defaults(handler=_resume)

    cancel = commands.add_parser("cancel", help="end a pending or running pipeline run cleanly")
    cancel.add_argument("run_id", type=positive_int, metavar="RUN_ID")
    cancel.add_argument("--database-url", help=database_help)
    cancel.set_defaults(handler=_cancel)

    migrate = commands.add_parser("migrate", help="create or upgrade the database schema (idempotent)")
    migrate.add_argument("--database-url", default=None, help=database_help)
    migrate.set_defaults(handler=_migrate)

    commands.add_parser("evaluate", help="score the offline engine on labelled conversations (--help for options)")
    commands.add_parser(
        "calibrate", help="fit the offline engine's type model from labels or a Claude run (--help for options)"
    )
    commands.add_parser("import-legacy", help="import the old system's run-less export (--help for options)")
    commands.add_parser("export", help="write a run's stories as Markdown, JSON or CSV (--help for options)")
    commands.add_parser("push", help="push a succeeded run's stories to Shortcut, idempotently (--help for options)")
    commands.add_parser(
        "prune", help="remove old pipeline runs with their rows and partitions; trends keep their counts (--help for options)"
    )
    commands.add_parser(
        "worker", help="run a Celery worker for the pipeline's steps (FEEDBACK_EXECUTOR=celery; --help for options)"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    verbose = "--verbose" in argv
    argv = [arg for arg in argv if arg != "--verbose"]
    if verbose:
        os.environ["FEEDBACK_VERBOSE"] = "1"  # steps' own console output keeps its traces too
    database_url = _option(argv, "--database-url")
    try:
        if argv and argv[0] in DELEGATED:
            return DELEGATED[argv[0]](argv[1:])
        args = build_parser().parse_args(argv)
        return args.handler(args)
    except BrokenPipeError:
        # The reader went away (`feedback-assets runs | head`): not an error; keep Python from complaining
        # when it flushes stdout at exit.
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError, io.UnsupportedOperation):
            pass
        return 0
    except KeyboardInterrupt:
        print("feedback-assets: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001 - the boundary: one line for a person, the trace on request
        if verbose:
            traceback.print_exc()
        message, code = explain(error, database_url)
        print(f"feedback-assets: {message}", file=sys.stderr)
        return code


def _option(argv: list[str], name: str) -> str | None:
    for position, arg in enumerate(argv):
        if arg == name and position + 1 < len(argv):
            return argv[position + 1]
        if arg.startswith(f"{name}="):
            return arg.split("=", 1)[1]
    return None


if __name__ == "__main__":
    sys.exit(main())
