"""Partition writes and reads stream (bounded memory), stay all-or-nothing, and PostgreSQL plans the check
queries linearly after a bulk write (the written tables are analysed)."""

from __future__ import annotations

import gc
import json
import re
import tracemalloc
from typing import Iterator

import pytest
from sqlalchemy import text

from feedback_assets.storage import (
    RunMismatch,
    StorageError,
    count_partition,
    iter_partition,
    replace_partition,
    replace_partitions,
)
from feedback_assets.storage import integrity
from feedback_assets.storage.schema import conversations
from feedback_assets_tests.storage_rows import classification, conversation, insert_run, theme


def _conversations(n: int, *, prefix: str = "c", **values) -> Iterator[dict]:
    for i in range(n):
        yield conversation(f"{prefix}{i:06d}", **values)


def _dump(db, table="conversations", run_id=1):
    return [row for chunk in iter_partition(db, table, run_id) for row in chunk]


# --- writes --------------------------------------------------------------------------------------------


def test_a_generator_of_rows_is_written_as_it_comes(db):
    insert_run(db, 1)
    consumed = []

    def rows():
        for row in _conversations(1234):
            consumed.append(row["conversation_id"])
            yield row

    assert replace_partition(db, "conversations", 1, rows(), batch_size=100) == 1234
    assert len(consumed) == 1234
    assert count_partition(db, "conversations", 1) == 1234
    # Several tables from generators, parents first whatever the mapping's order.
    evidence = (dict(story_id="s1", conversation_id=f"c{i:06d}") for i in range(3))
    story = iter([dict(id="s1", issue_signature="sig", title="t", description="d", status="orphan",
                       conversation_count=3, priority="normal")])
    assert replace_partitions(db, 1, {"story_evidence": evidence, "stories": story}, batch_size=2) == {
        "stories": 1, "story_evidence": 3,
    }


def test_a_bad_row_after_10000_good_ones_leaves_the_previous_content(db):
    insert_run(db, 1)
    insert_run(db, 2)
    replace_partition(db, "conversations", 1, _conversations(50, prefix="old"))
    before = _dump(db)
    scanned = []

    def rows():
        for i, row in enumerate(_conversations(12_000)):
            scanned.append(i)
            if i == 10_000:
                row["pipeline_run_id"] = 2
            elif i == 11_500:
                row["pipeline_run_id"] = None
            yield row

    with pytest.raises(RunMismatch) as raised:
        replace_partition(db, "conversations", 1, rows(), batch_size=1000)
    message = str(raised.value)
    # Every mismatched id is named together: the scan went on after the first bad row.
    assert "2 row(s)" in message and "2, None" in message and "c010000" in message and "c011500" in message
    assert len(scanned) == 12_000
    assert _dump(db) == before


def test_a_key_repeated_across_chunks_is_refused_and_rolled_back(db):
    insert_run(db, 1)
    replace_partition(db, "conversations", 1, _conversations(20, prefix="old"))
    before = _dump(db)

    def rows():
        yield from _conversations(10_001)
        yield conversation("c000005")  # repeats a row written nine chunks earlier

    with pytest.raises(StorageError, match="c000005"):
        replace_partition(db, "conversations", 1, rows(), batch_size=1000)
    assert _dump(db) == before
    with pytest.raises(StorageError, match="repeat the key"):  # within one chunk: named before the write
        replace_partition(db, "conversations", 1, [conversation("a"), conversation("a")])
    assert _dump(db) == before


def test_an_exception_raised_by_the_row_source_rolls_back(db):
    insert_run(db, 1)
    replace_partition(db, "conversations", 1, _conversations(10, prefix="old"))
    before = _dump(db)

    def rows():
        yield from _conversations(3000)
        raise RuntimeError("the source broke")

    with pytest.raises(RuntimeError, match="source broke"):
        replace_partition(db, "conversations", 1, rows(), batch_size=500)
    assert _dump(db) == before


def _stories(run_id: int, n: int) -> Iterator[dict]:
    for i in range(n):
        yield dict(id=f"{run_id}-{i:07d}", issue_signature=f"sig_{i}", title="Swap approvals stuck",
                   description="…", status="orphan", conversation_count=1, priority="normal")


def _peak_bytes_writing(db, run_id: int, n: int) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        written = replace_partition(db, "stories", run_id, _stories(run_id, n), batch_size=500)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert written == n
    return peak


