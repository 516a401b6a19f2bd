"""A client for Shortcut's REST API v3 (stories), and the settings a push reads from the environment.

Wire format (https://developer.shortcut.com/api/rest/v3):

* Base URL ``https://api.app.shortcut.com/api/v3``; header ``Shortcut-Token: <token>``; JSON bodies
  (``Content-Type: application/json``).
* ``POST /stories`` creates a story: ``name`` (1–512 characters) and exactly one of ``workflow_state_id``
  (recommended) or ``project_id`` (projects are being retired) are required; we also send ``description``
  (Markdown, ≤ 100,000 characters), ``story_type`` (``bug``, ``feature``, ``chore``), ``labels``
  (``[{"name": …}]``, created by name when missing), ``external_id``, optionally ``group_id`` (a team's
  UUID) and ``external_links`` (URLs). The answer (201) is the story, with ``id`` (an integer) and
  ``app_url``.
* ``PUT /stories/{id}`` updates the fields it is given (200, the story); ``GET /stories/{id}`` reads one.
  An unknown id is a 404.
* Errors: 400 (schema mismatch: ``{"message": …, "errors": {field: problem}}``), 401 (missing or invalid
  token), 404, 422 (valid request the workspace cannot apply, e.g. an unknown workflow state), 429 (rate
  limit; ``Retry-After``), 5xx.

Retries follow the sources' policy (``sources.retry.RetryPolicy``): 429 waits for ``Retry-After`` (seconds
or an HTTP date), 5xx and connection failures back off exponentially, all bounded; other 4xx are not
retried. A ``POST`` is retried only when the server cannot have created the story (429, 5xx, a connection
that never opened); a ``POST`` whose answer was lost (read timeout, connection dropped mid-answer) fails at
once saying the story may exist, so a retry never makes a duplicate. 401/403 raise ``TrackerAuthError``
naming ``SHORTCUT_API_TOKEN`` — never the token, which is also scrubbed from every message.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import httpx

from feedback_assets.sources.retry import RetryPolicy

TOKEN_ENV = "SHORTCUT_API_TOKEN"
BASE_URL_ENV = "SHORTCUT_API_URL"
WORKFLOW_STATE_ENV = "SHORTCUT_WORKFLOW_STATE_ID"
PROJECT_ENV = "SHORTCUT_PROJECT_ID"
GROUP_ENV = "SHORTCUT_GROUP_ID"
LABELS_ENV = "SHORTCUT_LABELS"
CONVERSATION_URL_ENV = "FEEDBACK_CONVERSATION_URL"
DEFAULT_BASE_URL = "https://api.app.shortcut.com/api/v3"
DEFAULT_LABELS = ("feedback-assets",)
DEFAULT_TIMEOUT_SECONDS = 30.0
NAME_MAX_CHARS = 512
DESCRIPTION_MAX_CHARS = 100_000
STORY_TYPES = ("bug", "feature", "chore")


class TrackerError(Exception):
    """Base class of the tracker errors; messages never contain the token."""


class TrackerConfigError(TrackerError, ValueError):
    """The push is not configured (no token, no workflow state or project, a malformed setting)."""


class TrackerAuthError(TrackerError):
    """Shortcut rejected the token (HTTP 401/403)."""


class TrackerNotFound(TrackerError):
    """Shortcut has no such story (HTTP 404): it was deleted there."""


class TrackerRequestError(TrackerError):
    """A request failed for good. ``outcome_unknown``: a create whose answer was lost (the story may exist)."""

    def __init__(self, message: str, *, outcome_unknown: bool = False) -> None:
        super().__init__(message)
        self.outcome_unknown = outcome_unknown


def _optional_int(name: str, value: str | None) -> int | None:
    text = (value or "").strip()
    if not text:
        return None
    try:
        number = int(text)
    except ValueError:
        raise TrackerConfigError(f"{name} must be a whole number (a Shortcut id), got {text!r}") from None
    if number < 1:
        raise TrackerConfigError(f"{name} must be a positive Shortcut id, got {text!r}")
    return number


@dataclass(frozen=True)
class ShortcutSettings:
    """Where and how stories are pushed. ``from_env`` reads the variables; ``check_for_push`` says what is
    missing for a real push (a dry run needs none of it)."""

    api_token: str | None = field(default=None, repr=False)
    base_url: str = DEFAULT_BASE_URL
    workflow_state_id: int | None = None
    project_id: int | None = None
    group_id: str | None = None
    labels: tuple[str, ...] = DEFAULT_LABELS
    conversation_url: str | None = None
    """A URL template with ``{conversation_id}``: each quoted conversation becomes an external link."""
    timeout: float = DEFAULT_TIMEOUT_SECONDS

    def __post_init__(self) -> None:
        if self.conversation_url and "{conversation_id}" not in self.conversation_url:
            raise TrackerConfigError(
                f"{CONVERSATION_URL_ENV} must contain {{conversation_id}}, e.g. "
                "https://app.intercom.com/a/inbox/<workspace>/inbox/conversation/{conversation_id}"
            )
        for label in self.labels:
            if not label.strip():
                raise TrackerConfigError(f"{LABELS_ENV} has an empty label name")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "ShortcutSettings":
        env = os.environ if environ is None else environ
        labels_text = env.get(LABELS_ENV)
        labels = (
            DEFAULT_LABELS
            if labels_text is None
            else tuple(label.strip() for label in labels_text.split(",") if label.strip())
        )
        return cls(
            api_token=(env.get(TOKEN_ENV) or "").strip() or None,
            base_url=(env.get(BASE_URL_ENV) or "").strip().rstrip("/") or DEFAULT_BASE_URL,
            workflow_state_id=_optional_int(WORKFLOW_STATE_ENV, env.get(WORKFLOW_STATE_ENV)),
            project_id=_optional_int(PROJECT_ENV, env.get(PROJECT_ENV)),
            group_id=(env.get(GROUP_ENV) or "").strip() or None,
            labels=labels,
            conversation_url=(env.get(CONVERSATION_URL_ENV) or "").strip() or None,
        )

    def check_for_push(self) -> None:
        """Raise ``TrackerConfigError`` naming what a real push lacks."""
        if not self.api_token:
            raise TrackerConfigError(
                f"pushing to Shortcut needs an API token: set {TOKEN_ENV} (Shortcut → Settings → API Tokens)"
            )
        if self.workflow_state_id is None and self.project_id is None:
            raise TrackerConfigError(
                f"Shortcut needs to know where new stories go: set {WORKFLOW_STATE_ENV} (recommended: the id of "
                f"a workflow state such as 'Unscheduled') or {PROJECT_ENV}"
            )
        if self.workflow_state_id is not None and self.project_id is not None:
            raise TrackerConfigError(
                f"set {WORKFLOW_STATE_ENV} or {PROJECT_ENV}, not both: Shortcut refuses a story with both"
            )

    def describe(self) -> dict[str, Any]:
        """The settings without the token (for logs and the UI)."""
        return {
            "base_url": self.base_url,
            "token": "set" if self.api_token else "missing",
            "workflow_state_id": self.workflow_state_id,
            "project_id": self.project_id,
            "group_id": self.group_id,
            "labels": list(self.labels),
            "conversation_url": self.conversation_url,
        }


class ShortcutClient:
    """Stories on Shortcut over httpx, with the retry policy above. Use as a context manager (or ``close``)."""

    def __init__(
        self,
        api_token: str,
        base_url: str = DEFAULT_BASE_URL,
        *,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not api_token or not api_token.strip():
            raise TrackerConfigError(f"the Shortcut client needs an API token: set {TOKEN_ENV}")
        self._token = api_token.strip()
        self.base_url = base_url.rstrip("/")
        self.retry = retry or RetryPolicy()
        self._sleep = sleep
        self._clock = clock
        self.timeout = float(timeout)
        self.stats = {"requests": 0, "retries": 0, "rate_limited": 0}
        self._http = httpx.Client(
            base_url=self.base_url,
            headers={
                "Shortcut-Token": self._token,
                "Accept": "application/json",
                "User-Agent": "feedback-assets",
            },
            timeout=self.timeout,
        )

    @classmethod
    def from_settings(cls, settings: ShortcutSettings, **kwargs: Any) -> "ShortcutClient":
        if not settings.api_token:
            raise TrackerConfigError(f"pushing to Shortcut needs an API token: set {TOKEN_ENV}")
        return cls(settings.api_token, settings.base_url, timeout=settings.timeout, **kwargs)

    def __repr__(self) -> str:  # never show the token
        return f"ShortcutClient(base_url={self.base_url!r})"

    def __enter__(self) -> "ShortcutClient":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    # --- stories -----------------------------------------------------------------------------------

    def create_story(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        return _story(self._request("POST", "/stories", dict(payload)), "POST /stories")

    def update_story(self, story_id: int | str, payload: Mapping[str, Any]) -> dict[str, Any]:
        return _story(self._request("PUT", f"/stories/{story_id}", dict(payload)), f"PUT /stories/{story_id}")

    def get_story(self, story_id: int | str) -> dict[str, Any]:
        return _story(self._request("GET", f"/stories/{story_id}"), f"GET /stories/{story_id}")

    # --- HTTP with retries -------------------------------------------------------------------------

    def _request(self, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        location = f"{method} {path}"
        creates = method == "POST"
        last_problem = "no attempt made"
        for attempt in range(1, self.retry.max_attempts + 1):
            if attempt > 1:
                self.stats["retries"] += 1
            self.stats["requests"] += 1
            wait: float | None = None
            try:
                response = self._http.request(method, path, json=body)
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as error:
                last_problem = f"connection failed ({type(error).__name__})"  # nothing was sent: safe to retry
            except (httpx.TimeoutException, httpx.TransportError) as error:
                problem = (
                    f"timed out after {self.timeout:g} s"
                    if isinstance(error, httpx.TimeoutException)
                    else f"connection lost ({type(error).__name__})"
                )
                if creates:
                    raise TrackerRequestError(
                        f"{location}: {problem} after the request was sent; the story may have been created "
                        "in Shortcut. Look for it (by its name) before pushing again",
                        outcome_unknown=True,
                    ) from None
                last_problem = problem
            else:
                status = response.status_code
                if 200 <= status < 300:
                    return _json_object(response, location)
                detail = self._scrub(_error_text(response))
                if status in (401, 403):
                    raise TrackerAuthError(
                        f"Shortcut rejected the API token on {location}: HTTP {status} {detail}. Check "
                        f"{TOKEN_ENV} (a token of the workspace, from Shortcut → Settings → API Tokens)"
                    )
                if status == 404:
                    raise TrackerNotFound(f"{location}: HTTP 404 {detail}")
                if status != 429 and status < 500:
                    raise TrackerRequestError(f"{location}: HTTP {status} {detail}")
                last_problem = f"HTTP {status} {detail}"
                if status == 429:
                    self.stats["rate_limited"] += 1
                wait = self.retry.server_wait(response, self._clock())  # 429, and a 503 may say it too
            if attempt < self.retry.max_attempts:
                self._sleep(wait if wait is not None else self.retry.backoff(attempt))
        raise TrackerRequestError(f"{location}: gave up after {self.retry.max_attempts} attempts; last: {last_problem}")

    def _scrub(self, text: str) -> str:
        return text.replace(self._token, "***") if self._token else text


def _json_object(response: httpx.Response, location: str) -> dict[str, Any]:
    try:
        payload = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise TrackerRequestError(f"{location}: HTTP {response.status_code} with a body that is not JSON") from None
    if not isinstance(payload, dict):
        raise TrackerRequestError(f"{location}: HTTP {response.status_code} with a JSON {type(payload).__name__}")
    return payload


def _story(payload: dict[str, Any], location: str) -> dict[str, Any]:
    story_id = payload.get("id")
    if isinstance(story_id, bool) or not isinstance(story_id, (int, str)) or str(story_id) == "":
        raise TrackerRequestError(f"{location}: the answer is not a story (no id)")
    return payload


def _error_text(response: httpx.Response) -> str:
    """Shortcut's ``message`` (and the first field ``errors`` names), else the reason phrase."""
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return response.reason_phrase
    if not isinstance(body, dict):
        return response.reason_phrase
    text = str(body.get("message") or response.reason_phrase)
    errors = body.get("errors")
    if isinstance(errors, dict) and errors:
        name, problem = next(iter(sorted(errors.items())))
        text += f" ({name}: {problem})"
    return text[:300]
