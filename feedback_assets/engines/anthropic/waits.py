"""Bounded waits: a cap on one retry wait, and a step deadline.

**Retry-wait cap.** SDK 2.15 honours any ``retry-after`` / ``retry-after-ms`` (up to ~50 days), so one 429
with ``retry-after: 3600`` would hold a worker slot — and the step — for an hour. ``RetryWaitCap`` is SDK
middleware (``anthropic.Middleware``, the public per-attempt hook that runs inside the SDK's retry loop and
sees every response, 4xx/5xx included): when the SDK *would* retry a response (same rule as the SDK:
``x-should-retry``, else 408/409/429/5xx, and retries left) and the requested wait is longer than the cap —
or than the time left before the step deadline — it raises ``RetryWaitTooLong`` instead. That exception is
an ``APIError`` but neither an ``APIStatusError`` nor a connection error, so the SDK propagates it at once
(its documented rule for middleware exceptions) and the call becomes a recorded failure that names the
wait. Waits within the cap, and the SDK's own backoff (≤ 8 s) when no header is sent, are left to the SDK.
Chosen over ``max_retries=0`` plus our own retry loop because that would re-implement the SDK's backoff,
``x-should-retry``, timeout and connection-error policy, which the tests pin down as they are.

**Step deadline.** ``Deadline`` starts at the engine's first call and covers every later call of the same
engine object (Dagster builds one engine per step, and a step calls ``classify`` once per chunk): when it
is reached, in-flight calls are cancelled and every unfinished item is recorded as a failure "deadline
reached"; calls after it record their items at once without a request.
"""

from __future__ import annotations

import json
import time
from typing import Any, Callable

import anthropic

MAX_RETRY_WAIT_SETTING = "FEEDBACK_ANTHROPIC_MAX_RETRY_WAIT"
STEP_DEADLINE_SETTING = "FEEDBACK_ANTHROPIC_STEP_DEADLINE"
DEFAULT_MAX_RETRY_WAIT = 60.0


class RetryWaitTooLong(anthropic.APIError):
    """The API asked to wait longer than the cap (or than the deadline leaves) before a retry."""

    def __init__(self, response: Any, wait: float, limit: str, body: Any) -> None:
        self.status_code = response.status_code
        self.wait = wait
        inner = body.get("error") if isinstance(body, dict) and isinstance(body.get("error"), dict) else {}
        error = f"{inner.get('type') or 'error'}: {inner.get('message')}" if inner.get("message") else (
            inner.get("type") or "error"
        )
        message = (
            f"API error {response.status_code} {error}; the API asked to wait {wait:g} s before a retry, "
            f"longer than {limit}: not retried"
        )
        super().__init__(message, response.http_response.request, body=body)


def retry_wait(headers: Any) -> float | None:
    """Seconds the response asks to wait (``retry-after-ms``, then ``retry-after`` in seconds or as a date),
    parsed like the SDK does; ``None`` when there is no usable header."""
    try:
        return float(headers.get("retry-after-ms")) / 1000
    except (TypeError, ValueError):
        pass
    value = headers.get("retry-after")
    try:
        return float(value)
    except (TypeError, ValueError):
        pass
    if value:
        import email.utils

        parsed = email.utils.parsedate_tz(value)
        if parsed is not None:
            return float(email.utils.mktime_tz(parsed) - time.time())
    return None


def sdk_would_retry(response: Any) -> bool:
    """The SDK's rule (``_should_retry``), on the public response object."""
    header = response.headers.get("x-should-retry")
    if header in ("true", "false"):
        return header == "true"
    status = response.status_code
    return status in (408, 409, 429) or status >= 500


class Deadline:
    """A step deadline: ``seconds`` from ``start()`` (the first call); ``None`` seconds = no deadline."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self._ends: float | None = None

    def start(self) -> None:
        if self.seconds is not None and self._ends is None:
            self._ends = time.monotonic() + self.seconds

    def remaining(self) -> float | None:
        if self._ends is None:
            return None
        return max(0.0, self._ends - time.monotonic())

    def reached(self) -> bool:
        remaining = self.remaining()
        return remaining is not None and remaining <= 0

    def reason(self) -> str:
        if self.seconds is None:
            return "deadline reached (no step deadline set)"
        return f"deadline reached ({self.seconds:g} s step deadline, {STEP_DEADLINE_SETTING})"


class RetryWaitCap(anthropic.Middleware):
    """SDK middleware: a retry the SDK would make after a wait longer than ``cap`` seconds (or than the
    deadline leaves) raises ``RetryWaitTooLong`` instead of sleeping (see the module docstring)."""

    def __init__(self, cap: float, max_retries: int, deadline: Deadline | None = None) -> None:
        self.cap = cap
        self.max_retries = max_retries
        self.deadline = deadline

    def _limit(self, wait: float) -> str | None:
        if wait > self.cap:
            return f"the cap of {self.cap:g} s ({MAX_RETRY_WAIT_SETTING})"
        remaining = self.deadline.remaining() if self.deadline is not None else None
        if remaining is not None and wait > remaining:
            return f"the {remaining:.1f} s left before the step deadline ({STEP_DEADLINE_SETTING})"
        return None

    async def handle_async(self, request: Any, call_next: Callable[[Any], Any]) -> Any:
        response = await call_next(request)
        if response.status_code < 400 or response.retries_taken >= self.max_retries:
            return response
        if not sdk_would_retry(response):
            return response
        wait = retry_wait(response.headers)
        limit = self._limit(wait) if wait is not None else None
        if limit is None:
            return response
        raw = await response.read()
        try:
            body: Any = json.loads(raw)
        except ValueError:
            body = raw.decode(errors="replace")
        raise RetryWaitTooLong(response, wait, limit, body)

    def handle(self, request: Any, call_next: Callable[[Any], Any]) -> Any:  # the sync client (preflight)
        return call_next(request)
