"""A stub of the Anthropic Messages API on 127.0.0.1, speaking the real JSON wire format, for tests and
benchmarks driven through the real ``anthropic`` SDK (``base_url=stub.base_url``).

Endpoints: ``POST /v1/messages`` (a ``message`` object: ``content`` with a ``tool_use`` block when the request
forces a tool, a JSON ``text`` block when it asks for ``output_config.format``; ``usage`` with
``cache_creation_input_tokens`` / ``cache_read_input_tokens`` simulated from ``cache_control``),
``POST /v1/messages/batches`` (``message_batch`` object), ``GET /v1/messages/batches/{id}``
(``processing_status`` ``in_progress`` until polled ``batch_polls_before_end`` times, then ``ended`` with
``results_url``), ``GET …/{id}/results`` (JSON Lines, in reverse order so clients must map by ``custom_id``),
``POST …/{id}/cancel``, ``GET /v1/models/{id}`` (a ``model`` object with ``lifecycle``, or 404
``not_found_error`` for a model the stub does not know; ``model_info`` overrides fields per model, e.g. a
deprecated ``lifecycle`` and ``retires_at``), and ``GET /_stub/stats`` (counters, for a stub run in another process with ``python -m
feedback_assets_tests.fakes.anthropic_stub``).

Scripting: ``stub.script(reply, …)`` queues replies consumed first-in first-out by ``/v1/messages`` calls;
afterwards ``responder(request) -> Reply`` answers (for batches, each entry's params go through the same
responder, or ``batch_responder(custom_id, request)``). Replies: ``Answer(payload)`` (tool input / JSON),
``Fault(status, error_type)`` with headers such as ``retry-after-ms``, ``Reset()`` (connection reset), each
with an optional ``delay``; batch entries also take ``BatchErrored``, ``BatchExpired``, ``BatchCanceled``.
``latency`` delays every ``/v1/messages`` call. The stub records every request and the maximum number of
``/v1/messages`` requests in flight at once.

Strict like the real API (``MODELS``, written from the documentation, independently of the engine's own
``capabilities`` table): an unknown model is a 404 ``not_found_error``; a forced ``tool_choice`` on a model
that refuses forced tools, or while thinking is on (explicitly or by the model's default), a
``thinking: {"type": "disabled"}`` the model does not accept, or ``output_config.effort`` on a model without
effort are 400 ``invalid_request_error`` (batch entries with such params end ``errored``); a batch over
``batch_max_requests`` entries or ``batch_max_bytes`` bytes is refused with a 400 at create; a cached prefix
below the model's minimum is not cached; an answer longer than ``max_tokens`` is cut off with
``stop_reason: "max_tokens"``; thinking blocks appear only when thinking is on. ``random_responder(seed)``
answers every request with random values that are valid for the request's answer schema (and the limits
its descriptions state in words), as a model may.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import random
import re
import socket
import struct
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable

JSON = "application/json"


# ----- replies ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """A successful message whose structured answer is ``payload`` (any JSON value, or raw text when
    ``raw_text`` is true, e.g. to send malformed JSON)."""

    payload: Any
    delay: float = 0.0
    raw_text: bool = False
    stop_reason: str | None = None
    tool_name: str | None = None
    """Override the tool name of the ``tool_use`` block (default: the forced tool)."""
    thinking: str | None = None
    """Put a ``thinking`` block before the answer, as models with adaptive thinking do."""


@dataclass(frozen=True)
class Fault:
    """An HTTP error with the API's error body ``{"type": "error", "error": {"type", "message"}}``."""

    status: int
    error_type: str
    message: str = "stub fault"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass(frozen=True)
class Reset:
    """Drop the connection with a TCP reset instead of answering."""

    delay: float = 0.0


@dataclass(frozen=True)
class BatchErrored:
    error_type: str = "invalid_request_error"
    message: str = "stub batch entry error"


@dataclass(frozen=True)
class BatchExpired:
    pass


@dataclass(frozen=True)
class BatchCanceled:
    pass


Reply = Answer | Fault | Reset
BatchReply = Answer | Fault | BatchErrored | BatchExpired | BatchCanceled


