"""Pipeline runs in Dagster: the job over the four assets, the sensors that launch and create runs, and
the reconciliation that keeps ``pipeline_runs.status`` true whatever launched the run.

* ``pending_runs`` — each ``pending`` row gets its partition and one launch of the job (``run_key`` = the
  run id, so a tick that crashes halfway and is retried never launches a run twice).
* ``new_conversations`` — asks the configured source how many conversations are newer than the last
  run's window; at ``new_conversations_threshold`` it creates a pending run for the next window. The
  window start comes from the database, not the cursor, so a crash between creating the run and saving
  the cursor cannot create a second run.
* ``pipeline_run_status`` — looks at the latest Dagster run of every pending/running pipeline run and
  copies its outcome (succeeded / failed with the error / canceled) onto ``pipeline_runs``; nothing stays
  ``running`` after its Dagster run ended, including terminated runs and crashed steps. A Dagster run that
  Dagster still calls in progress while no process holds its partition's lease (``storage.leases``: the
  database server or the kernel drops it when the writer dies) was interrupted: it is marked failed in
  Dagster and on ``pipeline_runs`` with that cause. Every ``feedback-assets`` command does the same first.
"""


import re
import time
from datetime import datetime, timezone
from typing import Iterable

import dagster as dg
from sqlalchemy import Engine, func, select

from feedback_assets.defs.classify import classifications
from feedback_assets.defs.ingest import conversations
from feedback_assets.defs.partitions import PIPELINE_RUNS, pipeline_runs_partitions
from feedback_assets.defs.resources import EngineSettings, FeedbackDatabase, SourceSettings
from feedback_assets.defs.stories import stories
from feedback_assets.defs.themes import themes
from feedback_assets.sources import SourceFailure
from feedback_assets.storage import RunRecord, create_run, get_run, leases, list_runs, update_run
from feedback_assets.storage.schema import pipeline_runs

PIPELINE_ASSETS = (conversations, classifications, themes, stories)
PIPELINE_JOB_NAME = "feedback_pipeline"
RUN_TAG = "feedback/pipeline_run_id"

feedback_pipeline = dg.define_asset_job(
    PIPELINE_JOB_NAME,
    selection=dg.AssetSelection.assets(*PIPELINE_ASSETS),  # includes their checks; partitioned like them
    # The stages are a chain: one process per run avoids a process start (≈1.4 s here) per step and check.
    executor_def=dg.in_process_executor,
    description="conversations → classifications → themes → stories for one pipeline run, with checks.",
)

feedback_checks = dg.define_asset_job(
    "feedback_checks",
    selection=dg.AssetSelection.checks_for_assets(*PIPELINE_ASSETS),
    executor_def=dg.in_process_executor,
    description=(
        "Re-evaluates every asset check of one partition without re-materialising it "
        "(launch with the tag dagster/partition=<run id>)."
    ),
)

_FINAL = {
    dg.DagsterRunStatus.SUCCESS: "succeeded",
    dg.DagsterRunStatus.FAILURE: "failed",
    dg.DagsterRunStatus.CANCELED: "canceled",
}


def _failure_text(instance: dg.DagsterInstance, dagster_run_id: str) -> str:
    """The step failures and failed blocking checks of a Dagster run, in one readable line each."""
    lines: list[str] = []
    for record in instance.all_logs(dagster_run_id, of_type=dg.DagsterEventType.STEP_FAILURE):
        event = record.dagster_event
        error = event.step_failure_data.error if event and event.step_failure_data else None
        message = error.message.strip() if error else record.message
        # "dagster._core.definitions.events.Failure: <what happened>" → "<what happened>"
        message = re.sub(r"^[\w.]*\.(?:\w*Error|Failure|\w*Exception): ", "", message)
        step = event.step_key if event else "step"
        lines.append(message if message.startswith(step) else f"{step}: {message}")
    if not lines:
        for record in instance.all_logs(dagster_run_id, of_type=dg.DagsterEventType.RUN_FAILURE):
            lines.append(record.message or "run failed")
    return "\n".join(lines)[:4000] or "the Dagster run failed"


