"""Import of the old single-column system's data into run-scoped tables (the reference review's R1, done right).

The old system kept one mutable, nullable ``pipeline_run_id`` per conversation; rows classified before its
migration carry NULL and were silently left out of theme extraction. Here every exported row lands in
exactly one of our ``pipeline_runs`` and nothing is NULL. Rules, applied per conversation row (its
classification follows it, the composite foreign key requires that):

``kept_run``
    The row names a run present in the runs export: it stays in that run. Our ``pipeline_runs`` row gets
    the *same id* (trigger ``import``, source ``legacy``).
``adopted_by_window``
    NULL run id: adopted by the run whose ``[started_at, completed_at]`` contains the row's
    ``classified_at`` (both ends inclusive; a NULL ``completed_at`` means still running = open to +∞).
    Overlapping windows: the run that started *latest* wins (ties: the higher id) — the run most recently
    active when the row was classified, as in the review's backfill proposal.
``no_matching_window`` / ``no_classified_at``
    NULL run id and no window contains ``classified_at`` (or there is none): the dedicated import run.
``unknown_run``
    The row names a run id missing from the runs export: the dedicated import run too, so no row is lost;
    the missing ids and their row counts are printed and stored in that run's ``source_params``
    (``unknown_legacy_run_ids``). Refusing the import instead would leave the data unimportable whenever
    the old run row had been deleted.

The dedicated run (trigger ``import``, source ``legacy_unassigned``) is created the first time a row needs
it and found again by those two values on every later import, never duplicated.

Guarantees: every file is parsed and validated before anything is written (bad enum values, timestamps,
lengths… → one error per row naming file:line and column, exit status 1, nothing written); rows in = rows
out, checked against the database after writing; counts per rule are printed and stored in each run's
``source_params["legacy_import"]``; re-importing the same files gives the same rows (each run's
conversations and classifications are replaced in one transaction). An import is a snapshot of the old
system: the runs it names and the dedicated run are replaced; other runs are left alone.

File formats (CSV with a header row, or JSONL): see ``docs/legacy_import.md``.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from sqlalchemy import Engine, String, select, update

from feedback_assets import settings
from feedback_assets.domain.normalize import (
    BODY_MAX_CHARS,
    MESSAGE_MAX_CHARS,
    SUBJECT_MAX_CHARS,
    clean_text,
    html_to_text,
)
from feedback_assets.sources.base import to_datetime
from feedback_assets.command_line import positive_int
from feedback_assets.storage import count_partition, create_run, make_engine, replace_partitions, upgrade
from feedback_assets.storage.schema import (
    CONFIDENCES,
    CONVERSATION_TYPES,
    DISAMBIGUATION_LEVELS,
    URGENCIES,
    classifications,
    conversations,
    pipeline_runs,
)

RULE_KEPT = "kept_run"
RULE_ADOPTED = "adopted_by_window"
RULE_NO_WINDOW = "no_matching_window"
RULE_NO_TIMESTAMP = "no_classified_at"
RULE_UNKNOWN_RUN = "unknown_run"
RULES = (RULE_KEPT, RULE_ADOPTED, RULE_NO_WINDOW, RULE_NO_TIMESTAMP, RULE_UNKNOWN_RUN)

LEGACY_SOURCE = "legacy"
DEDICATED_SOURCE = "legacy_unassigned"
IMPORT_TRIGGER = "import"
LEGACY_ENGINE = "legacy"
DEFAULT_QUALITY_REASON = "legacy_filtered"

# Old statuses (running/stopping/stopped/completed/failed) → ours. An imported run is history: it must
# never look pending or running (sensors would launch or time it out).
STATUS_MAP = {
    "completed": "succeeded",
    "succeeded": "succeeded",
    "failed": "failed",
    "stopped": "canceled",
    "stopping": "canceled",
    "canceled": "canceled",
    "cancelled": "canceled",
    "running": "canceled",
}
_STILL_RUNNING = {"running", "stopping"}

_NULL_TEXT = {"", "null", "NULL", "\\N", "None"}
_TRUE = {"true", "t", "yes", "y", "1"}
_FALSE = {"false", "f", "no", "n", "0"}
_CLASSIFICATION_FIELDS = (
    "stage1_type", "stage1_confidence", "urgency", "routing_team", "auto_response_eligible", "key_signals",
    "stage2_type", "stage2_confidence", "classification_changed", "disambiguation_level", "customer_said",
    "support_revealed", "support_insights", "resolution_action", "resolution_category",
    "resolution_suggested_type", "final_type", "model", "prompt_version", "error",
)


class LegacyImportError(Exception):
    """The import cannot start or could not be verified (missing file, unknown format, id collision…)."""


# --- report --------------------------------------------------------------------------------------------


@dataclass
class RunPlan:
    """What one of our runs receives from the import."""

    run_id: int | None  # None until the dedicated run exists
    dedicated: bool
    status: str
    conversations: list[dict[str, Any]] = field(default_factory=list)
    classifications: list[dict[str, Any]] = field(default_factory=list)
    rules: Counter = field(default_factory=Counter)
    legacy_run: dict[str, Any] | None = None
    started_at: datetime | None = None
    completed_at: datetime | None = None
    window_start: datetime | None = None
    window_end: datetime | None = None
    max_conversations: int | None = None
    error: str | None = None


@dataclass
class ImportReport:
    """Counts of one import (or the errors that stopped it before anything was written)."""

    runs_in: int = 0
    conversations_in: int = 0
    classifications_in: int = 0
    conversations_out: int = 0
    classifications_out: int = 0
    rule_counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(RULES, 0))
    runs: dict[int, dict[str, Any]] = field(default_factory=dict)
    dedicated_run_id: int | None = None
    unknown_run_ids: dict[int, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        lines = [
            f"Legacy import: read {self.runs_in} runs, {self.conversations_in} conversations, "
            f"{self.classifications_in} classifications"
        ]
        if self.errors:
            lines.append(f"{len(self.errors)} error(s); nothing was written:")
            lines.extend(f"  {error}" for error in self.errors)
            return "\n".join(lines)
        lines.append("  conversations by rule: " + ", ".join(f"{rule} {self.rule_counts[rule]}" for rule in RULES))
        for run_id, info in sorted(self.runs.items()):
            label = "dedicated import run" if run_id == self.dedicated_run_id else f"legacy run, {info['status']}"
            rules = ", ".join(f"{rule} {count}" for rule, count in info["rules"].items() if count)
            lines.append(
                f"  run {run_id} ({label}): {_count(info['conversations'], 'conversation')}, "
                f"{_count(info['classifications'], 'classification')}" + (f" [{rules}]" if rules else "")
            )
        if self.unknown_run_ids:
            missing = ", ".join(
                f"{run_id} ({_count(count, 'row')})" for run_id, count in sorted(self.unknown_run_ids.items())
            )
            lines.append(f"  run ids absent from the runs export, rows moved to run {self.dedicated_run_id}: {missing}")
        lines.extend(f"  warning: {warning}" for warning in self.warnings)
        lines.append(
            f"Written: {self.conversations_out} conversations, {self.classifications_out} classifications "
            f"(rows in = rows out)"
        )
        return "\n".join(lines)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


# --- reading files -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    location: str
    values: dict[str, Any]


def read_export(path: str | Path, errors: list[str]) -> list[_Row]:
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


def _read_csv(path: Path) -> list[_Row]:
    rows: list[_Row] = []
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames:
                raise LegacyImportError(f"export file {path} is empty (a CSV export needs a header row)")
            for record in reader:
                values = {
                    (key or "").strip(): (None if value is None or value.strip() in _NULL_TEXT else value)
                    for key, value in record.items()
                    if key is not None
                }
                rows.append(_Row(f"{path.name}:{reader.line_num}", values))
    except UnicodeDecodeError as error:
        raise LegacyImportError(f"export file {path} is not UTF-8 (byte {error.start}): re-export it as UTF-8") from None
    return rows


def _read_jsonl(path: Path, errors: list[str]) -> list[_Row]:
    rows: list[_Row] = []
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
            rows.append(_Row(location, values))
    return rows


# --- field parsing (each helper records an error naming the row and column and returns None) ----------


class _Fields:
    """Typed access to one row's values, collecting one error per bad column."""

    def __init__(self, row: _Row, errors: list[str]) -> None:
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
            if isinstance(value, str) and value.strip() in _NULL_TEXT:
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


