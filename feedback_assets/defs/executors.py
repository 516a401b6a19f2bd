"""The pipeline job's executor, chosen by FEEDBACK_EXECUTOR: ``in_process`` (default: every step in the run's
process), ``multiprocess`` (a process per step on the run's machine) or ``celery`` (steps as Celery tasks on
``feedback-assets worker`` processes anywhere, broker FEEDBACK_CELERY_BROKER).

With a multi-process executor the run's orchestrating process holds the partition's lease for the whole run
(``RunLeaseExecutor``) and every step process joins it (``storage.leases.join``): between two steps the run is
not mistaken for an interrupted one, and a second Dagster run of the same partition is refused before any
of its steps is submitted.
"""

from __future__ import annotations

import warnings
from typing import Iterator

import dagster as dg

from feedback_assets import settings
from feedback_assets.defs.common import RUN_LEASE_TAG, hold_partition, partition_busy, resolve_partition, worker_tags
from feedback_assets.storage import leases


class RunLeaseExecutor(dg.Executor):
    """Another executor, with the partition's lease held around its whole execution."""

    def __init__(self, inner: dg.Executor):
        self._inner = inner

    @property
    def retries(self):
        return self._inner.retries

    def __getattr__(self, name):  # e.g. CeleryExecutor.app_args(), read by the Celery execution loop
        return getattr(self._inner, name)

    def execute(self, plan_context, execution_plan) -> Iterator[dg.DagsterEvent]:
        dagster_run = plan_context.dagster_run
        job_def = plan_context.job.get_definition()
        with dg.build_resources({"database": job_def.resource_defs["database"]}) as resources:
            engine = resources.database.get_engine()
        try:
            run = resolve_partition(engine, dagster_run.tags.get("dagster/partition"))
        except dg.Failure:
            # Not a pipeline run: the first step fails naming the bad partition key, as in-process.
            yield from self._inner.execute(plan_context, execution_plan)
            return
        instance = plan_context.instance
        if leases.steps_running(engine, run.id):
            # The orchestrator of an earlier Dagster run died while one of its steps still runs on a worker.
            raise partition_busy(engine, run, still="a step of Dagster run {holder} is still running on a worker")
        hold_partition(instance, engine, run, dagster_run, {**worker_tags(), RUN_LEASE_TAG: "orchestrator"})
        try:
            yield from self._inner.execute(plan_context, execution_plan)
        finally:
            leases.release(engine, run.id)
            free_pool_slots(instance, dagster_run.run_id)


def free_pool_slots(instance: dg.DagsterInstance, dagster_run_id: str) -> int:
    """Give back the pool slots a run's steps still hold. A step whose process died (a killed Celery worker
    process) never reports its end, so Dagster would keep its ``llm`` slot taken after the run ended and
    every later model-calling step would wait for it."""
    storage = instance.event_log_storage
    if not storage.supports_global_concurrency_limits:
        return 0
    return storage.free_concurrency_slots_for_run(dagster_run_id) or 0


def _with_run_lease(inner: dg.ExecutorDefinition) -> dg.ExecutorDefinition:
    return dg.ExecutorDefinition(
        name=inner.name,
        config_schema=inner.config_schema,
        requirements=dg.multiple_process_executor_requirements(),
        executor_creation_fn=lambda init_context: RunLeaseExecutor(inner.executor_creation_fn(init_context)),
        description=f"{inner.description or inner.name} — the run's process holds the partition lease",
    )


def pipeline_executor(name: str | None = None) -> dg.ExecutorDefinition:
    """The executor FEEDBACK_EXECUTOR names (``ValueError`` naming the choices for anything else)."""
    name = name or settings.executor_name()
    if name == "in_process":
        return dg.in_process_executor
    if name == "multiprocess":
        return _with_run_lease(dg.multiprocess_executor)
    from celery.exceptions import DuplicateTaskNameWarning
    from dagster_celery import celery_executor

    from feedback_assets.workers import executor_config

    # dagster-celery registers its step task again for every step it submits; Celery 5.6+ warns each time.
    warnings.filterwarnings("ignore", category=DuplicateTaskNameWarning)

    return _with_run_lease(celery_executor).configured(executor_config(), name="celery")
