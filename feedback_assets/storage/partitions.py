"""Reading and atomically replacing one pipeline run's rows (one Dagster partition) of the run-scoped tables.

A write for run N validates everything first — the key, the run's existence, that no row carries another
(or a NULL) ``pipeline_run_id``, that the columns exist and keys are unique — and only then, in one
transaction, deletes run N's rows and inserts the new ones in ``batch_size`` chunks. Any failure rolls the
whole transaction back, so the previous content stays (invariant 3). On PostgreSQL the chunks go through
``COPY`` (the fastest path psycopg offers); on SQLite through executemany.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from functools import lru_cache
from typing import Any, Iterable, Mapping, Sequence

import psycopg
from sqlalchemy import JSON, Connection, Engine, Table, delete, func, select
from sqlalchemy.exc import DBAPIError

from feedback_assets import settings
from feedback_assets.storage.errors import PartitionWriteError, RunMismatch, StorageError
from feedback_assets.storage.runs import get_run, parse_run_id
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

_MISMATCH_EXAMPLES = 5


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


def _prepare_rows(table: Table, run_id: int, rows: Iterable[Mapping[str, Any]]) -> list[tuple]:
    """Validate rows and turn them into value tuples in column order, stamped with ``run_id``.

    Rows that do not carry ``pipeline_run_id`` get ``run_id``; rows that carry another id, or NULL, are
    refused (R1, R2) — all of them reported together, before anything is written.
    """
    names = [column.name for column in table.columns]
    known = set(names)
    run_position = names.index("pipeline_run_id")
    key_positions = [names.index(column.name) for column in table.primary_key.columns]
    prepared: list[tuple] = []
    mismatched: list[str] = []
    mismatched_ids: set[object] = set()
    for index, row in enumerate(rows):
        if not isinstance(row, Mapping):
            raise StorageError(
                f"{table.name} row {index} for pipeline run {run_id} is a {type(row).__name__}, not a mapping"
            )
        if not known.issuperset(row):
            unknown = sorted(set(row) - known)
            raise StorageError(f"{table.name} {_row_label(table, row, index)} has unknown column(s) {unknown}")
        if "pipeline_run_id" in row:
            carried = row["pipeline_run_id"]
            if carried is None or isinstance(carried, bool) or carried != run_id:
                mismatched_ids.add(carried)
                if len(mismatched) < _MISMATCH_EXAMPLES:
                    mismatched.append(f"{_row_label(table, row, index)} carries pipeline_run_id={carried!r}")
                continue
        values = [row.get(name) for name in names]
        values[run_position] = run_id
        prepared.append(tuple(values))
    if mismatched_ids:
        carried_ids = ", ".join(sorted(repr(value) for value in mismatched_ids))
        raise RunMismatch(
            f"refusing to write {table.name} for pipeline run {run_id}: rows carry pipeline_run_id "
            f"{carried_ids} instead of {run_id} (e.g. {'; '.join(mismatched)}). Nothing was written."
        )
    keys = Counter(tuple(values[i] for i in key_positions) for values in prepared)
    if len(keys) != len(prepared):
        duplicates = [key for key, count in keys.items() if count > 1][:_MISMATCH_EXAMPLES]
        key_names = tuple(names[i] for i in key_positions)
        raise StorageError(
            f"{table.name} rows for pipeline run {run_id} repeat the key {key_names}: {duplicates}. "
            "Nothing was written."
        )
    return prepared


def _chunks(rows: Sequence[tuple], size: int) -> Iterable[Sequence[tuple]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


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
) -> dict[str, int]:
    """Replace run ``run_id``'s rows of several tables in one transaction (parents first).

    Returns the number of rows written per table. Raises before writing anything when the key is bad,
    the run is unknown, or a row belongs to another run.
    """
    run = parse_run_id(run_id)
    size = settings.DEFAULT_BATCH_SIZE if batch_size is None else batch_size
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    tables = [_table(name) for name in rows_by_table]
    order = {name: position for position, name in enumerate(RUN_SCOPED_TABLES)}
    tables.sort(key=lambda table: order[table.name])
    prepared = {table.name: _prepare_rows(table, run, rows_by_table[table.name]) for table in tables}
    write_chunk = _copy_chunk if engine.dialect.name == "postgresql" else _insert_chunk
    with engine.begin() as connection:
        get_run(connection, run)  # UnknownRun before anything is deleted
        for table in reversed(tables):
            connection.execute(delete(table).where(table.c.pipeline_run_id == run))
        for table in tables:
            for start, chunk in enumerate(_chunks(prepared[table.name], size)):
                try:
                    write_chunk(connection, table, chunk)
                except (DBAPIError, psycopg.Error) as error:
                    first = start * size
                    reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
                    raise PartitionWriteError(
                        f"the database refused {table.name} rows {first}..{first + len(chunk) - 1} for pipeline "
                        f"run {run}: {reason}. The write was rolled back; the run's previous rows are unchanged."
                    ) from error
    return {name: len(rows) for name, rows in prepared.items()}


def replace_partition(
    engine: Engine,
    table: str,
    run_id: int | str,
    rows: Iterable[Mapping[str, Any]],
    *,
    batch_size: int | None = None,
) -> int:
    """Replace run ``run_id``'s rows of one table atomically; returns how many rows were written."""
    return replace_partitions(engine, run_id, {table: rows}, batch_size=batch_size)[_table(table).name]


def _normalise_row(table: Table, row: Mapping[str, Any]) -> dict[str, Any]:
    record = dict(row)
    for name, value in record.items():
        if isinstance(value, datetime):
            record[name] = as_utc(value)
    return record


def read_partition(
    connectable: Engine | Connection,
    table: str,
    run_id: int | str,
    *,
    where: Any = None,
) -> list[dict[str, Any]]:
    """Run ``run_id``'s rows of ``table``, ordered by key, as dicts (timestamps in UTC)."""
    run = parse_run_id(run_id)
    target = _table(table)
    query = select(target).where(target.c.pipeline_run_id == run)
    if where is not None:
        query = query.where(where)
    query = query.order_by(*target.primary_key.columns)

    def fetch(connection: Connection) -> list[dict[str, Any]]:
        return [_normalise_row(target, row) for row in connection.execute(query).mappings()]

    if isinstance(connectable, Connection):
        return fetch(connectable)
    with connectable.connect() as connection:
        return fetch(connection)


def count_partition(connectable: Engine | Connection, table: str, run_id: int | str) -> int:
    run = parse_run_id(run_id)
    target = _table(table)
    query = select(func.count()).select_from(target).where(target.c.pipeline_run_id == run)
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