def rate_limited(retry_after_ms: int = 20, retry_after_s: int | None = None) -> Fault:
    headers = {"retry-after-ms": str(retry_after_ms)}
    if retry_after_s is not None:
        headers["retry-after"] = str(retry_after_s)
    return Fault(429, "rate_limit_error", "Number of request tokens has exceeded your rate limit", headers)


def overloaded(retry_after_ms: int = 20) -> Fault:
    return Fault(529, "overloaded_error", "Overloaded", {"retry-after-ms": str(retry_after_ms)})


def server_error(retry_after_ms: int = 20) -> Fault:
    return Fault(500, "api_error", "Internal server error", {"retry-after-ms": str(retry_after_ms)})


def unauthorized() -> Fault:
    return Fault(401, "authentication_error", "invalid x-api-key")


# ----- the API's rules -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StubModel:
    """What the stubbed API accepts for one model (see the engine's ``capabilities`` for the sources)."""

    forced_tool: bool
    thinks_by_default: bool
    can_disable_thinking: bool
    effort: bool
    cache_min_tokens: int


MODELS: dict[str, StubModel] = {
    "claude-haiku-5-5": StubModel(True, True, True, True, 512),
    "claude-sonnet-5-5": StubModel(False, True, False, True, 512),
    "claude-opus-5-5": StubModel(False, True, False, True, 512),
    "claude-sonnet-5": StubModel(False, True, False, True, 1024),
    "claude-sonnet-4-6": StubModel(True, False, True, True, 2048),
    "claude-haiku-4-5": StubModel(True, False, True, False, 4096),
}
API_MAX_BATCH_REQUESTS = 100_000
API_MAX_BATCH_BYTES = 256 * 1024 * 1024


def thinking_on(body: dict[str, Any]) -> bool:
    """Whether the request thinks: its ``thinking`` type, else the model's default."""
    model = MODELS.get(body.get("model", ""))
    kind = (body.get("thinking") or {}).get("type")
    if kind is None:
        return bool(model and model.thinks_by_default)
    return kind != "disabled"


def invalid_request(body: Any, models: dict[str, StubModel]) -> Fault | None:
    """The error the real API answers to these Messages params, or ``None`` when it accepts them."""
    if not isinstance(body, dict):
        return Fault(400, "invalid_request_error", "request body must be a JSON object")
    name = body.get("model")
    model = models.get(name or "")
    if model is None:
        return Fault(404, "not_found_error", f"model: {name}")
    thinking = (body.get("thinking") or {}).get("type")
    if thinking == "disabled" and not model.can_disable_thinking:
        return Fault(
            400,
            "invalid_request_error",
            '"thinking.type.disabled" is not supported for this model. Use "thinking.type.adaptive" and '
            '"output_config.effort" to control thinking behavior.',
        )
    if "effort" in (body.get("output_config") or {}) and not model.effort:
        return Fault(400, "invalid_request_error", "output_config.effort: not supported for this model")
    if (body.get("tool_choice") or {}).get("type") in ("tool", "any"):
        if not model.forced_tool:
            return Fault(
                400,
                "invalid_request_error",
                'tool_choice: type "tool" and "any" are not supported for this model.',
            )
        if thinking_on(body):
            return Fault(
                400,
                "invalid_request_error",
                "Thinking may not be enabled when tool_choice forces tool use.",
            )
    return None


_WORDS = ("sync", "export", "invoice", "login", "report", "timeout", "crash", "slow", "seat", "csv", "app")
_RANGE = re.compile(r"(\d+) to (\d+) (characters|items)|At most (\d+) (characters|items)|At least (\d+)")


def _limits(schema: dict[str, Any]) -> tuple[int | None, int | None]:
    match = _RANGE.search(schema.get("description") or "")
    if not match:
        return None, None
    if match.group(1):
        return int(match.group(1)), int(match.group(2))
    if match.group(4):
        return None, int(match.group(4))
    return int(match.group(6)), None


