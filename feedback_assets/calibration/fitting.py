"""From labelled conversations to a fitted ``TypeModel``: the rules' reading of each labelled conversation
(``Example``), the checks that there are enough labels per type, the choice of product word stems, and the
logistic regression fit (scikit-learn, imported only here)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterable, Mapping, Sequence

from feedback_assets.calibration.errors import CalibrationError
from feedback_assets.calibration.labels import Label
from feedback_assets.calibration.model import (
    CLASS_WEIGHT,
    MIN_TERM_DOCUMENTS,
    REGULARISATION,
    RULES_EMPHASIS,
    TERMS,
    TypeModel,
    text_terms,
)
from feedback_assets.domain.models import Conversation

MIN_LABELS_PER_TYPE = 3
"""Each type present in the labels needs this many labelled conversations (that the quality filter passes)."""


@dataclass(frozen=True)
class Example:
    """One labelled conversation as the rules read it (its final reading)."""

    conversation_id: str
    label: str
    features: tuple[float, ...]
    text: str
    rules_type: str
    rules_probability: float


def choose_terms(texts: Iterable[str], limit: int = TERMS, min_documents: int = MIN_TERM_DOCUMENTS) -> tuple[str, ...]:
    counts: Counter = Counter()
    for text in texts:
        counts.update(text_terms(text))
    common = [(term, n) for term, n in counts.items() if n >= min_documents]
    common.sort(key=lambda item: (-item[1], item[0]))
    return tuple(sorted(term for term, _ in common[:limit]))


def fit_model(
    examples: Sequence[Example],
    *,
    feature_names: Sequence[str],
    rules_version: str,
    source: str = "",
    terms: int = TERMS,
    regularisation: float = REGULARISATION,
    fitted_at: str | None = None,
    class_weight: str | None = CLASS_WEIGHT,
    rules_emphasis: float = RULES_EMPHASIS,
) -> TypeModel:
    """Fit a ``TypeModel`` on ``examples`` (at least two types)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    labels = [example.label for example in examples]
    counts = Counter(labels)
    if len(counts) < 2:
        raise CalibrationError(f"the labels hold {len(counts)} type(s); a model needs at least two")
    chosen = choose_terms((example.text for example in examples), terms) if terms else ()
    rows = []
    for example in examples:
        present = text_terms(example.text) if chosen else set()
        rows.append([*example.features, *(1.0 if term in present else 0.0 for term in chosen)])
    x = np.asarray(rows, dtype=float)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    emphasised = [i for i, name in enumerate(feature_names) if name.startswith(("rules:", "score:"))]
    scale[emphasised] /= rules_emphasis
    classifier = LogisticRegression(C=regularisation, max_iter=5000, class_weight=class_weight)
    classifier.fit((x - mean) / scale, labels)
    classes = tuple(str(kind) for kind in classifier.classes_)
    coef, intercept = classifier.coef_, classifier.intercept_
    if len(classes) == 2:  # scikit-learn keeps one row for two classes: softmax over (0, z) is sigmoid(z)
        coef = np.vstack([np.zeros_like(coef[0]), coef[0]])
        intercept = np.asarray([0.0, intercept[0]])
    return TypeModel(
        classes=classes,
        features=tuple(feature_names),
        terms=chosen,
        mean=tuple(round(float(v), 6) for v in mean),
        scale=tuple(round(float(v), 6) for v in scale),
        coef=tuple(tuple(round(float(w), 6) for w in row) for row in coef),
        intercept=tuple(round(float(b), 6) for b in intercept),
        rules_version=rules_version,
        label_counts=dict(counts),
        fitted_at=fitted_at or datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        source=source,
        regularisation=regularisation,
    )


@dataclass
class LabelledSet:
    examples: list[Example]
    excluded_by_quality: int = 0


def rules_engine(taxonomy: Any = None, vocabulary: Any = None) -> Any:
    """The offline engine with rules only (no model), reading with ``vocabulary``."""
    from feedback_assets.engines.offline import OfflineEngine

    return OfflineEngine(taxonomy=taxonomy, product_vocabulary=vocabulary, model=False)


def labelled_examples(
    conversations: Sequence[Conversation],
    labels: Mapping[str, Label] | Mapping[str, str],
    *,
    taxonomy: Any = None,
    where: str = "the conversations",
    strict: bool = True,
) -> LabelledSet:
    """The rules' reading of each labelled conversation that passes the quality filter. The product
    vocabulary is decided over every quality-passed conversation given (as one run's). ``strict``: labels
    naming conversations that are not in ``conversations`` are an error (``CalibrationError``)."""
    from feedback_assets.domain.quality import assess as quality
    from feedback_assets.domain.vocabulary import product_vocabulary
    from feedback_assets.engines.offline.classifier import assess

    known = {conversation.conversation_id for conversation in conversations}
    missing = [conversation_id for conversation_id in labels if conversation_id not in known]
    if missing and strict:
        raise CalibrationError(
            f"{len(missing)} of {len(labels)} labelled conversation ids are not in {where} "
            f"(e.g. {', '.join(sorted(missing)[:5])})"
        )
    passed = [conversation for conversation in conversations if quality(conversation).passed]
    engine = rules_engine(taxonomy, product_vocabulary(passed))
    examples = []
    passed_ids = set()
    for conversation in passed:
        label = labels.get(conversation.conversation_id)
        if label is None:
            continue
        passed_ids.add(conversation.conversation_id)
        reading = assess(conversation, engine.rules).final
        examples.append(
            Example(
                conversation.conversation_id,
                label.type if isinstance(label, Label) else str(label),
                reading.features,
                reading.text,
                reading.rules_type,
                reading.probability,
            )
        )
    excluded = sum(1 for conversation_id in labels if conversation_id in known and conversation_id not in passed_ids)
    return LabelledSet(examples, excluded)


def check_counts(examples: Sequence[Example]) -> Counter:
    counts = Counter(example.label for example in examples)
    few = sorted((kind, n) for kind, n in counts.items() if n < MIN_LABELS_PER_TYPE)
    if few:
        shown = ", ".join(f"{kind} has {n}" for kind, n in few)
        raise CalibrationError(
            f"too few labels per type: {shown} (each labelled type needs at least {MIN_LABELS_PER_TYPE} "
            "conversations that pass the quality filter; label more or leave that type out)"
        )
    if len(counts) < 2:
        raise CalibrationError(f"the labels hold {len(counts)} type(s); a model needs at least two")
    return counts
