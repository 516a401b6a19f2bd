"""``feedback-assets calibrate``: read labels (a file, or a Claude-engine run), fit the type model and store it
beside the taxonomy."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from feedback_assets.calibration.errors import CalibrationError
from feedback_assets.calibration.fitting import check_counts, fit_model, labelled_examples
from feedback_assets.calibration.labels import labels_from_run, read_conversations, read_labels
from feedback_assets.calibration.model import model_path_for


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
    from feedback_assets.engines.offline.scores import FEATURES
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
