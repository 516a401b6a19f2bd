"""Reliability tables: predicted probabilities binned against observed accuracy, their expected calibration
error, and their text form (``feedback-assets evaluate``, ``benchmarks/rules_confidence.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

RELIABILITY_BINS: tuple[float, ...] = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
"""Edges of the reliability table's bins of predicted probability (the last bin includes 1.0)."""


@dataclass(frozen=True)
class ReliabilityBin:
    low: float
    high: float
    count: int
    mean_probability: float | None
    accuracy: float | None


def reliability(
    probabilities: Sequence[float], correct: Sequence[bool], edges: Sequence[float] = RELIABILITY_BINS
) -> list[ReliabilityBin]:
    """One row per bin of predicted probability: how many readings, their mean probability, how many right."""
    table = []
    for number, (low, high) in enumerate(zip(edges, edges[1:])):
        last = number == len(edges) - 2
        members = [
            (p, ok) for p, ok in zip(probabilities, correct) if low <= p < high or (last and p == high)
        ]
        table.append(
            ReliabilityBin(
                low,
                high,
                len(members),
                sum(p for p, _ in members) / len(members) if members else None,
                sum(ok for _, ok in members) / len(members) if members else None,
            )
        )
    return table


def expected_calibration_error(table: Sequence[ReliabilityBin]) -> float:
    total = sum(row.count for row in table)
    if not total:
        return 0.0
    return sum(
        row.count * abs((row.accuracy or 0.0) - (row.mean_probability or 0.0)) for row in table if row.count
    ) / total


def format_reliability(title: str, table: Sequence[ReliabilityBin]) -> list[str]:
    lines = [f"{title} (ECE {expected_calibration_error(table):.3f})", "  predicted    count  mean p  observed accuracy"]
    for row in table:
        if row.count:
            lines.append(
                f"  {row.low:.1f}–{row.high:.1f}  {row.count:>7}  {row.mean_probability:6.2f}  {row.accuracy:6.2f}"
            )
        else:
            lines.append(f"  {row.low:.1f}–{row.high:.1f}  {0:>7}       —       —")
    return lines
