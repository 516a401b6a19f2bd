"""Message Batches mode: rounds of batches, each batch under the API's caps.

Every job's next request goes into the round; the round is split into batches of at most
``BatchPolicy.max_requests`` entries **and** ``BatchPolicy.max_bytes`` bytes of encoded JSON (the API takes
at most 100,000 requests or 256 MB per batch and refuses the create otherwise — one ~34 KB system prompt per
entry reaches 256 MB near 6,300 entries). Each batch is polled with backoff until it ended, results are
mapped back by ``custom_id``, and the jobs advance. Errored / expired / canceled entries become recorded
failures; an entry too large for any batch is a recorded failure of its job, never a refused batch.

Between polls the driver sleeps in slices of ``stop_poll_interval`` (≤ 1 s from Dagster), asking
``should_stop`` and the step ``Deadline`` each time, so a stop is seen within a slice even while the poll
interval has grown to minutes. A stop cancels the batch on the server and raises ``EngineStopped``; the
deadline cancels it and records its entries (and every job still pending) as "deadline reached".
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import anthropic

from feedback_assets.engines.anthropic.errors import EngineStopped
from feedback_assets.engines.anthropic.runner import (
    MAX_CONSECUTIVE_POLL_ERRORS,
    CallContext,
    Job,
    OutcomeT,
    _advance,
    _start,
    auth_error,
    supervise,
)
from feedback_assets.engines.anthropic.structured import CallFailure, ModelRequest
from feedback_assets.engines.anthropic.waits import Deadline

log = logging.getLogger(__name__)

API_MAX_REQUESTS = 100_000
"""Documented cap on requests per message batch."""
API_MAX_BYTES = 256_000_000
"""Documented cap on a batch's size (256 MB; counted in decimal megabytes to stay on the safe side)."""
DEFAULT_MAX_BYTES = 200_000_000
"""Default size cap: the documented 256 MB less a margin for the envelope and encoding differences."""
ENVELOPE_BYTES = len('{"requests": []}')


def entry_size(entry: dict[str, Any]) -> int:
    """Bytes one entry adds to the create request body (its JSON plus the separating comma and space).
    ``json.dumps`` defaults (spaces after separators, ASCII escapes) are never smaller than the SDK's body."""
    return len(json.dumps(entry).encode()) + 2


def split_entries(
    entries: Sequence[dict[str, Any]], *, max_requests: int, max_bytes: int
) -> tuple[list[list[dict[str, Any]]], list[dict[str, Any]]]:
    """``(batches, oversized)``: consecutive chunks each within both caps, and the entries that alone are
    larger than ``max_bytes`` (they can never be submitted)."""
    batches: list[list[dict[str, Any]]] = []
    oversized: list[dict[str, Any]] = []
    current: list[dict[str, Any]] = []
    size = ENVELOPE_BYTES
    for entry in entries:
        one = entry_size(entry)
        if ENVELOPE_BYTES + one > max_bytes:
            oversized.append(entry)
            continue
        if current and (len(current) >= max_requests or size + one > max_bytes):
            batches.append(current)
            current, size = [], ENVELOPE_BYTES
        current.append(entry)
        size += one
    if current:
        batches.append(current)
    return batches, oversized


@dataclass(frozen=True)
class BatchPolicy:
    poll_interval: float
    poll_backoff: float
    poll_max_interval: float
    max_requests: int
    max_bytes: int = DEFAULT_MAX_BYTES


async def run_batches(
    context: CallContext,
    jobs: Sequence[Job[OutcomeT]],
    *,
    policy: BatchPolicy,
    should_stop: Callable[[], bool] | None,
    stop_poll_interval: float,
) -> list[OutcomeT]:
    """Message Batches mode: rounds of batches until every job finished (see module docstring)."""
    outcomes: list[Any] = [None] * len(jobs)
    pending: dict[int, ModelRequest] = {}
    for index, job in enumerate(jobs):
        request, outcome = _start(job)
        if request is None:
            outcomes[index] = outcome
        else:
            pending[index] = request

    round_number = 0
    while pending:
        round_number += 1
        custom_ids = {f"r{round_number}-{index}": index for index in pending}
        for request in pending.values():
            context.count_request(request)
        responses = await _batch_round(context, custom_ids, pending, policy, should_stop, stop_poll_interval)
        current, pending = pending, {}
        for custom_id, index in custom_ids.items():
            response = responses.get(custom_id) or CallFailure(
                f"the batch returned no result for {custom_id}"
            )
            if isinstance(response, CallFailure):
                context.stats.call_failures += 1
                if context.deadline is not None and response.reason == context.deadline.reason():
                    context.stats.deadline_failures += 1
            else:
                context.meter.add(current[index].model, response, current[index].stage)
            request, outcome = _advance(jobs[index], response)
            if request is None:
                outcomes[index] = outcome
            else:
                pending[index] = request
    return outcomes