def failed_checks(instance: dg.DagsterInstance, dagster_run_id: str) -> list[str]:
    names = []
    for record in instance.all_logs(dagster_run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION):
        evaluation = record.dagster_event.event_specific_data
        if not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.ERROR:
            names.append(evaluation.asset_check_key.name)
    return names


def settle_run(instance: dg.DagsterInstance, engine: Engine, run: RunRecord, dagster_run: dg.DagsterRun) -> RunRecord | None:
    """Copy a finished Dagster run's outcome onto its pipeline run; ``None`` while it is still going."""
    status = _FINAL.get(dagster_run.status)
    if status is None:
        return None
    error = None
    if status == "succeeded":
        checks = failed_checks(instance, dagster_run.run_id)
        if checks:
            status, error = "failed", f"asset checks failed: {', '.join(sorted(checks))}"
    elif status == "failed":
        error = _failure_text(instance, dagster_run.run_id)
    else:
        # `feedback-assets cancel` says so when it asks the run to stop; anything else stopped it from Dagster.
        asked = instance.all_logs(
            dagster_run.run_id, of_type={dg.DagsterEventType.RUN_CANCELING, dg.DagsterEventType.RUN_CANCELED}
        )
        reasons = [record.message for record in asked if "feedback-assets cancel" in (record.message or "")]
        error = reasons[-1] if reasons else "terminated from Dagster"
    if run.status == status and run.dagster_run_id == dagster_run.run_id:
        return run
    if run.dagster_run_id and run.dagster_run_id != dagster_run.run_id and run.status != "pending":
        return None  # another Dagster run wrote this partition (this one was refused or is older)
    if run.status == "pending" and status == "succeeded":
        return None  # the Dagster run did not materialise this partition's assets; nothing to claim
    if run.status not in ("pending", "running"):
        update_run(engine, run.id, status="running", dagster_run_id=dagster_run.run_id)
    return update_run(engine, run.id, status=status, error=error, dagster_run_id=dagster_run.run_id)


def latest_dagster_run(instance: dg.DagsterInstance, partition_key: str) -> dg.DagsterRun | None:
    runs = instance.get_runs(filters=dg.RunsFilter(tags={"dagster/partition": partition_key}), limit=1)
    return runs[0] if runs else None


INTERRUPTED = (
    "interrupted: the process running Dagster run {dagster_run_id} stopped before the run ended (killed, "
    "crashed, or its machine or database connection went away); `feedback-assets resume {run_id}` completes it"
)

LEASE_CONFIRM_SECONDS = 1.0
"""A finishing run gives its lease back a moment before Dagster records its end: look twice."""


def settle_if_interrupted(instance: dg.DagsterInstance, engine: Engine, run: RunRecord) -> RunRecord | None:
    """A running pipeline run whose Dagster run is still in progress for Dagster but whose partition lease
    nobody holds lost its writer: mark the Dagster run failed with that cause, and the pipeline run too."""
    if run.status != "running" or not run.dagster_run_id:
        return None
    dagster_run = instance.get_run_by_id(run.dagster_run_id)
    if dagster_run is None or dagster_run.is_finished or leases.is_held(engine, run.id):
        return None
    time.sleep(LEASE_CONFIRM_SECONDS)
    dagster_run = instance.get_run_by_id(run.dagster_run_id)
    if dagster_run is None or dagster_run.is_finished or leases.is_held(engine, run.id):
        return None
    instance.report_run_failed(
        dagster_run, message=INTERRUPTED.format(dagster_run_id=dagster_run.run_id, run_id=run.id)
    )
    return settle_run(instance, engine, get_run(engine, run.id), instance.get_run_by_id(dagster_run.run_id))


