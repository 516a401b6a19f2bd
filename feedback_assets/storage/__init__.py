"""Storage layer: SQLAlchemy Core tables, migrations, run validation and atomic partition replace.

Plain Python (no Dagster import). Every write for a pipeline run goes through ``replace_partition``,
which validates the run before the first row is written (DESIGN invariants 3 and 4).
"""

from feedback_assets.storage.db import instance_postgres_url, make_engine, normalise_url
from feedback_assets.storage.errors import (
    InvalidPartitionKey,
    PartitionWriteError,
    RunMismatch,
    StorageError,
    UnknownRun,
    InvalidRunTransition,
)
from feedback_assets.storage.migrate import upgrade
from feedback_assets.storage.partitions import (
    RUN_SCOPED_TABLES,
    count_partition,
    first_and_latest_runs,
    iter_partition,
    read_partition,
    replace_partition,
    replace_partitions,
)
from feedback_assets.storage.runs import (
    RunRecord,
    add_spend,
    create_run,
    get_run,
    list_runs,
    parse_run_id,
    update_run,
    validate_partition_key,
)

__all__ = [
    "InvalidPartitionKey",
    "InvalidRunTransition",
    "PartitionWriteError",
    "RUN_SCOPED_TABLES",
    "RunMismatch",
    "RunRecord",
    "StorageError",
    "UnknownRun",
    "add_spend",
    "count_partition",
    "create_run",
    "first_and_latest_runs",
    "instance_postgres_url",
    "iter_partition",
    "get_run",
    "list_runs",
    "make_engine",
    "normalise_url",
    "parse_run_id",
    "read_partition",
    "replace_partition",
    "replace_partitions",
    "update_run",
    "upgrade",
    "validate_partition_key",
]
