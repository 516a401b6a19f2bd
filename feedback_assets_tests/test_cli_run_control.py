"""``feedback-assets cancel`` and ``resume`` as an operator uses them, on the embedded SQLite default: a run
cancelled mid-way ends ``canceled`` with whole stages only, and ``resume`` completes it to the counts of an
uninterrupted run."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from feedback_assets.storage import get_run, make_engine, read_partition
from feedback_assets_tests.test_cli import _cli
from feedback_assets_tests.test_sample_data import SCRIPTS_DIR  # noqa: F401 - puts scripts/ on sys.path


def _environment(tmp_path) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("FEEDBACK_", "DAGSTER_"))}
    environment["FEEDBACK_DATA_DIR"] = str(tmp_path / "data")
    return environment


def _wait_for(path, text: str, seconds: float = 240.0) -> None:
    started = time.monotonic()
    while text not in path.read_text(errors="replace"):
        assert time.monotonic() - started < seconds, f"{text!r} never appeared:\n{path.read_text()[-2000:]}"
        time.sleep(0.2)


def test_cancel_a_running_run_then_resume_it(tmp_path):
    from sample_generator import generate, write_jsonl

    conversations = tmp_path / "conversations.jsonl"
    write_jsonl(conversations, generate(count=6000))  # long enough to be caught in stage 2
    log = tmp_path / "run.log"
    with log.open("w") as out:
        running = subprocess.Popen(
            [sys.executable, "-m", "feedback_assets.cli", "run", "--source", "jsonl", "--input", str(conversations)],
            env=_environment(tmp_path), stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        _wait_for(log, "quality filter")  # the conversations are stored; stage 2 runs for about a minute
        cancelled = _cli(tmp_path, "cancel", "1")
        assert cancelled.returncode == 0, cancelled.stdout + cancelled.stderr
        assert "pipeline run 1: canceled" in cancelled.stdout
        running.wait(timeout=30)  # the writer was stopped, not left behind
    finally:
        if running.poll() is None:
            running.kill()
    engine = make_engine(f"sqlite:///{tmp_path / 'data' / 'feedback.db'}")
    run = get_run(engine, 1)
    assert run.status == "canceled" and "feedback-assets cancel" in run.error
    assert "conversations" in run.completed_stages and "stories" not in run.completed_stages
    assert len(read_partition(engine, "conversations", 1)) == run.conversations_count > 0

    again = _cli(tmp_path, "cancel", "1")
    assert again.returncode == 0 and "already ended (canceled)" in again.stdout

    resumed = _cli(tmp_path, "resume", "1")
    assert resumed.returncode == 0, resumed.stdout[-3000:] + resumed.stderr[-3000:]
    assert "pipeline run 1 (canceled): resuming" in resumed.stdout and "kept conversations" in resumed.stdout
    assert "Traceback" not in resumed.stdout + resumed.stderr
    done = get_run(engine, 1)
    assert done.status == "succeeded" and done.failed_checks == [] and len(done.check_results) == 10
    assert done.stories_count == sum(1 for s in read_partition(engine, "stories", 1) if s["status"] == "candidate") > 0

    nothing = _cli(tmp_path, "resume", "1")
    assert nothing.returncode == 0 and "nothing to resume" in nothing.stdout
    listing = _cli(tmp_path, "runs")
    assert "| 1 | succeeded |" in listing.stdout and "passed (10)" in listing.stdout


def test_unknown_runs_are_bad_usage(tmp_path):
    for command in ("resume", "cancel"):
        result = _cli(tmp_path, command, "99")
        assert result.returncode == 2
        assert result.stderr.strip() == (
            "feedback-assets: pipeline run 99 does not exist (no row in pipeline_runs with id=99); "
            "`feedback-assets runs` lists the runs"
        )
        bad = _cli(tmp_path, command, "seven")
        assert bad.returncode == 2 and "'seven' is not a whole number" in bad.stderr
