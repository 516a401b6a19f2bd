"""A stub of Shortcut's REST API v3 (stories) on 127.0.0.1, speaking its JSON shapes, for tests.

Routes, under ``/api/v3`` (``base_url`` ends there, as ``SHORTCUT_API_URL`` would):

* ``POST /stories`` — validates like the real API: ``name`` (1–512 characters) required; exactly one of
  ``workflow_state_id`` (one of ``workflow_state_ids``) or ``project_id`` (one of ``project_ids``);
  ``story_type`` in ``feature``/``bug``/``chore``; ``description`` ≤ 100,000 characters; ``labels`` a list
  of ``{"name": …}`` (created by name when new); ``external_links`` a list of http(s) URLs; ``group_id``
  one of ``group_ids``; no key outside CreateStoryParams. 400 ``{"message", "errors": {field: problem}}``
  on a schema mismatch, 422 for an unknown workflow state, project or group. Answers 201 with the whole
  story: integer ``id``, ``app_url``, ``entity_type`` ``"story"``, labels with ids, timestamps…
* ``PUT /stories/{id}`` — the same rules for the keys given (all optional, ``name`` not empty); 404 for an
  unknown id; answers 200 with the updated story (labels replaced when given).
* ``GET /stories/{id}`` — the story, or 404.

Every request needs ``Shortcut-Token: <token>`` (else 401). Bodies must be JSON (``Content-Type:
application/json``). Tests script faults per route (``"create"``, ``"update"``, ``"get"`` or ``"*"``),
each consumed once in order: a status with headers and body (429 + ``Retry-After``, 500…), a delay, or
``drop`` (close the connection without answering, after acting on the request or not). Every request is
recorded (method, path, headers, JSON body); ``stories`` is what the workspace holds; ``delete`` removes a
story as a person would in the app.

    with ShortcutStub() as stub:
        client = ShortcutClient(stub.token, stub.base_url)
"""

from __future__ import annotations

import copy
import itertools
import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Iterable

API_PREFIX = "/api/v3"
WORKSPACE = "stub-workspace"
DEFAULT_WORKFLOW_STATE_ID = 500000008
DEFAULT_GROUP_ID = "5f3c1a52-9a0e-4a4e-8f1e-2b7c6d1e0a11"
CREATE_KEYS = frozenset(
    {
        "archived", "comments", "completed_at_override", "created_at", "custom_fields", "deadline",
        "description", "epic_id", "estimate", "external_id", "external_links", "file_ids", "follower_ids",
        "group_id", "iteration_id", "labels", "linked_file_ids", "move_to", "name", "owner_ids", "project_id",
        "requested_by_id", "started_at_override", "story_links", "story_template_id", "story_type", "tasks",
        "updated_at", "workflow_state_id",
    }
)
UPDATE_KEYS = frozenset(
    {
        "after_id", "archived", "before_id", "branch_ids", "commit_ids", "completed_at_override", "custom_fields",
        "deadline", "description", "epic_id", "estimate", "external_links", "file_ids", "follower_ids",
        "group_id", "iteration_id", "labels", "linked_file_ids", "move_to", "name", "owner_ids", "project_id",
        "pull_request_ids", "requested_by_id", "started_at_override", "story_type", "workflow_state_id",
    }
)
LABEL_KEYS = frozenset({"name", "color", "description", "external_id"})
STORY_TYPES = ("feature", "bug", "chore")
_URL = re.compile(r"^https?://[^\s/]+\S*$")


@dataclass
class Fault:
    """One scripted answer: wait ``delay`` s, then answer ``status`` (None = normally). ``drop`` closes the
    connection without an answer; with ``apply_before_drop`` the request is carried out first (a lost
    answer: the story exists but the client cannot know)."""

    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    delay: float = 0.0
    drop: bool = False
    apply_before_drop: bool = False


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "story"


def error_body(status: int, errors: dict[str, str] | None = None, message: str | None = None) -> dict[str, Any]:
    messages = {
        400: "The request included invalid or missing parameters.",
        401: "Unauthorized: the Shortcut-Token header is missing or invalid.",
        404: "Resource not found.",
        422: "Unprocessable: the request cannot be applied to this workspace.",
        429: "Too Many Requests: the rate limit (200 requests per minute) was exceeded.",
    }
    body: dict[str, Any] = {"message": message or messages.get(status, "Internal Server Error")}
    if errors:
        body["errors"] = errors
    return body


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:  # a client hanging up is expected in fault tests
        pass


