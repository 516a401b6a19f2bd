"""Pruning old pipeline runs: their rows go, their per-issue counts stay (``feedback-assets prune``).

``prune_runs`` looks at the runs that ended (else were created) before ``now - older_than``, keeps those
``domain.pruning.keep_reason`` keeps (pending, running, the latest succeeded run(s) of each source, runs
holding the newest tracker link of an issue) and those whose partition lease a live process holds, and
removes each of the others in **one transaction of its own**:

1. take the run's partition lease (``storage.leases``: no step can start writing it meanwhile; a lease
   somebody else holds keeps the run, as ``held``), lock its ``pipeline_runs`` row (PostgreSQL);
2. count its rows in every table the deletion cascades to (``sql/prune_run_counts.sql``);
3. copy the run's facts into ``pruned_runs`` and each of its story groups into ``issue_count_history``
   (what ``story_trends`` needs to keep comparing it);
4. delete its ``pipeline_runs`` row, still only if its status is final — ``ON DELETE CASCADE`` removes its
   conversations, classifications, themes, stories, evidence and tracker links.

Any failure rolls the run's transaction back: it keeps every row, gets no history row, and is reported in
``PruneReport.failed``; the other runs are still looked at. ``on_pruned`` is called right after each run's
transaction commits (the Dagster wiring deletes the run's dynamic partition there). ``dry_run`` counts the
same rows in read-only transactions and changes nothing.

Plain SQLAlchemy; no Dagster import.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Any, Callable, Mapping

from sqlalchemy import Connection, DateTime, Engine, bindparam, delete, insert, select, text

from feedback_assets.domain.pruning import FINAL_STATUSES, KEEP_REASONS, PruneCandidate, keep_reason
from feedback_assets.domain.trends import canonical_signature
from feedback_assets.storage import leases
from feedback_assets.storage.errors import StorageError
from feedback_assets.storage.integrity import SQL_DIR
from feedback_assets.storage.issue_history import issue_count_history, pruned_runs
from feedback_assets.storage.schema import pipeline_runs, stories
from feedback_assets.timestamps import as_utc

PRUNED_TABLES: tuple[str, ...] = (
    "conversations",
    "classifications",
    "themes",
    "stories",
    "story_evidence",
    "story_tracker_links",
)
"""The tables a run's deletion cascades to, in the order a report lists them."""

_LABELS = {
    "conversations": ("conversation", "conversations"),
    "classifications": ("classification", "classifications"),
    "themes": ("theme", "themes"),
    "stories": ("story", "stories"),
    "story_evidence": ("evidence row", "evidence rows"),
    "story_tracker_links": ("tracker link", "tracker links"),
}
_ALWAYS_SHOWN = PRUNED_TABLES[:5]
_Timestamp = DateTime(timezone=True)
_MAX_IDS_SHOWN = 10


