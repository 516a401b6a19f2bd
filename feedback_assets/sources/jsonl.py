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
* The same ``id`` on several lines keeps the version with the highest ``updated_at``; on a tie the one
  read last (later file, later line) wins, like an append-only log. Integer ids are returned as strings.
* ``max_conversations`` keeps the *oldest* matches: the first N in (updated_at, id) order.

``stats``: files_read, lines_read, blank_lines, bad_lines, duplicates_dropped, outside_window,
over_max, returned.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from feedback_assets.sources.base import (
    SourceConfigError,
    SourceError,
    SourceFetch,
    as_utc,
    check_window,
    in_window,
    timestamp_seconds,
)

_BOM = b"\xef\xbb\xbf"


@dataclass
class _Read:
    """Every usable conversation of the files (latest version per id) plus what went wrong reading them."""

    latest: dict[str, tuple[float, dict[str, Any]]]
    errors: list[SourceError]
    warnings: list[SourceError]
    stats: dict[str, int]


class JsonlSource:
    """Conversations from a ``.jsonl`` file or a folder of them (see the module docstring for the rules)."""

    def __init__(self, path: str | Path, *, name: str = "jsonl") -> None:
        self.name = name
        self.path = Path(path).expanduser()
        self._files()  # a wrong path fails when the source is built, not at the first fetch

    def describe(self) -> dict[str, Any]:
        return {"path": str(self.path)}

    def fetch(
        self,
        window_start: datetime | None = None,
        window_end: datetime | None = None,
        max_conversations: int | None = None,
    ) -> SourceFetch:
        start, end = check_window(window_start, window_end, max_conversations)
        read = self._read()
        matching = [
            (updated_at, conversation_id, conversation)
            for conversation_id, (updated_at, conversation) in read.latest.items()
            if in_window(updated_at, start, end)
        ]
        matching.sort(key=lambda item: (item[0], item[1]))
        kept = matching if max_conversations is None else matching[:max_conversations]
        stats = dict(read.stats)
        stats["outside_window"] = len(read.latest) - len(matching)
        stats["over_max"] = len(matching) - len(kept)
        stats["returned"] = len(kept)
        return SourceFetch(
            conversations=[conversation for _, _, conversation in kept],
            errors=read.errors,
            warnings=read.warnings,
            stats=stats,
        )

    def count_new(self, after: datetime | None) -> int:
        threshold = as_utc(after).timestamp() if after is not None else None
        return sum(
            1 for updated_at, _ in self._read().latest.values() if threshold is None or updated_at > threshold
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

    def _read(self) -> _Read:
        files = self._files()
        latest: dict[str, tuple[float, dict[str, Any]]] = {}
        errors: list[SourceError] = []
        warnings: list[SourceError] = []
        stats = {"files_read": 0, "lines_read": 0, "blank_lines": 0, "bad_lines": 0, "duplicates_dropped": 0}
        for file in files:
            stats["files_read"] += 1
            with file.open("rb") as handle:
                for line_number, raw in enumerate(handle, start=1):
                    stats["lines_read"] += 1
                    if line_number == 1 and raw.startswith(_BOM):
                        raw = raw[len(_BOM) :]
                    if not raw.strip():
                        stats["blank_lines"] += 1
                        continue
                    location = f"{file.name}:{line_number}"
                    parsed = _parse_line(raw, location, warnings)
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
                    latest[conversation_id] = (updated_at, conversation)
        return _Read(latest=latest, errors=errors, warnings=warnings, stats=stats)


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

