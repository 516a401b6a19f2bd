"""What the shape of a message says when no cue does: ``fallback_type`` (a negated verb, a question about
what I can do, a wish), links (``URL_PATTERN``) and keyboard mashing (``looks_like_gibberish``)."""

from __future__ import annotations

import re


# When no cue speaks for any type, the shape of the message still tells a defect report from a question or
# a wish better than "general inquiry" would: a negated verb describes something not working, a question about
# what the customer (I, we) can do asks how, a need or a "please" asks for something. Questions about the
# company (you, your) and everything else stay general inquiries.
_NEGATED = re.compile(
    r"(?<!\w)(?:doesn'?t|does not|don'?t|do not|won'?t|will not|isn'?t|is not|aren'?t|are not|didn'?t|"
    r"did not|can'?t|cannot|couldn'?t|wasn'?t|weren'?t|hasn'?t|haven'?t|no longer|never)(?!\w)",
    re.IGNORECASE,
)
_QUESTION = re.compile(r"[^.!?\n]*\?")
_FIRST_PERSON = re.compile(r"(?<!\w)(?:i|we|my|our|me|us|i'm|we're)(?!\w)", re.IGNORECASE)
_SECOND_PERSON = re.compile(r"(?<!\w)(?:you|your|you're)(?!\w)", re.IGNORECASE)
_WANT = re.compile(
    r"(?<!\w)(?:please|pls|need|needs|want|wants|would like|'d like|wish|por favor|s'il vous plaît|"
    r"bitte)(?!\w)",
    re.IGNORECASE,
)


def fallback_type(text: str) -> str:
    """The type a message's shape suggests when no cue fired (see above)."""
    if _NEGATED.search(text):
        return "product_issue"
    for question in _QUESTION.findall(text):
        if _FIRST_PERSON.search(question) and not _SECOND_PERSON.search(question):
            return "how_to_question"
    if _WANT.search(text):
        return "feature_request"
    return "general_inquiry"


# Patterns counted once per text that are not about a type but tell spam from customers.
URL_PATTERN = re.compile(r"https?://|www\.", re.IGNORECASE)
_LATIN_WORD = re.compile(r"[a-z]{3,}")
_UNPRONOUNCEABLE = re.compile(
    r"^[^aeiouy]+$|[^aeiouy]{5,}|asdf|sdfg|dfgh|fghj|ghjk|hjkl|qwer|wert|zxcv|xcvb|lkjh|poiu"
)
GIBBERISH_SHARE = 0.5
"""Share of unpronounceable words (no vowel, five consonants in a row, keyboard rows) from which a message is
keyboard mashing; words of real messages in Latin-script languages stay far below it."""


def looks_like_gibberish(text: str) -> bool:
    """Whether most words of ``text`` (three at least) cannot be pronounced: a keyboard mash."""
    found = _LATIN_WORD.findall(text.lower())
    unpronounceable = sum(1 for word in found if _UNPRONOUNCEABLE.search(word))
    return len(found) >= 3 and unpronounceable >= GIBBERISH_SHARE * len(found)
