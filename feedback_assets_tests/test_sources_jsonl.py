"""The JSONL source (and the sample/jsonl/intercom factory): window, order, maximum, duplicates, bad lines."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from feedback_assets import settings
from feedback_assets.sources import (
    SOURCE_NAMES,
    JsonlSource,
    SourceConfigError,
    build_source,
)
from feedback_assets.sources.base import conversation_key

T0 = datetime(2026, 3, 1, tzinfo=timezone.utc)
T0_SECONDS = int(T0.timestamp())


def conversation(conversation_id, updated_at, **extra):
    return {"type": "conversation", "id": conversation_id, "updated_at": updated_at, "created_at": T0_SECONDS - 3600,
            "source": {"body": f"<p>body of {conversation_id}</p>"}, **extra}


def write_lines(path: Path, lines) -> Path:
    """Lines are dicts (JSON-encoded), str (written as is) or bytes (written raw)."""
    with path.open("wb") as handle:
        for line in lines:
            if isinstance(line, dict):
                line = json.dumps(line)
            if isinstance(line, str):
                line = line.encode()
            handle.write(line + b"\n")
    return path


def ids(fetch):
    return [c["id"] for c in fetch.conversations]


def test_window_is_half_open_on_updated_at_and_order_is_updated_at_then_id(tmp_path):
    path = write_lines(
        tmp_path / "c.jsonl",
        [
            conversation("late", T0_SECONDS + 100),  # == window_end: excluded
            conversation("b", T0_SECONDS),  # == window_start: included
            conversation("a", T0_SECONDS),  # same updated_at: id breaks the tie
            conversation("iso", (T0 + timedelta(seconds=50)).isoformat()),  # ISO 8601 accepted too
            conversation("early", T0_SECONDS - 1),
            conversation("mid", T0_SECONDS + 99),
        ],
    )
    fetched = JsonlSource(path).fetch(T0, T0 + timedelta(seconds=100))
    assert ids(fetched) == ["a", "b", "iso", "mid"]
    assert fetched.errors == [] and fetched.warnings == []
    assert fetched.stats["outside_window"] == 2 and fetched.stats["returned"] == 4
    # Unbounded on either side.
    assert ids(JsonlSource(path).fetch(None, T0)) == ["early"]
    assert ids(JsonlSource(path).fetch(T0 + timedelta(seconds=99), None)) == ["mid", "late"]
    # A naive datetime is UTC.
    assert ids(JsonlSource(path).fetch(datetime(2026, 3, 1), datetime(2026, 3, 1, 0, 0, 1))) == ["a", "b"]


def test_max_conversations_keeps_the_oldest(tmp_path):
    path = write_lines(tmp_path / "c.jsonl", [conversation(f"c{i}", T0_SECONDS + (9 - i)) for i in range(10)])
    fetched = JsonlSource(path).fetch(max_conversations=3)
    assert ids(fetched) == ["c9", "c8", "c7"]
    assert fetched.stats["over_max"] == 7 and fetched.stats["returned"] == 3


def test_duplicates_keep_the_latest_version_across_files_and_ties_go_to_the_last_read(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    write_lines(folder / "a.jsonl", [conversation("x", T0_SECONDS + 5, title="x newest"), conversation("y", T0_SECONDS, title="y first")])
    write_lines(folder / "b.jsonl", [conversation("x", T0_SECONDS + 1, title="x older"), conversation("y", T0_SECONDS, title="y second")])
    (folder / "notes.txt").write_text("not a jsonl file, ignored\n")
    fetched = build_source("jsonl", path=folder).fetch()
    assert {c["id"]: c["title"] for c in fetched.conversations} == {"x": "x newest", "y": "y second"}
    assert fetched.stats["duplicates_dropped"] == 2
    assert fetched.stats["files_read"] == 2


def test_bad_lines_are_errors_with_file_and_line_and_the_rest_goes_on(tmp_path):
    path = write_lines(
        tmp_path / "bad.jsonl",
        [
            conversation("ok1", T0_SECONDS),
            "{not json",
            "[1, 2]",
            {"updated_at": T0_SECONDS},
            {"id": "no-time"},
            {"id": "bad-time", "updated_at": "yesterday"},
            {"id": True, "updated_at": T0_SECONDS},
            "",
            conversation("ok2", T0_SECONDS + 1),
        ],
    )
    fetched = JsonlSource(path).fetch()
    assert ids(fetched) == ["ok1", "ok2"]
    messages = {error.location: error.message for error in fetched.errors}
    assert set(messages) == {"bad.jsonl:2", "bad.jsonl:3", "bad.jsonl:4", "bad.jsonl:5", "bad.jsonl:6", "bad.jsonl:7"}
    assert "invalid JSON" in messages["bad.jsonl:2"]
    assert "JSON object" in messages["bad.jsonl:3"] and "array" in messages["bad.jsonl:3"]
    assert "'id'" in messages["bad.jsonl:4"]
    assert "no-time" in messages["bad.jsonl:5"] and "updated_at" in messages["bad.jsonl:5"]
    assert "'yesterday'" in messages["bad.jsonl:6"]
    assert "True" in messages["bad.jsonl:7"]
    assert str(fetched.errors[0]) == f"bad.jsonl:2: {messages['bad.jsonl:2']}"
    assert fetched.stats["bad_lines"] == 6 and fetched.stats["blank_lines"] == 1 and fetched.stats["lines_read"] == 9


def test_invalid_utf8_is_replaced_kept_and_warned(tmp_path):
    good = json.dumps(conversation("u1", T0_SECONDS, title="caf\u00e9")).encode()
    broken = json.dumps(conversation("u2", T0_SECONDS + 1, title="PLACEHOLDER")).encode().replace(b"PLACEHOLDER", b"caf\xe9")
    path = write_lines(tmp_path / "latin1.jsonl", [good, broken])
    fetched = JsonlSource(path).fetch()
    assert ids(fetched) == ["u1", "u2"]
    assert fetched.conversations[1]["title"] == "caf\ufffd"
    assert fetched.errors == []
    assert len(fetched.warnings) == 1
    assert fetched.warnings[0].location == "latin1.jsonl:2"
    assert "invalid UTF-8" in fetched.warnings[0].message and "U+FFFD" in fetched.warnings[0].message


def test_byte_order_mark_and_integer_ids(tmp_path):
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(conversation(42, T0_SECONDS)).encode() + b"\n")
    fetched = JsonlSource(path).fetch()
    assert ids(fetched) == ["42"] and fetched.errors == []


def test_count_new_counts_strictly_after(tmp_path):
    path = write_lines(tmp_path / "c.jsonl", [conversation(f"c{i}", T0_SECONDS + i) for i in range(5)])
    source = JsonlSource(path)
    assert source.count_new(None) == 5
    assert source.count_new(T0 + timedelta(seconds=2)) == 2
    assert source.count_new(T0 + timedelta(seconds=10)) == 0


def test_missing_path_and_empty_folder_are_clear_errors(tmp_path):
    with pytest.raises(SourceConfigError, match="nowhere.jsonl does not exist"):
        build_source("jsonl", path=tmp_path / "nowhere.jsonl")
    with pytest.raises(SourceConfigError, match=r"contains no \*\.jsonl files"):
        build_source("jsonl", path=tmp_path)
    with pytest.raises(SourceConfigError, match="needs path="):
        build_source("jsonl")
    path = write_lines(tmp_path / "c.jsonl", [conversation("a", T0_SECONDS)])
    source = JsonlSource(path)
    path.unlink()  # removed after the source was built: the fetch says so
    with pytest.raises(SourceConfigError, match="c.jsonl does not exist"):
        source.fetch()


def test_factory_names_the_known_sources_and_rejects_unknown_options(tmp_path):
    with pytest.raises(SourceConfigError) as error:
        build_source("zendesk")
    assert "'zendesk'" in str(error.value)
    for name in SOURCE_NAMES:
        assert name in str(error.value)
    path = write_lines(tmp_path / "c.jsonl", [conversation("a", T0_SECONDS)])
    with pytest.raises(SourceConfigError, match="colour"):
        build_source("jsonl", path=path, colour="blue")


def test_bad_fetch_arguments_are_refused(tmp_path):
    source = JsonlSource(write_lines(tmp_path / "c.jsonl", [conversation("a", T0_SECONDS)]))
    with pytest.raises(SourceConfigError, match="after window_end"):
        source.fetch(T0 + timedelta(days=1), T0)
    with pytest.raises(SourceConfigError, match="max_conversations must be a positive integer"):
        source.fetch(max_conversations=0)
    with pytest.raises(SourceConfigError, match="window_start must be a datetime"):
        source.fetch("2026-03-01")


def test_sample_source_reads_the_bundled_file(tmp_path):
    """``sample`` is the JSONL source on settings.SAMPLE_CONVERSATIONS (written by the sample's owner)."""
    if settings.SAMPLE_CONVERSATIONS.exists():
        source = build_source("sample")
        fetched = source.fetch()
        assert source.name == "sample"
        assert source.describe() == {"path": str(settings.SAMPLE_CONVERSATIONS)}
        assert fetched.conversations and fetched.errors == []
        keys = [conversation_key(c) for c in fetched.conversations]
        assert keys == sorted(keys) and len(set(ids(fetched))) == len(keys)
    else:
        with pytest.raises(SourceConfigError, match=str(settings.SAMPLE_CONVERSATIONS.name)):
            build_source("sample")
    override = write_lines(tmp_path / "mine.jsonl", [conversation("a", T0_SECONDS)])
    assert ids(build_source("sample", path=override).fetch()) == ["a"]
