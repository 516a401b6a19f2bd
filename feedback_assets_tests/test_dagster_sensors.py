"""Sensors through build_sensor_context: pending runs are launched once with their partition; new
conversations create exactly one pending run per window."""

from __future__ import annotations

import dagster as dg
import pytest

from feedback_assets.defs.partitions import PIPELINE_RUNS
from feedback_assets.defs.resources import EngineSettings, FeedbackDatabase, SourceSettings
from feedback_assets.defs.runs import new_conversations, pending_runs
from feedback_assets.storage import create_run, list_runs, make_engine, update_run
from feedback_assets_tests.pipeline_data import write_jsonl


@pytest.fixture
def instance():
    with dg.instance_for_test() as instance:
        yield instance


def test_pending_runs_get_a_partition_and_one_launch_each(db_url, instance):
    engine = make_engine(db_url)
    first, second = create_run(engine, source="sample"), create_run(engine, source="sample")
    done = create_run(engine, source="sample")
    update_run(engine, done.id, status="running")
    with dg.build_sensor_context(instance=instance, resources={"database": FeedbackDatabase(url=db_url)}) as context:
        result = pending_runs(context)
    assert [(r.run_key, r.partition_key) for r in result.run_requests] == [
        (first.partition_key, first.partition_key),
        (second.partition_key, second.partition_key),
    ]
    (add,) = result.dynamic_partitions_requests
    assert add.partitions_def_name == PIPELINE_RUNS and sorted(add.partition_keys) == sorted([first.partition_key, second.partition_key])

    # The tick is retried after a crash that happened after the partitions were added: the same run keys
    # come back (Dagster launches a run_key once) and no partition is added twice.
    instance.add_dynamic_partitions(PIPELINE_RUNS, add.partition_keys)
    with dg.build_sensor_context(instance=instance, resources={"database": FeedbackDatabase(url=db_url)}) as context:
        again = pending_runs(context)
    assert [r.run_key for r in again.run_requests] == [r.run_key for r in result.run_requests]
    assert again.dynamic_partitions_requests == []


def test_new_conversations_sensor_creates_one_pending_run_per_window(db_url, tmp_path, instance):
    path = write_jsonl(tmp_path / "incoming.jsonl")
    resources = {
        "database": FeedbackDatabase(url=db_url),
        "sources": SourceSettings(default_source="jsonl", jsonl_path=str(path), new_conversations_threshold=10),
        "engines": EngineSettings(),
    }
    with dg.build_sensor_context(instance=instance, resources=resources) as context:
        result = new_conversations(context)
    runs = list_runs(make_engine(db_url))
    assert len(runs) == 1 and runs[0].trigger == "sensor" and runs[0].status == "pending"
    assert runs[0].source_params["new_conversations"] == 20 and result.cursor == str(runs[0].id)
    assert runs[0].source_params["path"] == str(path)
    assert runs[0].window_start is None and runs[0].window_end is not None
    # The tick launches the run itself, so the tick page shows it; its partition comes with it.
    (request,) = result.run_requests
    assert request.run_key == request.partition_key == runs[0].partition_key
    assert request.tags["feedback/trigger"] == "sensor" and request.tags["feedback/engine"] == "offline"
    assert [add.partition_keys for add in result.dynamic_partitions_requests] == [[runs[0].partition_key]]
    # ...and the pending_runs sensor leaves it alone (no second launch).
    with dg.build_sensor_context(instance=instance, resources={"database": resources["database"]}) as context:
        assert pending_runs(context).run_requests == []

    # Nothing new since that window: a second tick (or a retried one) creates nothing; while the run has not
    # started it asks again under the same run key, which Dagster launches once.
    with dg.build_sensor_context(instance=instance, resources=resources, cursor=result.cursor) as context:
        again = new_conversations(context)
    assert [r.run_key for r in again.run_requests] == [request.run_key]
    assert len(list_runs(make_engine(db_url))) == 1
    update_run(make_engine(db_url), runs[0].id, status="running")
    with dg.build_sensor_context(instance=instance, resources=resources, cursor=result.cursor) as context:
        skipped = new_conversations(context)
    assert isinstance(skipped, dg.SkipReason) and "waiting for 10" in skipped.skip_message


def test_new_conversations_counts_only_what_no_earlier_run_covered(db_url, tmp_path, instance):
    """A run over the same file without an end covered everything updated before it was created: the
    sensor counts 0 new, not the whole file again."""
    path = write_jsonl(tmp_path / "incoming.jsonl")
    engine = make_engine(db_url)
    create_run(engine, source="jsonl", source_params={"path": str(path)}, status="succeeded")
    create_run(engine, source="jsonl", source_params={"path": str(tmp_path / "other.jsonl")})  # another file
    resources = {
        "database": FeedbackDatabase(url=db_url),
        "sources": SourceSettings(default_source="jsonl", jsonl_path=str(path), new_conversations_threshold=1),
        "engines": EngineSettings(),
    }
    with dg.build_sensor_context(instance=instance, resources=resources) as context:
        skipped = new_conversations(context)
    assert isinstance(skipped, dg.SkipReason) and skipped.skip_message.startswith("0 new conversation(s)")


def test_partitions_that_name_no_run_are_removed_with_a_message(db_url, instance):
    engine = make_engine(db_url)
    run = create_run(engine, source="sample", status="succeeded")
    instance.add_dynamic_partitions(PIPELINE_RUNS, [run.partition_key, "7", "december-export"])
    with dg.build_sensor_context(instance=instance, resources={"database": FeedbackDatabase(url=db_url)}) as context:
        result = pending_runs(context)
    (delete,) = [r for r in result.dynamic_partitions_requests if isinstance(r, dg.DeleteDynamicPartitionsRequest)]
    assert sorted(delete.partition_keys) == ["7", "december-export"]


def test_new_conversations_sensor_waits_below_the_threshold(db_url, tmp_path, instance):
    path = write_jsonl(tmp_path / "incoming.jsonl")
    resources = {
        "database": FeedbackDatabase(url=db_url),
        "sources": SourceSettings(default_source="jsonl", jsonl_path=str(path), new_conversations_threshold=100),
        "engines": EngineSettings(),
    }
    with dg.build_sensor_context(instance=instance, resources=resources) as context:
        skipped = new_conversations(context)
    assert isinstance(skipped, dg.SkipReason) and "20 new conversation(s)" in skipped.skip_message
    assert list_runs(make_engine(db_url)) == []
