"""Pruning old pipeline runs from Dagster: the ``prune_pipeline_runs`` job (one op) and the ``prune_old_runs``
schedule (daily, **off by default**). Wiring only: the work is ``storage.pruning.prune_runs``, the same
function as ``feedback-assets prune``.

Each pruned run's dynamic partition (``pipeline_runs``) is deleted right after the run's transaction
commits (``prune_and_forget``). Should that fail (or the process die between the two), the partition names
no run any more, and the ``pending_runs`` sensor (on by default) removes such partitions on its next tick.

Launch it from the Launchpad with::

    ops:
      prune_runs:
        config:
          older_than_days: 90
          keep_latest: 1
          dry_run: false
"""


import os  # no `from __future__ import annotations`: Dagster resolves the config annotation
from datetime import timedelta
from typing import Callable

import dagster as dg
from pydantic import Field

from feedback_assets.defs.partitions import PIPELINE_RUNS
from feedback_assets.defs.resources import FeedbackDatabase
from feedback_assets.reporting import markdown_table
from feedback_assets.storage.pruning import PRUNED_TABLES, PrunedRun, PruneReport, prune_runs

PRUNE_JOB_NAME = "prune_pipeline_runs"
PRUNE_OP_NAME = "prune_runs"
PRUNE_SCHEDULE_NAME = "prune_old_runs"
DEFAULT_OLDER_THAN_DAYS = 90
OLDER_THAN_DAYS_ENV = "FEEDBACK_PRUNE_OLDER_THAN_DAYS"
"""The schedule's age in days (default ``DEFAULT_OLDER_THAN_DAYS``), read at each tick."""
MAX_OLDER_THAN_DAYS = 36_500
"""A hundred years: more is surely a typo (and a date before year 1 cannot be computed)."""


def forget_partition(instance: dg.DagsterInstance, run: PrunedRun) -> str | None:
    """Delete a pruned run's dynamic partition; ``None`` when done, else why not (the ``pending_runs`` sensor
    removes a partition naming no run later)."""
    key = str(run.run_id)
    try:
        if instance.has_dynamic_partition(PIPELINE_RUNS, key):
            instance.delete_dynamic_partition(PIPELINE_RUNS, key)
    except Exception as error:  # noqa: BLE001 - the run is gone either way; the sensor finishes the job
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return (
            f"partition {key} stays in Dagster for now ({reason}); the pending_runs sensor removes "
            "partitions that name no pipeline run"
        )
    return None


def prune_and_forget(
    instance: dg.DagsterInstance,
    engine,
    *,
    older_than: timedelta,
    dry_run: bool = False,
    keep_latest: int = 1,
    say: Callable[[str], None] = print,
    warn: Callable[[str], None] | None = None,
) -> PruneReport:
    """``prune_runs`` with each pruned run's partition deleted right after its commit; ``say`` gets one line
    per run pruned (or, dry, that would be) and per failure; ``warn`` a partition left behind."""
    warn = warn or say

    def pruned(run: PrunedRun) -> None:
        say(run.line())
        problem = forget_partition(instance, run)
        if problem:
            warn(problem)

    report = prune_runs(
        engine,
        older_than=older_than,
        dry_run=dry_run,
        keep_latest=keep_latest,
        on_pruned=None if dry_run else pruned,
    )
    if dry_run:
        for run in report.pruned:
            say(run.line(dry_run=True))
    for failure in report.failed:
        warn(failure.line())
    return report


class PruneConfig(dg.Config):
    older_than_days: int = Field(
        default=DEFAULT_OLDER_THAN_DAYS,
        description="prune runs that ended (else were created) more than this many days ago",
    )
    keep_latest: int = Field(
        default=1, description="latest succeeded runs of each source that always stay (0: none)"
    )
    dry_run: bool = Field(default=False, description="report what would go and change nothing")