# --- parsing the three exports -----------------------------------------------------------------------------


@dataclass
class _LegacyRun:
    location: str
    id: int
    legacy_status: str
    status: str
    started_at: datetime
    completed_at: datetime | None
    window_start: datetime | None
    window_end: datetime | None
    max_conversations: int | None
    raw: dict[str, Any]

    def contains(self, moment: datetime) -> bool:
        return self.started_at <= moment and (self.completed_at is None or moment <= self.completed_at)


@dataclass
class _LegacyConversation:
    location: str
    conversation_id: str
    legacy_run_id: int | None
    classified_at: datetime | None
    row: dict[str, Any]
    classification: dict[str, Any] | None = None
    classification_location: str | None = None
    run_key: Any = None  # our run id, or _DEDICATED
    rule: str | None = None


_DEDICATED = "dedicated"


def _parse_runs(rows: list[_Row], errors: list[str]) -> dict[int, _LegacyRun]:
    runs: dict[int, _LegacyRun] = {}
    for row in rows:
        fields_ = _Fields(row, errors)
        run_id = fields_.run_id("id", required=True)
        started_at = fields_.timestamp("started_at", required=True)
        completed_at = fields_.timestamp("completed_at")
        default_status = "running" if completed_at is None else "completed"
        legacy_status = (fields_.text("status") or default_status).strip().lower()
        status = STATUS_MAP.get(legacy_status)
        if status is None:
            fields_.error(f"status {legacy_status!r} is not one of {', '.join(sorted(STATUS_MAP))}")
        window_start = fields_.timestamp("window_start")
        window_end = fields_.timestamp("window_end")
        max_conversations = fields_.positive_int("max_conversations")
        if started_at and completed_at and completed_at < started_at:
            fields_.error(f"completed_at {completed_at.isoformat()} is before started_at {started_at.isoformat()}")
        if window_start and window_end and window_end < window_start:
            fields_.error("window_end is before window_start")
        if run_id is not None and run_id in runs:
            fields_.error(f"run id {run_id} appears twice (also at {runs[run_id].location})")
            continue
        if fields_.failed or run_id is None or started_at is None or status is None:
            continue
        runs[run_id] = _LegacyRun(
            location=row.location,
            id=run_id,
            legacy_status=legacy_status,
            status=status,
            started_at=started_at,
            completed_at=completed_at,
            window_start=window_start,
            window_end=window_end,
            max_conversations=max_conversations,
            raw={key: value for key, value in row.values.items() if _json_safe(value)},
        )
    return runs


