"""Resolution detection from support replies, driven by the phrase file."""

from __future__ import annotations

import json

import pytest

from feedback_assets.domain.resolution import PHRASES_PATH, detect_resolution, load_rules


@pytest.mark.parametrize(
    ("replies", "action", "suggested"),
    [
        (["I've processed a refund for the duplicate charge."], "refund_processed", "billing_question"),
        (["I’ve processed your refund — 5 to 10 days."], "refund_processed", "billing_question"),
        (["I sent you a reset link, please check your inbox."], "password_reset", "account_issue"),
        (["Thanks! This is a known   bug and our engineers are on it."], "bug_confirmed", "product_issue"),
        (
            ["Here is our help center article on templates: https://help.example/t"],
            "docs_link_sent",
            "how_to_question",
        ),
        (
            ["That isn't something we support today, but I've passed your feedback to the team."],
            "feature_not_available",
            "feature_request",
        ),
        (["I've escalated this to our second line."], "escalated", None),
    ],
)
def test_replies_map_to_an_action_and_a_suggested_type(replies, action, suggested):
    signal = detect_resolution(["Hi there!", *replies])
    assert signal is not None
    assert (signal.action, signal.suggested_type) == (action, suggested)
    assert signal.matched_phrase


def test_earlier_entries_win_over_later_ones():
    signal = detect_resolution(["See this article.", "Also, we reproduced the issue: it is a known bug."])
    assert signal.action == "bug_confirmed"


def test_no_replies_or_no_phrase_means_no_signal():
    assert detect_resolution([]) is None
    assert detect_resolution(["Thanks for reaching out, have a great day"]) is None


def test_phrases_match_whole_words_only():
    assert detect_resolution(["The unrefunded amount is shown"]) is None


def test_phrase_file_entries_are_checked(tmp_path):
    assert load_rules(PHRASES_PATH)
    bad = tmp_path / "phrases.json"
    bad.write_text(
        json.dumps(
            {
                "resolutions": [
                    {"action": "x", "category": "y", "suggested_type": "nonsense", "phrases": ["a"]}
                ]
            }
        )
    )
    with pytest.raises(ValueError, match=r"resolutions\[0\] \(x\): unknown suggested_type 'nonsense'"):
        load_rules(bad)
    bad.write_text(json.dumps({"resolutions": [{"action": "x", "category": "y", "phrases": []}]}))
    with pytest.raises(ValueError, match=r"resolutions\[0\] \(x\): no phrases"):
        load_rules(bad)
    bad.write_text("[]")
    with pytest.raises(ValueError, match="not a resolution phrase file"):
        load_rules(bad)


def test_automatic_acknowledgements_are_skipped():
    auto = (
        "Hi there 👋 Our team will be with you shortly. "
        "In the meantime, our help center might have the answer."
    )
    assert detect_resolution([auto]) is None
    assert detect_resolution([auto, "I've processed a refund for you."]).action == "refund_processed"


def test_not_a_bug_is_read_before_bug_phrases():
    # "Not a bug" means the product works and the customer did not know how: a how-to question.
    signal = detect_resolution(["This is a setting rather than a bug: turn it on under Settings."])
    assert (signal.action, signal.suggested_type) == ("not_a_bug", "how_to_question")
