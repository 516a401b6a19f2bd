"""Drives the stage generators of ``structured.exchange`` against the API, in one of two modes.

``messages`` (interactive): a pool of ``concurrency`` workers; each takes the next job and runs its whole
chain (stage 1, then stage 2 when support replied, each with its possible corrective retry) call after
call, then takes the next job. A worker is a slot: at most ``concurrency`` calls are in flight and, while
jobs remain, every slot is busy — nobody waits for the slowest call of a batch.

``batches`` (Message Batches API, in ``batches``): every job's next request goes into a round of batches,
each under the count and size caps, polled until ended; the next round (stage 2, corrective retries) is
submitted only after the previous round's results arrived.

Both modes: 401/403 raise ``EngineAuthError`` at once (and cancel everything else), other API failures after
the SDK's retries become a ``CallFailure`` for that job only (so does a ``retry-after`` over the cap, see
``waits``), ``should_stop`` and task cancellation stop promptly and leave no task behind, and a step
``Deadline`` cancels in-flight calls and records every unfinished job as failed "deadline reached".
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Generator, Sequence, TypeVar

import anthropic

from feedback_assets.domain.models import TokenUsage
from feedback_assets.engines.anthropic.errors import API_KEY_SETTING, EngineAuthError, EngineStopped
from feedback_assets.engines.anthropic.pricing import ModelPrice, usage_cost
from feedback_assets.engines.anthropic.structured import CallFailure, ModelRequest
from feedback_assets.engines.anthropic.waits import Deadline, RetryWaitTooLong

log = logging.getLogger(__name__)

OutcomeT = TypeVar("OutcomeT")
Job = Generator[ModelRequest, Any, OutcomeT]


@dataclass
class RunStats:
    """Counters of one engine call, for asset metadata and failure-share checks."""

    items: int = 0
    failures: int = 0
    requests: int = 0
    corrective_retries: int = 0
    call_failures: int = 0
    batches: int = 0
    deadline_failures: int = 0
    elapsed_seconds: float = 0.0
    usage: TokenUsage = field(default_factory=TokenUsage)
    by_stage: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Stage → calls, input/output tokens, cache reads and writes (tokens), cost of that stage's calls."""

    def as_metadata(self) -> dict[str, Any]:
        return {
            "items": self.items,
            "failures": self.failures,
            "requests": self.requests,
            "corrective_retries": self.corrective_retries,
            "call_failures": self.call_failures,
            "batches": self.batches,
            "deadline_failures": self.deadline_failures,
            "elapsed_seconds": round(self.elapsed_seconds, 3),
            **self.usage.model_dump(),
            "by_stage": self.by_stage,
        }


MAX_CONSECUTIVE_POLL_ERRORS = 5


class UsageMeter:
    """Sums tokens and cost over calls; cost summed unrounded, rounded once at the end."""

    def __init__(self, prices: dict[str, ModelPrice], *, batch: bool) -> None:
        self._prices = prices
        self._batch = batch
        self._totals = {
            "calls": 0,
            "input_tokens": 0,
            "output_tokens": 0,
            "cache_read_tokens": 0,
            "cache_write_tokens": 0,
        }
        self._cost = 0.0
        self.by_stage: dict[str, dict[str, Any]] = {}

    def add(self, model: str, message: Any, stage: str | None = None) -> None:
        usage = getattr(message, "usage", None)
        if usage is None:
            return
        one = usage_cost(
            self._prices[model],
            input_tokens=usage.input_tokens or 0,
            output_tokens=usage.output_tokens or 0,
            cache_read_tokens=usage.cache_read_input_tokens or 0,
            cache_write_tokens=usage.cache_creation_input_tokens or 0,
            batch=self._batch,
        )
        for key in self._totals:
            self._totals[key] += getattr(one, key)
        self._cost += one.cost_usd
        if stage is not None:
            row = self.by_stage.setdefault(stage, {**dict.fromkeys(self._totals, 0), "cost_usd": 0.0})
            for key in self._totals:
                row[key] += getattr(one, key)
            row["cost_usd"] += one.cost_usd

    def total(self) -> TokenUsage:
        return TokenUsage(**self._totals, cost_usd=round(self._cost, 6))