def _parse_conversation(row: _Row, errors: list[str]) -> _LegacyConversation | None:
    f = _Fields(row, errors)
    conversation_id = f.text("conversation_id", "id", required=True)
    legacy_run_id = f.run_id("pipeline_run_id")
    classified_at = f.timestamp("classified_at")
    created_at = f.timestamp("created_at", required=True)
    updated_at = f.timestamp("updated_at") or created_at
    body = f.raw_text("body", "source_body")
    if body is None:
        f.error("body (or source_body) is required; an empty text is allowed, a missing one is not")
    quality_pass = f.boolean("quality_pass", default=True)
    quality_reason = f.text("quality_reason")
    record = {
        "conversation_id": conversation_id,
        "source": f.text("source") or LEGACY_SOURCE,
        "created_at": created_at,
        "updated_at": updated_at,
        "author_type": f.text("author_type", "source_author_type"),
        "delivered_as": f.text("delivered_as", "source_delivered_as"),
        "subject": html_to_text(f.raw_text("subject", "source_subject"), limit=SUBJECT_MAX_CHARS) or None,
        "body": html_to_text(body, limit=BODY_MAX_CHARS),
        "url": f.text("url", "source_url"),
        "support_messages": f.text_list("support_messages", html_limit=MESSAGE_MAX_CHARS) or [],
        "customer_messages": f.text_list("customer_messages", html_limit=MESSAGE_MAX_CHARS),
        "tags": f.text_list("tags"),
        "language": f.text("language"),
        "quality_pass": quality_pass,
        "quality_reason": quality_reason if quality_reason or quality_pass else DEFAULT_QUALITY_REASON,
    }
    _check_lengths(f, conversations, record)
    if f.failed:
        return None
    return _LegacyConversation(row.location, conversation_id, legacy_run_id, classified_at, record)


