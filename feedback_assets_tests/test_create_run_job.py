"""Creating runs from the UI: the ``create_pipeline_run`` job makes a pending run and its partition from
launchpad config, refuses bad config before creating anything (the reason is the run's failure message),
and the run it made is launched like any other; the runs overview follows what happens."""

from __future__ import annotations

import dagster as dg
import pytest

from feedback_assets.defs.partitions import PIPELINE_RUNS
from feedback_assets.defs.resources import FeedbackDatabase
from feedback_assets.defs.runs import RUNS_OVERVIEW, pending_runs, pipeline_run_status, reconcile_runs
from feedback_assets.storage import get_run, list_runs, make_engine
from feedback_assets_tests.dagster_helpers import definitions_for, execute
from feedback_assets_tests.pipeline_data import write_jsonl


@pytest.fixture
def instance():
    with dg.instance_for_test() as instance:
        yield instance


def _create(defs, instance, **config):
    job = defs.resolve_job_def("create_pipeline_run")
    return job.execute_in_process(
        instance=instance, raise_on_error=False, run_config={"ops": {"create_pending_run": {"config": config}}}
    )


def test_a_run_created_from_the_launchpad_is_launched_and_succeeds(db_url, tmp_path, instance):
    defs = definitions_for(db_url)
    path = write_jsonl(tmp_path / "december.jsonl")
    result = _create(
        defs, instance, source="jsonl", input_path=str(path), since="2026-01-01", max_conversations=15, batch_size=4
    )
    assert result.success
    (run,) = list_runs(make_engine(db_url))
    assert (run.status, run.source, run.max_conversations, run.batch_size) == ("pending", "jsonl", 15, 4)
    assert run.source_params == {"path": str(path.resolve())} and run.window_start.isoformat() == "2026-01-01T00:00:00+00:00"
    assert instance.has_dynamic_partition(PIPELINE_RUNS, run.partition_key)
    assert result.output_for_node("create_pending_run") == run.id

    with dg.build_sensor_context(instance=instance, resources={"database": FeedbackDatabase(url=db_url)}) as context:
        (request,) = pending_runs(context).run_requests
    assert request.partition_key == run.partition_key and request.tags["feedback/source"].startswith("jsonl (")
    assert execute(defs, instance, run.partition_key).success
    reconcile_runs(instance, make_engine(db_url))  # what the pipeline_run_status sensor does
    done = get_run(make_engine(db_url), run.id)
    assert done.status == "succeeded" and done.conversations_count == 15

    # Every materialisation says which run it is.
    event = instance.get_latest_materialization_event(dg.AssetKey("stories"))
    metadata = event.asset_materialization.metadata
    assert metadata["source"].value.startswith("jsonl (") and metadata["engine"].value == "offline"
    assert metadata["trigger"].value == "manual" and metadata["window"].value.startswith("2026-01-01T00:00:00+00:00")


@pytest.mark.parametrize(
    ("config", "reason"),
    [
        ({"source": "jsonl"}, "source jsonl needs input_path"),
        ({"source": "jsonl", "input_path": "/nonexistent/export.jsonl"}, "/nonexistent/export.jsonl"),
        ({"since": "last tuesday"}, "'last tuesday' is not an ISO date"),
        ({"since": "2026-10-02", "until": "2026-10-01"}, "since 2026-10-02T00:00:00+00:00 must be before until"),
        ({"max_conversations": 0}, "max_conversations must be a whole number from 1"),
        ({"batch_size": 99999999999}, "batch_size must be a whole number from 1"),
    ],
)
def test_bad_config_creates_nothing_and_says_why(db_url, instance, config, reason):
    defs = definitions_for(db_url)
    result = _create(defs, instance, **config)
    assert not result.success
    (failure,) = [event for event in result.all_events if event.is_step_failure]
    assert reason in failure.step_failure_data.error.message
    assert "no pipeline run created: " in failure.step_failure_data.error.message
    assert list_runs(make_engine(db_url)) == []
    assert instance.get_dynamic_partitions(PIPELINE_RUNS) == []


def test_runs_overview_is_materialised_when_runs_change(db_url, tmp_path, instance):
    defs = definitions_for(db_url)
    _create(defs, instance, source="sample", max_conversations=5)
    resources = {"database": FeedbackDatabase(url=db_url)}
    with dg.build_sensor_context(instance=instance, resources=resources) as context:
        first = pipeline_run_status(context)
    (event,) = first.asset_events
    assert event.asset_key == RUNS_OVERVIEW.key
    assert event.metadata["pending_runs"].value == 1 and "| 1 | pending | manual | sample |" in event.metadata["runs"].value
    with dg.build_sensor_context(instance=instance, resources=resources, cursor=first.cursor) as context:
        unchanged = pipeline_run_status(context)
    assert unchanged.asset_events == [] and unchanged.skip_reason is not None

    # The run succeeds: the sensor settles it, the overview changes, and story_trends is refreshed.
    (run,) = list_runs(make_engine(db_url))
    assert execute(defs, instance, run.partition_key).success
    with dg.build_sensor_context(instance=instance, resources=resources, cursor=first.cursor, definitions=defs) as context:
        settled = pipeline_run_status(context)
    (overview,) = settled.asset_events
    assert overview.metadata["succeeded_runs"].value == 1
    (refresh,) = settled.run_requests
    assert refresh.run_key == f"trends-after-{run.id}"
