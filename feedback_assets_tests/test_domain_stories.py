"""Story building: thresholds, evidence and excerpt limits, determinism, priority, review hook, and the
whole domain chain written to and read back from the database."""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timezone

import pytest

from feedback_assets.domain.classify import classify_conversations
from feedback_assets.domain.models import QualityVerdict, StoryReview, ThemeRequest
from feedback_assets.domain.normalize import conversation_row
from feedback_assets.domain.quality import assess
from feedback_assets.domain.stories import (
    EXCERPT_MAX_CHARS,
    MAX_EXCERPTS,
    STORY_NAMESPACE,
    build_stories,
    priority,
)
from feedback_assets.domain.taxonomy import empty_taxonomy
from feedback_assets.domain.themes import extract_themes, theme_requests
from feedback_assets.engines.offline import OfflineEngine
from feedback_assets.storage import create_run, read_partition, replace_partitions
from feedback_assets.storage.schema import EXCERPT_MAX_CHARS as SCHEMA_EXCERPT_MAX, stories, story_evidence
from feedback_assets_tests.domain_corpus import corpus

NOW = datetime(2026, 9, 21, tzinfo=timezone.utc)


def rows_for(groups: dict[str, list[tuple[str, str, int]]], run_id=1):
    """(theme, conversation, classification) rows: groups map a signature to (id, urgency, body length)."""
    theme_rows, conversation_rows, classification_rows = [], [], []
    for signature, members in groups.items():
        for conversation_id, urgency, length in members:
            body = (f"{conversation_id} reports {signature} " + "detail " * length)[: max(length, 1)]
            conversation_rows.append(
                {"pipeline_run_id": run_id, "conversation_id": conversation_id, "body": body}
            )
            classification_rows.append(
                {
                    "pipeline_run_id": run_id,
                    "conversation_id": conversation_id,
                    "urgency": urgency,
                    "final_type": "product_issue",
                }
            )
            theme_rows.append(
                {
                    "pipeline_run_id": run_id,
                    "conversation_id": conversation_id,
                    "issue_signature": signature,
                    "product_area": "reporting",
                    "component": "csv_export",
                    "user_intent": f"Fix {signature}",
                    "symptoms": ["rows missing", f"seen by {conversation_id}"],
                    "affected_flow": "Export",
                    "root_cause_hypothesis": "A filter",
                    "final_type": "product_issue",
                    "error": None,
                }
            )
    return theme_rows, conversation_rows, classification_rows


def test_group_size_decides_candidate_or_orphan():
    theme_rows, conversation_rows, classification_rows = rows_for(
        {
            "export_rows_missing": [("a1", "normal", 50), ("a2", "normal", 50), ("a3", "normal", 50)],
            "login_logged_out": [("b1", "high", 50), ("b2", "normal", 50)],
        },
        run_id=5,
    )
    build = build_stories(5, theme_rows, conversation_rows, classification_rows)
    status = {
        story["issue_signature"]: (story["status"], story["conversation_count"]) for story in build.stories
    }
    assert status == {"export_rows_missing": ("candidate", 3), "login_logged_out": ("orphan", 2)}
    assert build.stories[0]["issue_signature"] == "export_rows_missing"  # candidates first
    larger = build_stories(5, theme_rows, conversation_rows, classification_rows, min_group_size=4)
    assert {story["status"] for story in larger.stories} == {"orphan"}
    assert "_Orphan: fewer than 4 conversations" in larger.stories[0]["description"]


def test_rows_have_the_table_columns_and_deterministic_ids():
    data = rows_for({"export_rows_missing": [("a1", "normal", 50)]}, run_id=5)
    build = build_stories(5, *data)
    assert set(build.stories[0]) == {column.name for column in stories.columns}
    assert set(build.evidence[0]) == {column.name for column in story_evidence.columns}
    expected_id = str(uuid.uuid5(STORY_NAMESPACE, "5/export_rows_missing"))
    assert build.stories[0]["id"] == build.evidence[0]["story_id"] == expected_id
    assert build_stories(5, *data) == build
    assert (
        build_stories(6, *rows_for({"export_rows_missing": [("a1", "normal", 50)]}, run_id=6)).stories[0][
            "id"
        ]
        != expected_id
    )


