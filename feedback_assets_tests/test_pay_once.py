"""Pay once (``storage.reuse``): a classification or theme whose input, engine, model and prompt version are
unchanged is copied from the latest earlier run instead of calling the model again — through the assets,
with the Claude engine against the stub and with the offline engine by explicit setting."""

from __future__ import annotations

from datetime import datetime, timezone

import dagster as dg
import pytest
from sqlalchemy import update

from feedback_assets.defs.resources import EngineSettings, PipelineSettings
from feedback_assets.engines.anthropic import AnthropicEngine
from feedback_assets.storage import create_run, make_engine, read_partition
from feedback_assets.storage import reuse as pay_once
from feedback_assets.storage.schema import classifications
from feedback_assets_tests.dagster_helpers import check_results, definitions_for, execute, new_run
from feedback_assets_tests.fakes.anthropic_stub import AnthropicStub
from feedback_assets_tests.fakes.feedback_answers import feedback_responder
from feedback_assets_tests.pipeline_data import pipeline_conversations, write_jsonl

KEY = "sk-ant-stub-key-for-pay-once-tests"
PROVENANCE = ("pipeline_run_id", "reused_from_run")


@pytest.fixture
def instance():
    with dg.instance_for_test() as instance:
        yield instance


@pytest.fixture(autouse=True)
def _reuse_defaults(monkeypatch):
    monkeypatch.delenv("FEEDBACK_REUSE", raising=False)
    monkeypatch.delenv("FEEDBACK_REUSE_ENGINES", raising=False)


def _defs(db_url, stub=None, **engine_options):
    engines = (
        EngineSettings(anthropic_api_key=KEY, anthropic_base_url=stub.base_url, concurrency=4, **engine_options)
        if stub
        else EngineSettings(**engine_options)
    )
    return definitions_for(db_url, engines=engines, pipeline=PipelineSettings())


def _metadata(result) -> dict[str, dict]:
    return {
        e.asset_key.to_user_string(): e.step_materialization_data.materialization.metadata
        for e in result.get_asset_materialization_events()
    }


def _rows(db_url, table, run_id):
    return sorted(read_partition(make_engine(db_url), table, run_id), key=lambda row: row.get("conversation_id") or row["issue_signature"])


def _without(rows, names=PROVENANCE):
    return [{k: v for k, v in row.items() if k not in names} for row in rows]


def _run(db_url, tmp_path, instance, stub, conversations=None, **engine_options):
    if conversations is None:
        run = new_run(db_url, tmp_path, engine="anthropic")
    else:
        path = write_jsonl(tmp_path / "changed.jsonl", conversations)
        run = create_run(make_engine(db_url), source="jsonl", source_params={"path": str(path)}, engine="anthropic")
    before = len(stub.message_requests)
    result = execute(_defs(db_url, stub, **engine_options), instance, run.partition_key)
    assert result.success
    assert all(e.passed for e in check_results(result).values())
    return run, result, stub.message_requests[before:]


def test_a_second_run_over_the_same_window_calls_the_model_for_nothing(db_url, tmp_path, instance):
    with AnthropicStub(feedback_responder, api_key=KEY) as stub:
        first, result1, calls1 = _run(db_url, tmp_path, instance, stub)
        before = {t: _rows(db_url, t, first.id) for t in ("classifications", "themes", "stories")}
        second, result2, calls2 = _run(db_url, tmp_path, instance, stub)

    assert calls1 and calls2 == []  # ≤ 5% of run 1's calls: none at all for an unchanged window
    for table in ("classifications", "themes"):
        old, new = _rows(db_url, table, first.id), _rows(db_url, table, second.id)
        assert old and all(row["input_hash"] and row["reused_from_run"] is None for row in old)
        assert {row["pipeline_run_id"] for row in new} == {second.id}
        assert {row["reused_from_run"] for row in new} == {first.id}
        assert _without(new) == _without(old)  # identical except run id and provenance
        assert old == before[table]  # run 1's rows untouched
    stories = [_without(_rows(db_url, "stories", run), ("id", "pipeline_run_id")) for run in (first.id, second.id)]
    assert stories[0] and stories[0] == stories[1]

    metadata = _metadata(result2)
    for step in ("classifications", "themes"):
        assert metadata[step]["llm_calls"].value == 0
        assert metadata[step]["rows_reused"].value == metadata[step]["dagster/row_count"].value
        assert metadata[step]["rows_computed"].value == 0
        assert metadata[step]["reuse"].value == "on"
        assert "not known" in metadata[step]["cost_saved_basis"].value
    first_metadata = _metadata(result1)
    assert first_metadata["classifications"]["rows_reused"].value == 0
    assert first_metadata["classifications"]["llm_calls"].value > 0


