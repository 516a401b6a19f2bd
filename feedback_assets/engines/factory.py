"""Which engine a name means: the one place that knows the implementations (``base`` knows none of them,
so an implementation importing the interface never imports its siblings)."""

from __future__ import annotations

from typing import Any

from feedback_assets.engines.base import ENGINE_NAMES, Engine


def build_engine(name: str, **options: Any) -> Engine:
    """The engine called ``name`` with its options (unknown names fail with the list of known ones)."""
    if name == "offline":
        from feedback_assets.engines.offline import OfflineEngine

        return OfflineEngine(**options)
    if name == "anthropic":
        from feedback_assets.engines.anthropic import AnthropicEngine

        return AnthropicEngine(**options)
    raise ValueError(f"unknown engine {name!r}; choose one of {', '.join(ENGINE_NAMES)} (FEEDBACK_ENGINE)")
