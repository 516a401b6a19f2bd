"""``feedback-assets export --run N [--format md|json|csv] [--output PATH] [--include-orphans]
[--database-url URL]``: a run's stories for people (Markdown), programs (JSON) or spreadsheets (CSV).

Exit codes: 0 exported (also for a run that did not succeed: the header says its status), 2 bad usage (an
unknown run, a bad option), 1 a failure (database unreachable, output not writable). Errors are one line;
the trace with ``--verbose``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Sequence

from feedback_assets import settings
from feedback_assets.command_line import parse_or_exit_code, positive_int, report_failure
from feedback_assets.export.exporter import export_run
from feedback_assets.export.formats import FORMATS

PROG = "feedback-assets export"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Export a pipeline run's stories, most pressing first, with the customers' own words. "
        "Formats: docs/export_and_tracker.md.",
    )
    parser.add_argument("--run", type=positive_int, required=True, metavar="RUN_ID", help="the pipeline run")
    parser.add_argument("--format", choices=FORMATS, default="md", help="md (default), json or csv")
    parser.add_argument(
        "--output", type=Path, metavar="PATH", help="file to write, whole or not at all (default: standard output)"
    )
    parser.add_argument(
        "--include-orphans", action="store_true", help="also the groups smaller than min_group_size"
    )
    parser.add_argument("--database-url", help=f"default: ${settings.DATABASE_URL_ENV}, else the embedded SQLite file")
    parser.add_argument("--verbose", action="store_true", help=argparse.SUPPRESS)
    return parser


def _write_file(path: Path, write) -> int:
    """Write through a temporary file beside ``path`` and rename it: a failed export leaves no partial file."""
    path = path.expanduser()
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "w", encoding="utf-8", newline="") as handle:
            count = write(handle)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return count


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_or_exit_code(build_parser(), argv)
    if isinstance(args, int):
        return args
    from feedback_assets.storage import get_run, make_engine, upgrade

    try:
        engine = make_engine(args.database_url)
        upgrade(engine)
        run = get_run(engine, args.run)  # an unknown run: one line, exit 2, before any output

        def write(out) -> int:
            return export_run(engine, run.id, args.format, out, include_orphans=args.include_orphans)

        if args.output is not None:
            count = _write_file(args.output, write)
        else:
            count = write(sys.stdout)
            sys.stdout.flush()
    except BrokenPipeError:
        raise  # the reader went away (`| head`): the CLI's boundary handles it
    except Exception as error:  # noqa: BLE001 - the boundary: one line, the trace on request
        return report_failure(PROG, error, args.database_url, verbose=args.verbose)
    kind = "stories" if args.include_orphans else "candidate stories"
    where = f" to {args.output}" if args.output is not None else ""
    note = "" if run.status == "succeeded" else f" (the run is {run.status}: the export says so)"
    print(f"exported {count} {kind} of pipeline run {run.id} as {args.format}{where}{note}", file=sys.stderr)
    return 0