def test_evidence_lists_every_conversation_and_at_most_five_bounded_excerpts():
    members = [
        (f"c{n}", urgency, length)
        for n, (urgency, length) in enumerate(
            [
                ("low", 900),
                ("normal", 120),
                ("critical", 40),
                ("high", 2000),
                ("normal", 800),
                ("normal", 800),
                ("low", 10),
                ("high", 300),
            ]
        )
    ]
    theme_rows, conversation_rows, classification_rows = rows_for({"export_rows_missing": members})
    build = build_stories(1, theme_rows, conversation_rows, classification_rows)
    assert EXCERPT_MAX_CHARS == SCHEMA_EXCERPT_MAX == 500 and MAX_EXCERPTS == 5
    assert sorted(row["conversation_id"] for row in build.evidence) == sorted(m[0] for m in members)
    excerpts = [row for row in build.evidence if row["excerpt"] is not None]
    assert [row["excerpt_rank"] for row in excerpts] == [1, 2, 3, 4, 5]
    assert all(len(row["excerpt"]) <= 500 for row in excerpts)
    # Most urgent first, then the more informative, then by id.
    assert [row["conversation_id"] for row in excerpts] == ["c2", "c3", "c7", "c4", "c5"]
    assert all(row["excerpt_rank"] is None for row in build.evidence if row["excerpt"] is None)
    # Input order does not matter.
    for seed in range(3):
        shuffled = [list(rows) for rows in (theme_rows, conversation_rows, classification_rows)]
        for rows in shuffled:
            random.Random(seed).shuffle(rows)
        assert build_stories(1, *shuffled) == build


def test_themes_with_errors_are_left_out():
    theme_rows, conversation_rows, classification_rows = rows_for(
        {"export_rows_missing": [("a1", "normal", 50)]}
    )
    theme_rows.append(
        {"pipeline_run_id": 1, "conversation_id": "x", "issue_signature": None, "error": "refused"}
    )
    conversation_rows.append({"pipeline_run_id": 1, "conversation_id": "x", "body": "?"})
    build = build_stories(1, theme_rows, conversation_rows, classification_rows)
    assert [row["conversation_id"] for row in build.evidence] == ["a1"]


@pytest.mark.parametrize("run_id", [0, -3, True, "7"])
def test_bad_run_ids_are_refused(run_id):
    with pytest.raises(ValueError, match="run id must be a positive integer"):
        build_stories(run_id, [], [], [])


def test_rows_of_another_run_are_refused_naming_both_runs():
    theme_rows, conversation_rows, classification_rows = rows_for(
        {"x_fails": [("a1", "normal", 5)]}, run_id=3
    )
    with pytest.raises(ValueError, match=r"theme rows of run\(s\) \[3\] given to build stories of run 4"):
        build_stories(4, theme_rows, conversation_rows, classification_rows)


def test_themes_need_their_conversation():
    theme_rows, _, classification_rows = rows_for({"x_fails": [("a1", "normal", 5)]})
    with pytest.raises(ValueError, match="themes of run 1 without a conversation row: a1"):
        build_stories(1, theme_rows, [], classification_rows)


@pytest.mark.parametrize(
    ("urgencies", "level"),
    [
        (["critical"] * 3, "critical"),
        (["high"] * 3, "high"),
        (["normal"] * 15, "high"),
        (["normal"] * 3, "normal"),
        (["critical"], "high"),
        (["normal"], "low"),
        (["low"] * 3, "low"),
        ([None, "normal", "normal"], "normal"),
    ],
)
def test_priority_from_urgency_and_size(urgencies, level):
    assert priority(urgencies)[0] == level


