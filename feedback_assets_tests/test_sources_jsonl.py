"""The JSONL source (and the sample/jsonl/intercom factory): window, order, maximum, duplicates, bad lines."""

from __future__ import annotations

import json
import re
import tracemalloc
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
    bad_byte = broken.index(b"\xe9")
    assert f"at byte {bad_byte} of the line" in fetched.warnings[0].message
    assert fetched.stats["invalid_utf8_lines"] == 1 and fetched.stats["bad_lines"] == 0


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


# --- the line-size limit ------------------------------------------------------------------------------

MiB = 1024 * 1024


def huge_line(size: int) -> bytes:
    """A valid conversation line of exactly ``size`` bytes (newline not counted)."""
    head, tail = b'{"id": "huge", "updated_at": %d, "pad": "' % T0_SECONDS, b'"}'
    return head + b"x" * (size - len(head) - len(tail)) + tail


def peak_bytes(action) -> int:
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_line_over_the_limit_is_a_bad_line_with_location_size_and_setting_read_in_bounded_memory(
    tmp_path, monkeypatch
):
    monkeypatch.setenv(settings.JSONL_MAX_LINE_BYTES_ENV, str(1 * MiB))
    big = 64 * MiB
    path = tmp_path / "export.jsonl"
    with path.open("wb") as handle:
        handle.write(json.dumps(conversation("before", T0_SECONDS)).encode() + b"\n")
        handle.write(huge_line(big) + b"\n")
        handle.write(json.dumps(conversation("after", T0_SECONDS + 1)).encode() + b"\n")
        handle.write(huge_line(2 * MiB))  # the last line, without a newline
    source = JsonlSource(path)
    assert source.max_line_bytes == 1 * MiB
    fetched = None

    def fetch():
        nonlocal fetched
        fetched = source.fetch()

    peak = peak_bytes(fetch)
    assert peak < 5 * MiB, f"peak {peak:,} bytes for a {big:,}-byte line with a 1 MiB limit"
    assert ids(fetched) == ["before", "after"]  # the neighbours are read, at the right offsets
    assert [error.location for error in fetched.errors] == ["export.jsonl:2", "export.jsonl:4"]
    message = fetched.errors[0].message
    assert f"{big:,} bytes" in message and f"{MiB:,} bytes" in message
    assert settings.JSONL_MAX_LINE_BYTES_ENV in message
    assert f"{2 * MiB:,} bytes" in fetched.errors[1].message
    assert fetched.stats["bad_lines"] == 2 and fetched.stats["oversized_lines"] == 2
    assert fetched.stats["lines_read"] == 4 and fetched.warnings == []
    # Raised, the same file reads whole.
    monkeypatch.setenv(settings.JSONL_MAX_LINE_BYTES_ENV, str(big))
    assert ids(JsonlSource(path).fetch()) == ["before", "huge", "after"]


def test_the_limit_is_inclusive_and_does_not_count_the_newline(tmp_path):
    limit = 4096
    path = tmp_path / "edge.jsonl"
    path.write_bytes(huge_line(limit) + b"\r\n" + huge_line(limit + 1).replace(b"huge", b"over") + b"\n" + huge_line(limit).replace(b"huge", b"last"))
    fetched = JsonlSource(path, max_line_bytes=limit).fetch()
    # "\r" counts (it is on the line), "\n" does not: the first line is limit + 1 bytes.
    assert ids(fetched) == ["last"]
    assert [error.location for error in fetched.errors] == ["edge.jsonl:1", "edge.jsonl:2"]
    assert f"{limit + 1:,} bytes" in fetched.errors[0].message
    path.write_bytes(huge_line(limit) + b"\n" + huge_line(limit).replace(b"huge", b"last"))
    assert ids(JsonlSource(path, max_line_bytes=limit).fetch()) == ["huge", "last"]


