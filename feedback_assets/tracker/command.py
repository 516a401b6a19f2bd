"""``feedback-assets push --run N [--dry-run] [--database-url URL]``: a succeeded run's candidate stories
to Shortcut — created once, updated afterwards (also by later runs with the same issue signature).

Prints one line per story and ``created X, updated Y, unchanged Z``. ``--dry-run`` prints, as JSON Lines
on standard output, the request each story would get (``POST /stories`` or ``PUT /stories/{id}`` with its
body) or that it is unchanged, and the summary on standard error; it sends nothing and needs no token.

Exit codes: 0 pushed; 2 bad usage (unknown run, a run that did not succeed, missing or malformed
settings, another push running); 1 a failure (Shortcut refused the token, a request failed after its
retries — everything done before it is recorded and pushing again continues). Settings:
docs/export_and_tracker.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from typing import Sequence

from feedback_assets import settings
from feedback_assets.command_line import FAILURE, USAGE, parse_or_exit_code, positive_int, report_failure
from feedback_assets.tracker.push import PushAction, PushFailed, push_run
from feedback_assets.tracker.shortcut import ShortcutSettings, TrackerConfigError

PROG = "feedback-assets push"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Push a succeeded pipeline run's candidate stories to Shortcut (idempotent). Settings: "
        "SHORTCUT_API_TOKEN, SHORTCUT_WORKFLOW_STATE_ID or SHORTCUT_PROJECT_ID (docs/export_and_tracker.md).",
    )
    parser.add_argument("--run", type=positive_int, required=True, metavar="RUN_ID", help="the pipeline run")
    parser.add_argument(
        "--dry-run", action="store_true", help="print the requests as JSON Lines and send nothing (no token needed)"
    )
    parser.add_argument("--database-url", help=f"default: ${settings.DATABASE_URL_ENV}, else the embedded SQLite file")
    parser.add_argument("--verbose", action="store_true", help=argparse.SUPPRESS)
    return parser


def _print_action(action: PushAction) -> None:
    verb = {"create": "created", "update": "updated", "unchanged": "unchanged"}[action.action]
    target = f"sc-{action.shortcut_story_id}" if action.shortcut_story_id else "-"
    url = f"  {action.app_url}" if action.app_url else ""
    note = f"  ({action.note})" if action.note else ""
    print(f"{verb:<9} {target:<12} {action.title}{url}{note}", flush=True)


def _print_planned(action: PushAction) -> None:
    print(json.dumps(action.as_dict(), ensure_ascii=False), flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_or_exit_code(build_parser(), argv)
    if isinstance(args, int):
        return args
    from feedback_assets.storage import make_engine, upgrade

    try:
        engine = make_engine(args.database_url)
        upgrade(engine)
        shortcut = ShortcutSettings.from_env()
        report = push_run(
            engine,
            args.run,
            shortcut,
            dry_run=args.dry_run,
            on_action=_print_planned if args.dry_run else _print_action,
        )
    except BrokenPipeError:
        raise  # the reader went away: the CLI's boundary handles it
    except (PushFailed, TrackerConfigError) as error:
        if args.verbose or os.environ.get("FEEDBACK_VERBOSE") == "1":
            traceback.print_exc()
        print(f"{PROG}: {error}", file=sys.stderr)
        return FAILURE if isinstance(error, PushFailed) else USAGE
    except Exception as error:  # noqa: BLE001 - the boundary: one line, the trace on request
        return report_failure(PROG, error, args.database_url, verbose=args.verbose)
    print(report.summary(), file=sys.stderr if args.dry_run else sys.stdout)
    return 0
