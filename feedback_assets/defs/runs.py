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


import hashlib
import os
import re
import socket
import time
from datetime import datetime, timezone
from typing import Any, Iterable

import dagster as dg
from sqlalchemy import Engine, select

from feedback_assets.command_line import without_exception_class
from feedback_assets.defs.classify import classifications
from feedback_assets.defs.common import WORKER_HOST_TAG, WORKER_PID_TAG
from feedback_assets.defs.executors import free_pool_slots, pipeline_executor
from feedback_assets.defs.ingest import conversations
from feedback_assets.defs.new_runs import run_tags
from feedback_assets.defs.partitions import PIPELINE_RUNS, pipeline_runs_partitions
from feedback_assets.defs.resources import EngineSettings, FeedbackDatabase, SourceSettings
from feedback_assets.defs.stories import stories
from feedback_assets.defs.themes import themes
from feedback_assets.defs.trends import story_trends
from feedback_assets.sources import SourceFailure
from feedback_assets.storage import RunRecord, create_run, get_run, leases, list_runs, update_run
from feedback_assets.storage.schema import pipeline_runs

PIPELINE_ASSETS = (conversations, classifications, themes, stories)
PIPELINE_JOB_NAME = "feedback_pipeline"

feedback_pipeline = dg.define_asset_job(
    PIPELINE_JOB_NAME,
    selection=dg.AssetSelection.assets(*PIPELINE_ASSETS),  # includes their checks; partitioned like them
    # FEEDBACK_EXECUTOR; by default in-process: the stages are a chain, and one process per run avoids a
    # process start (≈1.4 s here) per step and check. Celery spreads many runs' steps over workers.
    executor_def=pipeline_executor(),
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


_WORKER_STEP_ERROR = re.compile(r"^\[(?P<step>[^\]]+)\]: (?P<error>.*)$")


def _executor_error(message: str) -> str:
    """An executor's error in one line per step: ``classifications: Worker exited prematurely: signal 9
    (SIGKILL) — a worker process died during the step``, or the message's own text."""
    text = message.split("Stack Trace:")[0]
    steps = []
    for line in text.splitlines():
        found = _WORKER_STEP_ERROR.match(line.strip())
        if found:
            error = re.sub(r"\s*Job: \d+\.?$", "", without_exception_class(found["error"], anywhere=True))
            if "Worker exited prematurely" in error:
                error += " — the Celery worker process running the step died"
            steps.append(f"{found['step']}: {error}")
    if steps:
        return "\n".join(steps)
    return " ".join(without_exception_class(line, anywhere=True) for line in text.splitlines() if line.strip())


def _failure_text(instance: dg.DagsterInstance, dagster_run_id: str) -> str:
    """The step failures and failed blocking checks of a Dagster run, in one readable line each."""
    lines: list[str] = []
    for record in instance.all_logs(dagster_run_id, of_type=dg.DagsterEventType.STEP_FAILURE):
        event = record.dagster_event
        error = event.step_failure_data.error if event and event.step_failure_data else None
        message = error.message.strip() if error else record.message
        root = error
        while root is not None and root.cause is not None:
            root = root.cause
        if root is not None and root is not error:
            # Dagster's wrapper ("Error occurred while executing op …") hides what happened: add the cause.
            cause = root.message.strip().splitlines()[0] if root.message.strip() else root.cls_name
            message = f"{message.rstrip(':')}: {cause}"
        # "dagster._core.definitions.events.Failure: <what happened>" → "<what happened>"
        message = without_exception_class(message)
        step = event.step_key if event else "step"
        lines.append(message if message.startswith(step) else f"{step}: {message}")
    if not lines:
        for record in instance.all_logs(dagster_run_id, of_type=dg.DagsterEventType.RUN_FAILURE):
            # The executor's own error (it refused the partition, a Celery worker process died): its message
            # says what happened; Dagster's wording around it does not.
            error = getattr(record.dagster_event.event_specific_data, "error", None) if record.dagster_event else None
            reason = _executor_error(error.message if error else "")
            lines.append(reason or record.message or "run failed")
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


def _worker_gone(dagster_run: dg.DagsterRun) -> bool:
    """The process a Dagster run names as its worker (tags set by ``feedback-assets`` and by every step) ran
    on this machine and no longer exists. Unknown (another machine, no tags): ``False``."""
    pid = dagster_run.tags.get(WORKER_PID_TAG)
    if not pid or dagster_run.tags.get(WORKER_HOST_TAG) != socket.gethostname():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, ValueError):
        return False
    return False


