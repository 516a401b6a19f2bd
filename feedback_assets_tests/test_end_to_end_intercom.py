"""Issue 6 end to end: ``feedback-assets run --source intercom`` against the stub Intercom API through the
Dagster assets (a real subprocess, the console command), a 401 that fails cleanly without printing the
token, and the new-conversations sensor creating a pending run from the stub's new conversations."""

from __future__ import annotations

import os
import subprocess
import sys

import dagster as dg

from feedback_assets.defs.resources import EngineSettings, FeedbackDatabase, SourceSettings
from feedback_assets.defs.runs import new_conversations
from feedback_assets.storage import list_runs, make_engine, read_partition
from feedback_assets_tests.fakes.intercom_stub import IntercomStub
from feedback_assets_tests.pipeline_data import START, pipeline_conversations


def _cli(tmp_path, db_url, stub, *args, token=None):
    environment = {
        **os.environ,
        "FEEDBACK_DATABASE_URL": db_url,
        "FEEDBACK_DATA_DIR": str(tmp_path / "data"),
        "DAGSTER_HOME": str(tmp_path / "dagster_home"),
        "INTERCOM_BASE_URL": stub.base_url,
        "INTERCOM_ACCESS_TOKEN": token or stub.token,
    }
    return subprocess.run(
        [sys.executable, "-m", "feedback_assets.cli", "run", "--source", "intercom", *args],
        env=environment, capture_output=True, text=True, timeout=240,
    )


def test_run_source_intercom_through_the_assets(db_url, tmp_path):
    with IntercomStub(pipeline_conversations()) as stub:
        done = _cli(tmp_path, db_url, stub, "--max-conversations", "15")
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        assert "succeeded" in done.stdout and "stories_consistent | passed" in done.stdout
        assert stub.requests_to("detail")  # the parts came from GET /conversations/{id}

    (run,) = list_runs(make_engine(db_url))
    assert run.source == "intercom" and run.status == "succeeded" and run.max_conversations == 15
    stored = read_partition(make_engine(db_url), "conversations", run.id)
    assert len(stored) == 15 and {row["source"] for row in stored} == {"intercom"}
    assert stub.token not in str(run.source_params)


def test_run_source_intercom_with_a_rejected_token_fails_without_printing_it(db_url, tmp_path):
    with IntercomStub(pipeline_conversations()) as stub:
        done = _cli(tmp_path, db_url, stub, token="wrong-secret-token-42")
    assert done.returncode == 1
    output = done.stdout + done.stderr
    assert "INTERCOM_ACCESS_TOKEN" in output and "wrong-secret-token-42" not in output
    (run,) = list_runs(make_engine(db_url))
    assert run.status == "failed" and "INTERCOM_ACCESS_TOKEN" in run.error
    assert read_partition(make_engine(db_url), "conversations", run.id) == []


def test_new_conversations_sensor_creates_a_pending_run_from_the_stub(db_url):
    with IntercomStub(pipeline_conversations()) as stub, dg.instance_for_test() as instance:
        resources = {
            "database": FeedbackDatabase(url=db_url),
            "sources": SourceSettings(
                default_source="intercom",
                intercom_base_url=stub.base_url,
                intercom_access_token=stub.token,
                new_conversations_threshold=5,
            ),
            "engines": EngineSettings(),
        }
        with dg.build_sensor_context(instance=instance, resources=resources) as context:
            result = new_conversations(context)
        (run,) = list_runs(make_engine(db_url))
        assert run.status == "pending" and run.trigger == "sensor" and run.source == "intercom"
        assert run.source_params["new_conversations"] == 20 and result.cursor == str(run.id)
        assert stub.token not in str(run.source_params)
        assert run.window_end.timestamp() > START
