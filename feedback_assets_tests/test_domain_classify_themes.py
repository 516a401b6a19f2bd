"""classify_conversations / theme_requests / extract_themes: table-shaped rows, recorded failures, and the
signature rules applied to any engine's output."""

from __future__ import annotations

import random
from typing import Sequence

import pytest

from feedback_assets.domain.classify import classify_conversations
from feedback_assets.domain.models import (
    ClassificationOutcome,
    Conversation,
    Stage1Result,
    Stage2Result,
    ThemeOutcome,
    ThemeRequest,
    ThemeResult,
    TokenUsage,
)
from feedback_assets.domain.taxonomy import load_taxonomy
from feedback_assets.domain.themes import DEFAULT_ACTIONABLE_TYPES, extract_themes, theme_requests
from feedback_assets.engines.base import EngineResult
from feedback_assets.storage.schema import classifications, themes
from feedback_assets_tests.domain_corpus import make_conversation


def conversation(conversation_id: str, support=()) -> Conversation:
    return make_conversation(
        f"Conversation {conversation_id} says the export fails.",
        conversation_id=conversation_id,
        support_messages=list(support),
    )


def stage1(kind="product_issue") -> Stage1Result:
    return Stage1Result(
        conversation_type=kind,
        confidence="high",
        urgency="high",
        key_signals=["fails"],
        routing_team="technical_support",
        auto_response_eligible=False,
    )


def stage2(kind="how_to_question") -> Stage2Result:
    return Stage2Result(
        conversation_type=kind,
        confidence="medium",
        disambiguation_level="high",
        customer_said="x",
        support_revealed="y",
        support_insights=["z"],
        changed_from_stage1=True,
    )


def theme(signature: str, component="csv_export", symptoms=("export is missing rows", "x")) -> ThemeResult:
    return ThemeResult(
        product_area="reporting",
        component=component,
        issue_signature=signature,
        user_intent="Export data",
        symptoms=list(symptoms),
        affected_flow="Export",
        root_cause_hypothesis="A filter drops rows",
        matched_vocabulary=False,
    )


class ScriptedEngine:
    """Answers what the test scripted, by conversation id."""

    name = "scripted"
    prompt_version = "scripted-1"
    classification_model = "model-c"
    theme_model = "model-t"

    def __init__(self, classifications=None, themes=None):
        self.classifications = classifications or {}
        self.themes = themes or {}

    def classify(self, conversations: Sequence[Conversation]) -> EngineResult[ClassificationOutcome]:
        outcomes = [
            self.classifications[c.conversation_id]
            for c in conversations
            if c.conversation_id in self.classifications
        ]
        return EngineResult(outcomes, TokenUsage(calls=len(outcomes), input_tokens=10))

    def extract_themes(self, requests: Sequence[ThemeRequest]) -> EngineResult[ThemeOutcome]:
        outcomes = [
            self.themes[r.conversation.conversation_id]
            for r in requests
            if r.conversation.conversation_id in self.themes
        ]
        return EngineResult(outcomes, TokenUsage(calls=len(outcomes)))

    def review_story(self, issue_signature, requests):
        return None


def test_classification_rows_have_exactly_the_table_columns_and_final_type_rules():
    engine = ScriptedEngine(
        {
            "a": ClassificationOutcome(conversation_id="a", stage1=stage1()),
            "b": ClassificationOutcome(conversation_id="b", stage1=stage1(), stage2=stage2()),
        }
    )
    batch = classify_conversations(
        engine, [conversation("a"), conversation("b", support=["Here's how to do it"])]
    )
    expected = {column.name for column in classifications.columns} - {"pipeline_run_id"}
    assert all(set(row) == expected for row in batch.rows)
    first, second = batch.rows
    assert (first["final_type"], first["stage2_type"], first["classification_changed"]) == (
        "product_issue",
        None,
        None,
    )
    assert (second["final_type"], second["stage2_type"], second["classification_changed"]) == (
        "how_to_question",
        "how_to_question",
        True,
    )
    assert second["resolution_action"] == "steps_provided"
    assert second["resolution_suggested_type"] == "how_to_question"
    assert (first["engine"], first["model"], first["prompt_version"]) == ("scripted", "model-c", "scripted-1")
    assert batch.usage == TokenUsage(calls=2, input_tokens=10) and batch.failures == 0


def test_engine_failures_become_error_rows_without_types():
    engine = ScriptedEngine(
        {
            "bad": ClassificationOutcome(conversation_id="bad", error="answer failed validation: type 'foo'"),
            "empty": ClassificationOutcome(conversation_id="empty"),
            "stray": ClassificationOutcome(conversation_id="stray", stage1=stage1()),
            "ok": ClassificationOutcome(conversation_id="ok", stage1=stage1("feature_request")),
        }
    )
    batch = classify_conversations(engine, [conversation(i) for i in ("bad", "empty", "missing", "ok")])
    rows = {row["conversation_id"]: row for row in batch.rows}
    assert list(rows) == ["bad", "empty", "missing", "ok"]  # input order; the stray outcome is ignored
    assert rows["bad"]["error"] == "answer failed validation: type 'foo'"
    assert rows["empty"]["error"] == "engine scripted returned neither a stage 1 result nor an error"
    assert rows["missing"]["error"] == "engine scripted returned no outcome for conversation missing"
    for name in ("bad", "empty", "missing"):
        assert rows[name]["final_type"] is None and rows[name]["stage1_type"] is None
    assert rows["ok"]["error"] is None and rows["ok"]["final_type"] == "feature_request"
    assert batch.failures == 3


