"""Pruning old pipeline runs (``storage.pruning``, ``feedback-assets prune``, the ``prune_pipeline_runs`` job
and its ``prune_old_runs`` schedule) on SQLite and PostgreSQL: old final runs go with every row and their
partition, pending / running / held / latest runs stay, each run is pruned atomically (a failure in the middle
leaves it whole), a dry run changes nothing, and trends are the same before and after."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import datetime, timedelta, timezone

import dagster as dg
import pytest
from sqlalchemy import func, select, text, update

from feedback_assets.defs import prune as prune_defs
from feedback_assets.defs.partitions import PIPELINE_RUNS
from feedback_assets.defs.resources import FeedbackDatabase
from feedback_assets.defs.runs import pending_runs, settle_run
from feedback_assets.defs.trends import story_trends
from feedback_assets.domain.pruning import PruneCandidate, keep_reason
from feedback_assets.storage import create_run, get_run, leases, list_runs, pruning, replace_partitions, update_run
from feedback_assets.storage.issue_history import issue_count_history, pruned_runs
from feedback_assets.storage.pruning import PRUNED_TABLES, count_run_rows, prune_runs
from feedback_assets.storage.schema import pipeline_runs
from feedback_assets.storage.tracker_links import record_link
from feedback_assets.storage.trends import iter_story_counts, iter_tracking_groups, iter_trend_runs
from feedback_assets.domain.trends import compute_trends, select_runs, tracked_signatures
from feedback_assets_tests.dagster_helpers import QUIET, definitions_for, execute
from feedback_assets_tests.storage_rows import classification, conversation, theme
from feedback_assets_tests.trend_data import write_week

DAY = timedelta(days=1)
NOW = datetime.now(timezone.utc)
OLD = NOW - 120 * DAY
TRENDS_KEY = dg.AssetKey("story_trends")


@pytest.fixture
def instance():
    with dg.instance_for_test() as instance:
        yield instance


# --- building runs ------------------------------------------------------------------------------------------


def _run(engine, *, status: str = "succeeded", source: str = "jsonl", groups: dict[str, int] | None = None,
         ended: datetime | None = OLD, window_end: datetime | None = None):
    """A run with conversations, classifications, themes, stories and evidence (one story group per entry of
    ``groups``: signature → conversations; fewer than 3 is an orphan) plus one non-actionable conversation,
    brought to ``status`` and made to have ended at ``ended`` (pending/running: created then)."""
    groups = {"geofence_clock_in_rejected": 4, "csv_export_garbled": 2} if groups is None else groups
    run = create_run(engine, source=source, window_end=window_end)
    rows: dict[str, list[dict]] = {name: [] for name in ("conversations", "classifications", "themes", "stories",
                                                         "story_evidence")}
    number = 0
    for signature, size in groups.items():
        story_id = f"{run.id}-{signature}"
        rows["stories"].append(dict(
            id=story_id, issue_signature=signature, title=signature.replace("_", " "), description="-",
            status="candidate" if size >= 3 else "orphan", conversation_count=size, priority="normal",
        ))
        for _ in range(size):
            number += 1
            conversation_id = f"{run.id}-c{number}"
            rows["conversations"].append(conversation(conversation_id, minute=number))
            rows["classifications"].append(classification(conversation_id))
            rows["themes"].append(theme(conversation_id, signature))
            rows["story_evidence"].append(dict(story_id=story_id, conversation_id=conversation_id))
    rows["conversations"].append(conversation(f"{run.id}-billing", minute=0))
    rows["classifications"].append(classification(f"{run.id}-billing", "billing_question"))
    replace_partitions(engine, run.id, rows)
    if status != "pending":
        update_run(engine, run.id, status="running")
    if status not in ("pending", "running"):
        update_run(engine, run.id, status=status, classified_count=number + 1)
    _age(engine, run.id, ended)
    return get_run(engine, run.id)


def _age(engine, run_id: int, ended: datetime | None) -> None:
    """Move a run's end (or, never ended, its creation) to ``ended``."""
    if ended is None:
        return
    run = get_run(engine, run_id)
    values = {"completed_at": ended} if run.completed_at else {"created_at": ended}
    if run.completed_at:
        values["created_at"] = min(run.created_at, ended)
    with engine.begin() as connection:
        connection.execute(update(pipeline_runs).where(pipeline_runs.c.id == run_id).values(**values))


