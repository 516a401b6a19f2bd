"""Alembic migrations: idempotent upgrade, reversible, and identical to the schema the code queries."""

from __future__ import annotations

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
