"""Reading the old system's export files (CSV with a header row, or JSONL): rows that know their
``file:line``, and typed access to a row's columns that records one error per bad column."""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Sequence

from feedback_assets.domain.normalize import clean_text, html_to_text
from feedback_assets.sources.base import to_datetime

NULL_TEXT = {"", "null", "NULL", "\\N", "None"}
_TRUE = {"true", "t", "yes", "y", "1"}
_FALSE = {"false", "f", "no", "n", "0"}

class LegacyImportError(Exception):
    """The import cannot start or could not be verified (missing file, unknown format, id collision…)."""


@dataclass(frozen=True)
class ExportRow:
    location: str
    values: dict[str, Any]


def read_export(path: str | Path, errors: list[str]) -> list[ExportRow]:
    """Rows of a CSV (header row; empty/NULL/\\N cells are NULL) or JSONL export; unreadable lines go to
    ``errors`` as ``file:line: message``. A missing file or an unknown extension raises."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise LegacyImportError(f"export file {path} does not exist (or is not a file)")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix in (".jsonl", ".ndjson"):
        return _read_jsonl(path, errors)
    raise LegacyImportError(f"export file {path}: unknown format {suffix or '(no extension)'}; use .csv or .jsonl")


def _read_csv(path: Path) -> list[ExportRow]:
    rows: list[ExportRow] = []
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames:
                raise LegacyImportError(f"export file {path} is empty (a CSV export needs a header row)")
            for record in reader:
                values = {
                    (key or "").strip(): (None if value is None or value.strip() in NULL_TEXT else value)
                    for key, value in record.items()
                    if key is not None
                }
                rows.append(ExportRow(f"{path.name}:{reader.line_num}", values))
    except UnicodeDecodeError as error:
        raise LegacyImportError(f"export file {path} is not UTF-8 (byte {error.start}): re-export it as UTF-8") from None
    return rows


def _read_jsonl(path: Path, errors: list[str]) -> list[ExportRow]:
    rows: list[ExportRow] = []
    with path.open("rb") as handle:
        for line_number, raw in enumerate(handle, start=1):
            location = f"{path.name}:{line_number}"
            if line_number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if not raw.strip():
                continue
            try:
                values = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError as error:
                errors.append(f"{location}: not valid UTF-8 (byte {error.start})")
                continue
            except json.JSONDecodeError as error:
                errors.append(f"{location}: invalid JSON ({error.msg}, column {error.colno})")
                continue
            if not isinstance(values, dict):
                errors.append(f"{location}: expected a JSON object, got {type(values).__name__}")
                continue
            rows.append(ExportRow(location, values))
    return rows


class RowFields:
    """Typed access to one row's values, collecting one error per bad column."""

    def __init__(self, row: ExportRow, errors: list[str]) -> None:
        self.row = row
        self.errors = errors
        self._error_count = len(errors)

    @property
    def failed(self) -> bool:
        return len(self.errors) > self._error_count

    def error(self, message: str) -> None:
        self.errors.append(f"{self.row.location}: {message}")

    def raw(self, *names: str) -> Any:
        for name in names:
            value = self.row.values.get(name)
            if isinstance(value, str) and value.strip() in NULL_TEXT:
                value = None
            if value is not None:
                return value
        return None

    def text(self, *names: str, required: bool = False) -> str | None:
        value = self.raw(*names)
        if value is None:
            if required:
                self.error(f"{names[0]} is required")
            return None
        if isinstance(value, (dict, list)):
            self.error(f"{names[0]} must be text, got {type(value).__name__}")
            return None
        # Same cleaning as native conversations: no NUL/control characters (PostgreSQL rejects NUL).
        return clean_text(str(value))

    def raw_text(self, *names: str) -> str | None:
        """Text as exported (HTML kept for ``html_to_text``); non-text values are an error."""
        value = self.raw(*names)
        if value is None:
            return None
        if isinstance(value, (dict, list)):
            self.error(f"{names[0]} must be text, got {type(value).__name__}")
            return None
        return str(value)

    def timestamp(self, name: str, required: bool = False) -> datetime | None:
        value = self.raw(name)
        if value is None:
            if required:
                self.error(f"{name} is required")
            return None
        try:
            return to_datetime(value)
        except ValueError as error:
            self.error(f"{name}: {error}")
            return None

    def positive_int(self, name: str, required: bool = False, what: str = "positive integer") -> int | None:
        value = self.raw(name)
        if value is None:
            if required:
                self.error(f"{name} is required")
            return None
        text = str(value).strip()
        if isinstance(value, bool) or not re.fullmatch(r"[0-9]+", text) or int(text) < 1:
            self.error(f"{name} {value!r} is not a {what}")
            return None
        return int(text)

    def run_id(self, name: str, required: bool = False) -> int | None:
        return self.positive_int(name, required, what="positive integer run id")

    def boolean(self, name: str, default: bool | None = None) -> bool | None:
        value = self.raw(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        self.error(f"{name} {value!r} is not a boolean (true/false)")
        return default

    def choice(self, name: str, allowed: Sequence[str]) -> str | None:
        value = self.text(name)
        if value is None:
            return None
        value = value.strip()
        if value not in allowed:
            self.error(f"{name} {value!r} is not one of {', '.join(allowed)}")
            return None
        return value

    def text_list(self, name: str, *, html_limit: int | None = None) -> list[str] | None:
        value = self.raw(name)
        if value is None:
            return None
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except json.JSONDecodeError:
                self.error(f"{name} must be a JSON list of strings, got {value[:60]!r}")
                return None
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.error(f"{name} must be a list of strings")
            return None
        if html_limit is not None:
            return [text for text in (html_to_text(item, limit=html_limit) for item in value) if text]
        return [clean_text(item) for item in value]
