"""What each Claude model accepts, so the engine only sends requests the real API takes.

One row per model of ``pricing.DEFAULT_PRICES`` (a test keeps the two tables in step). Columns:

- ``forced_tool``: accepts ``tool_choice`` of type ``tool``/``any``. Never together with thinking: the
  extended-thinking guide lists forced tool use as incompatible with thinking (400), so a forced tool is
  always sent with ``thinking: {"type": "disabled"}``, and only to models that accept that value.
- ``thinking_default``: ``"adaptive"`` when a request without a ``thinking`` field thinks anyway,
  ``"off"`` when it does not.
- ``can_disable_thinking``: accepts ``thinking: {"type": "disabled"}``.
- ``json_schema``: accepts structured outputs, ``output_config.format`` of type ``json_schema``.
- ``effort``: accepts ``output_config.effort``.
- ``cache_min_tokens``: the shortest prefix the prompt cache stores; a shorter one is silently not cached.

Sources (checked 2026-12 through the documentation search; third-party pages only where named):

- Thinking guide, platform.claude.com/docs/build-with-claude/thinking (+ extended-thinking "feature
  compatibility"): thinking is not compatible with forced tool use; ``{"type": "disabled"}`` turns
  thinking off "on models that accept that value".
- Sonnet 5.5 migration guide, platform.claude.com/docs/…/models/sonnet-5-5/migration-guide: five settings
  return 400, among them forced tool choice and ``thinking: {"type": "disabled"}``; a request without
  ``thinking`` runs adaptive thinking, "unlike Claude Sonnet 4.6 and earlier and Claude Haiku 4.5".
- Opus 5.5: migration guide as summarised by codersera.com and dev.to ("thinking can't be disabled,
  forced tool_choice returns 400, effort defaults to medium") and OpenRouter's Claude 5.5 migration page
  ("adaptive thinking runs by default" for all three 5.5 models, "512-token minimum cacheable prompt").
- Haiku 5.5 migration guide / "What's new in Claude Haiku 5.5": adaptive thinking with effort, on by
  default; its list of settings that now return 400 (budget_tokens, sampling parameters, prefill, old
  computer-use tool, edited history under replayed thinking) names neither forced tool choice nor
  disabled thinking. Minimum cacheable prompt 512 tokens (apidog.com comparison, OpenRouter).
- Models overview, platform.claude.com/docs/models/overview: Sonnet 5 "Adaptive", default effort high;
  Haiku 4.5 "Extended" thinking, effort "Not supported".
- Prompt-caching minimums: Haiku 4.5 4,096 (orq.ai and LiteLLM tables); Sonnet 4.6 2,048 (orq.ai; LiteLLM
  says 1,024 for Sonnet 4.x: the larger is kept); Sonnet 5 1,024 (LiteLLM).
- Structured outputs (``json_schema``): available on Sonnet/Haiku 4.5 and later (dust.tt list; Sonnet 4.6
  "requires structured outputs instead of answer prefills"); the Sonnet 5.5 guide points forced-tool users
  to it; Vercel AI SDK 4.0.94 switches Sonnet 5.5 / Opus 5.5 to native structured outputs.

Where the documentation is silent the row takes the option that cannot be refused:

- Sonnet 5: whether thinking runs without a ``thinking`` field and whether ``disabled`` is accepted was not
  found → treated as adaptive, not disableable, so no forced tool: JSON schema.
- Haiku 5.5: ``disabled`` is not listed as refused (see above) and a third-party release note reports it
  working → disableable; forced tool with thinking disabled (cheaper than thinking on a classification).
- A model not in this table (added through ``prices``): no forced tool, thinking assumed on and not
  disableable, JSON schema, no effort, largest cache minimum.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ThinkingDefault = Literal["off", "adaptive"]
THINKING_DISABLED = {"type": "disabled"}


@dataclass(frozen=True)
class ModelCapabilities:
    forced_tool: bool
    thinking_default: ThinkingDefault
    can_disable_thinking: bool
    json_schema: bool
    effort: bool
    cache_min_tokens: int
    confirmed: bool = True
    """False when a column rests on the conservative choice rather than the documentation."""

    @property
    def forced_tool_usable(self) -> bool:
        """A forced tool can be sent: the model takes it and thinking is off or can be turned off."""
        return self.forced_tool and (self.thinking_default == "off" or self.can_disable_thinking)


CAPABILITIES: dict[str, ModelCapabilities] = {
    "claude-haiku-5-5": ModelCapabilities(
        forced_tool=True, thinking_default="adaptive", can_disable_thinking=True, json_schema=True,
        effort=True, cache_min_tokens=512, confirmed=False,  # disabled-thinking: not refused, not stated
    ),
    "claude-sonnet-5-5": ModelCapabilities(
        forced_tool=False, thinking_default="adaptive", can_disable_thinking=False, json_schema=True,
        effort=True, cache_min_tokens=512,
    ),
    "claude-sonnet-5": ModelCapabilities(
        forced_tool=False, thinking_default="adaptive", can_disable_thinking=False, json_schema=True,
        effort=True, cache_min_tokens=1024, confirmed=False,  # thinking default / disable: docs silent
    ),
    "claude-opus-5-5": ModelCapabilities(
        forced_tool=False, thinking_default="adaptive", can_disable_thinking=False, json_schema=True,
        effort=True, cache_min_tokens=512,
    ),
    "claude-sonnet-4-6": ModelCapabilities(
        forced_tool=True, thinking_default="off", can_disable_thinking=True, json_schema=True,
        effort=True, cache_min_tokens=2048,
    ),
    "claude-haiku-4-5": ModelCapabilities(
        forced_tool=True, thinking_default="off", can_disable_thinking=True, json_schema=True,
        effort=False, cache_min_tokens=4096,
    ),
}

UNKNOWN_MODEL = ModelCapabilities(
    forced_tool=False, thinking_default="adaptive", can_disable_thinking=False, json_schema=True,
    effort=False, cache_min_tokens=4096, confirmed=False,
)


def capabilities(model: str) -> ModelCapabilities:
    """The model's row, or the conservative ``UNKNOWN_MODEL`` row."""
    return CAPABILITIES.get(model, UNKNOWN_MODEL)
