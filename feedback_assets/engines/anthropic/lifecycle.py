"""Claude model ids Anthropic has deprecated or retired, and what the engine does about a configured one.

The table is ours, shipped with the project: the SDK's own list is private (``anthropic._data``) and
changes between releases (2.15 dropped Sonnet 4.5 the day it retired), so neither the engine nor its tests
read it. Source: Anthropic's public "Model deprecations" page (platform documentation, "Model status"
table), checked 2026-12-02; update the table when that page changes.

A configured model that is deprecated warns with ``DeprecatedModelWarning`` — a ``UserWarning``, which
Python's default filters show, unlike the SDK's ``DeprecationWarning`` — and in the log. A model past its
retirement date is refused before any call: every request to it would fail.
"""

from __future__ import annotations

import datetime as dt
import logging
import warnings
from typing import Iterable, Mapping

log = logging.getLogger(__name__)

RETIREMENT_DATES: dict[str, dt.date] = {
    "claude-3-5-sonnet-20240620": dt.date(2025, 10, 22),
    "claude-3-5-sonnet-20241022": dt.date(2025, 10, 22),
    "claude-3-7-sonnet-20250219": dt.date(2026, 2, 19),
    "claude-3-7-sonnet-latest": dt.date(2026, 2, 19),
    "claude-sonnet-4-0": dt.date(2026, 6, 15),
    "claude-sonnet-4-20250514": dt.date(2026, 6, 15),
    "claude-opus-4-0": dt.date(2026, 6, 15),
    "claude-opus-4-20250514": dt.date(2026, 6, 15),
    "claude-mythos-preview": dt.date(2026, 6, 30),
    "claude-sonnet-4-5": dt.date(2026, 11, 30),
    "claude-sonnet-4-5-20250929": dt.date(2026, 11, 30),
    "claude-opus-4-5": dt.date(2027, 1, 22),
    "claude-opus-4-5-20251101": dt.date(2027, 1, 22),
}
"""Model id → the day requests to it start failing (deprecated before it, retired from it on)."""


class DeprecatedModelWarning(UserWarning):
    """A configured Claude model is deprecated: it still answers, until its retirement date."""


class RetiredModelError(ValueError):
    """A configured Claude model is retired: every request to it fails."""


def check_models(
    models: Mapping[str, str],
    *,
    today: dt.date | None = None,
    retirement_dates: Mapping[str, dt.date] | None = None,
) -> None:
    """Warn for each deprecated model and raise ``RetiredModelError`` naming every retired one.

    ``models`` maps the option that chose a model (``stage1_model``…) to its id, so messages name the
    setting to change. ``today`` and ``retirement_dates`` default to the real date and the shipped table.
    """
    today = today or dt.date.today()
    table = RETIREMENT_DATES if retirement_dates is None else retirement_dates
    retired: list[str] = []
    for model, options in sorted(_options_by_model(models.items()).items()):
        retires = table.get(model)
        if retires is None:
            continue
        chosen_by = ", ".join(options)
        if retires <= today:
            retired.append(f"{model!r} ({chosen_by}) was retired on {retires.isoformat()}")
            continue
        message = (
            f"model {model!r} ({chosen_by}) is deprecated and retires on {retires.isoformat()}: "
            "choose a current model before then"
        )
        log.warning(message)
        warnings.warn(message, DeprecatedModelWarning, stacklevel=3)
    if retired:
        raise RetiredModelError(
            f"{'; '.join(retired)}: requests to a retired model fail; choose a current model "
            "(the engine's defaults are current)"
        )


def _options_by_model(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    by_model: dict[str, list[str]] = {}
    for option, model in pairs:
        by_model.setdefault(model, []).append(option)
    return by_model
