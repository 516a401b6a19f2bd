"""Learning from labels: a small per-product type model over the offline engine's own features.

``feedback-assets calibrate --labels FILE`` (or ``--from-run RUN_ID``: a finished Claude-engine run's
``final_type`` as labels) reads labelled conversations, lets the offline rules read each of them
(``engines.offline.classifier.assess``: the rules' score per type, their type, support's resolution, a few text
features — ``classifier.FEATURES``), adds the presence of the labelled set's most common word stems, and fits a
multinomial logistic regression (scikit-learn) from those to the labelled type. Why this model: a few hundred
labels per product is all one can expect, so the model must be small, regularised and start from the rules
(their scores are its strongest inputs, it learns where they are wrong for this product: which cue families
to trust less, which product words point to which type); a linear model's weights are readable, its
predicted probabilities are close to calibrated, and it is applied with a dot product and a softmax — no
scikit-learn, no pickle, at classification time.

The model is stored as JSON beside the taxonomy (``<taxonomy stem>.model.json``): format version, the rules
version it was fitted against, feature names and stems, standardisation, weights per type, label counts, the
date and where the labels came from. ``TypeModel.load`` refuses a file that is not such a model, or was
fitted against other rules or other features (``ModelError``, one line naming the problem).

Pure: no Dagster. ``cross_validate`` (used by ``feedback-assets evaluate``) fits on k-1 folds and scores the
held-out fold, so no label ever scores a model fitted on it; ``reliability`` bins predicted probabilities
against observed accuracy.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import os
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

from feedback_assets.domain.models import CONVERSATION_TYPES, Conversation
from feedback_assets.domain.text import stem, words
from feedback_assets.domain.vocabulary import FUNCTION_TERMS, SECOND_PERSON

MODEL_FORMAT = "feedback-assets-type-model/1"
MODEL_SUFFIX = ".model.json"
MODEL_ENV = "FEEDBACK_OFFLINE_MODEL"
"""``off`` (or ``0``, ``false``, ``none``): the offline engine uses no model; a path: that model file (which
must load); unset: ``<taxonomy stem>.model.json`` beside the active taxonomy when it exists."""
OFF_VALUES = frozenset({"off", "0", "false", "no", "none"})

MIN_LABELS_PER_TYPE = 3
"""Each type present in the labels needs this many labelled conversations (that the quality filter passes)."""
TERMS = 150
"""Word stems of the labelled set (the most common, in at least ``MIN_TERM_DOCUMENTS`` conversations) the
model may weigh besides the rules' features: a product's own words for its issues ("sync", "rollover")."""
MIN_TERM_DOCUMENTS = 3
REGULARISATION = 0.5
"""Inverse L2 strength (scikit-learn's ``C``) of the logistic regression; chosen by 5-fold cross-validation
on the sample and the dev sets (0.1–2 differ by about a point)."""
RULES_EMPHASIS = 3.0
"""The rules' scores and type enter the model this many times larger than standardised: their weights are
regularised less, so with few labels the model stays close to the rules instead of falling back on the
commonest type (on the 80-label dev sets this kept macro-F1 from dropping by 0.1–0.2)."""
CLASS_WEIGHT = "balanced"
"""Rare types (spam, general inquiries: a handful of labels) weigh as much as common ones in the fit."""
DEFAULT_FOLDS = 5
SEED = 20261203


class ModelError(ValueError):
    """A model file that cannot be used: unreadable, not a model, or fitted against other rules/features."""


class CalibrationError(ValueError):
    """Bad input to ``calibrate``: the message is one line naming the problem."""


# --- the model ------------------------------------------------------------------------------------------------
def text_terms(text: str) -> set[str]:
    """Distinct stems of ``text`` a model may weigh: three letters or more, no number, no function word."""
    found = set()
    for word in words(text):
        if len(word) >= 3 and not word.isdigit() and word not in SECOND_PERSON:
            term = stem(word)
            if term not in FUNCTION_TERMS:
                found.add(term)
    return found


@dataclass(frozen=True)
class TypeModel:
    """A fitted multinomial logistic regression over ``features`` (the engine's) + ``terms`` (presence)."""

    classes: tuple[str, ...]
    features: tuple[str, ...]
    terms: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[tuple[float, ...], ...]
    """One row per class, one column per feature then per term."""
    intercept: tuple[float, ...]
    rules_version: str
    label_counts: dict[str, int] = field(default_factory=dict)
    fitted_at: str = ""
    source: str = ""
    regularisation: float = REGULARISATION

    # -- prediction (numpy-free: a dot product and a softmax per reading) --
    def vector(self, features: Sequence[float], text: str) -> list[float]:
        present = text_terms(text) if self.terms else set()
        raw = [*features, *(1.0 if term in present else 0.0 for term in self.terms)]
        return [(value - mean) / scale for value, mean, scale in zip(raw, self.mean, self.scale)]

    def probabilities(self, features: Sequence[float], text: str) -> dict[str, float]:
        if len(features) != len(self.features):
            raise ModelError(f"the model reads {len(self.features)} features, got {len(features)}")
        x = self.vector(features, text)
        logits = [b + sum(w * v for w, v in zip(row, x)) for row, b in zip(self.coef, self.intercept)]
        top = max(logits)
        exps = [math.exp(logit - top) for logit in logits]
        total = sum(exps)
        return {kind: value / total for kind, value in zip(self.classes, exps)}

    def predict(self, features: Sequence[float], text: str) -> tuple[str, float]:
        probabilities = self.probabilities(features, text)
        # Ties (rare) go to the first class in the contract's order, as the rules break theirs.
        best = max(self.classes, key=lambda kind: (probabilities[kind], -CONVERSATION_TYPES.index(kind)))
        return best, probabilities[best]

    # -- storage --
    def payload(self) -> dict[str, Any]:
        return {
            "format": MODEL_FORMAT,
            "rules_version": self.rules_version,
            "fitted_at": self.fitted_at,
            "source": self.source,
            "label_counts": dict(sorted(self.label_counts.items())),
            "model": "multinomial logistic regression (scikit-learn), L2",
            "regularisation": self.regularisation,
            "fit": {"class_weight": CLASS_WEIGHT, "rules_emphasis": RULES_EMPHASIS, "terms": TERMS},
            "classes": list(self.classes),
            "features": list(self.features),
            "terms": list(self.terms),
            "standardisation": {"mean": list(self.mean), "scale": list(self.scale)},
            "intercept": dict(zip(self.classes, self.intercept)),
            "weights": {kind: list(row) for kind, row in zip(self.classes, self.coef)},
        }

    @property
    def digest(self) -> str:
        """Eight hex digits of the model's content: ``prompt_version`` names the model with it."""
        canonical = json.dumps(self.payload(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:8]

    def save(self, path: Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_text(json.dumps(self.payload(), indent=1) + "\n", encoding="utf-8")
        os.replace(temporary, path)
        return path

    @classmethod
    def from_payload(
        cls,
        raw: Any,
        *,
        where: str = "model",
        rules_version: str | None = None,
        features: Sequence[str] | None = None,
    ) -> "TypeModel":
        """Validate ``raw`` (a parsed model file); ``rules_version``/``features``: what it must have been
        fitted against (the running engine's)."""
        if not isinstance(raw, dict) or raw.get("format") != MODEL_FORMAT:
            found = raw.get("format") if isinstance(raw, dict) else type(raw).__name__
            raise ModelError(f"{where} is not a type model (format {found!r}, expected {MODEL_FORMAT!r})")
        if rules_version is not None and raw.get("rules_version") != rules_version:
            raise ModelError(
                f"{where} was fitted against rules {raw.get('rules_version')!r}, the engine runs "
                f"{rules_version!r}: fit it again (feedback-assets calibrate)"
            )
        try:
            classes = tuple(str(kind) for kind in raw["classes"])
            model_features = tuple(str(name) for name in raw["features"])
            terms = tuple(str(term) for term in raw["terms"])
            mean = tuple(float(v) for v in raw["standardisation"]["mean"])
            scale = tuple(float(v) for v in raw["standardisation"]["scale"])
            coef = tuple(tuple(float(v) for v in raw["weights"][kind]) for kind in classes)
            intercept = tuple(float(raw["intercept"][kind]) for kind in classes)
            label_counts = {str(k): int(v) for k, v in dict(raw.get("label_counts") or {}).items()}
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise ModelError(f"{where} is not a valid type model: missing or malformed {error}") from error
        if features is not None and model_features != tuple(features):
            raise ModelError(
                f"{where} reads other features than this engine ({len(model_features)} vs {len(features)}, "
                f"first difference {_first_difference(model_features, tuple(features))}): fit it again"
            )
        unknown = [kind for kind in classes if kind not in CONVERSATION_TYPES]
        if unknown or len(classes) < 2 or len(set(classes)) != len(classes):
            raise ModelError(f"{where} has invalid classes {list(classes)}")
        width = len(model_features) + len(terms)
        if len(mean) != width or len(scale) != width or any(len(row) != width for row in coef):
            raise ModelError(f"{where}: weights and standardisation must have {width} values per row")
        if any(not math.isfinite(v) for v in (*mean, *scale, *intercept, *(w for row in coef for w in row))):
            raise ModelError(f"{where} holds non-finite numbers")
        if any(v <= 0 for v in scale):
            raise ModelError(f"{where}: standardisation scales must be positive")
        return cls(
            classes=classes,
            features=model_features,
            terms=terms,
            mean=mean,
            scale=scale,
            coef=coef,
            intercept=intercept,
            rules_version=str(raw.get("rules_version")),
            label_counts=label_counts,
            fitted_at=str(raw.get("fitted_at") or ""),
            source=str(raw.get("source") or ""),
            regularisation=float(raw.get("regularisation") or REGULARISATION),
        )

    @classmethod
    def load(
        cls, path: str | os.PathLike[str], *, rules_version: str | None = None, features: Sequence[str] | None = None
    ) -> "TypeModel":
        path = Path(path)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise ModelError(f"model file {path} cannot be read: {error.strerror or error}") from error
        except ValueError as error:
            raise ModelError(f"model file {path} is not valid JSON: {error}") from error
        return cls.from_payload(raw, where=f"model file {path}", rules_version=rules_version, features=features)


def _first_difference(a: Sequence[str], b: Sequence[str]) -> str:
    for position, (left, right) in enumerate(zip(a, b)):
        if left != right:
            return f"#{position}: {left!r} vs {right!r}"
    return f"#{min(len(a), len(b))}: one list is longer"


def model_path_for(taxonomy_path: str | os.PathLike[str]) -> Path:
    """Where the model of a taxonomy lives: ``taxonomy.json`` → ``taxonomy.model.json``."""
    path = Path(taxonomy_path)
    return path.with_name(path.stem + MODEL_SUFFIX)


# --- fitting --------------------------------------------------------------------------------------------------
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


# --- reading labels and conversations -------------------------------------------------------------------------
@dataclass(frozen=True)
class Label:
    conversation_id: str
    type: str
    issue_group: str | None = None


_ID_KEYS = ("conversation_id", "id")
_TYPE_KEYS = ("type", "final_type")


def _pick(record: Mapping[str, Any], keys: Sequence[str]) -> Any:
    for key in keys:
        value = record.get(key)
        if value not in (None, ""):
            return value
    return None


def read_labels(path: str | os.PathLike[str]) -> dict[str, Label]:
    """Labels from a CSV (header with ``conversation_id``/``id``, ``type``/``final_type``, optional
    ``issue_group``) or JSONL file (objects with the same keys). Raises ``CalibrationError``."""
    path = Path(path)
    if not path.is_file():
        raise CalibrationError(f"labels file {path} does not exist")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise CalibrationError(f"labels file {path} cannot be read: {error}") from error
    records: list[tuple[int, Mapping[str, Any]]] = []
    if path.suffix.lower() == ".csv" or (path.suffix.lower() not in (".jsonl", ".json") and not text.lstrip().startswith("{")):
        reader = csv.DictReader(text.splitlines())
        header = [name.strip() for name in reader.fieldnames or []]
        if not any(key in header for key in _ID_KEYS) or not any(key in header for key in _TYPE_KEYS):
            raise CalibrationError(
                f"labels file {path}: the CSV header must name conversation_id and type, found {header}"
            )
        for number, row in enumerate(reader, 2):
            records.append((number, {(k or "").strip(): (v or "").strip() for k, v in row.items()}))
    else:
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as error:
                raise CalibrationError(f"labels file {path}:{number}: not a JSON line ({error})") from error
            if not isinstance(record, dict):
                raise CalibrationError(f"labels file {path}:{number}: expected a JSON object")
            records.append((number, record))
    labels: dict[str, Label] = {}
    unknown: list[tuple[int, str]] = []
    for number, record in records:
        conversation_id, kind = _pick(record, _ID_KEYS), _pick(record, _TYPE_KEYS)
        if conversation_id is None or kind is None:
            raise CalibrationError(f"labels file {path}:{number}: needs a conversation_id and a type")
        conversation_id, kind = " ".join(str(conversation_id).split()), str(kind).strip()
        if kind not in CONVERSATION_TYPES:
            unknown.append((number, kind))
            continue
        group = record.get("issue_group")
        label = Label(conversation_id, kind, str(group) if group not in (None, "") else None)
        previous = labels.get(conversation_id)
        if previous and previous.type != kind:
            raise CalibrationError(
                f"labels file {path}:{number}: conversation {conversation_id} is labelled both "
                f"{previous.type} and {kind}"
            )
        labels[conversation_id] = label
    if unknown:
        shown = ", ".join(f"line {n}: {kind!r}" for n, kind in unknown[:3])
        raise CalibrationError(
            f"labels file {path}: {len(unknown)} unknown type(s) ({shown}); known types: "
            f"{', '.join(CONVERSATION_TYPES)}"
        )
    if not labels:
        raise CalibrationError(f"labels file {path} holds no labels")
    return labels


def read_conversations(path: str | os.PathLike[str]) -> list[Conversation]:
    """The conversations of a JSONL file or folder, normalised as the pipeline does (newest version per id)."""
    from feedback_assets.domain.normalize import normalise_many
    from feedback_assets.sources.jsonl import JsonlSource

    path = Path(path)
    if not path.exists():
        raise CalibrationError(f"conversations file {path} does not exist")
    try:
        fetched = JsonlSource(path).fetch()
    except (OSError, ValueError) as error:
        raise CalibrationError(f"conversations file {path} cannot be read: {error}") from error
    return list(normalise_many(fetched.conversations, source="calibration").conversations)


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


# --- cross-validation and reliability -------------------------------------------------------------------------
@dataclass
class FoldScores:
    rules_accuracy: float
    rules_macro_f1: float
    model_accuracy: float
    model_macro_f1: float
    scored: int


@dataclass
class CrossValidation:
    folds: list[FoldScores]
    model_probabilities: list[float]
    """Out-of-fold: each example's probability from the model fitted without it."""
    model_correct: list[bool]
    scored_ids: list[str]

    def mean(self, name: str) -> float:
        return sum(getattr(fold, name) for fold in self.folds) / len(self.folds)

    def spread(self, name: str) -> float:
        mean = self.mean(name)
        return math.sqrt(sum((getattr(fold, name) - mean) ** 2 for fold in self.folds) / len(self.folds))


Fitter = Callable[[Sequence[Example]], Any]
"""Fits on training examples; the result has ``predict(features, text) -> (type, probability)``."""


def folds_of(examples: Sequence[Example], k: int) -> list[list[int]]:
    """Stratified folds (indices), deterministic: each type's examples dealt round-robin in a seeded order."""
    import random

    generator = random.Random(SEED)
    by_type: dict[str, list[int]] = {}
    for position, example in enumerate(examples):
        by_type.setdefault(example.label, []).append(position)
    folds: list[list[int]] = [[] for _ in range(k)]
    offset = 0
    for kind in sorted(by_type):
        members = sorted(by_type[kind], key=lambda i: examples[i].conversation_id)
        generator.shuffle(members)
        for n, position in enumerate(members):
            folds[(offset + n) % k].append(position)
        offset += len(members)
    return [sorted(fold) for fold in folds if fold]


def _scores(truth: Sequence[str], predicted: Sequence[str]) -> tuple[float, float]:
    from sklearn.metrics import accuracy_score, f1_score

    classes = sorted(set(truth) | set(predicted))
    return (
        float(accuracy_score(truth, predicted)),
        float(f1_score(truth, predicted, labels=classes, average="macro", zero_division=0)),
    )


def cross_validate(examples: Sequence[Example], *, k: int = DEFAULT_FOLDS, fit: Fitter) -> CrossValidation:
    """Fit on k-1 folds, score the held-out fold, for each fold: rules-only vs rules+model on the same
    held-out examples. No example is ever scored by a model whose training set held it."""
    if len(examples) < k or k < 2:
        raise CalibrationError(f"cross-validation needs k ≥ 2 and at least k examples (k={k}, {len(examples)} examples)")
    folds = folds_of(examples, k)
    probabilities: dict[int, float] = {}
    correct: dict[int, bool] = {}
    results = []
    for held_out in folds:
        held = set(held_out)
        training = [example for position, example in enumerate(examples) if position not in held]
        model = fit(training)
        truth, by_rules, by_model = [], [], []
        for position in held_out:
            example = examples[position]
            kind, probability = model.predict(example.features, example.text)
            truth.append(example.label)
            by_rules.append(example.rules_type)
            by_model.append(kind)
            probabilities[position] = probability
            correct[position] = kind == example.label
        rules_accuracy, rules_f1 = _scores(truth, by_rules)
        model_accuracy, model_f1 = _scores(truth, by_model)
        results.append(FoldScores(rules_accuracy, rules_f1, model_accuracy, model_f1, len(held_out)))
    order = sorted(probabilities)
    return CrossValidation(
        results,
        [probabilities[i] for i in order],
        [correct[i] for i in order],
        [examples[i].conversation_id for i in order],
    )


def model_fitter(rules_version: str, feature_names: Sequence[str], **options: Any) -> Fitter:
    def fit(training: Sequence[Example]) -> TypeModel:
        return fit_model(training, feature_names=feature_names, rules_version=rules_version, fitted_at="cv", **options)

    return fit


RELIABILITY_BINS: tuple[float, ...] = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
"""Edges of the reliability table's bins of predicted probability (the last bin includes 1.0)."""


@dataclass(frozen=True)
class ReliabilityBin:
    low: float
    high: float
    count: int
    mean_probability: float | None
    accuracy: float | None


def reliability(
    probabilities: Sequence[float], correct: Sequence[bool], edges: Sequence[float] = RELIABILITY_BINS
) -> list[ReliabilityBin]:
    """One row per bin of predicted probability: how many readings, their mean probability, how many right."""
    table = []
    for number, (low, high) in enumerate(zip(edges, edges[1:])):
        last = number == len(edges) - 2
        members = [
            (p, ok) for p, ok in zip(probabilities, correct) if low <= p < high or (last and p == high)
        ]
        table.append(
            ReliabilityBin(
                low,
                high,
                len(members),
                sum(p for p, _ in members) / len(members) if members else None,
                sum(ok for _, ok in members) / len(members) if members else None,
            )
        )
    return table


def expected_calibration_error(table: Sequence[ReliabilityBin]) -> float:
    total = sum(row.count for row in table)
    if not total:
        return 0.0
    return sum(
        row.count * abs((row.accuracy or 0.0) - (row.mean_probability or 0.0)) for row in table if row.count
    ) / total


def format_reliability(title: str, table: Sequence[ReliabilityBin]) -> list[str]:
    lines = [f"{title} (ECE {expected_calibration_error(table):.3f})", "  predicted    count  mean p  observed accuracy"]
    for row in table:
        if row.count:
            lines.append(
                f"  {row.low:.1f}–{row.high:.1f}  {row.count:>7}  {row.mean_probability:6.2f}  {row.accuracy:6.2f}"
            )
        else:
            lines.append(f"  {row.low:.1f}–{row.high:.1f}  {0:>7}       —       —")
    return lines


# --- the command ----------------------------------------------------------------------------------------------
def labels_from_run(run_id: str, database_url: str | None = None) -> tuple[dict[str, Label], list[Conversation], str]:
    """A finished Claude-engine run's final types as labels, and its conversations. ``CalibrationError`` when
    the run does not exist, is not an ``anthropic`` run or has not ``succeeded``."""
    from sqlalchemy import and_, select

    from feedback_assets.domain.normalize import conversation_from_row
    from feedback_assets.storage import get_run, iter_partition, make_engine, parse_run_id, upgrade
    from feedback_assets.storage.errors import StorageError
    from feedback_assets.storage.schema import classifications

    try:
        number = parse_run_id(run_id)
    except StorageError as error:
        raise CalibrationError(f"--from-run: {error}") from error
    database = make_engine(database_url)
    upgrade(database)
    try:
        run = get_run(database, number)
    except StorageError as error:
        raise CalibrationError(f"--from-run: {error}") from error
    if run.engine != "anthropic":
        raise CalibrationError(
            f"--from-run: run {number} used the {run.engine!r} engine; only a Claude (anthropic) run's types are labels"
        )
    if run.status != "succeeded":
        raise CalibrationError(f"--from-run: run {number} is {run.status!r}; only a succeeded run's types are labels")
    labels: dict[str, Label] = {}
    with database.connect() as connection:
        rows = connection.execute(
            select(classifications.c.conversation_id, classifications.c.final_type).where(
                and_(
                    classifications.c.pipeline_run_id == number,
                    classifications.c.error.is_(None),
                    classifications.c.final_type.is_not(None),
                )
            )
        )
        for conversation_id, final_type in rows:
            labels[conversation_id] = Label(conversation_id, final_type)
    if not labels:
        raise CalibrationError(f"--from-run: run {number} has no successful classifications")
    conversations = [
        conversation_from_row(row)
        for chunk in iter_partition(database, "conversations", number)
        for row in chunk
    ]
    return labels, conversations, f"pipeline run {number} (anthropic)"


def default_conversations_path() -> Path:
    from feedback_assets import settings

    configured = os.environ.get("FEEDBACK_JSONL_PATH", "").strip()
    return Path(configured) if configured else settings.SAMPLE_CONVERSATIONS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="feedback-assets calibrate",
        description="Fit the offline engine's per-product type model from labelled conversations and store "
        "it beside the taxonomy (<taxonomy stem>.model.json).",
    )
    given = parser.add_mutually_exclusive_group(required=True)
    given.add_argument("--labels", type=Path, help="labels CSV or JSONL: conversation_id, type, optional issue_group")
    given.add_argument("--from-run", metavar="RUN_ID", help="a succeeded Claude-engine run: its final types are the labels")
    parser.add_argument(
        "--conversations",
        type=Path,
        help="conversations JSONL file or folder for --labels (default: $FEEDBACK_JSONL_PATH, else the bundled sample)",
    )
    parser.add_argument("--taxonomy", help="the product's taxonomy (default: FEEDBACK_TAXONOMY or the bundled one)")
    parser.add_argument("--output", type=Path, help="model file (default: <taxonomy stem>.model.json beside it)")
    parser.add_argument("--database-url", help="for --from-run (default: $FEEDBACK_DATABASE_URL, else the embedded SQLite)")
    args = parser.parse_args(argv)

    from feedback_assets.domain.taxonomy import load_taxonomy, taxonomy_path
    from feedback_assets.engines.offline.classifier import FEATURES
    from feedback_assets.engines.offline.engine import PROMPT_VERSION

    try:
        if args.from_run is not None and args.conversations is not None:
            raise CalibrationError("--conversations goes with --labels; --from-run reads the run's own conversations")
        try:
            taxonomy = load_taxonomy(args.taxonomy)
        except ValueError as error:
            raise CalibrationError(str(error)) from error
        output = args.output or model_path_for(taxonomy_path(args.taxonomy))
        if args.from_run is not None:
            labels, conversations, source = labels_from_run(args.from_run, args.database_url)
            where = source
        else:
            labels = read_labels(args.labels)
            conversations_path = args.conversations or default_conversations_path()
            conversations = read_conversations(conversations_path)
            source = f"labels {args.labels} on {conversations_path}"
            where = str(conversations_path)
        labelled = labelled_examples(conversations, labels, taxonomy=taxonomy, where=where)
        counts = check_counts(labelled.examples)
        model = fit_model(labelled.examples, feature_names=FEATURES, rules_version=PROMPT_VERSION, source=source)
        model.save(output)
    except CalibrationError as error:
        print(f"calibrate: {error}", file=sys.stderr)
        return 2
    agree = sum(example.rules_type == example.label for example in labelled.examples)
    print(
        f"calibrate: fitted on {len(labelled.examples)} labelled conversations "
        f"({', '.join(f'{kind} {n}' for kind, n in sorted(counts.items()))})"
        + (f"; {labelled.excluded_by_quality} labelled but filtered by quality, left out" if labelled.excluded_by_quality else "")
    )
    print(f"calibrate: the rules alone agree with {agree} of {len(labelled.examples)} labels ({agree / len(labelled.examples):.3f})")
    print(f"calibrate: wrote {output} (model {model.digest}; the offline engine now reports prompt_version {PROMPT_VERSION}+model-{model.digest})")
    print("calibrate: cross-validated before/after: feedback-assets evaluate --cross-validate (see --help)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
