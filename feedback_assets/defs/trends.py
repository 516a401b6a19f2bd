"""The ``story_trends`` asset: issues matched across succeeded pipeline runs by canonical signature and
labelled new / growing / steady / shrinking / gone (rule: ``feedback_assets.domain.trends``).

Unpartitioned, downstream of every partition of the partitioned ``stories`` asset (``AllPartitionMapping``,
a dependency only: nothing is loaded through an IO manager). It is materialised alone — from the UI
(*Materialize* on the asset, no partition to pick) or any job selecting it — and reads the ``stories`` rows of
the runs it compares; it writes no table, so no run's history is ever rewritten. Each materialisation keeps
its table in the asset's history, and its counts are numeric metadata the UI plots across materialisations.
"""

import contextlib  # no `from __future__ import annotations`: Dagster resolves the config annotation

import dagster as dg
from pydantic import Field

from feedback_assets.defs.common import ASSET_KINDS, StepTimer
from feedback_assets.defs.resources import FeedbackDatabase, PipelineSettings
from feedback_assets.domain.trends import (
    DEFAULT_RUNS,
    TRENDS,
    IssueTrend,
    TrendReport,
    TrendRule,
    compute_trends,
    select_runs,
    tracked_signatures,
)
from feedback_assets.reporting import markdown_table
from feedback_assets.storage.trends import iter_story_counts, iter_tracking_groups, iter_trend_runs

GROUP_NAME = "feedback_pipeline"
"""The asset group of the pipeline assets (``conversations`` … ``stories``)."""
TABLE_ROWS = 40
MAX_RUNS = 50
STORIES_ASSET = "stories"


class StoryTrendsConfig(dg.Config):
    runs: int = Field(
        default=DEFAULT_RUNS,
        description=f"comparable runs to show counts for, the latest included (2–{MAX_RUNS})",
    )
    same_source: bool = Field(
        default=True,
        description="compare only runs of the latest succeeded run's source (sample, jsonl, intercom…)",
    )


def _partition_link(run_id: int) -> str:
    """The run's ``stories`` partition in the UI, where its story table (the issue's past look) stays."""
    return f"[{run_id}](/assets/{STORIES_ASSET}?view=partitions&partition={run_id})"


def _count_cell(count: int, story: bool) -> str:
    if not count:
        return "–"
    return str(count) if story else f"{count}°"


def _change_cell(issue: IssueTrend) -> str:
    if issue.previous is None:
        return f"first run: {issue.latest}"
    if issue.trend == "new":
        return f"new: {issue.latest}"
    if issue.trend == "gone":
        return f"gone: was {issue.previous}"
    text = f"{issue.previous} → {issue.latest}: {issue.change:+.1f}"
    if abs(issue.expected - issue.previous) > 0.05:
        text += f" vs {issue.expected:.1f} expected at this run's size"
    if issue.relative_change is not None:
        text += f" ({issue.relative_change:+.0%})"
    return text


def trends_table(report: TrendReport, *, limit: int = TABLE_ROWS) -> str:
    """Markdown: one row per tracked issue (title and canonical signature, trend, counts per compared run
    oldest first, the change, the runs it appeared in linked to their ``stories`` partitions)."""
    headers = ["issue", "trend", *(f"run {run.run_id}" for run in report.runs), "change", "seen in runs"]
    rows = [
        (
            f"{issue.title} (`{issue.signature}`)"
            + (f" — split: {', '.join(issue.signatures)}" if len(issue.signatures) > 1 else ""),
            issue.trend,
            *(_count_cell(count, story) for count, story in zip(issue.counts, issue.story_in)),
            _change_cell(issue),
            ", ".join(_partition_link(run_id) for run_id in issue.seen_in),
        )
        for issue in report.issues[:limit]
    ]
    table = markdown_table(headers, rows)
    if len(report.issues) > limit:
        table += f"\n\n…and {len(report.issues) - limit} more (steady issues last)."
    return table + (
        "\n\nCounts are conversations per run; ° = below the story threshold in that run (orphan groups only), "
        "– = absent. Each run id links to that run's `stories` partition."
    )


