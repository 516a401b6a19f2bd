"""Small pure helpers that turn counts and rows into Markdown a product manager can read in the UI."""

from __future__ import annotations

from collections import Counter
from typing import Any, Iterable, Mapping, Sequence


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_cell(value) for value in row) + " |" for row in rows]
    return "\n".join(lines)


def distribution_table(counts: Mapping[Any, int], *, label: str, limit: int | None = None) -> str:
    """Counts with their share, largest first (ties by name, so the table is stable)."""
    total = sum(counts.values()) or 1
    ordered = sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))
    if limit is not None:
        ordered = ordered[:limit]
    return markdown_table([label, "count", "share"], [(key, count, f"{count / total:.0%}") for key, count in ordered])


def count_by(rows: Iterable[Mapping[str, Any]], key: str, *, missing: str = "(none)") -> Counter:
    return Counter(row.get(key) if row.get(key) is not None else missing for row in rows)
