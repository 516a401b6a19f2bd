"""The production engine: Claude through the official ``anthropic`` SDK (``AnthropicEngine``).

Selected with ``FEEDBACK_ENGINE=anthropic`` through ``feedback_assets.engines.build_engine``. Modules:
``engine`` (the class), ``options`` (its options checked), ``prompts`` (wording, ``PROMPT_VERSION``),
``structured`` (answer schemas, validation, corrective retry), ``tasks`` (the four answers, fields derived in
code), ``capabilities`` (what each model accepts), ``runner`` (bounded concurrency, faults), ``batches``
(Message Batches under the count and size caps), ``pricing`` (price table, cost), ``lifecycle`` (deprecated
and retired models), ``errors`` (``EngineAuthError``, ``EngineStopped``), ``preflight`` (key, prices, models
exist, deprecations — before any work), ``waits`` (retry-wait cap, step deadline), ``cache`` (one cache
prefix shared by every stage, padded to the model's minimum).
"""

from feedback_assets.engines.anthropic.engine import (
    DEFAULT_CONCURRENCY,
    DEFAULT_STAGE1_MODEL,
    DEFAULT_STAGE2_MODEL,
    DEFAULT_THEME_MODEL,
    DEFAULT_TIMEOUT_SECONDS,
    AnthropicEngine,
)
from feedback_assets.engines.anthropic.errors import API_KEY_SETTING, EngineAuthError, EngineStopped
from feedback_assets.engines.anthropic.pricing import DEFAULT_PRICES, ModelPrice
from feedback_assets.engines.anthropic.prompts import PROMPT_VERSION
from feedback_assets.engines.anthropic.runner import RunStats

__all__ = [
    "API_KEY_SETTING",
    "DEFAULT_CONCURRENCY",
    "DEFAULT_PRICES",
    "DEFAULT_STAGE1_MODEL",
    "DEFAULT_STAGE2_MODEL",
    "DEFAULT_THEME_MODEL",
    "DEFAULT_TIMEOUT_SECONDS",
    "PROMPT_VERSION",
    "AnthropicEngine",
    "EngineAuthError",
    "EngineStopped",
    "ModelPrice",
    "RunStats",
]
