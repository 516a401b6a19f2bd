"""The per-product type model: a multinomial logistic regression over the offline engine's features and the
presence of product word stems, applied without scikit-learn; its JSON file (format, load, save, digest) and
where it lives beside the taxonomy (``<taxonomy stem>.model.json``)."""

from __future__ import annotations

import hashlib
import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from feedback_assets.calibration.errors import ModelError
from feedback_assets.domain.models import CONVERSATION_TYPES
from feedback_assets.domain.text import stem, words
from feedback_assets.domain.vocabulary import FUNCTION_TERMS, SECOND_PERSON

MODEL_FORMAT = "feedback-assets-type-model/1"
MODEL_SUFFIX = ".model.json"
MODEL_ENV = "FEEDBACK_OFFLINE_MODEL"
"""``off`` (or ``0``, ``false``, ``none``): the offline engine uses no model; a path: that model file (which
must load); unset: ``<taxonomy stem>.model.json`` beside the active taxonomy when it exists."""
OFF_VALUES = frozenset({"off", "0", "false", "no", "none"})

# How a model is fitted (``fitting.fit_model``); its file records them.
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
