"""What each offline type-cue family buys: type accuracy / macro-F1 with every family switched off in turn.

    python benchmarks/type_cue_ablation.py [--set NAME ...]

Sets: the bundled sample (Crewline: the cues were first written against it), the bundled holdouts Inkwell
and Ledgerly, the hand-written development sets Billfold, Tallybird and Stallfront (``data/dev_written_*``;
rules-5 was tuned on them), and the hand-written development set of three other products
(``feedback_assets_tests/dev_products.py``: dental practice, CRM, property management). Each set is one run:
its product vocabulary comes from its own quality-passed conversations, as in ``feedback-assets evaluate``.
Rows: ``all`` (the engine as shipped), ``-<family>`` (that cue family off), ``-shape`` (no fallback on the
message's shape), ``-resolution`` (stage 2 ignores what support did), ``-vocabulary`` (no product-vocabulary
muting). Only types are scored (no themes), so it runs in seconds. Only the bundled sets are read: blind
evaluation sets are never opened here.
"""

from __future__ import annotations

import argparse
from datetime import datetime, timezone
from pathlib import Path
from typing import Sequence

from sklearn.metrics import accuracy_score, f1_score

from feedback_assets import settings
from feedback_assets.domain.classify import classify_conversations
from feedback_assets.domain.models import Conversation
from feedback_assets.domain.normalize import normalise_many
from feedback_assets.domain.quality import assess
from feedback_assets.domain.vocabulary import product_vocabulary
from feedback_assets.engines.offline import OfflineEngine
from feedback_assets.engines.offline.cues import FAMILY_NAMES
from feedback_assets.engines.offline.engine import ABLATIONS
from feedback_assets.evaluation import DEV_DIRS, SAMPLE_LABELS, labelled_set_files, read_labels
from feedback_assets.sources.jsonl import JsonlSource

DATA = settings.PACKAGE_DIR / "data"
BUNDLED = {
    "sample": (settings.SAMPLE_CONVERSATIONS, SAMPLE_LABELS),
    "inkwell": (DATA / "holdout" / "conversations.jsonl", DATA / "holdout" / "labels.jsonl"),
    "ledgerly": (DATA / "holdout_ledgerly" / "conversations.jsonl", DATA / "holdout_ledgerly" / "labels.jsonl"),
    **{folder.name.removeprefix("dev_written_"): labelled_set_files(folder) for folder in DEV_DIRS},
}
VARIANTS = ("all", *(f"-{name}" for name in FAMILY_NAMES), *(f"-{name}" for name in ABLATIONS))


def _bundled(conversations_path: Path, labels_path: Path) -> list[tuple[list[Conversation], dict[str, str]]]:
    fetched = JsonlSource(conversations_path).fetch()
    report = normalise_many(fetched.conversations, source="ablation")
    passed = [c for c in report.conversations if assess(c).passed]
    labels = {key: label["type"] for key, label in read_labels(labels_path).items()}
    return [(passed, labels)]


def _dev_runs() -> list[tuple[list[Conversation], dict[str, str]]]:
    from feedback_assets_tests.dev_products import DEV_SET

    now = datetime(2026, 1, 5, tzinfo=timezone.utc)
    runs: dict[str, tuple[list[Conversation], dict[str, str]]] = {}
    for number, (product, body, label) in enumerate(DEV_SET):
        conversations, labels = runs.setdefault(product, ([], {}))
        key = f"{product}-{number}"
        conversations.append(
            Conversation(conversation_id=key, source="dev", created_at=now, updated_at=now, body=body)
        )
        labels[key] = label
    return list(runs.values())


def score(runs: Sequence[tuple[list[Conversation], dict[str, str]]], disabled: tuple[str, ...]) -> tuple[float, float]:
    truth: list[str] = []
    predicted: list[str] = []
    for conversations, labels in runs:
        engine = OfflineEngine(product_vocabulary=product_vocabulary(conversations), disabled=disabled)
        for row in classify_conversations(engine, conversations).rows:
            if row["conversation_id"] in labels and not row["error"]:
                truth.append(labels[row["conversation_id"]])
                predicted.append(row["final_type"])
    classes = sorted(set(truth) | set(predicted))
    return (
        accuracy_score(truth, predicted),
        f1_score(truth, predicted, labels=classes, average="macro", zero_division=0),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    choices = [*BUNDLED, "dev"]
    parser.add_argument("--set", action="append", choices=choices, help="default: all of them")
    args = parser.parse_args(argv)
    names = args.set or choices
    sets = {name: (_dev_runs() if name == "dev" else _bundled(*BUNDLED[name])) for name in names}
    results = {
        variant: {name: score(runs, () if variant == "all" else (variant[1:],)) for name, runs in sets.items()}
        for variant in VARIANTS
    }
    header = "| variant | " + " | ".join(f"{name} acc / F1" for name in names) + " |"
    print(header)
    print("|---|" + "---|" * len(names))
    base = results["all"]
    for variant, by_set in results.items():
        cells = []
        for name in names:
            accuracy, macro_f1 = by_set[name]
            if variant == "all":
                cells.append(f"{accuracy:.3f} / {macro_f1:.3f}")
            else:
                cells.append(
                    f"{accuracy:.3f} / {macro_f1:.3f} ({accuracy - base[name][0]:+.3f})"
                )
        print(f"| {variant} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
