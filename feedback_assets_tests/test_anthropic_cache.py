"""One prompt-cache prefix for every stage: the breakpoint sits after the shared text, so stage 2, themes
and the story review (all on Sonnet) send byte-identical system blocks up to it and read one cache entry;
a prefix under the model's minimum is padded (and said so); reads and writes are counted per stage."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timezone

from feedback_assets.domain.models import Conversation, ThemeRequest
from feedback_assets.engines.anthropic import AnthropicEngine
from feedback_assets.engines.anthropic.cache import CHARS_PER_TOKEN
from feedback_assets_tests.fakes.anthropic_stub import AnthropicStub
from feedback_assets_tests.fakes.feedback_answers import feedback_responder

KEY = "sk-ant-stub-key-cache"
NOW = datetime(2026, 10, 1, tzinfo=timezone.utc)


def conversation(conversation_id: str, body: str, replies: tuple[str, ...] = ()) -> Conversation:
    return Conversation(
        conversation_id=conversation_id, source="test", created_at=NOW, updated_at=NOW, body=body,
        support_messages=list(replies),
    )


def cached_part(request) -> str:
    """The system blocks up to and including the (single) breakpoint, byte for byte."""
    blocks = request.body["system"]
    marked = [i for i, block in enumerate(blocks) if "cache_control" in block]
    assert len(marked) == 1
    return json.dumps(blocks[: marked[0] + 1])


def test_stage2_themes_and_review_share_one_cached_prefix_and_read_it_across_stages() -> None:
    items = [
        conversation(f"c{i}", "The CSV export times out", ("Known issue with large exports, fix next week.",))
        for i in range(3)
    ]
    with AnthropicStub(feedback_responder, api_key=KEY) as stub:
        engine = AnthropicEngine(api_key=KEY, base_url=stub.base_url, concurrency=1)  # bundled taxonomy
        engine.classify(items)
        themes = engine.extract_themes(
            [ThemeRequest(conversation=item, final_type="product_issue") for item in items]
        )
        engine.review_story("csv_export_timeout", [ThemeRequest(conversation=i, final_type="product_issue") for i in items])
        by_task = {}
        for request in stub.message_requests:
            by_task.setdefault(request.task_name, []).append(request)
    assert len(by_task) == 4, sorted(by_task)  # stage 1, stage 2, theme, review
    prefixes = {name: {cached_part(r) for r in requests} for name, requests in by_task.items()}
    assert all(len(p) == 1 for p in prefixes.values())
    assert len({next(iter(p)) for p in prefixes.values()}) == 1  # one prefix for every stage
    # ...and the task instructions come after the breakpoint, different per stage.
    tasks = {json.dumps(requests[0].body["system"][1:]) for requests in by_task.values()}
    assert len(tasks) == 4
    sonnet = [r for r in stub.message_requests if r.body["model"] == "claude-sonnet-5-5"]
    writes = [r for r in sonnet if r.response["usage"]["cache_creation_input_tokens"] > 0]
    assert len(writes) == 1  # the first Sonnet call (stage 2) writes; themes and review only read
    assert all(r.response["usage"]["cache_read_input_tokens"] > 0 for r in sonnet if r not in writes)
    by_stage = engine.usage_by_stage
    assert by_stage["stage2"]["cache_write_tokens"] > 0
    assert by_stage["theme"]["cache_write_tokens"] == 0 and by_stage["theme"]["cache_read_tokens"] > 0
    assert by_stage["story_review"]["cache_read_tokens"] > 0
    assert themes.usage.cache_write_tokens == 0
    assert engine.cache_prefix.padded is False


def test_a_prefix_under_the_models_minimum_is_padded_so_it_caches(caplog) -> None:
    small = {"product": "Tiny", "areas": []}
    with caplog.at_level(logging.WARNING), AnthropicStub(feedback_responder, api_key=KEY) as stub:
        engine = AnthropicEngine(
            api_key=KEY, base_url=stub.base_url, taxonomy=small, concurrency=1,
            stage1_model="claude-haiku-4-5",  # 4,096-token minimum
        )
        engine.classify([conversation(f"c{i}", "Refund please") for i in range(2)])
    prefix = engine.cache_prefix
    assert prefix.padded and prefix.minimum_tokens == 4096 and prefix.minimum_model == "claude-haiku-4-5"
    assert len(prefix.text) // CHARS_PER_TOKEN >= 4096
    assert "below claude-haiku-4-5's cache minimum of 4096 tokens: padded" in caplog.text
    first, second = stub.message_requests
    assert first.response["usage"]["cache_creation_input_tokens"] >= 4096
    assert second.response["usage"]["cache_read_input_tokens"] >= 4096
    assert not stub.refused
