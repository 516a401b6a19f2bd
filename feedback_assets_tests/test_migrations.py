"""Alembic migrations: idempotent upgrade, reversible, and identical to the schema the code queries."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from feedback_assets.storage import db as storage_db
from feedback_assets.storage import migrate
from feedback_assets.storage.schema import metadata


def test_upgrade_is_idempotent_and_reaches_head(db):
    migrate.forget_upgrades()
    assert migrate.upgrade(db) == migrate.head_revision()
    migrate.forget_upgrades()
    assert migrate.upgrade(db) == migrate.head_revision()  # second real pass: nothing to do, no error


def test_migrated_schema_matches_the_code_schema(db):
    with db.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), metadata)
    assert differences == []


def test_every_run_scoped_key_and_index_leads_with_pipeline_run_id(db):
    inspector = inspect(db)
    for table in ("conversations", "classifications", "themes"):
        assert inspector.get_pk_constraint(table)["constrained_columns"][0] == "pipeline_run_id"
    assert any(
        index["column_names"][0] == "pipeline_run_id" for index in inspector.get_indexes("story_evidence")
    )
    unique = inspector.get_unique_constraints("stories")
    assert any(u["column_names"] == ["pipeline_run_id", "issue_signature"] for u in unique)


def test_downgrade_to_base_and_back(sqlite_url):
    engine = storage_db.make_engine(sqlite_url)
    migrate.upgrade(engine)
    config = migrate.alembic_config()
    from alembic import command

    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    assert "conversations" not in inspect(engine).get_table_names()
    migrate.forget_upgrades()
    migrate.upgrade(engine)
    assert "conversations" in inspect(engine).get_table_names()


def test_sqlite_enforces_foreign_keys(sqlite_url):
    engine = storage_db.make_engine(sqlite_url)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


@pytest.mark.postgres
def test_processes_starting_together_on_a_fresh_postgres_database_all_migrate_it(postgres_url):
    """Runs launched at once (or new workers) each upgrade the schema on first use; a second upgrader waits
    for the first instead of failing on 'duplicate key … pg_type_typname_nsp_index'."""
    import subprocess
    import sys
    import uuid
    from pathlib import Path

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"feedback_migrate_race_{uuid.uuid4().hex[:8]}"
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
    try:
        console = str(Path(sys.executable).with_name("feedback-assets"))
        processes = [subprocess.Popen([console, "migrate", "--database-url", url], stdout=subprocess.PIPE,
                                      stderr=subprocess.STDOUT, text=True) for _ in range(4)]
        outputs = [process.communicate(timeout=120)[0] for process in processes]
        assert [process.returncode for process in processes] == [0, 0, 0, 0], outputs
        assert migrate.current_revision(create_engine(url)) == migrate.head_revision()
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