def test_no_conversations_no_engine_call():
    assert classify_conversations(ScriptedEngine(), []).rows == []


def _classified(*pairs):
    return [
        {
            "conversation_id": cid,
            "final_type": kind,
            "urgency": "high",
            "resolution_action": None,
            "error": "boom" if kind is None else None,
        }
        for cid, kind in pairs
    ]


def test_theme_requests_pick_actionable_classified_conversations_in_conversation_order():
    conversations = [conversation(i) for i in ("a", "b", "c", "d", "e")]
    rows = _classified(
        ("e", "how_to_question"), ("a", "product_issue"), ("b", "billing_question"), ("c", None)
    )
    requests = theme_requests(conversations, rows)
    assert [(r.conversation.conversation_id, r.final_type) for r in requests] == [
        ("a", "product_issue"),
        ("e", "how_to_question"),
    ]
    assert requests[0].urgency == "high"
    assert DEFAULT_ACTIONABLE_TYPES == ("product_issue", "feature_request", "how_to_question")
    wider = theme_requests(conversations, rows, actionable_types=("billing_question",))
    assert [r.conversation.conversation_id for r in wider] == ["b"]


def test_theme_requests_reject_bad_input_naming_it():
    with pytest.raises(ValueError, match="unknown actionable type.*bug_report"):
        theme_requests([], [], actionable_types=("bug_report",))
    with pytest.raises(ValueError, match="classification rows without a conversation: ghost"):
        theme_requests([conversation("a")], _classified(("ghost", "product_issue")))


def _requests(*ids):
    return [ThemeRequest(conversation=conversation(i), final_type="product_issue") for i in ids]


def test_signature_rules_apply_to_any_engine():
    engine = ScriptedEngine(
        themes={
            "a": ThemeOutcome(conversation_id="a", theme=theme("csv_export_rows_missing")),
            "b": ThemeOutcome(conversation_id="b", theme=theme("csv_exports_row_missing")),  # near-duplicate
            "c": ThemeOutcome(conversation_id="c", theme=theme("export_issue")),  # generic: made specific
            "d": ThemeOutcome(
                conversation_id="d",
                theme=theme("general_issue", component="general", symptoms=["hmm", "well"]),
            ),  # rejected
            "e": ThemeOutcome(
                conversation_id="e", theme=theme("shift_swaps_stuck_approval", component="shift_swaps")
            ),
            "f": ThemeOutcome(conversation_id="f", error="model refused"),
        }
    )
    batch = extract_themes(engine, _requests("a", "b", "c", "d", "e", "f", "g"), taxonomy=load_taxonomy())
    expected = {column.name for column in themes.columns} - {"pipeline_run_id"}
    assert all(set(row) == expected for row in batch.rows)
    rows = {row["conversation_id"]: row for row in batch.rows}
    assert rows["a"]["issue_signature"] == rows["b"]["issue_signature"] == "csv_export_rows_missing"
    assert rows["c"]["issue_signature"] == "export_missing_data"
    assert rows["d"]["issue_signature"] is None
    assert "generic signature 'general_issue' could not be made specific" in rows["d"]["error"]
    assert (rows["e"]["issue_signature"], rows["e"]["matched_vocabulary"]) == (
        "shift_swap_approval_stuck",
        True,
    )
    assert rows["a"]["matched_vocabulary"] is False
    assert rows["f"]["error"] == "model refused"
    assert rows["g"]["error"] == "engine scripted returned no theme for conversation g"
    assert batch.failures == 3
    assert (rows["a"]["engine"], rows["a"]["model"], rows["a"]["final_type"]) == (
        "scripted",
        "model-t",
        "product_issue",
    )


def test_near_duplicate_merging_does_not_depend_on_order():
    signatures = ["login_logged_out", "logins_logged_out", "logged_out_login", "login_logged_out"]
    outcomes = {
        f"c{n}": ThemeOutcome(conversation_id=f"c{n}", theme=theme(s)) for n, s in enumerate(signatures)
    }
    ids = list(outcomes)
    results = []
    for seed in range(4):
        random.Random(seed).shuffle(ids)
        batch = extract_themes(ScriptedEngine(themes=outcomes), _requests(*ids), taxonomy=load_taxonomy())
        results.append({row["conversation_id"]: row["issue_signature"] for row in batch.rows})
    assert all(result == results[0] for result in results)
    assert set(results[0].values()) == {"login_logged_out"}
