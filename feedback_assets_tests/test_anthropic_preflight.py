"""Preflight of the Claude engine against the stub's ``GET /v1/models/{id}``: key present, each distinct
model asked once, a wrong model or key named in one line, deprecations as warnings (never the key)."""

from __future__ import annotations

import datetime as dt

import pytest

from feedback_assets.engines.anthropic import lifecycle
from feedback_assets.engines.anthropic.preflight import PreflightSettings, preflight
from feedback_assets_tests.fakes.anthropic_stub import AnthropicStub
from feedback_assets_tests.fakes.feedback_answers import feedback_responder

KEY = "sk-ant-stub-key-preflight-42"
DEFAULTS = {
    "FEEDBACK_STAGE1_MODEL": "claude-haiku-5-5",
    "FEEDBACK_STAGE2_MODEL": "claude-sonnet-5-5",
    "FEEDBACK_THEME_MODEL": "claude-sonnet-5-5",
}
PRICE = {"input": 3, "output": 15, "cache_read": 0.3, "cache_write": 3.75}


def settings(stub: AnthropicStub, key: str | None = KEY, **models: str) -> PreflightSettings:
    return PreflightSettings(
        api_key=key,
        base_url=stub.base_url,
        models={**DEFAULTS, **models},
        prices={"claude-sonnet-9-9": PRICE},
    )


def model_calls(stub: AnthropicStub) -> list[str]:
    return [r.path for r in stub.requests if r.path.startswith("/v1/models/")]


def test_current_models_pass_with_one_call_per_distinct_model() -> None:
    with AnthropicStub(feedback_responder, api_key=KEY) as stub:
        report = preflight(settings(stub))
    assert report.ok and not report.warnings
    assert sorted(model_calls(stub)) == ["/v1/models/claude-haiku-5-5", "/v1/models/claude-sonnet-5-5"]
    assert report.calls == 2 and report.models == {"claude-haiku-5-5": "ok", "claude-sonnet-5-5": "ok"}
    assert not stub.message_requests  # no tokens spent


def test_a_missing_key_is_one_line_naming_the_setting_without_any_call() -> None:
    with AnthropicStub(feedback_responder, api_key=KEY) as stub:
        report = preflight(settings(stub, key="  "))
    assert not report.ok and report.errors == ["the anthropic engine needs an API key: set ANTHROPIC_API_KEY"]
    assert not stub.requests


def test_an_unknown_model_is_named_with_its_setting() -> None:
    with AnthropicStub(feedback_responder, api_key=KEY) as stub:
        report = preflight(settings(stub, FEEDBACK_STAGE2_MODEL="claude-sonnet-9-9"))
    assert not report.ok
    (error,) = report.errors
    assert error.startswith(
        "model claude-sonnet-9-9 (FEEDBACK_STAGE2_MODEL) does not exist: not_found_error: model: claude-sonnet-9-9"
    )
    assert "\n" not in report.summary()
    assert report.models["claude-sonnet-9-9"] == "missing" and report.models["claude-sonnet-5-5"] == "ok"


def test_a_rejected_key_names_the_setting_never_the_key_and_stops_asking() -> None:
    with AnthropicStub(feedback_responder, api_key=KEY) as stub:
        report = preflight(settings(stub, key="sk-ant-wrong-7777"))
    assert len(report.errors) == 1
    assert "ANTHROPIC_API_KEY" in report.errors[0] and "401" in report.errors[0]
    assert "sk-ant-wrong-7777" not in report.summary()
    assert len(model_calls(stub)) == 1


def test_an_unpriced_model_fails_before_any_work() -> None:
    with AnthropicStub(feedback_responder, api_key=KEY) as stub:
        report = preflight(settings(stub, FEEDBACK_THEME_MODEL="claude-opus-7"))
    assert any("claude-opus-7 (FEEDBACK_THEME_MODEL) has no price" in e for e in report.errors)


def test_deprecations_from_the_table_and_from_the_api_are_warnings(monkeypatch) -> None:
    monkeypatch.setitem(lifecycle.RETIREMENT_DATES, "claude-haiku-5-5", dt.date.today() + dt.timedelta(days=30))
    info = {"claude-sonnet-5-5": {"lifecycle": "deprecated", "deprecated_at": "2026-11-01T00:00:00Z",
                                  "retires_at": "2027-03-01T00:00:00Z"}}
    with AnthropicStub(feedback_responder, api_key=KEY, model_info=info) as stub:
        report = preflight(settings(stub))
    assert report.ok
    haiku, sonnet = report.warnings
    assert "claude-haiku-5-5 (FEEDBACK_STAGE1_MODEL) is deprecated and retires on" in haiku
    assert "claude-sonnet-5-5 (FEEDBACK_STAGE2_MODEL, FEEDBACK_THEME_MODEL)" in sonnet
    assert "retires on 2027-03-01" in sonnet


def test_a_retired_model_is_an_error_without_a_call(monkeypatch) -> None:
    monkeypatch.setitem(lifecycle.RETIREMENT_DATES, "claude-haiku-5-5", dt.date(2020, 1, 1))
    with AnthropicStub(feedback_responder, api_key=KEY) as stub:
        report = preflight(settings(stub))
    assert report.errors == ["model claude-haiku-5-5 (FEEDBACK_STAGE1_MODEL) was retired on 2020-01-01: choose a current model"]
    assert model_calls(stub) == ["/v1/models/claude-sonnet-5-5"]


def test_settings_from_the_environment() -> None:
    read = PreflightSettings.from_env({"ANTHROPIC_API_KEY": "k", "FEEDBACK_STAGE2_MODEL": "claude-sonnet-4-6"})
    assert read.api_key == "k" and read.base_url is None
    assert read.models == {**DEFAULTS, "FEEDBACK_STAGE2_MODEL": "claude-sonnet-4-6"}


@pytest.mark.parametrize("status", [404])
def test_the_stub_answers_models_retrieve_like_the_api(status: int) -> None:
    import anthropic

    with AnthropicStub(feedback_responder, api_key=KEY) as stub:
        client = anthropic.Anthropic(api_key=KEY, base_url=stub.base_url, max_retries=0)
        info = client.models.retrieve("claude-sonnet-5-5")
        assert info.type == "model" and info.id == "claude-sonnet-5-5" and info.lifecycle == "active"
        with pytest.raises(anthropic.NotFoundError) as raised:
            client.models.retrieve("claude-nope-1")
        assert raised.value.status_code == status
        assert raised.value.body["error"] == {"type": "not_found_error", "message": "model: claude-nope-1"}
