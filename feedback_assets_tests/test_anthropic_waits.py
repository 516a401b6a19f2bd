"""Bounded waits against the stub: a ``retry-after`` over the cap ends the call as a recorded failure at
once, a step deadline cancels in-flight calls and records the rest, and in batch mode a stop (or the
deadline) is seen within seconds even while the poll interval is long."""

from __future__ import annotations

import time
from datetime import datetime, timezone

import pytest

from feedback_assets.domain.models import Conversation
from feedback_assets.engines.anthropic import AnthropicEngine, EngineStopped
from feedback_assets_tests.fakes.anthropic_stub import AnthropicStub, Fault, rate_limited
from feedback_assets_tests.fakes.feedback_answers import feedback_responder

KEY = "sk-ant-stub-key-waits"
NOW = datetime(2026, 10, 1, tzinfo=timezone.utc)


def conversation(conversation_id: str, body: str = "The CSV export times out") -> Conversation:
    return Conversation(
        conversation_id=conversation_id, source="test", created_at=NOW, updated_at=NOW, body=body
    )


def make_engine(stub: AnthropicStub, **options) -> AnthropicEngine:
    return AnthropicEngine(
        api_key=KEY, base_url=stub.base_url, taxonomy={}, concurrency=2, timeout=10.0, **options
    )


def test_a_retry_after_beyond_the_cap_is_a_recorded_failure_at_once() -> None:
    long_wait = Fault(429, "rate_limit_error", "Number of requests has exceeded your rate limit", {"retry-after": "600"})
    with AnthropicStub(feedback_responder, api_key=KEY) as stub:
        stub.script(long_wait)
        engine = make_engine(stub, max_retry_wait=5.0)
        started = time.monotonic()
        result = engine.classify([conversation("c1"), conversation("c2", "Refund please")])
        elapsed = time.monotonic() - started
    assert elapsed < 3
    failed = [o for o in result.outcomes if o.error]
    assert len(failed) == 1
    error = failed[0].error
    assert "429 rate_limit_error" in error and "wait 600 s" in error
    assert "cap of 5 s (FEEDBACK_ANTHROPIC_MAX_RETRY_WAIT)" in error
    assert len(stub.message_requests) == 2  # the refused call was not retried
    assert engine.last_stats.failures == 1


def test_a_retry_after_within_the_cap_is_still_retried() -> None:
    with AnthropicStub(feedback_responder, api_key=KEY) as stub:
        stub.script(rate_limited(retry_after_ms=50))
        result = make_engine(stub, max_retry_wait=5.0).classify([conversation("c1")])
    assert not result.outcomes[0].error and len(stub.message_requests) == 2


def test_a_retry_after_past_the_step_deadline_is_not_waited_for() -> None:
    with AnthropicStub(feedback_responder, api_key=KEY) as stub:
        stub.script(Fault(529, "overloaded_error", "Overloaded", {"retry-after": "30"}))
        engine = make_engine(stub, max_retry_wait=60.0, step_deadline=10.0)
        started = time.monotonic()
        result = engine.classify([conversation("c1")])
    assert time.monotonic() - started < 3
    assert "before the step deadline (FEEDBACK_ANTHROPIC_STEP_DEADLINE)" in result.outcomes[0].error


def test_the_step_deadline_cancels_in_flight_calls_and_records_the_rest() -> None:
    items = [conversation(f"c{i}") for i in range(20)]
    with AnthropicStub(feedback_responder, api_key=KEY, latency=0.4) as stub:
        engine = make_engine(stub, step_deadline=1.0)
        started = time.monotonic()
        result = engine.classify(items)
        elapsed = time.monotonic() - started
        assert elapsed < 2.0
        done = [o for o in result.outcomes if not o.error]
        failed = [o for o in result.outcomes if o.error]
        assert 1 <= len(done) <= 6 and len(done) + len(failed) == 20
        assert all("deadline reached (1 s step deadline, FEEDBACK_ANTHROPIC_STEP_DEADLINE)" in o.error for o in failed)
        assert engine.last_stats.failures == len(failed) == engine.last_stats.deadline_failures
        # The deadline covers the engine's later calls too (one engine per step): nothing more is sent.
        sent = len(stub.message_requests)
        later = engine.classify([conversation("late")])
        assert later.outcomes[0].error and "deadline reached" in later.outcomes[0].error
        assert len(stub.message_requests) == sent


def test_a_stop_during_a_long_batch_poll_is_seen_within_seconds() -> None:
    with AnthropicStub(feedback_responder, api_key=KEY, batch_polls_before_end=10_000) as stub:
        asked = time.monotonic() + 0.5
        engine = make_engine(
            stub, mode="batches", batch_poll_interval=60.0, batch_poll_max_interval=120.0,
            should_stop=lambda: time.monotonic() > asked, stop_poll_interval=1.0,
        )
        with pytest.raises(EngineStopped, match="message batch"):
            engine.classify([conversation("c1")])
        seen = time.monotonic() - asked
        assert seen < 3
        assert any(r.path.endswith("/cancel") for r in stub.requests)


def test_the_step_deadline_ends_a_long_batch_and_records_its_entries() -> None:
    with AnthropicStub(feedback_responder, api_key=KEY, batch_polls_before_end=10_000) as stub:
        engine = make_engine(stub, mode="batches", batch_poll_interval=60.0, batch_poll_max_interval=120.0,
                             step_deadline=1.0)
        started = time.monotonic()
        result = engine.classify([conversation("c1"), conversation("c2")])
        assert time.monotonic() - started < 3
        assert all("deadline reached" in o.error for o in result.outcomes)
        assert engine.last_stats.deadline_failures == 2
        assert any(r.path.endswith("/cancel") for r in stub.requests)


@pytest.mark.parametrize(
    "options, message",
    [({"max_retry_wait": 0}, "max_retry_wait"), ({"step_deadline": -1}, "step_deadline")],
)
def test_bad_wait_options_name_the_option(options, message) -> None:
    with pytest.raises(ValueError, match=message):
        AnthropicEngine(api_key=KEY, taxonomy={}, **options)
