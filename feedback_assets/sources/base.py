"""The interface every conversation source satisfies (JSONL files, Intercom), and what a fetch returns.

A source hands back raw Intercom-shaped conversation dicts; normalising them into ``Conversation`` records
is the domain layer's job. The contract every implementation keeps:

* the window applies to ``updated_at`` and is half-open: ``window_start <= updated_at < window_end``
  (either bound may be ``None`` = unbounded);
* each conversation appears once, in its latest version (highest ``updated_at``);
* the result is ordered by ascending ``updated_at``, then ``id`` (so it does not depend on file order,
  page order or thread scheduling);
* a bad item (an unparsable line, a detail request that kept failing) is recorded in ``errors`` with its
  location and the fetch goes on; only problems that make the whole answer untrustworthy raise
  (missing path, rejected token, a search page that kept failing).

``stream(...)`` answers the same question in bounded memory: the source keeps a compact index (id →
updated_at and where the latest version is: a file offset, a spool offset) and hands back a
``SourceStream`` whose errors, warnings, stats and length are known at once and whose conversations are
read one at a time, in the contract's order. ``fetch`` is ``stream`` materialised. ``identity=`` lets the
caller say when two ids are the same conversation (the domain's normalised id): only the latest of them
is streamed, so "one latest version per id" holds for the id the table is keyed on.

No Dagster import: the lead's resources and sensors wrap these.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Iterator, Mapping, Protocol, Sequence, TypeVar, runtime_checkable

from feedback_assets.timestamps import TimestampError, as_utc, parse_timestamp


class SourceFailure(Exception):
    """Base class of the exceptions a source raises when it cannot produce a trustworthy answer."""


class SourceConfigError(SourceFailure, ValueError):
    """A source was asked for something impossible: unknown name, missing path, bad option."""


class SourceAuthError(SourceFailure):
    """The remote API rejected the credentials (HTTP 401/403). The message never contains the secret."""


class SourceRequestError(SourceFailure):
    """A request the whole fetch depends on (e.g. a search page) still failed after every retry."""


@dataclass(frozen=True)
class SourceError:
    """One item the source could not use, and where it was: ``"conversations.jsonl:17"`` or
    ``"GET /conversations/123"``."""

    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


@dataclass
class SourceFetch:
    """The answer of one ``fetch``: conversations, per-item errors and warnings, and counters.

    ``warnings`` are items that were kept after a repair (e.g. invalid UTF-8 replaced by U+FFFD), so the
    lead can show them without counting them as lost. ``stats`` keys depend on the source and are all
    integers (documented on each source class).
    """

    conversations: list[dict[str, Any]] = field(default_factory=list)
    errors: list[SourceError] = field(default_factory=list)
    warnings: list[SourceError] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)


Identity = Callable[[str], str]
"""Maps a source id to the id a conversation is stored under; ids mapping to the same value are one."""

_Locator = TypeVar("_Locator")


class SourceStream:
    """The streamed answer of ``stream``: ``errors``, ``warnings``, ``stats``, ``merged`` and ``len()`` are
    known when it is returned; iterating reads the raw conversations one at a time in (updated_at, id)
    order (each pass re-reads them). ``close()`` releases what the source spooled (also on garbage
    collection); use it as a context manager to be sure."""

    def __init__(
        self,
        count: int,
        reader: Callable[[], Iterator[dict[str, Any]]],
        *,
        errors: list[SourceError],
        warnings: list[SourceError],
        stats: dict[str, int],
        merged: int = 0,
        close: Callable[[], None] | None = None,
    ) -> None:
        self._count = count
        self._reader = reader
        self.errors = errors
        self.warnings = warnings
        self.stats = stats
        self.merged = merged
        """Conversations dropped because ``identity`` made them the same as a newer one."""
        self._close = close

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return self._reader()

    def close(self) -> None:
        if self._close is not None:
            self._close()
            self._close = None

    def __enter__(self) -> "SourceStream":
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def materialise(self) -> SourceFetch:
        """The whole answer in memory (what ``fetch`` returns)."""
        with self:
            conversations = list(self)
        return SourceFetch(
            conversations=conversations, errors=self.errors, warnings=self.warnings, stats=self.stats
        )


def latest_per_identity(
    entries: Sequence[tuple[float, str, _Locator]], identity: Identity | None
) -> tuple[list[tuple[float, str, _Locator]], int]:
    """``(updated_at, id, locator)`` entries (one per source id) → one per ``identity(id)``, the latest
    (highest updated_at, then highest id), sorted by (updated_at, id); plus how many were merged away."""
    ordered = sorted(entries, key=lambda entry: (entry[0], entry[1]))
    if identity is None:
        return ordered, 0
    chosen: dict[str, tuple[float, str, _Locator]] = {}
    for entry in ordered:
        chosen[identity(entry[1])] = entry  # later in the order = newer: it wins
    if len(chosen) == len(ordered):
        return ordered, 0
    kept = sorted(chosen.values(), key=lambda entry: (entry[0], entry[1]))
    return kept, len(ordered) - len(kept)


class StreamedSource:
    """``fetch`` for a source that implements ``stream``: the same answer, read into a list."""

    def fetch(
        self,
        window_start: datetime | None = None,
        window_end: datetime | None = None,
        max_conversations: int | None = None,
    ) -> SourceFetch:
        return self.stream(window_start, window_end, max_conversations).materialise()  # type: ignore[attr-defined]


@runtime_checkable
class ConversationSource(Protocol):
    name: str
    """``sample``, ``jsonl`` or ``intercom``; the value the lead stores in ``pipeline_runs.source``."""

    def fetch(
        self,
        window_start: datetime | None = None,
        window_end: datetime | None = None,
        max_conversations: int | None = None,
    ) -> SourceFetch:
        """Conversations with ``window_start <= updated_at < window_end``, at most ``max_conversations``."""
        ...

    def stream(
        self,
        window_start: datetime | None = None,
        window_end: datetime | None = None,
        max_conversations: int | None = None,
        *,
        identity: Identity | None = None,
    ) -> SourceStream:
        """What ``fetch`` answers, streamed from a compact index (see the module docstring)."""
        ...

    def count_new(self, after: datetime | None) -> int:
        """How many conversations have ``updated_at > after`` (all of them when ``after`` is None)."""
        ...

    def describe(self) -> dict[str, Any]:
        """JSON-serialisable parameters worth storing in ``pipeline_runs.source_params`` (never secrets)."""
        ...


# --- helpers shared by the implementations -------------------------------------------------------------


def check_window(
    window_start: datetime | None, window_end: datetime | None, max_conversations: int | None
) -> tuple[float | None, float | None]:
    """Validate fetch arguments; returns the bounds as unix seconds (what Intercom timestamps are)."""
    for label, value in (("window_start", window_start), ("window_end", window_end)):
        if value is not None and not isinstance(value, datetime):
            raise SourceConfigError(f"{label} must be a datetime or None, got {value!r}")
    start = as_utc(window_start).timestamp() if window_start is not None else None
    end = as_utc(window_end).timestamp() if window_end is not None else None
    if start is not None and end is not None and start > end:
        raise SourceConfigError(
            f"window_start {as_utc(window_start).isoformat()} is after window_end {as_utc(window_end).isoformat()}"
        )
    if max_conversations is not None and (
        isinstance(max_conversations, bool) or not isinstance(max_conversations, int) or max_conversations < 1
    ):
        raise SourceConfigError(f"max_conversations must be a positive integer or None, got {max_conversations!r}")
    return start, end


def in_window(updated_at: float, start: float | None, end: float | None) -> bool:
    return (start is None or updated_at >= start) and (end is None or updated_at < end)


def to_datetime(value: Any) -> datetime:
    """A timestamp as an aware UTC datetime (``feedback_assets.timestamps``); ``TimestampError`` (a
    ValueError with a readable message) for anything else."""
    return parse_timestamp(value)


def timestamp_seconds(value: Any) -> float:
    """Like ``to_datetime`` but as unix seconds (the unit of Intercom timestamps); numbers pass unchanged."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not math.isfinite(value):
            raise TimestampError(f"is out of range ({value!r} unix seconds)")
        return float(value)
    return to_datetime(value).timestamp()


def conversation_key(conversation: Mapping[str, Any]) -> tuple[float, str]:
    """The sort key of the contract: ascending ``updated_at``, then ``id``."""
    return (timestamp_seconds(conversation["updated_at"]), str(conversation["id"]))


def iso(seconds: float | None) -> str | None:
    if seconds is None:
        return None
    return datetime.fromtimestamp(seconds, tz=timezone.utc).isoformat()
