"""Partition leases (one writer per partition) on PostgreSQL and SQLite, with real processes: a lease held by
another process refuses a second writer at once, and is free again as soon as that process is killed —
the liveness signal that settles interrupted runs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from feedback_assets.storage import leases, make_engine
from feedback_assets.storage.runs import create_run

HOLD = """
import sys, time
from feedback_assets.storage import leases, make_engine
engine = make_engine(sys.argv[1])
leases.acquire(engine, int(sys.argv[2]), "other-process")
print("held", flush=True)
time.sleep(600)
"""


def _holder(db_url: str, run_id: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, db_url, str(run_id)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout.readline().strip() == "held"
    return process


def _wait_until_free(engine, run_id: int, seconds: float = 10.0) -> float:
    started = time.monotonic()
    while leases.is_held(engine, run_id):
        assert time.monotonic() - started < seconds, "the lease outlived its killed holder"
        time.sleep(0.05)
    return time.monotonic() - started


def test_a_second_writer_is_refused_at_once_and_a_killed_holder_frees_the_lease(db_url, tmp_path):
    engine = make_engine(db_url)
    run = create_run(engine, source="sample")
    holder = _holder(db_url, run.id)
    try:
        assert leases.is_held(engine, run.id)
        started = time.monotonic()
        with pytest.raises(leases.PartitionBusy):
            leases.acquire(engine, run.id, "this-process")
        assert time.monotonic() - started < 5  # refused, not waited for
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait()
    _wait_until_free(engine, run.id)
    leases.acquire(engine, run.id, "this-process")
    try:
        assert leases.is_held(engine, run.id)
    finally:
        leases.release(engine, run.id)
    assert not leases.is_held(engine, run.id)


def test_leases_are_per_run(db_url, tmp_path):
    engine = make_engine(db_url)
    first, second = create_run(engine, source="sample"), create_run(engine, source="sample")
    holder = _holder(db_url, first.id)
    try:
        leases.acquire(engine, second.id, "this-process")  # another partition: no conflict
        leases.release(engine, second.id)
    finally:
        holder.kill()
        holder.wait()


def test_same_holder_reenters_and_a_finished_holder_is_taken_over(db_url):
    engine = make_engine(db_url)
    run = create_run(engine, source="sample")
    leases.acquire(engine, run.id, "dagster-run-a")
    try:
        leases.acquire(engine, run.id, "dagster-run-a")  # the next step of the same run
        with pytest.raises(leases.PartitionBusy):
            leases.acquire(engine, run.id, "dagster-run-b", may_take_over=lambda previous: False)
        leases.acquire(engine, run.id, "dagster-run-b", may_take_over=lambda previous: previous == "dagster-run-a")
        assert leases.holder_in_this_process(engine, run.id) == "dagster-run-b"
        assert leases.release_held_by("dagster-run-a") == 0
        assert leases.release_held_by("dagster-run-b") == 1
        assert not leases.is_held(engine, run.id)
    finally:
        leases.release(engine, run.id)


JOIN = """
import sys, time
from feedback_assets.storage import leases, make_engine
engine = make_engine(sys.argv[1])
leases.join(engine, int(sys.argv[2]), "dagster-run-a")
print("held", flush=True)
time.sleep(600)
"""


def test_steps_in_other_processes_join_the_lease_and_keep_the_run_written_until_they_die(db_url):
    """Multi-process executors: the orchestrator holds the lease, step processes join it (shared, so a run's
    asset and check steps run side by side); a run whose orchestrator died is still being written while a
    step lives, and free once that step is killed too."""
    engine = make_engine(db_url)
    run = create_run(engine, source="sample")
    orchestrator = _holder(db_url, run.id)
    steps = [subprocess.Popen([sys.executable, "-c", JOIN, db_url, str(run.id)], stdout=subprocess.PIPE, text=True)
             for _ in range(2)]
    try:
        for step in steps:
            assert step.stdout.readline().strip() == "held"  # two steps at once: neither refused
        assert leases.steps_running(engine, run.id)
        os.kill(orchestrator.pid, signal.SIGKILL)
        orchestrator.wait()
        time.sleep(0.5)
        assert leases.is_held(engine, run.id)  # the orchestrator is gone, its steps still write
        with pytest.raises(leases.PartitionBusy):
            _refuse_while_steps_run(engine, run.id)
        for step in steps:
            os.kill(step.pid, signal.SIGKILL)
            step.wait()
        _wait_until_free(engine, run.id)
        assert not leases.steps_running(engine, run.id)
    finally:
        for process in (orchestrator, *steps):
            if process.poll() is None:
                process.kill()
                process.wait()


def _refuse_while_steps_run(engine, run_id: int) -> None:
    """What a new orchestrator does (``RunLeaseExecutor``): the lease is free, but steps still run."""
    leases.acquire(engine, run_id, "dagster-run-b")
    try:
        if leases.steps_running(engine, run_id):
            raise leases.PartitionBusy(run_id)
    finally:
        leases.release(engine, run_id)


def test_a_step_joined_in_this_process_counts_and_is_released_with_its_holder(db_url):
    engine = make_engine(db_url)
    run = create_run(engine, source="sample")
    leases.join(engine, run.id, "dagster-run-a")
    leases.join(engine, run.id, "dagster-run-a")  # re-entrant
    assert leases.steps_running(engine, run.id) and leases.is_held(engine, run.id)
    assert leases.release_held_by("dagster-run-a") == 1
    assert not leases.is_held(engine, run.id)
