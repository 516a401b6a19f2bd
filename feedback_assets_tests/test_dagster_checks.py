"""Every asset check passes on clean data and fails — naming the bad rows — on data corrupted with the
database's constraints bypassed (foreign keys off, or a table rebuilt without its constraints)."""

from __future__ import annotations

from contextlib import contextmanager

import dagster as dg
import pytest
from sqlalchemy import text

from feedback_assets.storage import make_engine, read_partition
from feedback_assets_tests.conftest import reset_postgres_schema
from feedback_assets_tests.dagster_helpers import check_results, definitions_for, execute, execute_checks, new_run


@pytest.fixture
def instance():
    with dg.instance_for_test() as instance:
        yield instance


@contextmanager
def constraints_bypassed(engine):
    """A transaction in which foreign keys are not enforced (SQLite pragma / PostgreSQL replica role)."""
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF" if sqlite else "SET session_replication_role = replica")
        connection.commit()  # SQLite ignores the pragma inside a transaction
        with connection.begin():
            yield connection
        connection.exec_driver_sql("PRAGMA foreign_keys=ON" if sqlite else "SET session_replication_role = DEFAULT")
        connection.commit()


def rebuild_without_constraints(connection, table: str) -> None:
    """The table as a plain copy: no primary key, no NOT NULL, no foreign keys (a schema without them)."""
    connection.exec_driver_sql(f"CREATE TABLE {table}_copy AS SELECT * FROM {table}")
    connection.exec_driver_sql(f"DROP TABLE {table}" + (" CASCADE" if connection.dialect.name == "postgresql" else ""))
    connection.exec_driver_sql(f"ALTER TABLE {table}_copy RENAME TO {table}")


def _ghost_classification(run_id: int) -> str:
    return (
        "INSERT INTO classifications (pipeline_run_id, conversation_id, stage1_type, stage1_confidence, urgency, "
        f"final_type, engine) VALUES ({run_id}, 'ghost-1', 'product_issue', 'high', 'normal', 'product_issue', 'offline')"
    )


def _ghost_theme(run_id: int) -> str:
    return (
        "INSERT INTO themes (pipeline_run_id, conversation_id, product_area, component, issue_signature, engine) "
        f"VALUES ({run_id}, 'ghost-1', 'scheduling', 'shift_editor', 'shift_editor_ghost_issue', 'offline')"
    )


def _first(engine, table: str, run_id: int, **where) -> dict:
    rows = [row for row in read_partition(engine, table, run_id) if all(row[k] == v for k, v in where.items())]
    return rows[0]


