"""Creating SQLAlchemy engines for the project's own tables (SQLite or PostgreSQL through psycopg 3)."""

from __future__ import annotations

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from feedback_assets import settings


class UnsupportedDatabase(ValueError):
    """A database URL for another system than PostgreSQL or SQLite."""


def normalise_url(url: str) -> str:
    """Pick psycopg 3 for PostgreSQL whatever the URL says (``postgres://``, ``postgresql://``, psycopg2).
    Other systems than PostgreSQL and SQLite are refused (``UnsupportedDatabase``).

    Dagster's own instance storage needs psycopg2 instead; see ``instance_postgres_url``.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() not in ("postgresql", "sqlite") and parsed.drivername != "postgres":
        raise UnsupportedDatabase(f"{parsed.get_backend_name()} databases are not supported")
    if parsed.get_backend_name() == "postgresql" or parsed.drivername == "postgres":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def instance_postgres_url(url: str) -> str:
    """The same PostgreSQL database spelled for dagster-postgres (psycopg2; psycopg 3 breaks its NOTIFY)."""
    parsed = make_url(url)
    return parsed.set(drivername="postgresql+psycopg2").render_as_string(hide_password=False)


def _enforce_sqlite_foreign_keys(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # WAL lets the UI read while a run writes; busy_timeout waits instead of failing on a held lock.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


_ENGINES: dict[str, Engine] = {}


def make_engine(url: str | None = None) -> Engine:
    """An engine for ``url`` (default: FEEDBACK_DATABASE_URL or the embedded SQLite file), cached per URL."""
    resolved = normalise_url(url or settings.database_url())
    engine = _ENGINES.get(resolved)
    if engine is None:
        if resolved.startswith("sqlite"):
            engine = create_engine(resolved)
            event.listen(engine, "connect", _enforce_sqlite_foreign_keys)
        else:
            engine = create_engine(resolved, pool_pre_ping=True)
        _ENGINES[resolved] = engine
    return engine


def dispose_engines() -> None:
    """Close every cached engine (tests, and before a process forks)."""
    for engine in _ENGINES.values():
        engine.dispose()
    _ENGINES.clear()
