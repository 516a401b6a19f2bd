"""Intercom source: the Search API for the window, then one detail request per conversation for its parts.

Wire format (Intercom REST API 2.x):

* ``POST /conversations/search`` with ``{"query": …, "pagination": {"per_page": n, "starting_after": c}}``;
  the answer is ``{"type": "conversation.list", "conversations": […], "total_count": n, "pages": {"type":
  "pages", "page": k, "per_page": n, "total_pages": t, "next": {"page": k+1, "starting_after": c}}}`` and
  the last page has no ``next``. ``per_page`` is at most 150.
* ``GET /conversations/{id}`` returns the conversation with ``conversation_parts`` (what the domain layer
  needs for support replies).
* Headers: ``Authorization: Bearer <token>``, ``Intercom-Version``, ``Accept: application/json``.

The window (``window_start <= updated_at < window_end``) is sent as ``updated_at`` filters on unix
seconds. Intercom documents ``>``/``<`` as "greater/lower (or equal) than" for dates, other readings say
strict; the query is therefore widened by one second on each side so that it loses nothing under either
reading, and the exact window is applied here to the ``updated_at`` of each result.

``max_conversations``: search results are taken in the order the API returns them; once N distinct
conversations of the window have their details, no further page is requested. So the N kept are *the
first N the search returns* (not necessarily the oldest — the Search API has no documented sort), and
the page size is lowered to N when N < ``per_page``. The result is then sorted (updated_at, id) as usual.

Duplicates: an id met again on a later page (Intercom's cursor shifts when a conversation is updated
while paging) is requested once; if the later sighting is newer than the detail already fetched, the
detail is fetched again. A detail whose ``updated_at`` has moved past the window (updated after the
search) is left to the later window that now contains it (``stats["left_window"]``).

Failures: 429 waits for ``Retry-After`` (seconds or HTTP date), else until ``X-RateLimit-Reset`` (unix
time), else exponential backoff; 5xx, timeouts and connection errors back off exponentially (a 503's
``Retry-After`` is honoured too); all bounded by ``RetryPolicy``. Other 4xx are not retried. 401/403
raise ``SourceAuthError`` naming ``INTERCOM_ACCESS_TOKEN`` (never the token). The HTTP side is ``intercom_http``.
A search page that still fails raises ``SourceRequestError`` (the window would be incomplete); a detail
that still fails (or answers 404) becomes an entry in ``errors`` and the fetch goes on.

``count_new(after)`` is one search with ``per_page`` 1, read from its ``total_count``.

Memory: each detail is written to a temporary spool file as it arrives; what stays in memory is an index
(id → updated_at, offset, length) and the search's id → updated_at map. ``stream`` hands back the spool
read one conversation at a time in (updated_at, id) order; ``fetch`` is that stream in a list.

``stats``: requests (HTTP attempts), retries, rate_limited, search_pages, search_results,
duplicates_dropped, outside_window, detail_requests, detail_errors, refetched, left_window, returned.
"""

from __future__ import annotations

import math
import os
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any, Callable

import httpx

from feedback_assets.sources.base import (
    Identity,
    SourceConfigError,
    SourceError,
    SourceRequestError,
    SourceStream,
    as_utc,
    check_window,
    in_window,
    latest_per_identity,
    StreamedSource,
    timestamp_seconds,
)
from feedback_assets.sources.intercom_http import TOKEN_ENV, Counters, IntercomHttp, RequestFailed
from feedback_assets.sources.retry import RetryPolicy
from feedback_assets.sources.spool import DetailSpool

BASE_URL_ENV = "INTERCOM_BASE_URL"
VERSION_ENV = "INTERCOM_VERSION"
DEFAULT_BASE_URL = "https://api.intercom.io"
DEFAULT_INTERCOM_VERSION = "2.11"
MAX_PER_PAGE = 150
_FETCH_STATS = (
    "requests", "retries", "rate_limited", "search_pages", "search_results", "duplicates_dropped",
    "outside_window", "detail_requests", "detail_errors", "refetched", "left_window", "returned",
)
DEFAULT_CONCURRENCY = 8
DEFAULT_TIMEOUT_SECONDS = 30.0


