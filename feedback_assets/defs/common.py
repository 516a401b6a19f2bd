"""What every partitioned asset and check does first: validate the partition key against the database and
keep the run's lifecycle true (pending/failed/succeeded → running, stamped with the Dagster run id)."""

from __future__ import annotations

import os
import socket
import time
from contextlib import contextmanager
from typing import Any, Iterator

import dagster as dg
from sqlalchemy import Engine

from feedback_assets import settings
from feedback_assets.storage import RunRecord, StorageError, get_run, leases, update_run, validate_partition_key


def _database_kind() -> str:
    url = os.environ.get(settings.DATABASE_URL_ENV, "").strip().lower()
    return "postgres" if url.startswith("postgres") else "sqlite"


ASSET_KINDS = {"python", _database_kind()}
"""Shown on the asset graph: where the stage's table lives."""


def resolve_partition(engine: Engine, partition_key: str | None) -> RunRecord:
    """The run a partition key names, or a ``dg.Failure`` naming the bad key (nothing read or written)."""
    try:
        return get_run(engine, validate_partition_key(engine, partition_key))
    except StorageError as error:
        raise dg.Failure(description=f"partition {partition_key!r}: {error}", allow_retries=False) from error


WORKER_HOST_TAG = "feedback/worker_host"
WORKER_PID_TAG = "feedback/worker_pid"
RUN_LEASE_TAG = "feedback/run_lease"
"""Set to ``orchestrator`` when the run's orchestrating process holds the lease and its steps, in other
processes, join it (multiprocess and Celery executors)."""


def worker_tags() -> dict[str, str]:
    """This process as a Dagster run's worker: where `feedback-assets cancel` finds it and how a later command
    tells that it died."""
    return {WORKER_HOST_TAG: socket.gethostname(), WORKER_PID_TAG: str(os.getpid())}


def dagster_run_finished(instance: dg.DagsterInstance, dagster_run_id: str | None) -> bool:
    dagster_run = instance.get_run_by_id(dagster_run_id) if dagster_run_id else None
    return dagster_run is None or dagster_run.is_finished


def partition_busy(engine: Engine, run: RunRecord, still: str = "is being written by Dagster run {holder}") -> dg.Failure:
    """The refusal of a second writer: names the holder, says nothing changed and what to do."""
    holder = get_run(engine, run.id).dagster_run_id
    return dg.Failure(
        description=(
            f"partition {run.partition_key} (pipeline run {run.id}) {still.format(holder=holder or '(starting)')}; "
            f"nothing was changed. Wait for that run to end, or stop it with `feedback-assets cancel {run.id}`"
        ),
        metadata={"holder_dagster_run_id": holder or ""},
        allow_retries=False,
    )


def _orchestrator_holds_lease(context: dg.AssetExecutionContext) -> bool:
    # Read from the instance: a multiprocess step's copy of the run predates the orchestrator's tag.
    stored = context.instance.get_run_by_id(context.run.run_id)
    return stored is not None and stored.tags.get(RUN_LEASE_TAG) == "orchestrator"


def hold_partition(
    instance: dg.DagsterInstance, engine: Engine, run: RunRecord, dagster_run: dg.DagsterRun, tags: dict[str, str]
) -> RunRecord:
    """Take the partition's lease for ``dagster_run`` (refused at once, naming the holder, unless the holder's
    Dagster run has finished), mark the pipeline run ``running`` under it and tag the Dagster run with where
    its writer is (``tags``: `feedback-assets cancel` and the interruption check read them)."""
    me = dagster_run.run_id
    try:
        leases.acquire(engine, run.id, me, may_take_over=lambda previous: dagster_run_finished(instance, previous))
    except leases.PartitionBusy:
        raise partition_busy(engine, run) from None
    if run.status != "running" or run.dagster_run_id != me:
        run = update_run(engine, run.id, status="running", dagster_run_id=me)
    if any(dagster_run.tags.get(tag) != value for tag, value in tags.items()):
        instance.add_run_tags(me, tags)
    return run


