"""Text that PostgreSQL and SQLite store alike: NUL and other control characters in any field — the
author type, the id — are cleaned without losing the run, and a changed id or a repaired line is never
silent (it is counted in the conversations metadata and logged)."""

from __future__ import annotations

import json

import dagster as dg
import pytest

from feedback_assets.storage import create_run, make_engine, read_partition
from feedback_assets_tests.dagster_helpers import definitions_for, execute
from feedback_assets_tests.pipeline_data import pipeline_conversations


@pytest.fixture
def instance():
    with dg.instance_for_test() as instance:
        yield instance


def test_nul_in_an_author_type_and_an_id_is_cleaned_counted_and_stored(db_url, tmp_path, instance):
    conversations = pipeline_conversations()
    conversations[0]["source"]["author"]["type"] = "us\x00er"
    conversations[1]["id"] = "9000\x0002"
    path = tmp_path / "conversations.jsonl"
    lines = [json.dumps(c).encode() for c in conversations]
    lines[2] = lines[2].replace(b"clock in", b"clock \xff in", 1)  # invalid UTF-8: replaced, kept, warned
    path.write_bytes(b"\n".join(lines) + b"\n")
    run = create_run(make_engine(db_url), source="jsonl", source_params={"path": str(path)})

    result = execute(definitions_for(db_url), instance, run.partition_key)

    assert result.success
    rows = {row["conversation_id"]: row for row in read_partition(make_engine(db_url), "conversations", run.id)}
    assert len(rows) == len(conversations)
    assert rows[conversations[0]["id"]]["author_type"] == "us er"
    assert "9000 02" in rows
    assert all("\x00" not in str(value) for row in rows.values() for value in row.values())
    metadata = next(
        e.step_materialization_data.materialization.metadata
        for e in result.get_asset_materialization_events()
        if e.asset_key.to_user_string() == "conversations"
    )
    assert metadata["ids_cleaned"].value == 1
    assert metadata["source_warnings"].value == 1
    assert "'9000\\x0002' → '9000 02'" in metadata["warnings"].value