def _counts(engine, run_id: int) -> dict[str, int]:
    with engine.connect() as connection:
        return count_run_rows(connection, run_id)


def _history(engine) -> tuple[list[dict], list[dict]]:
    with engine.connect() as connection:
        runs = [dict(row) for row in connection.execute(select(pruned_runs).order_by(pruned_runs.c.id)).mappings()]
        groups = [
            dict(row)
            for row in connection.execute(
                select(issue_count_history).order_by(
                    issue_count_history.c.pipeline_run_id, issue_count_history.c.issue_signature
                )
            ).mappings()
        ]
    return runs, groups


def _ids(engine) -> set[int]:
    return {run.id for run in list_runs(engine)}


def _trend_report(engine, *, same_source: bool = True):
    runs = select_runs(iter_trend_runs(engine), same_source=same_source)
    recent = [run.run_id for run in runs[-2:]]
    tracked = tracked_signatures(runs, iter_tracking_groups(engine, recent))
    return compute_trends(runs, iter_story_counts(engine, [run.run_id for run in runs]), tracked=tracked)


# --- the keep rule (pure) -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "rank", "links", "keep_latest", "expected"),
    [
        ("pending", None, False, 1, "pending"),
        ("running", None, True, 1, "running"),
        ("succeeded", 1, False, 1, "latest_succeeded"),
        ("succeeded", 2, False, 1, None),
        ("succeeded", 2, False, 2, "latest_succeeded"),
        ("succeeded", 1, False, 0, None),
        ("failed", None, True, 1, "tracker_links"),
        ("canceled", None, False, 1, None),
    ],
)
def test_keep_reason(status, rank, links, keep_latest, expected):
    candidate = PruneCandidate(1, status, "jsonl", OLD, None, rank, links)
    assert keep_reason(candidate, keep_latest=keep_latest) == expected
    assert keep_reason(candidate, keep_latest=keep_latest, keep_tracker_links=False) == (
        None if expected == "tracker_links" else expected
    )


# --- storage --------------------------------------------------------------------------------------------------


def test_old_final_runs_go_with_every_row_and_leave_their_counts(db):
    succeeded = _run(db)
    failed = _run(db, status="failed", groups={"payroll_sync_failed": 3})
    canceled = _run(db, status="canceled", groups={})
    latest = _run(db)  # the latest succeeded run of its source: kept
    recent = _run(db, status="failed", ended=NOW - 10 * DAY)  # not old
    record_link(db, run_id=succeeded.id, story_id=f"{succeeded.id}-geofence_clock_in_rejected", tracker="shortcut",
                issue_signature="geofence_clock_in_rejected", external_id="7", external_url=None, payload_hash="h")
    # A later run's link to the same signature supersedes it, so the first run holds no newest link.
    record_link(db, run_id=latest.id, story_id=f"{latest.id}-geofence_clock_in_rejected", tracker="shortcut",
                issue_signature="geofence_clock_in_rejected", external_id="7", external_url=None, payload_hash="h")
    before = {run.id: _counts(db, run.id) for run in (succeeded, failed, canceled)}
    assert before[succeeded.id] == {"conversations": 7, "classifications": 7, "themes": 6, "stories": 2,
                                    "story_evidence": 6, "story_tracker_links": 1}

    seen = []
    report = prune_runs(db, older_than=90 * DAY, on_pruned=lambda run: seen.append((run.run_id, _ids(db))))

    assert [run.run_id for run in report.pruned] == [succeeded.id, failed.id, canceled.id]
    assert {run.run_id: dict(run.rows) for run in report.pruned} == before
    assert [(run.run_id, run.reason) for run in report.kept] == [(latest.id, "latest_succeeded")]
    assert report.failed == ()
    # on_pruned comes right after each run's commit: that run is gone, the later ones are not yet.
    assert seen[0] == (succeeded.id, {failed.id, canceled.id, latest.id, recent.id})
    assert _ids(db) == {latest.id, recent.id}
    with db.connect() as connection:
        for table in PRUNED_TABLES:
            left = connection.execute(
                text(f"SELECT DISTINCT pipeline_run_id FROM {table} ORDER BY pipeline_run_id")
            ).scalars().all()
            assert set(left) <= {latest.id, recent.id}, table

    runs, groups = _history(db)
    assert [(run["id"], run["status"], run["source"], run["classified_count"]) for run in runs] == [
        (succeeded.id, "succeeded", "jsonl", 7),
        (failed.id, "failed", "jsonl", 4),
        (canceled.id, "canceled", "jsonl", 1),
    ]
    assert runs[0]["rows_removed"] == before[succeeded.id]
    assert [(g["pipeline_run_id"], g["issue_signature"], g["status"], g["conversation_count"]) for g in groups] == [
        (succeeded.id, "csv_export_garbled", "orphan", 2),
        (succeeded.id, "geofence_clock_in_rejected", "candidate", 4),
        (failed.id, "payroll_sync_failed", "candidate", 3),
    ]
    assert report.rows_removed["conversations"] == 7 + 4 + 1
    assert report.pruned[0].line() == (
        f"pruned run {succeeded.id} (succeeded, {OLD:%Y-%m-%d}): 7 conversations, 7 classifications, 6 themes, "
        "2 stories, 6 evidence rows, 1 tracker link"
    )
    assert report.summary().startswith("pruned 3 runs older than 90 days (ended before ")
    assert (
        "46 rows removed (12 conversations, 12 classifications, 9 themes, 3 stories, 9 evidence rows, "
        "1 tracker link)"
    ) in report.summary()
    assert f"kept 1 run: 1 latest succeeded of its source (run {latest.id})" in report.summary()

    # Nothing left to do: a second prune is a no-op.
    again = prune_runs(db, older_than=90 * DAY)
    assert again.pruned == () and [run.run_id for run in again.kept] == [latest.id]


