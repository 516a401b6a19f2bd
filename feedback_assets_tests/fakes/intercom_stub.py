"""A stub of the Intercom REST API on 127.0.0.1, speaking its JSON shapes, for tests and local runs.

It serves the two endpoints the Intercom source uses:

* ``POST /conversations/search`` — evaluates the ``query`` (nested AND/OR; ``=``, ``!=``, ``>``, ``<``,
  ``IN``, ``NIN``, ``~``, ``!~``, ``^``, ``$`` on dotted fields such as ``updated_at`` or
  ``source.author.type``), answers ascending ``(updated_at, id)`` in pages of ``pagination.per_page``
  (default 20, more than 150 is a 400) with an opaque keyset cursor in ``pages.next.starting_after``.
  ``>``/``<`` on numbers are "greater/lower or equal" as Intercom documents them
  (``inclusive_comparisons=False`` makes them strict). Results carry no ``conversation_parts``, as the
  real search does not either.
* ``GET /conversations/{id}`` — the whole conversation with its parts; unknown ids are a 404.

Every request needs ``Authorization: Bearer <token>`` (else a 401 ``error.list``). Tests script faults per
route (``"search"``, ``"detail"``, ``"detail:<id>"`` or ``"*"``), each consumed once in order: an HTTP
status with headers (429 + ``Retry-After``, 500…) and/or a delay before answering (slow responses). The
stub records every request (method, path, headers, JSON body) and the largest number of detail requests
it was serving at the same moment. ``on_search_page`` lets a test change data between pages (the
pagination shift that makes Intercom return a conversation twice).

    with IntercomStub([intercom_conversation("1", updated_at=1_700_000_000, body="Export fails")]) as stub:
        source = IntercomSource(access_token=stub.token, base_url=stub.base_url)
"""

from __future__ import annotations

import base64
import copy
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Iterable
from urllib.parse import unquote

MAX_PER_PAGE = 150
DEFAULT_PER_PAGE = 20


@dataclass
class Fault:
    """One scripted answer: wait ``delay`` seconds, then answer ``status`` (None = answer normally)."""

    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    delay: float = 0.0


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: Any
    received_at: float


def error_body(status: int, message: str | None = None) -> dict[str, Any]:
    """Intercom's error shape: ``{"type": "error.list", "request_id": …, "errors": [{code, message}]}``."""
    codes = {
        400: ("parameter_invalid", "Invalid parameter"),
        401: ("unauthorized", "Access Token Invalid"),
        403: ("forbidden", "Access to this resource is forbidden"),
        404: ("not_found", "Resource Not Found"),
        429: ("rate_limit_exceeded", "Exceeded rate limit of 167 in 10_seconds"),
    }
    code, default_message = codes.get(status, ("server_error", "Server Error"))
    return {
        "type": "error.list",
        "request_id": f"stub-{status}-{time.monotonic_ns()}",
        "errors": [{"code": code, "message": message or default_message}],
    }


def intercom_conversation(
    conversation_id: str,
    *,
    updated_at: int,
    created_at: int | None = None,
    body: str = "<p>Hello, something is not working.</p>",
    subject: str = "",
    author_type: str = "user",
    delivered_as: str = "customer_initiated",
    replies: Iterable[tuple[str, str]] = (),
    tags: Iterable[str] = (),
    state: str = "closed",
) -> dict[str, Any]:
    """A conversation as ``GET /conversations/{id}`` returns it (Intercom 2.x), with ``replies`` as
    ``(author_type, html_body)`` comment parts (``"admin"`` for support, ``"user"`` for the customer)."""
    created = created_at if created_at is not None else updated_at - 3600
    parts = []
    for index, (part_author, part_body) in enumerate(replies, start=1):
        at = created + 60 * index
        parts.append(
            {
                "type": "conversation_part",
                "id": f"{conversation_id}{index:04d}",
                "part_type": "comment",
                "body": part_body,
                "created_at": at,
                "updated_at": at,
                "notified_at": at,
                "assigned_to": None,
                "author": {
                    "id": f"{part_author}-{index}",
                    "type": part_author,
                    "name": "Support Agent" if part_author == "admin" else "Customer",
                    "email": f"{part_author}{index}@example.com",
                },
                "attachments": [],
                "external_id": None,
                "redacted": False,
            }
        )
    return {
        "type": "conversation",
        "id": str(conversation_id),
        "title": subject or None,
        "created_at": created,
        "updated_at": updated_at,
        "waiting_since": None,
        "snoozed_until": None,
        "open": state == "open",
        "state": state,
        "read": True,
        "priority": "not_priority",
        "admin_assignee_id": None,
        "team_assignee_id": None,
        "tags": {"type": "tag.list", "tags": [{"type": "tag", "id": str(i), "name": n} for i, n in enumerate(tags)]},
        "conversation_rating": None,
        "source": {
            "type": "conversation",
            "id": f"src-{conversation_id}",
            "delivered_as": delivered_as,
            "subject": subject,
            "body": body,
            "author": {"type": author_type, "id": f"author-{conversation_id}", "name": "Customer", "email": "c@example.com"},
            "attachments": [],
            "url": None,
            "redacted": False,
        },
        "contacts": {"type": "contact.list", "contacts": [{"type": "contact", "id": f"contact-{conversation_id}"}]},
        "teammates": {"type": "admin.list", "admins": []},
        "custom_attributes": {},
        "statistics": {"type": "conversation_statistics", "count_conversation_parts": len(parts)},
        "conversation_parts": {
            "type": "conversation_part.list",
            "conversation_parts": parts,
            "total_count": len(parts),
        },
    }


