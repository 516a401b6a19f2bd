"""The assets with the Claude engine, against the stub Messages API through the real SDK: the assets do
not change with the engine; usage and cost reach the metadata and pipeline_runs; a rejected key fails
the step at once without printing it; malformed answers become recorded failures."""

from __future__ import annotations

import re

import dagster as dg
import pytest

from feedback_assets.defs.resources import EngineSettings, PipelineSettings
from feedback_assets.defs.runs import reconcile_runs
from feedback_assets.storage import get_run, make_engine, read_partition
from feedback_assets_tests.dagster_helpers import check_results, definitions_for, execute, new_run
from feedback_assets_tests.fakes.anthropic_stub import Answer, AnthropicStub
from feedback_assets_tests.fakes.feedback_answers import (
    REVIEW_NAMES,
    answer_for,
    conversation_text,
    feedback_responder,
)

KEY = "sk-ant-stub-key-for-dagster-tests"


@pytest.fixture
def instance():
    with dg.instance_for_test() as instance:
        yield instance


def _defs(db_url, stub, key=KEY, **pipeline):
    return definitions_for(
        db_url,
        engines=EngineSettings(anthropic_api_key=key, anthropic_base_url=stub.base_url, concurrency=4),
        pipeline=PipelineSettings(**pipeline),
    )


def test_claude_engine_through_the_assets(db_url, tmp_path, instance):
    with AnthropicStub(feedback_responder, api_key=KEY) as stub:
        run = new_run(db_url, tmp_path, engine="anthropic")
        result = execute(_defs(db_url, stub), instance, run.partition_key)
        assert result.success
        assert stub.max_in_flight <= 4
    assert all(e.passed for e in check_results(result).values())
    engine = make_engine(db_url)
    rows = read_partition(engine, "classifications", run.id)
    assert rows and {row["engine"] for row in rows} == {"anthropic"}
    assert all(row["prompt_version"] and row["model"] for row in rows)
    settled = get_run(engine, run.id)
    assert settled.input_tokens > 0 and settled.output_tokens > 0 and settled.estimated_cost_usd > 0
    metadata = {
        e.asset_key.to_user_string(): e.step_materialization_data.materialization.metadata
        for e in result.get_asset_materialization_events()
    }
    assert metadata["classifications"]["llm_calls"].value > 0
    assert metadata["themes"]["estimated_cost_usd"].value > 0


def test_a_rejected_key_fails_the_step_at_once_without_printing_it(db_url, tmp_path, instance):
    with AnthropicStub(feedback_responder, api_key=KEY) as stub:
        run = new_run(db_url, tmp_path, engine="anthropic")
        result = execute(_defs(db_url, stub, key="sk-ant-wrong-secret-999"), instance, run.partition_key)
    assert not result.success
    failure = next(event for event in result.all_events if event.is_step_failure)
    message = failure.step_failure_data.error.message
    assert failure.step_key == "conversations"  # the preflight, before anything is fetched or written
    assert "ANTHROPIC_API_KEY" in message and "sk-ant-wrong-secret-999" not in message
    engine = make_engine(db_url)
    assert read_partition(engine, "conversations", run.id) == []
    assert read_partition(engine, "classifications", run.id) == []
    reconcile_runs(instance, engine)
    failed = get_run(engine, run.id)
    assert failed.status == "failed" and "ANTHROPIC_API_KEY" in failed.error


def out_of_enum_for_csv_reports(request):
    text = request.user_texts[0] if request.user_texts else ""
    if "garbled" in text or "Müller" in text:  # the CSV-export reports get an out-of-enum type, twice
        answer = answer_for(request)
        if "conversation_type" in answer:
            return Answer(payload={**answer, "conversation_type": "bug_report"})
    return feedback_responder(request)


def test_malformed_answers_become_recorded_failures_never_defaults(db_url, tmp_path, instance):
    responder = out_of_enum_for_csv_reports

    with AnthropicStub(responder, api_key=KEY) as stub:
        run = new_run(db_url, tmp_path, engine="anthropic")
        result = execute(_defs(db_url, stub, max_failure_share=0.5), instance, run.partition_key)
    assert result.success
    rows = read_partition(make_engine(db_url), "classifications", run.id)
    failed = [row for row in rows if row["error"]]
    assert len(failed) == 2
    assert all(row["final_type"] is None and row["stage1_type"] is None for row in failed)
    assert all("bug_report" in row["error"] for row in failed)
    assert check_results(result)["classifications_complete"].passed
    assert get_run(make_engine(db_url), run.id).failures_count == 2


def test_story_review_by_the_claude_engine_when_enabled(db_url, tmp_path, instance):
    with AnthropicStub(feedback_responder, api_key=KEY) as stub:
        run = new_run(db_url, tmp_path, engine="anthropic")
        result = execute(_defs(db_url, stub, review_stories=True), instance, run.partition_key)
        reviews = [r for r in stub.message_requests if "record_story_review" in str(r.body) or "StoryReview" in str(r.body)]
    assert result.success and reviews
    stories_metadata = next(
        e.step_materialization_data.materialization.metadata
        for e in result.get_asset_materialization_events()
        if e.asset_key.to_user_string() == "stories"
    )
    assert stories_metadata["story_review"].value == "on"
    assert all(e.passed for e in check_results(result).values())