def test_memory_of_a_streamed_write_does_not_grow_with_the_number_of_rows(db):
    for run_id in (1, 2, 3):
        insert_run(db, run_id)
    _peak_bytes_writing(db, 1, 1000)  # warm caches (compiled statements, COPY plans)
    small = _peak_bytes_writing(db, 2, 10_000)
    large = _peak_bytes_writing(db, 3, 50_000)
    # Five times the rows; holding them (or a set of their keys) would cost about five times the memory.
    assert large < 1.5 * small + 500_000, (small, large)
    assert large < 5_000_000, large


# --- reads ---------------------------------------------------------------------------------------------


def test_iter_partition_streams_chunks_in_key_order_with_the_chosen_columns(db):
    insert_run(db, 1)
    insert_run(db, 2)
    ids = [f"c{i:06d}" for i in range(2500)]
    failed = dict(quality_pass=False, quality_reason="too_short")
    replace_partition(db, "conversations", 1, (conversation(i, **(failed if int(i[1:]) % 3 == 0 else {})) for i in reversed(ids)))
    replace_partition(db, "conversations", 2, _conversations(10))
    chunks = list(iter_partition(db, "conversations", 1, columns=["conversation_id", "updated_at"], chunk_size=1000))
    assert [len(chunk) for chunk in chunks] == [1000, 1000, 500]
    assert [row["conversation_id"] for chunk in chunks for row in chunk] == ids
    assert all(set(row) == {"conversation_id", "updated_at"} for chunk in chunks for row in chunk)
    assert chunks[0][0]["updated_at"].tzinfo is not None  # UTC-aware on both dialects

    passed = list(iter_partition(db, "conversations", 1, where=conversations.c.quality_pass.is_(True), chunk_size=700))
    assert [len(chunk) for chunk in passed] == [700, 700, 266]
    assert all(row["quality_pass"] and row["pipeline_run_id"] == 1 for chunk in passed for row in chunk)

    # A consumer that stops early releases the connection.
    stream = iter_partition(db, "conversations", 1, chunk_size=10)
    assert len(next(stream)) == 10
    stream.close()
    assert list(iter_partition(db, "conversations", 3)) == []


def test_iter_partition_uses_a_server_side_cursor_on_postgresql(pg_db):
    insert_run(pg_db, 1)
    replace_partition(pg_db, "conversations", 1, _conversations(3000))
    with pg_db.connect() as connection:
        stream = iter_partition(connection, "conversations", 1, chunk_size=500)
        first = next(stream)
        cursors = connection.exec_driver_sql("SELECT count(*) FROM pg_cursors WHERE NOT is_holdable").scalar()
        stream.close()
    assert len(first) == 500
    assert cursors >= 1  # the rows stay on the server until fetched


# --- PostgreSQL statistics and plans ---------------------------------------------------------------------


def test_a_partition_write_leaves_postgresql_statistics_current(pg_db):
    insert_run(pg_db, 1)
    replace_partition(pg_db, "conversations", 1, _conversations(10_000), batch_size=5000)
    with pg_db.connect() as connection:
        reltuples = connection.exec_driver_sql(
            "SELECT reltuples FROM pg_class WHERE relname = 'conversations'"
        ).scalar()
        plan = connection.exec_driver_sql(
            "EXPLAIN (FORMAT JSON) SELECT * FROM conversations WHERE pipeline_run_id = 1"
        ).scalar()
        analysed = connection.exec_driver_sql(
            "SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE relname = 'conversations'"
        ).scalar()
    plan = plan if isinstance(plan, list) else json.loads(plan)
    assert reltuples == 10_000
    assert 9_000 <= plan[0]["Plan"]["Plan Rows"] <= 11_000
    assert analysed


def _build_partition(db, run_id: int, n: int, *, prefix: str = "c") -> None:
    """n conversations, all classified, 60% actionable and themed over n/20 signatures, grouped into stories."""
    ids = [f"{prefix}{i:06d}" for i in range(n)]
    themed = [cid for i, cid in enumerate(ids) if i % 5 < 3]
    signature = {cid: f"sig_{i % (n // 20 or 1)}" for i, cid in enumerate(themed)}
    members: dict[str, list[str]] = {}
    for cid in themed:
        members.setdefault(signature[cid], []).append(cid)
    story_id = {sig: f"{run_id}-{sig}"[:36] for sig in members}
    replace_partitions(
        db,
        run_id,
        {
            "conversations": (conversation(cid) for cid in ids),
            "classifications": (
                classification(cid, "product_issue" if cid in signature else "billing_question") for cid in ids
            ),
            "themes": (theme(cid, signature[cid]) for cid in themed),
            "stories": (
                dict(id=story_id[sig], issue_signature=sig, title=sig, description="…", status="candidate",
                     conversation_count=len(cids), priority="normal")
                for sig, cids in members.items()
            ),
            "story_evidence": (
                dict(story_id=story_id[signature[cid]], conversation_id=cid, excerpt="x") for cid in themed
            ),
        },
        batch_size=5000,
    )


