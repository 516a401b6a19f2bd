"""``feedback-assets evaluate``: how well an engine types and groups a labelled set of conversations.

Runs the same domain steps as the assets (normalise, quality filter, classify, themes with signature
rules) on a conversations file and scores them against a labels file (JSONL lines
``{"conversation_id", "type", "issue_group"}``; ``issue_group`` null for conversations that belong to no
recurring issue):

* type accuracy and macro-F1 of ``final_type`` over the labelled conversations the pipeline classified;
* pairwise precision / recall / F1 of issue grouping over the same conversations: a pair is predicted
  together when both got the same issue signature, truly together when both carry the same issue_group;
* recurring issues recovered as one story: of the issue groups with at least ``DEFAULT_MIN_GROUP_SIZE``
  scored members, those whose members mostly share one signature that is a story (that many members or more)
  and mostly theirs (``recurring_recovered``).

Defaults: the bundled sample, and every holdout set under ``data/holdout*/`` (with its own
``taxonomy.json`` if it has one, else an empty taxonomy: a holdout is another product).

The headline figures are the rules alone (a stored type model is never scored on labels it may have been
fitted on). For each set a reliability table bins the rules' calibrated probability of the final type
against how often it was right. With ``--cross-validate``, or for a set whose taxonomy has a type model beside
it (``feedback-assets calibrate``), a k-fold cross-validation fits a model on k-1 folds of the set's labels and
scores the held-out fold, rules alone vs rules+model on the same conversations (mean ± sd over the folds, and
the out-of-fold reliability of the model's probabilities).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from math import comb
from pathlib import Path
from typing import Any, Mapping, Sequence

from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

from feedback_assets import calibration, settings
from feedback_assets.domain.classify import classify_conversations
from feedback_assets.domain.normalize import normalise_many
from feedback_assets.domain.quality import assess
from feedback_assets.domain.stories import DEFAULT_MIN_GROUP_SIZE
from feedback_assets.domain.taxonomy import Taxonomy, empty_taxonomy, load_taxonomy
from feedback_assets.domain.themes import extract_themes, theme_requests
from feedback_assets.domain.vocabulary import product_vocabulary
from feedback_assets.engines.offline import OfflineEngine, classifier, scores
from feedback_assets.engines.offline.engine import PROMPT_VERSION
from feedback_assets.engines.offline.themer import DEFAULT_SIMILARITY_THRESHOLD
from feedback_assets.sources.jsonl import JsonlSource

SAMPLE_LABELS = settings.PACKAGE_DIR / "data" / "sample_labels.jsonl"
HOLDOUT_DIRS = sorted((settings.PACKAGE_DIR / "data").glob("holdout*"))
"""Every bundled holdout: other products than the sample's, each scored with an empty taxonomy."""
DEV_DIRS = sorted((settings.PACKAGE_DIR / "data").glob("dev_written_*"))
"""The bundled hand-written development sets: for tuning (never scored by default)."""


@dataclass
class PairScores:
    precision: float
    recall: float
    f1: float
    predicted_pairs: int
    true_pairs: int


@dataclass
class Evaluation:
    name: str
    conversations_read: int
    malformed: int
    passed_quality: int
    labelled: int
    scored: int
    type_accuracy: float
    type_macro_f1: float
    majority_baseline: float
    per_type: dict[str, tuple[float, float, float, int]]
    grouping: PairScores
    recurring: tuple[int, int] = (0, 0)
    """(recurring issues recovered as one story, recurring issues)."""
    group_sizes: Counter = field(default_factory=Counter)
    reliability: list[calibration.ReliabilityBin] = field(default_factory=list)
    """Rules alone: calibrated probability of the final type → observed accuracy."""
    cross_validation: calibration.CrossValidation | None = None
    folds: int = 0


def pairwise_scores(predicted: Sequence[str | None], truth: Sequence[str | None]) -> PairScores:
    """Pair-counting precision/recall of a clustering (None = in no cluster) against true groups."""
    both = Counter((p, t) for p, t in zip(predicted, truth) if p is not None and t is not None)
    predicted_pairs = sum(comb(n, 2) for n in Counter(p for p in predicted if p is not None).values())
    true_pairs = sum(comb(n, 2) for n in Counter(t for t in truth if t is not None).values())
    agreeing = sum(comb(n, 2) for n in both.values())
    precision = agreeing / predicted_pairs if predicted_pairs else 0.0
    recall = agreeing / true_pairs if true_pairs else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PairScores(precision, recall, f1, predicted_pairs, true_pairs)


def recurring_recovered(
    predicted: Sequence[str | None], truth: Sequence[str | None], min_size: int = DEFAULT_MIN_GROUP_SIZE
) -> tuple[int, int]:
    """(recovered, recurring): a true group of ``min_size`` members or more is recurring; it is recovered as
    one story when one signature holds more than half of its members, that signature has ``min_size``
    members or more (a story is made of it), and more than half of them belong to the group (the story is
    about this issue, not a merge of several)."""
    members: dict[str, list[str | None]] = defaultdict(list)
    for signature, group in zip(predicted, truth):
        if group is not None:
            members[group].append(signature)
    signature_sizes = Counter(signature for signature in predicted if signature is not None)
    recurring = recovered = 0
    for group, signatures in members.items():
        if len(signatures) < min_size:
            continue
        recurring += 1
        counts = Counter(signature for signature in signatures if signature is not None)
        if not counts:
            continue
        signature, held = counts.most_common(1)[0]
        size = signature_sizes[signature]
        if held * 2 > len(signatures) and size >= min_size and held * 2 > size:
            recovered += 1
    return recovered, recurring


