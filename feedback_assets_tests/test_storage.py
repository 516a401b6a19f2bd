"""The storage layer on SQLite and PostgreSQL: run validation, atomic replace, history, and the failure
modes of the reference review (R1–R6, S3/S4), each named after its finding."""

from __future__ import annotations

import pytest
from sqlalchemy import insert, select, text
from sqlalchemy.exc import IntegrityError

from feedback_assets.storage import (
    InvalidPartitionKey,
    InvalidRunTransition,
    PartitionWriteError,
    RunMismatch,
    StorageError,
    UnknownRun,
    count_partition,
    create_run,
    first_and_latest_runs,
    get_run,
    read_partition,
    replace_partition,
    replace_partitions,
    update_run,
    validate_partition_key,
)
from feedback_assets.storage.schema import (
    classifications,
    conversations,
    pipeline_runs,
    stories,
    story_evidence,
    themes,
)
from feedback_assets_tests.storage_rows import classification, conversation, insert_run, theme


def _write_conversations(db, run_id, ids, **kwargs):
    return replace_partition(db, "conversations", run_id, [conversation(i) for i in ids], **kwargs)


def _table_dump(db, table):
    with db.connect() as connection:
        return [tuple(row) for row in connection.execute(select(table).order_by(*table.primary_key.columns))]


# --- partition keys (S3, S4 and malformed keys) -------------------------------------------------------


@pytest.mark.parametrize("key", ["abc", "", "0", "-1", "007", "1; DROP TABLE x", " 7", "7.0", "+7", "1e3"])
def test_malformed_partition_keys_are_rejected_naming_the_key(db, key):
    insert_run(db, 7)
    with pytest.raises(InvalidPartitionKey) as error:
        validate_partition_key(db, key)
    assert repr(key) in str(error.value)


def test_unknown_run_key_is_rejected_naming_the_id(db):
    with pytest.raises(UnknownRun, match="pipeline run 999 does not exist"):
        validate_partition_key(db, "999")


def test_valid_key_returns_the_run_id(db):
    run = create_run(db, source="sample")
    assert validate_partition_key(db, run.partition_key) == run.id


@pytest.mark.parametrize("bad_id", [0, -1])
def test_s3_s4_zero_and_negative_run_ids_are_refused_everywhere(db, bad_id):
    # By the API: before anything is read or written.
    with pytest.raises(InvalidPartitionKey):
        replace_partition(db, "conversations", bad_id, [conversation("c1")])
    with pytest.raises(InvalidPartitionKey):
        read_partition(db, "conversations", bad_id)
    # By the database itself, even when the API is bypassed.
    with pytest.raises(IntegrityError):
        insert_run(db, bad_id)


# --- the reference review's findings ----------------------------------------------------------------


def test_r1_null_run_id_is_never_stored_nor_silently_excluded(db):
    run = create_run(db, source="sample")
    # A row that explicitly carries NULL is refused by the API (not stamped, not dropped) ...
    with pytest.raises(RunMismatch, match="None"):
        replace_partition(db, "conversations", run.id, [conversation("c1"), conversation("c2", pipeline_run_id=None)])
    assert count_partition(db, "conversations", run.id) == 0
    # ... and by the database when the API is bypassed.
    with pytest.raises(IntegrityError):
        with db.begin() as connection:
            connection.execute(insert(conversations).values(pipeline_run_id=None, **conversation("c3")))
    # Every row written for the run is read back for the run: nothing falls out of a `= run_id` query.
    _write_conversations(db, run.id, ["c1", "c2", "c3"])
    with db.connect() as connection:
        nulls = connection.execute(text("SELECT count(*) FROM conversations WHERE pipeline_run_id IS NULL")).scalar()
    assert nulls == 0
    assert [row["conversation_id"] for row in read_partition(db, "conversations", run.id)] == ["c1", "c2", "c3"]


