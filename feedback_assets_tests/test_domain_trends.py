"""The trend rule across runs (``feedback_assets.domain.trends``): canonical signatures, comparable runs,
tracked issues and the new / growing / steady / shrinking / gone labels with size normalisation."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from feedback_assets.domain.trends import (
    TRENDS,
    StoryCount,
    TrendRule,
    TrendRun,
    canonical_signature,
    compare,
    compute_trends,
    select_runs,
    tracked_signatures,
)

T0 = datetime(2026, 9, 1, tzinfo=timezone.utc)


def run(run_id: int, *, size: int = 100, status: str = "succeeded", source: str = "jsonl", day: int | None = None,
        window_end: datetime | None = None) -> TrendRun:
    return TrendRun(
        run_id=run_id, source=source, status=status, size=size,
        created_at=T0 + timedelta(days=run_id if day is None else day), window_end=window_end,
    )


def story(run_id: int, signature: str, count: int, status: str | None = None, title: str | None = None) -> StoryCount:
    return StoryCount(
        run_id=run_id, signature=signature, title=title or signature.replace("_", " "),
        conversation_count=count, status=status or ("candidate" if count >= 3 else "orphan"),
    )


def by_signature(report) -> dict:
    return {issue.signature: issue for issue in report.issues}


# --- canonical signatures -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "signature, canonical",
    [
        ("geofence_clock_in_rejected_part2", "geofence_clock_in_rejected"),
        ("csv_export_garbled_part1", "csv_export_garbled"),
        ("csv_export_garbled_part12", "csv_export_garbled"),
        ("csv_export_garbled", "csv_export_garbled"),
        ("spare_part2", "spare_part2"),  # "spare" alone is no signature: a real word, not a split
        ("csv_export_part0", "csv_export_part0"),  # parts count from 1
        ("csv_export_part02", "csv_export_part02"),
        ("csv_export_parts", "csv_export_parts"),
        ("csv_export_part2_part1", "csv_export_part2"),  # one review, one suffix
    ],
)
def test_canonical_signature_drops_the_review_split_suffix_only(signature, canonical):
    assert canonical_signature(signature) == canonical


# --- the rule -------------------------------------------------------------------------------------------


def test_growing_needs_both_the_relative_and_the_absolute_change():
    assert compare(4, 8, 100, 100).trend == "growing"  # +4, +100 %
    assert compare(12, 15, 100, 100).trend == "growing"  # +3, +25 %: both thresholds are inclusive
    assert compare(2, 4, 100, 100).trend == "steady"  # +100 % but only +2 conversations
    assert compare(20, 24, 100, 100).trend == "steady"  # +4 conversations but only +20 %
    assert compare(200, 203, 100, 100).trend == "steady"


def test_shrinking_mirrors_growing():
    assert compare(8, 4, 100, 100).trend == "shrinking"  # −4, −50 %
    assert compare(12, 9, 100, 100).trend == "shrinking"  # −3, −25 %
    assert compare(4, 2, 100, 100).trend == "steady"  # −50 % but −2 conversations
    assert compare(20, 16, 100, 100).trend == "steady"  # −4 but −20 %


def test_new_and_gone_are_about_absence():
    assert compare(0, 1, 100, 100).trend == "new"
    assert compare(0, 40, 100, 100).trend == "new"
    assert compare(1, 0, 100, 100).trend == "gone"
    assert compare(30, 0, 100, 100).trend == "gone"
    first = compare(None, 5, None, 100)  # no previous run: everything present is new
    assert first.trend == "new" and first.expected is None and first.change is None


def test_counts_are_scaled_by_run_size_so_a_bigger_run_is_not_growth():
    same_share = compare(10, 20, 100, 200)  # twice the conversations, twice the reports: the same share
    assert same_share.trend == "steady"
    assert same_share.expected == pytest.approx(20.0) and same_share.change == pytest.approx(0.0)
    assert compare(10, 10, 100, 200).trend == "shrinking"  # the same count in a run twice as big: half the share
    assert compare(10, 30, 100, 200).trend == "growing"  # 30 vs 20 expected: +10, +50 %
    unscaled = TrendRule(normalise_by_run_size=False)
    assert compare(10, 20, 100, 200, unscaled).trend == "growing"
    # A run of unknown or empty size compares raw counts.
    assert compare(10, 20, 0, 200).trend == "growing"


def test_the_thresholds_are_settings():
    strict = TrendRule(min_relative_change=0.5, min_absolute_change=10)
    assert compare(20, 29, 100, 100, strict).trend == "steady"
    assert compare(20, 30, 100, 100, strict).trend == "growing"
    with pytest.raises(ValueError):
        TrendRule(min_absolute_change=-1)


# --- which runs are compared ----------------------------------------------------------------------------


def test_only_succeeded_runs_with_classified_conversations_of_the_latest_source_are_compared():
    latest_first = [
        run(9, status="running"),
        run(8, status="failed"),
        run(7),
        run(6, size=0),  # an empty window: it saw nothing
        run(5, source="intercom"),
        run(4, status="canceled"),
        run(3),
        run(2),
        run(1),
    ]
    assert [r.run_id for r in select_runs(latest_first, limit=3)] == [2, 3, 7]
    assert [r.run_id for r in select_runs(latest_first, limit=3, same_source=False)] == [3, 5, 7]
    assert [r.run_id for r in select_runs(latest_first, limit=10)] == [1, 2, 3, 7]


def test_runs_are_read_only_until_enough_were_found():
    seen = []

    def runs():
        for run_id in range(50, 0, -1):
            seen.append(run_id)
            yield run(run_id)

    assert [r.run_id for r in select_runs(runs(), limit=2)] == [49, 50]
    assert seen == [50, 49]


def test_runs_are_ordered_by_their_window_end_else_their_creation():
    # Run 3 was created last but covers an older window: it is not the latest.
    backfill = run(3, window_end=T0 + timedelta(days=1, hours=12))
    assert backfill.as_of < run(2).as_of
    assert [r.run_id for r in select_runs([run(2), backfill, run(1)], limit=5)] == [1, 3, 2]
    with pytest.raises(ValueError, match="latest first"):
        select_runs([run(1), run(2)])


# --- whole reports --------------------------------------------------------------------------------------


def test_a_report_labels_each_issue_and_orders_by_trend_then_size():
    runs = (run(1), run(2))
    rows = [
        story(1, "geofence_clock_in_rejected", 5),
        story(2, "geofence_clock_in_rejected", 12),  # growing
        story(1, "csv_export_garbled", 4),  # gone
        story(2, "shift_bulk_edit", 3),  # new
        story(2, "availability_setting_unclear", 6),
        story(1, "availability_setting_unclear", 5),  # steady
        story(1, "payroll_sync_failed", 9),
        story(2, "payroll_sync_failed", 4),  # shrinking
        story(1, "break_length_unclear", 2),
        story(2, "break_length_unclear", 1),  # orphan in both runs: noise, not tracked
        story(2, "late_badge_missing", 1),  # a new orphan: too small to report
    ]
    report = compute_trends(runs, rows)
    assert [(i.signature, i.trend) for i in report.issues] == [
        ("shift_bulk_edit", "new"),
        ("geofence_clock_in_rejected", "growing"),
        ("payroll_sync_failed", "shrinking"),
        ("csv_export_garbled", "gone"),
        ("availability_setting_unclear", "steady"),
    ]
    assert report.counts() == {"new": 1, "growing": 1, "shrinking": 1, "gone": 1, "steady": 1}
    assert list(report.counts()) == list(TRENDS)
    growing = by_signature(report)["geofence_clock_in_rejected"]
    assert growing.counts == (5, 12) and growing.previous == 5 and growing.latest == 12
    assert growing.change == pytest.approx(7.0) and growing.relative_change == pytest.approx(1.4)
    assert growing.seen_in == (1, 2)
    assert by_signature(report)["csv_export_garbled"].seen_in == (1,)
    # The same rows in any order give the same report.
    assert compute_trends(runs, list(reversed(rows))) == report


def test_the_first_run_makes_every_story_new():
    report = compute_trends((run(1),), [story(1, "geofence_clock_in_rejected", 5), story(1, "csv_export_garbled", 2)])
    assert [(i.signature, i.trend, i.previous) for i in report.issues] == [("geofence_clock_in_rejected", "new", None)]
    assert report.latest.run_id == 1 and report.previous is None


def test_no_runs_give_an_empty_report():
    report = compute_trends((), [])
    assert report.issues == () and report.latest is None and report.counts() == dict.fromkeys(TRENDS, 0)


def test_a_run_with_zero_stories_makes_every_issue_gone():
    rows = [story(1, "geofence_clock_in_rejected", 5), story(1, "csv_export_garbled", 3)]
    report = compute_trends((run(1), run(2)), rows)  # run 2 classified conversations but none was actionable
    assert [(i.signature, i.trend, i.counts) for i in report.issues] == [
        ("geofence_clock_in_rejected", "gone", (5, 0)),
        ("csv_export_garbled", "gone", (3, 0)),
    ]


def test_an_issue_that_fell_below_the_story_threshold_is_shrinking_not_gone():
    rows = [story(1, "geofence_clock_in_rejected", 8), story(2, "geofence_clock_in_rejected", 2)]
    report = compute_trends((run(1), run(2)), rows)
    (issue,) = report.issues
    assert issue.trend == "shrinking" and issue.counts == (8, 2) and issue.story_in == (True, False)
    # A small drop below the threshold is steady.
    report = compute_trends((run(1), run(2)), [story(1, "csv_export_garbled", 3), story(2, "csv_export_garbled", 2)])
    assert report.issues[0].trend == "steady"


def test_split_parts_are_one_issue_whose_count_is_their_sum():
    runs = (run(1), run(2))
    rows = [
        story(1, "geofence_clock_in_rejected", 10),
        story(2, "geofence_clock_in_rejected_part1", 6, title="Clock-in rejected at the warehouse"),
        story(2, "geofence_clock_in_rejected_part2", 4),
        story(2, "geofence_clock_in_rejected", 1),  # a conversation the review did not place
    ]
    (issue,) = compute_trends(runs, rows).issues
    assert issue.signature == "geofence_clock_in_rejected"
    assert issue.counts == (10, 11) and issue.trend == "steady"
    assert issue.title == "Clock-in rejected at the warehouse"  # the largest group of the latest run
    assert issue.signatures == (
        "geofence_clock_in_rejected",
        "geofence_clock_in_rejected_part1",
        "geofence_clock_in_rejected_part2",
    )


def test_parts_too_small_alone_still_make_the_issue_a_story():
    runs = (run(1), run(2))
    rows = [story(2, "csv_export_garbled_part1", 2), story(2, "csv_export_garbled_part2", 2)]  # both orphans
    (issue,) = compute_trends(runs, rows).issues
    assert issue.trend == "new" and issue.latest == 4 and issue.story_in == (False, True)
    assert tracked_signatures(runs, rows) == {"csv_export_garbled"}


def test_differently_numbered_parts_match_across_runs():
    runs = (run(1), run(2), run(3))
    rows = [
        story(1, "payroll_sync_failed_part1", 3),
        story(1, "payroll_sync_failed_part2", 3),
        story(2, "payroll_sync_failed", 6),
        story(3, "payroll_sync_failed_part1", 14),
    ]
    (issue,) = compute_trends(runs, rows).issues
    assert issue.counts == (6, 6, 14) and issue.trend == "growing" and issue.seen_in == (1, 2, 3)


def test_sizes_normalise_a_whole_report():
    # Run 2 saw twice the conversations: every issue doubled, nothing grew.
    runs = (run(1, size=50), run(2, size=100))
    rows = [story(1, "geofence_clock_in_rejected", 6), story(2, "geofence_clock_in_rejected", 12),
            story(1, "csv_export_garbled", 5), story(2, "csv_export_garbled", 10)]
    report = compute_trends(runs, rows)
    assert {i.trend for i in report.issues} == {"steady"} and len(report.issues) == 2
    assert by_signature(report)["geofence_clock_in_rejected"].expected == pytest.approx(12.0)
    raw = compute_trends(runs, rows, rule=TrendRule(normalise_by_run_size=False))
    assert {i.trend for i in raw.issues} == {"growing"}


def test_issues_seen_only_in_older_runs_are_not_reported_but_history_shows_recurrences():
    runs = (run(1), run(2), run(3))
    rows = [
        story(1, "csv_export_garbled", 7),  # gone since run 2: already reported then
        story(1, "geofence_clock_in_rejected", 5),
        story(3, "geofence_clock_in_rejected", 5),  # back after a run without it
    ]
    (issue,) = compute_trends(runs, rows).issues
    assert issue.signature == "geofence_clock_in_rejected" and issue.trend == "new"
    assert issue.counts == (5, 0, 5) and issue.seen_in == (1, 3)


def test_tracking_beforehand_gives_the_same_report():
    runs = (run(1), run(2), run(3))
    rows = [
        story(1, "geofence_clock_in_rejected", 5), story(2, "geofence_clock_in_rejected", 2),
        story(3, "geofence_clock_in_rejected", 9), story(1, "csv_export_garbled", 4),
        story(3, "csv_export_garbled_part1", 2), story(3, "csv_export_garbled_part2", 1),
        story(2, "payroll_sync_failed", 3), story(3, "break_length_unclear", 1),
    ]
    tracked = tracked_signatures(runs, [row for row in rows if row.run_id in (2, 3)])
    assert tracked == {"geofence_clock_in_rejected", "csv_export_garbled", "payroll_sync_failed"}
    assert compute_trends(runs, rows, tracked=tracked) == compute_trends(runs, rows)


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="not among the compared runs"):
        compute_trends((run(1),), [story(2, "csv_export_garbled", 3)])
    with pytest.raises(ValueError, match="oldest first"):
        compute_trends((run(2), run(1)), [])
    with pytest.raises(ValueError, match="twice"):
        compute_trends((run(1), run(1)), [])
    with pytest.raises(ValueError, match="conversations"):
        compute_trends((run(1),), [story(1, "csv_export_garbled", 0, status="orphan")])
