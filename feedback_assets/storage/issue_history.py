"""What is left of a pruned pipeline run: ``pruned_runs`` (one row per run, what trends need to know about
it, and how many rows pruning removed) and ``issue_count_history`` (one row per story group the run had,
with its conversation count).

``storage.pruning.prune_runs`` writes both in the transaction that deletes the run's ``pipeline_runs`` row,
so a pruned run's per-issue counts outlive its conversations, classifications, themes, stories and
evidence, and ``story_trends`` keeps comparing it (``storage/sql/trend_*.sql`` read ``stories`` and
``issue_count_history`` alike).

Neither table references ``pipeline_runs``: the run is gone. ``pruned_runs.id`` *is* the run id (never
reused: SQLite ``AUTOINCREMENT``, a PostgreSQL sequence that only moves forward), so a history row's
``pipeline_run_id`` keeps naming the same run, and ``issue_count_history`` references ``pruned_runs``.

Defined on the shared ``storage.schema.metadata`` (migration ``0006``); ``storage/schema.py`` imports this
module at its end so the migrations' metadata knows the tables.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)

# Only the shared metadata and the enumerations (``storage/schema.py`` imports this module at its end).
from feedback_assets.storage.schema import RUN_STATUSES, RUN_TRIGGERS, STORY_STATUSES, metadata

Timestamp = DateTime(timezone=True)


def _one_of(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({quoted})"


pruned_runs = Table(
    "pruned_runs",
    metadata,
    # The pipeline run's id (its former partition key); not generated here.
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("status", String(16), nullable=False),
    Column("trigger", String(16), nullable=False),
    Column("source", String(32), nullable=False),
    Column("source_params", JSON, nullable=True),
    Column("engine", String(32), nullable=False),
    Column("window_start", Timestamp, nullable=True),
    Column("window_end", Timestamp, nullable=True),
    Column("created_at", Timestamp, nullable=False),
    Column("completed_at", Timestamp, nullable=True),
    Column("conversations_count", Integer, nullable=False),
    # The run's size for trends (classified conversations), as on pipeline_runs.
    Column("classified_count", Integer, nullable=False),
    Column("stories_count", Integer, nullable=False),
    Column("estimated_cost_usd", Float, nullable=False),
    # {"conversations": n, "classifications": n, …}: the rows the prune deleted, counted in its transaction.
    Column("rows_removed", JSON, nullable=False),
    Column("pruned_at", Timestamp, nullable=False),
    CheckConstraint("id > 0", name="positive_id"),
    CheckConstraint(_one_of("status", RUN_STATUSES), name="status"),
    CheckConstraint(_one_of("trigger", RUN_TRIGGERS), name="trigger"),
)

issue_count_history = Table(
    "issue_count_history",
    metadata,
    Column(
        "pipeline_run_id",
        Integer,
        ForeignKey("pruned_runs.id", ondelete="CASCADE"),
        nullable=False,
    ),
    # The story's signature as the run wrote it (a review split's "<signature>_part<N>" included: trends
    # decide from the parts whether the issue was a story in that run).
    Column("issue_signature", String(128), nullable=False),
    # The issue across runs (domain.trends.canonical_signature): the signature without "_part<N>".
    Column("canonical_signature", String(128), nullable=False),
    Column("title", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("conversation_count", Integer, nullable=False),
    Column("priority", String(16), nullable=True),
    PrimaryKeyConstraint("pipeline_run_id", "issue_signature"),
    CheckConstraint(_one_of("status", STORY_STATUSES), name="status"),
    CheckConstraint("conversation_count > 0", name="positive_count"),
)
# "How did this issue do in the pruned runs?": canonical signature, then run.
Index(
    "ix_issue_count_history_canonical",
    issue_count_history.c.canonical_signature,
    issue_count_history.c.pipeline_run_id,
)

__all__ = ["issue_count_history", "pruned_runs"]