def test_r2_row_run_id_different_from_target_refuses_the_whole_write(db):
    insert_run(db, 123)
    insert_run(db, 456)
    _write_conversations(db, 123, ["old"])
    rows = [conversation(f"c{i}") for i in range(20)]
    rows[13]["pipeline_run_id"] = 456  # a stale result dict from another run
    with pytest.raises(RunMismatch) as error:
        replace_partition(db, "conversations", 123, rows, batch_size=5)
    message = str(error.value)
    assert "456" in message and "123" in message and "c13" in message
    # Nothing written, not even the batches before the bad row; the previous content is intact.
    assert [row["conversation_id"] for row in read_partition(db, "conversations", 123)] == ["old"]
    assert count_partition(db, "conversations", 456) == 0


def test_r2_rows_carrying_the_target_id_are_accepted(db):
    insert_run(db, 123)
    rows = [conversation("c1", pipeline_run_id=123), conversation("c2")]
    assert replace_partition(db, "conversations", "123", rows) == 2


def test_r3_unknown_run_raises_a_clear_error_before_any_write(db):
    insert_run(db, 5)
    _write_conversations(db, 5, ["keep"])
    with pytest.raises(UnknownRun, match="999"):
        _write_conversations(db, 999, ["c1", "c2"])
    with pytest.raises(UnknownRun, match="999"):
        validate_partition_key(db, "999")
    assert _table_dump(db, conversations)[0][:2] == (5, "keep")
    assert len(_table_dump(db, conversations)) == 1


def test_r4_reclassification_in_a_later_run_keeps_history(db):
    insert_run(db, 100)
    insert_run(db, 200)
    _write_conversations(db, 100, ["123"])
    replace_partition(db, "classifications", 100, [classification("123", "how_to_question")])
    before = _table_dump(db, classifications)

    _write_conversations(db, 200, ["123"])
    replace_partition(db, "classifications", 200, [classification("123", "product_issue")])
    replace_partition(db, "classifications", 200, [classification("123", "feature_request")])  # re-run 200

    rows = {row[0]: row for row in _table_dump(db, classifications)}
    assert set(rows) == {100, 200}
    assert rows[100] == before[0]  # run 100 untouched by run 200 and by its re-run
    assert read_partition(db, "classifications", 200)[0]["final_type"] == "feature_request"
    assert first_and_latest_runs(db) == {"123": (100, 200)}


def test_r6_batch_size_is_configuration_and_does_not_change_results(db):
    results = []
    for size in (1, 7, 1000):
        run = create_run(db, source="sample", batch_size=size)
        replace_partition(db, "conversations", run.id, [conversation(f"c{i:03d}") for i in range(50)], batch_size=size)
        results.append([{k: v for k, v in row.items() if k != "pipeline_run_id"} for row in read_partition(db, "conversations", run.id)])
    assert results[0] == results[1] == results[2]
    assert len(results[0]) == 50
    for bad in (0, -3, True, "7"):
        with pytest.raises(ValueError, match="batch_size"):
            replace_partition(db, "conversations", 1, [conversation("x")], batch_size=bad)
    with pytest.raises(ValueError, match="batch_size"):
        create_run(db, source="sample", batch_size=0)


# --- constraints enforced by the database itself -----------------------------------------------------


def test_database_refuses_a_theme_for_a_conversation_of_another_run(db):
    insert_run(db, 1)
    insert_run(db, 2)
    _write_conversations(db, 1, ["a"])
    _write_conversations(db, 2, ["b"])
    with pytest.raises(IntegrityError):
        with db.begin() as connection:  # storage API bypassed on purpose
            connection.execute(insert(themes).values(pipeline_run_id=2, **theme("a")))
    with pytest.raises(IntegrityError):
        with db.begin() as connection:
            connection.execute(insert(classifications).values(pipeline_run_id=1, **classification("b")))