def read_labels(path: Path) -> dict[str, Mapping[str, Any]]:
    labels = {}
    with path.open(encoding="utf-8") as handle:
        for line_number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                label = json.loads(line)
                labels[str(label["conversation_id"])] = label
            except (ValueError, KeyError, TypeError) as error:
                raise ValueError(f"{path}:{line_number}: not a label line ({error})") from error
    return labels


def evaluate(
    name: str,
    conversations_path: Path,
    labels_path: Path,
    *,
    taxonomy: Taxonomy,
    similarity_threshold: float = DEFAULT_SIMILARITY_THRESHOLD,
    folds: int = 0,
) -> Evaluation:
    """Score the rules on one labelled set; ``folds`` ≥ 2 adds the cross-validated rules+model figures."""
    fetched = JsonlSource(conversations_path).fetch()
    report = normalise_many(fetched.conversations, source="evaluation")
    passed = [conversation for conversation in report.conversations if assess(conversation).passed]
    engine = OfflineEngine(
        taxonomy=taxonomy,
        similarity_threshold=similarity_threshold,
        product_vocabulary=product_vocabulary(passed),  # the whole set is one run: its own vocabulary
        model=False,  # the rules alone: a stored model may have been fitted on these very labels
    )
    classified = classify_conversations(engine, passed)
    themes = extract_themes(engine, theme_requests(passed, classified.rows), taxonomy=taxonomy)
    signatures = {row["conversation_id"]: row["issue_signature"] for row in themes.rows if not row["error"]}

    labels = read_labels(labels_path)
    scored = [row for row in classified.rows if row["conversation_id"] in labels and not row["error"]]
    truth = [labels[row["conversation_id"]]["type"] for row in scored]
    predicted = [row["final_type"] for row in scored]
    classes = sorted(set(truth) | set(predicted))
    precision, recall, f1, support = precision_recall_fscore_support(
        truth, predicted, labels=classes, zero_division=0
    )
    majority = Counter(truth).most_common(1)[0][1] / len(truth) if truth else 0.0
    by_id = {conversation.conversation_id: conversation for conversation in passed}
    probabilities = [
        classifier.assess(by_id[row["conversation_id"]], engine.rules).final.probability for row in scored
    ]
    cross_validation = None
    if folds >= 2:
        examples = calibration.labelled_examples(
            passed, {cid: label["type"] for cid, label in labels.items()}, taxonomy=taxonomy, strict=False
        ).examples
        cross_validation = calibration.cross_validate(
            examples, k=folds, fit=calibration.model_fitter(PROMPT_VERSION, scores.FEATURES)
        )
    predicted_signatures = [signatures.get(row["conversation_id"]) for row in scored]
    true_groups = [labels[row["conversation_id"]].get("issue_group") for row in scored]
    grouping = pairwise_scores(predicted_signatures, true_groups)
    return Evaluation(
        name=name,
        conversations_read=len(fetched.conversations) + len(fetched.errors),
        malformed=len(fetched.errors) + len(report.errors),
        passed_quality=len(passed),
        labelled=len(labels),
        scored=len(scored),
        type_accuracy=accuracy_score(truth, predicted) if truth else 0.0,
        type_macro_f1=(
            f1_score(truth, predicted, labels=classes, average="macro", zero_division=0) if truth else 0.0
        ),
        majority_baseline=majority,
        per_type={
            c: (float(p), float(r), float(f), int(n))
            for c, p, r, f, n in zip(classes, precision, recall, f1, support)
        },
        grouping=grouping,
        recurring=recurring_recovered(predicted_signatures, true_groups),
        group_sizes=Counter(Counter(signatures.values()).values()),
        reliability=calibration.reliability(probabilities, [t == p for t, p in zip(truth, predicted)]),
        cross_validation=cross_validation,
        folds=folds,
    )