# (check, corruption(connection, engine, run_id, other_run_id), text expected in the failing metadata)
CORRUPTIONS = {
    "conversations_run_ids": (
        lambda c, e, r, o: (
            rebuild_without_constraints(c, "conversations"),
            c.exec_driver_sql(
                "INSERT INTO conversations (pipeline_run_id, conversation_id, source, created_at, updated_at, body, "
                "support_messages, quality_pass) VALUES (NULL, 'orphan-1', 'jsonl', '2026-01-01', '2026-01-01', 'x', "
                "'[]', true)"
            ),
        ),
        "orphan-1",
    ),
    "classifications_run_ids": (lambda c, e, r, o: c.exec_driver_sql(_ghost_classification(r)), "ghost-1"),
    "classifications_complete": (
        lambda c, e, r, o: c.execute(
            text("DELETE FROM classifications WHERE pipeline_run_id = :r AND conversation_id = :c"),
            {"r": r, "c": _first(e, "classifications", r)["conversation_id"]},
        ),
        "unclassified_conversations",
    ),
    "classifications_not_silent_zero": (
        lambda c, e, r, o: c.execute(text("DELETE FROM classifications WHERE pipeline_run_id = :r"), {"r": r}),
        "classifications_silent_zero",
    ),
    "themes_run_ids": (lambda c, e, r, o: c.exec_driver_sql(_ghost_theme(r)), "ghost-1"),
    "themes_complete": (
        lambda c, e, r, o: c.execute(
            text("DELETE FROM themes WHERE pipeline_run_id = :r AND conversation_id = :c"),
            {"r": r, "c": _first(e, "themes", r)["conversation_id"]},
        ),
        "unthemed_actionable",
    ),
    "themes_not_silent_zero": (
        lambda c, e, r, o: c.execute(text("DELETE FROM themes WHERE pipeline_run_id = :r"), {"r": r}),
        "themes_silent_zero",
    ),
    "stories_run_ids": (
        # Evidence filed under this run for a story of the other run.
        lambda c, e, r, o: c.execute(
            text("UPDATE story_evidence SET pipeline_run_id = :r WHERE story_id = :s"),
            {"r": r, "s": _first(e, "stories", o)["id"]},
        ),
        "evidence_crossing_runs",
    ),
    "stories_consistent": (
        lambda c, e, r, o: c.execute(
            text("UPDATE stories SET conversation_count = conversation_count + 1 WHERE id = :s"),
            {"s": _first(e, "stories", r)["id"]},
        ),
        "conversation_count_mismatch",
    ),
    "stories_not_silent_zero": (
        lambda c, e, r, o: c.execute(text("DELETE FROM stories WHERE pipeline_run_id = :r"), {"r": r}),
        "stories_silent_zero",
    ),
    # More corruptions each check must see (found by corrupting partitions by hand): case → (check, …).
    "classifications_not_silent_zero[every row a failure]": (
        lambda c, e, r, o: c.execute(
            text(
                "UPDATE classifications SET error = 'model failed', stage1_type = NULL, stage2_type = NULL, "
                "final_type = NULL WHERE pipeline_run_id = :r"
            ),
            {"r": r},
        ),
        "classifications_silent_zero",
    ),
    "themes_not_silent_zero[every row a failure]": (
        lambda c, e, r, o: c.execute(
            text("UPDATE themes SET error = 'model failed', issue_signature = NULL WHERE pipeline_run_id = :r"),
            {"r": r},
        ),
        "themes_silent_zero",
    ),
    "themes_complete[theme of a non-actionable conversation]": (
        lambda c, e, r, o: c.execute(
            text(
                "UPDATE classifications SET final_type = 'billing_question', stage1_type = 'billing_question' "
                "WHERE pipeline_run_id = :r AND conversation_id = :c"
            ),
            {"r": r, "c": _first(e, "themes", r)["conversation_id"]},
        ),
        "themes_not_actionable",
    ),
    "stories_consistent[evidence of a deleted story]": (
        lambda c, e, r, o: c.execute(text("DELETE FROM stories WHERE id = :s"), {"s": _first(e, "stories", r)["id"]}),
        "evidence_outside_themes",
    ),
    "stories_consistent[a theme in two groups]": (
        lambda c, e, r, o: c.execute(
            text(
                "INSERT INTO story_evidence (story_id, conversation_id, pipeline_run_id) "
                "SELECT s.id, t.conversation_id, :r FROM stories s, themes t "
                "WHERE s.pipeline_run_id = :r AND t.pipeline_run_id = :r AND t.issue_signature <> s.issue_signature "
                "AND t.error IS NULL ORDER BY s.id, t.conversation_id LIMIT 1"
            ),
            {"r": r},
        ),
        "themes_not_in_exactly_one_group",
    ),
    "stories_consistent[evidence under another signature]": (
        lambda c, e, r, o: c.execute(
            text("UPDATE themes SET issue_signature = 'another_feature_fails' WHERE pipeline_run_id = :r AND conversation_id = :c"),
            {"r": r, "c": _first(e, "story_evidence", r)["conversation_id"]},
        ),
        "evidence_outside_themes",
    ),
}


@pytest.mark.parametrize("case", sorted(CORRUPTIONS))
def test_check_fails_on_corrupted_data_and_names_the_rows(db_url, tmp_path, instance, case, request):
    check_name = case.split("[")[0]
    defs = definitions_for(db_url)
    engine = make_engine(db_url)
    if check_name == "conversations_run_ids" and engine.dialect.name == "postgresql":
        request.addfinalizer(lambda: reset_postgres_schema(db_url))  # the test rebuilds a table
    run = new_run(db_url, tmp_path)
    clean = check_results(execute(defs, instance, run.partition_key))
    assert len(clean) == 10 and all(e.passed for e in clean.values())
    other = None
    if check_name == "stories_run_ids":  # needs a second run to cross into
        other = new_run(db_url, tmp_path)
        assert execute(defs, instance, other.partition_key).success

    corrupt, expected = CORRUPTIONS[case]
    with constraints_bypassed(engine) as connection:
        corrupt(connection, engine, run.id, other.id if other else None)

    evaluations = check_results(execute_checks(defs, instance, run.partition_key))
    failing = evaluations[check_name]
    assert not failing.passed and failing.partition == run.partition_key
    rendered = " ".join(f"{key} {value.value}" for key, value in failing.metadata.items())
    assert expected in rendered
    assert sum(not e.passed for e in evaluations.values()) >= 1