def settle_if_interrupted(instance: dg.DagsterInstance, engine: Engine, run: RunRecord) -> RunRecord | None:
    """A pipeline run whose Dagster run is still in progress for Dagster but lost its writer: mark the Dagster
    run failed with that cause, and the pipeline run too. Lost means: a ``running`` run whose partition lease
    nobody holds, or a ``pending`` one whose Dagster run started in a process of this machine that is gone
    (killed before its first step took the lease)."""
    if run.status == "running" and run.dagster_run_id:
        dagster_run = instance.get_run_by_id(run.dagster_run_id)

        def lost(candidate: dg.DagsterRun | None) -> bool:
            return candidate is not None and not candidate.is_finished and not leases.is_held(engine, run.id)
    elif run.status == "pending":
        dagster_run = latest_dagster_run(instance, run.partition_key)

        def lost(candidate: dg.DagsterRun | None) -> bool:
            return candidate is not None and not candidate.is_finished and _worker_gone(candidate)
    else:
        return None
    if not lost(dagster_run):
        return None
    time.sleep(LEASE_CONFIRM_SECONDS)
    dagster_run = instance.get_run_by_id(dagster_run.run_id)
    if not lost(dagster_run):
        return None
    instance.report_run_failed(
        dagster_run, message=INTERRUPTED.format(dagster_run_id=dagster_run.run_id, run_id=run.id)
    )
    free_pool_slots(instance, dagster_run.run_id)  # its step died holding them
    return settle_run(instance, engine, get_run(engine, run.id), instance.get_run_by_id(dagster_run.run_id))


def interrupted_pending(instance: dg.DagsterInstance, engine: Engine) -> list[RunRecord]:
    return [settled for run in list_runs(engine, status="pending") if (settled := settle_if_interrupted(instance, engine, run))]


def reconcile_runs(instance: dg.DagsterInstance, engine: Engine) -> list[RunRecord]:
    """Settle every pending/running pipeline run whose latest Dagster run has finished or was interrupted."""
    settled = []
    for run in list_runs(engine, status="running"):
        result = settle_if_interrupted(instance, engine, run)
        if result is not None:
            settled.append(result)
    settled += interrupted_pending(instance, engine)
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


def launch_requests(
    instance: dg.DagsterInstance, runs: Iterable[RunRecord]
) -> tuple[list[dg.RunRequest], list[dg.AddDynamicPartitionsRequest]]:
    """One launch per pending run (``run_key`` = its id: a retried tick never launches twice), tagged with
    what the run is, and the partitions that do not exist yet."""
    runs = sorted(runs, key=lambda run: run.id)
    missing = [run.partition_key for run in runs if not instance.has_dynamic_partition(PIPELINE_RUNS, run.partition_key)]
    requests = [dg.RunRequest(run_key=run.partition_key, partition_key=run.partition_key, tags=run_tags(run)) for run in runs]
    return requests, [pipeline_runs_partitions.build_add_request(missing)] if missing else []


def orphan_partitions(instance: dg.DagsterInstance, engine: Engine) -> list[str]:
    """Partitions added by hand that name no pipeline run ("7" with no row 7, "december-export")."""
    keys = instance.get_dynamic_partitions(PIPELINE_RUNS)
    known = {str(run.id) for run in list_runs(engine)}
    return [key for key in keys if key not in known]


@dg.sensor(
    job=feedback_pipeline,
    minimum_interval_seconds=15,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description=(
        "Launches the pipeline for every pending pipeline run (adds its partition first), and removes "
        "partitions added by hand that name no pipeline run."
    ),
)
def pending_runs(context: dg.SensorEvaluationContext, database: FeedbackDatabase) -> dg.SensorResult:
    engine = database.get_engine()
    # Runs the new_conversations sensor created are launched by that sensor (its tick shows them).
    pending = [run for run in list_runs(engine, status="pending") if run.trigger != "sensor"]
    requests, additions = launch_requests(context.instance, pending)
    orphans = orphan_partitions(context.instance, engine)
    for key in orphans:
        context.log.warning(
            f"removed partition {key!r}: it names no pipeline run. Create runs with the create_pipeline_run job "
            "(launchpad) or `feedback-assets run`; a run's partition is added with it"
        )
    return dg.SensorResult(
        run_requests=requests,
        dynamic_partitions_requests=additions + ([pipeline_runs_partitions.build_delete_request(orphans)] if orphans else []),
    )


def covered_until(engine: Engine, source: str, params: dict | None) -> datetime | None:
    """How far earlier runs of this source (same path, for files) reached on ``updated_at``: a run covers up
    to its window end, or up to when it was created when it had no end. ``None``: nothing covered yet."""
    path = (params or {}).get("path")
    reach = None
    with engine.connect() as connection:
        rows = connection.execute(
            select(pipeline_runs.c.window_end, pipeline_runs.c.created_at, pipeline_runs.c.source_params).where(
                pipeline_runs.c.source == source
            )
        )
        for window_end, created_at, source_params in rows:
            if path and (source_params or {}).get("path") not in (None, path):
                continue
            end = window_end or created_at
            if end.tzinfo is None:
                end = end.replace(tzinfo=timezone.utc)
            reach = end if reach is None or end > reach else reach
    return reach


