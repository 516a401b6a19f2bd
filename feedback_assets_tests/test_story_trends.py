"""The ``story_trends`` asset on SQLite and PostgreSQL: the trend reads (runs in order, split parts, orphans)
and the asset materialised alone through Dagster after real pipeline runs — labels, the table, numeric
metadata across materialisations, 0 and 1 runs, and history left as it was."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import dagster as dg
import pytest

from feedback_assets.defs.runs import settle_run
from feedback_assets.defs.trends import GROUP_NAME, story_trends
from feedback_assets.domain.trends import compute_trends, select_runs, tracked_signatures
from feedback_assets.storage import create_run, get_run, make_engine, read_partition, replace_partitions, update_run
from feedback_assets.storage.trends import iter_story_counts, iter_tracking_groups, iter_trend_runs
from feedback_assets_tests.dagster_helpers import QUIET, definitions_for, execute
from feedback_assets_tests.trend_data import write_week

TRENDS_KEY = dg.AssetKey("story_trends")


@pytest.fixture
def instance():
    with dg.instance_for_test() as instance:
        yield instance


# --- the reads ------------------------------------------------------------------------------------------


def _succeeded_run(engine, stories: list[tuple[str, int, str]], *, classified: int = 100, source: str = "jsonl",
                   window_end: datetime | None = None):
    run = create_run(engine, source=source, window_end=window_end)
    replace_partitions(
        engine,
        run.id,
        {
            "stories": [
                {
                    "id": f"{run.id}-{signature}",
                    "pipeline_run_id": run.id,
                    "issue_signature": signature,
                    "title": signature.replace("_", " "),
                    "description": "-",
                    "status": status,
                    "conversation_count": count,
                    "priority": "normal",
                }
                for signature, count, status in stories
            ]
        },
    )
    update_run(engine, run.id, status="running")
    return update_run(engine, run.id, status="succeeded", classified_count=classified)


def test_runs_come_latest_first_by_window_end_else_creation(db):
    first = _succeeded_run(db, [])
    second = _succeeded_run(db, [])
    # Created last, but over a window that ended before the second run was made: a backfill, not the latest.
    backfill = _succeeded_run(db, [], window_end=second.created_at - timedelta(microseconds=1))
    failed = create_run(db, source="jsonl")
    update_run(db, failed.id, status="failed")
    other = _succeeded_run(db, [], source="intercom")
    runs = list(iter_trend_runs(db))
    assert [run.run_id for run in runs] == [other.id, second.id, backfill.id, first.id]
    assert runs[1].size == 100 and runs[1].created_at.tzinfo is not None
    any_source = select_runs(iter_trend_runs(db), limit=3, same_source=False)
    assert [run.run_id for run in any_source] == [backfill.id, second.id, other.id]
    assert [run.run_id for run in select_runs(iter_trend_runs(db), limit=3)] == [other.id]


def test_split_parts_and_orphans_are_read_and_matched_on_both_dialects(db):
    first = _succeeded_run(db, [("geofence_clock_in_rejected", 9, "candidate"), ("csv_export_garbled", 4, "candidate"),
                                ("shift_party_planner", 2, "orphan")])
    second = _succeeded_run(
        db,
        [
            ("geofence_clock_in_rejected_part1", 7, "candidate"),
            ("geofence_clock_in_rejected_part2", 5, "candidate"),
            ("geofence_clock_in_rejected", 1, "orphan"),  # not placed by the review
            ("csv_export_garbled", 1, "orphan"),  # fell below the story threshold
            ("payroll_sync_failed_part1", 2, "orphan"),
            ("payroll_sync_failed_part2", 1, "orphan"),
            ("shift_party_planner", 2, "orphan"),  # "_part" inside a word: not a split, an orphan: untracked
        ],
    )
    tracking = sorted((row.run_id, row.signature) for row in iter_tracking_groups(db, [first.id, second.id]))
    assert tracking == [
        (first.id, "csv_export_garbled"),
        (first.id, "geofence_clock_in_rejected"),
        (first.id, "shift_party_planner"),  # the LIKE is a superset; the domain decides
        (second.id, "geofence_clock_in_rejected_part1"),
        (second.id, "geofence_clock_in_rejected_part2"),
        (second.id, "payroll_sync_failed_part1"),
        (second.id, "payroll_sync_failed_part2"),
        (second.id, "shift_party_planner"),
    ]
    runs = select_runs(iter_trend_runs(db))
    tracked = tracked_signatures(runs, iter_tracking_groups(db, [first.id, second.id]))
    assert tracked == {"geofence_clock_in_rejected", "csv_export_garbled", "payroll_sync_failed"}
    report = compute_trends(runs, iter_story_counts(db, [first.id, second.id], chunk_size=2), tracked=tracked)
    assert {issue.signature: (issue.trend, issue.counts) for issue in report.issues} == {
        "geofence_clock_in_rejected": ("growing", (9, 13)),  # the parts and the unplaced one: one issue
        "payroll_sync_failed": ("new", (0, 3)),  # two orphan parts that together were a candidate group
        "csv_export_garbled": ("shrinking", (4, 1)),  # an orphan now: shrinking, not gone
    }
    assert list(iter_story_counts(db, [])) == [] and list(iter_tracking_groups(db, [])) == []


def test_the_reads_are_the_same_after_pruning(db):
    """Pruned runs (``storage.pruning``) are read from ``pruned_runs`` / ``issue_count_history``: the runs, the
    tracking groups and the story counts come back as before, in the same order, live and pruned runs mixed."""
    from feedback_assets.storage.pruning import prune_runs

    first = _succeeded_run(db, [("geofence_clock_in_rejected", 9, "candidate"), ("csv_export_garbled", 4, "candidate")])
    _succeeded_run(db, [], classified=40)  # no story at all: still a comparable run
    third = _succeeded_run(db, [("geofence_clock_in_rejected_part1", 7, "candidate"),
                                ("geofence_clock_in_rejected_part2", 2, "orphan"), ("csv_export_garbled", 1, "orphan")])
    _succeeded_run(db, [("push_notifications_missing", 4, "candidate")], source="intercom")
    latest = _succeeded_run(db, [("geofence_clock_in_rejected", 3, "candidate")])

    def reads():
        runs = list(iter_trend_runs(db))
        ids = [run.run_id for run in runs]
        compared = select_runs(runs)
        return (
            runs,
            list(iter_tracking_groups(db, ids)),
            list(iter_story_counts(db, ids, chunk_size=2)),
            compute_trends(compared, list(iter_story_counts(db, [run.run_id for run in compared]))),
        )

    before = reads()
    report = prune_runs(db, older_than=timedelta(0), now=datetime.now(timezone.utc) + timedelta(days=1))
    # The latest succeeded run of each source stays; the others are only history now.
    assert {run.run_id for run in report.kept} == {latest.id, latest.id - 1}
    assert {run.run_id for run in report.pruned} == {first.id, first.id + 1, third.id}
    assert reads() == before


# --- the asset through Dagster --------------------------------------------------------------------------


def _definitions(db_url: str) -> dg.Definitions:
    """The code location with ``story_trends`` (added here unless the code location has it already)."""
    base = definitions_for(db_url)
    if TRENDS_KEY in base.resolve_asset_graph().get_all_asset_keys():
        return base
    return dg.Definitions.merge(base, dg.Definitions(assets=[story_trends]))


def _materialise_trends(defs: dg.Definitions, instance, **config) -> dict:
    """``story_trends`` alone, as the UI's Materialize launches it: the asset job, no partition."""
    run_config = {**QUIET, **({"ops": {"story_trends": {"config": config}}} if config else {})}
    result = defs.resolve_implicit_global_asset_job_def().execute_in_process(
        asset_selection=[TRENDS_KEY], instance=instance, run_config=run_config, raise_on_error=False
    )
    assert result.success
    (event,) = result.get_asset_materialization_events()
    assert event.asset_key == TRENDS_KEY and event.partition is None
    return {name: value.value for name, value in event.step_materialization_data.materialization.metadata.items()}