def test_pending_running_latest_and_tracker_linked_runs_stay(db):
    pending = _run(db, status="pending")
    running = _run(db, status="running")
    linked = _run(db, status="failed")
    record_link(db, run_id=linked.id, story_id=f"{linked.id}-csv_export_garbled", tracker="shortcut",
                issue_signature="csv_export_garbled", external_id="9", external_url=None, payload_hash="h")
    older = _run(db, source="intercom", window_end=OLD - 30 * DAY)
    latest = _run(db, source="intercom", window_end=OLD - 20 * DAY)
    report = prune_runs(db, older_than=90 * DAY)
    assert [run.run_id for run in report.pruned] == [older.id]
    assert {run.run_id: run.reason for run in report.kept} == {
        pending.id: "pending", running.id: "running", linked.id: "tracker_links", latest.id: "latest_succeeded",
    }
    assert "kept 4 runs: 1 pending (run {0}); 1 running (run {1}); 1 latest succeeded of its source (run {3}); " \
           "1 holds tracker links (run {2})".format(pending.id, running.id, linked.id, latest.id) in report.summary()
    # keep_latest=0 and keep_tracker_links=False let those go too; pending and running never.
    final = prune_runs(db, older_than=90 * DAY, keep_latest=0, keep_tracker_links=False)
    assert {run.run_id for run in final.pruned} == {linked.id, latest.id}
    assert _ids(db) == {pending.id, running.id}
    assert _counts(db, pending.id)["conversations"] == _counts(db, running.id)["conversations"] == 7


def _hold_lease_in_another_process(db_url: str, run_id: int) -> subprocess.Popen:
    script = textwrap.dedent(
        f"""
        import sys
        from feedback_assets.storage import leases, make_engine
        leases.acquire(make_engine({db_url!r}), {run_id}, "writer")
        print("held", flush=True)
        sys.stdin.read()
        """
    )
    writer = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert writer.stdout.readline().strip() == "held"
    return writer


def test_a_run_whose_lease_is_held_stays(db, db_url):
    held = _run(db, status="failed")
    other = _run(db, status="failed")
    writer = _hold_lease_in_another_process(db_url, held.id)
    try:
        dry = prune_runs(db, older_than=90 * DAY, dry_run=True)
        report = prune_runs(db, older_than=90 * DAY)
    finally:
        writer.stdin.close()
        writer.wait(timeout=30)
    for result in (dry, report):
        assert [run.run_id for run in result.pruned] == [other.id]
        assert [(run.run_id, run.reason) for run in result.kept] == [(held.id, "held")]
    assert _ids(db) == {held.id} and _counts(db, held.id)["story_evidence"] == 6
    assert "1 held by a writer (run" in report.summary()
    # Once the writer is gone, the run goes; the lease prune took is given back.
    assert [run.run_id for run in prune_runs(db, older_than=90 * DAY).pruned] == [held.id]
    assert not leases.is_held(db, held.id)