def _parse_classification(row: _Row, errors: list[str], warnings: list[str]) -> dict[str, Any] | None:
    """One classification record (without run and conversation matching), engine ``legacy``."""
    f = _Fields(row, errors)
    stage1_type = f.choice("stage1_type", CONVERSATION_TYPES)
    stage2_type = f.choice("stage2_type", CONVERSATION_TYPES)
    exported_final = f.choice("final_type", CONVERSATION_TYPES)
    error_text = f.text("error")
    # DESIGN.md: final_type = stage 2 type when stage 2 ran, else stage 1 type.
    final_type = stage2_type or stage1_type
    if exported_final is not None and final_type is not None and exported_final != final_type:
        warnings.append(
            f"{row.location}: exported final_type {exported_final!r} replaced by {final_type!r} "
            f"(final_type = stage2_type when stage 2 ran, else stage1_type)"
        )
    changed = f.boolean("classification_changed")
    if changed is None and stage2_type is not None and stage1_type is not None:
        changed = stage2_type != stage1_type
    record = {
        "stage1_type": stage1_type,
        "stage1_confidence": f.choice("stage1_confidence", CONFIDENCES),
        "urgency": f.choice("urgency", URGENCIES),
        "routing_team": f.text("routing_team"),
        "auto_response_eligible": f.boolean("auto_response_eligible"),
        "key_signals": f.text_list("key_signals"),
        "stage2_type": stage2_type,
        "stage2_confidence": f.choice("stage2_confidence", CONFIDENCES),
        "classification_changed": changed,
        "disambiguation_level": f.choice("disambiguation_level", DISAMBIGUATION_LEVELS),
        "customer_said": f.text("customer_said"),
        "support_revealed": f.text("support_revealed"),
        "support_insights": f.text_list("support_insights"),
        "resolution_action": f.text("resolution_action"),
        "resolution_category": f.text("resolution_category"),
        "resolution_suggested_type": f.choice("resolution_suggested_type", CONVERSATION_TYPES),
        "final_type": final_type,
        "engine": LEGACY_ENGINE,
        "model": f.text("model"),
        "prompt_version": f.text("prompt_version"),
        "error": error_text,
    }
    if not f.failed and final_type is None and error_text is None:
        f.error("classification has no stage1_type or stage2_type and no error: nothing to import")
    _check_lengths(f, classifications, record)
    return None if f.failed else record


def _has_classification(row: _Row) -> bool:
    return any(row.values.get(name) not in (None, "") for name in _CLASSIFICATION_FIELDS)


def _check_lengths(f: _Fields, table: Any, record: Mapping[str, Any]) -> None:
    """PostgreSQL enforces VARCHAR lengths (SQLite does not): check them here so both behave alike."""
    for name, value in record.items():
        column_type = table.c[name].type
        if isinstance(value, str) and isinstance(column_type, String) and column_type.length:
            if len(value) > column_type.length:
                f.error(f"{name} is {len(value)} characters long; at most {column_type.length} fit")


def _json_safe(value: Any) -> bool:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False
    return True


# --- planning: which run every row goes to ----------------------------------------------------------------


def _adopting_run(runs: Iterable[_LegacyRun], moment: datetime) -> _LegacyRun | None:
    """The run whose window contains ``moment``; overlapping windows → latest started_at, then higher id."""
    candidates = [run for run in runs if run.contains(moment)]
    return max(candidates, key=lambda run: (run.started_at, run.id)) if candidates else None


def _match_classifications(
    rows: list[_Row], conversations_: list[_LegacyConversation], errors: list[str], warnings: list[str]
) -> None:
    by_id: dict[str, list[_LegacyConversation]] = defaultdict(list)
    for conversation in conversations_:
        by_id[conversation.conversation_id].append(conversation)
    for row in rows:
        f = _Fields(row, errors)
        conversation_id = f.text("conversation_id", "id", required=True)
        legacy_run_id = f.run_id("pipeline_run_id")
        classified_at = f.timestamp("classified_at")
        record = _parse_classification(row, errors, warnings)
        if f.failed or record is None or conversation_id is None:
            continue
        candidates = by_id.get(conversation_id, [])
        same_run = [c for c in candidates if c.legacy_run_id == legacy_run_id]
        if len(candidates) == 1:
            target = candidates[0]  # a run it names is checked once the conversation's run is known
        elif len(same_run) == 1:
            target = same_run[0]
        else:
            run_text = "NULL" if legacy_run_id is None else str(legacy_run_id)
            if not candidates:
                f.error(f"classification of conversation {conversation_id!r} has no row in the conversations export")
            else:
                f.error(
                    f"classification of conversation {conversation_id!r} (pipeline_run_id {run_text}) matches "
                    f"{len(same_run) or len(candidates)} conversation rows "
                    f"({', '.join(c.location for c in candidates)}); give the pipeline_run_id of one of them"
                )
            continue
        if target.classification is not None:
            f.error(
                f"conversation {conversation_id!r} ({target.location}) already has a classification "
                f"({target.classification_location})"
            )
            continue
        target.classification = {**record, "_legacy_run_id": legacy_run_id}
        target.classification_location = row.location
        if target.classified_at is None:
            target.classified_at = classified_at


