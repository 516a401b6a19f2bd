"""The ``themes`` asset: product area, component, issue signature, intent and symptoms for every actionable
classification of the run; signatures canonicalised and near-duplicates merged across the run.

Pay once (``storage.reuse``): a theme whose input (conversation, classification fields, taxonomy version)
is unchanged since an earlier run with the same engine, model and prompt version is copied from it instead
of asking the engine; its engine answer still goes through the signature rules with the whole run."""


from itertools import chain

import dagster as dg

from feedback_assets.defs.common import (
    ASSET_KINDS,
    StepTimer,
    engine_errors_fail_the_step,
    fail_if_silent_zero,
    stop_requested,
    start_run_step,
)
from feedback_assets.defs.llm import (
    LLM_POOL,
    engine_metadata,
    fail_if_too_many_failures,
    record_usage,
    reuse_metadata,
)
from feedback_assets.defs.partitions import pipeline_runs_partitions
from feedback_assets.defs.new_runs import run_metadata
from feedback_assets.defs.resources import EngineSettings, FeedbackDatabase, PipelineSettings
from feedback_assets.domain.taxonomy import load_taxonomy, taxonomy_version
from feedback_assets.domain.themes import (
    candidate_signatures,
    check_actionable_types,
    extract_themes,
    review_groups,
    theme_request_from_row,
)
from feedback_assets.progress import Progress
from feedback_assets.reporting import count_by, distribution_table
from feedback_assets.storage import replace_partition
from feedback_assets.storage import reuse as pay_once
from feedback_assets.storage.reads import iter_theme_inputs


@dg.asset(
    partitions_def=pipeline_runs_partitions,
    deps=["classifications"],
    group_name="feedback_pipeline",
    kinds=ASSET_KINDS,
    pool=LLM_POOL,
    description="Per actionable conversation: area, component, issue_signature, intent, symptoms, root cause.",
)
def themes(
    context: dg.AssetExecutionContext,
    database: FeedbackDatabase,
    engines: EngineSettings,
    pipeline: PipelineSettings,
) -> dg.MaterializeResult:
    timer = StepTimer()
    engine = database.get_engine()
    run = start_run_step(context, engine)
    with timer.measure():
        actionable = check_actionable_types(pipeline.actionable_types)
        progress = Progress("themes: conversations read", log=context.log.info)

        def requests():
            # Streamed from the database; the engine keeps only what it needs of each.
            for chunk in iter_theme_inputs(engine, run.id, actionable):
                yield from (theme_request_from_row(row) for row in chunk)
                progress.add(len(chunk))

        with engine_errors_fail_the_step("themes", run.id):
            extractor = engines.build(run.engine, should_stop=stop_requested(context))
            reuse = pay_once.reuse_settings()
            reusing = reuse.applies_to(extractor.name)
            input_context = taxonomy_version(engines.taxonomy_path)
            run_wide = extractor.name in pay_once.RUN_WIDE_THEMES
            if run_wide and reusing:
                # This engine's theme for one conversation depends on the run's others (it groups them):
                # its hashes cover the whole run's theme input, so a theme is reused only when all of it is
                # unchanged. That costs an extra streamed pass, so it is made only when reuse is on for
                # the engine; otherwise its rows carry no input_hash (they are never a source of reuse).
                input_context = pay_once.run_context(
                    chain(
                        [input_context],
                        (
                            (row["conversation_id"], pay_once.theme_hash(theme_request_from_row(row), input_context))
                            for chunk in iter_theme_inputs(engine, run.id, actionable)
                            for row in chunk
                        ),
                    )
                )
            find = pay_once.finder(
                engine,
                "themes",
                run.id,
                engine_name=extractor.name,
                model=extractor.theme_model,
                prompt_version=extractor.prompt_version,
            )

            batch = extract_themes(
                extractor,
                requests(),
                taxonomy=load_taxonomy(engines.taxonomy_path),
                input_hash=(
                    None if run_wide and not reusing else lambda request: pay_once.theme_hash(request, input_context)
                ),
                reuse=find if reusing else None,
            )
        progress.finish()
        review_notes = []
        if pipeline.review_stories:
            review_notes = _review(context, engine, run.id, extractor, batch.rows, actionable, pipeline.min_group_size)
        fail_if_silent_zero("themes", len(batch.rows), progress.done, run.id)  # before any write
        written = replace_partition(
            engine, "themes", run.id, batch.rows, batch_size=run.batch_size,
            counters=lambda written: {"themes_count": written - batch.failures},
        )
        record_usage(engine, run.id, batch.usage)
        context.log.info(f"themes: {written - batch.failures} of {progress.done} actionable conversations themed")

    fail_if_too_many_failures("themes", batch.rows, progress.done, pipeline.max_failure_share, run.id)
    ok_rows = [row for row in batch.rows if not row.get("error")]
    signatures = count_by(ok_rows, "issue_signature")
    matched = sum(1 for row in ok_rows if row.get("matched_vocabulary"))
    metadata = {
        "dagster/row_count": written,
        "pipeline_run_id": dg.MetadataValue.text(str(run.id)),  # a label, not a number to plot
        "actionable_conversations": progress.done,
        "themes": len(ok_rows),
        "distinct_signatures": len(signatures),
        "matched_vocabulary_share": dg.MetadataValue.float(round(matched / len(ok_rows), 3) if ok_rows else 0.0),
        "top_signatures": dg.MetadataValue.md(distribution_table(signatures, label="issue_signature", limit=15)),
        "product_areas": dg.MetadataValue.md(distribution_table(count_by(ok_rows, "product_area"), label="area")),
        "compute_seconds": round(timer.seconds, 3),
        **engine_metadata(extractor, extractor.theme_model, batch.rows, batch.usage),
        **reuse_metadata(
            reuse.describe(extractor.name),
            batch.reused,
            written,
            batch.usage,
            count_by([row for row in batch.rows if row.get("reused_from_run") is not None], "reused_from_run"),
        ),
        "story_review": "on" if pipeline.review_stories else "off",
    }
    if review_notes:
        metadata["review_notes"] = dg.MetadataValue.md("\n".join(f"- {note}" for note in review_notes[:25]))
    return dg.MaterializeResult(metadata={**run_metadata(run), **metadata})


def _review(context, database_engine, run_id, extractor, rows, actionable, min_group_size) -> list[str]:
    """The run's engine reviews each candidate group before the themes are written (its splits become
    ``_part<N>`` signatures on the themes). Only the candidate groups' requests are read back."""
    members = {c for ids in candidate_signatures(rows, min_group_size).values() for c in ids}
    requests = {
        row["conversation_id"]: theme_request_from_row(row)
        for chunk in iter_theme_inputs(database_engine, run_id, actionable)
        for row in chunk
        if row["conversation_id"] in members
    }
    with engine_errors_fail_the_step("themes (story review)", run_id):
        notes = review_groups(extractor, rows, requests, min_group_size)
    context.log.info(f"themes: {len(notes)} candidate groups reviewed")
    return notes
