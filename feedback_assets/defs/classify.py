"""The ``classifications`` asset: stage 1 + stage 2 + resolution signal for every conversation that passed
the quality filter, with the run's engine. Failures are rows with ``error`` set, counted, never defaults."""


from collections import Counter

import dagster as dg

from feedback_assets.defs.common import (
    ASSET_KINDS,
    StepTimer,
    engine_errors_fail_the_step,
    fail_if_silent_zero,
    stop_requested,
    start_run_step,
)
from feedback_assets.defs.llm import LLM_POOL, engine_metadata, fail_if_too_many_failures, record_usage
from feedback_assets.defs.partitions import pipeline_runs_partitions
from feedback_assets.defs.resources import EngineSettings, FeedbackDatabase, PipelineSettings
from feedback_assets.domain.classify import classify_conversations
from feedback_assets.domain.normalize import conversation_from_row
from feedback_assets.reporting import count_by, distribution_table, markdown_table
from feedback_assets.storage import read_partition, replace_partition, update_run
from feedback_assets.storage.schema import conversations as conversations_table

@dg.asset(
    partitions_def=pipeline_runs_partitions,
    deps=["conversations"],
    group_name="classify",
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
        rows_in = read_partition(engine, "conversations", run.id, where=conversations_table.c.quality_pass.is_(True))
        inputs = [conversation_from_row(row) for row in rows_in]
        with engine_errors_fail_the_step("classifications", run.id):
            classifier = engines.build(run.engine, should_stop=stop_requested(context))
            batch = classify_conversations(classifier, inputs)
        fail_if_silent_zero("classifications", len(batch.rows), len(inputs), run.id)  # before any write
        written = replace_partition(engine, "classifications", run.id, batch.rows, batch_size=run.batch_size)
        classified = written - batch.failures
        update_run(engine, run.id, classified_count=classified, failures_count=batch.failures)
        record_usage(engine, run.id, batch.usage)
        context.log.info(f"classifications: {classified} classified, {batch.failures} failed ({classifier.name})")

    fail_if_too_many_failures("classifications", batch.rows, len(inputs), pipeline.max_failure_share, run.id)
    ok_rows = [row for row in batch.rows if not row.get("error")]
    changes = Counter(
        (row["stage1_type"], row["stage2_type"]) for row in ok_rows if row.get("classification_changed")
    )
    metadata = {
        "dagster/row_count": written,
        "pipeline_run_id": dg.MetadataValue.text(str(run.id)),  # a label, not a number to plot
        "classified": classified,
        "type_distribution": dg.MetadataValue.md(distribution_table(count_by(ok_rows, "final_type"), label="final type")),
        "urgency": dg.MetadataValue.md(distribution_table(count_by(ok_rows, "urgency"), label="urgency")),
        "stage2_changed_type": sum(changes.values()),
        "compute_seconds": round(timer.seconds, 3),
        **engine_metadata(classifier, classifier.classification_model, batch.rows, batch.usage),
    }
    if changes:
        metadata["type_changes"] = dg.MetadataValue.md(
            markdown_table(["stage 1", "stage 2", "count"], [(a, b, n) for (a, b), n in changes.most_common(10)])
        )
    resolutions = count_by((row for row in ok_rows if row.get("resolution_action")), "resolution_action")
    if resolutions:
        metadata["resolution_actions"] = dg.MetadataValue.md(distribution_table(resolutions, label="resolution"))
    return dg.MaterializeResult(metadata=metadata)
