"""The ``conversations`` asset: fetch the run's window from its source, normalise, filter, store."""


import dagster as dg

from feedback_assets.defs.common import ASSET_KINDS, StepTimer, fail_if_silent_zero, start_run_step
from feedback_assets.defs.partitions import pipeline_runs_partitions
from feedback_assets.defs.resources import FeedbackDatabase, SourceSettings
from feedback_assets.domain.normalize import conversation_row, normalise_many
from feedback_assets.domain.quality import assess
from feedback_assets.reporting import count_by, distribution_table, markdown_table
from feedback_assets.sources import SourceFailure
from feedback_assets.storage import replace_partition, update_run


@dg.asset(
    partitions_def=pipeline_runs_partitions,
    group_name="ingest",
    kinds=ASSET_KINDS,
    description="One row per (run, conversation): normalised text, support replies and the quality verdict.",
)
def conversations(
    context: dg.AssetExecutionContext, database: FeedbackDatabase, sources: SourceSettings
) -> dg.MaterializeResult:
    timer = StepTimer()
    engine = database.get_engine()
    run = start_run_step(context, engine)
    with timer.measure():
        try:
            source = sources.build(run.source, run.source_params)
            fetched = source.fetch(run.window_start, run.window_end, run.max_conversations)
        except SourceFailure as error:
            raise dg.Failure(description=f"source {run.source!r} for pipeline run {run.id}: {error}") from error
        for problem in fetched.errors[:20]:
            context.log.warning(f"source error {problem}")
        report = normalise_many(fetched.conversations, source=run.source)
        for problem in report.errors[:20]:
            context.log.warning(f"malformed conversation: {problem.message}")
        rows = [conversation_row(conversation, assess(conversation)) for conversation in report.conversations]
        records = len(fetched.conversations) + len(fetched.errors)  # bad records count: they were input too
        fail_if_silent_zero("conversations", len(rows), records, run.id)  # before any write
        written = replace_partition(engine, "conversations", run.id, rows, batch_size=run.batch_size)
        update_run(engine, run.id, conversations_count=written)
        passed = sum(1 for row in rows if row["quality_pass"])
        context.log.info(
            f"conversations: fetched {len(fetched.conversations)}, stored {written} ({passed} passed the "
            f"quality filter), {len(fetched.errors) + len(report.errors)} bad records"
        )

    reasons = count_by((row for row in rows if not row["quality_pass"]), "quality_reason")
    problems = [str(error) for error in fetched.errors] + [error.message for error in report.errors]
    metadata = {
        "dagster/row_count": written,
        "pipeline_run_id": dg.MetadataValue.text(str(run.id)),  # a label, not a number to plot
        "source": run.source,
        "window": f"{run.window_start.isoformat() if run.window_start else '-∞'} → "
        f"{run.window_end.isoformat() if run.window_end else 'now'}",
        "fetched": len(fetched.conversations),
        "quality_passed": passed,
        "filtered_out": written - passed,
        "filter_reasons": dg.MetadataValue.md(
            distribution_table(reasons, label="reason") if reasons else "Nothing filtered."
        ),
        "source_errors": len(fetched.errors),
        "malformed_conversations": len(report.errors),
        "duplicates_merged": report.duplicates,
        "source_stats": dg.MetadataValue.json(dict(fetched.stats)),
        "compute_seconds": round(timer.seconds, 3),
    }
    if problems:
        metadata["problems"] = dg.MetadataValue.md(
            markdown_table(["problem"], [[p] for p in problems[:25]])
            + (f"\n\n…and {len(problems) - 25} more" if len(problems) > 25 else "")
        )
    return dg.MaterializeResult(metadata=metadata)
