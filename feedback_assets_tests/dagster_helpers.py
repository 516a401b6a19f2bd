"""Running the code location in tests: definitions bound to a test database, an ephemeral instance."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from feedback_assets.defs.partitions import PIPELINE_RUNS
from feedback_assets.defs.resources import FeedbackDatabase, PipelineSettings, SourceSettings
from feedback_assets.defs.new_runs import RUN_TAG
from feedback_assets.defs.runs import PIPELINE_JOB_NAME
from feedback_assets.definitions import build_definitions
from feedback_assets.storage import create_run, make_engine
from feedback_assets_tests.pipeline_data import write_jsonl

QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


def definitions_for(db_url: str, **resources) -> dg.Definitions:
    return build_definitions(
        {
            "database": FeedbackDatabase(url=db_url),
            "sources": SourceSettings(),
            "pipeline": PipelineSettings(),
            **resources,
        }
    )


def new_run(db_url: str, tmp_path: Path, **kwargs):
    data = write_jsonl(tmp_path / "conversations.jsonl")
    return create_run(make_engine(db_url), source="jsonl", source_params={"path": str(data)}, **kwargs)


def execute(defs: dg.Definitions, instance: dg.DagsterInstance, key: str, job: str = PIPELINE_JOB_NAME):
    if not instance.has_dynamic_partition(PIPELINE_RUNS, key):
        instance.add_dynamic_partitions(PIPELINE_RUNS, [key])
    return defs.resolve_job_def(job).execute_in_process(
        partition_key=key, instance=instance, raise_on_error=False, tags={RUN_TAG: key}, run_config=QUIET
    )


def execute_checks(defs: dg.Definitions, instance: dg.DagsterInstance, key: str):
    """The check-only job: partitioned checks alone are launched with the dagster/partition tag."""
    return defs.resolve_job_def("feedback_checks").execute_in_process(
        instance=instance, raise_on_error=False, tags={"dagster/partition": key}, run_config=QUIET
    )


def check_results(result) -> dict[str, dg.AssetCheckEvaluation]:
    return {evaluation.check_name: evaluation for evaluation in result.get_asset_check_evaluations()}
