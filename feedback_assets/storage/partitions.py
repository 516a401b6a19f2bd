"""Reading and atomically replacing one pipeline run's rows (one Dagster partition) of the run-scoped tables.

A write for run N first checks the key and the run's existence, then, in one transaction, deletes run N's
rows and streams the new ones in: rows may come from any iterable (a generator is read once, as it
comes) and each is validated — a mapping, known columns, no other (or NULL) ``pipeline_run_id``, no
repeated key — before it joins a ``batch_size`` chunk. A bad row stops the writing, the rest of the input
is still scanned so every mismatched id is reported together, and the raise rolls the whole transaction
back: the previous content stays (invariants 3 and 4). On PostgreSQL the chunks go through ``COPY`` (the
fastest path psycopg offers) and the written tables are analysed afterwards; on SQLite through
executemany. Reads stream too (``iter_partition``), so neither direction holds a whole partition.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from datetime import datetime
from functools import lru_cache
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

import psycopg
import psycopg.errors
from sqlalchemy import JSON, Connection, Engine, Table, delete, func, select
from sqlalchemy.exc import DBAPIError

from feedback_assets import settings
from feedback_assets.storage.errors import PartitionWriteError, RunMismatch, StorageError
from feedback_assets.storage.runs import get_run, mark_stages, parse_run_id
from feedback_assets.timestamps import as_utc
from feedback_assets.storage.schema import (
    TABLES,
    classifications,
    conversations,
    stories,
    story_evidence,
    themes,
)

RUN_SCOPED_TABLES: tuple[str, ...] = (
    conversations.name,
    classifications.name,
    themes.name,
    stories.name,
    story_evidence.name,
)

DERIVED_COUNTERS: dict[str, tuple[str, ...]] = {
    classifications.name: ("classified_count", "failures_count"),
    themes.name: ("themes_count",),
    stories.name: ("stories_count",),
}
"""The ``pipeline_runs`` counters that describe each table's rows (reset when those rows are cleared)."""

STAGE_OF_TABLE: dict[str, str] = {
    conversations.name: "conversations",
    classifications.name: "classifications",
    themes.name: "themes",
    stories.name: "stories",
    story_evidence.name: "stories",
}
"""The pipeline stage (asset) that writes each run-scoped table."""

_MISMATCH_EXAMPLES = 5


def _derived_from(written: Sequence[str]) -> list[str]:
    """The run-scoped tables downstream of the earliest table written (in pipeline order) that are not
    written themselves: they were derived from rows that are being replaced."""
    first = min(RUN_SCOPED_TABLES.index(name) for name in written)
    return [name for name in RUN_SCOPED_TABLES[first + 1 :] if name not in written]
_MAX_DISTINCT_IDS = 50
_log = logging.getLogger(__name__)


def _table(name: str | Table) -> Table:
    if isinstance(name, Table):
        name = name.name
    if name not in RUN_SCOPED_TABLES:
        raise ValueError(f"{name!r} is not a run-scoped table; expected one of {', '.join(RUN_SCOPED_TABLES)}")
    return TABLES[name]


def _row_label(table: Table, row: Mapping[str, Any], index: int) -> str:
    keys = [column.name for column in table.primary_key.columns if column.name != "pipeline_run_id"]
    described = ", ".join(f"{key}={row.get(key)!r}" for key in keys)
    return f"row {index} ({described})"


