"""Price table and cost estimate for Claude calls (USD per million tokens).

Defaults are the published Claude API list prices (checked 2026-11; Sonnet 5.5's cache-read price was cut to
$0.10 on 2026-10-07). They are configuration: pass ``prices={model: {...}}`` to ``AnthropicEngine`` to add a
model or override a rate. Cache writes are priced at the 5-minute TTL rate, which is what
``cache_control: {"type": "ephemeral"}`` buys. The Message Batches API halves every rate
(``BATCH_DISCOUNT``). Haiku 5.5 bills prompts above 100k tokens at a higher band; this engine's prompts are
far below that, so only the lower band is listed.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Mapping

from feedback_assets.domain.models import TokenUsage

PER_MILLION = 1_000_000
BATCH_DISCOUNT = 0.5
"""Message Batches requests cost this fraction of the interactive price."""


@dataclass(frozen=True)
class ModelPrice:
    """USD per million tokens for one model."""

    input: float
    output: float
    cache_read: float
    cache_write: float

    @classmethod
    def parse(cls, model: str, value: "ModelPrice | Mapping[str, Any]") -> "ModelPrice":
        """A ``ModelPrice`` from itself or a mapping of exactly the four rates (errors name the model)."""
        if isinstance(value, ModelPrice):
            return value
        if not isinstance(value, Mapping):
            raise ValueError(f"prices[{model!r}] must be a mapping of rates, not {type(value).__name__}")
        expected = {field.name for field in fields(cls)}
        missing, unknown = expected - set(value), set(value) - expected
        if missing or unknown:
            raise ValueError(
                f"prices[{model!r}] needs exactly the keys {sorted(expected)} (USD per million tokens); "
                f"missing {sorted(missing)}, unknown {sorted(unknown)}"
            )
        rates: dict[str, float] = {}
        for key in sorted(expected):
            rate = value[key]
            if isinstance(rate, bool) or not isinstance(rate, (int, float)) or rate < 0:
                raise ValueError(f"prices[{model!r}][{key!r}] must be a non-negative number, got {rate!r}")
            rates[key] = float(rate)
        return cls(**rates)


DEFAULT_PRICES: dict[str, ModelPrice] = {
    "claude-haiku-5-5": ModelPrice(input=0.10, output=0.50, cache_read=0.01, cache_write=0.125),
    "claude-sonnet-5-5": ModelPrice(input=2.00, output=10.00, cache_read=0.10, cache_write=2.50),
    "claude-sonnet-5": ModelPrice(input=2.00, output=10.00, cache_read=0.20, cache_write=2.50),
    "claude-opus-5-5": ModelPrice(input=4.00, output=20.00, cache_read=0.20, cache_write=5.00),
    "claude-sonnet-4-6": ModelPrice(input=3.00, output=15.00, cache_read=0.30, cache_write=3.75),
    "claude-haiku-4-5": ModelPrice(input=1.00, output=5.00, cache_read=0.10, cache_write=1.25),
}


def price_table(overrides: Mapping[str, "ModelPrice | Mapping[str, Any]"] | None) -> dict[str, ModelPrice]:
    """The default table with ``overrides`` (per model, all four rates) laid over it."""
    table = dict(DEFAULT_PRICES)
    for model, value in (overrides or {}).items():
        table[model] = ModelPrice.parse(model, value)
    return table


def usage_cost(
    price: ModelPrice,
    *,
    input_tokens: int,
    output_tokens: int,
    cache_read_tokens: int,
    cache_write_tokens: int,
    batch: bool = False,
) -> TokenUsage:
    """One call's tokens and estimated cost as a ``TokenUsage`` (``calls=1``)."""
    dollars = (
        input_tokens * price.input
        + output_tokens * price.output
        + cache_read_tokens * price.cache_read
        + cache_write_tokens * price.cache_write
    ) / PER_MILLION
    if batch:
        dollars *= BATCH_DISCOUNT
    return TokenUsage(
        calls=1,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        cache_read_tokens=cache_read_tokens,
        cache_write_tokens=cache_write_tokens,
        cost_usd=dollars,
    )
