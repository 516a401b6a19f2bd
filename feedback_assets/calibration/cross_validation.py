"""Cross-validation of the type model (used by ``feedback-assets evaluate``): stratified folds, fit on k-1 of
them, score the held-out fold for the rules alone and for rules + model, so no label ever scores a model
fitted on it."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from feedback_assets.calibration.errors import CalibrationError
from feedback_assets.calibration.fitting import Example, fit_model
from feedback_assets.calibration.model import TypeModel

DEFAULT_FOLDS = 5
SEED = 20261203


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