def _describe(run_key: Any) -> str:
    return "the dedicated import run" if run_key == _DEDICATED else f"run {run_key}"


def _assign_runs(
    conversations_: list[_LegacyConversation], runs: dict[int, _LegacyRun], errors: list[str]
) -> Counter:
    unknown: Counter = Counter()
    for conversation in conversations_:
        if conversation.legacy_run_id is not None:
            if conversation.legacy_run_id in runs:
                conversation.run_key, conversation.rule = conversation.legacy_run_id, RULE_KEPT
            else:
                conversation.run_key, conversation.rule = _DEDICATED, RULE_UNKNOWN_RUN
                unknown[conversation.legacy_run_id] += 1
        elif conversation.classified_at is None:
            conversation.run_key, conversation.rule = _DEDICATED, RULE_NO_TIMESTAMP
        else:
            run = _adopting_run(runs.values(), conversation.classified_at)
            if run is None:
                conversation.run_key, conversation.rule = _DEDICATED, RULE_NO_WINDOW
            else:
                conversation.run_key, conversation.rule = run.id, RULE_ADOPTED
        named = (conversation.classification or {}).get("_legacy_run_id")
        if named is not None and named != conversation.legacy_run_id and named != conversation.run_key:
            errors.append(
                f"{conversation.classification_location}: classification names pipeline_run_id {named} but its "
                f"conversation ({conversation.location}) goes to {_describe(conversation.run_key)} "
                f"(rule {conversation.rule})"
            )
    seen: dict[tuple[Any, str], str] = {}
    for conversation in conversations_:
        key = (conversation.run_key, conversation.conversation_id)
        if key in seen:
            errors.append(
                f"{conversation.location}: conversation {conversation.conversation_id!r} lands in "
                f"{_describe(conversation.run_key)} twice "
                f"(also {seen[key]}); a run holds one row per conversation"
            )
        else:
            seen[key] = conversation.location
    return unknown


# --- writing ----------------------------------------------------------------------------------------------


def _find_dedicated_run(engine: Engine) -> int | None:
    query = (
        select(pipeline_runs.c.id)
        .where(pipeline_runs.c.trigger == IMPORT_TRIGGER, pipeline_runs.c.source == DEDICATED_SOURCE)
        .order_by(pipeline_runs.c.id)
    )
    with engine.connect() as connection:
        return connection.execute(query).scalars().first()


def _check_collisions(engine: Engine, runs: dict[int, _LegacyRun]) -> list[str]:
    """Legacy ids already used by runs that are not earlier imports of legacy runs."""
    if not runs:
        return []
    query = select(pipeline_runs.c.id, pipeline_runs.c.trigger, pipeline_runs.c.source).where(
        pipeline_runs.c.id.in_(list(runs))
    )
    with engine.connect() as connection:
        existing = connection.execute(query).all()
    return [
        f"{runs[run_id].location}: pipeline run {run_id} already exists here (trigger {trigger!r}, source "
        f"{source!r}) and is not an imported legacy run; refusing to overwrite it"
        for run_id, trigger, source in existing
        if not (trigger == IMPORT_TRIGGER and source == LEGACY_SOURCE)
    ]