def random_value(schema: dict[str, Any], rng: random.Random, defs: dict[str, Any] | None = None) -> Any:
    """A random value valid for ``schema`` (enums, types, required properties, and the size limits the
    engine states in descriptions). Strings are 1 to 3 lowercase words joined by ``_``."""
    defs = defs if defs is not None else schema.get("$defs", {})
    if "$ref" in schema:
        return random_value(defs[schema["$ref"].rsplit("/", 1)[-1]], rng, defs)
    if "enum" in schema:
        return rng.choice(schema["enum"])
    if "anyOf" in schema:
        return random_value(rng.choice(schema["anyOf"]), rng, defs)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = rng.choice(kind)
    low, high = _limits(schema)
    if kind == "object":
        return {key: random_value(value, rng, defs) for key, value in schema.get("properties", {}).items()}
    if kind == "array":
        count = rng.randint(low or 0, min(high if high is not None else 3, (low or 0) + 3))
        return [random_value(schema.get("items", {}), rng, defs) for _ in range(count)]
    if kind == "boolean":
        return rng.random() < 0.5
    if kind == "integer":
        return rng.randint(0, 10)
    if kind == "number":
        return rng.random()
    if kind == "null":
        return None
    words = "_".join(rng.choice(_WORDS) for _ in range(rng.randint(2, 3)))
    return words[:high] if high else words


def random_responder(seed: int = 0) -> Callable[["RecordedRequest"], "Answer"]:
    """Answers every request with random, schema-valid values (deterministic for a seed)."""
    rng = random.Random(seed)
    lock = threading.Lock()

    def respond(request: "RecordedRequest") -> Answer:
        with lock:
            return Answer(random_value(request.answer_schema or {"type": "object"}, rng))

    return respond


# ----- recorded requests ------------------------------------------------------------------------------------