def test_dry_run_changes_nothing(db):
    first = _run(db)
    second = _run(db, status="failed")
    _run(db)
    before = {run.id: _counts(db, run.id) for run in list_runs(db)}
    report = prune_runs(db, older_than=90 * DAY, dry_run=True)
    assert [run.run_id for run in report.pruned] == [first.id, second.id]
    assert {run.run_id: dict(run.rows) for run in report.pruned} == {
        first.id: before[first.id], second.id: before[second.id]
    }
    assert report.pruned[0].line(dry_run=True).startswith(f"would prune run {first.id} (succeeded, ")
    assert report.summary().endswith("dry run: nothing was changed") and "rows to remove" in report.summary()
    assert {run.id: _counts(db, run.id) for run in list_runs(db)} == before
    assert _history(db) == ([], [])


def test_a_failure_in_the_middle_of_a_run_leaves_it_whole(db, monkeypatch):
    first = _run(db)
    broken = _run(db, status="failed")
    third = _run(db, status="canceled")
    _run(db)
    before = _counts(db, broken.id)
    original = pruning._delete_run

    def delete_then_fail(connection, run_id):
        original(connection, run_id)  # the run and its rows are deleted in the transaction…
        left = select(func.count()).select_from(pipeline_runs).where(pipeline_runs.c.id == run_id)
        assert connection.execute(left).scalar() == 0
        if run_id == broken.id:
            raise RuntimeError("disk full")  # …and then the transaction fails before its commit

    monkeypatch.setattr(pruning, "_delete_run", delete_then_fail)
    report = prune_runs(db, older_than=90 * DAY)
    assert [run.run_id for run in report.pruned] == [first.id, third.id]
    assert [(failure.run_id, failure.error) for failure in report.failed] == [(broken.id, "disk full")]
    assert report.failed[0].line() == (
        f"failed to prune run {broken.id} (failed): disk full; nothing of it was removed"
    )
    assert f"FAILED 1 run (run {broken.id}): unchanged" in report.summary()
    assert get_run(db, broken.id).status == "failed" and _counts(db, broken.id) == before
    runs, groups = _history(db)
    assert broken.id not in {run["id"] for run in runs} | {group["pipeline_run_id"] for group in groups}
    assert not leases.is_held(db, broken.id)


def test_a_database_refusal_during_the_cascade_rolls_the_run_back(db):
    victim = _run(db, status="failed")
    before = _counts(db, victim.id)
    with db.begin() as connection:
        if db.dialect.name == "postgresql":
            connection.execute(text(
                "CREATE FUNCTION refuse_evidence_delete() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'evidence is frozen'; END $$"
            ))
            connection.execute(text(
                "CREATE TRIGGER freeze_evidence BEFORE DELETE ON story_evidence "
                "FOR EACH ROW EXECUTE FUNCTION refuse_evidence_delete()"
            ))
        else:
            connection.execute(text(
                "CREATE TRIGGER freeze_evidence BEFORE DELETE ON story_evidence "
                "BEGIN SELECT RAISE(ABORT, 'evidence is frozen'); END"
            ))
    try:
        report = prune_runs(db, older_than=90 * DAY, keep_latest=0)
    finally:
        with db.begin() as connection:
            if db.dialect.name == "postgresql":
                connection.execute(text("DROP TRIGGER freeze_evidence ON story_evidence"))
                connection.execute(text("DROP FUNCTION refuse_evidence_delete()"))
            else:
                connection.execute(text("DROP TRIGGER freeze_evidence"))
    assert report.pruned == ()
    assert [failure.run_id for failure in report.failed] == [victim.id]
    assert "evidence is frozen" in report.failed[0].error
    assert _counts(db, victim.id) == before and _history(db) == ([], [])
    assert [run.run_id for run in prune_runs(db, older_than=90 * DAY, keep_latest=0).pruned] == [victim.id]


def test_bad_arguments_are_refused(db):
    with pytest.raises(ValueError, match="older_than"):
        prune_runs(db, older_than=-DAY)
    with pytest.raises(ValueError, match="keep_latest"):
        prune_runs(db, older_than=DAY, keep_latest=-1)


# --- trends keep the pruned runs' counts ----------------------------------------------------------------------


