"""Streamed reads that join a run's tables for the later stages (themes, stories), one chunk at a time.

Each is one query on one connection, streamed (``yield_per``: a server-side cursor on PostgreSQL), in
conversation-id order, selecting only the columns the stage uses — so a stage's memory holds a chunk, never
the run's rows.
"""

from __future__ import annotations

from typing import Any, Iterator, Sequence

from sqlalchemy import Engine, and_, select

from feedback_assets.storage.partitions import DEFAULT_READ_CHUNK, stream_rows
from feedback_assets.storage.runs import parse_run_id
from feedback_assets.storage.schema import classifications, conversations, themes

THEME_INPUT_COLUMNS = (
    "conversation_id",
    "source",
    "created_at",
    "updated_at",
    "author_type",
    "delivered_as",
    "subject",
    "body",
    "url",
    "support_messages",
    "customer_messages",
    "tags",
    "language",
)


def _same_conversation(table: Any, other: Any) -> Any:
    """Rows of ``table`` and ``other`` about the same conversation of the same run."""
    return and_(
        table.c.pipeline_run_id == other.c.pipeline_run_id, table.c.conversation_id == other.c.conversation_id
    )


def iter_theme_inputs(
    engine: Engine,
    run_id: int | str,
    actionable_types: Sequence[str],
    *,
    chunk_size: int = DEFAULT_READ_CHUNK,
) -> Iterator[list[dict[str, Any]]]:
    """The run's conversations whose classification succeeded with an actionable final type: the
    conversation's columns plus ``final_type``, ``urgency`` and ``resolution_action``."""
    run = parse_run_id(run_id)
    query = (
        select(
            *(conversations.c[name] for name in THEME_INPUT_COLUMNS),
            classifications.c.final_type,
            classifications.c.urgency,
            classifications.c.resolution_action,
        )
        .join(
            classifications,
            _same_conversation(classifications, conversations),
        )
        .where(
            conversations.c.pipeline_run_id == run,
            classifications.c.error.is_(None),
            classifications.c.final_type.in_(list(actionable_types)),
        )
        .order_by(conversations.c.conversation_id)
    )
    return stream_rows(engine, query, chunk_size)


def iter_story_inputs(
    engine: Engine, run_id: int | str, *, chunk_size: int = DEFAULT_READ_CHUNK
) -> Iterator[list[dict[str, Any]]]:
    """The run's successful themes in (signature, conversation id) order, so each signature's group comes
    whole and in one piece: the theme's columns, the conversation's ``body``, and the classification's
    ``urgency`` and ``final_type`` (as ``classified_type``): what a story and its evidence are made of."""
    run = parse_run_id(run_id)
    theme_columns = [
        themes.c[name]
        for name in (
            "issue_signature",
            "product_area",
            "component",
            "user_intent",
            "symptoms",
            "affected_flow",
            "root_cause_hypothesis",
            "matched_vocabulary",
            "final_type",
        )
    ]
    query = (
        select(
            themes.c.conversation_id,
            conversations.c.body,
            *theme_columns,
            classifications.c.urgency,
            classifications.c.final_type.label("classified_type"),
        )
        .select_from(themes)
        .join(
            conversations,
            _same_conversation(conversations, themes),
        )
        .outerjoin(
            classifications,
            _same_conversation(classifications, themes),
        )
        .where(themes.c.pipeline_run_id == run, themes.c.error.is_(None), themes.c.issue_signature.is_not(None))
        .order_by(themes.c.issue_signature, themes.c.conversation_id)
    )
    return stream_rows(engine, query, chunk_size)