def _write_run_rows(engine: Engine, plans: list[RunPlan], files: dict[str, str | None], unknown: Counter) -> None:
    """Create or refresh our ``pipeline_runs`` rows in one transaction (legacy ids first, so the
    PostgreSQL sequence is past them before the dedicated run takes a generated id)."""
    with engine.begin() as connection:
        for plan in sorted(plans, key=lambda p: (p.dedicated, p.run_id or 0)):
            params: dict[str, Any] = {
                "legacy_import": {
                    "conversations": len(plan.conversations),
                    "classifications": len(plan.classifications),
                    "rules": {rule: plan.rules.get(rule, 0) for rule in RULES},
                    "files": files,
                }
            }
            if plan.legacy_run is not None:
                params["legacy_run"] = plan.legacy_run
            if plan.dedicated and unknown:
                params["unknown_legacy_run_ids"] = {str(run_id): count for run_id, count in sorted(unknown.items())}
            exists = plan.run_id is not None and connection.execute(
                select(pipeline_runs.c.id).where(pipeline_runs.c.id == plan.run_id)
            ).first()
            if not exists:
                created = create_run(
                    connection,
                    source=DEDICATED_SOURCE if plan.dedicated else LEGACY_SOURCE,
                    trigger=IMPORT_TRIGGER,
                    status=plan.status,
                    engine=LEGACY_ENGINE,
                    window_start=plan.window_start,
                    window_end=plan.window_end,
                    max_conversations=plan.max_conversations,
                    source_params=params,
                    run_id=None if plan.dedicated else plan.run_id,
                )
                plan.run_id = created.id
            # Re-imports may change a legacy run's status (running → completed): set the fields directly,
            # the lifecycle rules of update_run are for live runs.
            connection.execute(
                update(pipeline_runs)
                .where(pipeline_runs.c.id == plan.run_id)
                .values(
                    status=plan.status,
                    source_params=params,
                    window_start=plan.window_start,
                    window_end=plan.window_end,
                    max_conversations=plan.max_conversations,
                    started_at=plan.started_at,
                    completed_at=plan.completed_at,
                    error=plan.error,
                    conversations_count=len(plan.conversations),
                    classified_count=sum(1 for row in plan.classifications if row.get("final_type") is not None),
                    failures_count=sum(1 for row in plan.classifications if row.get("final_type") is None),
                )
            )


# --- the entry points ------------------------------------------------------------------------------------