class SplittingEngine:
    name = "reviewer"

    def __init__(self, review):
        self.review = review
        self.asked = []

    def review_story(self, issue_signature, requests):
        self.asked.append((issue_signature, sorted(r.conversation.conversation_id for r in requests)))
        return self.review


def _review_data():
    theme_rows, conversation_rows, classification_rows = rows_for(
        {
            "export_rows_missing": [(f"a{n}", "normal", 50) for n in range(5)],
            "tiny_group_fails": [("t1", "normal", 50)],
        }
    )
    for row in conversation_rows:
        row.update(source="test", created_at=NOW, updated_at=NOW, support_messages=[])
    return theme_rows, conversation_rows, classification_rows


def _reviewed(review):
    """Theme rows of a 5-conversation group and an orphan, after ``review_groups`` with ``review``."""
    from feedback_assets.domain.normalize import conversation_from_row
    from feedback_assets.domain.themes import review_groups

    theme_rows, conversation_rows, classification_rows = _review_data()
    requests = {
        row["conversation_id"]: ThemeRequest(conversation=conversation_from_row(row), final_type="product_issue")
        for row in conversation_rows
    }
    engine = SplittingEngine(review)
    notes = review_groups(engine, theme_rows, requests, min_group_size=3)
    return engine, notes, theme_rows, conversation_rows, classification_rows


def test_a_review_splits_a_candidate_group_on_the_themes_so_stories_follow():
    engine, notes, themes, conversations, classifications = _reviewed(
        StoryReview(decision="split", reason="two causes", groups=[["a3", "a4"]])
    )
    assert engine.asked == [("export_rows_missing", ["a0", "a1", "a2", "a3", "a4"])]  # orphans: no review
    assert {row["conversation_id"]: row["issue_signature"] for row in themes if row["conversation_id"] >= "a3"} == {
        "a3": "export_rows_missing_part1",
        "a4": "export_rows_missing_part1",
        "t1": "tiny_group_fails",
    }
    build = build_stories(1, themes, conversations, classifications)
    counts = {story["issue_signature"]: story["conversation_count"] for story in build.stories}
    assert counts == {"export_rows_missing": 3, "export_rows_missing_part1": 2, "tiny_group_fails": 1}
    assert notes == ["export_rows_missing: split into 1 (two causes)"]


def test_an_inconsistent_review_is_ignored_with_a_note():
    _, notes, themes, _, _ = _reviewed(StoryReview(decision="split", reason="?", groups=[["a1", "zz"]]))
    assert {row["issue_signature"] for row in themes} == {"export_rows_missing", "tiny_group_fails"}
    assert "split ignored" in notes[0]


def test_the_domain_chain_fits_the_database_and_rebuilds_identically(db):
    engine = OfflineEngine(taxonomy=empty_taxonomy())
    conversations = corpus()
    verdicts = [assess(c) for c in conversations]
    passed = [c for c, verdict in zip(conversations, verdicts) if verdict.passed]
    classified = classify_conversations(engine, passed)
    themed = extract_themes(engine, theme_requests(passed, classified.rows), taxonomy=engine.taxonomy)
    run = create_run(db, source="test")
    conversation_rows = [conversation_row(c, v) for c, v in zip(conversations, verdicts)]
    built = build_stories(run.id, themed.rows, conversation_rows, classified.rows, min_group_size=2)
    assert any(story["status"] == "candidate" for story in built.stories)
    replace_partitions(
        db,
        run.id,
        {
            "conversations": conversation_rows,
            "classifications": classified.rows,
            "themes": themed.rows,
            "stories": built.stories,
            "story_evidence": built.evidence,
        },
    )
    stored = {
        name: read_partition(db, name, run.id) for name in ("conversations", "classifications", "themes")
    }
    rebuilt = build_stories(
        run.id, stored["themes"], stored["conversations"], stored["classifications"], min_group_size=2
    )
    assert rebuilt == built
    assert len(read_partition(db, "story_evidence", run.id)) == len(themed.rows)
    assert QualityVerdict(passed=True) in verdicts