def test_a_changed_conversation_is_the_only_one_asked_again(db_url, tmp_path, instance):
    conversations = pipeline_conversations()
    changed = conversations[0]
    marker = "It started after the last app update."
    with AnthropicStub(feedback_responder, api_key=KEY) as stub:
        first, _, calls1 = _run(db_url, tmp_path, instance, stub)
        body = changed["source"]["body"] if "source" in changed else None
        if body is not None:
            changed["source"]["body"] = body.replace("</p>", f" {marker}</p>")
        else:  # the stub's conversation shape keeps the opening message in conversation_parts
            raise AssertionError("unexpected conversation shape")
        second, result, calls2 = _run(db_url, tmp_path, instance, stub, conversations)

    assert calls2 and all(marker in call.user_text for call in calls2)
    assert len(calls2) <= 0.05 * len(calls1) + 3  # stage 1, stage 2 and the theme of one conversation
    assert len(calls2) == 3
    classified = _rows(db_url, "classifications", second.id)
    fresh = [row for row in classified if row["reused_from_run"] is None]
    assert [row["conversation_id"] for row in fresh] == [changed["id"]]
    assert all(row["reused_from_run"] == first.id for row in classified if row not in fresh)
    metadata = _metadata(result)["classifications"]
    assert metadata["rows_reused"].value == len(classified) - 1 and metadata["rows_computed"].value == 1
    assert metadata["estimated_cost_saved_usd"].value > 0


@pytest.mark.parametrize("change", ["prompt_version", "model"])
def test_a_new_prompt_version_or_model_reuses_nothing(db_url, tmp_path, instance, monkeypatch, change):
    with AnthropicStub(feedback_responder, api_key=KEY) as stub:
        _, _, calls1 = _run(db_url, tmp_path, instance, stub)
        options = {}
        if change == "prompt_version":
            monkeypatch.setattr(AnthropicEngine, "prompt_version", AnthropicEngine.prompt_version + "-next")
        else:
            options = {"stage2_model": "claude-sonnet-5", "theme_model": "claude-sonnet-5"}
        second, result, calls2 = _run(db_url, tmp_path, instance, stub, **options)
    assert len(calls2) == len(calls1)
    for table in ("classifications", "themes"):
        assert all(row["reused_from_run"] is None for row in _rows(db_url, table, second.id))
    assert _metadata(result)["themes"]["rows_reused"].value == 0


def test_feedback_reuse_0_forces_a_full_rerun(db_url, tmp_path, instance, monkeypatch):
    with AnthropicStub(feedback_responder, api_key=KEY) as stub:
        _, _, calls1 = _run(db_url, tmp_path, instance, stub)
        monkeypatch.setenv("FEEDBACK_REUSE", "0")
        second, result, calls2 = _run(db_url, tmp_path, instance, stub)
    assert len(calls2) == len(calls1)
    assert all(row["reused_from_run"] is None for row in _rows(db_url, "classifications", second.id))
    assert _metadata(result)["classifications"]["reuse"].value == "off (FEEDBACK_REUSE=0)"