def test_database_refuses_evidence_pointing_at_another_runs_story_or_conversation(db):
    insert_run(db, 1)
    insert_run(db, 2)
    for run_id in (1, 2):
        _write_conversations(db, run_id, ["a", "b"])
    story = dict(
        id="story-1", pipeline_run_id=1, issue_signature="shift_swaps_approval_stuck", title="t",
        description="d", status="candidate", conversation_count=1, priority="normal",
    )
    with db.begin() as connection:
        connection.execute(insert(stories).values(**story))
    with pytest.raises(IntegrityError):  # story of run 1, evidence claims run 2
        with db.begin() as connection:
            connection.execute(insert(story_evidence).values(story_id="story-1", conversation_id="a", pipeline_run_id=2))
    with pytest.raises(IntegrityError):  # conversation unknown in run 1
        with db.begin() as connection:
            connection.execute(insert(story_evidence).values(story_id="story-1", conversation_id="zzz", pipeline_run_id=1))
    with pytest.raises(IntegrityError):  # NULL run id
        with db.begin() as connection:
            connection.execute(insert(story_evidence).values(story_id="story-1", conversation_id="a", pipeline_run_id=None))
    with pytest.raises(IntegrityError):  # excerpt over 500 characters
        with db.begin() as connection:
            connection.execute(insert(story_evidence).values(story_id="story-1", conversation_id="a", pipeline_run_id=1, excerpt="x" * 501))


def test_database_refuses_a_classification_that_is_neither_classified_nor_failed(db):
    insert_run(db, 1)
    _write_conversations(db, 1, ["a"])
    with pytest.raises(PartitionWriteError, match="classified_or_failed"):
        replace_partition(db, "classifications", 1, [classification("a", stage1_type=None, final_type=None)])


# --- atomic replace ---------------------------------------------------------------------------------


def test_failure_in_the_middle_of_a_multi_batch_write_keeps_previous_rows(db):
    insert_run(db, 7)
    _write_conversations(db, 7, [f"c{i:02d}" for i in range(30)])
    replace_partition(db, "classifications", 7, [classification(f"c{i:02d}") for i in range(30)])
    before = _table_dump(db, classifications)
    rows = [classification(f"c{i:02d}", "how_to_question") for i in range(30)]
    rows[17]["final_type"] = "not_a_type"  # the database rejects this one, in the third batch of 7
    with pytest.raises(PartitionWriteError, match=r"classifications rows 14\.\.20 for pipeline run 7"):
        replace_partition(db, "classifications", 7, rows, batch_size=7)
    assert _table_dump(db, classifications) == before


def test_rewriting_run_7_leaves_runs_6_and_8_byte_for_byte_unchanged(db):
    for run_id in (6, 7, 8):
        insert_run(db, run_id)
        _write_conversations(db, run_id, [f"c{i}" for i in range(10)])
        replace_partition(db, "classifications", run_id, [classification(f"c{i}") for i in range(10)])
    snapshot = {table.name: [row for row in _table_dump(db, table) if row[0] != 7] for table in (conversations, classifications)}
    _write_conversations(db, 7, [f"c{i}" for i in range(5, 15)])
    replace_partition(db, "classifications", 7, [classification(f"c{i}", "feature_request") for i in range(5, 15)])
    for table in (conversations, classifications):
        assert [row for row in _table_dump(db, table) if row[0] != 7] == snapshot[table.name]
    assert {row["conversation_id"] for row in read_partition(db, "classifications", 7)} == {f"c{i}" for i in range(5, 15)}


def test_rewriting_a_runs_conversations_removes_only_that_runs_derived_rows(db):
    for run_id in (1, 2):
        insert_run(db, run_id)
        _write_conversations(db, run_id, ["a", "b"])
        replace_partition(db, "classifications", run_id, [classification("a"), classification("b")])
    _write_conversations(db, 1, ["a", "b"])
    assert count_partition(db, "classifications", 1) == 0  # described the old input: invalidated
    assert count_partition(db, "classifications", 2) == 2


