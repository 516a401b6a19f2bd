"""Learning from labels: a small per-product type model over the offline engine's own features.

``feedback-assets calibrate --labels FILE`` (or ``--from-run RUN_ID``: a finished Claude-engine run's
``final_type`` as labels) reads labelled conversations, lets the offline rules read each of them
(``engines.offline.classifier.assess``: the rules' score per type, their type, support's resolution, a few text
features — ``scores.FEATURES``), adds the presence of the labelled set's most common word stems, and fits a
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

Modules: ``labels`` (reading labels and their conversations), ``model`` (the model, its file), ``fitting``
(labelled examples, the fit), ``cross_validation``, ``reliability_table``, ``command`` (``calibrate``),
``errors``. Everything is re-exported here.
"""

from __future__ import annotations

from feedback_assets.calibration.command import default_conversations_path, main
from feedback_assets.calibration.cross_validation import (
    DEFAULT_FOLDS,
    SEED,
    CrossValidation,
    Fitter,
    FoldScores,
    cross_validate,
    folds_of,
    model_fitter,
)
from feedback_assets.calibration.errors import CalibrationError, ModelError
from feedback_assets.calibration.fitting import (
    MIN_LABELS_PER_TYPE,
    Example,
    LabelledSet,
    check_counts,
    choose_terms,
    fit_model,
    labelled_examples,
    rules_engine,
)
from feedback_assets.calibration.labels import Label, labels_from_run, read_conversations, read_labels
from feedback_assets.calibration.model import (
    CLASS_WEIGHT,
    MIN_TERM_DOCUMENTS,
    MODEL_ENV,
    MODEL_FORMAT,
    MODEL_SUFFIX,
    OFF_VALUES,
    REGULARISATION,
    RULES_EMPHASIS,
    TERMS,
    TypeModel,
    model_path_for,
    text_terms,
)
from feedback_assets.calibration.reliability_table import (
    RELIABILITY_BINS,
    ReliabilityBin,
    expected_calibration_error,
    format_reliability,
    reliability,
)

__all__ = [
    "CLASS_WEIGHT",
    "DEFAULT_FOLDS",
    "MIN_LABELS_PER_TYPE",
    "MIN_TERM_DOCUMENTS",
    "MODEL_ENV",
    "MODEL_FORMAT",
    "MODEL_SUFFIX",
    "OFF_VALUES",
    "REGULARISATION",
    "RELIABILITY_BINS",
    "RULES_EMPHASIS",
    "SEED",
    "TERMS",
    "CalibrationError",
    "CrossValidation",
    "Example",
    "Fitter",
    "FoldScores",
    "Label",
    "LabelledSet",
    "ModelError",
    "ReliabilityBin",
    "TypeModel",
    "check_counts",
    "choose_terms",
    "cross_validate",
    "default_conversations_path",
    "expected_calibration_error",
    "fit_model",
    "folds_of",
    "format_reliability",
    "labelled_examples",
    "labels_from_run",
    "main",
    "model_fitter",
    "model_path_for",
    "read_conversations",
    "read_labels",
    "reliability",
    "rules_engine",
    "text_terms",
]