class ShortcutStub:
    """The stub server (see the module docstring). Use as a context manager or call start()/stop()."""

    def __init__(
        self,
        *,
        token: str = "stub-shortcut-token-0123456789",
        workflow_state_ids: Iterable[int] = (DEFAULT_WORKFLOW_STATE_ID,),
        project_ids: Iterable[int] = (),
        group_ids: Iterable[str] = (DEFAULT_GROUP_ID,),
    ) -> None:
        self.token = token
        self.workflow_state_ids = set(workflow_state_ids)
        self.project_ids = set(project_ids)
        self.group_ids = set(group_ids)
        self.stories: dict[int, dict[str, Any]] = {}
        self.requests: list[RecordedRequest] = []
        self._labels: dict[str, dict[str, Any]] = {}
        self._ids = itertools.count(101)
        self._label_ids = itertools.count(9001)
        self._faults: dict[str, list[Fault]] = {}
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._member = str(uuid.UUID(int=0x5EED))

    # --- scripting -------------------------------------------------------------------------------------

    def fail(self, route: str, *faults: Fault) -> None:
        """Queue faults for ``"create"``, ``"update"``, ``"get"`` or ``"*"`` (any request)."""
        if route not in ("create", "update", "get", "*"):
            raise ValueError(f"unknown route {route!r}")
        with self._lock:
            self._faults.setdefault(route, []).extend(faults)

    def delete(self, story_id: int) -> None:
        with self._lock:
            self.stories.pop(int(story_id), None)

    def requests_to(self, route: str) -> list[RecordedRequest]:
        methods = {"create": "POST", "update": "PUT", "get": "GET"}
        with self._lock:
            return [r for r in self.requests if r.method == methods[route]]

    # --- lifecycle -------------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the Shortcut stub is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{API_PREFIX}"

    def start(self) -> "ShortcutStub":
        stub = self

        class Handler(_Handler):
            owner = stub

        self._server = _QuietServer(("127.0.0.1", 0), Handler)
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, name="shortcut-stub", daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> "ShortcutStub":
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # --- the API (called from server threads) ----------------------------------------------------------

    def _next_fault(self, route: str) -> Fault | None:
        with self._lock:
            for key in (route, "*"):
                queued = self._faults.get(key)
                if queued:
                    return queued.pop(0)
        return None

    def _validate(self, body: Any, *, creating: bool) -> tuple[int, dict[str, Any]] | None:
        if not isinstance(body, dict):
            return 400, error_body(400, {"body": "not-a-json-object"})
        allowed = CREATE_KEYS if creating else UPDATE_KEYS
        errors: dict[str, str] = {}
        for key in sorted(set(body) - allowed):
            errors[key] = "disallowed-key"
        name = body.get("name")
        if creating and "name" not in body:
            errors["name"] = "missing-required-key"
        elif "name" in body and (not isinstance(name, str) or not 1 <= len(name) <= 512):
            errors["name"] = "(not (string-length 1..512))"
        if "description" in body and (not isinstance(body["description"], str) or len(body["description"]) > 100_000):
            errors["description"] = "(not (string-length ..100000))"
        if "story_type" in body and body["story_type"] not in STORY_TYPES:
            errors["story_type"] = "(not (#{\"feature\" \"chore\" \"bug\"} ...))"
        for key in ("workflow_state_id", "project_id"):
            if key in body and (isinstance(body[key], bool) or not isinstance(body[key], int)):
                errors[key] = "(not (integer? ...))"
        if creating and ("workflow_state_id" in body) == ("project_id" in body):
            errors["workflow_state_id"] = "exactly one of workflow_state_id or project_id is required"
        if "labels" in body:
            labels = body["labels"]
            if not isinstance(labels, list) or not all(
                isinstance(label, dict)
                and isinstance(label.get("name"), str)
                and label["name"].strip()
                and set(label) <= LABEL_KEYS
                for label in labels
            ):
                errors["labels"] = "(not (every? CreateLabelParams ...))"
        if "external_links" in body:
            links = body["external_links"]
            if not isinstance(links, list) or not all(isinstance(l, str) and _URL.match(l) for l in links):
                errors["external_links"] = "(not (every? url? ...))"
        for key in ("external_id", "group_id"):
            if key in body and not isinstance(body[key], str):
                errors[key] = "(not (string? ...))"
        if errors:
            return 400, error_body(400, errors)
        if "workflow_state_id" in body and body["workflow_state_id"] not in self.workflow_state_ids:
            return 422, error_body(422, message=f"Workflow state {body['workflow_state_id']} does not exist.")
        if "project_id" in body and body["project_id"] not in self.project_ids:
            return 422, error_body(422, message=f"Project {body['project_id']} does not exist.")
        if "group_id" in body and body["group_id"] not in self.group_ids:
            return 422, error_body(422, message=f"Group {body['group_id']} does not exist.")
        return None

    def _label(self, params: dict[str, Any]) -> dict[str, Any]:
        name = params["name"]
        label = self._labels.get(name)
        if label is None:
            label_id = next(self._label_ids)
            now = _now()
            label = {
                "app_url": f"https://app.shortcut.com/{WORKSPACE}/label/{label_id}",
                "archived": False,
                "color": params.get("color"),
                "created_at": now,
                "description": params.get("description"),
                "entity_type": "label",
                "external_id": params.get("external_id"),
                "global_id": str(uuid.uuid4()),
                "id": label_id,
                "name": name,
                "updated_at": now,
            }
            self._labels[name] = label
        return label

    def _create(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        invalid = self._validate(body, creating=True)
        if invalid:
            return invalid
        with self._lock:
            story_id = next(self._ids)
            now = _now()
            labels = [self._label(params) for params in body.get("labels", [])]
            story = {
                "app_url": f"https://app.shortcut.com/{WORKSPACE}/story/{story_id}/{_slug(body['name'])}",
                "archived": bool(body.get("archived", False)),
                "blocked": False,
                "blocker": False,
                "comments": [],
                "completed": False,
                "completed_at": None,
                "created_at": now,
                "custom_fields": [],
                "deadline": body.get("deadline"),
                "description": body.get("description", ""),
                "entity_type": "story",
                "epic_id": body.get("epic_id"),
                "estimate": body.get("estimate"),
                "external_id": body.get("external_id"),
                "external_links": list(body.get("external_links", [])),
                "follower_ids": [self._member],
                "global_id": str(uuid.uuid4()),
                "group_id": body.get("group_id"),
                "id": story_id,
                "iteration_id": body.get("iteration_id"),
                "label_ids": [label["id"] for label in labels],
                "labels": copy.deepcopy(labels),
                "moved_at": now,
                "name": body["name"],
                "owner_ids": list(body.get("owner_ids", [])),
                "position": story_id * 1000,
                "project_id": body.get("project_id"),
                "requested_by_id": self._member,
                "started": False,
                "started_at": None,
                "story_type": body.get("story_type", "feature"),
                "tasks": [],
                "updated_at": now,
                "workflow_id": 500000005,
                "workflow_state_id": body.get("workflow_state_id", DEFAULT_WORKFLOW_STATE_ID),
            }
            self.stories[story_id] = story
            return 201, copy.deepcopy(story)

    def _update(self, story_id: int, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        with self._lock:
            if story_id not in self.stories:
                return 404, error_body(404)
        invalid = self._validate(body, creating=False)
        if invalid:
            return invalid
        with self._lock:
            story = self.stories.get(story_id)
            if story is None:
                return 404, error_body(404)
            for key, value in body.items():
                if key == "labels":
                    labels = [self._label(params) for params in value]
                    story["labels"] = copy.deepcopy(labels)
                    story["label_ids"] = [label["id"] for label in labels]
                else:
                    story[key] = copy.deepcopy(value)
            if "name" in body:
                story["app_url"] = f"https://app.shortcut.com/{WORKSPACE}/story/{story_id}/{_slug(story['name'])}"
            story["updated_at"] = _now()
            return 200, copy.deepcopy(story)

    def _get(self, story_id: int) -> tuple[int, dict[str, Any]]:
        with self._lock:
            story = self.stories.get(story_id)
            return (200, copy.deepcopy(story)) if story is not None else (404, error_body(404))


class _Handler(BaseHTTPRequestHandler):
    owner: ShortcutStub
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        self._serve("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._serve("POST")

    def do_PUT(self) -> None:  # noqa: N802
        self._serve("PUT")

    def _serve(self, method: str) -> None:
        owner = self.owner
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except json.JSONDecodeError:
            body = raw.decode("utf-8", errors="replace")
        path = self.path.split("?", 1)[0]
        with owner._lock:
            owner.requests.append(RecordedRequest(method, path, {k.lower(): v for k, v in self.headers.items()}, body))

        match = re.fullmatch(rf"{API_PREFIX}/stories(?:/(\d+))?", path)
        story_id = int(match.group(1)) if match and match.group(1) else None
        if match and method == "POST" and story_id is None:
            route = "create"
        elif match and method == "PUT" and story_id is not None:
            route = "update"
        elif match and method == "GET" and story_id is not None:
            route = "get"
        else:
            self._answer(404, error_body(404, message=f"No route {method} {path}."))
            return

        fault = owner._next_fault(route)
        if fault is not None and fault.delay:
            time.sleep(fault.delay)
        if fault is not None and fault.status is not None:
            self._answer(fault.status, fault.body if fault.body is not None else error_body(fault.status), fault.headers)
            return
        if self.headers.get("Shortcut-Token") != owner.token:
            self._answer(401, error_body(401))
            return
        if method in ("POST", "PUT") and not (self.headers.get("Content-Type") or "").startswith("application/json"):
            self._answer(400, error_body(400, {"body": "Content-Type must be application/json"}))
            return
        if fault is not None and fault.drop and not fault.apply_before_drop:
            self._drop()
            return
        if route == "create":
            status, payload = owner._create(body)
        elif route == "update":
            status, payload = owner._update(story_id, body)
        else:
            status, payload = owner._get(story_id)
        if fault is not None and fault.drop:
            self._drop()
            return
        self._answer(status, payload)

    def _drop(self) -> None:
        """Hang up without an answer (the client sees the connection close)."""
        self.close_connection = True
        try:
            self.connection.shutdown(2)
        except OSError:
            pass

    def _answer(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass
