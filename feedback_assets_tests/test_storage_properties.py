"""Property: whatever runs write, in whatever order and overlap, every row is under its own run."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from feedback_assets.storage import count_partition, replace_partition
from feedback_assets_tests.conftest import _empty_tables
from feedback_assets_tests.storage_rows import classification, conversation, insert_run

conversation_ids = st.sets(st.sampled_from([f"conv{i}" for i in range(12)]), max_size=12)
writes = st.lists(st.tuples(st.integers(min_value=1, max_value=5), conversation_ids, st.integers(1, 9)), min_size=1, max_size=8)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(writes=writes)
def test_random_runs_never_leak_rows_across_runs(db, writes):
    _empty_tables(db)
    for run_id in range(1, 6):
        insert_run(db, run_id)
    expected: dict[int, set[str]] = {}
    for run_id, ids, batch_size in writes:
        replace_partition(db, "conversations", run_id, [conversation(i) for i in sorted(ids)], batch_size=batch_size)
        # Half of the conversations get classified; the rest stay unclassified.
        classified = sorted(ids)[::2]
        replace_partition(db, "classifications", run_id, [classification(i) for i in classified], batch_size=batch_size)
        expected[run_id] = set(ids)

    with db.connect() as connection:
        for table in ("conversations", "classifications"):
            nulls = connection.execute(text(f"SELECT count(*) FROM {table} WHERE pipeline_run_id IS NULL")).scalar()
            assert nulls == 0
        foreign = connection.execute(
            text(
                "SELECT count(*) FROM classifications c LEFT JOIN conversations v "
                "ON v.pipeline_run_id = c.pipeline_run_id AND v.conversation_id = c.conversation_id "
                "WHERE v.conversation_id IS NULL"
            )
        ).scalar()
        assert foreign == 0
    for run_id in range(1, 6):
        ids = expected.get(run_id, set())
        assert count_partition(db, "conversations", run_id) == len(ids)
        assert count_partition(db, "classifications", run_id) == len(sorted(ids)[::2])