def _pipeline_run(defs, instance, engine, path):
    run = create_run(engine, source="jsonl", source_params={"path": str(path)})
    result = execute(defs, instance, run.partition_key)
    assert result.success
    settled = settle_run(instance, engine, get_run(engine, run.id), instance.get_run_by_id(result.run_id))
    assert settled.status == "succeeded"
    return settled


def test_story_trends_is_unpartitioned_downstream_of_every_stories_partition(db_url):
    graph = _definitions(db_url).resolve_asset_graph()
    node = graph.get(TRENDS_KEY)
    assert node.partitions_def is None
    assert node.parent_keys == {dg.AssetKey("stories")}
    assert isinstance(graph.get_partition_mapping(TRENDS_KEY, dg.AssetKey("stories")), dg.AllPartitionMapping)
    assert node.group_name == GROUP_NAME == graph.get(dg.AssetKey("stories")).group_name


def test_trends_across_pipeline_runs(db_url, tmp_path, instance):
    defs = _definitions(db_url)
    engine = make_engine(db_url)

    # No run yet: a materialisation that says so.
    empty = _materialise_trends(defs, instance)
    assert empty["runs_compared"] == 0 and empty["tracked_issues"] == 0
    assert empty["latest_run_id"] == "none" and "nothing to compare" in empty["comparison"]
    assert all(empty[f"{trend}_issues"] == 0 for trend in ("new", "growing", "steady", "shrinking", "gone"))

    # One run: every story is new, and the metadata says a trend needs two.
    week1 = _pipeline_run(defs, instance, engine, write_week(tmp_path / "week1.jsonl", 1))
    single = _materialise_trends(defs, instance)
    assert single["runs_compared"] == 1 and single["latest_run_id"] == str(week1.id)
    assert single["previous_run_id"] == "none" and "only one comparable run" in single["comparison"]
    assert single["new_issues"] == week1.stories_count == single["tracked_issues"] == 3

    # A second week; then a run that fails and one still pending: neither is compared.
    before = {table: read_partition(engine, table, week1.id) for table in ("stories", "story_evidence")}
    week2 = _pipeline_run(defs, instance, engine, write_week(tmp_path / "week2.jsonl", 2))
    broken = create_run(engine, source="jsonl", source_params={"path": str(tmp_path / "missing.jsonl")})
    failure = execute(defs, instance, broken.partition_key)
    assert not failure.success
    dagster_run = instance.get_run_by_id(failure.run_id)
    assert settle_run(instance, engine, get_run(engine, broken.id), dagster_run).status == "failed"
    create_run(engine, source="jsonl")  # pending

    metadata = _materialise_trends(defs, instance)
    assert metadata["runs_compared"] == 2
    assert metadata["latest_run_id"] == str(week2.id) and metadata["previous_run_id"] == str(week1.id)
    assert metadata["compared_run_ids"] == f"{week1.id}, {week2.id}"
    assert (metadata["new_issues"], metadata["growing_issues"], metadata["steady_issues"],
            metadata["shrinking_issues"], metadata["gone_issues"]) == (1, 1, 1, 0, 1)
    assert metadata["tracked_issues"] == metadata["dagster/row_count"] == 4
    assert metadata["latest_run_conversations"] == week2.classified_count
    sizes = f"{week2.classified_count} / {week1.classified_count}"
    assert f"scaled by classified conversations {sizes}" in metadata["comparison"]

    table = metadata["trends"].splitlines()
    assert table[0] == f"| issue | trend | run {week1.id} | run {week2.id} | change | seen in runs |"
    rows = {line.split(" | ")[1]: line for line in table[2:] if line.startswith("| ")}
    assert list(rows) == ["new", "growing", "gone", "steady"]  # by trend
    assert "`geofence_clock_in_rejected`" in rows["growing"] and "| 5 | 12 |" in rows["growing"]
    assert "5 → 12" in rows["growing"]
    assert "csv_export" in rows["gone"] and "gone: was 3" in rows["gone"]
    assert "bulk_edit" in rows["steady"] and "| 3 | 3 |" in rows["steady"]
    link = "[{0}](/assets/stories?view=partitions&partition={0})"
    assert f"{link.format(week1.id)}, {link.format(week2.id)}" in rows["growing"]
    assert rows["new"].endswith(f"| {link.format(week2.id)} |")

    # History is never rewritten: the first run's stories are as they were, and still readable.
    assert {table: read_partition(engine, table, week1.id) for table in before} == before

    # Every materialisation is kept with numbers the UI plots.
    history = instance.fetch_materializations(TRENDS_KEY, limit=10).records
    assert len(history) == 3
    plotted = [record.asset_materialization.metadata["runs_compared"] for record in reversed(history)]
    assert all(isinstance(value, dg.IntMetadataValue) for value in plotted)
    assert [value.value for value in plotted] == [0, 1, 2]

    # Showing fewer runs is a setting; fewer than two is refused.
    assert _materialise_trends(defs, instance, runs=2)["runs_compared"] == 2
    refused = defs.resolve_implicit_global_asset_job_def().execute_in_process(
        asset_selection=[TRENDS_KEY], instance=instance, raise_on_error=False,
        run_config={"ops": {"story_trends": {"config": {"runs": 1}}}},
    )
    assert not refused.success
