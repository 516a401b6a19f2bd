"""The run state that outlives a process: which stages of a run are completely written (set in the write's
own transaction), the latest outcome of each blocking check (whichever job evaluated it), and what
``resume`` re-materialises from them; ``cancel`` and one writer per partition through Dagster."""

from __future__ import annotations

import dagster as dg
import pytest
from sqlalchemy import text

from feedback_assets.defs.checks import checks_by_stage
from feedback_assets.defs.runs import checks_summary as _checks_cell
from feedback_assets.storage import get_run, leases, make_engine, read_partition, replace_partition
from feedback_assets.storage.runs import PIPELINE_STAGES, stages_to_resume
from feedback_assets_tests.dagster_helpers import definitions_for, execute, execute_checks, new_run


@pytest.fixture
def instance():
    with dg.instance_for_test() as instance:
        yield instance


def _all_checks_passed() -> dict[str, str]:
    return {f"{stage}:{check}": "passed" for stage, checks in checks_by_stage().items() for check in checks}


def test_resume_starts_at_the_first_stage_not_written_and_checked(db_url, tmp_path):
    run = new_run(db_url, tmp_path)
    blocking = checks_by_stage()
    assert stages_to_resume(run, blocking) == list(PIPELINE_STAGES)  # nothing written yet
    done = run.__class__(**{**run.__dict__, "completed_stages": PIPELINE_STAGES, "check_results": _all_checks_passed()})
    assert stages_to_resume(done, blocking) == []
    unchecked = {**_all_checks_passed()}
    del unchecked["themes:themes_complete"]  # killed while the checks ran
    assert stages_to_resume(run.__class__(**{**done.__dict__, "check_results": unchecked}), blocking) == ["themes", "stories"]
    failed = {**_all_checks_passed(), "classifications:classifications_complete": "failed"}
    assert stages_to_resume(run.__class__(**{**done.__dict__, "check_results": failed}), blocking) == [
        "classifications", "themes", "stories"
    ]
    partial = ("conversations", "classifications")
    assert stages_to_resume(run.__class__(**{**done.__dict__, "completed_stages": partial}), blocking) == ["themes", "stories"]


def test_a_write_marks_its_stage_with_its_counters_and_clears_what_was_derived(db_url, tmp_path, instance):
    defs = definitions_for(db_url)
    run = new_run(db_url, tmp_path)
    assert execute(defs, instance, run.partition_key).success
    engine = make_engine(db_url)
    done = get_run(engine, run.id)
    assert set(done.completed_stages) == set(PIPELINE_STAGES) and done.check_results == _all_checks_passed()
    assert done.stories_count > 0 and _checks_cell(done) == "passed (10)"

    # Rewriting the conversations (same rows) drops every later stage's completion, counters and check outcomes.
    rows = read_partition(engine, "conversations", run.id)
    replace_partition(engine, "conversations", run.id, rows, counters=lambda written: {"conversations_count": written})
    rewritten = get_run(engine, run.id)
    assert rewritten.completed_stages == ("conversations",)
    assert (rewritten.classified_count, rewritten.themes_count, rewritten.stories_count) == (0, 0, 0)
    assert rewritten.check_results == {}  # the rewritten stage's own checks have not seen the new rows
    assert read_partition(engine, "stories", run.id) == []
    assert stages_to_resume(rewritten, checks_by_stage()) == list(PIPELINE_STAGES)


def test_a_failed_write_changes_no_state(db_url, tmp_path, instance):
    defs = definitions_for(db_url)
    run = new_run(db_url, tmp_path)
    assert execute(defs, instance, run.partition_key).success
    engine = make_engine(db_url)
    before = get_run(engine, run.id)

    def rows_then_failure():
        yield from read_partition(engine, "themes", run.id)[:3]
        raise RuntimeError("the engine crashed mid-write")

    with pytest.raises(RuntimeError):
        replace_partition(engine, "themes", run.id, rows_then_failure(), counters=lambda written: {"themes_count": written})
    after = get_run(engine, run.id)
    assert (after.completed_stages, after.check_results, after.themes_count, after.stories_count) == (
        before.completed_stages, before.check_results, before.themes_count, before.stories_count
    )