def test_only_successful_rows_of_earlier_runs_are_copied(db_url, tmp_path, instance):
    with AnthropicStub(feedback_responder, api_key=KEY) as stub:
        first, _, _ = _run(db_url, tmp_path, instance, stub)
        victim = _rows(db_url, "classifications", first.id)[0]["conversation_id"]
        engine = make_engine(db_url)
        with engine.begin() as connection:  # a failure recorded in run 1 (no type, error set)
            connection.execute(
                update(classifications)
                .where(classifications.c.pipeline_run_id == first.id, classifications.c.conversation_id == victim)
                .values(error="model refused", final_type=None, stage1_type=None, stage2_type=None)
            )
        second, _, calls2 = _run(db_url, tmp_path, instance, stub)
        # Re-materialising run 2 copies from run 1 only (never from itself): same result, no calls.
        again = execute(_defs(db_url, stub), instance, second.partition_key)
        assert again.success
    rows = {row["conversation_id"]: row for row in _rows(db_url, "classifications", second.id)}
    assert rows[victim]["reused_from_run"] is None and rows[victim]["error"] is None
    assert victim == "900001"  # the first geofence report: stage 1 and stage 2 asked again, its theme reused
    assert len(calls2) == 2 and all("The app refuses my clock in" in call.user_text for call in calls2)
    assert {row["reused_from_run"] for cid, row in rows.items() if cid != victim} == {first.id}


def test_the_offline_engine_reuses_only_when_named(db_url, tmp_path, instance, monkeypatch):
    defs = _defs(db_url)
    first = new_run(db_url, tmp_path)
    assert execute(defs, instance, first.partition_key).success
    second = new_run(db_url, tmp_path)
    result = execute(defs, instance, second.partition_key)  # default: offline rows are recomputed
    assert result.success
    assert all(row["reused_from_run"] is None for row in _rows(db_url, "classifications", second.id))
    assert "off for engine offline" in _metadata(result)["classifications"]["reuse"].value

    # Offline themes depend on the whole run, so their hash (an extra pass) is made only while reuse is on
    # for the engine: the first run with it on computes and stores hashes, the next one reuses.
    monkeypatch.setenv("FEEDBACK_REUSE_ENGINES", "anthropic,offline")
    third = new_run(db_url, tmp_path)
    assert execute(defs, instance, third.partition_key).success
    assert {row["reused_from_run"] for row in _rows(db_url, "classifications", third.id)} == {second.id}
    assert all(row["reused_from_run"] is None and row["input_hash"] for row in _rows(db_url, "themes", third.id))
    fourth = new_run(db_url, tmp_path)
    result = execute(defs, instance, fourth.partition_key)
    assert result.success and all(e.passed for e in check_results(result).values())
    for table in ("classifications", "themes"):
        rows = _rows(db_url, table, fourth.id)
        assert rows and {row["reused_from_run"] for row in rows} == {third.id}  # the latest earlier run
        assert _without(rows) == _without(_rows(db_url, table, third.id))
    assert _metadata(result)["themes"]["llm_calls"].value == 0


def test_reuse_settings_and_hashes():
    assert pay_once.reuse_settings({}).applies_to("anthropic")
    assert not pay_once.reuse_settings({}).applies_to("offline")
    assert not pay_once.reuse_settings({"FEEDBACK_REUSE": "0"}).applies_to("anthropic")
    assert pay_once.reuse_settings({"FEEDBACK_REUSE_ENGINES": "offline"}).applies_to("offline")
    from feedback_assets.domain.normalize import conversation_from_row

    base = {
        "conversation_id": "1",
        "source": "jsonl",
        "created_at": datetime(2026, 1, 1, tzinfo=timezone.utc),
        "updated_at": datetime(2026, 1, 1, tzinfo=timezone.utc),
        "body": "hello there",
        "support_messages": ["reply"],
    }
    one = conversation_from_row(base)
    assert pay_once.classification_hash(one) == pay_once.classification_hash(
        conversation_from_row({**base, "conversation_id": "2", "updated_at": datetime(2026, 2, 1, tzinfo=timezone.utc)})
    )
    for change in ({"body": "hello there!"}, {"support_messages": ["reply", "more"]}, {"subject": "s"}):
        assert pay_once.classification_hash(conversation_from_row({**base, **change})) != pay_once.classification_hash(one)
    assert pay_once.classification_hash(one, "taxonomy-2") != pay_once.classification_hash(one, "taxonomy-1")
