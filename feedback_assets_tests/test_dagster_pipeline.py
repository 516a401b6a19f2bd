"""The four partitioned assets through Dagster on SQLite and PostgreSQL: materialisation, metadata,
lifecycle, bad partition keys and run isolation."""

from __future__ import annotations

import dagster as dg
import pytest
from sqlalchemy import text

from feedback_assets.defs.runs import reconcile_runs, settle_run
from feedback_assets.storage import get_run, leases, make_engine, read_partition
from feedback_assets_tests.dagster_helpers import check_results, definitions_for, execute, new_run

TABLES = ("conversations", "classifications", "themes", "stories", "story_evidence")


@pytest.fixture
def instance():
    with dg.instance_for_test() as instance:
        yield instance


def _materializations(result) -> dict[str, dict]:
    return {
        event.asset_key.to_user_string(): event.step_materialization_data.materialization.metadata
        for event in result.get_asset_materialization_events()
    }


def test_a_partition_materialises_all_four_assets_with_passing_checks(db_url, tmp_path, instance):
    defs = definitions_for(db_url)
    run = new_run(db_url, tmp_path)
    result = execute(defs, instance, run.partition_key)
    assert result.success

    checks = check_results(result)
    assert len(checks) == 10 and all(e.passed for e in checks.values()), {n: e.passed for n, e in checks.items()}
    assert {e.partition for e in checks.values()} == {run.partition_key}

    metadata = _materializations(result)
    assert set(metadata) == {"conversations", "classifications", "themes", "stories"}
    assert metadata["conversations"]["dagster/row_count"].value == 20
    assert "canned_greeting" in metadata["conversations"]["filter_reasons"].value
    assert "product_issue" in metadata["classifications"]["type_distribution"].value
    assert metadata["classifications"]["engine"].value == "offline"
    assert metadata["stories"]["candidate_stories"].value >= 1
    assert "| title |" in metadata["stories"]["stories"].value

    engine = make_engine(db_url)
    with engine.connect() as connection:
        for table in TABLES:
            ids = {row[0] for row in connection.execute(text(f"SELECT DISTINCT pipeline_run_id FROM {table}"))}
            assert ids == {run.id}, table
    settled = settle_run(instance, engine, get_run(engine, run.id), instance.get_run_by_id(result.run_id))
    assert settled.status == "succeeded" and settled.completed_at is not None
    assert settled.conversations_count == 20 and settled.stories_count >= 1 and settled.themes_count > 0


@pytest.mark.parametrize("key", ["abc", "0", "-1", "007", "1; DROP TABLE x", "999"])
def test_a_bad_partition_key_fails_the_first_step_and_writes_nothing(db_url, tmp_path, instance, key):
    defs = definitions_for(db_url)
    run = new_run(db_url, tmp_path)
    result = execute(defs, instance, key)
    assert not result.success
    failure = next(event for event in result.all_events if event.is_step_failure)
    assert failure.step_key == "conversations"
    assert repr(key) in failure.step_failure_data.error.message
    engine = make_engine(db_url)
    assert all(not read_partition(engine, table, run.id) for table in TABLES)
    assert get_run(engine, run.id).status == "pending"


def test_two_runs_stay_queryable_and_rerunning_one_leaves_the_other(db_url, tmp_path, instance):
    defs = definitions_for(db_url)
    engine = make_engine(db_url)
    first, second = new_run(db_url, tmp_path), new_run(db_url, tmp_path)
    assert execute(defs, instance, first.partition_key).success
    assert execute(defs, instance, second.partition_key).success
    snapshot = {table: read_partition(engine, table, second.id) for table in TABLES}
    before = {table: read_partition(engine, table, first.id) for table in TABLES}
    rerun = execute(defs, instance, first.partition_key)
    assert rerun.success
    assert {table: read_partition(engine, table, second.id) for table in TABLES} == snapshot
    # Re-running gives identical rows, story ids included (they are derived from run and signature).
    assert {table: read_partition(engine, table, first.id) for table in TABLES} == before


def test_reconciler_marks_failed_runs_with_their_error(db_url, tmp_path, instance):
    defs = definitions_for(db_url)
    engine = make_engine(db_url)
    run = new_run(db_url, tmp_path)
    (tmp_path / "conversations.jsonl").unlink()  # the source disappears after the run was created
    result = execute(defs, instance, run.partition_key)
    assert not result.success
    settled = reconcile_runs(instance, engine)
    assert [r.id for r in settled] == [run.id]
    failed = get_run(engine, run.id)
    assert failed.status == "failed" and "conversations" in failed.error and failed.completed_at is not None
    assert reconcile_runs(instance, engine) == []  # idempotent


