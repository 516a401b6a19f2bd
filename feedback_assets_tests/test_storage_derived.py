"""A partition write clears what was derived from the rows it replaces — every later table of that run,
stories included, and their counters — in the same transaction, and nothing of any other run."""

from __future__ import annotations

import pytest

from feedback_assets.domain.stories import build_stories
from feedback_assets.storage import (
    RunMismatch,
    count_partition,
    get_run,
    read_partition,
    replace_partition,
    replace_partitions,
    update_run,
)
from feedback_assets_tests.storage_rows import classification, conversation, insert_run, theme

IDS = ("a", "b", "c", "d")
LATER = ("classifications", "themes", "stories", "story_evidence")


def _full_run(db, run_id: int) -> None:
    conversations = [conversation(c) for c in IDS]
    classifications = [classification(c) for c in IDS]
    themes = [theme(c) for c in IDS]
    built = build_stories(run_id, themes, conversations, classifications)
    replace_partitions(
        db,
        run_id,
        {
            "conversations": conversations,
            "classifications": classifications,
            "themes": themes,
            "stories": built.stories,
            "story_evidence": built.evidence,
        },
    )
    update_run(db, run_id, conversations_count=4, classified_count=4, failures_count=1, themes_count=4, stories_count=1)


def _counts(db, run_id: int) -> dict[str, int]:
    return {name: count_partition(db, name, run_id) for name in ("conversations", *LATER)}


@pytest.fixture
def two_runs(db):
    for run_id in (1, 2):
        insert_run(db, run_id)
        _full_run(db, run_id)
    return db


def test_rewriting_conversations_clears_every_later_table_stories_included_and_their_counters(two_runs):
    db = two_runs
    replace_partition(db, "conversations", 1, [conversation(c) for c in IDS[:3]])

    assert _counts(db, 1) == {"conversations": 3, **dict.fromkeys(LATER, 0)}
    run = get_run(db, 1)
    assert (run.classified_count, run.failures_count, run.themes_count, run.stories_count) == (0, 0, 0, 0)
    assert _counts(db, 2) == {"conversations": 4, "classifications": 4, "themes": 4, "stories": 1, "story_evidence": 4}
    assert get_run(db, 2).stories_count == 1


def test_rewriting_themes_clears_stories_but_keeps_classifications(two_runs):
    db = two_runs
    replace_partition(db, "themes", 1, [theme(c, signature="other_signature_fails") for c in IDS])

    assert _counts(db, 1) == {"conversations": 4, "classifications": 4, "themes": 4, "stories": 0, "story_evidence": 0}
    run = get_run(db, 1)
    assert (run.classified_count, run.themes_count, run.stories_count) == (4, 4, 0)


def test_a_failed_rewrite_keeps_the_derived_rows_too(two_runs):
    db = two_runs
    with pytest.raises(RunMismatch):
        replace_partition(db, "conversations", 1, [conversation("a"), {**conversation("b"), "pipeline_run_id": 2}])

    assert _counts(db, 1) == {"conversations": 4, "classifications": 4, "themes": 4, "stories": 1, "story_evidence": 4}
    assert get_run(db, 1).stories_count == 1
    assert [row["issue_signature"] for row in read_partition(db, "stories", 1)] == ["shift_swaps_approval_stuck"]