class IntercomSource(StreamedSource):
    """Conversations from the Intercom REST API (see the module docstring for the rules)."""

    name = "intercom"

    def __init__(
        self,
        *,
        access_token: str | None = None,
        base_url: str | None = None,
        intercom_version: str | None = None,
        per_page: int = MAX_PER_PAGE,
        concurrency: int = DEFAULT_CONCURRENCY,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        token = access_token if access_token is not None else os.environ.get(TOKEN_ENV, "")
        if not token or not token.strip():
            raise SourceConfigError(
                f"the intercom source needs an access token: set {TOKEN_ENV} (or pass access_token=)"
            )
        if isinstance(per_page, bool) or not isinstance(per_page, int) or not 1 <= per_page <= MAX_PER_PAGE:
            raise SourceConfigError(f"per_page must be an integer from 1 to {MAX_PER_PAGE}, got {per_page!r}")
        if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
            raise SourceConfigError(f"concurrency must be a positive integer, got {concurrency!r}")
        if not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or timeout <= 0:
            raise SourceConfigError(f"timeout must be a positive number of seconds, got {timeout!r}")
        self.per_page = per_page
        self.concurrency = concurrency
        self.http = IntercomHttp(
            token=token.strip(),
            base_url=(base_url or os.environ.get(BASE_URL_ENV, "").strip() or DEFAULT_BASE_URL).rstrip("/"),
            intercom_version=(
                intercom_version or os.environ.get(VERSION_ENV, "").strip() or DEFAULT_INTERCOM_VERSION
            ),
            timeout=float(timeout),
            connections=concurrency + 2,  # the details' pool and a search page
            retry=retry or RetryPolicy(),
            sleep=sleep,
            clock=clock,
        )

    @property
    def base_url(self) -> str:
        return self.http.base_url

    @property
    def intercom_version(self) -> str:
        return self.http.intercom_version

    def __repr__(self) -> str:  # never show the token
        return f"IntercomSource(base_url={self.base_url!r}, intercom_version={self.intercom_version!r})"

    def describe(self) -> dict[str, Any]:
        return {
            "base_url": self.base_url,
            "intercom_version": self.intercom_version,
            "per_page": self.per_page,
            "concurrency": self.concurrency,
        }

    # --- the source interface --------------------------------------------------------------------------

    def stream(
        self,
        window_start: datetime | None = None,
        window_end: datetime | None = None,
        max_conversations: int | None = None,
        *,
        identity: Identity | None = None,
    ) -> SourceStream:
        start, end = check_window(window_start, window_end, max_conversations)
        counters = Counters(*_FETCH_STATS)
        per_page = self.per_page if max_conversations is None else min(self.per_page, max_conversations)
        query = _window_query(start, end)
        errors: list[SourceError] = []
        kept = DetailSpool()
        pool = ThreadPoolExecutor(max_workers=self.concurrency, thread_name_prefix="intercom-detail")
        try:
            with self.http.client() as client:
                self._collect(client, pool, counters, query, per_page, start, end, max_conversations, kept, errors)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)  # e.g. a 401: do not wait for queued details
            kept.close()
            raise
        pool.shutdown(wait=True)
        entries, merged = latest_per_identity(kept.entries(), identity)
        counters.values["returned"] = len(entries)
        return SourceStream(
            len(entries),
            lambda: kept.read(entries),
            errors=errors,
            warnings=[],
            stats=dict(counters.values),
            merged=merged,
            close=kept.close,
        )

    def _collect(
        self,
        client: httpx.Client,
        pool: ThreadPoolExecutor,
        counters: Counters,
        query: dict[str, Any],
        per_page: int,
        start: float | None,
        end: float | None,
        max_conversations: int | None,
        kept: DetailSpool,
        errors: list[SourceError],
    ) -> None:
        """Alternate search pages and detail batches until the window (or the maximum) is covered."""
        newest_seen: dict[str, float] = {}  # id -> highest updated_at any search page showed
        queue: deque[str] = deque()
        cursor: str | None = None
        exhausted = False
        while True:
            missing = None if max_conversations is None else max_conversations - len(kept)
            if missing == 0:
                break
            # Without a maximum every page is read before the details, so the pool sees all ids at once.
            if not exhausted and (not queue or missing is None):
                page = self._search_page(client, counters, query, per_page, cursor)
                self._take_page(counters, page, start, end, newest_seen, kept, queue, errors)
                cursor = _next_cursor(page)
                exhausted = cursor is None
                continue
            if not queue:
                break
            batch = [queue.popleft() for _ in range(len(queue) if missing is None else min(missing, len(queue)))]
            details = pool.map(lambda conversation_id: self._detail(client, counters, conversation_id), batch)
            for conversation_id, detail in zip(batch, details):
                if isinstance(detail, SourceError):
                    errors.append(detail)
                    counters.add("detail_errors")
                    continue
                updated_at = timestamp_seconds(detail["updated_at"])
                if not in_window(updated_at, start, end):
                    counters.add("left_window")
                    kept.pop(conversation_id, None)
                    continue
                kept[conversation_id] = detail

    def count_new(self, after: datetime | None) -> int:
        """Intercom's ``total_count`` of a one-result search for ``updated_at > after``.

        Sent as ``updated_at > floor(after) + 1`` because Intercom documents ``>`` on dates as "greater or
        equal"; for integer timestamps that is exactly ``updated_at > after``.
        """
        if after is None:
            query: dict[str, Any] = {"field": "updated_at", "operator": ">", "value": 0}
        else:
            query = {"field": "updated_at", "operator": ">", "value": math.floor(as_utc(after).timestamp()) + 1}
        counters = Counters()
        body = {"query": query, "pagination": {"per_page": 1}}
        with self.http.client() as client:
            try:
                page = self.http.request(client, counters, "POST", "/conversations/search", body)
            except RequestFailed as failure:
                raise SourceRequestError(f"counting new conversations failed: {failure}") from None
        total = page.get("total_count")
        if isinstance(total, bool) or not isinstance(total, int) or total < 0:
            raise SourceRequestError(f"POST /conversations/search: answer has no usable total_count (got {total!r})")
        return total

    # --- paging ------------------------------------------------------------------------------------

    def _search_page(
        self, client: httpx.Client, counters: Counters, query: dict[str, Any], per_page: int, cursor: str | None
    ) -> dict:
        pagination: dict[str, Any] = {"per_page": per_page}
        if cursor:
            pagination["starting_after"] = cursor
        try:
            body = {"query": query, "pagination": pagination}
            page = self.http.request(client, counters, "POST", "/conversations/search", body)
        except RequestFailed as failure:
            raise SourceRequestError(
                f"{failure.location} (page {counters.values['search_pages'] + 1}) failed: {failure.message}. "
                "The window cannot be fetched completely; nothing is returned."
            ) from None
        counters.add("search_pages")
        if not isinstance(page.get("conversations"), list):
            raise SourceRequestError("POST /conversations/search: answer has no 'conversations' list")
        return page

    def _take_page(
        self,
        counters: Counters,
        page: dict[str, Any],
        start: float | None,
        end: float | None,
        newest_seen: dict[str, float],
        kept: DetailSpool,
        queue: deque[str],
        errors: list[SourceError],
    ) -> None:
        for position, summary in enumerate(page["conversations"], start=1):
            counters.add("search_results")
            raw_id = summary.get("id") if isinstance(summary, dict) else None
            if isinstance(raw_id, bool) or not isinstance(raw_id, (str, int)) or str(raw_id) == "":
                errors.append(
                    SourceError(
                        f"POST /conversations/search page {counters.values['search_pages']}",
                        f"result {position} has no usable id ({raw_id!r}); it cannot be fetched",
                    )
                )
                continue
            conversation_id = str(raw_id)
            try:
                updated_at = timestamp_seconds(summary.get("updated_at"))
            except ValueError:
                updated_at = -math.inf  # unusable summary timestamp: the detail's updated_at decides
            if updated_at != -math.inf and not in_window(updated_at, start, end):
                counters.add("outside_window")  # the one-second widening of the query, or a stale index
                continue
            previous = newest_seen.get(conversation_id)
            newest_seen[conversation_id] = max(updated_at, previous if previous is not None else updated_at)
            if previous is None:
                queue.append(conversation_id)
                continue
            counters.add("duplicates_dropped")
            held = kept.updated_at(conversation_id)
            if held is not None and updated_at > held:
                # Seen again, newer than the detail we hold: fetch the latest version once more.
                counters.add("refetched")
                kept.pop(conversation_id)
                queue.append(conversation_id)

    def _detail(self, client: httpx.Client, counters: Counters, conversation_id: str) -> dict[str, Any] | SourceError:
        path = f"/conversations/{conversation_id}"
        counters.add("detail_requests")
        try:
            detail = self.http.request(client, counters, "GET", path)
        except RequestFailed as failure:
            return SourceError(failure.location, failure.message)
        try:
            if str(detail["id"]) != conversation_id:
                return SourceError(f"GET {path}", f"answer is conversation {detail['id']!r}, not {conversation_id!r}")
            timestamp_seconds(detail["updated_at"])
        except (KeyError, TypeError, ValueError) as error:
            return SourceError(f"GET {path}", f"answer is not a conversation with id and updated_at ({error})")
        detail["id"] = conversation_id
        return detail

def _window_query(start: float | None, end: float | None) -> dict[str, Any]:
    """``updated_at`` filters one second wider than [start, end) on each side (see the module docstring)."""
    filters: list[dict[str, Any]] = []
    if start is not None:
        filters.append({"field": "updated_at", "operator": ">", "value": math.ceil(start) - 1})
    if end is not None:
        filters.append({"field": "updated_at", "operator": "<", "value": math.ceil(end)})
    if not filters:
        return {"field": "updated_at", "operator": ">", "value": 0}
    if len(filters) == 1:
        return filters[0]
    return {"operator": "AND", "value": filters}


def _next_cursor(page: dict[str, Any]) -> str | None:
    pages = page.get("pages")
    if not isinstance(pages, dict):
        return None
    following = pages.get("next")
    if isinstance(following, dict):
        cursor = following.get("starting_after")
        return cursor if isinstance(cursor, str) and cursor else None
    return None