def _running_under(instance, engine, run, digit: str, status: dg.DagsterRunStatus) -> dg.DagsterRun:
    """A Dagster run in ``status`` that stamped pipeline run ``run`` as running."""
    from feedback_assets.storage import update_run

    dagster_run = dg.DagsterRun(
        job_name="feedback_pipeline",
        run_id=digit * 8 + "-0000-0000-0000-" + digit * 12,
        status=status,
        tags={"dagster/partition": run.partition_key},
    )
    instance.add_run(dagster_run)
    update_run(engine, run.id, status="running", dagster_run_id=dagster_run.run_id)
    return dagster_run


def test_reconciler_marks_terminated_runs_canceled(db_url, tmp_path, instance):
    engine = make_engine(db_url)
    run = new_run(db_url, tmp_path)
    terminated = _running_under(instance, engine, run, "0", dg.DagsterRunStatus.CANCELED)
    (settled,) = reconcile_runs(instance, engine)
    assert settled.status == "canceled" and settled.error == "terminated from Dagster" and settled.completed_at


def test_reconciler_leaves_runs_whose_dagster_run_is_still_going(db_url, tmp_path, instance):
    engine = make_engine(db_url)
    run = new_run(db_url, tmp_path)
    going = _running_under(instance, engine, run, "1", dg.DagsterRunStatus.STARTED)
    leases.acquire(engine, run.id, going.run_id)  # its writer is alive
    try:
        assert reconcile_runs(instance, engine) == []
        assert get_run(engine, run.id).status == "running"
    finally:
        leases.release(engine, run.id)


def test_reconciler_settles_a_run_whose_writer_died(db_url, tmp_path, instance, monkeypatch):
    """Dagster still says STARTED (nothing told it the process died), but nobody holds the partition's lease:
    the run is marked failed with the cause, in Dagster and on pipeline_runs."""
    monkeypatch.setattr("feedback_assets.defs.runs.LEASE_CONFIRM_SECONDS", 0.0)
    engine = make_engine(db_url)
    run = new_run(db_url, tmp_path)
    dead = _running_under(instance, engine, run, "3", dg.DagsterRunStatus.STARTED)
    (settled,) = reconcile_runs(instance, engine)
    assert settled.status == "failed" and settled.error.startswith("interrupted:")
    assert f"feedback-assets resume {run.id}" in settled.error
    assert instance.get_run_by_id(dead.run_id).status == dg.DagsterRunStatus.FAILURE
    assert reconcile_runs(instance, engine) == []  # settled once


def test_reconciler_fails_a_pending_run_whose_launch_failed(db_url, tmp_path, instance):
    """The sensor launched it but the Dagster run died before any asset marked it running."""
    engine = make_engine(db_url)
    run = new_run(db_url, tmp_path)
    instance.add_run(
        dg.DagsterRun(
            job_name="feedback_pipeline",
            run_id="2" * 8 + "-0000-0000-0000-" + "2" * 12,
            status=dg.DagsterRunStatus.FAILURE,
            tags={"dagster/partition": run.partition_key},
        )
    )
    (settled,) = reconcile_runs(instance, engine)
    assert settled.id == run.id and settled.status == "failed" and settled.error


def test_engines_are_told_to_stop_once_the_dagster_run_is_being_terminated(instance):
    from feedback_assets.defs.common import run_is_stopping

    run_id = "3" * 8 + "-0000-0000-0000-" + "3" * 12
    instance.add_run(dg.DagsterRun(job_name="feedback_pipeline", run_id=run_id, status=dg.DagsterRunStatus.STARTED))
    assert not run_is_stopping(instance, run_id)
    instance.report_run_canceling(instance.get_run_by_id(run_id))
    assert run_is_stopping(instance, run_id)


def test_a_source_of_only_malformed_records_fails_and_keeps_the_previous_rows(db_url, tmp_path, instance):
    import json

    defs = definitions_for(db_url)
    engine = make_engine(db_url)
    run = new_run(db_url, tmp_path)
    assert execute(defs, instance, run.partition_key).success
    before = read_partition(engine, "conversations", run.id)
    # The file now holds objects that are not conversations (no id, no timestamps).
    (tmp_path / "conversations.jsonl").write_text("".join(json.dumps({"type": "conversation", "n": i}) + "\n" for i in range(5)))
    result = execute(defs, instance, run.partition_key)
    assert not result.success
    failure = next(event for event in result.all_events if event.is_step_failure)
    assert failure.step_key == "conversations"
    assert "produced 0 rows from 5 input rows" in failure.step_failure_data.error.message
    assert read_partition(engine, "conversations", run.id) == before
