"""Quality filter: which conversations are worth classifying, with a reason for every rejection.

Rejected conversations are kept (the ``conversations`` table stores ``quality_pass`` and ``quality_reason``);
only the verdict decides whether later stages look at them. Checks run in this order and the first that
fails names the reason: not customer-initiated, author not a user/lead, canned greeting only, too short.
"""

from __future__ import annotations

import re

from feedback_assets.domain.models import CUSTOMER_AUTHOR_TYPES, Conversation, QualityVerdict
from feedback_assets.domain.text import words

NOT_CUSTOMER_INITIATED = "not_customer_initiated"
AUTHOR_NOT_USER = "author_not_user"
CANNED_GREETING = "canned_greeting"
TOO_SHORT = "too_short"
REASONS = (NOT_CUSTOMER_INITIATED, AUTHOR_NOT_USER, CANNED_GREETING, TOO_SHORT)

MIN_BODY_CHARS = 20
CUSTOMER_INITIATED = "customer_initiated"

# Words that make up openers carrying no request ("Hi there! Anyone around?"), in a few languages.
_GREETING_WORDS = frozenset("""
    hi hello hey heya hiya yo howdy greetings morning afternoon evening good day there team all everyone
    folks guys anyone someone somebody around here available online is are you can could i we have a quick
    question help me please pls plz thanks thank thx ty ok okay hope doing well how's it going
    hola buenos buenas dias tardes bonjour salut bonsoir hallo guten tag morgen olá ola oi bom dia ciao
    buongiorno hej moin
    """.split())


_STRETCHED = re.compile(r"(\w)\1{2,}")


def is_canned_greeting(text: str) -> bool:
    """True when the text has at least one word and every word is a greeting/filler word (stretched
    spellings such as "helloooo" or "hiii" included)."""
    tokens = [_STRETCHED.sub(r"\1", token) for token in words(text)]
    return bool(tokens) and all(token in _GREETING_WORDS for token in tokens)


def assess(conversation: Conversation) -> QualityVerdict:
    """Pass, or the first failed check's reason code (one of ``REASONS``)."""
    if conversation.delivered_as is not None and conversation.delivered_as != CUSTOMER_INITIATED:
        return QualityVerdict(passed=False, reason=NOT_CUSTOMER_INITIATED)
    if conversation.author_type not in CUSTOMER_AUTHOR_TYPES:
        return QualityVerdict(passed=False, reason=AUTHOR_NOT_USER)
    if is_canned_greeting(conversation.body):
        return QualityVerdict(passed=False, reason=CANNED_GREETING)
    if len(conversation.body.strip()) < MIN_BODY_CHARS:
        return QualityVerdict(passed=False, reason=TOO_SHORT)
    return QualityVerdict(passed=True)
