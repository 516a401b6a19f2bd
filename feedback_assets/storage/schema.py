"""The contract tables (DESIGN.md) as SQLAlchemy Core metadata.

Migrations under ``storage/migrations`` create exactly this schema; a test compares the two so they cannot
drift. Every run-scoped key starts with ``pipeline_run_id`` and every run-scoped table references the
conversations *of its own run* through a composite foreign key (invariants 1 and 2).
"""

from __future__ import annotations

from typing import get_args

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from feedback_assets.domain.models import Confidence, ConversationType, Disambiguation, StoryStatus, Urgency

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)

RUN_STATUSES = ("pending", "running", "succeeded", "failed", "canceled")
RUN_TRIGGERS = ("manual", "sensor", "schedule", "import")
# The enumerations are the domain's (one definition); the database enforces them as CHECK constraints.
CONVERSATION_TYPES = get_args(ConversationType)
CONFIDENCES = get_args(Confidence)
URGENCIES = get_args(Urgency)
DISAMBIGUATION_LEVELS = get_args(Disambiguation)
STORY_STATUSES = get_args(StoryStatus)
EXCERPT_MAX_CHARS = 500


def _one_of(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{value}'" for value in values)
    return f"{column} IS NULL OR {column} IN ({quoted})"


def _run_id_column() -> Column:
    return Column(
        "pipeline_run_id",
        Integer,
        ForeignKey("pipeline_runs.id", ondelete="CASCADE"),
        nullable=False,
    )


def _own_run_conversation_fk() -> ForeignKeyConstraint:
    # Composite: a row can only point at a conversation of its own run. Rewriting a run's conversations
    # removes that run's derived rows (they described the old input); no other run is touched.
    return ForeignKeyConstraint(
        ["pipeline_run_id", "conversation_id"],
        ["conversations.pipeline_run_id", "conversations.conversation_id"],
        ondelete="CASCADE",
    )


Timestamp = DateTime(timezone=True)


def _provenance_columns() -> list[Column]:
    """Which engine, model and prompt produced a derived row, or the error that stopped it."""
    return [
        Column("engine", String(32), nullable=False),
        Column("model", String(128), nullable=True),
        Column("prompt_version", String(32), nullable=True),
        Column("error", Text, nullable=True),
    ]


def _reuse_columns() -> list[Column]:
    """"Pay once" (``storage.reuse``): the hash of what the engine read, and the earlier run a row was copied
    from instead of calling the engine again (NULL when it was computed by this run). Not foreign keys: a
    copied row stays valid when the run it came from is deleted."""
    return [
        Column("input_hash", String(64), nullable=True),
        Column("reused_from_run", Integer, nullable=True),
    ]

pipeline_runs = Table(
    "pipeline_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("status", String(16), nullable=False, server_default="pending"),
    Column("trigger", String(16), nullable=False, server_default="manual"),
    Column("source", String(32), nullable=False),
    Column("source_params", JSON, nullable=True),
    Column("window_start", Timestamp, nullable=True),
    Column("window_end", Timestamp, nullable=True),
    Column("max_conversations", Integer, nullable=True),
    Column("batch_size", Integer, nullable=False),
    Column("engine", String(32), nullable=False, server_default="offline"),
    Column("created_at", Timestamp, nullable=False),
    Column("started_at", Timestamp, nullable=True),
    Column("completed_at", Timestamp, nullable=True),
    Column("error", Text, nullable=True),
    Column("dagster_run_id", String(64), nullable=True),
    Column("conversations_count", Integer, nullable=False, server_default="0"),
    Column("classified_count", Integer, nullable=False, server_default="0"),
    Column("failures_count", Integer, nullable=False, server_default="0"),
    Column("themes_count", Integer, nullable=False, server_default="0"),
    Column("stories_count", Integer, nullable=False, server_default="0"),
    # LLM spend of the run (the offline engine leaves them at 0).
    Column("input_tokens", Integer, nullable=False, server_default="0"),
    Column("output_tokens", Integer, nullable=False, server_default="0"),
    Column("cache_read_tokens", Integer, nullable=False, server_default="0"),
    Column("cache_write_tokens", Integer, nullable=False, server_default="0"),
    Column("estimated_cost_usd", Float, nullable=False, server_default="0"),
    # Stages whose rows are completely written for this run (set in the transaction that writes them,
    # dropped when those rows are cleared), and the latest outcome of each blocking asset check
    # ({"stage:check": "passed" | "failed"}, dropped when the stage's rows are rewritten): what
    # `feedback-assets resume` re-materialises and what `feedback-assets runs` shows.
    Column("completed_stages", JSON, nullable=True),
    Column("check_results", JSON, nullable=True),
    CheckConstraint("id > 0", name="positive_id"),
    CheckConstraint(_one_of("status", RUN_STATUSES), name="status"),
    CheckConstraint(_one_of("trigger", RUN_TRIGGERS), name="trigger"),
    CheckConstraint("batch_size > 0", name="positive_batch_size"),
    CheckConstraint("max_conversations IS NULL OR max_conversations > 0", name="positive_max"),
    # Never reuse a deleted run's id on SQLite: ids are Dagster partition keys.
    sqlite_autoincrement=True,
)
Index("ix_pipeline_runs_status", pipeline_runs.c.status)

conversations = Table(
    "conversations",
    metadata,
    _run_id_column(),
    Column("conversation_id", String(64), nullable=False),
    Column("source", String(32), nullable=False),
    Column("created_at", Timestamp, nullable=False),
    Column("updated_at", Timestamp, nullable=False),
    Column("author_type", String(32), nullable=True),
    Column("customer_id", String(64), nullable=True),
    Column("delivered_as", String(64), nullable=True),
    Column("subject", Text, nullable=True),
    Column("body", Text, nullable=False),
    Column("url", Text, nullable=True),
    Column("support_messages", JSON, nullable=False),
    Column("customer_messages", JSON, nullable=True),
    Column("tags", JSON, nullable=True),
    Column("language", String(16), nullable=True),
    Column("quality_pass", Boolean, nullable=False),
    Column("quality_reason", String(64), nullable=True),
    PrimaryKeyConstraint("pipeline_run_id", "conversation_id"),
    CheckConstraint(
        "quality_pass OR quality_reason IS NOT NULL", name="rejection_has_reason"
    ),
)
Index("ix_conversations_conversation_id", conversations.c.conversation_id, conversations.c.pipeline_run_id)

classifications = Table(
    "classifications",
    metadata,
    _run_id_column(),
    Column("conversation_id", String(64), nullable=False),
    Column("stage1_type", String(32), nullable=True),
    Column("stage1_confidence", String(8), nullable=True),
    Column("urgency", String(16), nullable=True),
    Column("routing_team", String(64), nullable=True),
    Column("auto_response_eligible", Boolean, nullable=True),
    Column("key_signals", JSON, nullable=True),
    Column("stage2_type", String(32), nullable=True),
    Column("stage2_confidence", String(8), nullable=True),
    Column("classification_changed", Boolean, nullable=True),
    Column("disambiguation_level", String(8), nullable=True),
    Column("customer_said", Text, nullable=True),
    Column("support_revealed", Text, nullable=True),
    Column("support_insights", JSON, nullable=True),
    Column("resolution_action", String(64), nullable=True),
    Column("resolution_category", String(64), nullable=True),
    Column("resolution_suggested_type", String(32), nullable=True),
    Column("final_type", String(32), nullable=True),
    *_provenance_columns(),
    *_reuse_columns(),
    PrimaryKeyConstraint("pipeline_run_id", "conversation_id"),
    _own_run_conversation_fk(),
    CheckConstraint(_one_of("stage1_type", CONVERSATION_TYPES), name="stage1_type"),
    CheckConstraint(_one_of("stage2_type", CONVERSATION_TYPES), name="stage2_type"),
    CheckConstraint(_one_of("final_type", CONVERSATION_TYPES), name="final_type"),
    CheckConstraint(_one_of("stage1_confidence", CONFIDENCES), name="stage1_confidence"),
    CheckConstraint(_one_of("stage2_confidence", CONFIDENCES), name="stage2_confidence"),
    CheckConstraint(_one_of("urgency", URGENCIES), name="urgency"),
    CheckConstraint(_one_of("disambiguation_level", DISAMBIGUATION_LEVELS), name="disambiguation"),
    # A row is either a classification or a recorded failure, never an empty default.
    CheckConstraint("final_type IS NOT NULL OR error IS NOT NULL", name="classified_or_failed"),
)

themes = Table(
    "themes",
    metadata,
    _run_id_column(),
    Column("conversation_id", String(64), nullable=False),
    Column("product_area", String(64), nullable=True),
    Column("component", String(64), nullable=True),
    Column("issue_signature", String(128), nullable=True),
    Column("user_intent", Text, nullable=True),
    Column("symptoms", JSON, nullable=True),
    Column("affected_flow", Text, nullable=True),
    Column("root_cause_hypothesis", Text, nullable=True),
    Column("matched_vocabulary", Boolean, nullable=True),
    Column("final_type", String(32), nullable=True),
    *_provenance_columns(),
    *_reuse_columns(),
    # The signature as the engine answered it, before the run's signature rules and review (what a reused
    # theme is fed back into the rules with); NULL on failures.
    Column("engine_issue_signature", String(128), nullable=True),
    PrimaryKeyConstraint("pipeline_run_id", "conversation_id"),
    _own_run_conversation_fk(),
    CheckConstraint("issue_signature IS NOT NULL OR error IS NOT NULL", name="themed_or_failed"),
)
Index("ix_themes_signature", themes.c.pipeline_run_id, themes.c.issue_signature)
# The reuse lookup: (conversation, input hash) → its rows in earlier runs, newest first.
Index(
    "ix_classifications_reuse",
    classifications.c.conversation_id,
    classifications.c.input_hash,
    classifications.c.pipeline_run_id,
)
Index("ix_themes_reuse", themes.c.conversation_id, themes.c.input_hash, themes.c.pipeline_run_id)

stories = Table(
    "stories",
    metadata,
    # Deterministic (uuid5 of run and signature) so re-materialising a run gives identical rows.
    Column("id", String(36), primary_key=True),
    _run_id_column(),
    Column("issue_signature", String(128), nullable=False),
    Column("title", Text, nullable=False),
    Column("description", Text, nullable=False),
    Column("product_area", String(64), nullable=True),
    Column("component", String(64), nullable=True),
    Column("status", String(16), nullable=False),
    Column("conversation_count", Integer, nullable=False),
    Column("priority", String(16), nullable=False),
    Column("priority_score", Float, nullable=True),
    Column("symptoms", JSON, nullable=True),
    UniqueConstraint("pipeline_run_id", "issue_signature"),
    UniqueConstraint("id", "pipeline_run_id"),
    CheckConstraint(_one_of("status", STORY_STATUSES), name="status"),
    CheckConstraint("conversation_count > 0", name="positive_count"),
)

story_evidence = Table(
    "story_evidence",
    metadata,
    Column("story_id", String(36), nullable=False),
    Column("conversation_id", String(64), nullable=False),
    _run_id_column(),
    Column("excerpt", Text, nullable=True),
    Column("excerpt_rank", Integer, nullable=True),
    PrimaryKeyConstraint("story_id", "conversation_id"),
    ForeignKeyConstraint(
        ["story_id", "pipeline_run_id"], ["stories.id", "stories.pipeline_run_id"], ondelete="CASCADE"
    ),
    _own_run_conversation_fk(),
    CheckConstraint(f"excerpt IS NULL OR length(excerpt) <= {EXCERPT_MAX_CHARS}", name="excerpt_length"),
)
Index("ix_story_evidence_run", story_evidence.c.pipeline_run_id, story_evidence.c.conversation_id)

TABLES = {table.name: table for table in metadata.sorted_tables}


# Tables defined beside their own code on the same metadata (imported last: they import this module).
import feedback_assets.storage.tracker_links  # noqa: E402,F401  (story_tracker_links, migration 0004)
import feedback_assets.storage.issue_history  # noqa: E402,F401  (pruned_runs, issue_count_history, migration 0006)
