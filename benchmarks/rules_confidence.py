"""Fit the offline rules' confidence calibration (``confidence.RULES_CONFIDENCE_CURVES``) and print it.

    python benchmarks/rules_confidence.py

Reads only the calibration sets — the labelled bundled sample and every hand-written dev set
(``data/dev_written_*``) — never a holdout. For each stage it fits an isotonic regression of "the rules' type
is right" on ``scores.rules_raw_confidence`` (stage 1 against the labels' ``stage1_type`` where given,
stage 2 against ``type``), each set weighted equally (the sample has several times the dev sets' labels), and
prints the curve as the constant to paste into ``engines/offline/confidence.py``. Then it prints each set's
reliability table
with the shipped curve.
"""

from __future__ import annotations

from pathlib import Path

from sklearn.isotonic import IsotonicRegression

from feedback_assets import settings
from feedback_assets.calibration import format_reliability, read_conversations, reliability
from feedback_assets.domain.quality import assess as quality
from feedback_assets.domain.vocabulary import product_vocabulary
from feedback_assets.engines.offline import OfflineEngine
from feedback_assets.evaluation import DEV_DIRS, labelled_set_files, read_labels
from feedback_assets.engines.offline.classifier import assess
from feedback_assets.engines.offline.confidence import calibrated_probability

DATA = settings.PACKAGE_DIR / "data"
CALIBRATION_SETS = {
    "sample": (settings.SAMPLE_CONVERSATIONS, DATA / "sample_labels.jsonl"),
    **{folder.name: labelled_set_files(folder) for folder in DEV_DIRS},
}
MIN_STEP_WEIGHT = 0.02
"""Steps of the isotonic curve holding less than this share of the weight are merged into the next one."""
MAX_PROBABILITY = 0.97
"""Rules are never certain: a few dozen right answers in a row do not make a probability of 1."""


def raw_points(conversations_path: Path, labels_path: Path) -> dict[str, list[tuple[float, bool]]]:
    """(raw confidence, rules right?) per stage over the labelled conversations that pass the filter."""
    labels = read_labels(labels_path)
    passed = [c for c in read_conversations(conversations_path) if quality(c).passed]
    engine = OfflineEngine(product_vocabulary=product_vocabulary(passed), model=False)
    points: dict[str, list[tuple[float, bool]]] = {"stage1": [], "stage2": []}
    for conversation in passed:
        label = labels.get(conversation.conversation_id)
        if not label:
            continue
        result = assess(conversation, engine.rules)
        stage1_truth = label.get("stage1_type") or label["type"]
        points["stage1"].append((result.reading1.raw_confidence, result.reading1.rules_type == stage1_truth))
        if result.reading2 is not None:
            points["stage2"].append((result.reading2.raw_confidence, result.reading2.rules_type == label["type"]))
    return points


def fit_curve(sets: dict[str, list[tuple[float, bool]]]) -> tuple[tuple[float, float], ...]:
    xs, ys, weights = [], [], []
    for points in sets.values():
        for raw, right in points:
            xs.append(raw)
            ys.append(1.0 if right else 0.0)
            weights.append(1.0 / len(points))
    print("# points per set:", {name: len(points) for name, points in sets.items()})
    model = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(xs, ys, sample_weight=weights)
    # The fitted step function, sampled at every distinct raw value, merged into steps of real weight.
    total = sum(weights)
    distinct = sorted(set(xs))
    steps: list[list[float]] = []  # [start, probability, weight]
    for value in distinct:
        probability = float(model.predict([value])[0])
        weight = sum(w for x, w in zip(xs, weights) if x == value)
        if steps and abs(steps[-1][1] - probability) < 1e-9:
            steps[-1][2] += weight
        else:
            steps.append([value, probability, weight])
    merged: list[list[float]] = []
    for step in steps:
        if merged and merged[-1][2] < MIN_STEP_WEIGHT * total:
            previous = merged.pop()
            weight = previous[2] + step[2]
            step = [previous[0], (previous[1] * previous[2] + step[1] * step[2]) / weight, weight]
        merged.append(step)
    while len(merged) > 1 and merged[-1][2] < MIN_STEP_WEIGHT * total:
        last = merged.pop()
        weight = merged[-1][2] + last[2]
        merged[-1] = [merged[-1][0], (merged[-1][1] * merged[-1][2] + last[1] * last[2]) / weight, weight]
    for step in merged:
        step[1] = min(step[1], MAX_PROBABILITY)
    curve = [(0.0 if i == 0 else round(s[0], 3), round(s[1], 3)) for i, s in enumerate(merged)]
    for i in range(1, len(curve)):  # keep it non-decreasing after rounding and merging
        if curve[i][1] < curve[i - 1][1]:
            curve[i] = (curve[i][0], curve[i - 1][1])
    return tuple(curve)


def main() -> None:
    per_set = {name: raw_points(*paths) for name, paths in CALIBRATION_SETS.items()}
    curves = {}
    for stage in ("stage1", "stage2"):
        curves[stage] = fit_curve({name: points[stage] for name, points in per_set.items()})
    print("RULES_CONFIDENCE_CURVES = {")
    for stage, curve in curves.items():
        print(f'    "{stage}": {curve},')
    print("}")
    for name, points in per_set.items():
        for stage in ("stage1", "stage2"):
            probabilities = [calibrated_probability(raw, stage) for raw, _ in points[stage]]
            print("\n".join(format_reliability(f"{name} {stage} (shipped curve)", reliability(probabilities, [ok for _, ok in points[stage]]))))


if __name__ == "__main__":
    main()