def test_the_second_pass_is_bounded_too_when_a_line_grew_in_between(tmp_path):
    path = write_lines(tmp_path / "c.jsonl", [conversation("a", T0_SECONDS), conversation("b", T0_SECONDS + 1)])
    with JsonlSource(path, max_line_bytes=1 * MiB).stream() as stream:
        assert len(stream) == 2
        path.write_bytes(huge_line(32 * MiB) + b"\n")  # rewritten between the index and the read
        read = []
        peak = peak_bytes(lambda: read.extend(stream))
    assert read == []
    assert peak < 5 * MiB
    # Both offsets now fall on the huge line (the second inside it): each is skipped in bounded memory.
    assert len(stream.errors) == 2 and stream.errors[0].location == "c.jsonl@0"
    assert all("changed while it was being read" in error.message for error in stream.errors)


def test_the_documented_default_limit_is_the_code_s_and_a_bad_setting_is_a_config_error(tmp_path, monkeypatch):
    docs = (settings.PROJECT_DIR / "docs" / "jsonl_input.md").read_text(encoding="utf-8")
    documented = re.search(r"`FEEDBACK_JSONL_MAX_LINE_BYTES` \(default `(\d+)`, (\d+) MiB", docs)
    assert documented, "docs/jsonl_input.md documents FEEDBACK_JSONL_MAX_LINE_BYTES and its default"
    assert int(documented.group(1)) == settings.DEFAULT_JSONL_MAX_LINE_BYTES == int(documented.group(2)) * MiB
    assert settings.JSONL_MAX_LINE_BYTES_ENV == "FEEDBACK_JSONL_MAX_LINE_BYTES"
    path = write_lines(tmp_path / "c.jsonl", [conversation("a", T0_SECONDS)])
    monkeypatch.delenv(settings.JSONL_MAX_LINE_BYTES_ENV, raising=False)
    assert JsonlSource(path).max_line_bytes == settings.DEFAULT_JSONL_MAX_LINE_BYTES
    for bad in ("0", "-1", "16MiB", "1.5"):
        monkeypatch.setenv(settings.JSONL_MAX_LINE_BYTES_ENV, bad)
        with pytest.raises(SourceConfigError, match="FEEDBACK_JSONL_MAX_LINE_BYTES must be a positive whole number"):
            build_source("jsonl", path=path)


# --- empty inputs ----------------------------------------------------------------------------------------


def test_an_empty_input_gives_0_conversations_and_a_warning_naming_the_file(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "a_empty.jsonl").write_bytes(b"")
    (folder / "b_blank.jsonl").write_bytes(b"\n  \n\r\n")
    (folder / "c_bom.jsonl").write_bytes(b"\xef\xbb\xbf\n")
    write_lines(folder / "d_full.jsonl", [conversation("a", T0_SECONDS)])
    write_lines(folder / "e_bad.jsonl", ["{broken"])  # not empty: a bad line, reported as such
    fetched = JsonlSource(folder).fetch()
    assert ids(fetched) == ["a"]
    assert [str(warning) for warning in fetched.warnings] == [
        "a_empty.jsonl: input file is empty: 0 conversations read",
        "b_blank.jsonl: input file is empty (3 blank lines): 0 conversations read",
        "c_bom.jsonl: input file is empty (1 blank line): 0 conversations read",
    ]
    assert fetched.stats["empty_inputs"] == 3 and fetched.stats["bad_lines"] == 1

    for name, content in (("zero.jsonl", b""), ("blank.jsonl", b"\n\n")):
        (tmp_path / name).write_bytes(content)
        fetched = JsonlSource(tmp_path / name).fetch()
        assert fetched.conversations == [] and fetched.errors == []  # legal: 0 conversations
        assert [warning.location for warning in fetched.warnings] == [name]
        assert "input file is empty" in fetched.warnings[0].message
        assert fetched.stats["empty_inputs"] == 1 and fetched.stats["returned"] == 0
