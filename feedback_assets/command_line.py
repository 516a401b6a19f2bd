"""What every ``feedback-assets`` command shares: argument types, and turning an exception into one line a
person can act on (problem and fix) with an exit code — 2 for bad usage, 1 for a failure. The full trace
is printed only with ``--verbose``."""

from __future__ import annotations

import argparse
import os
import re
import sys
import traceback
from typing import Sequence

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from feedback_assets import settings
from feedback_assets.storage.db import UnsupportedDatabase
from feedback_assets.storage.errors import InvalidPartitionKey, UnknownRun

_EXCEPTION_CLASS = re.compile(r"^[\w.]*\.(?:\w*Error|Failure|\w*Exception): ")
_QUALIFIED_EXCEPTION_CLASS = re.compile(r"\b[A-Za-z_]\w*(?:\.\w+)+\.\w*(?:Error|Exception|Failure): ")

MAX_INT32 = 2_147_483_647
"""Counts, sizes and run ids live in 32-bit INTEGER columns."""

USAGE, FAILURE = 2, 1


def positive_int(value: str) -> int:
    """A whole number from 1 to ``MAX_INT32`` (what the database's integer columns hold)."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value!r} must be at least 1")
    if number > MAX_INT32:
        raise argparse.ArgumentTypeError(f"{value!r} is too large (at most {MAX_INT32:,})")
    return number


def _where(url: str | None) -> str:
    try:
        return make_url(url or settings.database_url()).render_as_string(hide_password=True)
    except ArgumentError:
        return repr(url)


def explain(error: BaseException, database_url: str | None = None) -> tuple[str, int]:
    """(one line naming the problem and the fix, exit code) for an exception a command let through."""
    setting = f"--database-url or ${settings.DATABASE_URL_ENV}"
    if isinstance(error, ArgumentError):
        return (
            f"{_where(database_url)} is not a database URL ({setting}); use postgresql://user@host/db "
            "or sqlite:///path/to/file.db",
            USAGE,
        )
    if isinstance(error, (NoSuchModuleError, UnsupportedDatabase)):
        return f"{_where(database_url)}: only PostgreSQL and SQLite databases are supported ({setting})", USAGE
    if isinstance(error, OperationalError):
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        return (
            f"cannot reach the database {_where(database_url)}: {reason}. Check that the server runs and the "
            f"URL is right ({setting})",
            FAILURE,
        )
    if isinstance(error, (UnknownRun, InvalidPartitionKey)):
        return f"{error}; `feedback-assets runs` lists the runs", USAGE
    reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return f"{reason} (run again with --verbose for the full trace)", FAILURE


def without_exception_class(line: str, *, anywhere: bool = False) -> str:
    """"dagster._core.definitions.events.Failure: <what happened>" → "<what happened>"; ``anywhere``: also a
    qualified class inside the line ("[step]: billiard.exceptions.WorkerLostError: …")."""
    return (_QUALIFIED_EXCEPTION_CLASS if anywhere else _EXCEPTION_CLASS).sub("", line.strip())


def parse_or_exit_code(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> argparse.Namespace | int:
    """A delegated subcommand's arguments, or the exit code argparse chose (2: it printed the problem; 0: --help)."""
    try:
        return parser.parse_args(list(argv) if argv is not None else None)
    except SystemExit as exit_:
        return int(exit_.code or 0)


def report_failure(prog: str, error: BaseException, database_url: str | None, *, verbose: bool) -> int:
    """A subcommand's boundary: one line on stderr (the trace first with --verbose), and the exit code."""
    if verbose or os.environ.get("FEEDBACK_VERBOSE") == "1":
        traceback.print_exc()
    message, code = explain(error, database_url)
    print(f"{prog}: {message}", file=sys.stderr)
    return code
