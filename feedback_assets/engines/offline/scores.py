"""How the offline rules' cues add up: a score per conversation type (``TypeScores``), the margin the
confidence curve reads (``rules_raw_confidence``), and the feature vector a per-product type model reads
(``features``, named by ``FEATURES``)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

from feedback_assets.domain.models import ResolutionSignal
from feedback_assets.engines.offline.cues import (
    TYPE_PRIORITY,
    URL_PATTERN,
    Cue,
    fallback_type,
    looks_like_gibberish,
)

RESOLUTION_WEIGHT = 4.0
"""What a recognised resolution adds to the type it suggests in stage 2: more than one strong customer cue,
because what support did says more about the conversation than how the customer first put it."""
DISPUTED_CUE_SHARE = 0.5
"""What the customer's cues for other types still count once support's resolution points to one type: the
customer describes symptoms as they appear ("it's broken"), support knows what the cause was."""
TOPIC_TYPES = ("billing_question", "account_issue")
"""Types named by what the message is about; a strong cue of one outweighs the question form (below)."""
STRONG_CUE = 2.5
SPAM_LINKS = 3
"""A message with this many links scores as spam as much as one spam cue does."""


@dataclass(frozen=True)
class TypeScores:
    scores: dict[str, float]
    signals: list[Cue]
    text: str = ""
    """What the customer wrote: when no cue scored, its shape decides (``cues.fallback_type``)."""
    use_shape: bool = True

    @classmethod
    def of(
        cls,
        signals: list[Cue],
        links: int,
        *,
        resolution: ResolutionSignal | None = None,
        text: str = "",
        use_shape: bool = True,
    ) -> "TypeScores":
        """Each distinct cue adds its weight to its type; many links or keyboard mashing look like spam
        (``text`` is read for the latter, and for the message's shape when no cue fired); a strong billing or
        account cue halves the how-to reading; a resolution halves the other types and adds
        ``RESOLUTION_WEIGHT`` to the type it suggests."""
        scores = dict.fromkeys(TYPE_PRIORITY, 0.0)
        for cue in signals:
            scores[cue.kind] += cue.weight
        if links >= SPAM_LINKS:
            scores["spam"] += 3.0
        if looks_like_gibberish(text):
            scores["spam"] += 3.0
        if max(scores[topic] for topic in TOPIC_TYPES) >= STRONG_CUE:
            # "How do I download my invoices?" is a billing question: the topic says more than the form.
            scores["how_to_question"] *= DISPUTED_CUE_SHARE
        if resolution and resolution.suggested_type:
            for other in scores:
                if other != resolution.suggested_type:
                    scores[other] *= DISPUTED_CUE_SHARE
            scores[resolution.suggested_type] += RESOLUTION_WEIGHT
        return cls(scores, signals, text, use_shape)

    @cached_property
    def ranked(self) -> list[tuple[str, float]]:
        return sorted(self.scores.items(), key=lambda item: (-item[1], TYPE_PRIORITY.index(item[0])))

    @property
    def best(self) -> str:
        conversation_type, score = self.ranked[0]
        if score > 0:
            return conversation_type
        return fallback_type(self.text) if self.use_shape else "general_inquiry"

    @property
    def margin(self) -> float:
        ranked = self.ranked
        return ranked[0][1] - ranked[1][1]


def rules_raw_confidence(scores: TypeScores, *, confirmed: bool = False) -> float:
    """How strongly the rules' scores back their type, on one axis the calibration curve maps to a
    probability: the margin of the best type over the next (0 when no cue fired and the message's shape
    decided), plus ``RESOLUTION_WEIGHT`` when support's resolution confirms the type."""
    top = scores.ranked[0][1]
    raw = scores.margin if top > 0 else 0.0
    return raw + (RESOLUTION_WEIGHT if confirmed else 0.0)


FEATURES: tuple[str, ...] = (
    *(f"score:{kind}" for kind in TYPE_PRIORITY),
    *(f"rules:{kind}" for kind in TYPE_PRIORITY),
    *(f"resolution:{kind}" for kind in TYPE_PRIORITY),
    "no_cue",
    "margin",
    "stage2",
    "follow_ups",
    "log_chars",
    "questions",
    "links",
    "not_english",
)
"""Names of ``features``' values, in order: each type's rules score (cue weights after the vocabulary, the
topic and resolution adjustments), the rules' type (one-hot, the shape's reading included), the type
support's resolution suggests (one-hot, stage 2 only), whether no cue fired, the margin, whether this is
stage 2 (support replied), the customer's follow-ups, log length of what the customer wrote, its question
marks and links, and whether the conversation is not in English."""


def features(
    scores: TypeScores,
    *,
    rules_type: str,
    resolution: ResolutionSignal | None = None,
    stage2: bool = False,
    follow_ups: int = 0,
    language: str | None = None,
) -> tuple[float, ...]:
    """The feature vector (``FEATURES``) of one reading."""
    text = scores.text
    top = scores.ranked[0][1]
    suggested = resolution.suggested_type if resolution else None
    return (
        *(float(scores.scores[kind]) for kind in TYPE_PRIORITY),
        *(1.0 if kind == rules_type else 0.0 for kind in TYPE_PRIORITY),
        *(1.0 if kind == suggested else 0.0 for kind in TYPE_PRIORITY),
        1.0 if top <= 0 else 0.0,
        float(scores.margin),
        1.0 if stage2 else 0.0,
        float(min(follow_ups, 5)),
        math.log1p(len(text)),
        float(min(text.count("?"), 5)),
        float(min(len(URL_PATTERN.findall(text)), 5)),
        1.0 if language not in (None, "en") else 0.0,
    )