async def _batch_round(
    context: CallContext,
    custom_ids: dict[str, int],
    requests: dict[int, ModelRequest],
    policy: BatchPolicy,
    should_stop: Callable[[], bool] | None,
    stop_poll_interval: float,
) -> dict[str, Any]:
    entries = [
        {"custom_id": custom_id, "params": requests[index].params} for custom_id, index in custom_ids.items()
    ]
    chunks, oversized = split_entries(entries, max_requests=policy.max_requests, max_bytes=policy.max_bytes)
    responses: dict[str, Any] = {}
    for entry in oversized:
        responses[entry["custom_id"]] = CallFailure(
            f"request of {entry_size(entry)} bytes is larger than the batch size cap of {policy.max_bytes} bytes"
        )

    async def one_batch(chunk: list[dict[str, Any]]) -> None:
        responses.update(await _run_one_batch(context, chunk, policy, should_stop, stop_poll_interval))

    # The stop watcher of ``supervise`` is not needed here: polling checks should_stop itself and cancels
    # the batch on the server, which a plain task cancellation could not do.
    await supervise([one_batch(chunk) for chunk in chunks], None, stop_poll_interval)
    return responses


async def _run_one_batch(
    context: CallContext,
    entries: list[dict[str, Any]],
    policy: BatchPolicy,
    should_stop: Callable[[], bool] | None,
    stop_poll_interval: float,
) -> dict[str, Any]:
    deadline = context.deadline
    if deadline is not None and deadline.reached():
        return {entry["custom_id"]: CallFailure(deadline.reason()) for entry in entries}
    batches = context.client.messages.batches
    try:
        batch = await batches.create(requests=entries)  # type: ignore[arg-type]
    except (anthropic.AuthenticationError, anthropic.PermissionDeniedError) as error:
        raise auth_error(error, context.api_key) from None
    except anthropic.APIError as error:
        reason = f"batch submission failed: {context.describe(error)}"
        return {entry["custom_id"]: CallFailure(reason) for entry in entries}
    context.stats.batches += 1
    log.info("submitted message batch %s with %d requests", batch.id, len(entries))

    interval = policy.poll_interval
    poll_errors = 0
    try:
        while batch.processing_status != "ended":
            if await _sleep_watching(interval, should_stop, stop_poll_interval, deadline, batch.id):
                await _cancel_quietly(context, batch.id)
                assert deadline is not None
                return {entry["custom_id"]: CallFailure(deadline.reason()) for entry in entries}
            interval = min(interval * policy.poll_backoff, policy.poll_max_interval)
            try:
                batch = await batches.retrieve(batch.id)
                poll_errors = 0
            except (anthropic.AuthenticationError, anthropic.PermissionDeniedError) as error:
                raise auth_error(error, context.api_key) from None
            except anthropic.APIError as error:
                # The batch keeps running server-side: a failed poll (after the SDK's retries) is retried
                # at the next interval; only a persistent failure gives up on it.
                poll_errors += 1
                log.warning("polling message batch %s failed (%d): %s", batch.id, poll_errors, error)
                if poll_errors >= MAX_CONSECUTIVE_POLL_ERRORS:
                    raise RuntimeError(
                        f"message batch {batch.id}: {poll_errors} polls in a row failed, last: "
                        f"{context.describe(error)}"
                    ) from None
    except BaseException:
        await _cancel_quietly(context, batch.id)
        raise

    results: dict[str, Any] = {}
    try:
        async for item in await batches.results(batch.id):
            results[item.custom_id] = _batch_entry(item.result)
    except (anthropic.AuthenticationError, anthropic.PermissionDeniedError) as error:
        raise auth_error(error, context.api_key) from None
    except anthropic.APIError as error:
        reason = context.describe(error)
        for entry in entries:
            results.setdefault(entry["custom_id"], CallFailure(f"could not read batch results: {reason}"))
    return results


async def _sleep_watching(
    seconds: float,
    should_stop: Callable[[], bool] | None,
    slice_seconds: float,
    deadline: Deadline | None,
    batch_id: str,
) -> bool:
    """Sleeps ``seconds`` in slices, asking ``should_stop`` (→ ``EngineStopped``) and the deadline (→ True)
    before each slice; False when the whole wait passed."""
    ends = time.monotonic() + seconds
    while True:
        if should_stop is not None and should_stop():
            raise EngineStopped(f"stopped on request while message batch {batch_id} was processing")
        if deadline is not None and deadline.reached():
            return True
        left = ends - time.monotonic()
        if left <= 0:
            return False
        step = min(left, slice_seconds)
        remaining = deadline.remaining() if deadline is not None else None
        if remaining is not None:
            step = min(step, max(remaining, 0.01))
        await asyncio.sleep(step)


def _batch_entry(result: Any) -> Any:
    kind = getattr(result, "type", None)
    if kind == "succeeded":
        return result.message
    if kind == "errored":
        error = getattr(getattr(result, "error", None), "error", None)
        error_type = getattr(error, "type", "error")
        message = getattr(error, "message", "")
        return CallFailure(f"batch request errored ({error_type}: {message})")
    if kind == "expired":
        return CallFailure("batch request expired before it was processed")
    if kind == "canceled":
        return CallFailure("batch request was canceled")
    return CallFailure(f"unknown batch result type {kind!r}")


async def _cancel_quietly(context: CallContext, batch_id: str) -> None:
    try:
        await asyncio.shield(context.client.messages.batches.cancel(batch_id))
        log.warning("canceled message batch %s", batch_id)
    except BaseException as error:  # noqa: BLE001 - best effort while already stopping
        log.warning("could not cancel message batch %s: %s", batch_id, error)