def _redact(text: str, secret: str | None) -> str:
    return text.replace(secret, "***") if secret else text


def auth_error(error: anthropic.APIStatusError, secret: str | None) -> EngineAuthError:
    """The exception for a 401/403: names the setting, the status and the API's reason, never the key."""
    kind = "authentication" if error.status_code == 401 else "permission"
    detail = _redact(_api_error_text(error), secret)
    return EngineAuthError(
        f"Anthropic API refused the request ({error.status_code} {kind} error: {detail}). "
        f"Check the {API_KEY_SETTING} setting (a valid key for this workspace with access to the models)."
    )


def _api_error_text(error: anthropic.APIStatusError) -> str:
    body = error.body if isinstance(error.body, dict) else {}
    inner = body.get("error") if isinstance(body.get("error"), dict) else {}
    error_type = inner.get("type") or type(error).__name__
    message = inner.get("message") or ""
    request_id = getattr(error, "request_id", None)
    text = f"{error_type}: {message}" if message else str(error_type)
    return f"{text} [request {request_id}]" if request_id else text


def _retries(count: int) -> str:
    return "1 retry" if count == 1 else f"{count} retries"


def describe_failure(error: Exception, *, max_retries: int, timeout: float, secret: str | None) -> str:
    """One line for a recorded failure after the SDK gave up."""
    if isinstance(error, RetryWaitTooLong):
        text = str(error)
    elif isinstance(error, anthropic.APITimeoutError):
        text = f"timed out after {timeout:g} s per attempt ({_retries(max_retries)})"
    elif isinstance(error, anthropic.APIConnectionError):
        cause = error.__cause__ or error
        detail = f"{type(cause).__name__}: {cause}" if str(cause) else type(cause).__name__
        text = f"connection failed ({detail}) after {_retries(max_retries)}"
    elif isinstance(error, anthropic.APIStatusError):
        retried = f" after {_retries(max_retries)}" if _retryable_status(error.status_code) else ""
        text = f"API error {error.status_code} {_api_error_text(error)}{retried}"
    else:
        text = f"{type(error).__name__}: {error}"
    return _redact(text, secret)


def _retryable_status(status: int) -> bool:
    return status in (408, 409, 429) or status >= 500


class CallContext:
    """Per-run state shared by the drivers: client, prices, counters, and error policy."""

    def __init__(
        self,
        client: anthropic.AsyncAnthropic,
        meter: UsageMeter,
        stats: RunStats,
        *,
        api_key: str | None,
        max_retries: int,
        timeout: float,
        deadline: Deadline | None = None,
    ) -> None:
        self.deadline = deadline
        self.client = client
        self.meter = meter
        self.stats = stats
        self.api_key = api_key
        self.max_retries = max_retries
        self.timeout = timeout

    def count_request(self, request: ModelRequest) -> None:
        self.stats.requests += 1
        if request.corrective:
            self.stats.corrective_retries += 1

    def describe(self, error: Exception) -> str:
        return describe_failure(
            error, max_retries=self.max_retries, timeout=self.timeout, secret=self.api_key
        )

    def failure(self, error: Exception) -> CallFailure:
        self.stats.call_failures += 1
        return CallFailure(self.describe(error))

    async def create_message(self, request: ModelRequest) -> Any:
        """``messages.create`` with the error policy applied: a message, a ``CallFailure``, or a raise."""
        self.count_request(request)
        try:
            message = await self.client.messages.create(**request.params)
        except (anthropic.AuthenticationError, anthropic.PermissionDeniedError) as error:
            raise auth_error(error, self.api_key) from None
        except anthropic.APIError as error:
            return self.failure(error)
        self.meter.add(request.model, message, request.stage)
        return message


def _start(job: Job[OutcomeT]) -> tuple[ModelRequest | None, OutcomeT | None]:
    try:
        return next(job), None
    except StopIteration as stop:
        return None, stop.value


def _advance(job: Job[OutcomeT], response: Any) -> tuple[ModelRequest | None, OutcomeT | None]:
    try:
        return job.send(response), None
    except StopIteration as stop:
        return None, stop.value


