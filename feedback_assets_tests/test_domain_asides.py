"""Where an unrelated second request starts in a message (``domain.asides``), and the offline classifier typing
a message by its first request. Examples are hand-written for products none of the bundled sets is about."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from feedback_assets.domain.asides import MIN_FIRST_REQUEST_CHARS, first_request
from feedback_assets.domain.models import Conversation
from feedback_assets.engines.offline import OfflineEngine

REPORT = "The podcast feed stopped updating on Monday, new episodes never show up in Spotify."


@pytest.mark.parametrize(
    "aside",
    [
        "Also, while I'm here, how do I change the cover art?",
        "Also a quick question: can I schedule an episode for next week?",
        "Separately, is there a way to hide the download count?",
        "And unrelated, can guests get their own login?",
        "Second question: where do I set the language of the show?",
        "One more thing - can I export the listener stats?",
        "On another note, do you offer a yearly plan?",
        "P.S. how do I add a co-host?",
        "2) Unrelated, is it possible to change the player colour?",
        "Btw, is there a dark mode?",
    ],
)
def test_an_explicit_change_of_subject_starts_an_aside(aside):
    assert first_request(f"{REPORT} {aside}") == REPORT


@pytest.mark.parametrize(
    "text",
    [
        # A bare "also" goes on with the same report.
        f"{REPORT} Also the RSS validator says the feed is fine. It also happened last month.",
        # A marker at the very start opens the message itself: there is no first request before it.
        "Quick question: how do I change the cover art of the show?",
        "Separately from my colleague's ticket: our feed has not updated since Monday.",
        # Words that contain a marker are not one.
        f"{REPORT} The second episode is missing too, and another listener says the same.",
    ],
)
def test_no_aside_leaves_the_text_whole(text):
    assert first_request(text) == text


def test_a_first_request_needs_a_few_words():
    short = "Feed broken. Also, while I'm here, how do I add a co-host?"
    assert short.index("Also") < MIN_FIRST_REQUEST_CHARS
    assert first_request(short) == short


def test_a_defect_report_with_a_how_to_aside_is_typed_by_the_report():
    body = (
        "Hi, the vaccination reminders for our clinic stopped going out on 3 May, nobody has had one since. "
        "Also, while I'm here, how do I add a second vet to the calendar and can I give her her own login?"
    )
    at = datetime(2026, 2, 2, tzinfo=timezone.utc)
    outcome = OfflineEngine().classify(
        [Conversation(conversation_id="a1", source="test", created_at=at, updated_at=at, body=body)]
    ).outcomes[0]
    assert outcome.stage1.conversation_type == "product_issue"
    # The aside alone reads as a how-to question: it was what decided the type before.
    aside = body[body.index("Also"):]
    alone = OfflineEngine().classify(
        [Conversation(conversation_id="a2", source="test", created_at=at, updated_at=at, body=aside)]
    ).outcomes[0]
    assert alone.stage1.conversation_type == "how_to_question"
