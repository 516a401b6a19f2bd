"""deploy/dagster.yaml — the production instance — against the local PostgreSQL: it loads, stores runs,
events and partitions in PostgreSQL (through psycopg2), queues runs with a limit and limits the LLM pool."""

from __future__ import annotations

import shutil
import uuid

import dagster as dg
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from feedback_assets import settings
from feedback_assets.defs.partitions import PIPELINE_RUNS
from feedback_assets.storage import instance_postgres_url
from feedback_assets_tests.dagster_helpers import definitions_for, execute, new_run

pytestmark = pytest.mark.postgres


@pytest.fixture
def dagster_pg_url(postgres_url):
    """A separate throwaway database for Dagster's own storage, spelled for psycopg2."""
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    name = f"dagster_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield instance_postgres_url(make_url(postgres_url).set(database=name).render_as_string(hide_password=False))
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_production_instance_runs_a_partition_on_postgres(pg_db, postgres_url, dagster_pg_url, tmp_path, monkeypatch):
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(settings.PROJECT_DIR / "deploy" / "dagster.yaml", home / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_PG_URL", dagster_pg_url)

    with dg.DagsterInstance.from_config(str(home)) as instance:
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        assert type(instance.event_log_storage).__name__ == "PostgresEventLogStorage"
        assert type(instance.run_coordinator).__name__ == "QueuedRunCoordinator"
        concurrency = instance.get_concurrency_config()
        assert concurrency.run_queue_config.max_concurrent_runs == 4
        assert concurrency.pool_config.default_pool_limit == 2

        run = new_run(postgres_url, tmp_path)
        result = execute(definitions_for(postgres_url), instance, run.partition_key)
        assert result.success
        assert instance.get_run_by_id(result.run_id).status == dg.DagsterRunStatus.SUCCESS
        assert instance.has_dynamic_partition(PIPELINE_RUNS, run.partition_key)

    dagster_db = create_engine(dagster_pg_url)
    with dagster_db.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM runs WHERE run_id = :r"), {"r": result.run_id}).scalar() == 1
    dagster_db.dispose()
