"""How often and how long a source retries one HTTP request, and how long a server asks it to wait."""

from __future__ import annotations

import email.utils
import random
from dataclasses import dataclass

import httpx

from feedback_assets.sources.base import SourceConfigError, as_utc


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry one request.

    ``max_attempts`` counts the first try. Exponential backoff is ``backoff_base * 2**(retry-1)`` capped at
    ``backoff_cap``, with jitter (×0.5–1) so concurrent workers do not retry in lockstep. A server-given
    wait (``Retry-After``, ``X-RateLimit-Reset``) is honoured as is, but never beyond ``max_wait``.
    """

    max_attempts: int = 5
    backoff_base: float = 0.5
    backoff_cap: float = 30.0
    max_wait: float = 120.0

    def __post_init__(self) -> None:
        if isinstance(self.max_attempts, bool) or not isinstance(self.max_attempts, int) or self.max_attempts < 1:
            raise SourceConfigError(f"RetryPolicy.max_attempts must be a positive integer, got {self.max_attempts!r}")
        for label in ("backoff_base", "backoff_cap", "max_wait"):
            value = getattr(self, label)
            if not isinstance(value, (int, float)) or value < 0:
                raise SourceConfigError(f"RetryPolicy.{label} must be a non-negative number, got {value!r}")

    def backoff(self, retry: int) -> float:
        computed = min(self.backoff_cap, self.backoff_base * (2 ** (retry - 1)))
        return min(self.max_wait, computed * random.uniform(0.5, 1.0))

    def server_wait(self, response: httpx.Response, now: float) -> float | None:
        """The wait a 429 asks for, from ``Retry-After`` or ``X-RateLimit-Reset``; None when it says nothing."""
        retry_after = response.headers.get("retry-after")
        if retry_after is not None:
            text = retry_after.strip()
            try:
                return min(self.max_wait, max(0.0, float(text)))
            except ValueError:
                try:
                    moment = email.utils.parsedate_to_datetime(text)
                except (TypeError, ValueError):
                    moment = None
                if moment is not None:
                    return min(self.max_wait, max(0.0, as_utc(moment).timestamp() - now))
        reset = response.headers.get("x-ratelimit-reset")
        if reset is not None:
            try:
                return min(self.max_wait, max(0.0, float(reset.strip()) - now))
            except ValueError:
                return None
        return None
