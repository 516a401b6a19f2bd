"""The console command as a newcomer uses it: zero configuration, a second run, the runs listing, and
clear errors for bad options (exit status 2, nothing created)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from feedback_assets.storage import list_runs, make_engine, read_partition


def _cli(tmp_path, *args, database_url=None):
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("FEEDBACK_", "DAGSTER_"))}
    environment["FEEDBACK_DATA_DIR"] = str(tmp_path / "data")
    if database_url:
        environment["FEEDBACK_DATABASE_URL"] = database_url
    return subprocess.run(
        [sys.executable, "-m", "feedback_assets.cli", *args], env=environment, capture_output=True, text=True, timeout=300
    )


def test_zero_configuration_run_then_a_second_windowed_run(tmp_path):
    first = _cli(tmp_path, "run")
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    assert "pipeline run 1: succeeded" in first.stdout and "top stories" in first.stdout
    assert "conversations:conversations_run_ids | passed" in first.stdout
    data = tmp_path / "data"
    assert (data / "feedback.db").exists() and (data / "dagster_home" / "dagster.yaml").exists()

    second = _cli(tmp_path, "run", "--since", "2026-10-01", "--until", "2026-10-15T00:00", "--max-conversations", "150", "--batch-size", "7")
    assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-3000:]
    engine = make_engine(f"sqlite:///{data / 'feedback.db'}")
    runs = {run.id: run for run in list_runs(engine)}
    assert set(runs) == {1, 2} and {run.status for run in runs.values()} == {"succeeded"}
    assert runs[2].max_conversations == 150 and runs[2].batch_size == 7
    assert runs[2].window_start.isoformat() == "2026-10-01T00:00:00+00:00"
    window_rows = read_partition(engine, "conversations", 2)
    assert 0 < len(window_rows) <= 150
    assert all(runs[2].window_start <= row["updated_at"] < runs[2].window_end for row in window_rows)
    assert len(read_partition(engine, "conversations", 1)) == runs[1].conversations_count  # run 1 untouched

    listing = _cli(tmp_path, "runs")
    assert listing.returncode == 0 and "| 2 | succeeded |" in listing.stdout and "| 1 | succeeded |" in listing.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "--since", "yesterday"], "'yesterday' is not an ISO date"),
        (["run", "--since", "2026-10-02", "--until", "2026-10-01"], "must be before --until"),
        (["run", "--max-conversations", "0"], "'0' must be at least 1"),
        (["run", "--batch-size", "-5"], "'-5' must be at least 1"),
        (["run", "--engine", "gpt"], "invalid choice: 'gpt'"),
        (["run", "--source", "jsonl"], "--source jsonl needs --input"),
        (["run", "--source", "jsonl", "--input", "/nonexistent/conversations.jsonl"], "/nonexistent/conversations.jsonl"),
    ],
)
def test_bad_options_are_refused_with_a_clear_message_and_create_nothing(tmp_path, args, message):
    database_url = f"sqlite:///{tmp_path / 'cli.db'}"
    done = _cli(tmp_path, *args, database_url=database_url)
    assert done.returncode == 2
    assert message in done.stderr
    if (tmp_path / "cli.db").exists():
        assert list_runs(make_engine(database_url)) == []
