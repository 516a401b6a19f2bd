"""Per-partition asset checks (Dagster 1.13 partition-aware checks): run-id integrity, completeness,
evidence consistency and "silent zero". Checks that guard downstream work are blocking.

Each check is a thin wrapper over a query in ``storage.integrity`` and names the offending rows in its
metadata, so a failed check in the UI says exactly what to look at.
"""


import time
import warnings
from typing import Any, Callable, Sequence

import dagster as dg
from sqlalchemy import Engine

from feedback_assets.defs.classify import classifications
from feedback_assets.defs.common import resolve_partition
from feedback_assets.defs.ingest import conversations
from feedback_assets.defs.partitions import pipeline_runs_partitions
from feedback_assets.defs.resources import FeedbackDatabase, PipelineSettings
from feedback_assets.defs.stories import stories
from feedback_assets.defs.themes import themes
from feedback_assets.reporting import markdown_table
from feedback_assets.storage import integrity
from feedback_assets.storage.runs import record_check

EXAMPLES = 20

# Partition-aware checks are a Dagster 1.13 preview we rely on deliberately; its warning is noise for users.
warnings.filterwarnings("ignore", message="Specifying a partitions_def on an AssetCheckSpec", category=dg.PreviewWarning)

Finding = tuple[str, list[dict[str, Any]]]
"""(what is wrong, the offending rows)."""


def _result(findings: Sequence[Finding], extra: dict[str, Any] | None = None) -> dg.AssetCheckResult:
    bad = [(label, rows) for label, rows in findings if rows]
    metadata: dict[str, Any] = {label: len(rows) for label, rows in findings}
    for label, rows in bad:
        headers = list(rows[0].keys())
        table = markdown_table(headers, [[row[h] for h in headers] for row in rows[:EXAMPLES]])
        more = f"\n\n…and {len(rows) - EXAMPLES} more" if len(rows) > EXAMPLES else ""
        metadata[f"{label}_rows"] = dg.MetadataValue.md(table + more)
    metadata.update(extra or {})
    return dg.AssetCheckResult(passed=not bad, metadata=metadata)


def _partition_check(
    asset: dg.AssetsDefinition,
    name: str,
    description: str,
    evaluate: Callable[[Engine, int, PipelineSettings], tuple[Sequence[Finding], dict[str, Any]]],
    *,
    blocking: bool = True,
) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=asset,
        name=name,
        description=description,
        partitions_def=pipeline_runs_partitions,
        blocking=blocking,
    )
    def _check(context: dg.AssetCheckExecutionContext, database: FeedbackDatabase, pipeline: PipelineSettings):
        started = time.perf_counter()
        engine = database.get_engine()
        run = resolve_partition(engine, context.partition_key)
        findings, extra = evaluate(engine, run.id, pipeline)
        extra = {
            "pipeline_run_id": dg.MetadataValue.text(str(run.id)),  # a label, not a number to plot
            **extra,
            "compute_seconds": round(time.perf_counter() - started, 3),
        }
        result = _result(findings, extra)
        if blocking:
            # On the run itself, whichever job evaluated it: `feedback-assets runs` and `resume` read it.
            record_check(engine, run.id, asset.key.path[-1], name, result.passed)
        return result

    return _check


def _run_ids(tables: Sequence[str], derived: Sequence[str] = (), evidence: bool = False):
    def evaluate(engine: Engine, run_id: int, _pipeline: PipelineSettings):
        findings: list[Finding] = [(f"null_run_id_{table}", integrity.null_run_ids(engine, table)) for table in tables]
        findings += [
            (f"{table}_of_other_runs_conversation", integrity.rows_without_own_conversation(engine, table, run_id))
            for table in derived
        ]
        if evidence:
            findings.append(("evidence_crossing_runs", integrity.evidence_crossing_runs(engine, run_id)))
        return findings, {}

    return evaluate


