"""Shared fixtures: a migrated, empty database on each dialect (SQLite file and real PostgreSQL).

PostgreSQL comes from FEEDBACK_TEST_POSTGRES_URL (default: the local server, trust auth). Each test
process creates its own throwaway database on it and drops it at the end. When the server is unreachable
the PostgreSQL tests skip — unless FEEDBACK_REQUIRE_POSTGRES=1 (set by .ci/run), where they fail.
"""

from __future__ import annotations

import os
import uuid
from typing import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from feedback_assets.storage import db as storage_db
from feedback_assets.storage import migrate
from feedback_assets.storage.schema import metadata

POSTGRES_ADMIN_URL = os.environ.get(
    "FEEDBACK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
REQUIRE_POSTGRES = os.environ.get("FEEDBACK_REQUIRE_POSTGRES", "") == "1"


def _postgres_unavailable(reason: str) -> None:
    if REQUIRE_POSTGRES:
        pytest.fail(f"PostgreSQL is required (FEEDBACK_REQUIRE_POSTGRES=1) but unusable: {reason}")
    pytest.skip(f"PostgreSQL unavailable: {reason}")


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """URL of a fresh PostgreSQL database for this test process (dropped afterwards)."""
    admin_url = storage_db.normalise_url(POSTGRES_ADMIN_URL)
    name = f"feedback_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    try:
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001 - any failure to reach the server means "unavailable"
        _postgres_unavailable(f"{make_url(admin_url).render_as_string(hide_password=True)}: {error}")
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    yield url
    storage_db.dispose_engines()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _empty_tables(engine: Engine) -> None:
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{table.name}"' for table in metadata.sorted_tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(metadata.sorted_tables):
                connection.execute(table.delete())
            connection.execute(text("DELETE FROM sqlite_sequence"))


def reset_postgres_schema(url: str) -> None:
    """Drop every table and re-migrate: for tests that damage the schema itself (a table rebuilt without
    its constraints), so later tests sharing this process's database get the real schema back."""
    engine = storage_db.make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    migrate.forget_upgrades()
    migrate.upgrade(engine)


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'feedback.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path) -> str:
    """A migrated, empty database URL — once per dialect."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'feedback.db'}"
        migrate.upgrade(storage_db.make_engine(url))
        return url
    url = request.getfixturevalue("postgres_url")
    engine = storage_db.make_engine(url)
    migrate.upgrade(engine)
    _empty_tables(engine)
    return url


@pytest.fixture
def db(db_url) -> Engine:
    """A SQLAlchemy engine on a migrated, empty database — once per dialect."""
    return storage_db.make_engine(db_url)


@pytest.fixture
def pg_db(postgres_url) -> Engine:
    """PostgreSQL only (for tests of PostgreSQL-specific behaviour such as COPY)."""
    engine = storage_db.make_engine(postgres_url)
    migrate.upgrade(engine)
    _empty_tables(engine)
    return engine
