"""Bounded-memory steps: progress lines, sources that stream from a compact index (one latest version per
stored id), the streaming normaliser, and ``classifications`` results that do not depend on the chunk."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import dagster as dg
import pytest

from feedback_assets.defs import classify as classify_defs
from feedback_assets.domain.normalize import StreamReport, conversation_identity, normalise_stream
from feedback_assets.progress import Progress
from feedback_assets.sources import JsonlSource
from feedback_assets.sources.base import latest_per_identity
from feedback_assets.storage import make_engine, read_partition
from feedback_assets_tests.dagster_helpers import definitions_for, execute, new_run
from feedback_assets_tests.fakes.intercom_stub import intercom_conversation
from feedback_assets_tests.pipeline_data import START, write_jsonl


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_progress_logs_every_n_seconds_with_rate_and_eta_then_a_summary():
    clock, lines = FakeClock(), []
    progress = Progress("classifications", total=1000, log=lines.append, every_seconds=10, clock=clock)
    progress.add(100)
    assert lines == []  # no time has passed
    clock.now += 10
    progress.add(100)
    assert lines == ["classifications: 200/1,000 (20%) at 20/s, ETA 40s"]
    clock.now += 5
    progress.add(300)
    assert len(lines) == 1  # not yet 10 s since the last line
    clock.now += 35
    progress.add(500)
    assert lines[-1] == "classifications: 1,000/1,000 (100%) at 20/s, ETA 0s"
    assert progress.finish() == "classifications: 1,000 done in 50.0 s (20/s)"
    assert progress.finish() == lines[-1] and len(lines) == 3  # logged once

    unknown = Progress("rows", log=lines.append, every_seconds=1, clock=clock)
    clock.now += 2
    unknown.add(7)
    assert lines[-1] == "rows: 7 done at 4/s"
    short = Progress("themes", total=10, log=lines.append, clock=clock)
    short.add(4)
    assert short.finish() == "themes: 4 of 10 done in 0.0 s (0/s)"


def test_latest_per_identity_keeps_the_newest_of_ids_that_are_the_same_conversation():
    entries = [(5.0, "a", 1), (7.0, " a", 2), (6.0, "b", 3), (1.0, "c\t", 4), (1.0, "c", 5)]
    kept, merged = latest_per_identity(entries, conversation_identity)
    assert kept == [(1.0, "c\t", 4), (6.0, "b", 3), (7.0, " a", 2)] and merged == 2
    assert latest_per_identity(entries, None) == (sorted(entries, key=lambda e: (e[0], e[1])), 0)


def _at(seconds: int) -> datetime:
    return datetime.fromtimestamp(START + seconds, tz=timezone.utc)


def test_jsonl_stream_reads_from_a_compact_index_in_order_and_matches_fetch(tmp_path):
    records = [intercom_conversation(f"c{i}", body=f"Body number {i} about clocking in", updated_at=START + i % 7)
               for i in range(40)]
    records.append(intercom_conversation("c3", body="A newer version of c3", updated_at=START + 100))
    records.append(intercom_conversation(" c5 ", body="Same conversation as c5 once normalised", updated_at=START + 50))
    path = tmp_path / "conversations.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records) + "not json\n")
    source = JsonlSource(path)

    stream = source.stream(None, _at(200), identity=conversation_identity)
    assert len(stream) == 40 and stream.merged == 1 and len(stream.errors) == 1
    streamed = list(stream)
    assert list(stream) == streamed  # each pass re-reads the file
    keys = [(r["updated_at"], r["id"]) for r in streamed]
    assert keys == sorted(keys)
    by_id = {conversation_identity(r["id"]): r for r in streamed}
    assert "newer version" in by_id["c3"]["source"]["body"]
    assert "once normalised" in by_id["c5"]["source"]["body"]
    # Without identity, the stream is exactly what fetch returns.
    fetched = source.fetch(None, None, 10)
    plain = source.stream(None, None, 10)
    assert list(plain) == fetched.conversations and plain.stats == fetched.stats


def test_normalise_stream_counts_bad_records_and_never_emits_an_id_twice():
    raws = [
        intercom_conversation("a", body="first", updated_at=START),
        {"no": "id"},
        intercom_conversation("b", body="second", updated_at=START),
        intercom_conversation("a", body="again", updated_at=START),
        "not an object",
    ]
    report = StreamReport()
    emitted = list(normalise_stream(iter(raws), source="jsonl", report=report))
    assert [c.conversation_id for c in emitted] == ["a", "b"]
    assert report.normalised == 2 and report.error_count == 2 and report.duplicates == 1
    assert report.errors[0].message.startswith("record 1:")


@pytest.fixture
def instance():
    with dg.instance_for_test() as instance:
        yield instance


def test_classifications_do_not_depend_on_the_chunk(db_url, tmp_path, instance, monkeypatch):
    defs = definitions_for(db_url)
    engine = make_engine(db_url)
    whole, chunked = new_run(db_url, tmp_path), new_run(db_url, tmp_path, batch_size=3)
    assert execute(defs, instance, whole.partition_key).success
    monkeypatch.setattr(classify_defs, "MIN_CHUNK", 1)  # chunks of 3 conversations
    result = execute(defs, instance, chunked.partition_key)
    assert result.success

    def rows(run_id):
        return [{k: v for k, v in row.items() if k != "pipeline_run_id"} for row in read_partition(engine, "classifications", run_id)]

    assert rows(chunked.id) == rows(whole.id) and len(rows(whole.id)) > 3
    logs = [event.message for event in instance.all_logs(result.run_id) if event.message]
    assert any("classifications:" in line and " done in " in line for line in logs)
    assert any("conversations:" in line and " done in " in line for line in logs)


def test_conversations_keep_the_latest_version_per_stored_id_and_count_bad_records(db_url, tmp_path, instance):
    from feedback_assets_tests.pipeline_data import pipeline_conversations

    records = pipeline_conversations()
    first = dict(records[0])
    stale = dict(first, id=f" {first['id']} ", updated_at=first["updated_at"] - 10)  # same stored id, older
    stale["source"] = dict(first["source"], body="An old version that must lose")
    path = write_jsonl(tmp_path / "conversations.jsonl", [stale, *records])
    with path.open("a") as handle:
        handle.write("{broken\n")
    from feedback_assets.storage import create_run

    run = create_run(engine := make_engine(db_url), source="jsonl", source_params={"path": str(path)})
    result = execute(definitions_for(db_url), instance, run.partition_key)
    assert result.success
    stored = {row["conversation_id"]: row for row in read_partition(engine, "conversations", run.id)}
    assert len(stored) == len(records)
    assert stored[str(first["id"])]["body"] != "An old version that must lose"
    metadata = next(
        e.step_materialization_data.materialization.metadata
        for e in result.get_asset_materialization_events()
        if e.asset_key.to_user_string() == "conversations"
    )
    assert metadata["duplicates_merged"].value == 1
    assert metadata["source_errors"].value == 1
    assert metadata["dagster/row_count"].value == len(records)
