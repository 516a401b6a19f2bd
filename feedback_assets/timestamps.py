"""Timestamps, one way for the whole project: everything stored is an aware UTC datetime; inputs are unix
seconds (a number or a string of digits, as Intercom sends them) or ISO 8601 (naive means UTC)."""

from __future__ import annotations

import math
import re
from datetime import datetime, timezone

EARLIEST = datetime(2000, 1, 1, tzinfo=timezone.utc).timestamp()
LATEST = datetime(2200, 1, 1, tzinfo=timezone.utc).timestamp()
"""Unix seconds outside [EARLIEST, LATEST) are data errors (milliseconds sent as seconds, zeros)."""

_UNIX_SECONDS = re.compile(r"\s*\d+(\.\d+)?\s*")


class TimestampError(ValueError):
    """A value that is not a usable timestamp; ``problem`` completes a sentence ("created_at is missing")."""

    def __init__(self, problem: str) -> None:
        super().__init__(f"timestamp {problem}")
        self.problem = problem


def as_utc(value: datetime | None) -> datetime | None:
    """Naive datetimes (SQLite hands them back) are UTC; aware ones are converted to UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def parse_timestamp(value: object) -> datetime:
    """Unix seconds (int, float or digit string) or an ISO 8601 string → an aware UTC datetime."""
    if value is None:
        raise TimestampError("is missing")
    if isinstance(value, bool):
        raise TimestampError(f"is not a timestamp ({value!r})")
    if isinstance(value, (int, float)) or (isinstance(value, str) and _UNIX_SECONDS.fullmatch(value)):
        seconds = float(value)
        if not math.isfinite(seconds) or not EARLIEST <= seconds < LATEST:
            raise TimestampError(f"is out of range ({value!r} unix seconds)")
        return datetime.fromtimestamp(seconds, tz=timezone.utc)
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())  # Python 3.11 also reads a trailing "Z"
        except ValueError:
            raise TimestampError(f"is not a unix timestamp or ISO 8601 date ({value[:40]!r})") from None
        return as_utc(parsed)
    raise TimestampError(f"is not a timestamp (got {type(value).__name__})")
