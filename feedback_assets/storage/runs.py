"""The ``pipeline_runs`` table: creating runs, validating partition keys, and the status lifecycle."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from datetime import datetime, timezone
from typing import Any, Mapping, Sequence

from sqlalchemy import Connection, Engine, insert, select, text, update

from feedback_assets import settings
from feedback_assets.timestamps import as_utc
from feedback_assets.storage.errors import InvalidPartitionKey, InvalidRunTransition, StorageError, UnknownRun
from feedback_assets.storage.schema import RUN_STATUSES, RUN_TRIGGERS, pipeline_runs

_CANONICAL_POSITIVE_INT = re.compile(r"[1-9][0-9]{0,17}")

# pending → running → a final status; a failed or canceled run may be retried (running again).
_ALLOWED_TRANSITIONS = {
    "pending": {"running", "canceled", "failed"},
    "running": {"succeeded", "failed", "canceled"},
    "failed": {"running"},
    "canceled": {"running"},
    "succeeded": {"running"},
}

_COUNTERS = (
    "conversations_count",
    "classified_count",
    "failures_count",
    "themes_count",
    "stories_count",
    "input_tokens",
    "output_tokens",
    "cache_read_tokens",
    "cache_write_tokens",
)
_UPDATABLE = {"status", "started_at", "completed_at", "error", "dagster_run_id", "estimated_cost_usd", *_COUNTERS}


@dataclass(frozen=True)
class RunRecord:
    id: int
    status: str
    trigger: str
    source: str
    source_params: dict | None
    window_start: datetime | None
    window_end: datetime | None
    max_conversations: int | None
    batch_size: int
    engine: str
    created_at: datetime
    started_at: datetime | None
    completed_at: datetime | None
    error: str | None
    dagster_run_id: str | None
    conversations_count: int
    classified_count: int
    failures_count: int
    themes_count: int
    stories_count: int
    input_tokens: int
    output_tokens: int
    cache_read_tokens: int
    cache_write_tokens: int
    estimated_cost_usd: float
    completed_stages: tuple[str, ...] = ()
    check_results: Mapping[str, str] = field(default_factory=dict)

    @property
    def partition_key(self) -> str:
        return str(self.id)

    @property
    def failed_checks(self) -> list[str]:
        """``stage:check`` names of the blocking checks whose latest evaluation failed."""
        return sorted(name for name, outcome in self.check_results.items() if outcome != "passed")

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> "RunRecord":
        values = {field.name: row[field.name] for field in fields(cls)}
        values["completed_stages"] = tuple(values["completed_stages"] or ())
        values["check_results"] = dict(values["check_results"] or {})
        for name in ("window_start", "window_end", "created_at", "started_at", "completed_at"):
            values[name] = as_utc(values[name])
        return cls(**values)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def parse_run_id(key: object) -> int:
    """The run id a partition key names. Only the canonical decimal form of a positive integer passes:
    ``"7"`` yes; ``""``, ``"0"``, ``"-1"``, ``"007"``, ``" 7"``, ``"7.0"``, ``"abc"`` no."""
    if isinstance(key, bool) or not isinstance(key, (str, int)):
        raise InvalidPartitionKey(f"partition key {key!r} must be a string holding a positive integer run id")
    text = str(key)
    if not _CANONICAL_POSITIVE_INT.fullmatch(text):
        raise InvalidPartitionKey(
            f"partition key {text!r} is not a pipeline run id: expected a positive integer "
            "without sign, spaces or leading zeros (e.g. '42')"
        )
    return int(text)


def validate_partition_key(connectable: Engine | Connection, key: object) -> int:
    """Parse ``key`` and check that its run exists; returns the run id. Raises before any work is done."""
    run_id = parse_run_id(key)
    get_run(connectable, run_id)
    return run_id



def get_run(connectable: Engine | Connection, run_id: int) -> RunRecord:
    if isinstance(connectable, Connection):
        row = connectable.execute(select(pipeline_runs).where(pipeline_runs.c.id == run_id)).mappings().first()
    else:
        with connectable.connect() as connection:
            row = connection.execute(select(pipeline_runs).where(pipeline_runs.c.id == run_id)).mappings().first()
    if row is None:
        raise UnknownRun(f"pipeline run {run_id} does not exist (no row in pipeline_runs with id={run_id})")
    return RunRecord.from_row(row)


def list_runs(engine: Engine, *, status: str | None = None, limit: int | None = None) -> list[RunRecord]:
    query = select(pipeline_runs).order_by(pipeline_runs.c.id.desc())
    if status is not None:
        query = query.where(pipeline_runs.c.status == status)
    if limit is not None:
        query = query.limit(limit)
    with engine.connect() as connection:
        return [RunRecord.from_row(row) for row in connection.execute(query).mappings()]


_ADVANCE_RUN_ID_SEQUENCE = text(
    "SELECT setval(pg_get_serial_sequence('pipeline_runs', 'id'), :run_id) "
    "WHERE :run_id > COALESCE(pg_sequence_last_value(pg_get_serial_sequence('pipeline_runs', 'id')::regclass), 0)"
)


def create_run(
    connectable: Engine | Connection,
    *,
    source: str,
    trigger: str = "manual",
    window_start: datetime | None = None,
    window_end: datetime | None = None,
    max_conversations: int | None = None,
    batch_size: int = settings.DEFAULT_BATCH_SIZE,
    engine: str = "offline",
    source_params: dict | None = None,
    status: str = "pending",
    run_id: int | None = None,
) -> RunRecord:
    """Insert a run (status ``pending`` by default) and return it; its id is the partition key.

    ``run_id`` inserts an explicit id instead of a generated one (the legacy import keeps the old system's
    run ids). An id that exists already raises ``StorageError``. On PostgreSQL the id sequence is then
    advanced to the largest id so later generated ids never collide; SQLite's AUTOINCREMENT does that itself.
    """
    if run_id is not None and (isinstance(run_id, bool) or not isinstance(run_id, int) or run_id < 1):
        raise ValueError(f"run_id must be a positive integer or None, got {run_id!r}")
    if trigger not in RUN_TRIGGERS:
        raise ValueError(f"trigger {trigger!r} is not one of {', '.join(RUN_TRIGGERS)}")
    if status not in RUN_STATUSES:
        raise ValueError(f"status {status!r} is not one of {', '.join(RUN_STATUSES)}")
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    if max_conversations is not None and (isinstance(max_conversations, bool) or max_conversations < 1):
        raise ValueError(f"max_conversations must be a positive integer or None, got {max_conversations!r}")
    if window_start and window_end and as_utc(window_start) > as_utc(window_end):
        raise ValueError(f"window_start {window_start.isoformat()} is after window_end {window_end.isoformat()}")
    values: dict[str, Any] = dict(
        status=status,
        trigger=trigger,
        source=source,
        source_params=source_params,
        window_start=as_utc(window_start),
        window_end=as_utc(window_end),
        max_conversations=max_conversations,
        batch_size=batch_size,
        engine=engine,
        created_at=utcnow(),
    )
    if run_id is not None:
        values["id"] = run_id
    statement = insert(pipeline_runs).values(**values).returning(pipeline_runs.c.id)

    def insert_run(connection: Connection) -> RunRecord:
        if run_id is not None:
            taken = connection.execute(select(pipeline_runs.c.id).where(pipeline_runs.c.id == run_id)).first()
            if taken is not None:
                raise StorageError(f"pipeline run {run_id} already exists; cannot create another run with id={run_id}")
        new_id = connection.execute(statement).scalar_one()
        if run_id is not None and connection.dialect.name == "postgresql":
            # An explicit id does not move the SERIAL sequence: without this the next generated id collides.
            # Only ever forward, so ids of deleted runs (Dagster partition keys) are not handed out again.
            connection.execute(_ADVANCE_RUN_ID_SEQUENCE, {"run_id": run_id})
        return get_run(connection, new_id)

    if isinstance(connectable, Connection):
        return insert_run(connectable)
    with connectable.begin() as connection:
        return insert_run(connection)


def update_run(connectable: Engine | Connection, run_id: int, **changes: Any) -> RunRecord:
    """Change a run's status, timestamps, counters or error. Status changes follow the lifecycle;
    entering ``running`` stamps ``started_at`` and clears the error, a final status stamps ``completed_at``."""
    unknown = set(changes) - _UPDATABLE
    if unknown:
        raise ValueError(f"cannot update pipeline_runs column(s) {sorted(unknown)} of run {run_id}")
    for counter in _COUNTERS:
        value = changes.get(counter)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise ValueError(f"{counter} must be a non-negative integer, got {value!r} for run {run_id}")

    def apply(connection: Connection) -> RunRecord:
        current = get_run(connection, run_id)
        new_status = changes.get("status")
        if new_status is not None and new_status != current.status:
            if new_status not in RUN_STATUSES:
                raise ValueError(f"status {new_status!r} is not one of {', '.join(RUN_STATUSES)}")
            if new_status not in _ALLOWED_TRANSITIONS[current.status]:
                raise InvalidRunTransition(
                    f"pipeline run {run_id} cannot go from {current.status!r} to {new_status!r}"
                )
            now = utcnow()
            if new_status == "running":
                changes.setdefault("started_at", now)
                changes.setdefault("completed_at", None)
                changes.setdefault("error", None)
            elif new_status in ("succeeded", "failed", "canceled"):
                changes.setdefault("completed_at", now)
        if changes:
            connection.execute(update(pipeline_runs).where(pipeline_runs.c.id == run_id).values(**changes))
        return get_run(connection, run_id)

    if isinstance(connectable, Connection):
        return apply(connectable)
    with connectable.begin() as connection:
        return apply(connection)


_SPEND = ("input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens", "estimated_cost_usd")


def add_spend(connectable: Engine | Connection, run_id: int, **amounts: float) -> None:
    """Add to a run's token and cost counters in one UPDATE (no read-modify-write: two steps recording
    spend at once cannot lose either)."""
    unknown = set(amounts) - set(_SPEND)
    if unknown:
        raise ValueError(f"cannot add to pipeline_runs column(s) {sorted(unknown)} of run {run_id}")
    negative = {name: value for name, value in amounts.items() if value < 0}
    if negative:
        raise ValueError(f"spend must not be negative, got {negative} for run {run_id}")
    statement = (
        update(pipeline_runs)
        .where(pipeline_runs.c.id == run_id)
        .values({name: pipeline_runs.c[name] + value for name, value in amounts.items()})
    )

    def apply(connection: Connection) -> None:
        if connection.execute(statement).rowcount == 0:
            raise UnknownRun(f"pipeline run {run_id} does not exist (no row in pipeline_runs with id={run_id})")

    if isinstance(connectable, Connection):
        apply(connectable)
        return
    with connectable.begin() as connection:
        apply(connection)


def record_check(connectable: Engine | Connection, run_id: int, stage: str, check: str, passed: bool) -> RunRecord:
    """Store the latest outcome of a blocking check of ``stage`` on its run (``check_results``), whichever
    job evaluated it — the pipeline or the check-only job."""

    def apply(connection: Connection) -> RunRecord:
        results = dict(_locked_state(connection, run_id)["check_results"] or {})
        results[f"{stage}:{check}"] = "passed" if passed else "failed"
        connection.execute(update(pipeline_runs).where(pipeline_runs.c.id == run_id).values(check_results=results))
        return get_run(connection, run_id)

    if isinstance(connectable, Connection):
        return apply(connectable)
    with connectable.begin() as connection:
        return apply(connection)


def _locked_state(connection: Connection, run_id: int) -> Mapping[str, Any]:
    """The run's stage and check state, locked until the transaction ends: check steps of one run may write
    it at the same time from different processes (multiprocess and Celery executors)."""
    if connection.dialect.name == "sqlite":
        # pysqlite starts the transaction at the first write, so a SELECT first would read outside it and
        # two processes would each write back their own copy (a lost check outcome). Writing first takes
        # the database's write lock, and the read below sees the latest state.
        connection.execute(update(pipeline_runs).where(pipeline_runs.c.id == run_id).values(id=pipeline_runs.c.id))
    row = connection.execute(
        select(pipeline_runs.c.completed_stages, pipeline_runs.c.check_results)
        .where(pipeline_runs.c.id == run_id)
        .with_for_update()
    ).mappings().first()
    if row is None:
        raise UnknownRun(f"pipeline run {run_id} does not exist (no row in pipeline_runs with id={run_id})")
    return row


def mark_stages(
    connection: Connection, run_id: int, *, completed: str | None, cleared: Sequence[str], counters: Mapping[str, int]
) -> None:
    """Inside the transaction that writes a stage: the stage is complete, the ``cleared`` stages (and the
    rewritten one) lose their completion and their check outcomes, and the counters take their values."""
    state = _locked_state(connection, run_id)
    gone = {*cleared, *([completed] if completed else [])}
    stages = [stage for stage in (state["completed_stages"] or []) if stage not in gone]
    if completed:
        stages.append(completed)
    results = {name: outcome for name, outcome in (state["check_results"] or {}).items() if name.split(":")[0] not in gone}
    connection.execute(
        update(pipeline_runs)
        .where(pipeline_runs.c.id == run_id)
        .values(completed_stages=stages, check_results=results, **counters)
    )


PIPELINE_STAGES = ("conversations", "classifications", "themes", "stories")
"""The stages (assets) in pipeline order; each rewrite of one clears those after it."""


def stages_to_resume(run: RunRecord, blocking_checks: Mapping[str, Sequence[str]]) -> list[str]:
    """What ``resume`` materialises: from the first stage whose rows are not completely written, or whose
    blocking checks have not all passed since they were written, to the last stage. Empty: nothing to do."""
    for position, stage in enumerate(PIPELINE_STAGES):
        checked = all(run.check_results.get(f"{stage}:{check}") == "passed" for check in blocking_checks.get(stage, ()))
        if stage not in run.completed_stages or not checked:
            return list(PIPELINE_STAGES[position:])
    return []
