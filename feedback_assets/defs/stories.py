"""The ``stories`` asset: the run's themes grouped by signature into candidate stories and orphans, with
evidence (every conversation, up to five excerpts)."""


import dagster as dg

from feedback_assets.defs.common import (
    ASSET_KINDS,
    StepTimer,
    fail_if_silent_zero,
    start_run_step,
)
from feedback_assets.defs.partitions import pipeline_runs_partitions
from feedback_assets.defs.new_runs import run_metadata
from feedback_assets.defs.resources import FeedbackDatabase, PipelineSettings
from feedback_assets.domain.stories import signature_groups, stories_from_groups
from feedback_assets.progress import Progress
from feedback_assets.reporting import markdown_table
from feedback_assets.storage import replace_partitions
from feedback_assets.storage.reads import iter_story_inputs
from feedback_assets.storage.story_report import story_report
from feedback_assets.export.document import story_item
from feedback_assets.export.markdown import seen_range, story_markdown


@dg.asset(
    partitions_def=pipeline_runs_partitions,
    deps=["themes"],
    group_name="feedback_pipeline",
    kinds=ASSET_KINDS,
    description="Themes grouped by issue signature: candidate stories (≥ min_group_size) and orphans, with evidence.",
)
def stories(
    context: dg.AssetExecutionContext,
    database: FeedbackDatabase,
    pipeline: PipelineSettings,
) -> dg.MaterializeResult:
    timer = StepTimer()
    engine = database.get_engine()
    run = start_run_step(context, engine)
    with timer.measure():
        progress = Progress("stories: themes read", log=context.log.info)

        def themed_rows():
            for chunk in iter_story_inputs(engine, run.id):
                yield from chunk
                progress.add(len(chunk))

        built = stories_from_groups(run.id, signature_groups(themed_rows()), min_group_size=pipeline.min_group_size)
        progress.finish()
        fail_if_silent_zero("stories", len(built.stories), progress.done, run.id)  # before any write
        candidates = [story for story in built.stories if story["status"] == "candidate"]
        written = replace_partitions(
            engine, run.id, {"stories": built.stories, "story_evidence": built.evidence}, batch_size=run.batch_size,
            counters=lambda _written: {"stories_count": len(candidates)},
        )
        context.log.info(f"stories: {len(candidates)} candidate stories, {len(built.stories) - len(candidates)} orphan groups")

    orphans = [story for story in built.stories if story["status"] == "orphan"]
    ranked = [story_item(story, rank) for rank, story in enumerate(story_report(engine, run.id), start=1)]
    metadata = {
        "dagster/row_count": written["stories"],
        "pipeline_run_id": dg.MetadataValue.text(str(run.id)),  # a label, not a number to plot
        "candidate_stories": len(candidates),
        "orphan_groups": len(orphans),
        "orphan_conversations": sum(story["conversation_count"] for story in orphans),
        "evidence_rows": written["story_evidence"],
        "min_group_size": pipeline.min_group_size,
        "story_review": "on" if pipeline.review_stories else "off",
        "stories": dg.MetadataValue.md(
            markdown_table(
                ["#", "title", "priority", "conversations", "customers", "seen", "id"],
                [
                    (s["rank"], s["title"], s["priority"], s["conversation_count"],
                     "-" if s["affected_customers"] is None else s["affected_customers"],
                     seen_range(s["first_seen"], s["last_seen"]), s["id"][:8])
                    for s in ranked
                ],
            )
            if ranked
            else "No candidate stories in this run."
        ),
        # Every candidate story with its quotes (≤ 5 × 500 characters), in the same order: what a PM reads.
        "stories_with_evidence": dg.MetadataValue.md(
            "\n\n---\n\n".join(story_markdown(story, heading_level=3) for story in ranked)
            if ranked
            else "No candidate stories in this run."
        ),
        "compute_seconds": round(timer.seconds, 3),
    }
    return dg.MaterializeResult(metadata={**run_metadata(run), **metadata})