def splitting_reviewer(request):
    """Answers every story review with a split: the group's first conversation apart from the rest."""
    if request.task_name in REVIEW_NAMES:
        ids = re.findall(r'<conversation id="([^"]+)"', conversation_text(request))
        return Answer({"decision": "split", "reason": "two causes", "groups": [ids[:1], ids[1:]]})
    return feedback_responder(request)


def test_a_review_that_splits_passes_every_check(db_url, tmp_path, instance):
    with AnthropicStub(splitting_reviewer, api_key=KEY) as stub:
        run = new_run(db_url, tmp_path, engine="anthropic")
        result = execute(_defs(db_url, stub, review_stories=True), instance, run.partition_key)
    assert result.success
    assert all(e.passed for e in check_results(result).values())
    engine = make_engine(db_url)
    stories = {row["issue_signature"]: row for row in read_partition(engine, "stories", run.id)}
    themes = read_partition(engine, "themes", run.id)
    parts = [signature for signature in stories if "_part" in signature]
    assert parts, "the split became stories of their own"
    for signature in parts:
        assert stories[signature]["conversation_count"] == sum(1 for t in themes if t["issue_signature"] == signature)
    themes_metadata = next(
        e.step_materialization_data.materialization.metadata
        for e in result.get_asset_materialization_events()
        if e.asset_key.to_user_string() == "themes"
    )
    assert "split into 2" in themes_metadata["review_notes"].value


def test_more_failures_than_the_allowed_share_fail_the_step_but_are_recorded(db_url, tmp_path, instance):
    with AnthropicStub(out_of_enum_for_csv_reports, api_key=KEY) as stub:
        run = new_run(db_url, tmp_path, engine="anthropic")
        result = execute(_defs(db_url, stub, max_failure_share=0.05), instance, run.partition_key)
    assert not result.success
    failure = next(event for event in result.all_events if event.is_step_failure)
    assert failure.step_key == "classifications"
    assert "2 of" in failure.step_failure_data.error.message and "max_failure_share 5%" in failure.step_failure_data.error.message
    rows = read_partition(make_engine(db_url), "classifications", run.id)
    assert sum(1 for row in rows if row["error"]) == 2 and len(rows) > 2  # nothing hidden


# ----- preflight and the shared cache prefix, through the assets --------------------------------------------


def _step_failure(result):
    return next(event for event in result.all_events if event.is_step_failure)


def test_no_key_fails_in_one_line_before_anything_is_fetched(db_url, tmp_path, instance):
    with AnthropicStub(feedback_responder, api_key=KEY) as stub:
        run = new_run(db_url, tmp_path, engine="anthropic")
        defs = definitions_for(
            db_url, engines=EngineSettings(anthropic_api_key=None, anthropic_base_url=stub.base_url)
        )
        result = execute(defs, instance, run.partition_key)
        assert not stub.requests  # not even a model check without a key
    failure = _step_failure(result)
    assert failure.step_key == "conversations"
    message = failure.step_failure_data.error.message
    assert "set ANTHROPIC_API_KEY" in message and len(message.strip().splitlines()) == 1
    assert read_partition(make_engine(db_url), "conversations", run.id) == []


def test_a_wrong_model_fails_before_ingest_naming_its_setting(db_url, tmp_path, instance):
    with AnthropicStub(feedback_responder, api_key=KEY) as stub:
        run = new_run(db_url, tmp_path, engine="anthropic")
        engines = EngineSettings(
            anthropic_api_key=KEY,
            anthropic_base_url=stub.base_url,
            stage2_model="claude-sonnet-9-9",
            prices_json='{"claude-sonnet-9-9": {"input": 3, "output": 15, "cache_read": 0.3, "cache_write": 3.75}}',
        )
        result = execute(definitions_for(db_url, engines=engines), instance, run.partition_key)
        assert not stub.message_requests
    failure = _step_failure(result)
    assert failure.step_key == "conversations"
    assert "model claude-sonnet-9-9 (FEEDBACK_STAGE2_MODEL) does not exist" in failure.step_failure_data.error.message
    assert read_partition(make_engine(db_url), "conversations", run.id) == []


def test_deprecation_is_in_the_log_and_the_metadata_and_cache_counts_are_per_stage(db_url, tmp_path, instance):
    info = {"claude-sonnet-5-5": {"lifecycle": "deprecated", "retires_at": "2027-06-01T00:00:00Z"}}
    with AnthropicStub(feedback_responder, api_key=KEY, model_info=info) as stub:
        run = new_run(db_url, tmp_path, engine="anthropic")
        result = execute(_defs(db_url, stub), instance, run.partition_key)
    assert result.success
    metadata = {
        e.asset_key.to_user_string(): e.step_materialization_data.materialization.metadata
        for e in result.get_asset_materialization_events()
    }
    notice = "claude-sonnet-5-5 (FEEDBACK_STAGE2_MODEL, FEEDBACK_THEME_MODEL) is deprecated"
    assert notice in metadata["conversations"]["engine_warnings"].value
    logs = [record.user_message for record in instance.all_logs(result.run_id)]
    assert any(notice in line for line in logs)
    classified, themed = metadata["classifications"], metadata["themes"]
    assert classified["cache_write_tokens_stage2"].value > 0 and classified["cache_read_tokens_stage2"].value > 0
    # Themes run on the same model with the same prefix: they read what stage 2 wrote, and write nothing.
    assert themed["cache_write_tokens_theme"].value == 0 and themed["cache_read_tokens_theme"].value > 0
    assert "stage" in themed["usage_by_stage"].value and themed["cache_prefix_padded"].value is False