class _TableStream:
    """Validates one table's rows as they come and writes them in chunks of ``size`` value tuples.

    Every row is checked before it joins a chunk: a non-mapping or an unknown column raises at once; a row
    carrying another (or a NULL) ``pipeline_run_id`` (R1, R2) or repeating a key stops all writing but
    not the scan, so every mismatched id of the input is reported together at the end. Raising inside the
    caller's transaction rolls the whole write back. Memory holds one chunk, the keys of that chunk and at
    most ``_MISMATCH_EXAMPLES`` examples; keys repeated across chunks are caught by the primary key and the
    database's refusal is translated into the same ``StorageError``.
    """

    def __init__(self, connection: Connection, table: Table, run: int, size: int, postgres: bool) -> None:
        self.connection, self.table, self.run, self.size, self.postgres = connection, table, run, size, postgres
        self.names = [column.name for column in table.columns]
        self.known = frozenset(self.names)
        self.run_position = self.names.index("pipeline_run_id")
        self.key_positions = [self.names.index(column.name) for column in table.primary_key.columns]
        self.written = 0
        self.chunk: list[tuple] = []
        self.chunk_keys: set[tuple] = set()
        self.mismatched: list[str] = []
        self.mismatched_ids: set[str] = set()
        self.mismatched_rows = 0
        self.duplicates: list[str] = []

    @property
    def failed(self) -> bool:
        return bool(self.mismatched_rows or self.duplicates)

    def write(self, rows: Iterable[Mapping[str, Any]]) -> int:
        table, run = self.table, self.run
        for index, row in enumerate(rows):
            if not isinstance(row, Mapping):
                raise StorageError(
                    f"{table.name} row {index} for pipeline run {run} is a {type(row).__name__}, not a mapping"
                )
            if not self.known.issuperset(row):
                unknown = sorted(set(row) - self.known)
                raise StorageError(f"{table.name} {_row_label(table, row, index)} has unknown column(s) {unknown}")
            if "pipeline_run_id" in row:
                carried = row["pipeline_run_id"]
                if carried is None or isinstance(carried, bool) or carried != run:
                    self.mismatched_rows += 1
                    if len(self.mismatched_ids) < _MAX_DISTINCT_IDS:
                        self.mismatched_ids.add(repr(carried))
                    if len(self.mismatched) < _MISMATCH_EXAMPLES:
                        label = _row_label(table, row, index)
                        self.mismatched.append(f"{label} carries pipeline_run_id={carried!r}")
                    continue
            if self.failed:
                continue  # validate the rest, write nothing more
            values = [row.get(name) for name in self.names]
            values[self.run_position] = run
            key = tuple(values[i] for i in self.key_positions)
            if key in self.chunk_keys:
                self.duplicates.append(repr(key))
                continue
            self.chunk.append(tuple(values))
            self.chunk_keys.add(key)
            if len(self.chunk) >= self.size:
                self._flush()
        if not self.failed:
            self._flush()
        self._raise_if_failed()
        return self.written

    def _raise_if_failed(self) -> None:
        table, run = self.table.name, self.run
        if self.mismatched_rows:
            carried_ids = ", ".join(sorted(self.mismatched_ids))
            raise RunMismatch(
                f"refusing to write {table} for pipeline run {run}: {self.mismatched_rows} row(s) carry "
                f"pipeline_run_id {carried_ids} instead of {run} (e.g. {'; '.join(self.mismatched)}). "
                "Nothing was written: the run's previous rows are unchanged."
            )
        if self.duplicates:
            key_names = tuple(self.names[i] for i in self.key_positions)
            raise StorageError(
                f"{table} rows for pipeline run {run} repeat the key {key_names}: "
                f"{', '.join(self.duplicates[:_MISMATCH_EXAMPLES])}. Nothing was written: the run's previous "
                "rows are unchanged."
            )

    def _flush(self) -> None:
        chunk = self.chunk
        if not chunk:
            return
        first = self.written
        try:
            if self.postgres:
                _copy_chunk(self.connection, self.table, chunk)
            else:
                _insert_chunk(self.connection, self.table, chunk)
        except (DBAPIError, psycopg.Error) as error:
            original = getattr(error, "orig", None) or error
            duplicate = self._repeated_key(original, chunk)
            if duplicate is None:
                reason = str(original).strip().splitlines()[0]
                raise PartitionWriteError(
                    f"the database refused {self.table.name} rows {first}..{first + len(chunk) - 1} for "
                    f"pipeline run {self.run}: {reason}. The write was rolled back; the run's previous rows "
                    "are unchanged."
                ) from error
            self.duplicates.append(duplicate)  # keep scanning for run mismatches; nothing more is written
        else:
            self.written += len(chunk)
        self.chunk = []
        self.chunk_keys = set()

    def _repeated_key(self, error: BaseException, chunk: Sequence[tuple]) -> str | None:
        """The key a unique violation names (a row repeating a key of an earlier chunk), else None."""
        if isinstance(error, psycopg.errors.UniqueViolation):
            detail = (error.diag.message_detail or "").strip()
            return detail or str(error).strip().splitlines()[0]
        if isinstance(error, sqlite3.IntegrityError) and str(error).startswith("UNIQUE constraint failed"):
            # executemany stops at the failing row: the rows before it are in, so it is the next one.
            table = self.table
            count = select(func.count()).select_from(table).where(table.c.pipeline_run_id == self.run)
            position = self.connection.execute(count).scalar_one() - self.written
            if 0 <= position < len(chunk):
                return repr(tuple(chunk[position][i] for i in self.key_positions))
            return str(error)
        return None


