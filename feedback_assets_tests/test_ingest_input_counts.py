"""What the JSONL source met on the way in — lines skipped as bad or too long, invalid UTF-8 replaced,
empty input files — is counted in the ``conversations`` materialisation metadata and logged as warnings;
an empty input is a successful run of 0 conversations, never a silent one."""

from __future__ import annotations

import json
import logging

import dagster as dg
import pytest

from feedback_assets import settings
from feedback_assets.storage import create_run, make_engine, read_partition
from feedback_assets_tests.dagster_helpers import definitions_for, execute
from feedback_assets_tests.pipeline_data import pipeline_conversations


@pytest.fixture
def instance():
    with dg.instance_for_test() as instance:
        yield instance


def conversations_metadata(result) -> dict:
    return next(
        e.step_materialization_data.materialization.metadata
        for e in result.get_asset_materialization_events()
        if e.asset_key.to_user_string() == "conversations"
    )


def warning_logs(instance, result) -> list[str]:
    return [
        event.message
        for event in instance.all_logs(result.run_id)
        if event.message and event.level == logging.WARNING
    ]


def test_bad_oversized_invalid_utf8_and_empty_inputs_are_counted_in_the_metadata(db_url, tmp_path, instance, monkeypatch):
    limit = 64 * 1024
    monkeypatch.setenv(settings.JSONL_MAX_LINE_BYTES_ENV, str(limit))
    folder = tmp_path / "export"
    folder.mkdir()
    records = pipeline_conversations()
    lines = [json.dumps(c).encode() for c in records]
    assert b"clock in" in lines[2]
    lines[2] = lines[2].replace(b"clock in", b"clock \xff in", 1)  # a.jsonl:3, invalid UTF-8: kept, warned
    lines.insert(3, b"{broken")  # a.jsonl:4
    lines.insert(4, b'{"id": "huge", "pad": "' + b"x" * (4 * limit) + b'"}')  # a.jsonl:5
    (folder / "a.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    (folder / "b.jsonl").write_bytes(b"")
    run = create_run(make_engine(db_url), source="jsonl", source_params={"path": str(folder)})

    result = execute(definitions_for(db_url), instance, run.partition_key)

    assert result.success
    assert len(read_partition(make_engine(db_url), "conversations", run.id)) == len(records)
    metadata = conversations_metadata(result)
    assert metadata["bad_lines"].value == 2
    assert metadata["oversized_lines"].value == 1
    assert metadata["invalid_utf8_lines"].value == 1
    assert metadata["empty_inputs"].value == 1
    assert metadata["source_warnings"].value == 2
    assert metadata["source_errors"].value == 2
    assert "a.jsonl:3: invalid UTF-8 at byte" in metadata["warnings"].value
    assert "b.jsonl: input file is empty: 0 conversations read" in metadata["warnings"].value
    assert "a.jsonl:5: line of" in metadata["problems"].value
    assert settings.JSONL_MAX_LINE_BYTES_ENV in metadata["problems"].value
    logged = warning_logs(instance, result)
    assert any("b.jsonl: input file is empty" in line for line in logged)
    assert any(line.startswith("source input: 2 input line(s) skipped") and "1 empty input file(s)" in line for line in logged)


def test_an_empty_input_file_is_a_successful_run_of_0_conversations_that_says_so(db_url, tmp_path, instance):
    path = tmp_path / "empty.jsonl"
    path.write_bytes(b"\n\n")
    run = create_run(make_engine(db_url), source="jsonl", source_params={"path": str(path)})

    result = execute(definitions_for(db_url), instance, run.partition_key)

    assert result.success
    metadata = conversations_metadata(result)
    assert metadata["dagster/row_count"].value == 0
    assert metadata["empty_inputs"].value == 1 and metadata["source_warnings"].value == 1
    assert metadata["bad_lines"].value == 0 and metadata["oversized_lines"].value == 0
    assert "empty.jsonl: input file is empty (2 blank lines): 0 conversations read" in metadata["warnings"].value
    assert any("empty.jsonl: input file is empty" in line for line in warning_logs(instance, result))