def test_a_check_failed_by_the_check_only_job_shows_on_the_run_and_resume_redoes_that_stage(db_url, tmp_path, instance):
    defs = definitions_for(db_url)
    run = new_run(db_url, tmp_path)
    assert execute(defs, instance, run.partition_key).success
    engine = make_engine(db_url)
    with engine.begin() as connection:  # a classification lost behind the pipeline's back
        connection.execute(
            text(
                "DELETE FROM classifications WHERE pipeline_run_id = :run AND conversation_id = "
                "(SELECT min(conversation_id) FROM classifications WHERE pipeline_run_id = :run)"
            ),
            {"run": run.id},
        )
    result = execute_checks(defs, instance, run.partition_key)
    assert not result.success
    flagged = get_run(engine, run.id)
    assert flagged.failed_checks == ["classifications:classifications_complete", "themes:themes_complete"]
    assert _checks_cell(flagged) == "FAILED: classifications_complete, themes_complete"
    assert stages_to_resume(flagged, checks_by_stage()) == ["classifications", "themes", "stories"]

    # What resume launches: those stages only; everything passes again.
    job = defs.resolve_job_def("feedback_pipeline")
    resumed = job.execute_in_process(
        partition_key=run.partition_key,
        instance=instance,
        raise_on_error=False,
        asset_selection=[dg.AssetKey(stage) for stage in ("classifications", "themes", "stories")],
    )
    assert resumed.success
    materialised = {event.asset_key.path[-1] for event in resumed.get_asset_materialization_events()}
    assert materialised == {"classifications", "themes", "stories"}
    healed = get_run(engine, run.id)
    assert healed.failed_checks == [] and stages_to_resume(healed, checks_by_stage()) == []


def test_a_second_materialisation_of_a_partition_being_written_is_refused_naming_the_holder(db_url, tmp_path, instance):
    """Another process holds the partition (its lease) under Dagster run X: a materialisation is refused at
    once, before anything is written, and the pipeline run stays X's."""
    defs = definitions_for(db_url)
    run = new_run(db_url, tmp_path)
    engine = make_engine(db_url)
    from feedback_assets.storage import update_run

    holder = "4" * 8 + "-0000-0000-0000-" + "4" * 12
    instance.add_run(dg.DagsterRun(job_name="feedback_pipeline", run_id=holder, status=dg.DagsterRunStatus.STARTED))
    update_run(engine, run.id, status="running", dagster_run_id=holder)
    leases.acquire(engine, run.id, holder)
    try:
        result = execute(defs, instance, run.partition_key)
    finally:
        leases.release(engine, run.id)
    assert not result.success
    (failure,) = [event for event in result.all_events if event.is_step_failure]
    message = failure.step_failure_data.error.message
    assert f"being written by Dagster run {holder}" in message and f"feedback-assets cancel {run.id}" in message
    current = get_run(engine, run.id)
    assert current.status == "running" and current.dagster_run_id == holder
    assert read_partition(engine, "conversations", run.id) == []


RECORD_CHECKS = """
import sys
from feedback_assets.storage import make_engine
from feedback_assets.storage.runs import record_check
engine = make_engine(sys.argv[1])
for number in range(int(sys.argv[4])):
    record_check(engine, int(sys.argv[2]), "themes", f"{sys.argv[3]}_{number}", True)
"""


def test_check_outcomes_recorded_from_processes_at_once_are_all_kept(db_url):
    """Check steps of one run run in separate processes with the multiprocess and Celery executors; each
    read-modify-write of ``check_results`` must see the others' (a lost outcome was seen on SQLite)."""
    import subprocess
    import sys

    from feedback_assets.storage import create_run, get_run, make_engine

    engine = make_engine(db_url)
    run = create_run(engine, source="sample")
    processes = [
        subprocess.Popen([sys.executable, "-c", RECORD_CHECKS, db_url, str(run.id), f"p{number}", "150"])
        for number in range(4)
    ]
    assert [process.wait(timeout=120) for process in processes] == [0, 0, 0, 0]
    assert len(get_run(engine, run.id).check_results) == 600
