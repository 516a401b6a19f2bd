"""What the two model-calling stages (classifications, themes) share: the pool, spend bookkeeping, the
failure policy and the metadata that describes an engine's work on a partition."""

from typing import Any, Mapping, Sequence

import dagster as dg
from sqlalchemy import Engine

from feedback_assets.domain.models import TokenUsage
from feedback_assets.engines import Engine as ClassificationEngine
from feedback_assets.reporting import markdown_table
from feedback_assets.storage import add_spend
from feedback_assets.storage.reuse import reused_share

LLM_POOL = "llm"
"""Dagster pool shared by every step that calls a model, so concurrent partitions share one limit."""

FAILURE_EXAMPLES = 10


def failures_of(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """``conversation_id: error`` for every row that records a failure."""
    return [f"{row['conversation_id']}: {row['error']}" for row in rows if row.get("error")]


def record_usage(engine: Engine, run_id: int, usage: TokenUsage) -> None:
    """Spend is cumulative per pipeline run: re-running a step spends again."""
    add_spend(
        engine,
        run_id,
        input_tokens=usage.input_tokens,
        output_tokens=usage.output_tokens,
        cache_read_tokens=usage.cache_read_tokens,
        cache_write_tokens=usage.cache_write_tokens,
        estimated_cost_usd=usage.cost_usd,
    )


def fail_if_too_many_failures(
    stage: str, rows: Sequence[Mapping[str, Any]], total: int, limit: float, run_id: int
) -> None:
    """The rows are written (failures are recorded, never hidden); the step still fails when more than
    ``limit`` of its items failed, so nobody mistakes a broken run for a quiet one."""
    failures = failures_of(rows)
    if total and len(failures) / total > limit:
        raise dg.Failure(
            description=(
                f"{stage} for pipeline run {run_id}: {len(failures)} of {total} items failed "
                f"({len(failures) / total:.0%} > max_failure_share {limit:.0%}); the failures are recorded in the table"
            ),
            metadata={
                "failures": len(failures),
                "total": total,
                "examples": dg.MetadataValue.md("\n".join(f"- {e}" for e in failures[:FAILURE_EXAMPLES])),
            },
        )


def engine_metadata(
    engine: ClassificationEngine, model: str | None, rows: Sequence[Mapping[str, Any]], usage: TokenUsage
) -> dict[str, Any]:
    """Which engine did the work, what failed, and what it cost."""
    failures = failures_of(rows)
    metadata: dict[str, Any] = {
        "engine": engine.name,
        "model": model or "rules (no model)",
        "prompt_version": engine.prompt_version,
        "failures": len(failures),
        "llm_calls": usage.calls,
        "input_tokens": usage.input_tokens,
        "output_tokens": usage.output_tokens,
        "cache_read_tokens": usage.cache_read_tokens,
        "cache_write_tokens": usage.cache_write_tokens,
        "estimated_cost_usd": dg.MetadataValue.float(round(usage.cost_usd, 4)),
    }
    by_stage = getattr(engine, "usage_by_stage", None)
    if by_stage:  # the Claude engine: calls, tokens and prompt-cache reads/writes per stage
        metadata["usage_by_stage"] = dg.MetadataValue.md(
            markdown_table(
                ["stage", "calls", "input tokens", "cache read tokens", "cache write tokens", "cost USD"],
                [
                    [stage, row["calls"], row["input_tokens"], row["cache_read_tokens"],
                     row["cache_write_tokens"], f"{row['cost_usd']:.4f}"]
                    for stage, row in sorted(by_stage.items())
                ],
            )
        )
        for stage, row in sorted(by_stage.items()):
            metadata[f"cache_read_tokens_{stage}"] = row["cache_read_tokens"]
            metadata[f"cache_write_tokens_{stage}"] = row["cache_write_tokens"]
    prefix = getattr(engine, "cache_prefix", None)
    if prefix is not None:
        metadata.update(prefix.as_metadata())
    if failures:
        metadata["failure_examples"] = dg.MetadataValue.md(
            markdown_table(["failure"], [[line] for line in failures[:FAILURE_EXAMPLES]])
        )
    return metadata


def reuse_metadata(
    setting: str, reused: int, total: int, usage: TokenUsage, reused_from: Mapping[int, int]
) -> dict[str, Any]:
    """Pay once (``storage.reuse``): rows copied from earlier runs instead of asking the engine, where from,
    and what that saved. Rows carry no token counts of their own, so the saving is estimated from this run's
    average cost per computed row; with no paid call in this run to average, it is reported as not known."""
    computed = total - reused
    metadata: dict[str, Any] = {
        "reuse": setting,
        "rows_reused": reused,
        "rows_computed": computed,
        "reused_share": dg.MetadataValue.float(reused_share(reused, total)),
    }
    if reused_from:
        metadata["reused_from_runs"] = dg.MetadataValue.md(
            markdown_table(["earlier run", "rows"], sorted(reused_from.items(), key=lambda item: -item[0])[:10])
        )
    if not reused:
        metadata["estimated_cost_saved_usd"] = dg.MetadataValue.float(0.0)
        metadata["cost_saved_basis"] = "nothing reused"
    elif computed > 0:
        metadata["estimated_cost_saved_usd"] = dg.MetadataValue.float(round(usage.cost_usd / computed * reused, 4))
        metadata["cost_saved_basis"] = "this run's average cost per computed row × rows reused (approximate)"
    else:
        metadata["cost_saved_basis"] = (
            "not known: rows carry no token counts and this run computed no row to average"
        )
    return metadata
