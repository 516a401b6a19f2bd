"""The ``conversations`` asset: fetch the run's window from its source, normalise, filter, store — as a
stream. The source indexes its window compactly (one latest version per stored id) and hands the
conversations over one at a time; they are normalised, assessed and written in ``batch_size`` chunks, so
a partition of any size runs in bounded memory. A failure (including "every record was bad") raises inside
the write, which rolls back: the partition keeps its previous rows."""

from collections import Counter
from typing import Any, Iterator

import dagster as dg

from feedback_assets.defs.common import (
    ASSET_KINDS,
    StepTimer,
    fail_if_silent_zero,
    preflight_engine,
    start_run_step,
)
from feedback_assets.defs.partitions import pipeline_runs_partitions
from feedback_assets.defs.new_runs import run_metadata
from feedback_assets.defs.resources import EngineSettings, FeedbackDatabase, SourceSettings
from feedback_assets.domain.normalize import (
    StreamReport,
    conversation_identity,
    conversation_row,
    normalise_stream,
)
from feedback_assets.domain.quality import assess
from feedback_assets.progress import Progress
from feedback_assets.reporting import distribution_table, markdown_table
from feedback_assets.sources import SourceFailure
from feedback_assets.storage import replace_partition

INPUT_COUNTS = {
    "bad_lines": "input line(s) skipped as unreadable",
    "oversized_lines": "of them over the line-size limit",
    "invalid_utf8_lines": "line(s) with invalid UTF-8 kept with U+FFFD",
    "empty_inputs": "empty input file(s), 0 conversations read from them",
}
"""Counters of the source's ``stats`` that are also metadata of their own (0 when a source has none, as
the Intercom source has no lines), with how the log names them."""


@dg.asset(
    partitions_def=pipeline_runs_partitions,
    group_name="feedback_pipeline",
    kinds=ASSET_KINDS,
    description="One row per (run, conversation): normalised text, support replies and the quality verdict.",
)
def conversations(
    context: dg.AssetExecutionContext,
    database: FeedbackDatabase,
    sources: SourceSettings,
    engines: EngineSettings,
) -> dg.MaterializeResult:
    timer = StepTimer()
    engine = database.get_engine()
    run = start_run_step(context, engine)
    # The run's engine is checked before anything is fetched or written: a missing key or a wrong model
    # fails here in one line instead of after ingest.
    preflight_metadata = preflight_engine(context, engines, run)
    with timer.measure():
        try:
            source = sources.build(run.source, run.source_params)
            fetched = source.stream(
                run.window_start, run.window_end, run.max_conversations, identity=conversation_identity
            )
        except SourceFailure as error:
            raise dg.Failure(description=f"source {run.source!r} for pipeline run {run.id}: {error}") from error
        for problem in fetched.errors[:20]:
            context.log.warning(f"source error {problem}")
        for warning in fetched.warnings[:20]:
            context.log.warning(f"source warning {warning}")
        input_counts = {key: int(fetched.stats.get(key, 0)) for key in INPUT_COUNTS}
        if any(input_counts.values()):
            context.log.warning(
                "source input: "
                + ", ".join(f"{count} {INPUT_COUNTS[key]}" for key, count in input_counts.items() if count)
            )
        report = StreamReport()
        reasons: Counter[str] = Counter()
        progress = Progress("conversations", total=len(fetched), log=context.log.info)

        def rows() -> Iterator[dict[str, Any]]:
            for conversation in normalise_stream(fetched, source=run.source, report=report):
                verdict = assess(conversation)
                if not verdict.passed:
                    reasons[verdict.reason if verdict.reason is not None else "(none)"] += 1
                yield conversation_row(conversation, verdict)
                progress.add()
            for problem in report.errors[:20]:
                context.log.warning(f"malformed conversation: {problem.message}")
            for change in report.cleaned_ids[:20]:
                context.log.warning(f"conversation id cleaned (control characters or spaces): {change}")
            # Bad records count: they were input too. Raised inside the write, so it rolls back.
            records = len(fetched) + len(fetched.errors) + fetched.merged
            fail_if_silent_zero("conversations", report.normalised, records, run.id)

        with fetched:
            written = replace_partition(
                engine, "conversations", run.id, rows(), batch_size=run.batch_size,
                counters=lambda written: {"conversations_count": written},
            )
        progress.finish()
        filtered = sum(reasons.values())
        passed = written - filtered
        context.log.info(
            f"conversations: fetched {len(fetched)}, stored {written} ({passed} passed the "
            f"quality filter), {len(fetched.errors) + report.error_count} bad records"
        )

    problems = [str(error) for error in fetched.errors[:25]] + [error.message for error in report.errors[:25]]
    problem_count = len(fetched.errors) + report.error_count
    metadata = {
        "dagster/row_count": written,
        "pipeline_run_id": dg.MetadataValue.text(str(run.id)),  # a label, not a number to plot
        "source": run.source,
        "window": f"{run.window_start.isoformat() if run.window_start else '-∞'} → "
        f"{run.window_end.isoformat() if run.window_end else 'now'}",
        "fetched": len(fetched),
        "quality_passed": passed,
        "filtered_out": filtered,
        "filter_reasons": dg.MetadataValue.md(
            distribution_table(dict(reasons), label="reason") if reasons else "Nothing filtered."
        ),
        "source_errors": len(fetched.errors),
        "malformed_conversations": report.error_count,
        "duplicates_merged": report.duplicates + fetched.merged,
        "source_warnings": len(fetched.warnings),
        **input_counts,
        "ids_cleaned": report.cleaned_id_count,
        "source_stats": dg.MetadataValue.json(dict(fetched.stats)),
        "compute_seconds": round(timer.seconds, 3),
        **preflight_metadata,
    }
    notices = [str(warning) for warning in fetched.warnings[:25]] + report.cleaned_ids[:25]
    if notices:
        metadata["warnings"] = dg.MetadataValue.md(markdown_table(["warning"], [[n] for n in notices[:25]]))
    if problems:
        metadata["problems"] = dg.MetadataValue.md(
            markdown_table(["problem"], [[p] for p in problems[:25]])
            + (f"\n\n…and {problem_count - 25} more" if problem_count > 25 else "")
        )
    return dg.MaterializeResult(metadata={**run_metadata(run), **metadata})
