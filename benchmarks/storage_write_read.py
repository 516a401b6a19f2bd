"""Storage benchmark (PostgreSQL): partition write throughput and run-scoped read time.

Writes one run of 50,000 classification rows four ways, in the same process, each timed from the same
starting state (the table truncated, optionally refilled with the run's rows, analysed and checkpointed —
none of it timed), in two scenarios:

- "empty partition": the run has no classification rows yet (first materialisation);
- "full partition": the run already holds the same 50,000 rows (re-materialisation: every path must
  delete them first, in its own way).

The paths: the storage API (``replace_partition``: DELETE + COPY in one transaction, then ANALYZE);
raw ``COPY`` into ``classifications`` itself (same primary key, CHECKs, foreign keys; DELETE + COPY in one
transaction); the old system's pattern, multi-row ``INSERT … VALUES`` of 50 rows committed per batch, into
``classifications`` too (DELETE committed first); and, as the floor, raw ``COPY`` into a bare copy of the
table (no keys, constraints or indexes). Ratios are against the paths measured in the same run (targets:
API ≥ 0.5× bare COPY, ≥ 2× batch-of-50). Then times reading one run of 1,000 rows while the table holds
10,000 rows and 1,000,000 rows (target ratio ≤ 2).

    python benchmarks/storage_write_read.py [--postgres-url URL] [--rows 50000] [--big-rows 1000000]

Uses a throwaway database on the server (default: the local one, trust auth) and drops it afterwards.
"""

from __future__ import annotations

import argparse
import statistics
import time

from sqlalchemy import text

from feedback_assets.storage import create_run, read_partition, replace_partition
from feedback_assets.storage.db import dispose_engines, make_engine
from feedback_assets.storage.migrate import upgrade
from feedback_assets.storage.schema import classifications
from feedback_assets_tests.storage_rows import classification, conversation
from scratch_database import create_scratch_database, drop_scratch_database  # beside this file

COLUMNS = [column.name for column in classifications.columns]


def timed(function, *args, **kwargs) -> float:
    started = time.perf_counter()
    function(*args, **kwargs)
    return time.perf_counter() - started


def classification_rows(count: int) -> list[dict]:
    types = ["product_issue", "how_to_question", "feature_request", "billing_question"]
    return [classification(f"conv{i:07d}", types[i % 4], key_signals=[f"signal {i % 17}"]) for i in range(count)]


def _copy_rows(connection, target: str, rows: list[dict], run_id: int) -> None:
    import json

    cursor = connection.connection.driver_connection.cursor()
    quoted = ", ".join(f'"{name}"' for name in COLUMNS)
    with cursor.copy(f"COPY {target} ({quoted}) FROM STDIN") as copy:
        for row in rows:
            values = dict(row, pipeline_run_id=run_id)
            copy.write_row([json.dumps(values.get(c)) if c == "key_signals" else values.get(c) for c in COLUMNS])


def copy_path(target: str):
    """DELETE the run's rows of ``target`` and COPY the new ones, in one transaction (no ANALYZE)."""

    def write(engine, rows: list[dict], run_id: int) -> None:
        with engine.begin() as connection:
            connection.exec_driver_sql(f"DELETE FROM {target} WHERE pipeline_run_id = {int(run_id)}")
            _copy_rows(connection, target, rows, run_id)

    return write


def insert_batches_of_50(engine, rows: list[dict], run_id: int) -> None:
    """The old system: DELETE committed, then ``INSERT … VALUES`` of 50 rows, each batch committed."""
    import json

    placeholders = "(" + ", ".join(["%s"] * len(COLUMNS)) + ")"
    quoted = ", ".join(f'"{name}"' for name in COLUMNS)
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute(f"DELETE FROM classifications WHERE pipeline_run_id = {int(run_id)}")
        raw.commit()
        for start in range(0, len(rows), 50):
            batch = rows[start : start + 50]
            sql = f"INSERT INTO classifications ({quoted}) VALUES " + ", ".join([placeholders] * len(batch))
            params = []
            for row in batch:
                values = dict(row, pipeline_run_id=run_id)
                params.extend(json.dumps(values.get(c)) if c == "key_signals" else values.get(c) for c in COLUMNS)
            cursor.execute(sql, params)
            raw.commit()  # the old system committed each batch of 50
    finally:
        raw.close()