def plan_new_run(
    engine: Engine, sources: SourceSettings, engines: EngineSettings, *, now: datetime | None = None
) -> tuple[RunRecord | None, str]:
    """Create a pending run over (covered until, now] when enough conversations no earlier run covered
    wait; say why not else."""
    source_name = sources.default_source
    source = sources.build(source_name)
    after = covered_until(engine, source_name, source.describe())
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
    job=feedback_pipeline,
    minimum_interval_seconds=300,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description=(
        "Creates and launches a pipeline run when enough conversations that no earlier run covered wait in the "
        "configured source (FEEDBACK_SOURCE: a JSONL folder or Intercom)."
    ),
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
    # Its own pending runs — the one just created, and any an interrupted tick created but never launched.
    waiting = [pending for pending in list_runs(engine, status="pending") if pending.trigger == "sensor"]
    if run is None and not waiting:
        return dg.SkipReason(reason)
    context.log.info(reason)
    requests, additions = launch_requests(context.instance, waiting)
    return dg.SensorResult(
        run_requests=requests,
        dynamic_partitions_requests=additions,
        cursor=str(run.id) if run else context.cursor,
    )


RUNS_OVERVIEW = dg.AssetSpec(
    "pipeline_runs_overview",
    group_name="feedback_pipeline",
    description=(
        "The latest pipeline runs with status, counts, cost and check outcome. Kept up to date by the "
        "pipeline_run_status sensor (a new materialisation whenever a run changes); nothing to launch."
    ),
    kinds={"python"},
)
OVERVIEW_RUNS = 50


def runs_overview(engine: Engine) -> tuple[str, dict[str, Any]]:
    """(fingerprint, metadata) of the runs overview: a table of the latest runs and figures to plot."""
    from feedback_assets.reporting import markdown_table

    runs = list_runs(engine, limit=OVERVIEW_RUNS)
    rows = [
        (
            run.id, run.status, run.trigger, describe_source(run), run.engine, run.created_at.strftime("%Y-%m-%d %H:%M"),
            run.conversations_count, run.classified_count, run.themes_count, run.stories_count,
            f"${run.estimated_cost_usd:.2f}", checks_summary(run), (run.error or "").splitlines()[0][:80] if run.error else "",
        )
        for run in runs
    ]
    table = markdown_table(
        ["run", "status", "trigger", "source", "engine", "created", "conversations", "classified", "themes",
         "stories", "cost", "checks", "error"],
        rows,
    )
    counts = {status: sum(run.status == status for run in runs) for status in ("pending", "running", "succeeded", "failed", "canceled")}
    fingerprint = repr(rows)
    metadata: dict[str, Any] = {
        "runs": dg.MetadataValue.md(table if runs else "no pipeline runs yet"),
        **{f"{status}_runs": count for status, count in counts.items()},
        "latest_run": dg.MetadataValue.text(str(runs[0].id) if runs else "-"),
    }
    return fingerprint, metadata


def describe_source(run: RunRecord) -> str:
    path = (run.source_params or {}).get("path")
    return f"{run.source} ({path.rsplit('/', 1)[-1]})" if path else run.source


def checks_summary(run: RunRecord) -> str:
    """``passed (10)``, ``FAILED: name, …`` or ``-`` when no blocking check was evaluated yet."""
    if run.failed_checks:
        return "FAILED: " + ", ".join(name.split(":", 1)[1] for name in run.failed_checks)
    return f"passed ({len(run.check_results)})" if run.check_results else "-"


@dg.sensor(
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    target=[story_trends],
    description=(
        "Copies finished Dagster runs' outcomes onto pipeline_runs (succeeded / failed / canceled), settles runs "
        "whose writer died, keeps the pipeline_runs_overview asset current, and refreshes story_trends when a "
        "run succeeds."
    ),
)
def pipeline_run_status(context: dg.SensorEvaluationContext, database: FeedbackDatabase) -> dg.SensorResult:
    engine = database.get_engine()
    settled = reconcile_runs(context.instance, engine)
    fingerprint, metadata = runs_overview(engine)
    digest = hashlib.sha256(fingerprint.encode()).hexdigest()[:16]
    changed = digest != context.cursor
    succeeded = sorted(run.id for run in settled if run.status == "succeeded")
    return dg.SensorResult(
        # A run counts in the trends once it has succeeded — known here, not when `stories` materialised.
        run_requests=[dg.RunRequest(run_key=f"trends-after-{'-'.join(map(str, succeeded))}")] if succeeded else [],
        asset_events=[dg.AssetMaterialization(RUNS_OVERVIEW.key, metadata=metadata)] if changed else [],
        cursor=digest,
        skip_reason=None if changed or succeeded else (
            "; ".join(f"run {run.id} → {run.status}" for run in settled) if settled else "nothing to settle"
        ),
    )


sensors: Iterable[dg.SensorDefinition] = (pending_runs, new_conversations, pipeline_run_status)