def start_run_step(context: dg.AssetExecutionContext, engine: Engine) -> RunRecord:
    """Validate the partition, take its lease (one writer per partition: refused at once, naming the Dagster
    run that holds it) and mark its pipeline run ``running`` under this Dagster run. A step in its own
    process joins the lease its run's orchestrator holds (``RUN_LEASE_TAG``)."""
    run = resolve_partition(engine, context.partition_key)
    me = context.run.run_id
    if leases.holder_in_this_process(engine, run.id) != me and _orchestrator_holds_lease(context):
        if run.dagster_run_id != me:
            raise partition_busy(engine, run)  # another Dagster run took the partition over
        leases.join(engine, run.id, me)
        context.log.debug(f"pipeline run {run.id}: step in process {os.getpid()} on {socket.gethostname()}")
        return run
    run = hold_partition(context.instance, engine, run, context.run, worker_tags())
    context.log.debug(f"pipeline run {run.id}: source={run.source} engine={run.engine} batch_size={run.batch_size}")
    return run


def run_is_stopping(instance: dg.DagsterInstance, dagster_run_id: str) -> bool:
    """True once somebody asked Dagster to terminate this run (engines poll it to stop promptly)."""
    dagster_run = instance.get_run_by_id(dagster_run_id)
    return dagster_run is not None and dagster_run.status in (
        dg.DagsterRunStatus.CANCELING,
        dg.DagsterRunStatus.CANCELED,
    )


def stop_requested(context: dg.AssetExecutionContext):
    """The ``should_stop`` callable an engine polls during a step."""
    instance, dagster_run_id = context.instance, context.run.run_id
    return lambda: run_is_stopping(instance, dagster_run_id)


def preflight_engine(context: dg.AssetExecutionContext, engines, run: RunRecord) -> dict[str, Any]:
    """For a run on the Claude engine: the engine's preflight (key, prices, each model exists, deprecations)
    before anything is fetched or written. Errors fail the step with one line naming the settings;
    deprecation notices go to the log and into the returned step metadata. Other engines: nothing."""
    if engines.engine_for(run.engine) != "anthropic":
        return {}
    report = engines.preflight()
    for warning in report.warnings:
        context.log.warning(f"engine preflight: {warning}")
    metadata: dict[str, Any] = {"engine_preflight": dg.MetadataValue.text(report.summary())}
    if report.warnings:
        metadata["engine_warnings"] = dg.MetadataValue.md("\n".join(f"- {w}" for w in report.warnings))
    if not report.ok:
        raise dg.Failure(
            description=f"engine preflight for pipeline run {run.id} failed: {report.summary()}",
            metadata=metadata,
            allow_retries=False,
        )
    context.log.info(f"engine preflight: {report.summary()} ({report.calls} model checks)")
    return metadata


@contextmanager
def engine_errors_fail_the_step(stage: str, run_id: int) -> Iterator[None]:
    """Errors that no retry will fix (rejected credentials) fail the step at once with the engine's own
    message, which names the setting to change and never the secret."""
    from feedback_assets.engines.anthropic.errors import EngineAuthError, EngineStopped

    try:
        yield
    except EngineAuthError as error:
        raise dg.Failure(description=f"{stage} for pipeline run {run_id}: {error}", allow_retries=False) from None
    except EngineStopped as error:
        raise dg.Failure(description=f"{stage} for pipeline run {run_id} stopped: {error}", allow_retries=False) from None


class StepTimer:
    """Wall time spent inside the asset's ``with timer.measure():`` blocks — reading, the engine, writing —
    reported as the ``compute_seconds`` metadata. It does not cover the whole asset function: partition
    validation (``start_run_step``), the failure-share check and metadata building happen outside the
    blocks. The benchmarks (``benchmarks/dagster_timing.py``) time whole functions and Dagster steps
    themselves and do not rely on it."""

    def __init__(self) -> None:
        self.seconds = 0.0

    @contextmanager
    def measure(self) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds += time.perf_counter() - started


def fail_if_silent_zero(stage: str, produced: int, expected_inputs: int, run_id: int) -> None:
    """Invariant 5: a stage that produced nothing while its input had work for it fails loudly — and
    before writing, so the partition keeps its previous rows."""
    if produced == 0 and expected_inputs > 0:
        raise dg.Failure(
            description=(
                f"{stage} for pipeline run {run_id} produced 0 rows from {expected_inputs} input rows; "
                "nothing was written (the partition keeps its previous rows)"
            ),
            metadata={"expected_inputs": expected_inputs},
        )
