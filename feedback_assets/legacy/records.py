"""The old system's runs, conversations and classifications parsed from export rows and validated
(enums, timestamps, lengths the database enforces), each error naming the row and column; classifications
matched to their conversation rows."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Mapping

from sqlalchemy import String

from feedback_assets.domain.normalize import BODY_MAX_CHARS, MESSAGE_MAX_CHARS, SUBJECT_MAX_CHARS, html_to_text
from feedback_assets.legacy.export_files import ExportRow, RowFields
from feedback_assets.storage.schema import (
    CONFIDENCES,
    CONVERSATION_TYPES,
    DISAMBIGUATION_LEVELS,
    URGENCIES,
    classifications,
    conversations,
)

LEGACY_SOURCE = "legacy"
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
STILL_RUNNING = {"running", "stopping"}

_CLASSIFICATION_FIELDS = (
    "stage1_type", "stage1_confidence", "urgency", "routing_team", "auto_response_eligible", "key_signals",
    "stage2_type", "stage2_confidence", "classification_changed", "disambiguation_level", "customer_said",
    "support_revealed", "support_insights", "resolution_action", "resolution_category",
    "resolution_suggested_type", "final_type", "model", "prompt_version", "error",
)


@dataclass
class LegacyRun:
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
class LegacyConversation:
    location: str
    conversation_id: str
    legacy_run_id: int | None
    classified_at: datetime | None
    row: dict[str, Any]
    classification: dict[str, Any] | None = None
    classification_location: str | None = None
    run_key: Any = None  # our run id, or assignment.DEDICATED
    rule: str | None = None



def parse_runs(rows: list[ExportRow], errors: list[str]) -> dict[int, LegacyRun]:
    runs: dict[int, LegacyRun] = {}
    for row in rows:
        fields_ = RowFields(row, errors)
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
        runs[run_id] = LegacyRun(
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


def parse_conversation(row: ExportRow, errors: list[str]) -> LegacyConversation | None:
    f = RowFields(row, errors)
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
    return LegacyConversation(row.location, conversation_id, legacy_run_id, classified_at, record)


def parse_classification(row: ExportRow, errors: list[str], warnings: list[str]) -> dict[str, Any] | None:
    """One classification record (without run and conversation matching), engine ``legacy``."""
    f = RowFields(row, errors)
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


def has_classification(row: ExportRow) -> bool:
    return any(row.values.get(name) not in (None, "") for name in _CLASSIFICATION_FIELDS)


def _check_lengths(f: RowFields, table: Any, record: Mapping[str, Any]) -> None:
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


def match_classifications(
    rows: list[ExportRow], conversations_: list[LegacyConversation], errors: list[str], warnings: list[str]
) -> None:
    by_id: dict[str, list[LegacyConversation]] = defaultdict(list)
    for conversation in conversations_:
        by_id[conversation.conversation_id].append(conversation)
    for row in rows:
        f = RowFields(row, errors)
        conversation_id = f.text("conversation_id", "id", required=True)
        legacy_run_id = f.run_id("pipeline_run_id")
        classified_at = f.timestamp("classified_at")
        record = parse_classification(row, errors, warnings)
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