@lru_cache(maxsize=None)
def _copy_plan(table: Table) -> tuple[str, tuple[int, ...]]:
    """The COPY statement of a table and the positions of its JSON columns (built once, not per chunk)."""
    quoted = ", ".join(f'"{column.name}"' for column in table.columns)
    json_positions = tuple(i for i, column in enumerate(table.columns) if isinstance(column.type, JSON))
    return f'COPY "{table.name}" ({quoted}) FROM STDIN', json_positions


def _copy_chunk(connection: Connection, table: Table, chunk: Sequence[tuple]) -> None:
    statement, json_positions = _copy_plan(table)
    with connection.connection.driver_connection.cursor() as cursor:
        with cursor.copy(statement) as copy:
            if not json_positions:
                for values in chunk:
                    copy.write_row(values)
                return
            for values in chunk:
                row = list(values)
                for i in json_positions:
                    if row[i] is not None:
                        row[i] = json.dumps(row[i])
                copy.write_row(row)


def _insert_chunk(connection: Connection, table: Table, chunk: Sequence[tuple]) -> None:
    names = table.columns.keys()
    connection.execute(table.insert(), [dict(zip(names, values)) for values in chunk])


def replace_partitions(
    engine: Engine,
    run_id: int | str,
    rows_by_table: Mapping[str, Iterable[Mapping[str, Any]]],
    *,
    batch_size: int | None = None,
    counters: Callable[[Mapping[str, int]], Mapping[str, int]] | None = None,
) -> dict[str, int]:
    """Replace run ``run_id``'s rows of several tables in one transaction (parents first).

    The same transaction records the stage as complete on ``pipeline_runs`` (``completed_stages``) with the
    counters ``counters(written)`` returns (called once every row is written), so a process killed at any
    point leaves either the old rows and state or the new rows, their counters and the completion mark.

    Rows derived from the replaced ones go in the same transaction: writing a table of the run clears every
    later table of the pipeline that is not written too (conversations → classifications → themes →
    stories and their evidence) and resets their counters on ``pipeline_runs`` (``DERIVED_COUNTERS``).

    Each value may be any iterable — a generator is consumed once, as it comes, ``batch_size`` rows at a
    time, so a partition never has to fit in memory. Returns the number of rows written per table. A bad
    key or an unknown run raises before anything is deleted; a bad row raises (after the whole input was
    scanned, for run mismatches) and rolls everything back. On PostgreSQL the written tables are analysed
    afterwards, so the planner knows the new partition's size (the check queries stay hash joins).
    """
    run = parse_run_id(run_id)
    size = settings.DEFAULT_BATCH_SIZE if batch_size is None else batch_size
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    tables = [_table(name) for name in rows_by_table]
    order = {name: position for position, name in enumerate(RUN_SCOPED_TABLES)}
    tables.sort(key=lambda table: order[table.name])
    postgres = engine.dialect.name == "postgresql"
    written: dict[str, int] = {}
    stale = _derived_from([table.name for table in tables])
    with engine.begin() as connection:
        get_run(connection, run)  # UnknownRun before anything is deleted
        # What was derived from the rows being replaced no longer describes them: it goes in the same
        # transaction (stories have no foreign key to conversations, so the database would keep them).
        for table in [*(TABLES[name] for name in reversed(stale)), *reversed(tables)]:
            connection.execute(delete(table).where(table.c.pipeline_run_id == run))
        for table in tables:
            stream = _TableStream(connection, table, run, size, postgres)
            written[table.name] = stream.write(rows_by_table[table.name])
        mark_stages(
            connection,
            run,
            completed=STAGE_OF_TABLE[tables[0].name],
            cleared=sorted({STAGE_OF_TABLE[name] for name in stale}),
            counters={
                **{column: 0 for name in stale for column in DERIVED_COUNTERS.get(name, ())},
                **(counters(written) if counters else {}),
            },
        )
    if postgres:
        analyze(engine, [table.name for table in tables])
    return written


def analyze(engine: Engine, tables: Sequence[str]) -> None:
    """``ANALYZE`` the tables (PostgreSQL; a no-op elsewhere) so plans see the rows a bulk write added.

    Autovacuum would get there eventually; the check queries run right after the write. A failure here
    (say, a lock wait cancelled) only costs a plan, never the committed write: it is logged, not raised.
    """
    if engine.dialect.name != "postgresql" or not tables:
        return
    names = ", ".join(f'"{_table(name).name}"' for name in tables)
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql(f"ANALYZE {names}")
    except DBAPIError as error:
        _log.warning(
            "ANALYZE %s failed (the write is committed; plans may be poor until autovacuum): %s", names, error
        )