def test_trends_after_pruning_equal_trends_before(db):
    _run(db, groups={"geofence_clock_in_rejected": 5, "csv_export_garbled": 4, "bulk_edit_shifts": 3},
         window_end=OLD - 30 * DAY)
    _run(db, groups={}, window_end=OLD - 25 * DAY)  # classified, no story at all: every issue "gone"
    _run(db, groups={"geofence_clock_in_rejected_part1": 7, "geofence_clock_in_rejected_part2": 5,
                     "geofence_clock_in_rejected": 1, "csv_export_garbled": 1, "bulk_edit_shifts": 3,
                     "payroll_sync_failed_part1": 2, "payroll_sync_failed_part2": 1}, window_end=OLD - 20 * DAY)
    _run(db, status="failed", groups={"bulk_edit_shifts": 9}, window_end=OLD - 15 * DAY)
    _run(db, source="intercom", groups={"push_notifications_missing": 4}, window_end=OLD - 40 * DAY)
    before = (_trend_report(db), _trend_report(db, same_source=False))
    assert before[0].issues and len(before[0].runs) == 3 and len(before[1].runs) == 4

    report = prune_runs(db, older_than=90 * DAY, keep_latest=0, keep_tracker_links=False)
    assert len(report.pruned) == 5 and list_runs(db) == []
    assert (_trend_report(db), _trend_report(db, same_source=False)) == before


# --- Dagster: the job, the schedule, partitions -----------------------------------------------------------------


def _prune_definitions(db_url: str) -> dg.Definitions:
    """The code location with the prune job and schedule added as definitions.py wires them."""
    return dg.Definitions.merge(
        definitions_for(db_url), dg.Definitions(jobs=list(prune_defs.jobs), schedules=list(prune_defs.schedules))
    )


def _execute_prune(defs: dg.Definitions, instance, **config):
    return defs.resolve_job_def(prune_defs.PRUNE_JOB_NAME).execute_in_process(
        instance=instance, raise_on_error=False,
        run_config={**QUIET, "ops": {prune_defs.PRUNE_OP_NAME: {"config": config}}},
    )


def test_the_job_prunes_runs_and_their_partitions(db, db_url, instance, monkeypatch):
    defs = _prune_definitions(db_url)
    old = [_run(db), _run(db, status="failed"), _run(db, status="canceled")]
    latest = _run(db)
    pending = _run(db, status="pending")
    instance.add_dynamic_partitions(PIPELINE_RUNS, [str(run.id) for run in (*old, latest, pending)])

    dry = _execute_prune(defs, instance, older_than_days=90, dry_run=True)
    assert dry.success and len(_ids(db)) == 5 and len(instance.get_dynamic_partitions(PIPELINE_RUNS)) == 5

    # The partition of the second run cannot be deleted now: the run still goes, the sensor cleans up.
    delete_partition = instance.delete_dynamic_partition
    monkeypatch.setattr(
        instance, "delete_dynamic_partition",
        lambda name, key: (_ for _ in ()).throw(RuntimeError("instance busy")) if key == str(old[1].id)
        else delete_partition(name, key),
    )
    result = _execute_prune(defs, instance)  # the defaults: 90 days, keep the latest succeeded
    assert result.success
    metadata = _op_metadata(result)
    assert metadata["runs_pruned"] == 3 and metadata["runs_kept"] == 2
    assert metadata["kept_pending"] == 1 and metadata["kept_latest_succeeded"] == 1
    assert metadata["conversations_removed"] == 7 * 3 and metadata["rows_removed"] == sum(
        metadata[f"{table}_removed"] for table in PRUNED_TABLES
    )
    assert _ids(db) == {latest.id, pending.id}
    assert set(instance.get_dynamic_partitions(PIPELINE_RUNS)) == {str(old[1].id), str(latest.id), str(pending.id)}
    warnings = [
        record.user_message for record in instance.all_logs(result.run_id)
        if record.level >= 30 and "stays in Dagster" in (record.user_message or "")
    ]
    assert warnings and "pending_runs sensor removes" in warnings[0]

    # The pending_runs sensor removes the partition that names no run any more.
    with dg.build_sensor_context(instance=instance, resources={"database": FeedbackDatabase(url=db_url)}) as context:
        sensor_result = pending_runs(context)
    deletions = [request for request in sensor_result.dynamic_partitions_requests
                 if isinstance(request, dg.DeleteDynamicPartitionsRequest)]
    assert [list(request.partition_keys) for request in deletions] == [[str(old[1].id)]]


