"""Deprecated and retired Claude models: our shipped table decides, the warning is visible, defaults are current.

These tests read only the project's own table (``lifecycle.RETIREMENT_DATES``), never the SDK's private
data, so an SDK release cannot change their outcome.
"""

from __future__ import annotations

import datetime as dt
import logging
import subprocess
import sys
import warnings

import pytest

from feedback_assets.engines.anthropic import AnthropicEngine, lifecycle
from feedback_assets.engines.anthropic.engine import (
    DEFAULT_STAGE1_MODEL,
    DEFAULT_STAGE2_MODEL,
    DEFAULT_THEME_MODEL,
)
from feedback_assets.engines.anthropic.lifecycle import DeprecatedModelWarning, RetiredModelError

KEY = "sk-ant-stub-key-0123456789"
TAXONOMY = {"product": "Test", "areas": []}
TODAY = dt.date(2026, 12, 2)
TABLE = {"claude-old": dt.date(2027, 3, 1), "claude-gone": dt.date(2026, 1, 1)}
PRICE = {"input": 3, "output": 15, "cache_read": 0.3, "cache_write": 3.75}


def test_a_deprecated_model_warns_naming_the_model_the_option_and_the_date(caplog) -> None:
    caplog.set_level(logging.WARNING, logger=lifecycle.__name__)
    with pytest.warns(DeprecatedModelWarning) as caught:
        lifecycle.check_models(
            {"stage2_model": "claude-old", "theme_model": "claude-old", "stage1_model": "claude-new"},
            today=TODAY,
            retirement_dates=TABLE,
        )
    assert len(caught) == 1
    message = str(caught[0].message)
    assert "'claude-old' (stage2_model, theme_model)" in message and "2027-03-01" in message
    assert caplog.messages == [message]


def test_the_warning_is_shown_by_pythons_default_filters() -> None:
    script = (
        "import datetime as dt\n"
        "from feedback_assets.engines.anthropic.lifecycle import check_models\n"
        "check_models({'stage1_model': 'claude-old'}, today=dt.date(2026, 12, 2),\n"
        "             retirement_dates={'claude-old': dt.date(2027, 3, 1)})\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, env={"PATH": ""}
    )
    assert "DeprecatedModelWarning: model 'claude-old' (stage1_model) is deprecated" in done.stderr


def test_retired_models_are_refused_all_named_without_a_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(RetiredModelError) as raised:
            lifecycle.check_models(
                {"stage1_model": "claude-gone", "review_model": "claude-gone"},
                today=TODAY,
                retirement_dates=TABLE,
            )
    assert "'claude-gone' (stage1_model, review_model) was retired on 2026-01-01" in str(raised.value)


def test_the_retirement_day_itself_is_retired() -> None:
    with pytest.raises(RetiredModelError):
        lifecycle.check_models(
            {"stage1_model": "claude-old"}, today=dt.date(2027, 3, 1), retirement_dates=TABLE
        )


def test_the_defaults_are_current() -> None:
    for model in (DEFAULT_STAGE1_MODEL, DEFAULT_STAGE2_MODEL, DEFAULT_THEME_MODEL):
        assert model not in lifecycle.RETIREMENT_DATES
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        AnthropicEngine(api_key=KEY, taxonomy=TAXONOMY)


def test_the_engine_refuses_a_model_retired_in_the_shipped_table() -> None:
    # Sonnet 4.5 retired on 2026-11-30 (SDK 2.15 dropped it from its own deprecated list that day).
    with pytest.raises(RetiredModelError, match="'claude-sonnet-4-5' \\(stage2_model\\)"):
        AnthropicEngine(
            api_key=KEY, taxonomy=TAXONOMY, stage2_model="claude-sonnet-4-5", prices={"claude-sonnet-4-5": PRICE}
        )


def test_the_engine_warns_for_a_model_the_table_marks_deprecated(monkeypatch) -> None:
    monkeypatch.setitem(lifecycle.RETIREMENT_DATES, "claude-sonnet-4-6", dt.date(2999, 1, 1))
    with pytest.warns(DeprecatedModelWarning, match="'claude-sonnet-4-6' \\(theme_model, review_model\\)"):
        AnthropicEngine(api_key=KEY, taxonomy=TAXONOMY, theme_model="claude-sonnet-4-6")