def _check_statements() -> dict[str, str]:
    statements = {
        f"null_run_ids[{table}]": integrity._sql("null_run_ids").format(
            table=table,
            key_columns=", ".join(
                c.name for c in integrity.TABLES[table].primary_key.columns if c.name != "pipeline_run_id"
            ),
        )
        for table in ("conversations", "classifications", "themes", "stories", "story_evidence")
    }
    statements.update(
        {
            f"derived_without_own_conversation[{table}]": integrity._sql("derived_without_own_conversation").format(
                table=table
            )
            for table in ("classifications", "themes", "story_evidence")
        }
    )
    for name in (
        "evidence_of_other_runs_story",
        "unclassified_conversations",
        "unthemed_actionable",
        "themes_not_actionable",
        "themes_not_in_one_group",
        "evidence_outside_themes",
        "story_count_mismatch",
        "stage_counts",
    ):
        statements[name] = integrity._sql(name)
    return statements


_SCANS = {"Seq Scan", "Index Scan", "Index Only Scan", "Bitmap Index Scan"}
_OUTER_REFERENCE = re.compile(r"\b[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*", re.IGNORECASE)


def _nonlinear_nodes(plan: dict, inside_inner_loop: bool = False) -> list[str]:
    """Scans on the inner side of a Nested Loop that read a whole table or a whole run's partition for
    every outer row: a Seq Scan, or an index scan whose condition does not look up the outer row's key
    (e.g. ``pipeline_run_id = 1`` alone, the join applied as a filter afterwards). An index lookup keyed
    by the outer row (``conversation_id = e.conversation_id``) is what a linear nested loop does."""
    found = []
    node = plan["Node Type"]
    if inside_inner_loop and node in _SCANS:
        relation = plan.get("Relation Name") or plan.get("Index Name")
        condition = plan.get("Index Cond", "")
        if node == "Seq Scan" or not _OUTER_REFERENCE.search(condition):
            found.append(f"{node} on {relation} ({condition or 'no index condition'}) inside a Nested Loop")
    for child in plan.get("Plans", []):
        inner = inside_inner_loop or (node == "Nested Loop" and child.get("Parent Relationship") == "Inner")
        found.extend(_nonlinear_nodes(child, inner))
    return found


def test_every_check_query_has_a_linear_plan_on_a_10k_partition(pg_db):
    for run_id in (1, 2):
        insert_run(pg_db, run_id)
    # Statistics taken while the tables were small (autovacuum's last look, say), then a bulk write: the
    # situation that made stories_consistent a nested loop (66.9 s at 40k) before writes analysed.
    _build_partition(pg_db, 2, 200, prefix="other")
    with pg_db.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("ANALYZE")
    _build_partition(pg_db, 1, 10_000)
    statements = _check_statements()
    assert len(statements) == 16
    problems = {}
    with pg_db.connect() as connection:
        for name, sql in statements.items():
            statement = text(f"EXPLAIN (FORMAT JSON) {sql}")
            if ":actionable_types" in sql:
                statement = integrity._actionable(f"EXPLAIN (FORMAT JSON) {sql}", ["product_issue", "feature_request"])
            plan = connection.execute(statement, {"run_id": 1} if ":run_id" in sql else {}).scalar()
            plan = plan if isinstance(plan, list) else json.loads(plan)
            bad = _nonlinear_nodes(plan[0]["Plan"])
            if bad:
                problems[name] = bad
    assert problems == {}
    # And the queries find nothing wrong in a consistent partition.
    assert integrity.evidence_outside_themes(pg_db, 1) == []
    assert integrity.themes_not_in_one_group(pg_db, 1) == []
    assert integrity.story_count_mismatches(pg_db, 1) == []
    assert integrity.stage_counts(pg_db, 1, ["product_issue"])["themes"] == 6000