def _op_metadata(result) -> dict:
    (output,) = [event for event in result.all_events if event.event_type_value == "STEP_OUTPUT"]
    return {key: value.value for key, value in output.event_specific_data.metadata.items()}


def test_the_job_fails_when_a_run_could_not_be_pruned(db, db_url, instance, monkeypatch):
    defs = _prune_definitions(db_url)
    run = _run(db, status="failed")

    def refuse(connection, run_id):
        raise RuntimeError("disk full")

    monkeypatch.setattr(pruning, "_delete_run", refuse)
    result = _execute_prune(defs, instance, older_than_days=90)
    assert not result.success
    (failure,) = [event for event in result.all_events if event.event_type_value == "STEP_FAILURE"]
    assert f"failed to prune run {run.id} (failed): disk full" in failure.event_specific_data.error.message
    assert _ids(db) == {run.id}
    refused = _execute_prune(defs, instance, older_than_days=0)
    assert not refused.success


def test_the_schedule_is_daily_off_by_default_and_configurable(db_url, instance, monkeypatch):
    defs = _prune_definitions(db_url)
    schedule = defs.resolve_schedule_def(prune_defs.PRUNE_SCHEDULE_NAME)
    assert schedule.default_status == dg.DefaultScheduleStatus.STOPPED
    assert schedule.cron_schedule == "30 3 * * *" and schedule.job_name == prune_defs.PRUNE_JOB_NAME

    def evaluate():
        with dg.build_schedule_context(instance=instance) as context:
            return schedule.evaluate_tick(context)

    monkeypatch.delenv(prune_defs.OLDER_THAN_DAYS_ENV, raising=False)
    (request,) = evaluate().run_requests
    assert request.run_config == {"ops": {"prune_runs": {"config": {"older_than_days": 90}}}}
    monkeypatch.setenv(prune_defs.OLDER_THAN_DAYS_ENV, "30")
    (request,) = evaluate().run_requests
    assert request.run_config["ops"]["prune_runs"]["config"]["older_than_days"] == 30
    monkeypatch.setenv(prune_defs.OLDER_THAN_DAYS_ENV, "soon")
    skipped = evaluate()
    assert not skipped.run_requests and prune_defs.OLDER_THAN_DAYS_ENV in skipped.skip_message


def _materialise_trends(defs, instance) -> dict:
    result = defs.resolve_implicit_global_asset_job_def().execute_in_process(
        asset_selection=[TRENDS_KEY], instance=instance, run_config=QUIET, raise_on_error=False
    )
    assert result.success
    (event,) = result.get_asset_materialization_events()
    metadata = event.step_materialization_data.materialization.metadata
    return {name: value.value for name, value in metadata.items() if name != "compute_seconds"}


def test_story_trends_after_pruning_real_pipeline_runs_is_unchanged(db, db_url, tmp_path, instance):
    defs = _prune_definitions(db_url)
    if TRENDS_KEY not in defs.resolve_asset_graph().get_all_asset_keys():
        defs = dg.Definitions.merge(defs, dg.Definitions(assets=[story_trends]))
    weeks = []
    for week in (1, 2):
        path = write_week(tmp_path / f"w{week}.jsonl", week)
        run = create_run(db, source="jsonl", source_params={"path": str(path)})
        result = execute(defs, instance, run.partition_key)
        assert result.success
        weeks.append(settle_run(instance, db, get_run(db, run.id), instance.get_run_by_id(result.run_id)))
        _age(db, run.id, OLD + week * DAY)
    before = _materialise_trends(defs, instance)
    assert before["runs_compared"] == 2 and before["growing_issues"] == 1

    pruned = _execute_prune(defs, instance, older_than_days=90)  # week 1; week 2 is the latest: kept
    assert pruned.success and _ids(db) == {weeks[1].id}
    assert _materialise_trends(defs, instance) == before
    everything = _execute_prune(defs, instance, older_than_days=90, keep_latest=0)
    assert everything.success and _ids(db) == set() and instance.get_dynamic_partitions(PIPELINE_RUNS) == []
    assert _materialise_trends(defs, instance) == before


