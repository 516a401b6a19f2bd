"""Validation of ``AnthropicEngine``'s options, before any key, client or price is used: a bad value is a
``ValueError`` naming the option, what it must be and what it got."""

from __future__ import annotations

from typing import Any, Callable

from feedback_assets.engines.anthropic.batches import API_MAX_BYTES
from feedback_assets.engines.anthropic.structured import STRUCTURED_OUTPUT_OPTIONS

MODES = ("messages", "batches")
EFFORT_LEVELS = ("low", "medium", "high", "xhigh", "max")


def check_options(
    *,
    concurrency: int,
    timeout: float,
    max_retries: int,
    max_retry_wait: float,
    step_deadline: float | None,
    mode: str,
    batch_poll_interval: float,
    batch_poll_backoff: float,
    batch_poll_max_interval: float,
    batch_max_requests: int,
    batch_max_bytes: int,
    should_stop: Callable[[], bool] | None,
    stop_poll_interval: float,
    structured_output: str,
    max_tokens: int,
    effort: str | None,
    max_support_replies: int,
) -> None:
    """Raise ``ValueError`` for the first option that is out of range (the engine's docstring says each)."""
    require(
        isinstance(concurrency, int) and concurrency >= 1, "concurrency", "an integer >= 1", concurrency
    )
    require(is_positive(timeout), "timeout", "a number of seconds > 0", timeout)
    require(
        isinstance(max_retries, int) and max_retries >= 0, "max_retries", "an integer >= 0", max_retries
    )
    require(is_positive(max_retry_wait), "max_retry_wait", "a number of seconds > 0", max_retry_wait)
    require(
        step_deadline is None or is_positive(step_deadline), "step_deadline", "None or seconds > 0", step_deadline
    )
    require(mode in MODES, "mode", f"one of {', '.join(MODES)}", mode)
    require(is_positive(batch_poll_interval), "batch_poll_interval", "seconds > 0", batch_poll_interval)
    require(
        is_positive(batch_poll_backoff) and batch_poll_backoff >= 1,
        "batch_poll_backoff",
        "a factor >= 1",
        batch_poll_backoff,
    )
    require(
        is_positive(batch_poll_max_interval) and batch_poll_max_interval >= batch_poll_interval,
        "batch_poll_max_interval",
        "seconds >= batch_poll_interval",
        batch_poll_max_interval,
    )
    require(
        isinstance(batch_max_requests, int) and 1 <= batch_max_requests <= 100_000,
        "batch_max_requests",
        "an integer from 1 to 100000",
        batch_max_requests,
    )
    require(
        isinstance(batch_max_bytes, int) and 1 <= batch_max_bytes <= API_MAX_BYTES,
        "batch_max_bytes",
        f"an integer from 1 to {API_MAX_BYTES}",
        batch_max_bytes,
    )
    require(
        should_stop is None or callable(should_stop), "should_stop", "a callable or None", should_stop
    )
    require(is_positive(stop_poll_interval), "stop_poll_interval", "seconds > 0", stop_poll_interval)
    require(
        structured_output in STRUCTURED_OUTPUT_OPTIONS,
        "structured_output",
        f"one of {', '.join(STRUCTURED_OUTPUT_OPTIONS)}",
        structured_output,
    )
    require(isinstance(max_tokens, int) and max_tokens >= 1, "max_tokens", "an integer >= 1", max_tokens)
    require(
        effort is None or effort in EFFORT_LEVELS,
        "effort",
        f"None or one of {', '.join(EFFORT_LEVELS)}",
        effort,
    )
    require(
        isinstance(max_support_replies, int) and max_support_replies >= 1,
        "max_support_replies",
        "an integer >= 1",
        max_support_replies,
    )


def is_positive(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0


def require(condition: bool, option: str, expected: str, value: Any) -> None:
    if not condition:
        raise ValueError(f"AnthropicEngine option {option} must be {expected}, got {value!r}")
