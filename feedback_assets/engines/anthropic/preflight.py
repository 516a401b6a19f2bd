"""Preflight of the Claude engine: the checks that must pass before a run fetches or writes anything.

``preflight(settings)`` checks, in this order, and reports every problem as one line naming the setting to
change (never the key itself):

1. the API key is present (``ANTHROPIC_API_KEY``) — without one nothing else is checked;
2. each configured model has a price (else the engine refuses it later, after ingest);
3. each configured model is not retired (``lifecycle.RETIREMENT_DATES``; deprecated → a warning);
4. each *distinct* model exists for this key: one ``client.models.retrieve(model)`` per model (the cheap
   call the documentation recommends; no tokens are spent). 404 → "model X (FEEDBACK_STAGE1_MODEL) does not
   exist: …"; 401/403 → the key setting, and no further model is asked; the API's own ``lifecycle`` /
   ``retires_at`` fields add a deprecation warning the shipped table may not know yet.

Errors make ``PreflightReport.ok`` false; warnings (deprecations) never fail a run but belong in the log and
the step metadata. The Dagster ``conversations`` asset calls it first for runs on the Claude engine
(``defs.common.preflight_engine``); a CLI can call ``preflight(PreflightSettings.from_env())`` before it
creates a run.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from typing import Any, Mapping

import anthropic

from feedback_assets.engines.anthropic import lifecycle
from feedback_assets.engines.anthropic.errors import API_KEY_SETTING
from feedback_assets.engines.anthropic.pricing import ModelPrice, price_table
from feedback_assets.engines.anthropic.runner import _api_error_text, _redact, auth_error, describe_failure

MODEL_SETTINGS: tuple[tuple[str, str], ...] = (
    ("stage1_model", "FEEDBACK_STAGE1_MODEL"),
    ("stage2_model", "FEEDBACK_STAGE2_MODEL"),
    ("theme_model", "FEEDBACK_THEME_MODEL"),
)
"""Engine option → the environment setting that chooses it (the review model is the theme model)."""
PREFLIGHT_TIMEOUT_SECONDS = 15.0
PREFLIGHT_MAX_RETRIES = 2


@dataclass(frozen=True)
class PreflightSettings:
    api_key: str | None
    models: Mapping[str, str]
    """Setting name (``FEEDBACK_STAGE1_MODEL``…) → model id; several settings may name one model."""
    base_url: str | None = None
    prices: Mapping[str, ModelPrice | Mapping[str, Any]] | None = None
    timeout: float = PREFLIGHT_TIMEOUT_SECONDS
    max_retries: int = PREFLIGHT_MAX_RETRIES

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "PreflightSettings":
        """The settings the engine would use, read from the environment (defaults for unset models)."""
        import json

        from feedback_assets.engines.anthropic.engine import (
            DEFAULT_STAGE1_MODEL,
            DEFAULT_STAGE2_MODEL,
            DEFAULT_THEME_MODEL,
        )

        env = os.environ if environ is None else environ
        defaults = {
            "FEEDBACK_STAGE1_MODEL": DEFAULT_STAGE1_MODEL,
            "FEEDBACK_STAGE2_MODEL": DEFAULT_STAGE2_MODEL,
            "FEEDBACK_THEME_MODEL": DEFAULT_THEME_MODEL,
        }
        prices = env.get("FEEDBACK_ANTHROPIC_PRICES")
        return cls(
            api_key=env.get(API_KEY_SETTING),
            base_url=env.get("ANTHROPIC_BASE_URL") or None,
            models={setting: env.get(setting) or default for setting, default in defaults.items()},
            prices=json.loads(prices) if prices else None,
        )


@dataclass
class PreflightReport:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    models: dict[str, str] = field(default_factory=dict)
    """Model id → what the check found (``ok``, ``deprecated``, ``missing``, ``retired``, ``unchecked``)."""
    calls: int = 0
    """``models.retrieve`` calls made (one per distinct model at most)."""

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        """One line: every error, or ``ok`` with the models checked."""
        if self.errors:
            return "; ".join(self.errors)
        return "ok: " + ", ".join(f"{model} {state}" for model, state in sorted(self.models.items()))


def _settings_by_model(models: Mapping[str, str]) -> dict[str, list[str]]:
    by_model: dict[str, list[str]] = {}
    for setting, model in models.items():
        by_model.setdefault(model, []).append(setting)
    return by_model


def _one_line(text: str) -> str:
    return " ".join(text.split())


def preflight(settings: PreflightSettings, *, today: dt.date | None = None) -> PreflightReport:
    """Check the key and every configured model before any work (see the module docstring)."""
    report = PreflightReport()
    key = (settings.api_key or "").strip()
    if not key:
        report.errors.append(f"the anthropic engine needs an API key: set {API_KEY_SETTING}")
        return report
    today = today or dt.date.today()
    prices = price_table(settings.prices)
    to_ask: list[tuple[str, str]] = []
    for model, names in sorted(_settings_by_model(settings.models).items()):
        chosen_by = ", ".join(names)
        if not isinstance(model, str) or not model.strip():
            report.errors.append(f"no model id in {chosen_by}")
            continue
        if model not in prices:
            report.errors.append(
                f"model {model} ({chosen_by}) has no price: add it to FEEDBACK_ANTHROPIC_PRICES "
                "({model: {input, output, cache_read, cache_write}} in USD per million tokens)"
            )
        retires = lifecycle.RETIREMENT_DATES.get(model)
        if retires is not None and retires <= today:
            report.models[model] = "retired"
            report.errors.append(
                f"model {model} ({chosen_by}) was retired on {retires.isoformat()}: choose a current model"
            )
            continue
        if retires is not None:
            report.models[model] = "deprecated"
            report.warnings.append(
                f"model {model} ({chosen_by}) is deprecated and retires on {retires.isoformat()}: "
                "choose a current model before then"
            )
        to_ask.append((model, chosen_by))

    with anthropic.Anthropic(
        api_key=key, base_url=settings.base_url, timeout=settings.timeout, max_retries=settings.max_retries
    ) as client:
        for model, chosen_by in to_ask:
            report.calls += 1
            try:
                info = client.models.retrieve(model)
            except (anthropic.AuthenticationError, anthropic.PermissionDeniedError) as error:
                report.errors.append(_one_line(str(auth_error(error, key))))
                for rest, _ in to_ask:
                    report.models.setdefault(rest, "unchecked")
                break
            except anthropic.NotFoundError as error:
                report.models[model] = "missing"
                detail = _redact(_api_error_text(error), key)
                report.errors.append(_one_line(f"model {model} ({chosen_by}) does not exist: {detail}"))
                continue
            except anthropic.APIError as error:
                report.models[model] = "unchecked"
                detail = describe_failure(
                    error, max_retries=settings.max_retries, timeout=settings.timeout, secret=key
                )
                report.errors.append(_one_line(f"could not check model {model} ({chosen_by}): {detail}"))
                continue
            _api_lifecycle(report, model, chosen_by, info)
    return report


def _api_lifecycle(report: PreflightReport, model: str, chosen_by: str, info: Any) -> None:
    """The API's own view of the model (``lifecycle``, ``retires_at``), added to the shipped table's."""
    state = getattr(info, "lifecycle", None) or "active"
    retires_at = getattr(info, "retires_at", None)
    when = f" on {retires_at.date().isoformat()}" if retires_at else ""
    if state == "retired":
        report.models[model] = "retired"
        report.errors.append(f"model {model} ({chosen_by}) is retired (the API says so): choose a current model")
    elif state == "deprecated":
        if report.models.get(model) != "deprecated":  # not already announced from the shipped table
            report.warnings.append(
                f"model {model} ({chosen_by}) is deprecated (the API says so) and retires{when or ' soon'}: "
                "choose a current model before then"
            )
        report.models[model] = "deprecated"
    else:
        report.models.setdefault(model, "ok")
