"""The executor setting (FEEDBACK_EXECUTOR) and the worker command, without a broker: bad values are named,
the multiprocess executor runs a partition with its steps in their own processes (joining the lease the
run's process holds) to the same rows as in-process, and a worker that cannot reach its broker says so in
one line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from feedback_assets import settings
from feedback_assets.defs.executors import pipeline_executor
from feedback_assets.storage import list_runs, make_engine


def _console() -> str:
    return str(Path(sys.executable).with_name("feedback-assets"))


def test_the_executor_setting_names_its_choices(monkeypatch):
    monkeypatch.delenv(settings.EXECUTOR_ENV, raising=False)
    assert settings.executor_name() == "in_process"
    monkeypatch.setenv(settings.EXECUTOR_ENV, "Multiprocess")
    assert settings.executor_name() == "multiprocess"
    monkeypatch.setenv(settings.EXECUTOR_ENV, "kubernetes")
    with pytest.raises(ValueError, match="FEEDBACK_EXECUTOR must be one of in_process, multiprocess, celery"):
        settings.executor_name()
    assert pipeline_executor("in_process").name == "in_process"
    assert pipeline_executor("multiprocess").name == "multiprocess"
    assert pipeline_executor("celery").name == "celery"


def test_a_worker_without_its_broker_says_so_in_one_line(tmp_path):
    done = subprocess.run(
        [_console(), "worker", "--name", "lonely"],
        env={"PATH": "/usr/bin:/bin", "FEEDBACK_DATA_DIR": str(tmp_path),
             settings.CELERY_BROKER_ENV: "pyamqp://guest:secret@127.0.0.1:1//"},
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert lines[0].startswith("feedback-assets worker: cannot reach the Celery broker pyamqp://guest:***@127.0.0.1:1//")
    assert "secret" not in done.stderr and "FEEDBACK_CELERY_BROKER" in lines[0]


def test_worker_arguments_are_checked(tmp_path):
    done = subprocess.run([_console(), "worker", "--concurrency", "0"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "--concurrency" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.slow
def test_multiprocess_executor_runs_each_step_in_its_own_process_to_the_same_rows(tmp_path):
    database = tmp_path / "feedback.db"
    env = {"PATH": "/usr/bin:/bin", "FEEDBACK_DATA_DIR": str(tmp_path / "data"),
           settings.DATABASE_URL_ENV: f"sqlite:///{database}"}
    argv = [_console(), "run", "--max-conversations", "120"]
    in_process = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=300)
    assert in_process.returncode == 0, in_process.stdout + in_process.stderr
    multiprocess = subprocess.run(argv, env={**env, settings.EXECUTOR_ENV: "multiprocess"}, capture_output=True,
                                  text=True, timeout=600)
    assert multiprocess.returncode == 0, multiprocess.stdout + multiprocess.stderr
    assert "Traceback" not in multiprocess.stdout + multiprocess.stderr
    first, second = sorted(list_runs(make_engine(f"sqlite:///{database}")), key=lambda run: run.id)
    counted = ("conversations_count", "classified_count", "themes_count", "stories_count")
    assert second.status == "succeeded" and len(second.check_results) == 10
    assert [getattr(second, name) for name in counted] == [getattr(first, name) for name in counted]
    assert first.stories_count > 0


def test_the_pool_slot_of_a_step_that_died_is_given_back():
    """A Celery worker process killed mid-step never reports the step's end; without this the llm slot it
    claimed stays taken after the run ended and every later model-calling step waits for ever."""
    import dagster as dg

    from feedback_assets.defs.executors import free_pool_slots

    with dg.instance_for_test() as instance:
        storage = instance.event_log_storage
        storage.set_concurrency_slots("llm", 1)
        storage.claim_concurrency_slot("llm", "dead-run", "classifications")
        assert storage.get_concurrency_info("llm").active_slot_count == 1
        free_pool_slots(instance, "dead-run")
        assert storage.get_concurrency_info("llm").active_slot_count == 0
        claimed = storage.claim_concurrency_slot("llm", "next-run", "classifications")
        assert claimed.slot_status.value == "CLAIMED"


def test_an_executor_error_reads_as_one_line_per_step():
    from feedback_assets.defs.runs import _executor_error

    celery = (
        "During celery execution errors occurred in workers:\n"
        "[classifications]: billiard.exceptions.WorkerLostError: Worker exited prematurely: signal 9 (SIGKILL) Job: 41.\n"
        "\nStack Trace:\n  File \"x.py\", line 1, in <module>\n"
    )
    assert _executor_error(celery) == (
        "classifications: Worker exited prematurely: signal 9 (SIGKILL) — the Celery worker process running the step died"
    )
    refused = "dagster._core.definitions.events.Failure: partition 7 (pipeline run 7) is being written by Dagster run abc"
    assert _executor_error(refused) == "partition 7 (pipeline run 7) is being written by Dagster run abc"