def reconcile_runs(instance: dg.DagsterInstance, engine: Engine) -> list[RunRecord]:
    """Settle every pending/running pipeline run whose latest Dagster run has finished or was interrupted."""
    settled = []
    for run in list_runs(engine, status="running"):
        result = settle_if_interrupted(instance, engine, run)
        if result is not None:
            settled.append(result)
    for run in list_runs(engine, status="running") + list_runs(engine, status="pending"):
        # The Dagster run an asset stamped on the row; for a run that never started (e.g. its launch
        # failed), the latest Dagster run of its partition.
        dagster_run = instance.get_run_by_id(run.dagster_run_id) if run.dagster_run_id else None
        dagster_run = dagster_run or latest_dagster_run(instance, run.partition_key)
        if dagster_run is None:
            continue
        result = settle_run(instance, engine, run, dagster_run)
        if result is not None and result.status != run.status:
            settled.append(result)
    return settled


@dg.sensor(
    job=feedback_pipeline,
    minimum_interval_seconds=15,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Launches the pipeline for every pending pipeline run (adds its partition first).",
)
def pending_runs(context: dg.SensorEvaluationContext, database: FeedbackDatabase) -> dg.SensorResult:
    engine = database.get_engine()
    pending = sorted(list_runs(engine, status="pending"), key=lambda run: run.id)
    keys = [run.partition_key for run in pending]
    missing = [key for key in keys if not context.instance.has_dynamic_partition(PIPELINE_RUNS, key)]
    return dg.SensorResult(
        run_requests=[
            dg.RunRequest(run_key=key, partition_key=key, tags={RUN_TAG: key}) for key in keys
        ],
        dynamic_partitions_requests=[pipeline_runs_partitions.build_add_request(missing)] if missing else [],
    )


def last_window_end(engine: Engine, source: str) -> datetime | None:
    with engine.connect() as connection:
        value = connection.execute(
            select(func.max(pipeline_runs.c.window_end)).where(pipeline_runs.c.source == source)
        ).scalar()
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value


def plan_new_run(
    engine: Engine, sources: SourceSettings, engines: EngineSettings, *, now: datetime | None = None
) -> tuple[RunRecord | None, str]:
    """Create a pending run over (last window end, now] when enough conversations wait; say why not else."""
    source_name = sources.default_source
    after = last_window_end(engine, source_name)
    source = sources.build(source_name)
    waiting = source.count_new(after)
    if waiting < sources.new_conversations_threshold:
        return None, f"{waiting} new conversation(s) since {after.isoformat() if after else 'the beginning'}; waiting for {sources.new_conversations_threshold}"
    run = create_run(
        engine,
        source=source_name,
        trigger="sensor",
        window_start=after,
        window_end=now or datetime.now(timezone.utc),
        engine=engines.default_engine,
        source_params={**source.describe(), "new_conversations": waiting},
    )
    return run, f"created pipeline run {run.id} for {waiting} new conversation(s)"


@dg.sensor(
    minimum_interval_seconds=300,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="Creates a pending pipeline run when enough new conversations wait in the configured source.",
)
def new_conversations(
    context: dg.SensorEvaluationContext,
    database: FeedbackDatabase,
    sources: SourceSettings,
    engines: EngineSettings,
) -> dg.SkipReason | dg.SensorResult:
    engine = database.get_engine()
    try:
        run, reason = plan_new_run(engine, sources, engines)
    except SourceFailure as error:
        return dg.SkipReason(f"source {sources.default_source!r} unavailable: {error}")
    if run is None:
        return dg.SkipReason(reason)
    context.log.info(reason)
    # The pending_runs sensor launches it; the cursor only records what this sensor did last.
    return dg.SensorResult(cursor=str(run.id))


@dg.sensor(
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Copies finished Dagster runs' outcomes onto pipeline_runs (succeeded / failed / canceled).",
)
def pipeline_run_status(context: dg.SensorEvaluationContext, database: FeedbackDatabase) -> dg.SkipReason:
    settled = reconcile_runs(context.instance, database.get_engine())
    return dg.SkipReason(
        "; ".join(f"run {run.id} → {run.status}" for run in settled) if settled else "nothing to settle"
    )


sensors: Iterable[dg.SensorDefinition] = (pending_runs, new_conversations, pipeline_run_status)
