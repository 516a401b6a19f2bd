"""``feedback-assets prune --older-than DAYS [--keep-latest N] [--dry-run] [--database-url URL]``: remove
pipeline runs that ended (else were created) more than DAYS days ago — each in one transaction with all its
rows, then its Dagster partition — and keep their per-issue counts for ``story_trends``.

Never removed: pending or running runs, runs whose partition a live process is writing, the latest
succeeded run of each source (``--keep-latest``), and runs holding the newest tracker link of an issue
(docs/pruning.md). Like every command it first settles runs whose Dagster run ended or whose writer died.

Prints one line per run pruned and a summary line (runs pruned, rows removed, runs kept and why).
``--dry-run`` prints what would go and changes nothing. Exit codes: 0 done (also when nothing was old
enough); 1 a run could not be pruned (it was left whole; the others were pruned) or another failure;
2 bad usage.
"""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from typing import Sequence

from feedback_assets import settings
from feedback_assets.command_line import FAILURE, USAGE, parse_or_exit_code, positive_int, report_failure

PROG = "feedback-assets prune"


def older_than_days(value: str) -> int:
    """Whole days, at least 1, at most a hundred years."""
    from feedback_assets.defs.prune import MAX_OLDER_THAN_DAYS

    days = positive_int(value)
    if days > MAX_OLDER_THAN_DAYS:
        raise argparse.ArgumentTypeError(f"{value!r} is too many days (at most {MAX_OLDER_THAN_DAYS:,})")
    return days


def non_negative_int(value: str) -> int:
    """A whole number from 0 to ``MAX_INT32``."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"{value!r} must be 0 or more")
    return positive_int(value) if number else 0


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, not the usage block: what is wrong, and where help is
        self.exit(USAGE, f"{PROG}: {message} (see {PROG} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Remove old pipeline runs with all their rows and their Dagster partitions, one "
        "transaction per run; pending, running and held runs stay, and story_trends keeps the pruned runs' "
        "counts.",
    )
    parser.add_argument(
        "--older-than", type=older_than_days, required=True, metavar="DAYS",
        help="prune runs that ended (else were created) more than DAYS days ago",
    )
    parser.add_argument(
        "--keep-latest", type=non_negative_int, default=1, metavar="N",
        help="the latest N succeeded runs of each source always stay (default 1; 0: none)",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="print what would be pruned and change nothing"
    )
    parser.add_argument(
        "--database-url", help=f"default: ${settings.DATABASE_URL_ENV}, else the embedded SQLite file"
    )
    parser.add_argument("--verbose", action="store_true", help=argparse.SUPPRESS)
    return parser


def _say(message: str) -> None:
    print(message, flush=True)


def _warn(message: str) -> None:
    print(f"{PROG}: {message}", file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_or_exit_code(build_parser(), argv)
    if isinstance(args, int):
        return args
    try:
        from feedback_assets.defs.main_job import open_project
        from feedback_assets.defs.prune import prune_and_forget

        instance, engine = open_project(args.database_url)
        try:
            report = prune_and_forget(
                instance,
                engine,
                older_than=timedelta(days=args.older_than),
                dry_run=args.dry_run,
                keep_latest=args.keep_latest,
                say=_say,
                warn=_warn,
            )
        finally:
            instance.dispose()
    except BrokenPipeError:
        raise  # the reader went away: the CLI's boundary handles it
    except Exception as error:  # noqa: BLE001 - the boundary: one line, the trace on request
        return report_failure(PROG, error, args.database_url, verbose=args.verbose)
    _say(report.summary())
    return FAILURE if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
