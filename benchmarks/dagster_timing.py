"""Where the time of an in-process Dagster run goes, measured from outside the asset modules.

Two sources, each named for exactly what it measures:

* ``step_durations(instance, run_id)``: Dagster's own event log, STEP_START → STEP_SUCCESS (or
  STEP_FAILURE) per step — the whole step as Dagster runs it: our function plus Dagster's work inside the
  step (context and resources handed over, events and metadata stored, check results evaluated).
* ``OwnCodeTimer``: wall and CPU seconds of each asset/check *function* from its first line to its return —
  ``start_run_step``, failure-share checks and metadata building included. It wraps Dagster's single call
  site of user compute functions (``dagster._core.execution.plan.compute_generator.invoke_compute_fn``,
  Dagster 1.13) for the duration of a ``with`` block; the asset modules are not touched. If that private
  hook ever moves, ``OwnCodeTimer.available`` is False and the figures that need it are reported as n/a.

Run wall time minus Σ own-code time is the Dagster overhead; it splits into "inside steps" (Σ step − Σ own
code) and "outside steps" (run − Σ step: run start/finish, planning, resource set-up, between-step work).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any


@dataclass
class OwnCodeTimer:
    wall: dict[str, float] = field(default_factory=dict)  # by step key
    cpu: dict[str, float] = field(default_factory=dict)  # process CPU (user+sys, all threads) during the call
    available: bool = False
    _module: Any = None
    _original: Any = None

    def __enter__(self) -> "OwnCodeTimer":
        try:
            from dagster._core.execution.plan import compute_generator
        except ImportError:
            return self
        original = getattr(compute_generator, "invoke_compute_fn", None)
        if original is None:
            return self

        def timed_invoke(fn, context, *args, **kwargs):
            try:
                key = context.get_step_execution_context().step.key
            except Exception:  # noqa: BLE001 - an unexpected context shape must not break the run
                key = getattr(fn, "__name__", "?")
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                return original(fn, context, *args, **kwargs)
            finally:
                self.wall[key] = self.wall.get(key, 0.0) + time.perf_counter() - wall
                self.cpu[key] = self.cpu.get(key, 0.0) + time.process_time() - cpu

        self._module, self._original = compute_generator, original
        compute_generator.invoke_compute_fn = timed_invoke
        self.available = True
        return self

    def __exit__(self, *exc) -> None:
        if self._module is not None:
            self._module.invoke_compute_fn = self._original


@dataclass
class RunTimes:
    steps: dict[str, float]  # step key → STEP_START→STEP_SUCCESS/FAILURE seconds, in start order
    run_events: float | None  # RUN_START → RUN_SUCCESS/FAILURE seconds from the event log
    outcomes: dict[str, str]


def step_durations(instance, run_id: str) -> RunTimes:
    from dagster import DagsterEventType

    started: dict[str, float] = {}
    steps: dict[str, float] = {}
    outcomes: dict[str, str] = {}
    run_start = run_end = None
    for entry in instance.all_logs(run_id):
        event = entry.dagster_event
        if event is None:
            continue
        kind = event.event_type
        if kind == DagsterEventType.STEP_START:
            started[event.step_key] = entry.timestamp
            steps[event.step_key] = 0.0
        elif kind in (DagsterEventType.STEP_SUCCESS, DagsterEventType.STEP_FAILURE) and event.step_key in started:
            steps[event.step_key] = entry.timestamp - started[event.step_key]
            outcomes[event.step_key] = "ok" if kind == DagsterEventType.STEP_SUCCESS else "FAILED"
        elif kind == DagsterEventType.RUN_START:
            run_start = entry.timestamp
        elif kind in (DagsterEventType.RUN_SUCCESS, DagsterEventType.RUN_FAILURE):
            run_end = entry.timestamp
    run = run_end - run_start if run_start is not None and run_end is not None else None
    return RunTimes(steps, run, outcomes)


def step_labels(step_keys, asset_steps) -> dict[str, str]:
    """Step key → readable label: an asset step keeps its name; a check step (``<asset>_<check>`` in
    Dagster 1.13) becomes ``check <check>``."""
    labels = {}
    for key in step_keys:
        owner = next((asset for asset in asset_steps if key.startswith(asset + "_")), None)
        labels[key] = key if key in asset_steps or owner is None else f"check {key[len(owner) + 1:]}"
    return labels


def is_check_step(label: str) -> bool:
    return label.startswith("check ")


def noop_floor(instance, asset_count: int, check_count: int) -> tuple[float, int]:
    """Wall seconds of an in-process run of ``asset_count`` empty assets in a chain with ``check_count``
    empty checks spread over them, on the same instance: what Dagster costs per step here, with no work."""
    import dagster as dg

    assets = []
    previous = None
    for index in range(asset_count):
        deps = [previous] if previous is not None else []

        @dg.asset(name=f"noop_asset_{index}", deps=deps)
        def _noop():
            return dg.MaterializeResult(metadata={"rows": 0})

        assets.append(_noop)
        previous = _noop
    checks = []
    for index in range(check_count):
        target = assets[index % asset_count]

        @dg.asset_check(asset=target, name=f"noop_check_{index}")
        def _check():
            return dg.AssetCheckResult(passed=True)

        checks.append(_check)
    job = dg.define_asset_job("noop_floor_job", selection=dg.AssetSelection.all())
    defs = dg.Definitions(assets=assets, asset_checks=checks, jobs=[job])
    resolved = defs.resolve_job_def("noop_floor_job")
    started = time.perf_counter()
    result = resolved.execute_in_process(
        instance=instance, run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
    )
    seconds = time.perf_counter() - started
    assert result.success
    return seconds, len(step_durations(instance, result.run_id).steps)
