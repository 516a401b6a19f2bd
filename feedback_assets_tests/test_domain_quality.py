"""The quality filter: every rejection has its reason, checked in a fixed order."""

from __future__ import annotations

import pytest

from feedback_assets.domain import quality
from feedback_assets.domain.models import Conversation
from feedback_assets_tests.domain_corpus import make_conversation


def conversation(
    body="The payroll export leaves out overtime hours.", author="user", delivered="customer_initiated"
) -> Conversation:
    return make_conversation(body, conversation_id="q1", author_type=author, delivered_as=delivered)


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"delivered": "admin_initiated"}, quality.NOT_CUSTOMER_INITIATED),
        ({"delivered": "automated", "author": "bot"}, quality.NOT_CUSTOMER_INITIATED),
        ({"author": "admin"}, quality.AUTHOR_NOT_USER),
        ({"author": None}, quality.AUTHOR_NOT_USER),
        ({"body": "Hi there! 👋"}, quality.CANNED_GREETING),
        ({"body": "Hello, is anyone there? I have a quick question"}, quality.CANNED_GREETING),
        ({"body": "Bonjour"}, quality.CANNED_GREETING),
        ({"body": "helloooo"}, quality.CANNED_GREETING),
        ({"body": "Heyyy team!!! anyone there???"}, quality.CANNED_GREETING),
        ({"body": "export broken"}, quality.TOO_SHORT),
        ({"body": ""}, quality.TOO_SHORT),
    ],
)
def test_rejections_name_their_reason(kwargs, reason):
    verdict = quality.assess(conversation(**kwargs))
    assert verdict.passed is False
    assert verdict.reason == reason
    assert reason in quality.REASONS


@pytest.mark.parametrize("author", ["user", "lead", "contact"])
def test_customer_messages_pass(author):
    assert quality.assess(conversation(author=author)) == quality.QualityVerdict(passed=True, reason=None)


def test_unknown_delivery_is_judged_by_the_author():
    assert quality.assess(conversation(delivered=None)).passed
    assert quality.assess(conversation(delivered=None, author="admin")).reason == quality.AUTHOR_NOT_USER


def test_a_greeting_with_a_request_is_not_canned():
    assert quality.assess(conversation(body="Hi team, how do I add a second location?")).passed
