"""Authenticated JSON requests to Intercom's REST API with retries: 429 waits for ``Retry-After`` or
``X-RateLimit-Reset``, 5xx, timeouts and connection errors back off (``RetryPolicy``), other 4xx fail at once,
401/403 raise ``SourceAuthError`` naming the setting, and the token never appears in an error."""

from __future__ import annotations

import json
import threading
import time
from typing import Any, Callable

import httpx

from feedback_assets.sources.base import SourceAuthError
from feedback_assets.sources.retry import RetryPolicy

TOKEN_ENV = "INTERCOM_ACCESS_TOKEN"


class Counters:
    """Thread-safe counters of one fetch (details run on a pool); a source object may serve several calls."""

    def __init__(self, *keys: str) -> None:
        self._lock = threading.Lock()
        self.values = dict.fromkeys(keys, 0)

    def add(self, key: str, amount: int = 1) -> None:
        with self._lock:
            self.values[key] = self.values.get(key, 0) + amount


class RequestFailed(Exception):
    """A request that failed for good (non-retryable status, or retries exhausted)."""

    def __init__(self, location: str, message: str) -> None:
        super().__init__(f"{location}: {message}")
        self.location = location
        self.message = message


class IntercomHttp:
    """One Intercom workspace's HTTP access: a connection pool per ``client()``, and ``request`` with retries."""

    def __init__(
        self,
        *,
        token: str,
        base_url: str,
        intercom_version: str,
        timeout: float,
        connections: int,
        retry: RetryPolicy,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._token = token
        self.base_url = base_url
        self.intercom_version = intercom_version
        self.timeout = timeout
        self.connections = connections
        self.retry = retry
        self._sleep = sleep
        self._clock = clock

    def __repr__(self) -> str:  # never show the token
        return f"IntercomHttp(base_url={self.base_url!r}, intercom_version={self.intercom_version!r})"

    def client(self) -> httpx.Client:
        return httpx.Client(
            base_url=self.base_url,
            headers={
                "Authorization": f"Bearer {self._token}",
                "Intercom-Version": self.intercom_version,
                "Accept": "application/json",
            },
            timeout=self.timeout,
            limits=httpx.Limits(
                max_connections=self.connections, max_keepalive_connections=self.connections
            ),
        )

    def request(
        self, client: httpx.Client, counters: Counters, method: str, path: str, body: dict[str, Any] | None = None
    ) -> dict:
        location = f"{method} {path}"
        last_problem = "no attempt made"
        for attempt in range(1, self.retry.max_attempts + 1):
            if attempt > 1:
                counters.add("retries")
            counters.add("requests")
            wait: float | None = None  # what the server asked for, if anything
            try:
                response = client.request(method, path, json=body)
            except httpx.TimeoutException:
                last_problem = f"timed out after {self.timeout:g} s"
            except httpx.TransportError as error:
                last_problem = f"connection failed ({type(error).__name__})"
            else:
                status = response.status_code
                if 200 <= status < 300:
                    try:
                        payload = response.json()
                    except (json.JSONDecodeError, UnicodeDecodeError):
                        raise RequestFailed(location, f"HTTP {status} with a body that is not JSON") from None
                    if not isinstance(payload, dict):
                        kind = type(payload).__name__
                        raise RequestFailed(location, f"HTTP {status} with a JSON {kind}, not an object")
                    return payload
                detail = self._scrub(error_text(response))
                if status in (401, 403):
                    raise SourceAuthError(
                        f"Intercom rejected the access token on {location}: HTTP {status} {detail}. "
                        f"Check {TOKEN_ENV} (a valid token with read access to conversations)."
                    )
                if status != 429 and status < 500:
                    raise RequestFailed(location, f"HTTP {status} {detail}")
                last_problem = f"HTTP {status} {detail}"
                if status == 429:
                    counters.add("rate_limited")
                wait = self.retry.server_wait(response, self._clock())  # 429, and 503 may say it too
            if attempt < self.retry.max_attempts:
                self._sleep(wait if wait is not None else self.retry.backoff(attempt))
        raise RequestFailed(location, f"gave up after {self.retry.max_attempts} attempts; last: {last_problem}")

    def _scrub(self, text: str) -> str:
        return text.replace(self._token, "***") if self._token else text


def error_text(response: httpx.Response) -> str:
    """``code: message`` from Intercom's ``error.list`` body, else the reason phrase."""
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return response.reason_phrase
    if isinstance(body, dict) and isinstance(body.get("errors"), list) and body["errors"]:
        first = body["errors"][0]
        if isinstance(first, dict):
            code, message = first.get("code"), first.get("message")
            return ": ".join(str(part) for part in (code, message) if part) or response.reason_phrase
    return response.reason_phrase
