"""The ``classifications`` asset: stage 1 + stage 2 + resolution signal for every conversation that passed
the quality filter, with the run's engine. Failures are rows with ``error`` set, counted, never defaults.

It streams: quality-passed conversations are read ``chunk`` at a time (``iter_partition``), classified a
chunk at a time and written as they come, so memory holds one chunk plus counters whatever the partition's
size. Results do not depend on the chunk: each conversation is classified on its own, against the run's
product vocabulary, which a first streamed pass over the same conversations decides (a Counter of terms).

Pay once (``storage.reuse``): every row stores the hash of what the engine read (``input_hash``); for each
chunk one query finds the conversations an earlier run already classified from the same input with the
same engine, model and prompt version, and those rows are copied (``reused_from_run``) instead of asking the
engine. ``FEEDBACK_REUSE=0`` forces a full re-run; by default only the Claude engine's rows are reused."""

from typing import Any, Iterator

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
from feedback_assets.domain.classify import (
    ClassificationTally,
    classify_conversations,
    prepare_engine,
    reads_vocabulary,
    run_vocabulary,
)
from feedback_assets.domain.taxonomy import taxonomy_version
from feedback_assets.domain.vocabulary import ProductVocabulary
from feedback_assets.domain.normalize import conversation_from_row
from feedback_assets.progress import Progress
from feedback_assets.reporting import distribution_table, markdown_table
from feedback_assets.storage import count_partition, iter_partition, replace_partition
from feedback_assets.storage import reuse as pay_once
from feedback_assets.storage.schema import conversations as conversations_table

MIN_CHUNK = 1000
"""Conversations classified per engine call: the run's batch_size, but at least this many, so a model
engine keeps its concurrency busy (it waits for a chunk's slowest answer before the next chunk)."""


@dg.asset(
    partitions_def=pipeline_runs_partitions,
    deps=["conversations"],
    group_name="feedback_pipeline",
    kinds=ASSET_KINDS,
    pool=LLM_POOL,
    description="Stage 1 (customer message) and stage 2 (with support replies) classification, resolution signal.",
)
def classifications(
    context: dg.AssetExecutionContext,
    database: FeedbackDatabase,
    engines: EngineSettings,
    pipeline: PipelineSettings,
) -> dg.MaterializeResult:
    timer = StepTimer()
    engine = database.get_engine()
    run = start_run_step(context, engine)
    with timer.measure():
        passed = conversations_table.c.quality_pass.is_(True)
        total = count_partition(engine, "conversations", run.id, where=passed)
        tally = ClassificationTally()
        progress = Progress("classifications", total=total, log=context.log.info)
        chunk = max(run.batch_size, MIN_CHUNK)
        with engine_errors_fail_the_step("classifications", run.id):
            classifier = engines.build(run.engine, should_stop=stop_requested(context))
            uses_vocabulary = reads_vocabulary(classifier)
            vocabulary = ProductVocabulary()
            if uses_vocabulary:  # a first streamed pass, only for an engine that reads the vocabulary
                vocabulary = run_vocabulary(
                    [conversation_from_row(row) for row in rows_in]
                    for rows_in in iter_partition(engine, "conversations", run.id, where=passed, chunk_size=chunk)
                )
                prepare_engine(classifier, vocabulary)
            reuse = pay_once.reuse_settings()
            find = (
                pay_once.finder(
                    engine,
                    "classifications",
                    run.id,
                    engine_name=classifier.name,
                    model=classifier.classification_model,
                    prompt_version=classifier.prompt_version,
                )
                if reuse.applies_to(classifier.name)
                else None
            )
            # What a result depends on beyond the conversation: the taxonomy (in every Claude prompt) and,
            # for an engine that reads it, the run's product vocabulary.
            input_context = pay_once.digest(
                [
                    taxonomy_version(engines.taxonomy_path),
                    sorted(vocabulary.terms) if uses_vocabulary else None,
                ]
            )

            def rows() -> Iterator[dict[str, Any]]:
                for rows_in in iter_partition(engine, "conversations", run.id, where=passed, chunk_size=chunk):
                    conversations = [conversation_from_row(row) for row in rows_in]
                    hashes = {c.conversation_id: pay_once.classification_hash(c, input_context) for c in conversations}
                    found = find(hashes) if find else {}
                    batch = classify_conversations(classifier, conversations, input_hashes=hashes, reused=found)
                    tally.add(batch, inputs=len(rows_in))
                    yield from batch.rows
                    progress.add(len(rows_in))
                # Invariant 5, raised inside the write so it rolls back (the partition keeps its rows).
                fail_if_silent_zero("classifications", tally.rows, tally.inputs, run.id)

            written = replace_partition(
                engine, "classifications", run.id, rows(), batch_size=run.batch_size,
                counters=lambda written: {"classified_count": written - tally.failures, "failures_count": tally.failures},
            )
        progress.finish()
        classified = written - tally.failures
        record_usage(engine, run.id, tally.usage)
        context.log.info(
            f"classifications: {classified} classified, {tally.failures} failed, "
            f"{tally.reused} copied from earlier runs ({classifier.name})"
        )

    fail_if_too_many_failures(
        "classifications", tally.failed_rows, tally.inputs, pipeline.max_failure_share, run.id
    )
    changes = tally.type_changes
    metadata = {
        "dagster/row_count": written,
        "pipeline_run_id": dg.MetadataValue.text(str(run.id)),  # a label, not a number to plot
        "classified": classified,
        "type_distribution": dg.MetadataValue.md(distribution_table(tally.final_types, label="final type")),
        "urgency": dg.MetadataValue.md(distribution_table(tally.urgencies, label="urgency")),
        "stage2_changed_type": sum(changes.values()),
        "product_vocabulary": dg.MetadataValue.text(
            ", ".join(sorted(vocabulary.terms)) if vocabulary.terms else "(none)"
        ),
        "compute_seconds": round(timer.seconds, 3),
        **engine_metadata(classifier, classifier.classification_model, tally.failed_rows, tally.usage),
        **reuse_metadata(
            reuse.describe(classifier.name), tally.reused, written, tally.usage, tally.reused_from
        ),
    }
    if changes:
        metadata["type_changes"] = dg.MetadataValue.md(
            markdown_table(["stage 1", "stage 2", "count"], [(a, b, n) for (a, b), n in changes.most_common(10)])
        )
    if tally.resolutions:
        metadata["resolution_actions"] = dg.MetadataValue.md(
            distribution_table(tally.resolutions, label="resolution")
        )
    return dg.MaterializeResult(metadata={**run_metadata(run), **metadata})