def import_legacy(
    engine: Engine,
    runs_path: str | Path,
    conversations_path: str | Path,
    classifications_path: str | Path | None = None,
    *,
    batch_size: int | None = None,
) -> ImportReport:
    """Import the old system's runs, conversations and (optionally separate) classifications.

    Without ``classifications_path``, classification columns present on the conversation rows (the old
    single-table layout) are imported as classifications. Returns a report; when ``report.errors`` is
    not empty nothing was written. Raises ``LegacyImportError`` for missing/unknown files, id collisions
    with runs that were not imported, and if the rows written do not equal the rows read.
    """
    report = ImportReport()
    errors, warnings = report.errors, report.warnings
    run_rows = read_export(runs_path, errors)
    conversation_rows = read_export(conversations_path, errors)
    classification_rows = read_export(classifications_path, errors) if classifications_path is not None else None
    report.runs_in = len(run_rows)
    report.conversations_in = len(conversation_rows)

    runs = _parse_runs(run_rows, errors)
    parsed = [_parse_conversation(row, errors) for row in conversation_rows]
    legacy_conversations = [conversation for conversation in parsed if conversation is not None]
    if classification_rows is None:
        # Single-table layout: the classification lives on the conversation row.
        embedded = [row for row in conversation_rows if _has_classification(row)]
        report.classifications_in = len(embedded)
        by_location = {conversation.location: conversation for conversation in legacy_conversations}
        for row in embedded:
            record = _parse_classification(row, errors, warnings)
            target = by_location.get(row.location)
            if record is not None and target is not None:
                target.classification, target.classification_location = record, row.location
    else:
        report.classifications_in = len(classification_rows)
        _match_classifications(classification_rows, legacy_conversations, errors, warnings)
        ignored = sum(1 for row in conversation_rows if _has_classification(row))
        if ignored:
            warnings.append(
                f"{ignored} conversation rows carry classification columns; ignored, the classifications "
                f"export ({Path(classifications_path).name}) is used instead"
            )
    unknown = _assign_runs(legacy_conversations, runs, errors)
    if errors:
        return report

    collisions = _check_collisions(engine, runs)
    if collisions:
        raise LegacyImportError("; ".join(collisions))

    # One plan per legacy run (even without rows: the import is a snapshot) and the dedicated run if needed.
    plans: dict[Any, RunPlan] = {
        run.id: RunPlan(
            run_id=run.id,
            dedicated=False,
            status=run.status,
            legacy_run=run.raw,
            started_at=run.started_at,
            completed_at=run.completed_at,
            window_start=run.window_start,
            window_end=run.window_end,
            max_conversations=run.max_conversations,
            error=(
                f"legacy run was still {run.legacy_status} when exported; imported as {run.status}"
                if run.legacy_status in _STILL_RUNNING
                else None
            ),
        )
        for run in runs.values()
    }
    dedicated_id = _find_dedicated_run(engine)
    needs_dedicated = any(conversation.run_key == _DEDICATED for conversation in legacy_conversations)
    if needs_dedicated or dedicated_id is not None:
        plans[_DEDICATED] = RunPlan(run_id=dedicated_id, dedicated=True, status="succeeded")
    for conversation in sorted(legacy_conversations, key=lambda c: c.conversation_id):
        plan = plans[conversation.run_key]
        plan.conversations.append(conversation.row)
        plan.rules[conversation.rule] += 1
        if conversation.classification is not None:
            record = {k: v for k, v in conversation.classification.items() if not k.startswith("_")}
            plan.classifications.append({**record, "conversation_id": conversation.conversation_id})

    files = {
        "runs": Path(runs_path).name,
        "conversations": Path(conversations_path).name,
        "classifications": Path(classifications_path).name if classifications_path is not None else None,
    }
    _write_run_rows(engine, list(plans.values()), files, unknown)
    for plan in sorted(plans.values(), key=lambda p: p.run_id):
        replace_partitions(
            engine,
            plan.run_id,
            {"conversations": plan.conversations, "classifications": plan.classifications},
            batch_size=batch_size,
        )

    # Rows in = rows out, counted in the database (not trusted from the plan).
    for plan in plans.values():
        written_conversations = count_partition(engine, "conversations", plan.run_id)
        written_classifications = count_partition(engine, "classifications", plan.run_id)
        if (written_conversations, written_classifications) != (len(plan.conversations), len(plan.classifications)):
            raise LegacyImportError(
                f"run {plan.run_id}: wrote {written_conversations} conversations and {written_classifications} "
                f"classifications, expected {len(plan.conversations)} and {len(plan.classifications)}"
            )
        report.conversations_out += written_conversations
        report.classifications_out += written_classifications
        report.runs[plan.run_id] = {
            "status": plan.status,
            "conversations": written_conversations,
            "classifications": written_classifications,
            "rules": {rule: plan.rules.get(rule, 0) for rule in RULES},
        }
        for rule, count in plan.rules.items():
            report.rule_counts[rule] += count
        if plan.dedicated:
            report.dedicated_run_id = plan.run_id
    report.unknown_run_ids = dict(sorted(unknown.items()))
    if (report.conversations_out, report.classifications_out) != (report.conversations_in, report.classifications_in):
        raise LegacyImportError(
            f"rows in ≠ rows out: read {report.conversations_in} conversations and {report.classifications_in} "
            f"classifications, wrote {report.conversations_out} and {report.classifications_out}"
        )
    return report


def main(argv: Sequence[str] | None = None) -> int:
    """``feedback-assets import-legacy --runs R --conversations C [--classifications K]``; 0 = imported,
    1 = invalid rows (listed; nothing written) or an import error, 2 = bad usage."""
    parser = argparse.ArgumentParser(
        prog="feedback-assets import-legacy",
        description="Import the old system's runs, conversations and classifications into run-scoped tables. "
        "Formats: docs/legacy_import.md.",
    )
    parser.add_argument("--runs", required=True, help="the old pipeline_runs export (.csv or .jsonl)")
    parser.add_argument("--conversations", required=True, help="the old conversations export (.csv or .jsonl)")
    parser.add_argument(
        "--classifications",
        help="a separate classifications export; without it, classification columns of the conversations are used",
    )
    parser.add_argument("--database-url", help=f"default: {settings.DATABASE_URL_ENV} or the embedded SQLite file")
    parser.add_argument(
        "--batch-size", type=positive_int, default=None, help="rows per insert chunk (results do not depend on it)"
    )
    try:
        args = parser.parse_args(list(argv) if argv is not None else None)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    engine = make_engine(args.database_url)
    upgrade(engine)
    try:
        report = import_legacy(
            engine, args.runs, args.conversations, args.classifications, batch_size=args.batch_size
        )
    except LegacyImportError as error:
        print(f"legacy import failed: {error}", file=sys.stderr)
        return 1
    print(report.summary())
    return 0 if report.ok else 1


if __name__ == "__main__":  # pragma: no cover - python -m feedback_assets.legacy_import
    raise SystemExit(main())