def replace_partition(
    engine: Engine,
    table: str,
    run_id: int | str,
    rows: Iterable[Mapping[str, Any]],
    *,
    batch_size: int | None = None,
    counters: Callable[[int], Mapping[str, int]] | None = None,
) -> int:
    """Replace run ``run_id``'s rows of one table atomically; returns how many rows were written.
    ``counters(rows_written)`` gives the run's counters to set in the same transaction."""
    name = _table(table).name
    by_table = (lambda written: counters(written[name])) if counters else None
    return replace_partitions(engine, run_id, {table: rows}, batch_size=batch_size, counters=by_table)[name]


def _normalise_row(row: Mapping[str, Any]) -> dict[str, Any]:
    record = dict(row)
    for name, value in record.items():
        if isinstance(value, datetime):
            record[name] = as_utc(value)
    return record


DEFAULT_READ_CHUNK = 2000
"""Rows per chunk when a partition is read as a stream."""


def stream_rows(
    connectable: Engine | Connection, query: Any, chunk_size: int = DEFAULT_READ_CHUNK
) -> Iterator[list[dict[str, Any]]]:
    """The rows of ``query`` as dicts (timestamps in UTC), ``chunk_size`` at a time: one query on one
    connection, streamed (a server-side cursor on PostgreSQL), so memory holds one chunk."""

    def stream(connection: Connection) -> Iterator[list[dict[str, Any]]]:
        result = connection.execution_options(yield_per=chunk_size).execute(query)
        for chunk in result.mappings().partitions():
            yield [_normalise_row(row) for row in chunk]

    if isinstance(connectable, Connection):
        yield from stream(connectable)
        return
    with connectable.connect() as connection:
        yield from stream(connection)


def iter_partition(
    connectable: Engine | Connection,
    table: str,
    run_id: int | str,
    *,
    columns: Sequence[str] | None = None,
    where: Any = None,
    chunk_size: int = DEFAULT_READ_CHUNK,
) -> Iterator[list[dict[str, Any]]]:
    """Run ``run_id``'s rows of ``table`` in key order, ``chunk_size`` rows at a time (timestamps in UTC).

    Streamed (``stream_rows``), so memory holds one chunk whatever the partition's size; ``columns`` narrows
    what is read to what the caller needs.
    """
    run = parse_run_id(run_id)
    target = _table(table)
    selected = [target.c[name] for name in columns] if columns else [target]
    query = select(*selected).where(target.c.pipeline_run_id == run)
    if where is not None:
        query = query.where(where)
    yield from stream_rows(connectable, query.order_by(*target.primary_key.columns), chunk_size)


def read_partition(
    connectable: Engine | Connection,
    table: str,
    run_id: int | str,
    *,
    where: Any = None,
) -> list[dict[str, Any]]:
    """Run ``run_id``'s rows of ``table``, ordered by key, as dicts (timestamps in UTC). For small
    partitions and tests; pipeline steps stream with ``iter_partition``."""
    return [row for chunk in iter_partition(connectable, table, run_id, where=where) for row in chunk]


def count_partition(connectable: Engine | Connection, table: str, run_id: int | str, *, where: Any = None) -> int:
    """How many rows run ``run_id`` has in ``table`` (those matching ``where``, when given)."""
    run = parse_run_id(run_id)
    target = _table(table)
    query = select(func.count()).select_from(target).where(target.c.pipeline_run_id == run)
    if where is not None:
        query = query.where(where)
    if isinstance(connectable, Connection):
        return connectable.execute(query).scalar_one()
    with connectable.connect() as connection:
        return connection.execute(query).scalar_one()


def first_and_latest_runs(
    engine: Engine, conversation_ids: Iterable[str] | None = None
) -> dict[str, tuple[int, int]]:
    """For each conversation: the first and the latest run that holds a snapshot of it."""
    query = select(
        conversations.c.conversation_id,
        func.min(conversations.c.pipeline_run_id),
        func.max(conversations.c.pipeline_run_id),
    ).group_by(conversations.c.conversation_id)
    if conversation_ids is not None:
        query = query.where(conversations.c.conversation_id.in_(list(conversation_ids)))
    with engine.connect() as connection:
        return {conversation_id: (first, latest) for conversation_id, first, latest in connection.execute(query)}
