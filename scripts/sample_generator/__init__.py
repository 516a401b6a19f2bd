"""Reproducible generator of Intercom-shaped support conversations for fictional products, with ground truth.

Importable by benchmarks and tests once ``scripts/`` is on ``sys.path``::

    sys.path.insert(0, str(PROJECT_DIR / "scripts"))
    from sample_generator import generate
    conversations = generate(count=10_000, seed=7, start="2026-05-01", days=180, product="crewline")

``generate`` returns conversation dicts in file order (re-fetched conversations appear twice, same id, the later
copy with more parts). ``build_dataset`` also returns the ground truth; ``label_rows`` turns it into label rows.
Only the standard library is used: ``random.Random`` streams seeded from the arguments, no network, no model.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from .builder import Dataset, Truth, build_dataset as _build, issue_groups, label_rows

DEFAULT_SEED = 20261115
DEFAULT_END = date(2026, 11, 15)

__all__ = ["DEFAULT_END", "DEFAULT_SEED", "Dataset", "Truth", "build_dataset", "dumps_jsonl", "generate",
           "issue_groups", "label_rows", "resolve_window", "write_jsonl"]


def resolve_window(start: str | date | None, days: int, end: str | date | None = None) -> date:
    """The first day of the window: ``start`` if given, else ``days`` days ending on ``end`` (default 2026-11-15,
    inclusive)."""
    if days < 1:
        raise ValueError(f"days must be at least 1, got {days}")
    if start is not None:
        return _as_date(start, "start")
    last = _as_date(end, "end") if end is not None else DEFAULT_END
    return last - timedelta(days=days - 1)


def _as_date(value: str | date, name: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{name} must be a date like 2026-08-18, got {value!r}") from None


def build_dataset(count: int | None = None, seed: int = DEFAULT_SEED, start: str | date | None = None,
                  days: int | None = None, product: str = "crewline", end: str | date | None = None) -> Dataset:
    """Conversations plus ground truth. ``count``/``days`` default to the product's sample defaults."""
    from sample_products import load_product

    spec = load_product(product)
    days = spec.default_days if days is None else days
    count = spec.default_count if count is None else count
    return _build(spec, count, seed, resolve_window(start, days, end), days)


def generate(count: int | None = None, seed: int = DEFAULT_SEED, start: str | date | None = None,
             days: int | None = None, product: str = "crewline") -> list[dict]:
    """``count`` unique conversations (plus the re-fetched copies) for ``product`` over ``days`` days."""
    return build_dataset(count, seed, start, days, product).conversations


def dumps_jsonl(rows: list[dict]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n" for row in rows)


def write_jsonl(path: str | Path, rows: list[dict]) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps_jsonl(rows), encoding="utf-8", newline="\n")