def test_replace_partitions_writes_stories_and_evidence_together(db):
    insert_run(db, 3)
    _write_conversations(db, 3, ["a", "b"])
    story = dict(
        id="s1", issue_signature="shift_swaps_approval_stuck", title="Swap approvals stuck",
        description="…", status="orphan", conversation_count=2, priority="normal",
    )
    evidence = [dict(story_id="s1", conversation_id=c, excerpt=None) for c in ("a", "b")]
    assert replace_partitions(db, 3, {"story_evidence": evidence, "stories": [story]}) == {"stories": 1, "story_evidence": 2}
    assert replace_partitions(db, 3, {"stories": [story], "story_evidence": evidence}) == {"stories": 1, "story_evidence": 2}
    assert count_partition(db, "story_evidence", 3) == 2


def test_duplicate_keys_and_unknown_columns_are_named(db):
    insert_run(db, 4)
    with pytest.raises(StorageError, match="repeat the key"):
        _write_conversations(db, 4, ["a", "a"])
    with pytest.raises(StorageError, match="unknown column"):
        replace_partition(db, "conversations", 4, [conversation("a", colour="blue")])
    with pytest.raises(ValueError, match="not a run-scoped table"):
        replace_partition(db, "pipeline_runs", 4, [])


# --- run lifecycle ------------------------------------------------------------------------------------


def test_run_lifecycle_stamps_times_and_refuses_impossible_transitions(db):
    run = create_run(db, source="sample", max_conversations=10)
    assert run.status == "pending" and run.started_at is None
    running = update_run(db, run.id, status="running", dagster_run_id="abc")
    assert running.started_at is not None and running.completed_at is None
    done = update_run(db, run.id, status="succeeded", conversations_count=10, stories_count=2)
    assert done.completed_at >= done.started_at and done.conversations_count == 10
    with pytest.raises(InvalidRunTransition, match="'succeeded' to 'pending'"):
        update_run(db, run.id, status="pending")
    retried = update_run(db, run.id, status="running")
    assert retried.completed_at is None and retried.error is None
    failed = update_run(db, run.id, status="failed", error="boom")
    assert get_run(db, run.id).error == "boom" and failed.status == "failed"
    with pytest.raises(ValueError, match="non-negative"):
        update_run(db, run.id, themes_count=-1)
    with pytest.raises(ValueError, match="cannot update"):
        update_run(db, run.id, source="other")
    with pytest.raises(UnknownRun):
        update_run(db, 4242, status="running")
    with pytest.raises(ValueError, match="trigger"):
        create_run(db, source="sample", trigger="cron")


def test_run_ids_are_positive_and_never_reused(db):
    first = create_run(db, source="sample")
    with db.begin() as connection:
        connection.execute(pipeline_runs.delete().where(pipeline_runs.c.id == first.id))
    second = create_run(db, source="sample")
    assert first.id >= 1 and second.id > first.id


def test_spend_is_added_in_place_and_refuses_unknown_runs_and_columns(db):
    from feedback_assets.storage import add_spend

    run = create_run(db, source="sample")
    add_spend(db, run.id, input_tokens=100, output_tokens=10, estimated_cost_usd=0.25)
    add_spend(db, run.id, input_tokens=50, cache_read_tokens=7, estimated_cost_usd=0.5)
    after = get_run(db, run.id)
    assert (after.input_tokens, after.output_tokens, after.cache_read_tokens) == (150, 10, 7)
    assert after.estimated_cost_usd == pytest.approx(0.75)
    with pytest.raises(UnknownRun, match="4242"):
        add_spend(db, 4242, input_tokens=1)
    with pytest.raises(ValueError, match="status"):
        add_spend(db, run.id, status=1)
    with pytest.raises(ValueError, match="negative"):
        add_spend(db, run.id, input_tokens=-1)