def _silent_zero(stage: str, written_key: str, input_key: str):
    def evaluate(engine: Engine, run_id: int, pipeline: PipelineSettings):
        counts = integrity.stage_counts(engine, run_id, pipeline.actionable_types)
        silent = counts[written_key] == 0 and counts[input_key] > 0
        rows = [{"stage": stage, "inputs": counts[input_key], "written": counts[written_key]}] if silent else []
        return [(f"{stage}_silent_zero", rows)], {key: int(value) for key, value in counts.items()}

    return evaluate


def _classifications_complete(engine: Engine, run_id: int, _pipeline: PipelineSettings):
    return [("unclassified_conversations", integrity.unclassified_conversations(engine, run_id))], {}


def _themes_complete(engine: Engine, run_id: int, pipeline: PipelineSettings):
    return [
        ("unthemed_actionable", integrity.unthemed_actionable(engine, run_id, pipeline.actionable_types)),
        ("themes_not_actionable", integrity.themes_not_actionable(engine, run_id, pipeline.actionable_types)),
    ], {}


def _stories_consistent(engine: Engine, run_id: int, _pipeline: PipelineSettings):
    return [
        ("themes_not_in_exactly_one_group", integrity.themes_not_in_one_group(engine, run_id)),
        ("evidence_outside_themes", integrity.evidence_outside_themes(engine, run_id)),
        ("conversation_count_mismatch", integrity.story_count_mismatches(engine, run_id)),
    ], {}


asset_checks = [
    _partition_check(
        conversations,
        "conversations_run_ids",
        "No conversation row without a pipeline_run_id.",
        _run_ids(["conversations"]),
    ),
    _partition_check(
        classifications,
        "classifications_run_ids",
        "No NULL pipeline_run_id; every classification of the run points at a conversation of the same run.",
        _run_ids(["classifications"], derived=["classifications"]),
    ),
    _partition_check(
        classifications,
        "classifications_complete",
        "Every conversation that passed the quality filter has a classification or a recorded failure.",
        _classifications_complete,
    ),
    _partition_check(
        classifications,
        "classifications_not_silent_zero",
        "Fails when no successful classification was written although conversations passed the quality "
        "filter (a partition of failure rows only is a silent zero too).",
        _silent_zero("classifications", "classified", "quality_passed"),
    ),
    _partition_check(
        themes,
        "themes_run_ids",
        "No NULL pipeline_run_id; every theme of the run points at a conversation of the same run.",
        _run_ids(["themes"], derived=["themes"]),
    ),
    _partition_check(
        themes,
        "themes_complete",
        "Every actionable classification has a theme or a recorded failure, and every theme belongs to a "
        "successful actionable classification.",
        _themes_complete,
    ),
    _partition_check(
        themes,
        "themes_not_silent_zero",
        "Fails when no successful theme was written although the run had actionable classifications.",
        _silent_zero("themes", "themed", "actionable"),
    ),
    _partition_check(
        stories,
        "stories_run_ids",
        "No NULL pipeline_run_id in stories or evidence; evidence and stories never cross runs.",
        _run_ids(["stories", "story_evidence"], derived=["story_evidence"], evidence=True),
    ),
    _partition_check(
        stories,
        "stories_consistent",
        "Every theme is in exactly one story or orphan group; every evidence row has its story and a theme "
        "of the same signature; conversation_count equals the evidence rows.",
        _stories_consistent,
    ),
    _partition_check(
        stories,
        "stories_not_silent_zero",
        "Fails when no story or orphan group was written although the run had themes.",
        _silent_zero("stories", "stories", "themed"),
    ),
]


def checks_by_stage() -> dict[str, list[str]]:
    """The blocking checks of each stage (asset name → check names)."""
    stages: dict[str, list[str]] = {}
    for definition in asset_checks:
        for spec in definition.check_specs:
            if spec.blocking:
                stages.setdefault(spec.asset_key.path[-1], []).append(spec.name)
    return stages
