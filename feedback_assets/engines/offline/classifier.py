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
the contract's high / medium / low. How cues add up to scores, and the feature vector a model reads, are in
``scores``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, Sequence

from feedback_assets.domain.asides import first_request
from feedback_assets.domain.models import Conversation, ResolutionSignal, Stage1Result, Stage2Result
from feedback_assets.domain.resolution import detect_resolution
from feedback_assets.domain.text import truncate, without_instructions
from feedback_assets.domain.vocabulary import EMPTY_VOCABULARY, ProductVocabulary
from feedback_assets.engines.offline.confidence import calibrated_probability, confidence_level
from feedback_assets.engines.offline.cues import TYPE_CUE_SET, URGENCY_CUE_SET, URL_PATTERN, Cue, CueSet
from feedback_assets.engines.offline.scores import TypeScores, features, rules_raw_confidence

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
class Reading:
    """One stage's reading of a conversation: the rules' type, the type given (the model's when there is
    one), the probability that it is right, and what a model reads (``scores.FEATURES``)."""

    rules_type: str
    conversation_type: str
    probability: float
    features: tuple[float, ...]
    text: str
    raw_confidence: float = 0.0
    """How strongly the rules' scores back their type (``scores.rules_raw_confidence``), before calibration."""

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
    raw = rules_raw_confidence(scores, confirmed=confirmed)
    if rules.model is not None:
        conversation_type, probability = rules.model.predict(vector, scores.text)
    else:
        conversation_type = rules_type
        probability = calibrated_probability(raw, stage)
    return Reading(rules_type, conversation_type, probability, vector, scores.text, raw)


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