def format_evaluation(result: Evaluation, min_group_size: int = DEFAULT_MIN_GROUP_SIZE) -> str:
    groups = result.group_sizes
    candidates = sum(count for size, count in groups.items() if size >= min_group_size)
    orphans = sum(count for size, count in groups.items() if size < min_group_size)
    lines = [
        f"== {result.name}",
        f"conversations: {result.conversations_read} records, {result.malformed} malformed, "
        f"{result.passed_quality} passed the quality filter; "
        f"{result.labelled} labelled, {result.scored} scored",
        f"type accuracy {result.type_accuracy:.3f}  macro-F1 {result.type_macro_f1:.3f}  "
        f"(majority-class baseline {result.majority_baseline:.3f})",
    ]
    for name, (precision, recall, f1, support) in result.per_type.items():
        lines.append(
            f"  {name:<20} precision {precision:.2f}  recall {recall:.2f}  F1 {f1:.2f}  (n={support})"
        )
    g = result.grouping
    lines.append(
        f"issue grouping (pairwise): precision {g.precision:.3f}  recall {g.recall:.3f}  F1 {g.f1:.3f}  "
        f"({g.predicted_pairs} predicted pairs, {g.true_pairs} true pairs)"
    )
    recovered, recurring = result.recurring
    lines.append(
        f"recurring issues (≥ {min_group_size} labelled) recovered as one story: {recovered} of {recurring}"
    )
    lines.append(f"signature groups: {candidates} of ≥ {min_group_size} conversations, {orphans} smaller")
    if result.reliability:
        lines.extend(calibration.format_reliability("reliability, rules alone (final type)", result.reliability))
    cv = result.cross_validation
    if cv is not None:
        lines.append(
            f"cross-validated type model ({result.folds} folds: fit on {result.folds - 1}, score the held-out one; "
            f"{sum(fold.scored for fold in cv.folds)} labelled conversations):"
        )
        for name, label in (("accuracy", "type accuracy"), ("macro_f1", "macro-F1")):
            lines.append(
                f"  {label:<13} rules {cv.mean('rules_' + name):.3f} ± {cv.spread('rules_' + name):.3f}  →  "
                f"rules+model {cv.mean('model_' + name):.3f} ± {cv.spread('model_' + name):.3f}"
            )
        lines.extend(
            calibration.format_reliability(
                "reliability, rules+model (out-of-fold probabilities)",
                calibration.reliability(cv.model_probabilities, cv.model_correct),
            )
        )
    return "\n".join(lines)


def labelled_set_files(folder: Path) -> tuple[Path, Path] | None:
    """(conversations, labels) JSONL files of a labelled set's folder (holdout or dev), or None."""
    conversations = sorted(p for p in folder.glob("*.jsonl") if "label" not in p.name)
    labels = sorted(folder.glob("*label*.jsonl"))
    return (conversations[0], labels[0]) if conversations and labels else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="feedback-assets evaluate", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--conversations", type=Path, help="conversations JSONL (default: the bundled sample)"
    )
    parser.add_argument("--labels", type=Path, help="labels JSONL (default: the bundled sample's labels)")
    parser.add_argument(
        "--taxonomy", help="taxonomy JSON for --conversations (default: FEEDBACK_TAXONOMY or Crewline's)"
    )
    parser.add_argument(
        "--holdout",
        type=Path,
        action="append",
        help="holdout folder, repeatable (default: every data/holdout* folder)",
    )
    parser.add_argument("--no-holdout", action="store_true", help="skip the holdout sets")
    parser.add_argument(
        "--threshold",
        type=float,
        default=DEFAULT_SIMILARITY_THRESHOLD,
        help="grouping similarity threshold (default: %(default)s)",
    )
    parser.add_argument(
        "--cross-validate",
        action="store_true",
        help="k-fold rules vs rules+model for every set (default: only sets with a type model beside their taxonomy)",
    )
    parser.add_argument(
        "--folds", type=int, default=calibration.DEFAULT_FOLDS, help="folds of the cross-validation (default: %(default)s)"
    )
    args = parser.parse_args(argv)
    if args.folds < 2:
        parser.error("--folds must be at least 2")

    if (args.conversations is None) != (args.labels is None):
        parser.error("give --conversations and --labels together")
    sets: list[tuple[str, Path, Path, Taxonomy]] = []
    try:
        conversations = args.conversations or settings.SAMPLE_CONVERSATIONS
        labels = args.labels or SAMPLE_LABELS
        sets.append(
            (
                f"{'sample' if args.conversations is None else 'input'}: {conversations}",
                conversations,
                labels,
                load_taxonomy(args.taxonomy),
            )
        )
        for folder in [] if args.no_holdout else (args.holdout or HOLDOUT_DIRS):
            files = labelled_set_files(folder) if folder.is_dir() else None
            if files is None:
                print(f"evaluate: {folder} holds no conversations and labels JSONL files", file=sys.stderr)
                return 2
            taxonomy_file = folder / "taxonomy.json"
            holdout_taxonomy = load_taxonomy(taxonomy_file) if taxonomy_file.exists() else empty_taxonomy()
            sets.append((f"holdout: {files[0]} (taxonomy: {holdout_taxonomy.product})", *files, holdout_taxonomy))
        for name, conversations, labels, taxonomy in sets:
            for path in (conversations, labels):
                if not path.is_file():
                    print(f"evaluate: {path} does not exist", file=sys.stderr)
                    return 2
            has_model = taxonomy.path is not None and calibration.model_path_for(taxonomy.path).is_file()
            print(
                format_evaluation(
                    evaluate(
                        name,
                        conversations,
                        labels,
                        taxonomy=taxonomy,
                        similarity_threshold=args.threshold,
                        folds=args.folds if args.cross_validate or has_model else 0,
                    )
                )
            )
    except ValueError as error:
        print(f"evaluate: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