@dataclass
class RecordedRequest:
    """One request the stub received (for ``/v1/messages``, or a batch entry's ``params``)."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any
    started: float
    finished: float | None = None
    custom_id: str | None = None
    status: int | None = None
    """HTTP status sent (``None`` for a reset or a batch entry)."""
    response: Any = None
    """The message object sent back (for ``/v1/messages`` and succeeded batch entries)."""

    @property
    def task_name(self) -> str | None:
        """The forced tool's name, else the JSON schema's title (identifies which answer is asked for)."""
        body = self.body if isinstance(self.body, dict) else {}
        choice = body.get("tool_choice") or {}
        if choice.get("type") == "tool":
            return choice.get("name")
        schema = ((body.get("output_config") or {}).get("format") or {}).get("schema") or {}
        if schema:
            return schema.get("title")
        tools = body.get("tools") or []
        return tools[0].get("name") if tools else None

    @property
    def answer_schema(self) -> dict[str, Any] | None:
        body = self.body if isinstance(self.body, dict) else {}
        choice = body.get("tool_choice") or {}
        for tool in body.get("tools") or []:
            if tool.get("name") == choice.get("name"):
                return tool.get("input_schema")
        return ((body.get("output_config") or {}).get("format") or {}).get("schema")

    @property
    def user_texts(self) -> list[str]:
        """Text blocks of the user turns, in order."""
        texts: list[str] = []
        for message in (self.body or {}).get("messages", []):
            if message.get("role") != "user":
                continue
            content = message.get("content")
            if isinstance(content, str):
                texts.append(content)
            else:
                texts.extend(block.get("text", "") for block in content if block.get("type") == "text")
        return texts

    @property
    def user_text(self) -> str:
        return "\n".join(self.user_texts)

    @property
    def system_text(self) -> str:
        system = (self.body or {}).get("system")
        if isinstance(system, str):
            return system
        return "\n".join(block.get("text", "") for block in system or [])

    @property
    def is_corrective(self) -> bool:
        return len(self.user_texts) > 1


# ----- server -----------------------------------------------------------------------------------------------


def _now_iso(offset: timedelta = timedelta()) -> str:
    return (datetime.now(timezone.utc) + offset).isoformat().replace("+00:00", "Z")


def _tokens(value: Any) -> int:
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    return max(1, len(text) // 4)


@dataclass
class _Batch:
    batch_id: str
    created_at: str
    entries: list[tuple[str, BatchReply, RecordedRequest]]
    polls: int = 0
    canceled: bool = False
    results_fetched: bool = False
    ended_at: str | None = None


class AnthropicStub:
    """The stub server; use as a context manager or call ``start()`` / ``stop()``."""

    def __init__(
        self,
        responder: Callable[[RecordedRequest], Reply] | None = None,
        *,
        latency: float = 0.0,
        api_key: str | None = None,
        batch_responder: Callable[[str, RecordedRequest], BatchReply] | None = None,
        batch_polls_before_end: int = 1,
        batch_max_requests: int = API_MAX_BATCH_REQUESTS,
        batch_max_bytes: int = API_MAX_BATCH_BYTES,
        models: dict[str, StubModel] | None = None,
        model_info: dict[str, dict[str, Any]] | None = None,
    ) -> None:
        self.responder = responder
        self.batch_responder = batch_responder
        self.latency = latency
        self.api_key = api_key
        self.batch_polls_before_end = batch_polls_before_end
        self.batch_max_requests = batch_max_requests
        self.batch_max_bytes = batch_max_bytes
        self.models = dict(MODELS if models is None else models)
        self.model_info = dict(model_info or {})
        """Model id → fields laid over the ``GET /v1/models/{id}`` answer (``lifecycle``, ``retires_at``…)."""
        self.refused: list[tuple[RecordedRequest, Fault]] = []
        """Requests (and batch creates / entries) refused by the API rules, with the error sent."""
        self.requests: list[RecordedRequest] = []
        """Every HTTP request, in arrival order."""
        self.message_requests: list[RecordedRequest] = []
        """``POST /v1/messages`` requests, in arrival order."""
        self.batch_entries: list[RecordedRequest] = []
        """Entries of created batches (``custom_id`` set), in submission order."""
        self.in_flight = 0
        self.max_in_flight = 0
        self._script: deque[Reply] = deque()
        self._poll_script: deque[Fault] = deque()
        self._lock = threading.Lock()
        self._cached_prefixes: set[str] = set()
        self._batches: dict[str, _Batch] = {}
        self._ids = itertools.count(1)
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # lifecycle

    def start(self) -> "AnthropicStub":
        stub = self

        class Handler(_Handler):
            owner = stub

        self._server = _Server(("127.0.0.1", 0), Handler)
        server = self._server
        self._thread = threading.Thread(
            target=lambda: server.serve_forever(poll_interval=0.05), name="anthropic-stub", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> "AnthropicStub":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start the stub first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    # scripting

    def script(self, *replies: Reply) -> None:
        with self._lock:
            self._script.extend(replies)

    def script_polls(self, *faults: Fault) -> None:
        """Faults answered, first-in first-out, to batch retrieve (poll) requests before they succeed."""
        with self._lock:
            self._poll_script.extend(faults)

    def requests_for(self, needle: str) -> list[RecordedRequest]:
        """``/v1/messages`` requests whose user text contains ``needle``."""
        return [request for request in self.message_requests if needle in request.user_text]

    def intervals(self) -> list[tuple[float, float]]:
        """(start, end) of every finished ``/v1/messages`` request."""
        return [(r.started, r.finished) for r in self.message_requests if r.finished is not None]

    # internals used by the handler

    def _next_reply(self, request: RecordedRequest) -> Reply:
        with self._lock:
            if self._script:
                return self._script.popleft()
        if self.responder is None:
            raise AssertionError("AnthropicStub: no scripted reply left and no responder")
        return self.responder(request)

    def _sleep(self, seconds: float) -> None:
        if seconds > 0:
            self._stopping.wait(seconds)

    def _message(self, request: RecordedRequest, answer: Answer) -> dict[str, Any]:
        body = request.body
        payload_text = answer.payload if answer.raw_text else json.dumps(answer.payload)
        thinking = answer.thinking if answer.thinking is not None and thinking_on(body) else None
        output_tokens = _tokens(payload_text) + (_tokens(thinking) if thinking else 0)
        limit = int(body.get("max_tokens") or 0)
        cut = limit > 0 and output_tokens > limit
        if request.task_name and (body.get("tool_choice") or {}).get("type") == "tool":
            content = [
                {
                    "type": "tool_use",
                    "id": f"toolu_{next(self._ids):024d}",
                    "name": answer.tool_name or request.task_name,
                    "input": {} if cut else answer.payload,
                }
            ]
            stop_reason = answer.stop_reason or "tool_use"
        else:
            visible = max(0, limit - (_tokens(thinking) if thinking else 0)) * 4
            content = [{"type": "text", "text": payload_text[:visible] if cut else payload_text}]
            stop_reason = answer.stop_reason or "end_turn"
        if cut:
            stop_reason, output_tokens = "max_tokens", limit
        if thinking is not None:
            content.insert(0, {"type": "thinking", "thinking": thinking, "signature": "c3R1Yg=="})
        # The cached prefix runs (tools, then system) up to the last block with a cache breakpoint; the
        # system blocks after it are billed as input on every call, like the real API.
        system = body.get("system")
        blocks = system if isinstance(system, list) else ([{"type": "text", "text": system}] if system else [])
        marked = [i for i, block in enumerate(blocks) if isinstance(block, dict) and "cache_control" in block]
        upto = marked[-1] + 1 if marked else 0
        prefix = {"tools": body.get("tools"), "system": blocks[:upto], "model": body.get("model")}
        prefix_tokens = _tokens(prefix)
        model = self.models.get(body.get("model", ""))
        minimum = model.cache_min_tokens if model else 0
        cached = bool(marked) and prefix_tokens >= minimum
        creation = read = 0
        input_tokens = _tokens(body.get("messages")) + (_tokens(blocks[upto:]) if blocks[upto:] else 0)
        if cached:
            key = hashlib.sha256(json.dumps(prefix, sort_keys=True).encode()).hexdigest()
            with self._lock:
                if key in self._cached_prefixes:
                    read = prefix_tokens
                else:
                    self._cached_prefixes.add(key)
                    creation = prefix_tokens
        else:
            input_tokens += prefix_tokens
        return {
            "id": f"msg_{next(self._ids):024d}",
            "type": "message",
            "role": "assistant",
            "model": body.get("model"),
            "content": content,
            "stop_reason": stop_reason,
            "stop_sequence": None,
            "usage": {
                "input_tokens": input_tokens,
                "output_tokens": output_tokens,
                "cache_creation_input_tokens": creation,
                "cache_read_input_tokens": read,
                "service_tier": "standard",
            },
        }

    def _batch_object(self, batch: _Batch) -> dict[str, Any]:
        ended = batch.canceled or batch.polls >= self.batch_polls_before_end
        counts = {"processing": 0, "succeeded": 0, "errored": 0, "canceled": 0, "expired": 0}
        if ended:
            batch.ended_at = batch.ended_at or _now_iso()
            for _, reply, _ in batch.entries:
                counts[self._result_kind(batch, reply)] += 1
        else:
            counts["processing"] = len(batch.entries)
        return {
            "id": batch.batch_id,
            "type": "message_batch",
            "processing_status": "ended" if ended else ("canceling" if batch.canceled else "in_progress"),
            "request_counts": counts,
            "created_at": batch.created_at,
            "expires_at": _now_iso(timedelta(hours=24)),
            "ended_at": batch.ended_at if ended else None,
            "cancel_initiated_at": batch.ended_at if batch.canceled else None,
            "archived_at": None,
            "results_url": f"{self.base_url}/v1/messages/batches/{batch.batch_id}/results" if ended else None,
        }

    @staticmethod
    def _result_kind(batch: _Batch, reply: BatchReply) -> str:
        if batch.canceled:
            return "canceled"
        if isinstance(reply, Answer):
            return "succeeded"
        if isinstance(reply, (Fault, BatchErrored)):
            return "errored"
        return "expired" if isinstance(reply, BatchExpired) else "canceled"

    def _batch_result_line(
        self, batch: _Batch, custom_id: str, reply: BatchReply, request: RecordedRequest
    ) -> str:
        kind = self._result_kind(batch, reply)
        if kind == "succeeded":
            assert isinstance(reply, Answer)
            request.response = self._message(request, reply)
            result: dict[str, Any] = {"type": "succeeded", "message": request.response}
        elif kind == "errored":
            error_type = reply.error_type if isinstance(reply, (Fault, BatchErrored)) else "api_error"
            message = reply.message if isinstance(reply, (Fault, BatchErrored)) else ""
            result = {
                "type": "errored",
                "error": {"type": "error", "error": {"type": error_type, "message": message}},
            }
        else:
            result = {"type": kind}
        return json.dumps({"custom_id": custom_id, "result": result})


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256  # the default backlog of 5 drops simultaneous connects (1 s SYN retry)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that time out or reset leave broken pipes behind; that is what the tests provoke.
        pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are separate writes: avoid the 40 ms delayed-ACK stall
    owner: AnthropicStub

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def finish(self) -> None:
        try:
            super().finish()
        except OSError:
            pass

    # plumbing

    def _read_body(self) -> Any:
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b""
        return json.loads(raw) if raw else None

    def _send(
        self, status: int, body: bytes, content_type: str = JSON, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("content-type", content_type)
        self.send_header("content-length", str(len(body)))
        self.send_header("request-id", f"req_stub_{next(self.owner._ids):012d}")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def _send_json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        self._send(status, json.dumps(payload).encode(), JSON, headers)

    def _send_fault(self, fault: Fault) -> None:
        self._send_json(
            fault.status,
            {
                "type": "error",
                "error": {"type": fault.error_type, "message": fault.message},
                "request_id": None,
            },
            fault.headers,
        )

    def _reset(self) -> None:
        self.close_connection = True
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()

    def _authorised(self) -> bool:
        key = self.owner.api_key
        if key is None:
            return True
        return self.headers.get("x-api-key") == key or self.headers.get("authorization") == f"Bearer {key}"

    def _record(self, body: Any) -> RecordedRequest:
        request = RecordedRequest(
            method=self.command,
            path=self.path,
            headers={name.lower(): value for name, value in self.headers.items()},
            body=body,
            started=time.perf_counter(),
        )
        with self.owner._lock:
            self.owner.requests.append(request)
        return request

    # routes

    def do_POST(self) -> None:  # noqa: N802 - http.server naming
        body = self._read_body()
        request = self._record(body)
        if not self._authorised():
            self._send_fault(unauthorized())
            return
        path = self.path.split("?")[0]
        if path == "/v1/messages":
            self._messages(request)
        elif path == "/v1/messages/batches":
            self._create_batch(body, request)
        elif path.startswith("/v1/messages/batches/") and path.endswith("/cancel"):
            self._cancel_batch(path.split("/")[4])
        else:
            self._send_fault(Fault(404, "not_found_error", f"no route {path}"))

    def do_GET(self) -> None:  # noqa: N802
        self._record(None)
        if not self._authorised():
            self._send_fault(unauthorized())
            return
        parts = self.path.split("?")[0].strip("/").split("/")
        if parts == ["_stub", "stats"]:  # for a stub in another process (benchmarks)
            owner = self.owner
            with owner._lock:
                stats = {
                    "message_requests": len(owner.message_requests),
                    "max_in_flight": owner.max_in_flight,
                }
                owner.max_in_flight = owner.in_flight  # each read starts a new measurement window
            self._send_json(200, stats)
        elif len(parts) == 3 and parts[:2] == ["v1", "models"]:
            self._model(parts[2])
        elif len(parts) >= 4 and parts[:3] == ["v1", "messages", "batches"]:
            batch = self.owner._batches.get(parts[3])
            if batch is None:
                self._send_fault(Fault(404, "not_found_error", f"no batch {parts[3]}"))
            elif len(parts) == 5 and parts[4] == "results":
                self._batch_results(batch)
            else:
                with self.owner._lock:
                    fault = self.owner._poll_script.popleft() if self.owner._poll_script else None
                    if fault is None:
                        batch.polls += 1
                        payload = self.owner._batch_object(batch)
                if fault is not None:
                    self._send_fault(fault)
                else:
                    self._send_json(200, payload)
        else:
            self._send_fault(Fault(404, "not_found_error", f"no route {self.path}"))

    def _model(self, model_id: str) -> None:
        """``GET /v1/models/{id}``: the ``ModelInfo`` wire shape, or the API's 404 for an unknown id."""
        if model_id not in self.owner.models:
            self._send_fault(Fault(404, "not_found_error", f"model: {model_id}"))
            return
        info = {
            "type": "model",
            "id": model_id,
            "display_name": model_id.replace("-", " ").title(),
            "created_at": "2026-05-01T00:00:00Z",
            "lifecycle": "active",
            "deprecated_at": None,
            "retires_at": None,
            "max_input_tokens": 200_000,
            "max_tokens": 64_000,
        }
        info.update(self.owner.model_info.get(model_id, {}))
        self._send_json(200, info)

    def _messages(self, request: RecordedRequest) -> None:
        owner = self.owner
        with owner._lock:
            owner.message_requests.append(request)
            owner.in_flight += 1
            owner.max_in_flight = max(owner.max_in_flight, owner.in_flight)
        try:
            refusal = invalid_request(request.body, owner.models)
            if refusal is not None:
                with owner._lock:
                    owner.refused.append((request, refusal))
                request.status = refusal.status
                self._send_fault(refusal)
                return
            reply = owner._next_reply(request)
            owner._sleep(owner.latency + reply.delay)
            if isinstance(reply, Reset):
                self._reset()
            elif isinstance(reply, Fault):
                request.status = reply.status
                self._send_fault(reply)
            else:
                request.response = owner._message(request, reply)
                request.status = 200
                self._send_json(200, request.response)
        finally:
            with owner._lock:
                owner.in_flight -= 1
                request.finished = time.perf_counter()

    def _create_batch(self, body: Any, request: RecordedRequest) -> None:
        owner = self.owner
        count = len((body or {}).get("requests", []))
        size = int(self.headers.get("content-length") or 0)
        if count > owner.batch_max_requests or size > owner.batch_max_bytes:
            fault = Fault(
                400,
                "invalid_request_error",
                f"requests: a message batch holds at most {owner.batch_max_requests} requests and "
                f"{owner.batch_max_bytes} bytes (got {count} requests, {size} bytes)",
            )
            with owner._lock:
                owner.refused.append((request, fault))
            request.status = 400
            self._send_fault(fault)
            return
        entries = []
        for entry in (body or {}).get("requests", []):
            recorded = RecordedRequest(
                method="POST",
                path="/v1/messages",
                headers={},
                body=entry["params"],
                started=time.perf_counter(),
                custom_id=entry["custom_id"],
            )
            refusal = invalid_request(recorded.body, owner.models)
            if refusal is not None:
                with owner._lock:
                    owner.refused.append((recorded, refusal))
                reply: BatchReply = BatchErrored(refusal.error_type, refusal.message)
            elif owner.batch_responder is not None:
                reply = owner.batch_responder(entry["custom_id"], recorded)
            else:
                reply = owner._next_reply(recorded)  # type: ignore[assignment]
            entries.append((entry["custom_id"], reply, recorded))
        batch = _Batch(batch_id=f"msgbatch_{next(owner._ids):024d}", created_at=_now_iso(), entries=entries)
        with owner._lock:
            owner.batch_entries.extend(recorded for _, _, recorded in entries)
            owner._batches[batch.batch_id] = batch
            payload = owner._batch_object(batch)
        self._send_json(200, payload)

    def _cancel_batch(self, batch_id: str) -> None:
        batch = self.owner._batches.get(batch_id)
        if batch is None:
            self._send_fault(Fault(404, "not_found_error", f"no batch {batch_id}"))
            return
        with self.owner._lock:
            batch.canceled = True
            payload = self.owner._batch_object(batch)
        self._send_json(200, payload)

    def _batch_results(self, batch: _Batch) -> None:
        owner = self.owner
        with owner._lock:
            ended = batch.canceled or batch.polls >= owner.batch_polls_before_end
            batch.results_fetched = True
        if not ended:
            self._send_fault(Fault(400, "invalid_request_error", "batch is still processing"))
            return
        lines = [owner._batch_result_line(batch, *entry) for entry in reversed(batch.entries)]
        self._send(200, ("\n".join(lines) + "\n").encode(), "application/binary")


def main(argv: list[str] | None = None) -> None:
    """Serve the stub in its own process (so benchmarks do not share a GIL with it): prints the base URL,
    answers every task validly (``feedback_answers``), and runs until stdin closes."""
    import argparse
    import sys

    from feedback_assets_tests.fakes.feedback_answers import feedback_responder

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every /v1/messages call")
    parser.add_argument("--api-key", default=None, help="accept only this key (default: any)")
    args = parser.parse_args(argv)
    with AnthropicStub(feedback_responder, latency=args.latency, api_key=args.api_key) as stub:
        print(stub.base_url, flush=True)
        sys.stdin.read()


if __name__ == "__main__":
    main()
