"""Schema migrations through Alembic; the scripts are versioned under ``feedback_assets/storage/migrations``.

``upgrade(engine)`` is idempotent: it brings any database (new or old) to the newest revision and does
nothing when it is there already. The CLI and the Dagster resource call it before first use, so nobody
has to remember a migration step; ``feedback-assets migrate`` runs it on its own.
"""

from __future__ import annotations

import threading
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text


MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"  # inside the package: wheels carry it

MIGRATION_LOCK_SPACE = 0x46424B4D
"""Advisory lock key space of schema upgrades ("FBKM"); SQLite serialises writers itself."""

_lock = threading.Lock()
_current: set[str] = set()


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> str:
    """Apply pending migrations in one transaction; returns the revision the database is at."""
    key = engine.url.render_as_string(hide_password=False)
    with _lock:
        if revision == "head" and key in _current:
            return head_revision()
        config = alembic_config()
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                # Processes starting together on a fresh database (runs launched at once, new workers) would
                # each create the tables; the second waits here and then finds the schema current.
                connection.execute(text("SELECT pg_advisory_xact_lock(:space, 0)"), {"space": MIGRATION_LOCK_SPACE})
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
        reached = current_revision(engine)
        if revision == "head":
            _current.add(key)
        return reached


def forget_upgrades() -> None:
    """Tests that drop databases call this so the next ``upgrade`` really looks."""
    with _lock:
        _current.clear()