def api_path(engine, rows: list[dict], run_id: int) -> None:
    replace_partition(engine, "classifications", run_id, rows)


def reset(engine, target: str, rows: list[dict], run_id: int, *, full: bool) -> None:
    """The starting state every path is timed from: ``target`` truncated (fresh heap and indexes), then —
    for the full-partition scenario — holding the run's rows; analysed; dirty pages checkpointed."""
    with engine.begin() as connection:
        connection.exec_driver_sql(f"TRUNCATE {target} CASCADE")
        if full:
            _copy_rows(connection, target, rows, run_id)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql(f"ANALYZE {target}")
        try:
            connection.exec_driver_sql("CHECKPOINT")  # needs superuser or pg_checkpoint; best effort
        except Exception:  # noqa: BLE001
            pass


def fill_runs(engine, first_run: int, runs: int, per_run: int) -> None:
    """Bulk-fill ``runs`` runs of ``per_run`` conversations + classifications with set-based SQL."""
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO pipeline_runs (id, status, trigger, source, batch_size, engine, created_at) "
                "SELECT g, 'succeeded', 'manual', 'bench', 500, 'offline', now() FROM generate_series(CAST(:a AS integer), CAST(:b AS integer)) g"
            ),
            {"a": first_run, "b": first_run + runs - 1},
        )
        connection.execute(
            text(
                "INSERT INTO conversations (pipeline_run_id, conversation_id, source, created_at, updated_at, body, "
                "support_messages, quality_pass) SELECT r, 'conv' || lpad(c::text, 7, '0'), 'bench', now(), now(), "
                "'body text of a conversation', '[]', true FROM generate_series(CAST(:a AS integer), CAST(:b AS integer)) r, generate_series(0, CAST(:n AS integer)) c"
            ),
            {"a": first_run, "b": first_run + runs - 1, "n": per_run - 1},
        )
        connection.execute(
            text(
                "INSERT INTO classifications (pipeline_run_id, conversation_id, stage1_type, stage1_confidence, "
                "urgency, final_type, engine) SELECT pipeline_run_id, conversation_id, 'product_issue', 'high', "
                "'normal', 'product_issue', 'offline' FROM conversations WHERE pipeline_run_id BETWEEN CAST(:a AS integer) AND CAST(:b AS integer)"
            ),
            {"a": first_run, "b": first_run + runs - 1},
        )
        connection.exec_driver_sql("SELECT setval(pg_get_serial_sequence('pipeline_runs', 'id'), (SELECT max(id) FROM pipeline_runs))")
        connection.exec_driver_sql("ANALYZE")


