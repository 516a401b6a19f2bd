"""Creating pipeline runs from the Dagster UI: the ``create_pipeline_run`` job (launchpad config checked by
``feedback_assets.new_runs`` before anything is created) and the tags and metadata that make a run
recognisable wherever Dagster shows it."""

from enum import Enum
from typing import Optional

import dagster as dg
from pydantic import Field

from feedback_assets import settings
from feedback_assets.defs.partitions import PIPELINE_RUNS
from feedback_assets.defs.resources import EngineSettings, FeedbackDatabase, SourceSettings
from feedback_assets.new_runs import InvalidRunRequest, new_run_fields, parse_when
from feedback_assets.storage import RunRecord, create_run

RUN_TAG = "feedback/pipeline_run_id"


class SourceName(str, Enum):
    sample = "sample"
    jsonl = "jsonl"
    intercom = "intercom"


class EngineName(str, Enum):
    offline = "offline"
    anthropic = "anthropic"


class NewPipelineRun(dg.Config):
    """What the launchpad asks for; every field is checked before the run is created."""

    source: SourceName = Field(default=SourceName.sample, description="where the conversations come from")
    input_path: Optional[str] = Field(
        default=None, description="jsonl source: a .jsonl file or a folder of them, on the machine that runs Dagster"
    )
    since: Optional[str] = Field(default=None, description="window start on updated_at (ISO date or datetime, UTC)")
    until: Optional[str] = Field(default=None, description="window end on updated_at, exclusive")
    max_conversations: Optional[int] = Field(default=None, description="stop after this many conversations")
    engine: Optional[EngineName] = Field(default=None, description="offline or anthropic (default: FEEDBACK_ENGINE)")
    batch_size: int = Field(default=settings.DEFAULT_BATCH_SIZE, description="rows per write chunk")


def describe_run(run: RunRecord) -> dict[str, str]:
    """Source, window, engine and trigger of a run, as Dagster run tags and materialisation metadata."""
    window = (
        f"{run.window_start.isoformat() if run.window_start else '-∞'} .. "
        f"{run.window_end.isoformat() if run.window_end else run.created_at.isoformat()}"
    )
    source = run.source + (f" ({run.source_params['path']})" if (run.source_params or {}).get("path") else "")
    return {
        "feedback/source": source[:200],
        "feedback/window": window,
        "feedback/engine": run.engine,
        "feedback/trigger": run.trigger,
    }


def run_tags(run: RunRecord) -> dict[str, str]:
    return {RUN_TAG: run.partition_key, **describe_run(run)}


def run_metadata(run: RunRecord) -> dict[str, dg.MetadataValue]:
    """What a materialisation says about its run (shown beside every partition's materialisation)."""
    return {
        "pipeline_run": dg.MetadataValue.text(f"{run.id}"),
        **{key.split("/", 1)[1]: dg.MetadataValue.text(value) for key, value in describe_run(run).items()},
    }


@dg.op(description="Checks the launchpad config, creates a pending pipeline run and adds its partition.")
def create_pending_run(
    context: dg.OpExecutionContext,
    config: NewPipelineRun,
    database: FeedbackDatabase,
    sources: SourceSettings,
    engines: EngineSettings,
) -> dg.Output[int]:
    spelled = {"input_path": "input_path"}
    try:
        fields = new_run_fields(
            source=config.source.value,
            input_path=config.input_path,
            since=parse_when(config.since) if config.since else None,
            until=parse_when(config.until) if config.until else None,
            max_conversations=config.max_conversations,
            engine=config.engine.value if config.engine else engines.default_engine,
            batch_size=config.batch_size,
            open_source=lambda name, params: sources.build(name, params),
            spelled=lambda name: spelled.get(name, name),
        )
    except InvalidRunRequest as error:
        raise dg.Failure(description=f"no pipeline run created: {error}", allow_retries=False) from None
    run = create_run(database.get_engine(), trigger="manual", **fields)
    context.instance.add_dynamic_partitions(PIPELINE_RUNS, [run.partition_key])
    context.log.info(
        f"created pipeline run {run.id} (pending); the pending_runs sensor launches feedback_pipeline for "
        f"partition {run.partition_key} within 15 s"
    )
    return dg.Output(
        run.id,
        metadata={**run_metadata(run), "partition": dg.MetadataValue.text(run.partition_key)},
    )


@dg.job(
    description=(
        "Create a pipeline run over chosen data (source, input path, window, limits, engine) from the launchpad. "
        "The pending_runs sensor then launches feedback_pipeline for its partition."
    ),
    tags={"feedback/kind": "create-run"},
)
def create_pipeline_run():
    create_pending_run()
