"""``story_tracker_links``: which tracker story (a Shortcut story) a pipeline run's story was pushed to.

One row per (pipeline run, story, tracker), written right after the tracker accepted the story, so a push
that stops halfway has recorded exactly what exists on the tracker side. ``issue_signature`` is kept so a
later run's story with the same signature updates the same tracker story (looked up by signature, newest
run first) instead of opening a new ticket every week.

The table is defined on the shared ``storage.schema.metadata`` (migration ``0004``). It is run-scoped for
deletion (``ON DELETE CASCADE`` from ``pipeline_runs``) but has no foreign key to ``stories``: a stories
partition is rewritten as a whole (delete + insert) and its ids are deterministic (uuid5 of run and
signature), so the links must outlive that rewrite.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    Engine,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    and_,
    delete,
    insert,
    select,
)

# Only the schema's shared metadata and the stories table: ``storage/schema.py`` imports this module at its
# end so that the migrations' metadata knows the table (nothing here may import the rest of storage).
from feedback_assets.storage.schema import metadata, stories
from feedback_assets.timestamps import as_utc

Timestamp = DateTime(timezone=True)
TRACKERS = ("shortcut",)

story_tracker_links = Table(
    "story_tracker_links",
    metadata,
    Column("pipeline_run_id", Integer, ForeignKey("pipeline_runs.id", ondelete="CASCADE"), nullable=False),
    Column("story_id", String(36), nullable=False),
    Column("tracker", String(16), nullable=False),
    Column("issue_signature", String(128), nullable=False),
    Column("external_id", String(64), nullable=False),
    Column("external_url", Text, nullable=True),
    Column("payload_hash", String(64), nullable=False),
    Column("created_at", Timestamp, nullable=False),
    Column("pushed_at", Timestamp, nullable=False),
    PrimaryKeyConstraint("pipeline_run_id", "story_id", "tracker"),
)
# "Which tracker story did this signature go to last?": tracker, signature, newest run first.
Index(
    "ix_story_tracker_links_signature",
    story_tracker_links.c.tracker,
    story_tracker_links.c.issue_signature,
    story_tracker_links.c.pipeline_run_id,
)


@dataclass(frozen=True)
class TrackerLink:
    pipeline_run_id: int
    story_id: str
    tracker: str
    issue_signature: str
    external_id: str
    external_url: str | None
    payload_hash: str
    created_at: datetime
    pushed_at: datetime


def _link(row) -> TrackerLink:
    values = dict(row)
    values["created_at"] = as_utc(values["created_at"])
    values["pushed_at"] = as_utc(values["pushed_at"])
    return TrackerLink(**values)


def links_for_run_signatures(engine: Engine, run_id: int, tracker: str) -> dict[str, TrackerLink]:
    """For each signature of run ``run_id``'s stories that was ever pushed to ``tracker``: the link to
    follow — this run's own link if it has one, else the newest earlier (or later) run's. One query."""
    links = story_tracker_links
    query = (
        select(links)
        .join(stories, stories.c.issue_signature == links.c.issue_signature)
        .where(stories.c.pipeline_run_id == run_id, links.c.tracker == tracker)
        .order_by(links.c.issue_signature, links.c.pipeline_run_id.desc())
    )
    chosen: dict[str, TrackerLink] = {}
    with engine.connect() as connection:
        for row in connection.execute(query).mappings():
            link = _link(row)
            current = chosen.get(link.issue_signature)
            if current is None or (link.pipeline_run_id == run_id and current.pipeline_run_id != run_id):
                chosen[link.issue_signature] = link
    return chosen


def record_link(
    connectable: Engine | Connection,
    *,
    run_id: int,
    story_id: str,
    tracker: str,
    issue_signature: str,
    external_id: str,
    external_url: str | None,
    payload_hash: str,
) -> TrackerLink:
    """Insert or replace the link of (run, story, tracker) in one transaction; ``created_at`` is kept when
    the link existed (``pushed_at`` is now)."""
    links = story_tracker_links
    key = and_(links.c.pipeline_run_id == run_id, links.c.story_id == story_id, links.c.tracker == tracker)

    def apply(connection: Connection) -> TrackerLink:
        now = datetime.now(timezone.utc)
        previous = connection.execute(select(links.c.created_at).where(key)).scalar_one_or_none()
        connection.execute(delete(links).where(key))
        values = dict(
            pipeline_run_id=run_id,
            story_id=story_id,
            tracker=tracker,
            issue_signature=issue_signature,
            external_id=str(external_id),
            external_url=external_url,
            payload_hash=payload_hash,
            created_at=as_utc(previous) if previous is not None else now,
            pushed_at=now,
        )
        connection.execute(insert(links).values(**values))
        return TrackerLink(**values)

    if isinstance(connectable, Connection):
        return apply(connectable)
    with connectable.begin() as connection:
        return apply(connection)


def read_links(engine: Engine, *, run_id: int | None = None, tracker: str | None = None) -> list[TrackerLink]:
    """Links, optionally of one run and/or tracker, by run then story id (for reports and tests)."""
    links = story_tracker_links
    query = select(links).order_by(links.c.pipeline_run_id, links.c.story_id, links.c.tracker)
    if run_id is not None:
        query = query.where(links.c.pipeline_run_id == run_id)
    if tracker is not None:
        query = query.where(links.c.tracker == tracker)
    with engine.connect() as connection:
        return [_link(row) for row in connection.execute(query).mappings()]


__all__ = ["TRACKERS", "TrackerLink", "links_for_run_signatures", "read_links", "record_link", "story_tracker_links"]
