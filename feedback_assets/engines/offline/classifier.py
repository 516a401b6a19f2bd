"""Offline stage 1 and stage 2: conversation type from generic language cues, never from the taxonomy.

Stage 1 reads the customer's opening message (subject and body); when no cue fires, the message's shape
decides (a negated verb: a defect; a question about what "I" can do: a how-to; a need: a wish), not a
default "general inquiry". Stage 2, which runs only when support replied, rescores every customer message
and adds the resolution support's replies describe (``domain.resolution``): a refund processed points to
billing, a docs link or "not a bug" to a how-to question, a confirmed bug to a product issue; the
customer's cues for other types then count half, since support knows what the cause was.
Instruction-like sentences are dropped before scoring (``domain.text``), so text addressed to a classifier
changes nothing, and so is an unrelated second request after the first (``domain.asides``). A topical cue
(one naming a thing: invoice, plan, password) whose matched words are all the run's product vocabulary
(``domain.vocabulary``) is dropped: in an invoicing app "invoice" is no evidence of a billing question.

``Rules`` carries what a classification reads besides the conversation — the run's product vocabulary, an
optional per-product type model (``feedback_assets.calibration``), and for ablation the cue set and whether the
message's shape and support's resolution count.

Every stage's reading comes with a probability that it is right (``Reading.probability``): without a model,
the rules' score margin mapped through a calibration curve fitted once on labelled sets
(``confidence``); with one, the model's predicted probability. ``confidence.confidence_level`` turns it into
the contract's high / medium / low. ``features`` is the vector a model reads: the
rules' own scores and a few text features (``FEATURES`` names them).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import Protocol, Sequence

from feedback_assets.domain.asides import first_request
from feedback_assets.domain.models import Conversation, ResolutionSignal, Stage1Result, Stage2Result
from feedback_assets.domain.resolution import detect_resolution
from feedback_assets.domain.text import truncate, without_instructions
from feedback_assets.domain.vocabulary import EMPTY_VOCABULARY, ProductVocabulary
from feedback_assets.engines.offline.confidence import calibrated_probability, confidence_level
from feedback_assets.engines.offline.cues import (
    TYPE_CUE_SET,
    CueSet,
    TYPE_PRIORITY,
    URGENCY_CUE_SET,
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
EXCERPT_CHARS = 300

ROUTING_TEAMS = {
    "product_issue": "technical_support",
    "how_to_question": "customer_success",
    "feature_request": "product",
    "account_issue": "account_support",
    "billing_question": "billing",
    "configuration_help": "technical_support",
    "general_inquiry": "customer_success",
    "spam": "spam_review",
}
BASE_URGENCY = {
    "product_issue": "normal",
    "account_issue": "normal",
    "billing_question": "normal",
    "configuration_help": "low",
    "how_to_question": "low",
    "feature_request": "low",
    "general_inquiry": "low",
    "spam": "low",
}
# Types an automatic answer (help article, reset link) can settle when the reading is clear.
AUTO_RESPONSE_TYPES = frozenset({"how_to_question", "configuration_help", "account_issue"})


class TypeModel(Protocol):
    """What the classifier needs of a fitted type model (``feedback_assets.calibration.TypeModel``)."""

    def predict(self, features: Sequence[float], text: str) -> tuple[str, float]:
        """The most probable type and its probability for one reading's ``features`` and customer ``text``."""
        ...


@dataclass(frozen=True)
class Rules:
    vocabulary: ProductVocabulary = EMPTY_VOCABULARY
    model: TypeModel | None = None
    """A per-product type model fitted on labels: when set, it decides the type and its probability."""
    cue_set: CueSet = TYPE_CUE_SET
    use_shape: bool = True
    """Whether a message no cue speaks for is typed by its shape (else: general inquiry)."""
    use_resolution: bool = True
    """Whether stage 2 weighs what support's replies say was done."""

    def cues(self, text: str) -> list[Cue]:
        """The type cues found in ``text``, minus topical ones the product vocabulary covers."""
        found = self.cue_set.matches(text)
        if not self.vocabulary:
            return found
        return [cue for cue in found if not (cue.topical and _covered(cue, text, self.vocabulary))]


