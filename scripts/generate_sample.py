#!/usr/bin/env python3
"""Generate the bundled sample (or the holdout, or a larger benchmark set) of Intercom-shaped conversations.

    python scripts/generate_sample.py                       # Crewline sample + labels (committed files)
    python scripts/generate_sample.py --product inkwell     # holdout: data/holdout/{conversations,labels}.jsonl
    python scripts/generate_sample.py --product ledgerly    # blind holdout: data/holdout_ledgerly/{...}.jsonl
    python scripts/generate_sample.py --count 10000 --output /tmp/big.jsonl --labels /tmp/big_labels.jsonl

Same arguments give byte-identical files. Standard library only; no network, no model. Benchmarks import
``generate(count, seed, start, days, product)`` from here or from ``sample_generator`` (``scripts/`` on sys.path).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

SCRIPTS_DIR = Path(__file__).resolve().parent
PROJECT_DIR = SCRIPTS_DIR.parent
if str(SCRIPTS_DIR) not in sys.path:
    sys.path.insert(0, str(SCRIPTS_DIR))

from sample_generator import DEFAULT_SEED, build_dataset, generate, label_rows, write_jsonl  # noqa: E402,F401
from sample_products import PRODUCT_MODULES, load_product  # noqa: E402


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text}")
    return value


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--product", default="crewline", choices=sorted(PRODUCT_MODULES))
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--count", type=_positive, help="unique conversations (default: the product's, "
                                                        "1200/300)")
    parser.add_argument("--days", type=_positive, help="window length in days (default: the product's, 90/60)")
    parser.add_argument("--start", help="first day YYYY-MM-DD (default: the window ends on --end)")
    parser.add_argument("--end", help="last day YYYY-MM-DD when --start is not given (default 2026-11-15)")
    parser.add_argument("--output", type=Path, help="conversations JSONL (default: the product's bundled "
                                                    "path)")
    parser.add_argument("--labels", type=Path, help="labels JSONL (default: the product's bundled path)")
    label_mode = parser.add_mutually_exclusive_group()
    label_mode.add_argument("--label-all", action="store_true", default=None, help="label every conversation")
    label_mode.add_argument("--label-subset", dest="label_all", action="store_false",
                            help="label a deterministic third, stratified by type")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    spec = load_product(args.product)
    try:
        dataset = build_dataset(args.count, args.seed, args.start, args.days, args.product, end=args.end)
    except ValueError as error:
        print(f"generate_sample: {error}", file=sys.stderr)
        return 2
    output = args.output or PROJECT_DIR / spec.default_output
    labels_path = args.labels or PROJECT_DIR / spec.default_labels
    label_all = spec.label_all if args.label_all is None else args.label_all
    labels = label_rows(dataset, label_all)
    write_jsonl(output, dataset.conversations)
    write_jsonl(labels_path, labels)

    types = Counter(record.type for record in dataset.truth.values())
    groups = Counter(row["issue_group"] for row in labels if row["issue_group"])
    print(f"{output}: {len(dataset.conversations)} lines, {len(dataset.truth)} conversations, "
          f"{dataset.start} + {dataset.days} days")
    print(f"{labels_path}: {len(labels)} labels, {len(groups)} issue groups among them")
    print("types: " + ", ".join(f"{name}={count}" for name, count in sorted(types.items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
