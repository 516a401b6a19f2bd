"""Valid answers for the Claude engine's four tasks, derived from the request text, so stub-driven tests
and the benchmark get plausible, deterministic, schema-valid records (and tests can see which conversation
an answer belongs to)."""

from __future__ import annotations

import html
import json
import re
from typing import Any

from feedback_assets_tests.fakes.anthropic_stub import Answer, RecordedRequest

STAGE1_NAMES = {"record_stage1_classification", "Stage1Result"}
STAGE2_NAMES = {"record_stage2_classification", "Stage2Result"}
THEME_NAMES = {"record_theme", "ThemeResult"}
REVIEW_NAMES = {"record_story_review", "StoryReview"}

TYPE_KEYWORDS = (
    ("refund", "billing_question"),
    ("invoice", "billing_question"),
    ("password", "account_issue"),
    ("how do i", "how_to_question"),
    ("please add", "feature_request"),
    ("crash", "product_issue"),
    ("error", "product_issue"),
    ("buy cheap", "spam"),
)


def conversation_text(request: RecordedRequest) -> str:
    """The first user text block (the request proper, without a correction)."""
    texts = request.user_texts
    return texts[0] if texts else ""


def stage1_type(text: str) -> str:
    lowered = text.lower()
    for keyword, conversation_type in TYPE_KEYWORDS:
        if keyword in lowered:
            return conversation_type
    return "general_inquiry"


def stage1_answer(text: str) -> dict[str, Any]:
    conversation_type = stage1_type(text)
    return {
        "conversation_type": conversation_type,
        "confidence": "high" if conversation_type != "general_inquiry" else "low",
        "urgency": "high" if conversation_type == "product_issue" else "normal",
        "key_signals": [conversation_type.replace("_", " ")],
        "routing_team": "billing" if conversation_type == "billing_question" else "support",
        "auto_response_eligible": conversation_type == "how_to_question",
    }


def _stage1_of(text: str) -> dict[str, Any]:
    match = re.search(r"<stage1_result>(.*?)</stage1_result>", text, re.S)
    assert match, "stage 2 request without <stage1_result>"
    return json.loads(html.unescape(match.group(1)))


def stage2_answer(text: str) -> dict[str, Any]:
    stage1 = _stage1_of(text)
    replies = " ".join(re.findall(r"<support_reply[^>]*>(.*?)</support_reply>", text, re.S)).lower()
    final_type = "product_issue" if "known bug" in replies else stage1["conversation_type"]
    return {
        "conversation_type": final_type,
        "confidence": "high",
        "disambiguation_level": "high" if final_type != stage1["conversation_type"] else "low",
        "customer_said": "The customer described a problem.",
        "support_revealed": "Support explained the cause." if replies else "Nothing new.",
        "support_insights": ["support replied"],
    }


def theme_answer(text: str) -> dict[str, Any]:
    lowered = text.lower()
    feature = "csv_export" if "export" in lowered else "mobile_app" if "app" in lowered else "sync_engine"
    return {
        "product_area": "reporting" if feature == "csv_export" else "platform",
        "component": feature,
        "issue_signature": f"{feature}_failure",
        "user_intent": "Get the product to work as expected.",
        "symptoms": ["action fails", "error shown"],
        "affected_flow": "daily work",
        "root_cause_hypothesis": "A regression in the component.",
        "matched_vocabulary": False,
    }


def answer_for(request: RecordedRequest) -> dict[str, Any]:
    name, text = request.task_name, conversation_text(request)
    if name in STAGE1_NAMES:
        return stage1_answer(text)
    if name in STAGE2_NAMES:
        return stage2_answer(text)
    if name in THEME_NAMES:
        return theme_answer(text)
    if name in REVIEW_NAMES:
        return {"decision": "keep", "reason": "One issue.", "groups": []}
    raise AssertionError(f"unknown task {name!r}")


def feedback_responder(request: RecordedRequest) -> Answer:
    return Answer(answer_for(request))
