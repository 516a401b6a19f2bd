"""Storage benchmark (PostgreSQL): partition write throughput and run-scoped read time.

Writes one run of 50,000 classification rows through the storage API (``replace_partition``) and, in the
same process, the same rows by raw ``COPY`` into a scratch table and by the old system's pattern
(multi-row ``INSERT … VALUES`` of 50 rows, committed per batch). Prints rows/s and the ratios
(targets: ≥ 0.5× COPY, ≥ 2× batch-of-50). Then times reading one run of 1,000 rows while the table holds
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


def raw_copy(engine, rows: list[dict], run_id: int, *, constrained: bool = False) -> None:
    """COPY into a bare scratch table, or (constrained) straight into ``classifications`` with its
    primary key, CHECKs and foreign keys — the database work the storage API cannot avoid."""
    import json

    with engine.begin() as connection:
        target = "classifications"
        if not constrained:
            target = "scratch_copy"
            connection.exec_driver_sql("DROP TABLE IF EXISTS scratch_copy")
            connection.exec_driver_sql("CREATE TABLE scratch_copy (LIKE classifications INCLUDING DEFAULTS)")
        else:
            connection.exec_driver_sql(f"DELETE FROM classifications WHERE pipeline_run_id = {int(run_id)}")
        cursor = connection.connection.driver_connection.cursor()
        quoted = ", ".join(f'"{name}"' for name in COLUMNS)
        with cursor.copy(f"COPY {target} ({quoted}) FROM STDIN") as copy:
            for row in rows:
                values = dict(row, pipeline_run_id=run_id)
                copy.write_row([json.dumps(values.get(c)) if c == "key_signals" else values.get(c) for c in COLUMNS])


def insert_batches_of_50(engine, rows: list[dict], run_id: int) -> None:
    import json

    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE IF EXISTS scratch_batches")
        connection.exec_driver_sql("CREATE TABLE scratch_batches (LIKE classifications INCLUDING DEFAULTS)")
    placeholders = "(" + ", ".join(["%s"] * len(COLUMNS)) + ")"
    quoted = ", ".join(f'"{name}"' for name in COLUMNS)
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        for start in range(0, len(rows), 50):
            batch = rows[start : start + 50]
            sql = f"INSERT INTO scratch_batches ({quoted}) VALUES " + ", ".join([placeholders] * len(batch))
            params = []
            for row in batch:
                values = dict(row, pipeline_run_id=run_id)
                params.extend(json.dumps(values.get(c)) if c == "key_signals" else values.get(c) for c in COLUMNS)
            cursor.execute(sql, params)
            raw.commit()  # the old system committed each batch of 50
    finally:
        raw.close()


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

        api = timed(replace_partition, engine, "classifications", run.id, rows)
        copy = timed(raw_copy, engine, rows, run.id)
        copy_constrained = timed(raw_copy, engine, rows, run.id, constrained=True)
        batches = timed(insert_batches_of_50, engine, rows, run.id)
        print(f"write {args.rows:,} classification rows (PostgreSQL)")
        print(f"  storage API replace_partition : {args.rows / api:>10,.0f} rows/s  ({api:.2f} s)")
        print(f"  raw COPY, bare scratch table  : {args.rows / copy:>10,.0f} rows/s  ({copy:.2f} s)")
        print(f"  raw COPY, same constraints+FKs: {args.rows / copy_constrained:>10,.0f} rows/s  ({copy_constrained:.2f} s)")
        print(f"  INSERT VALUES batches of 50   : {args.rows / batches:>10,.0f} rows/s  ({batches:.2f} s)")
        print(f"  ratio API / COPY (bare)       : {copy / api:.2f}  (target >= 0.5)")
        print(f"  ratio API / COPY (constrained): {copy_constrained / api:.2f}")
        print(f"  ratio API / batch-of-50       : {batches / api:.2f}  (target >= 2)")

        # Read one run of 1,000 rows: table with 10,000 rows, then with ~1,000,000.
        with engine.begin() as connection:
            connection.exec_driver_sql("TRUNCATE pipeline_runs RESTART IDENTITY CASCADE")
            connection.exec_driver_sql("DROP TABLE IF EXISTS scratch_copy, scratch_batches")
        fill_runs(engine, 1, 10, 1000)
        small = read_time(engine, 5)
        fill_runs(engine, 11, args.big_rows // 1000 - 10, 1000)
        big = read_time(engine, 5)
        with engine.connect() as connection:
            total = connection.exec_driver_sql("SELECT count(*) FROM classifications").scalar()
        print("read one run of 1,000 classification rows")
        print(f"  table of 10,000 rows          : {small * 1000:.1f} ms")
        print(f"  table of {total:,} rows     : {big * 1000:.1f} ms")
        print(f"  ratio big / small             : {big / small:.2f}  (target <= 2)")
    finally:
        dispose_engines()
        drop_scratch_database(args.postgres_url, database_url)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
