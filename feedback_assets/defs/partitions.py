"""The dynamic partitions: one per ``pipeline_runs`` row, keyed by ``str(id)``."""

import dagster as dg

PIPELINE_RUNS = "pipeline_runs"

pipeline_runs_partitions = dg.DynamicPartitionsDefinition(name=PIPELINE_RUNS)