def _report_metadata(report: PruneReport) -> dict:
    totals = report.rows_removed
    rows = [
        (
            run.run_id,
            run.status,
            f"{run.ended_at:%Y-%m-%d}",
            *(f"{run.rows.get(table, 0):,}" for table in PRUNED_TABLES),
        )
        for run in report.pruned
    ]
    table = markdown_table(["run", "status", "ended", *PRUNED_TABLES], rows) if rows else "No run pruned."
    return {
        "summary": dg.MetadataValue.text(report.summary()),
        "runs": dg.MetadataValue.md(table),
        "runs_pruned": len(report.pruned),
        "rows_removed": sum(totals.values()),
        **{f"{table}_removed": count for table, count in totals.items()},
        "runs_kept": len(report.kept),
        **{f"kept_{reason}": len(ids) for reason, ids in report.kept_by_reason().items()},
        "runs_failed": len(report.failed),
        "dry_run": report.dry_run,
    }


@dg.op(
    name=PRUNE_OP_NAME,
    description=(
        "Remove pipeline runs older than older_than_days with all their rows and their partition, one "
        "transaction per run (never pending, running or held runs); their per-issue counts stay for "
        "story_trends."
    ),
)
def prune_runs_op(
    context: dg.OpExecutionContext, config: PruneConfig, database: FeedbackDatabase
) -> dg.Output[dict]:
    from feedback_assets.defs.runs import reconcile_runs

    if not 1 <= config.older_than_days <= MAX_OLDER_THAN_DAYS:
        raise dg.Failure(
            description=(
                f"older_than_days must be between 1 and {MAX_OLDER_THAN_DAYS:,}, got {config.older_than_days}"
            )
        )
    if config.keep_latest < 0:
        raise dg.Failure(description=f"keep_latest must not be negative, got {config.keep_latest}")
    engine = database.get_engine()
    # As every feedback-assets command does first: a run whose writer died is settled, not left running.
    for run in reconcile_runs(context.instance, engine):
        context.log.info(f"settled pipeline run {run.id}: {run.status}")
    report = prune_and_forget(
        context.instance,
        engine,
        older_than=timedelta(days=config.older_than_days),
        dry_run=config.dry_run,
        keep_latest=config.keep_latest,
        say=context.log.info,
        warn=context.log.warning,
    )
    context.log.info(report.summary())
    metadata = _report_metadata(report)
    if report.failed:
        raise dg.Failure(
            description="; ".join(failure.line() for failure in report.failed),
            metadata={name: value for name, value in metadata.items() if name != "runs"},
        )
    return dg.Output(
        {"pruned": [run.run_id for run in report.pruned], "kept": [run.run_id for run in report.kept]},
        metadata=metadata,
    )


@dg.job(
    name=PRUNE_JOB_NAME,
    description=(
        "Prune old pipeline runs: rows and partitions of runs older than older_than_days (default "
        f"{DEFAULT_OLDER_THAN_DAYS}), one transaction per run; story_trends keeps their counts."
    ),
)
def prune_pipeline_runs():
    prune_runs_op()


def schedule_run_config() -> dict:
    """The schedule's run config: ``older_than_days`` from FEEDBACK_PRUNE_OLDER_THAN_DAYS, else the
    default."""
    configured = os.environ.get(OLDER_THAN_DAYS_ENV, "").strip()
    days = DEFAULT_OLDER_THAN_DAYS
    if configured:
        try:
            days = int(configured)
        except ValueError:
            days = 0
        if not 1 <= days <= MAX_OLDER_THAN_DAYS:
            raise ValueError(
                f"{OLDER_THAN_DAYS_ENV} must be a whole number of days from 1 to {MAX_OLDER_THAN_DAYS:,}, "
                f"got {configured!r}"
            )
    return {"ops": {PRUNE_OP_NAME: {"config": {"older_than_days": days}}}}


@dg.schedule(
    name=PRUNE_SCHEDULE_NAME,
    job=prune_pipeline_runs,
    cron_schedule="30 3 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description=(
        f"Daily at 03:30 UTC: prune pipeline runs older than ${OLDER_THAN_DAYS_ENV} days (default "
        f"{DEFAULT_OLDER_THAN_DAYS}) with their rows and partitions. Off by default: turn it on in the UI."
    ),
)
def prune_old_runs(context: dg.ScheduleEvaluationContext):
    try:
        run_config = schedule_run_config()
    except ValueError as error:
        return dg.SkipReason(str(error))
    return dg.RunRequest(run_config=run_config)


jobs = (prune_pipeline_runs,)
schedules = (prune_old_runs,)