@lru_cache(maxsize=None)
def _sql(name: str) -> str:
    # Comment lines go: a ":name" in them would be taken for a bind parameter.
    lines = (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8").splitlines()
    return "\n".join(line for line in lines if not line.lstrip().startswith("--"))


def _count(number: int, table: str) -> str:
    singular, plural = _LABELS[table]
    return f"{number:,} {singular if number == 1 else plural}"


def _runs(number: int) -> str:
    return f"{number:,} run{'' if number == 1 else 's'}"


def _ids(run_ids: list[int]) -> str:
    shown = ", ".join(str(run_id) for run_id in run_ids[:_MAX_IDS_SHOWN])
    more = f", … {len(run_ids) - _MAX_IDS_SHOWN} more" if len(run_ids) > _MAX_IDS_SHOWN else ""
    return f"run{'' if len(run_ids) == 1 else 's'} {shown}{more}"


@dataclass(frozen=True)
class PrunedRun:
    """A run that was (or, in a dry run, would be) removed, with its rows per table."""

    run_id: int
    status: str
    source: str
    created_at: datetime
    completed_at: datetime | None
    rows: Mapping[str, int]
    """Rows per table of ``PRUNED_TABLES`` (its ``pipeline_runs`` row not counted)."""

    @property
    def ended_at(self) -> datetime:
        return self.completed_at or self.created_at

    @property
    def rows_removed(self) -> int:
        return sum(self.rows.values())

    def line(self, *, dry_run: bool = False) -> str:
        """``pruned run 12 (succeeded, 2026-09-01): 1,200 conversations, …, 732 evidence rows``."""
        shown = [
            _count(self.rows.get(table, 0), table)
            for table in PRUNED_TABLES
            if table in _ALWAYS_SHOWN or self.rows.get(table)
        ]
        verb = "would prune" if dry_run else "pruned"
        return f"{verb} run {self.run_id} ({self.status}, {self.ended_at:%Y-%m-%d}): {', '.join(shown)}"


@dataclass(frozen=True)
class KeptRun:
    """An old run that stays, and why (a key of ``domain.pruning.KEEP_REASONS``)."""

    run_id: int
    status: str
    reason: str


@dataclass(frozen=True)
class PruneFailure:
    """A run whose prune failed: its transaction was rolled back, it keeps every row."""

    run_id: int
    status: str
    error: str

    def line(self) -> str:
        return f"failed to prune run {self.run_id} ({self.status}): {self.error}; nothing of it was removed"


@dataclass(frozen=True)
class PruneReport:
    older_than: timedelta
    cutoff: datetime
    dry_run: bool
    pruned: tuple[PrunedRun, ...] = ()
    kept: tuple[KeptRun, ...] = ()
    failed: tuple[PruneFailure, ...] = ()

    @property
    def rows_removed(self) -> dict[str, int]:
        """Rows per table over every pruned run."""
        return {table: sum(run.rows.get(table, 0) for run in self.pruned) for table in PRUNED_TABLES}

    def kept_by_reason(self) -> dict[str, list[int]]:
        kept: dict[str, list[int]] = {}
        for reason in KEEP_REASONS:
            ids = [run.run_id for run in self.kept if run.reason == reason]
            if ids:
                kept[reason] = ids
        return kept

    def summary(self) -> str:
        """One line: runs pruned and rows removed (by table), runs kept and why, failures."""
        totals = self.rows_removed
        total = sum(totals.values())
        age = _age(self.older_than)
        verb = "would prune" if self.dry_run else "pruned"
        ended = f"{self.cutoff:%Y-%m-%d %H:%M} UTC"
        text_ = f"{verb} {_runs(len(self.pruned))} older than {age} (ended before {ended})"
        if self.pruned:
            detail = ", ".join(_count(totals[table], table) for table in PRUNED_TABLES if totals[table])
            removed = "to remove" if self.dry_run else "removed"
            text_ += f": {total:,} row{'' if total == 1 else 's'} {removed}"
            text_ += f" ({detail})" if detail else ""
        kept = self.kept_by_reason()
        if kept:
            reasons = "; ".join(
                f"{len(ids)} {KEEP_REASONS[reason]} ({_ids(ids)})" for reason, ids in kept.items()
            )
            text_ += f"; kept {_runs(len(self.kept))}: {reasons}"
        else:
            text_ += "; kept none"
        if self.failed:
            failed = _ids([failure.run_id for failure in self.failed])
            text_ += f"; FAILED {_runs(len(self.failed))} ({failed}): unchanged"
        if self.dry_run:
            text_ += "; dry run: nothing was changed"
        return text_


def _age(older_than: timedelta) -> str:
    if older_than.seconds == 0 and older_than.microseconds == 0:
        return f"{older_than.days:,} day{'' if older_than.days == 1 else 's'}"
    return str(older_than)


def _candidates(engine: Engine, cutoff: datetime) -> list[PruneCandidate]:
    query = (
        text(_sql("prune_candidates"))
        .bindparams(bindparam("cutoff", value=cutoff, type_=_Timestamp))
        .columns(created_at=_Timestamp, completed_at=_Timestamp)
    )
    with engine.connect() as connection:
        rows = connection.execute(query).mappings().all()
    return [
        PruneCandidate(
            run_id=row["run_id"],
            status=row["status"],
            source=row["source"],
            created_at=as_utc(row["created_at"]),
            completed_at=as_utc(row["completed_at"]),
            succeeded_rank=row["succeeded_rank"],
            holds_tracker_links=bool(row["holds_tracker_links"]),
        )
        for row in rows
    ]


def count_run_rows(connection: Connection, run_id: int) -> dict[str, int]:
    """The run's rows in every table its deletion cascades to (``PRUNED_TABLES``)."""
    row = connection.execute(text(_sql("prune_run_counts")), {"run_id": run_id}).mappings().one()
    return {table: int(row[table]) for table in PRUNED_TABLES}


class _NotPrunable(Exception):
    """Inside the run's transaction: it is not (or no longer) a run to prune; nothing was written."""


def _delete_run(connection: Connection, run_id: int) -> None:
    """Delete the run's ``pipeline_runs`` row (cascading to its rows), only while its status is final."""
    deleted = connection.execute(
        delete(pipeline_runs).where(pipeline_runs.c.id == run_id, pipeline_runs.c.status.in_(FINAL_STATUSES))
    ).rowcount
    if deleted != 1:
        raise StorageError(f"pipeline run {run_id} changed while it was being pruned")


def _prune_one(connection: Connection, run_id: int, cutoff: datetime, now: datetime) -> PrunedRun:
    row = connection.execute(
        select(pipeline_runs).where(pipeline_runs.c.id == run_id).with_for_update()
    ).mappings().first()
    if row is None:
        raise _NotPrunable("gone")  # pruned meanwhile by somebody else
    status = row["status"]
    ended_at = as_utc(row["completed_at"] or row["created_at"])
    if status not in FINAL_STATUSES:
        raise _NotPrunable(status)
    if ended_at >= cutoff:
        raise _NotPrunable("recent")  # materialised again since the candidates were read
    counts = count_run_rows(connection, run_id)
    connection.execute(
        insert(pruned_runs).values(
            id=run_id,
            status=status,
            trigger=row["trigger"],
            source=row["source"],
            source_params=row["source_params"],
            engine=row["engine"],
            window_start=as_utc(row["window_start"]),
            window_end=as_utc(row["window_end"]),
            created_at=as_utc(row["created_at"]),
            completed_at=as_utc(row["completed_at"]),
            conversations_count=row["conversations_count"],
            classified_count=row["classified_count"],
            stories_count=row["stories_count"],
            estimated_cost_usd=row["estimated_cost_usd"],
            rows_removed=counts,
            pruned_at=now,
        )
    )
    groups = connection.execute(
        select(
            stories.c.issue_signature, stories.c.title, stories.c.status, stories.c.conversation_count,
            stories.c.priority,
        ).where(stories.c.pipeline_run_id == run_id)
    ).mappings().all()
    if groups:
        connection.execute(
            insert(issue_count_history),
            [
                {
                    "pipeline_run_id": run_id,
                    "issue_signature": group["issue_signature"],
                    "canonical_signature": canonical_signature(group["issue_signature"]),
                    "title": group["title"],
                    "status": group["status"],
                    "conversation_count": group["conversation_count"],
                    "priority": group["priority"],
                }
                for group in groups
            ],
        )
    _delete_run(connection, run_id)
    return PrunedRun(
        run_id=run_id,
        status=status,
        source=row["source"],
        created_at=as_utc(row["created_at"]),
        completed_at=as_utc(row["completed_at"]),
        rows=counts,
    )


def _first_line(error: BaseException) -> str:
    message = str(getattr(error, "orig", None) or error).strip()
    return message.splitlines()[0] if message else type(error).__name__


def prune_runs(
    engine: Engine,
    *,
    older_than: timedelta,
    now: datetime | None = None,
    dry_run: bool = False,
    keep_latest: int = 1,
    keep_tracker_links: bool = True,
    on_pruned: Callable[[PrunedRun], Any] | None = None,
) -> PruneReport:
    """Remove the runs that ended (else were created) more than ``older_than`` before ``now`` (default: the
    current time), each atomically with its rows, keeping what must stay (module docstring). Returns what
    was pruned (rows per table, counted in each run's transaction before the delete), kept and failed.

    ``keep_latest``: how many of the latest succeeded runs of each source always stay (default 1; 0 lets
    every old run go). ``keep_tracker_links``: keep runs holding the newest tracker link of an issue
    signature (default; see ``domain.pruning``). ``on_pruned`` is called after each run's commit; what it
    raises propagates (the runs pruned before stay pruned)."""
    if older_than < timedelta(0):
        raise ValueError(f"older_than must not be negative, got {older_than}")
    if keep_latest < 0:
        raise ValueError(f"keep_latest must not be negative, got {keep_latest}")
    now = as_utc(now) if now is not None else datetime.now(timezone.utc)
    cutoff = now - older_than
    pruned: list[PrunedRun] = []
    kept: list[KeptRun] = []
    failed: list[PruneFailure] = []
    holder = f"feedback-assets prune (pid {os.getpid()}, {uuid.uuid4().hex[:8]})"
    for candidate in _candidates(engine, cutoff):
        reason = keep_reason(candidate, keep_latest=keep_latest, keep_tracker_links=keep_tracker_links)
        if reason is not None:
            kept.append(KeptRun(candidate.run_id, candidate.status, reason))
            continue
        if dry_run:
            if leases.is_held(engine, candidate.run_id):
                kept.append(KeptRun(candidate.run_id, candidate.status, "held"))
                continue
            with engine.connect() as connection:
                counts = count_run_rows(connection, candidate.run_id)
            pruned.append(
                PrunedRun(
                    candidate.run_id, candidate.status, candidate.source, candidate.created_at,
                    candidate.completed_at, counts,
                )
            )
            continue
        try:
            leases.acquire(engine, candidate.run_id, holder)
        except leases.PartitionBusy:
            kept.append(KeptRun(candidate.run_id, candidate.status, "held"))
            continue
        try:
            with engine.begin() as connection:
                result = _prune_one(connection, candidate.run_id, cutoff, now)
        except _NotPrunable as why:
            if str(why) in KEEP_REASONS:
                kept.append(KeptRun(candidate.run_id, str(why), str(why)))
            continue
        except Exception as error:  # noqa: BLE001 - reported; the other runs are still pruned
            failed.append(PruneFailure(candidate.run_id, candidate.status, _first_line(error)))
            continue
        finally:
            leases.release(engine, candidate.run_id)
        pruned.append(result)
        if on_pruned is not None:
            on_pruned(result)
    return PruneReport(
        older_than=older_than,
        cutoff=cutoff,
        dry_run=dry_run,
        pruned=tuple(pruned),
        kept=tuple(kept),
        failed=tuple(failed),
    )


__all__ = [
    "PRUNED_TABLES",
    "KeptRun",
    "PruneFailure",
    "PruneReport",
    "PrunedRun",
    "count_run_rows",
    "prune_runs",
]