def read_time(engine, run_id: int, repeats: int = 15) -> float:
    read_partition(engine, "classifications", run_id)  # warm the cache
    return statistics.median(timed(read_partition, engine, "classifications", run_id) for _ in range(repeats))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--big-rows", type=int, default=1_000_000)
    args = parser.parse_args()

    database_url = create_scratch_database(args.postgres_url, "feedback_bench")
    try:
        engine = make_engine(database_url)
        upgrade(engine)
        run = create_run(engine, source="bench")
        replace_partition(engine, "conversations", run.id, [conversation(f"conv{i:07d}") for i in range(args.rows)], batch_size=5000)
        rows = classification_rows(args.rows)

        with engine.begin() as connection:
            connection.exec_driver_sql("CREATE TABLE scratch_copy (LIKE classifications INCLUDING DEFAULTS)")
        paths = [
            ("storage API replace_partition", "classifications", api_path),
            ("raw COPY, same table (keys, CHECKs, FKs)", "classifications", copy_path("classifications")),
            ("INSERT VALUES batches of 50, same table", "classifications", insert_batches_of_50),
            ("raw COPY, bare table (floor)", "scratch_copy", copy_path("scratch_copy")),
        ]
        results: dict[tuple[str, bool], float] = {}
        for full in (False, True):
            for label, target, write in paths:
                reset(engine, target, rows, run.id, full=full)
                results[label, full] = timed(write, engine, rows, run.id)
        with engine.connect() as connection:
            written = connection.exec_driver_sql(
                f"SELECT count(*) FROM classifications WHERE pipeline_run_id = {run.id}").scalar()
        assert written == args.rows, written

        api_label, copy_label, batch_label, bare_label = (label for label, _, _ in paths)
        print(f"write {args.rows:,} classification rows (PostgreSQL); every path timed from the same state")
        for full in (False, True):
            scenario = "full partition (replace 50k rows)" if full else "empty partition"
            scenario = scenario.replace("50k", f"{args.rows // 1000}k")
            print(f"  {scenario}")
            for label, _, _ in paths:
                seconds = results[label, full]
                print(f"    {label:<42}: {args.rows / seconds:>10,.0f} rows/s  ({seconds:.2f} s)")
            api = results[api_label, full]
            print(f"    {'ratio API / COPY bare table':<42}: {results[bare_label, full] / api:.2f}  (target >= 0.5)")
            print(f"    {'ratio API / COPY same table':<42}: {results[copy_label, full] / api:.2f}")
            print(f"    {'ratio API / batch-of-50 same table':<42}: {results[batch_label, full] / api:.2f}  (target >= 2)")

        # Read one run of 1,000 rows: table with 10,000 rows, then with ~1,000,000.
        with engine.begin() as connection:
            connection.exec_driver_sql("TRUNCATE pipeline_runs RESTART IDENTITY CASCADE")
            connection.exec_driver_sql("DROP TABLE IF EXISTS scratch_copy")
        fill_runs(engine, 1, 10, 1000)
        small = read_time(engine, 5)
        fill_runs(engine, 11, args.big_rows // 1000 - 10, 1000)
        big = read_time(engine, 5)
        with engine.connect() as connection:
            total = connection.exec_driver_sql("SELECT count(*) FROM classifications").scalar()
        print("read one run of 1,000 classification rows")
        print(f"  {'table of 10,000 rows':<30}: {small * 1000:.1f} ms (median of 15)")
        print(f"  {f'table of {total:,} rows':<30}: {big * 1000:.1f} ms (median of 15)")
        print(f"  {'ratio big / small':<30}: {big / small:.2f}  (target <= 2)")
        print()
        empty_bare = results[bare_label, False] / results[api_label, False]
        full_bare = results[bare_label, True] / results[api_label, True]
        empty_batch = results[batch_label, False] / results[api_label, False]
        full_batch = results[batch_label, True] / results[api_label, True]
        print(
            f"Summary: writing {args.rows:,} classification rows, the storage API runs at {empty_bare:.2f}× a bare-table "
            f"COPY into an empty partition and {full_bare:.2f}× when replacing a full one (target ≥ 0.5: "
            f"{'met' if min(empty_bare, full_bare) >= 0.5 else 'NOT met'}), "
            f"{results[copy_label, False] / results[api_label, False]:.2f}× / {results[copy_label, True] / results[api_label, True]:.2f}× "
            f"a COPY doing the same constrained work (the API also runs ANALYZE), and {empty_batch:.1f}× / {full_batch:.1f}× "
            f"the old batch-of-50 INSERT into the same table (target ≥ 2: {'met' if min(empty_batch, full_batch) >= 2 else 'NOT met'}). "
            f"Reading one run of 1,000 rows takes {big / small:.2f}× as long in a {total:,}-row table as in a 10,000-row one "
            f"(target ≤ 2: {'met' if big / small <= 2 else 'NOT met'})."
        )
    finally:
        dispose_engines()
        drop_scratch_database(args.postgres_url, database_url)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