DEFAULT_RULES = Rules()


def _covered(cue: Cue, text: str, vocabulary: ProductVocabulary) -> bool:
    """Whether every match of ``cue`` in ``text`` is made only of product vocabulary."""
    return all(vocabulary.covers(match.group(0)) for match in cue.pattern.finditer(text))


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


# --- confidence ------------------------------------------------------------------------------------------------
def rules_raw_confidence(scores: TypeScores, *, confirmed: bool = False) -> float:
    """How strongly the rules' scores back their type, on one axis the calibration curve maps to a
    probability: the margin of the best type over the next (0 when no cue fired and the message's shape
    decided), plus ``RESOLUTION_WEIGHT`` when support's resolution confirms the type."""
    top = scores.ranked[0][1]
    raw = scores.margin if top > 0 else 0.0
    return raw + (RESOLUTION_WEIGHT if confirmed else 0.0)


# --- features a type model reads -----------------------------------------------------------------------------
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


@dataclass(frozen=True)
class Reading:
    """One stage's reading of a conversation: the rules' type, the type given (the model's when there is
    one), the probability that it is right, and what a model reads (``FEATURES``)."""

    rules_type: str
    conversation_type: str
    probability: float
    features: tuple[float, ...]
    text: str

    @property
    def confidence(self) -> str:
        return confidence_level(self.probability)


def read(
    scores: TypeScores,
    rules: Rules,
    *,
    stage: str,
    confirmed: bool = False,
    resolution: ResolutionSignal | None = None,
    follow_ups: int = 0,
    language: str | None = None,
) -> Reading:
    """The rules' type and, with a model, the model's; the calibrated probability of the type given."""
    rules_type = scores.best
    vector = features(
        scores,
        rules_type=rules_type,
        resolution=resolution,
        stage2=stage == "stage2",
        follow_ups=follow_ups,
        language=language,
    )
    if rules.model is not None:
        conversation_type, probability = rules.model.predict(vector, scores.text)
    else:
        conversation_type = rules_type
        probability = calibrated_probability(rules_raw_confidence(scores, confirmed=confirmed), stage)
    return Reading(rules_type, conversation_type, probability, vector, scores.text)


def urgency(text: str, conversation_type: str) -> tuple[str, list[Cue]]:
    if conversation_type == "spam":
        return "low", []
    found = URGENCY_CUE_SET.matches(text)
    for level in ("critical", "high", "low"):
        cues = [cue for cue in found if cue.kind == level]
        if cues:
            if level == "critical" and conversation_type in ("general_inquiry", "feature_request"):
                level = "high"  # "urgent" on a question or wish is emphasis, not an outage
            return level, cues
    return BASE_URGENCY[conversation_type], []


def customer_text(conversation: Conversation) -> str:
    """The opening message as the analysis reads it: subject + body, instruction-like sentences removed, up to
    an unrelated second request (``asides``: the conversation is typed by its first one)."""
    opening = " ".join(filter(None, (conversation.subject, conversation.body)))
    return first_request(without_instructions(opening))


def _signal_labels(cues: list[Cue], text: str) -> list[str]:
    labels = []
    for cue in cues:
        match = cue.pattern.search(text)
        if match:
            phrase = " ".join(match.group(0).lower().split())
            if phrase not in labels:
                labels.append(phrase)
    return labels[:10]


_CURLY_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


@dataclass(frozen=True)
class Assessment:
    """What the classifier made of one conversation: the stage results and the readings behind them."""

    stage1: Stage1Result
    stage2: Stage2Result | None
    reading1: Reading
    reading2: Reading | None

    @property
    def final(self) -> Reading:
        """The reading of the final type (stage 2's when stage 2 ran)."""
        return self.reading2 or self.reading1


def classify(
    conversation: Conversation, rules: Rules = DEFAULT_RULES
) -> tuple[Stage1Result, Stage2Result | None]:
    """Stage 1, and stage 2 when support replied (both read the opening message's cues once)."""
    assessment = assess(conversation, rules)
    return assessment.stage1, assessment.stage2