# --- the command --------------------------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project-local data folder and Dagster home, as `feedback-assets` sets them up."""
    monkeypatch.setenv("FEEDBACK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "data" / "dagster_home"))
    from feedback_assets.defs.instance import ensure_dagster_home

    ensure_dagster_home()
    return tmp_path


def _partitions() -> set[str]:
    with dg.DagsterInstance.get() as instance:
        return set(instance.get_dynamic_partitions(PIPELINE_RUNS))


def test_the_command_prints_each_run_and_a_summary(db, db_url, project, capsys):
    from feedback_assets.prune_command import main

    old = _run(db)
    linked = _run(db, status="failed")
    record_link(db, run_id=linked.id, story_id=f"{linked.id}-csv_export_garbled", tracker="shortcut",
                issue_signature="csv_export_garbled", external_id="9", external_url=None, payload_hash="h")
    latest = _run(db)
    pending = _run(db, status="pending")
    running = _run(db, status="running")
    with dg.DagsterInstance.get() as dagster:
        dagster.add_dynamic_partitions(PIPELINE_RUNS, [str(run.id) for run in (old, linked, latest, pending, running)])
    before = {run.id: _counts(db, run.id) for run in list_runs(db)}

    assert main(["--older-than", "90", "--dry-run", "--database-url", db_url]) == 0
    dry = capsys.readouterr()
    assert dry.out.splitlines()[0] == (
        f"would prune run {old.id} (succeeded, {OLD:%Y-%m-%d}): 7 conversations, 7 classifications, 6 themes, "
        "2 stories, 6 evidence rows"
    )
    assert dry.out.splitlines()[-1].endswith("dry run: nothing was changed")
    assert {run.id: _counts(db, run.id) for run in list_runs(db)} == before and len(_partitions()) == 5

    assert main(["--older-than", "90", "--database-url", db_url]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"pruned run {old.id} (succeeded, {OLD:%Y-%m-%d}): 7 conversations, 7 classifications, 6 themes, 2 stories, "
        "6 evidence rows",
        out[-1],
    ]
    assert out[-1].startswith("pruned 1 run older than 90 days (ended before ")
    assert out[-1].endswith(
        "28 rows removed (7 conversations, 7 classifications, 6 themes, 2 stories, 6 evidence rows); kept 4 runs: "
        f"1 pending (run {pending.id}); 1 running (run {running.id}); "
        f"1 latest succeeded of its source (run {latest.id}); 1 holds tracker links (run {linked.id})"
    )
    assert _ids(db) == {linked.id, latest.id, pending.id, running.id}
    assert _partitions() == {str(run.id) for run in (linked, latest, pending, running)}


@pytest.mark.parametrize(
    ("days", "message"),
    [("abc", "'abc' is not a whole number"), ("0", "'0' must be at least 1"), ("-3", "'-3' must be at least 1"),
     ("40000", "too many days (at most 36,500)")],
)
def test_the_command_refuses_bad_days_in_one_line(sqlite_url, project, capsys, days, message):
    from feedback_assets.prune_command import main

    assert main(["--older-than", days, "--database-url", sqlite_url]) == 2
    printed = capsys.readouterr()
    assert printed.out == "" and len(printed.err.splitlines()) == 1
    assert printed.err.startswith("feedback-assets prune: argument --older-than: ") and message in printed.err


@dg.op
def _crashes():
    raise RuntimeError("worker crashed")


@dg.job
def _crashing_job():
    _crashes()


def test_the_command_settles_stale_runs_first_and_exits_1_on_a_failed_run(db, db_url, project, capsys, monkeypatch):
    from feedback_assets.prune_command import main

    run = _run(db, status="failed")
    # A run still `running` whose Dagster run ended: settled first (now failed, so recently ended: kept).
    stale = _run(db, status="running")
    with dg.DagsterInstance.get() as dagster:
        ended = _crashing_job.execute_in_process(
            instance=dagster, raise_on_error=False, tags={"dagster/partition": stale.partition_key}
        )
    update_run(db, stale.id, dagster_run_id=ended.run_id)
    def refuse(connection, run_id):
        raise RuntimeError("disk full")

    monkeypatch.setattr(pruning, "_delete_run", refuse)
    assert main(["--older-than", "90", "--database-url", db_url]) == 1
    printed = capsys.readouterr()
    assert printed.out.splitlines()[0].startswith(f"settled pipeline run {stale.id}: failed")
    assert get_run(db, stale.id).status == "failed"
    assert f"failed to prune run {run.id} (failed): disk full; nothing of it was removed" in printed.err
    assert f"FAILED 1 run (run {run.id}): unchanged" in printed.out and "kept none" in printed.out
    assert _ids(db) == {run.id, stale.id}