async def _watch_stop(should_stop: Callable[[], bool], interval: float) -> None:
    while True:
        if should_stop():
            raise EngineStopped(
                "stopped on request (should_stop returned true); in-flight calls were cancelled"
            )
        await asyncio.sleep(interval)


class DeadlineReached(Exception):
    """Raised by ``supervise`` when the step deadline passes; the drivers turn it into recorded failures."""


async def _watch_deadline(deadline: Deadline) -> None:
    remaining = deadline.remaining()
    if remaining is not None:
        await asyncio.sleep(remaining)
        raise DeadlineReached(deadline.reason())
    await asyncio.Event().wait()  # no deadline: never fires


async def supervise(
    work: Sequence[Awaitable[Any]],
    should_stop: Callable[[], bool] | None,
    stop_poll_interval: float,
    deadline: Deadline | None = None,
) -> None:
    """Runs ``work`` to completion; the first exception (or a stop request, the deadline, or our own
    cancellation) cancels every other task and is re-raised once they are all gone."""
    tasks = [asyncio.ensure_future(item) for item in work]
    watchers = []
    if should_stop:
        watchers.append(asyncio.ensure_future(_watch_stop(should_stop, stop_poll_interval)))
    if deadline is not None and deadline.remaining() is not None:
        watchers.append(asyncio.ensure_future(_watch_deadline(deadline)))
    everything = tasks + watchers
    try:
        pending: set[asyncio.Future[Any]] = set(tasks)
        while pending:
            done, _ = await asyncio.wait(pending | set(watchers), return_when=asyncio.FIRST_COMPLETED)
            for finished in done:
                if finished.exception() is not None:
                    raise finished.exception()  # type: ignore[misc]
            pending -= done
    finally:
        for task in everything:
            task.cancel()
        await asyncio.gather(*everything, return_exceptions=True)


async def run_messages(
    context: CallContext,
    jobs: Sequence[Job[OutcomeT]],
    *,
    concurrency: int,
    should_stop: Callable[[], bool] | None,
    stop_poll_interval: float,
) -> list[OutcomeT]:
    """Interactive mode: a worker pool of ``concurrency`` slots over the jobs (see module docstring)."""
    outcomes: list[Any] = [_UNFINISHED] * len(jobs)
    started: set[int] = set()
    queue = iter(range(len(jobs)))  # shared by the workers; safe because they run on one event loop

    async def worker() -> None:
        for index in queue:
            started.add(index)
            request, outcome = _start(jobs[index])
            while request is not None:
                response = await context.create_message(request)
                request, outcome = _advance(jobs[index], response)
            outcomes[index] = outcome

    deadline = context.deadline
    try:
        if deadline is not None and deadline.reached():
            raise DeadlineReached(deadline.reason())
        workers = [worker() for _ in range(min(concurrency, len(jobs)))]
        await supervise(workers, should_stop, stop_poll_interval, deadline)
    except DeadlineReached as reached:
        fail_unfinished(context, jobs, outcomes, started, str(reached))
    return outcomes


_UNFINISHED: Any = object()


def fail_unfinished(
    context: CallContext, jobs: Sequence[Job[Any]], outcomes: list[Any], started: set[int], reason: str
) -> None:
    """Every job without an outcome gets ``reason`` as the answer to its pending request (a job not started
    yet is started first, without any call), so it ends as a recorded failure through its own code path."""
    failure = CallFailure(reason)
    for index, job in enumerate(jobs):
        if outcomes[index] is not _UNFINISHED:
            continue
        request, outcome = (None, None) if index in started else _start(job)
        if index in started or request is not None:
            request, outcome = _advance(job, failure)
        while request is not None:
            request, outcome = _advance(job, failure)
        outcomes[index] = outcome
        context.stats.deadline_failures += 1


def run_sync(make: Callable[[], Awaitable[OutcomeT]]) -> OutcomeT:
    """Runs the coroutine on a fresh event loop; from inside a running loop, on a helper thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(_as_coroutine(make))
    with concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="anthropic-engine") as pool:
        return pool.submit(asyncio.run, _as_coroutine(make)).result()


async def _as_coroutine(make: Callable[[], Awaitable[OutcomeT]]) -> OutcomeT:
    return await make()
