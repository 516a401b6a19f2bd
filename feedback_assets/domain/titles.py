"""Titles a product manager can read: a defect named by the part of the product it is in and what goes wrong,
a question in the customer's own words, a request for what is missing. Never a template with a gap: a
title is built only from parts that are there (a taxonomy component, feature words, customer sentences)."""

from __future__ import annotations

import re
from typing import Iterable

MAX_TITLE = 120
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")
_QUESTION_START = re.compile(
    r"^(how|where|what|can|could|is there|is it possible|do you|does|why|when|which|should)\b", re.IGNORECASE
)
_REQUEST = re.compile(
    r"\b(would (love|like)|please add|could you add|can you add|it would be (great|nice|helpful)|wish|"
    r"feature request|need a way|is there a way|support for|option to|ability to)\b",
    re.IGNORECASE,
)
_GREETING = re.compile(r"^(hi|hello|hey|thanks|thank you|good (morning|afternoon|evening))\b", re.IGNORECASE)


def component_label(component: str | None) -> str:
    """``shift_editor`` → ``Shift editor``; empty for no component or the unmapped placeholder."""
    if not component or component.startswith(("unmapped", "other")):
        return ""
    words = component.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def _sentences(texts: Iterable[str]) -> list[str]:
    found = []
    for text in texts:
        for match in _SENTENCE.finditer(text or ""):
            sentence = " ".join(match.group(0).split())
            words = sentence.rstrip(".!?").split()
            # A sentence cut at an abbreviation ("…for wages, e.g.") ends in a one-letter word: not a title.
            if 4 <= len(words) <= 22 and len(words[-1]) > 1 and not _GREETING.match(sentence):
                found.append(re.sub(r"\bi\b", "I", sentence))
    return found


def _customer_sentence(texts: Iterable[str], wanted: re.Pattern, feature_words: set[str]) -> str | None:
    """The shortest customer sentence of the wanted kind that names the feature ("How do we fix this?" names
    nothing); any sentence of that kind only when there are no feature words to look for."""
    candidates = [s for s in _sentences(texts) if wanted.search(s)]
    if feature_words:
        candidates = [s for s in candidates if feature_words & set(re.findall(r"[a-z0-9]+", s.lower()))]
    if not candidates:
        return None
    chosen = min(candidates, key=lambda s: (len(s), s))
    return chosen[:1].upper() + chosen[1:]


def _fit(title: str) -> str:
    title = " ".join(title.split())
    return title if len(title) <= MAX_TITLE else title[: MAX_TITLE - 1].rsplit(" ", 1)[0] + "…"


def story_title(
    final_type: str, *, component: str | None, feature: str, symptom: str, customer_texts: Iterable[str]
) -> str:
    """The title of a group of conversations of one type.

    * defect (``product_issue``): ``<Component>: <what goes wrong>`` with the feature words when they add
      something — "Shift editor (publish): the feature is very slow or times out";
    * question (``how_to_question``): the customers' own question — "How do I export timesheets to payroll?";
    * request (``feature_request``): the customers' own request, else "<Component>: support for <feature>".
    """
    label = component_label(component)
    feature = " ".join(feature.replace("_", " ").split())
    feature_words = set(feature.lower().split())
    subject = label or (feature[:1].upper() + feature[1:])
    if label and feature and not feature_words <= set(label.lower().split()):
        subject = f"{label} ({feature})"
    texts = list(customer_texts)
    if final_type == "how_to_question":
        asked = _customer_sentence(texts, _QUESTION_START, feature_words)
        if asked:
            return _fit(asked if asked.endswith("?") else asked.rstrip(".!") + "?")
        return _fit(f"How to use {subject}" if subject else "How-to questions")
    if final_type == "feature_request":
        asked = _customer_sentence(texts, _REQUEST, feature_words)
        if asked:
            return _fit(asked.rstrip("."))
        return _fit(f"{label}: support for {feature}" if label and feature else f"Support for {subject or 'a new capability'}")
    if subject:
        return _fit(f"{subject}: {symptom}")
    return _fit(symptom[:1].upper() + symptom[1:])
