"""JSONL conversation source: one Intercom-shaped conversation object per line, in a file or a folder.

The bundled sample (``settings.SAMPLE_CONVERSATIONS``) is one such file; exports of a real workspace
(``GET /conversations/{id}`` responses written one per line) are others.

Rules, beyond the contract in ``base``:

* A folder means its ``*.jsonl`` files (not sub-folders), read in name order; a folder without any is a
  configuration error, as is a path that does not exist.
* Lines are read as bytes. A line that is not valid UTF-8 is decoded with ``errors="replace"`` (U+FFFD
  for the bad bytes) and *kept*, with a warning naming file, line and byte offset: losing a conversation
  for one bad byte in its body would be worse than a replacement character. A UTF-8 byte-order mark at
  the start of a file is ignored.
* A line that is not JSON, not a JSON object, or lacks a usable ``id`` or ``updated_at`` (unix seconds
  or ISO 8601) is an error ``file.jsonl:17`` and is skipped; blank lines are skipped silently.
* A line longer than ``max_line_bytes`` (``FEEDBACK_JSONL_MAX_LINE_BYTES``, 16 MiB by default; the newline
  is not counted) is such an error too, naming its size and the setting: it is read in chunks and
  skipped without ever being held whole, so one huge line cannot exhaust the memory.
* A file without a single non-blank line (0 bytes, only blank lines, only a byte-order mark) is legal —
  0 conversations — but never silent: a warning ``file.jsonl: input file is empty: 0 conversations read``.
* The same ``id`` on several lines keeps the version with the highest ``updated_at``; on a tie the one
  read last (later file, later line) wins, like an append-only log. Integer ids are returned as strings.
* ``max_conversations`` keeps the *oldest* matches: the first N in (updated_at, id) order.

``stats``: files_read, lines_read, blank_lines, bad_lines (oversized ones included), oversized_lines,
invalid_utf8_lines, empty_inputs, duplicates_dropped, outside_window, over_max, returned.

Memory: ``stream`` reads the files once to index them (id → updated_at, file, byte offset of the latest
version) and then re-reads only the kept lines, in order, one at a time; the index is the only thing
that grows with the files (a few dozen bytes per conversation). No pass holds more than one line of at
most ``max_line_bytes`` (plus a 1 MiB chunk while an oversized line is skipped). ``fetch`` is that
stream in a list.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO, Iterator

from feedback_assets import settings
from feedback_assets.sources.base import (
    StreamedSource,
    Identity,
    SourceConfigError,
    SourceError,
    SourceStream,
    as_utc,
    check_window,
    in_window,
    latest_per_identity,
    timestamp_seconds,
)

_BOM = b"\xef\xbb\xbf"
_SKIP_CHUNK = 1 << 20
"""Bytes read at a time while the rest of an oversized line is skipped."""
_INDEX_STATS = (
    "files_read",
    "lines_read",
    "blank_lines",
    "bad_lines",
    "oversized_lines",
    "invalid_utf8_lines",
    "empty_inputs",
    "duplicates_dropped",
)


@dataclass
class _Index:
    """Where the latest version of every usable conversation is (id → updated_at, file number, byte offset
    of its line) plus what went wrong reading the files."""

    files: list[Path]
    latest: dict[str, tuple[float, int, int]]
    errors: list[SourceError]
    warnings: list[SourceError]
    stats: dict[str, int]


class JsonlSource(StreamedSource):
    """Conversations from a ``.jsonl`` file or a folder of them (see the module docstring for the rules)."""

    def __init__(self, path: str | Path, *, name: str = "jsonl", max_line_bytes: int | None = None) -> None:
        self.name = name
        self.path = Path(path).expanduser()
        if max_line_bytes is None:
            try:
                max_line_bytes = settings.jsonl_max_line_bytes()
            except ValueError as error:
                raise SourceConfigError(f"{name} source: {error}") from None
        if isinstance(max_line_bytes, bool) or not isinstance(max_line_bytes, int) or max_line_bytes < 1:
            raise SourceConfigError(f"{name} source: max_line_bytes must be a positive integer, got {max_line_bytes!r}")
        self.max_line_bytes = max_line_bytes
        """The longest line read, in bytes (newline not counted); longer lines are bad lines."""
        self._files()  # a wrong path fails when the source is built, not at the first fetch

    def describe(self) -> dict[str, Any]:
        return {"path": str(self.path)}

    def stream(
        self,
        window_start: datetime | None = None,
        window_end: datetime | None = None,
        max_conversations: int | None = None,
        *,
        identity: Identity | None = None,
    ) -> SourceStream:
        start, end = check_window(window_start, window_end, max_conversations)
        index = self._index()
        matching = [
            (updated_at, conversation_id, (file_number, offset))
            for conversation_id, (updated_at, file_number, offset) in index.latest.items()
            if in_window(updated_at, start, end)
        ]
        outside = len(index.latest) - len(matching)
        index.latest.clear()  # only the window's entries are needed from here on
        matching, merged = latest_per_identity(matching, identity)
        kept = matching if max_conversations is None else matching[:max_conversations]
        stats = dict(index.stats)
        stats["outside_window"] = outside
        stats["over_max"] = len(matching) - len(kept)
        stats["returned"] = len(kept)
        return SourceStream(
            len(kept),
            lambda: self._reread(index, kept),
            errors=index.errors,
            warnings=index.warnings,
            stats=stats,
            merged=merged,
        )

    def count_new(self, after: datetime | None) -> int:
        threshold = as_utc(after).timestamp() if after is not None else None
        return sum(
            1 for updated_at, _, _ in self._index().latest.values() if threshold is None or updated_at > threshold
        )

    # --- reading -------------------------------------------------------------------------------------

    def _files(self) -> list[Path]:
        if not self.path.exists():
            raise SourceConfigError(f"{self.name} source: path {self.path} does not exist")
        if self.path.is_dir():
            files = sorted(child for child in self.path.glob("*.jsonl") if child.is_file())
            if not files:
                raise SourceConfigError(f"{self.name} source: folder {self.path} contains no *.jsonl files")
            return files
        return [self.path]

    def _index(self) -> _Index:
        files = self._files()
        latest: dict[str, tuple[float, int, int]] = {}
        errors: list[SourceError] = []
        warnings: list[SourceError] = []
        stats = dict.fromkeys(_INDEX_STATS, 0)
        for file_number, file in enumerate(files):
            stats["files_read"] += 1
            with file.open("rb") as handle:
                offset = 0
                line_number = 0
                blank_lines = stats["blank_lines"]
                while True:
                    raw, length, size = _read_line(handle, self.max_line_bytes)
                    if length == 0:
                        break
                    line_number += 1
                    line_offset, offset = offset, offset + length
                    stats["lines_read"] += 1
                    location = f"{file.name}:{line_number}"
                    if raw is None:
                        errors.append(SourceError(location, _too_long(size, self.max_line_bytes)))
                        stats["bad_lines"] += 1
                        stats["oversized_lines"] += 1
                        continue
                    if line_number == 1 and raw.startswith(_BOM):
                        raw = raw[len(_BOM) :]
                    if not raw.strip():
                        stats["blank_lines"] += 1
                        continue
                    warned = len(warnings)
                    parsed = _parse_line(raw, location, warnings)
                    del raw  # the parsed object is what is kept; at most one line is held
                    stats["invalid_utf8_lines"] += int(len(warnings) > warned)
                    if isinstance(parsed, SourceError):
                        errors.append(parsed)
                        stats["bad_lines"] += 1
                        continue
                    updated_at, conversation = parsed
                    conversation_id = conversation["id"]
                    previous = latest.get(conversation_id)
                    if previous is not None:
                        stats["duplicates_dropped"] += 1
                        if previous[0] > updated_at:
                            continue
                    latest[conversation_id] = (updated_at, file_number, line_offset)
            if stats["blank_lines"] - blank_lines == line_number:  # nothing but blank lines, or nothing
                stats["empty_inputs"] += 1
                blanks = f" ({line_number} blank line{'s' if line_number != 1 else ''})" if line_number else ""
                warnings.append(SourceError(file.name, f"input file is empty{blanks}: 0 conversations read"))
        return _Index(files=files, latest=latest, errors=errors, warnings=warnings, stats=stats)

    def _reread(self, index: _Index, kept: list[tuple[float, str, tuple[int, int]]]) -> Iterator[dict[str, Any]]:
        """The kept lines again, one at a time, in the order of ``kept``."""
        handles: dict[int, Any] = {}
        try:
            for _, conversation_id, (file_number, offset) in kept:
                handle = handles.get(file_number)
                if handle is None:
                    handle = handles[file_number] = index.files[file_number].open("rb")
                handle.seek(offset)
                raw, _, _ = _read_line(handle, self.max_line_bytes)
                if raw is not None and offset == 0 and raw.startswith(_BOM):
                    raw = raw[len(_BOM) :]
                parsed = None if raw is None else _parse_line(raw, f"{index.files[file_number].name}@{offset}", [])
                del raw
                if parsed is None or isinstance(parsed, SourceError) or parsed[1]["id"] != conversation_id:
                    index.errors.append(
                        SourceError(
                            f"{index.files[file_number].name}@{offset}",
                            f"conversation {conversation_id} changed while it was being read; skipped",
                        )
                    )
                    continue
                yield parsed[1]
        finally:
            for handle in handles.values():
                handle.close()


def _read_line(handle: BinaryIO, limit: int) -> tuple[bytes | None, int, int]:
    """The next line in bounded memory: ``(line, bytes consumed, size)``, where the line keeps its newline
    and size does not count it; ``consumed == 0`` at the end of the file. A line of more than ``limit``
    bytes comes back as ``None``: its rest is read ``_SKIP_CHUNK`` bytes at a time and dropped, so only
    ``limit + 1`` bytes of it are ever held, and the handle ends up at the start of the next line."""
    raw = handle.readline(limit + 1)
    newline = raw.endswith(b"\n")
    if newline or len(raw) <= limit:
        return raw, len(raw), len(raw) - newline
    consumed = len(raw)
    del raw
    while True:
        chunk = handle.readline(_SKIP_CHUNK)
        consumed += len(chunk)
        if not chunk:
            return None, consumed, consumed
        if chunk.endswith(b"\n"):
            return None, consumed, consumed - 1


def _too_long(size: int, limit: int) -> str:
    return (
        f"line of {size:,} bytes is longer than the limit of {limit:,} bytes: skipped "
        f"(raise {settings.JSONL_MAX_LINE_BYTES_ENV} to read it)"
    )


def _parse_line(
    raw: bytes, location: str, warnings: list[SourceError]
) -> tuple[float, dict[str, Any]] | SourceError:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        text = raw.decode("utf-8", errors="replace")
        warnings.append(
            SourceError(
                location,
                f"invalid UTF-8 at byte {error.start} of the line: replaced by U+FFFD, conversation kept",
            )
        )
    try:
        conversation = json.loads(text)
    except json.JSONDecodeError as error:
        return SourceError(location, f"invalid JSON: {error.msg} (column {error.colno})")
    if not isinstance(conversation, dict):
        kind = _json_type(conversation)
        return SourceError(location, f"expected a JSON object (one conversation), got a JSON {kind}")
    conversation_id = conversation.get("id")
    if isinstance(conversation_id, bool) or not isinstance(conversation_id, (str, int)) or str(conversation_id) == "":
        return SourceError(location, f"conversation has no usable 'id' (got {conversation_id!r})")
    conversation["id"] = str(conversation_id)
    if "updated_at" not in conversation:
        return SourceError(location, f"conversation {conversation['id']} has no 'updated_at'")
    try:
        updated_at = timestamp_seconds(conversation["updated_at"])
    except ValueError as error:
        return SourceError(location, f"conversation {conversation['id']}: updated_at {error}")
    return updated_at, conversation


def _json_type(value: Any) -> str:
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    return "number"