def assess(conversation: Conversation, rules: Rules = DEFAULT_RULES) -> Assessment:
    """``classify`` with the readings (type, probability, features) behind each stage."""
    # Phone keyboards write "don’t": cues are written with the straight apostrophe.
    text = customer_text(conversation).translate(_CURLY_APOSTROPHES)
    opening = rules.cues(text)
    links = len(URL_PATTERN.findall(text))
    scores1 = TypeScores.of(opening, links, text=text, use_shape=rules.use_shape)
    reading1 = read(scores1, rules, stage="stage1", language=conversation.language)
    first = _stage1(text, scores1, reading1)
    if not conversation.support_messages:
        return Assessment(first, None, reading1, None)
    follow_ups = " ".join(
        without_instructions(message) for message in conversation.customer_messages
    ).translate(_CURLY_APOSTROPHES)
    later = rules.cues(follow_ups) if follow_ups else []
    signals = opening + [cue for cue in later if cue not in opening]
    links += len(URL_PATTERN.findall(follow_ups))
    second, reading2 = _stage2(
        conversation, text, first, signals, links, f"{text} {follow_ups}", rules
    )
    return Assessment(first, second, reading1, reading2)


def _stage1(text: str, scores: TypeScores, reading: Reading) -> Stage1Result:
    conversation_type = reading.conversation_type
    level, urgency_cues = urgency(text, conversation_type)
    confidence = reading.confidence
    return Stage1Result(
        conversation_type=conversation_type,
        confidence=confidence,
        urgency=level,
        key_signals=_signal_labels(scores.signals + urgency_cues, text),
        routing_team=ROUTING_TEAMS[conversation_type],
        auto_response_eligible=(
            conversation_type in AUTO_RESPONSE_TYPES and confidence == "high" and level in ("low", "normal")
        ),
    )


def _sentence_with(text: str, phrase: str) -> str:
    lowered = text.lower().replace("\u2019", "'")
    position = lowered.find(phrase)
    if position < 0:
        return truncate(text, EXCERPT_CHARS)
    start = max(lowered.rfind(". ", 0, position), lowered.rfind("\n", 0, position)) + 1
    return truncate(text[start:].strip(), EXCERPT_CHARS)


def _stage2(
    conversation: Conversation,
    text: str,
    first: Stage1Result,
    signals: list[Cue],
    links: int,
    everything_said: str,
    rules: Rules = DEFAULT_RULES,
) -> tuple[Stage2Result, Reading]:
    resolution = detect_resolution(conversation.support_messages)
    weighed = resolution if rules.use_resolution else None
    scores = TypeScores.of(
        signals, links, resolution=weighed, text=everything_said, use_shape=rules.use_shape
    )
    reading = read(
        scores,
        rules,
        stage="stage2",
        confirmed=bool(weighed and weighed.suggested_type == scores.best),
        resolution=weighed,
        follow_ups=len(conversation.customer_messages),
        language=conversation.language,
    )
    conversation_type = reading.conversation_type
    changed = conversation_type != first.conversation_type
    supported = bool(resolution and resolution.suggested_type == conversation_type)
    if changed:
        disambiguation = "high" if supported else "medium"
    else:
        disambiguation = "low" if resolution else "none"

    insights: list[str] = []
    if resolution:
        insights.append(
            f"support reply: {resolution.action} ({resolution.category}), said {resolution.matched_phrase!r}"
        )
        if resolution.suggested_type:
            insights.append(f"resolution points to {resolution.suggested_type}")
    if changed:
        insights.append(f"type changed from {first.conversation_type} to {conversation_type}")
    if conversation.customer_messages:
        insights.append(f"{len(conversation.customer_messages)} customer follow-up(s) read")

    support_text = " ".join(conversation.support_messages)
    revealed = (
        _sentence_with(support_text, resolution.matched_phrase)
        if resolution
        else truncate(conversation.support_messages[0], EXCERPT_CHARS)
    )
    return Stage2Result(
        conversation_type=conversation_type,
        confidence=reading.confidence,
        disambiguation_level=disambiguation,
        customer_said=truncate(text, EXCERPT_CHARS),
        support_revealed=revealed,
        support_insights=insights,
        changed_from_stage1=changed,
    ), reading