def _comparison_text(report: TrendReport, same_source: bool) -> str:
    source = f" of source {report.latest.source}" if report.latest and same_source else ""
    if not report.runs:
        return f"no succeeded pipeline run{source} with classified conversations yet: nothing to compare"
    if report.previous is None:
        return (
            f"only one comparable run{source} (run {report.latest.run_id}): every issue it has is new; "
            "trends need two succeeded runs"
        )
    latest, previous = report.latest, report.previous
    scaled = report.rule.normalise_by_run_size and latest.size != previous.size
    return (
        f"run {latest.run_id} against run {previous.run_id}{source}"
        + (
            f"; previous counts scaled by classified conversations {latest.size} / {previous.size}"
            if scaled
            else f"; both runs classified {latest.size} conversations"
        )
    )


def trend_metadata(report: TrendReport, *, same_source: bool) -> dict:
    """The materialisation's metadata: the table, a count per trend (plotted across materialisations), and
    which runs were compared."""
    counts = report.counts()
    rule = report.rule
    return {
        "trends": dg.MetadataValue.md(
            trends_table(report) if report.issues else f"No tracked issues: {_comparison_text(report, same_source)}."
        ),
        **{f"{trend}_issues": counts[trend] for trend in TRENDS},
        "tracked_issues": len(report.issues),
        "runs_compared": len(report.runs),
        "latest_run_id": dg.MetadataValue.text(str(report.latest.run_id) if report.latest else "none"),
        "previous_run_id": dg.MetadataValue.text(str(report.previous.run_id) if report.previous else "none"),
        "compared_run_ids": dg.MetadataValue.text(", ".join(str(run.run_id) for run in report.runs) or "none"),
        "latest_run_conversations": report.latest.size if report.latest else 0,
        "comparison": dg.MetadataValue.text(_comparison_text(report, same_source)),
        "rule": dg.MetadataValue.text(
            f"growing / shrinking: change ≥ {rule.min_absolute_change:g} conversations and ≥ "
            f"{rule.min_relative_change:.0%} of the previous count scaled to the latest run's classified "
            "conversations; new / gone: absent in the previous / latest run; steady otherwise"
        ),
    }


@dg.asset(
    deps=[dg.AssetDep(STORIES_ASSET, partition_mapping=dg.AllPartitionMapping())],
    group_name=GROUP_NAME,
    kinds=ASSET_KINDS,
    description=(
        "Issues matched across succeeded pipeline runs by canonical signature: new / growing / steady / "
        "shrinking / gone, with counts per run. Reads stories only; materialise it any time."
    ),
)
def story_trends(
    context: dg.AssetExecutionContext,
    config: StoryTrendsConfig,
    database: FeedbackDatabase,
    pipeline: PipelineSettings,
) -> dg.MaterializeResult:
    if not 2 <= config.runs <= MAX_RUNS:
        raise dg.Failure(description=f"story_trends: runs must be between 2 and {MAX_RUNS}, got {config.runs}")
    timer = StepTimer()
    engine = database.get_engine()
    rule = TrendRule(min_group_size=pipeline.min_group_size)
    with timer.measure():
        with contextlib.closing(iter_trend_runs(engine)) as candidates:
            runs = select_runs(candidates, limit=config.runs, same_source=config.same_source)
        recent = [run.run_id for run in runs[-2:]]
        tracked = tracked_signatures(runs, iter_tracking_groups(engine, recent), rule)
        report = compute_trends(
            runs, iter_story_counts(engine, [run.run_id for run in runs]), rule=rule, tracked=tracked
        )
    counts = report.counts()
    context.log.info(
        f"story_trends: {_comparison_text(report, config.same_source)}; "
        + ", ".join(f"{counts[trend]} {trend}" for trend in TRENDS)
    )
    return dg.MaterializeResult(
        metadata={
            **trend_metadata(report, same_source=config.same_source),
            "dagster/row_count": len(report.issues),
            "compute_seconds": round(timer.seconds, 3),
        }
    )