class _QuietServer(ThreadingHTTPServer):
    """A client that hangs up mid-response (timeouts and reset tests do) is expected, not worth a traceback."""

    def handle_error(self, request, client_address) -> None:
        pass


class _QueryError(ValueError):
    pass


class IntercomStub:
    """The stub server (see the module docstring). Use as a context manager or call start()/stop()."""

    def __init__(
        self,
        conversations: Iterable[dict[str, Any]] = (),
        *,
        token: str = "stub-token-0123456789",
        inclusive_comparisons: bool = True,
        detail_delay: float = 0.0,
    ) -> None:
        self.token = token
        self.inclusive_comparisons = inclusive_comparisons
        self.detail_delay = detail_delay
        self.on_search_page: Callable[[int, "IntercomStub"], None] | None = None
        self.requests: list[RecordedRequest] = []
        self.max_concurrent_details = 0
        self._conversations: dict[str, dict[str, Any]] = {}
        self._faults: dict[str, list[Fault]] = {}
        self._lock = threading.Lock()
        self._details_in_flight = 0
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        for conversation in conversations:
            self.put(conversation)

    # --- data and scripting ----------------------------------------------------------------------------

    def put(self, conversation: dict[str, Any]) -> None:
        """Add or replace a conversation (keyed by its ``id``)."""
        with self._lock:
            self._conversations[str(conversation["id"])] = copy.deepcopy(conversation)

    def update(self, conversation_id: str, **changes: Any) -> None:
        """Change top-level fields of a stored conversation (e.g. ``updated_at=…``)."""
        with self._lock:
            self._conversations[str(conversation_id)].update(copy.deepcopy(changes))

    def delete(self, conversation_id: str) -> None:
        with self._lock:
            self._conversations.pop(str(conversation_id), None)

    def fail(self, route: str, *faults: Fault) -> None:
        """Queue faults for ``"search"``, ``"detail"`` (any id), ``"detail:<id>"`` or ``"*"`` (any request)."""
        with self._lock:
            self._faults.setdefault(route, []).extend(faults)

    def requests_to(self, route: str) -> list[RecordedRequest]:
        """Recorded requests of ``"search"`` or ``"detail"``."""
        with self._lock:
            recorded = list(self.requests)
        if route == "search":
            return [r for r in recorded if r.method == "POST" and r.path == "/conversations/search"]
        if route == "detail":
            return [r for r in recorded if r.method == "GET" and r.path.startswith("/conversations/")]
        raise ValueError(f"unknown route {route!r}; use 'search' or 'detail'")

    # --- lifecycle -------------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the Intercom stub is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "IntercomStub":
        stub = self

        class Handler(_Handler):
            owner = stub

        self._server = _QuietServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, name="intercom-stub", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> "IntercomStub":
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # --- request handling (called from server threads) ------------------------------------------------

    def _next_fault(self, *routes: str) -> Fault | None:
        with self._lock:
            for route in routes:
                queued = self._faults.get(route)
                if queued:
                    return queued.pop(0)
        return None

    def _search(self, body: Any) -> tuple[int, Any]:
        if not isinstance(body, dict) or "query" not in body:
            return 400, error_body(400, "query is required")
        pagination = body.get("pagination") or {}
        per_page = pagination.get("per_page", DEFAULT_PER_PAGE)
        if isinstance(per_page, bool) or not isinstance(per_page, int) or not 1 <= per_page <= MAX_PER_PAGE:
            return 400, error_body(400, f"per_page must be an integer between 1 and {MAX_PER_PAGE}")
        cursor = pagination.get("starting_after")
        page_number, after_key = 1, None
        if cursor:
            try:
                decoded = json.loads(base64.urlsafe_b64decode(cursor.encode()))
                page_number, after_key = int(decoded["page"]), (decoded["key"][0], decoded["key"][1])
            except (ValueError, KeyError, TypeError, IndexError):
                return 400, error_body(400, "starting_after is not a valid cursor")
        if self.on_search_page is not None:
            self.on_search_page(page_number, self)
        with self._lock:
            stored = [copy.deepcopy(c) for c in self._conversations.values()]
        try:
            matches = [c for c in stored if self._matches(c, body["query"])]
        except _QueryError as error:
            return 400, error_body(400, str(error))
        matches.sort(key=lambda c: (c["updated_at"], c["id"]))
        total = len(matches)
        remaining = [c for c in matches if after_key is None or (c["updated_at"], c["id"]) > after_key]
        page = remaining[:per_page]
        for conversation in page:
            conversation.pop("conversation_parts", None)
        pages: dict[str, Any] = {
            "type": "pages",
            "page": page_number,
            "per_page": per_page,
            "total_pages": max(1, -(-total // per_page)),
        }
        if len(remaining) > per_page:
            last = page[-1]
            token = json.dumps({"page": page_number + 1, "key": [last["updated_at"], last["id"]]})
            pages["next"] = {
                "page": page_number + 1,
                "starting_after": base64.urlsafe_b64encode(token.encode()).decode(),
            }
        return 200, {"type": "conversation.list", "conversations": page, "total_count": total, "pages": pages}

    def _detail(self, conversation_id: str) -> tuple[int, Any]:
        with self._lock:
            self._details_in_flight += 1
            self.max_concurrent_details = max(self.max_concurrent_details, self._details_in_flight)
            conversation = copy.deepcopy(self._conversations.get(conversation_id))
        try:
            if self.detail_delay:
                time.sleep(self.detail_delay)
        finally:
            with self._lock:
                self._details_in_flight -= 1
        if conversation is None:
            return 404, error_body(404)
        return 200, conversation

    def _matches(self, conversation: dict[str, Any], query: Any) -> bool:
        if not isinstance(query, dict) or "operator" not in query or "value" not in query:
            raise _QueryError(f"malformed query {query!r}")
        operator = query["operator"]
        if "field" not in query:
            if operator not in ("AND", "OR") or not isinstance(query["value"], list):
                raise _QueryError(f"a filter group needs operator AND/OR and a list of filters, got {query!r}")
            results = [self._matches(conversation, part) for part in query["value"]]
            return all(results) if operator == "AND" else any(results)
        actual = _field(conversation, query["field"])
        expected = query["value"]
        if operator in (">", "<"):
            if isinstance(expected, bool) or not isinstance(expected, (int, float)):
                raise _QueryError(f"operator {operator} needs a number or a UNIX timestamp, got {expected!r}")
            if actual is None:
                return False
            if operator == ">":
                return actual >= expected if self.inclusive_comparisons else actual > expected
            return actual <= expected if self.inclusive_comparisons else actual < expected
        if operator == "=":
            return actual == expected
        if operator == "!=":
            return actual != expected
        if operator in ("IN", "NIN"):
            if not isinstance(expected, list):
                raise _QueryError(f"operator {operator} needs a list value")
            return (actual in expected) == (operator == "IN")
        if operator in ("~", "!~", "^", "$"):
            text = "" if actual is None else str(actual)
            hit = {
                "~": str(expected) in text,
                "!~": str(expected) not in text,
                "^": text.startswith(str(expected)),
                "$": text.endswith(str(expected)),
            }
            return hit[operator]
        raise _QueryError(f"unknown operator {operator!r}")


def _field(conversation: dict[str, Any], dotted: str) -> Any:
    value: Any = conversation
    for part in str(dotted).split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


class _Handler(BaseHTTPRequestHandler):
    owner: IntercomStub
    protocol_version = "HTTP/1.1"  # keep-alive, like the real API behind httpx's pool
    wbufsize = 1 << 16  # headers and body leave in one segment (no delayed-ACK stall per request)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass  # keep test output clean

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        self._serve("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._serve("POST")

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
            owner.requests.append(
                RecordedRequest(method, path, {k.lower(): v for k, v in self.headers.items()}, body, time.monotonic())
            )

        if method == "POST" and path == "/conversations/search":
            route, specific = "search", "search"
        elif method == "GET" and path.startswith("/conversations/") and path.count("/") == 2:
            conversation_id = unquote(path.rsplit("/", 1)[1])
            route, specific = "detail", f"detail:{conversation_id}"
        else:
            self._answer(404, error_body(404, f"no route {method} {path}"))
            return

        fault = owner._next_fault(specific, route, "*")
        if fault is not None and fault.delay:
            time.sleep(fault.delay)
        if fault is not None and fault.status is not None:
            self._answer(fault.status, fault.body if fault.body is not None else error_body(fault.status), fault.headers)
            return
        if self.headers.get("Authorization") != f"Bearer {owner.token}":
            self._answer(401, error_body(401))
            return
        status, payload = owner._search(body) if route == "search" else owner._detail(conversation_id)
        self._answer(status, payload)

    def _answer(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test); nothing to answer
