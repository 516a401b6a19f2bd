"""The Claude engine held to the real API's contract (issue 12): per-model capabilities, requests the strict
stub accepts for every priced model, Message Batches under the count and size caps, ``max_tokens`` cut-offs,
and random schema-valid answers that never fail a conversation."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

import anthropic
import pytest

from feedback_assets.domain.models import Conversation, ThemeRequest
from feedback_assets.engines.anthropic import DEFAULT_PRICES, AnthropicEngine
from feedback_assets.engines.anthropic.batches import ENVELOPE_BYTES, entry_size, split_entries
from feedback_assets.engines.anthropic.capabilities import CAPABILITIES, UNKNOWN_MODEL, capabilities
from feedback_assets.engines.anthropic.structured import resolve_strategy
from feedback_assets_tests.fakes.anthropic_stub import (
    MODELS,
    AnthropicStub,
    Answer,
    StubModel,
    random_responder,
)
from feedback_assets_tests.fakes.feedback_answers import feedback_responder

KEY = "sk-ant-stub-key-contract"
TAXONOMY = {"product": "Crewline", "areas": [{"name": "reporting", "components": [{"name": "csv_export"}]}]}
NOW = datetime(2026, 10, 1, tzinfo=timezone.utc)


def conversation(conversation_id: str, body: str, replies: tuple[str, ...] = ()) -> Conversation:
    return Conversation(
        conversation_id=conversation_id,
        source="test",
        created_at=NOW,
        updated_at=NOW,
        body=body,
        support_messages=list(replies),
    )


def make_engine(stub: AnthropicStub, **options: Any) -> AnthropicEngine:
    settings: dict[str, Any] = {
        "api_key": KEY,
        "base_url": stub.base_url,
        "taxonomy": TAXONOMY,
        "concurrency": 8,
        "timeout": 5.0,
        "max_retries": 0,
    }
    settings.update(options)
    return AnthropicEngine(**settings)


def batch_options(**extra: Any) -> dict[str, Any]:
    return {"mode": "batches", "batch_poll_interval": 0.01, "batch_poll_max_interval": 0.02, **extra}


# ----- capability table -------------------------------------------------------------------------------------


def test_the_capability_table_covers_every_priced_model() -> None:
    assert set(CAPABILITIES) == set(DEFAULT_PRICES) == set(MODELS)
    assert capabilities("claude-new-9") is UNKNOWN_MODEL
    # Opus 5.5 and Sonnet 5.5 refuse forced tools; a model that cannot turn thinking off never gets one.
    assert {m for m, c in CAPABILITIES.items() if not c.forced_tool} >= {"claude-opus-5-5", "claude-sonnet-5-5"}
    for model, caps in CAPABILITIES.items():
        expected = "tool" if caps.forced_tool_usable else "json_schema"
        assert resolve_strategy("auto", model) == expected, model
    assert resolve_strategy("auto", "claude-new-9") == "json_schema"
    with pytest.raises(ValueError, match="structured_output='tool' is refused by claude-opus-5-5"):
        resolve_strategy("tool", "claude-opus-5-5")


@pytest.mark.parametrize("model", sorted(DEFAULT_PRICES))
def test_every_priced_model_gets_requests_the_strict_stub_accepts(model: str) -> None:
    with AnthropicStub(feedback_responder, api_key=KEY) as stub:
        engine = make_engine(stub, stage1_model=model, stage2_model=model, theme_model=model, effort="low")
        item = conversation("c1", "My dashboard crashes", ("This is a known bug.",))
        result = engine.classify([item])
        themes = engine.extract_themes([ThemeRequest(conversation=item, final_type="product_issue")])

    assert not stub.refused, [fault.message for _, fault in stub.refused]
    assert result.outcomes[0].error is None and themes.outcomes[0].error is None
    caps = capabilities(model)
    for request in stub.message_requests:
        forced = (request.body.get("tool_choice") or {}).get("type") == "tool"
        assert forced == caps.forced_tool_usable
        if forced:
            assert request.body["thinking"] == {"type": "disabled"}
        assert ("effort" in request.body.get("output_config", {})) == caps.effort


# ----- the strict stub --------------------------------------------------------------------------------------


def _create(client: anthropic.Anthropic, **params: Any) -> Any:
    base = {"max_tokens": 100, "messages": [{"role": "user", "content": "hi"}]}
    return client.messages.create(**{**base, **params})


FORCED = {
    "tools": [{"name": "t", "input_schema": {"type": "object", "properties": {}}}],
    "tool_choice": {"type": "tool", "name": "t"},
}


def test_the_stub_refuses_what_the_api_refuses() -> None:
    with AnthropicStub(feedback_responder, api_key=KEY) as stub:
        client = anthropic.Anthropic(api_key=KEY, base_url=stub.base_url, max_retries=0)
        with pytest.raises(anthropic.NotFoundError) as missing:
            _create(client, model="claude-haiku-9-9")
        assert missing.value.body["error"] == {"type": "not_found_error", "message": "model: claude-haiku-9-9"}

        cases = [
            ({"model": "claude-haiku-5-5", **FORCED}, "Thinking may not be enabled"),  # adaptive by default
            ({"model": "claude-haiku-5-5", "thinking": {"type": "adaptive"}, **FORCED}, "Thinking may not"),
            ({"model": "claude-sonnet-5-5", "thinking": {"type": "disabled"}, **FORCED}, "thinking.type.disabled"),
            ({"model": "claude-opus-5-5", **FORCED}, 'tool_choice: type "tool" and "any" are not supported'),
            ({"model": "claude-haiku-4-5", "output_config": {"effort": "low"}}, "effort"),
        ]
        for params, message in cases:
            with pytest.raises(anthropic.BadRequestError) as refused:
                _create(client, **params)
            assert refused.value.body["error"]["type"] == "invalid_request_error"
            assert message in refused.value.body["error"]["message"]
        # Accepted: a forced tool with thinking disabled where allowed, or on a model that does not think.
        stub.script(Answer({}), Answer({}))
        _create(client, model="claude-haiku-5-5", thinking={"type": "disabled"}, **FORCED)
        _create(client, model="claude-haiku-4-5", **FORCED)
        assert len(stub.refused) == 6


def test_an_unknown_model_is_a_recorded_404_per_conversation_never_a_crash() -> None:
    price = {"input": 1.0, "output": 1.0, "cache_read": 0.1, "cache_write": 1.0}
    with AnthropicStub(feedback_responder, api_key=KEY) as stub:
        engine = make_engine(stub, stage1_model="claude-haiku-9-9", prices={"claude-haiku-9-9": price})
        result = engine.classify([conversation("c1", "Refund please")])
    assert "API error 404 not_found_error: model: claude-haiku-9-9" in result.outcomes[0].error
    assert engine.last_stats.failures == 1


def test_thinking_blocks_come_only_with_thinking_and_cache_needs_the_model_minimum() -> None:
    tiny_cache = {**MODELS, "claude-haiku-5-5": StubModel(True, True, True, True, 10_000_000)}
    with AnthropicStub(feedback_responder, api_key=KEY, models=tiny_cache) as stub:
        make_engine(stub).classify([conversation(f"c{i}", "Refund please") for i in range(2)])
    for request in stub.message_requests:
        usage = request.response["usage"]
        assert usage["cache_creation_input_tokens"] == usage["cache_read_input_tokens"] == 0
        assert usage["input_tokens"] > 1000  # the uncached prefix is billed as input


# ----- max_tokens -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("model", ["claude-haiku-5-5", "claude-sonnet-5-5"])  # forced tool / JSON schema
def test_an_answer_cut_off_at_max_tokens_is_a_recorded_failure_with_a_clear_error(model: str) -> None:
    with AnthropicStub(feedback_responder, api_key=KEY) as stub:
        engine = make_engine(stub, stage1_model=model, max_tokens=20)
        result = engine.classify([conversation("c1", "Refund please"), conversation("c2", "How do I export?")])
    assert [r.response["stop_reason"] for r in stub.message_requests] == ["max_tokens"] * 4
    for outcome in result.outcomes:
        assert outcome.stage1 is None
        assert outcome.error == (
            "stage1: invalid answer after one corrective retry: the answer was cut off at max_tokens=20 "
            "(thinking counts toward it); answer more briefly"
        )


# ----- random schema-valid answers --------------------------------------------------------------------------


def test_200_conversations_with_random_schema_valid_answers_never_fail() -> None:
    items = [
        conversation(f"c{i}", f"Message {i} about exports", ("Support replied.",) if i % 2 else ())
        for i in range(200)
    ]
    with AnthropicStub(random_responder(seed=12), api_key=KEY) as stub:
        engine = make_engine(stub)
        result = engine.classify(items)
        themes = engine.extract_themes(
            [ThemeRequest(conversation=item, final_type="product_issue") for item in items[:50]]
        )

    assert [o.error for o in result.outcomes if o.error] == []
    assert [o.error for o in themes.outcomes if o.error] == []
    changed = [o.stage2 for o in result.outcomes if o.stage2]
    assert len(changed) == 100
    by_id = {o.conversation_id: o for o in result.outcomes}
    assert all(
        o.stage2.changed_from_stage1 == (o.stage2.conversation_type != o.stage1.conversation_type)
        for o in by_id.values()
        if o.stage2
    )
    assert any(s.changed_from_stage1 for s in changed) and not all(s.changed_from_stage1 for s in changed)
    assert not stub.refused and not any(r.is_corrective for r in stub.message_requests)


# ----- Message Batches caps ---------------------------------------------------------------------------------


def test_split_entries_respects_count_and_bytes() -> None:
    entries = [{"custom_id": f"r{i}", "params": {"text": "x" * (100 + i)}} for i in range(10)]
    sizes = [entry_size(entry) for entry in entries]
    cap = ENVELOPE_BYTES + sum(sizes[:3])
    batches, oversized = split_entries(entries, max_requests=4, max_bytes=cap)
    assert not oversized and [e for batch in batches for e in batch] == entries
    assert all(len(batch) <= 4 for batch in batches)
    assert all(ENVELOPE_BYTES + sum(map(entry_size, batch)) <= cap for batch in batches)
    assert len(json.dumps({"requests": batches[0]}).encode()) <= cap

    batches, oversized = split_entries(entries, max_requests=100, max_bytes=ENVELOPE_BYTES + sizes[0])
    assert [e["custom_id"] for e in oversized] == [f"r{i}" for i in range(1, 10)]


def test_batches_are_split_by_count_so_the_stub_never_refuses_one() -> None:
    items = [conversation(f"c{i}", "Refund please", ("Done.",) if i < 2 else ()) for i in range(7)]
    with AnthropicStub(feedback_responder, api_key=KEY, batch_max_requests=3) as stub:
        engine = make_engine(stub, **batch_options(batch_max_requests=3))
        result = engine.classify(items)
    assert not stub.refused and engine.last_stats.failures == 0
    assert engine.last_stats.batches == 3 + 1  # round 1: 3+3+1, round 2: the two stage-2 requests
    assert all(o.error is None for o in result.outcomes)


def test_batches_are_split_by_bytes_so_the_stub_never_refuses_one() -> None:
    items = [conversation(f"c{i}", "Refund please") for i in range(6)]
    with AnthropicStub(feedback_responder, api_key=KEY) as probe:
        make_engine(probe, **batch_options()).classify(items[:1])
        one_entry = len(json.dumps(probe.batch_entries[0].body))  # params only; entries add a custom_id
    cap = 3 * one_entry  # room for two entries per batch, not three
    with AnthropicStub(feedback_responder, api_key=KEY, batch_max_bytes=cap) as stub:
        engine = make_engine(stub, **batch_options(batch_max_bytes=cap))
        result = engine.classify(items)
    assert not stub.refused and all(o.error is None for o in result.outcomes)
    assert engine.last_stats.batches == 3
    creates = [r for r in stub.requests if r.path == "/v1/messages/batches" and r.method == "POST"]
    assert all(int(r.headers["content-length"]) <= cap for r in creates)


def test_a_batch_over_the_stub_caps_is_refused_and_recorded() -> None:
    items = [conversation(f"c{i}", "Refund please") for i in range(4)]
    with AnthropicStub(feedback_responder, api_key=KEY, batch_max_requests=2) as stub:
        engine = make_engine(stub, **batch_options(batch_max_requests=4))  # an engine that ignores the cap
        result = engine.classify(items)
    assert len(stub.refused) == 1 and engine.last_stats.failures == 4
    assert all(
        "batch submission failed: API error 400 invalid_request_error: requests: a message batch holds at "
        "most 2 requests" in o.error
        for o in result.outcomes
    )


def test_an_entry_larger_than_the_size_cap_fails_alone() -> None:
    items = [conversation("small", "Refund please"), conversation("huge", "Refund please " + "x" * 3000)]
    with AnthropicStub(feedback_responder, api_key=KEY) as probe:
        make_engine(probe, **batch_options()).classify(items[:1])
        cap = len(json.dumps(probe.batch_entries[0].body)) + 500
    with AnthropicStub(feedback_responder, api_key=KEY, batch_max_bytes=cap) as stub:
        engine = make_engine(stub, **batch_options(batch_max_bytes=cap))
        small, huge = engine.classify(items).outcomes
    assert small.error is None and not stub.refused
    assert huge.error.startswith("stage1: request of ") and "larger than the batch size cap" in huge.error
