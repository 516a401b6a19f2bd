"""The offline rules' confidence: the probability that a reading is right, and the contract's level for it.

``RULES_CONFIDENCE_CURVES`` maps how strongly the rules' scores back their type (``scores.rules_raw_confidence``:
the score margin, plus the resolution weight when support's resolution confirms the type) to a probability, one
step curve per stage, fitted by isotonic regression in ``benchmarks/rules_confidence.py`` (which prints the constant
to paste here). ``confidence_level`` turns any probability — the rules' or a type model's — into high / medium / low
by ``CONFIDENCE_CUTOFFS``.

Pure: no Dagster.
"""

from __future__ import annotations

from bisect import bisect_right

CONFIDENCE_CUTOFFS: tuple[tuple[str, float], ...] = (("high", 0.80), ("medium", 0.55))
"""Probability from which a reading is ``high`` (right about 4 times in 5 or more), else ``medium``; below the
last cut-off it is ``low`` (wrong about as often as right, or more)."""

RULES_CONFIDENCE_CURVES: dict[str, tuple[tuple[float, float], ...]] = {
    # stage -> (raw score from which, probability) steps, increasing. Isotonic regression of "the rules' type
    # is right" on ``rules_raw_confidence``, fitted once by ``benchmarks/rules_confidence.py`` on the labelled
    # bundled sample and the three hand-written dev sets (never the holdouts); stage 1 against the labels'
    # stage-1 type, stage 2 against the final type.
    "stage1": ((0.0, 0.46), (1.0, 0.759), (1.75, 0.878), (2.75, 0.897), (5.5, 0.97)),
    "stage2": ((0.0, 0.448), (1.0, 0.64), (2.0, 0.792), (6.75, 0.943), (9.5, 0.97), (11.75, 0.97)),
}


def calibrated_probability(raw: float, stage: str) -> float:
    """``raw`` (``rules_raw_confidence``) through the stage's shipped calibration curve."""
    curve = RULES_CONFIDENCE_CURVES[stage]
    position = bisect_right([start for start, _ in curve], raw) - 1
    return curve[max(position, 0)][1]


def confidence_level(probability: float) -> str:
    """The contract's high / medium / low for a probability, by ``CONFIDENCE_CUTOFFS``."""
    for level, cutoff in CONFIDENCE_CUTOFFS:
        if probability >= cutoff:
            return level
    return "low"
