"""``AnthropicEngine``: the production engine, Claude through the official ``anthropic`` SDK.

It satisfies ``feedback_assets.engines.base.Engine``. Public methods are synchronous (Dagster assets call
them) and run an event loop inside; ``aclassify`` / ``aextract_themes`` / ``areview_story`` are the same
work for callers that already run one. How calls are made, validated and retried is in ``structured``
(answers) and ``runner`` (concurrency, batches, faults); the wording is in ``prompts``.
"""

from __future__ import annotations

import logging
import os
import time
from functools import partial
from typing import Any, Callable, Mapping, Sequence, TypeVar

import anthropic

from feedback_assets.domain.models import (
    ClassificationOutcome,
    Conversation,
    StoryReview,
    ThemeOutcome,
    ThemeRequest,
)
from feedback_assets.engines.anthropic import lifecycle, prompts
from feedback_assets.engines.anthropic.cache import CachePrefix, shared_prefix
from feedback_assets.engines.anthropic.errors import API_KEY_SETTING, EngineAuthError
from feedback_assets.engines.anthropic.pricing import ModelPrice, price_table
from feedback_assets.engines.anthropic.batches import DEFAULT_MAX_BYTES, BatchPolicy, run_batches
from feedback_assets.engines.anthropic.options import check_options, require
from feedback_assets.engines.anthropic.runner import CallContext, Job, RunStats, UsageMeter, run_messages, run_sync
from feedback_assets.engines.anthropic.waits import DEFAULT_MAX_RETRY_WAIT, Deadline, RetryWaitCap
from feedback_assets.engines.anthropic.structured import (
    REVIEW,
    STAGE1,
    STAGE2,
    THEME,
    CallSettings,
    StructuredTask,
    exchange,
    resolve_strategy,
)
from feedback_assets.engines.anthropic.tasks import (
    REVIEW_TASK,
    STAGE1_TASK,
    STAGE2_TASK,
    THEME_TASK,
    review_consistent,
    stage2_result,
)
from feedback_assets.engines.base import EngineResult

log = logging.getLogger(__name__)

DEFAULT_STAGE1_MODEL = "claude-haiku-5-5"
"""Fast model for stage 1 (current: not in ``lifecycle.RETIREMENT_DATES``)."""
DEFAULT_STAGE2_MODEL = "claude-sonnet-5-5"
"""Stronger model for stage 2 (not deprecated; rejects forced tool use, so it answers via JSON schema)."""
DEFAULT_THEME_MODEL = "claude-sonnet-5-5"
DEFAULT_CONCURRENCY = 20
"""Calls in flight at once per engine call (the old system's default). Raise it with the account's rate
limits; the SDK's retries absorb occasional 429s."""
DEFAULT_TIMEOUT_SECONDS = 60.0
"""Per attempt of one call; the SDK retries a timed-out attempt like a 5xx."""
DEFAULT_MAX_TOKENS = 4096
"""Room for adaptive thinking plus the answer (answers themselves are a few hundred tokens)."""
DEFAULT_BATCH_POLL_INTERVAL = 10.0
DEFAULT_BATCH_POLL_BACKOFF = 1.5
DEFAULT_BATCH_POLL_MAX_INTERVAL = 120.0
DEFAULT_BATCH_MAX_REQUESTS = 10_000
"""Requests per message batch (the API allows 100,000 or 256 MB; smaller batches finish sooner). Batches are
also split at ``batch_max_bytes`` (default ``batches.DEFAULT_MAX_BYTES``, 200 MB) of encoded JSON."""
DEFAULT_STOP_POLL_INTERVAL = 0.2

TaskT = TypeVar("TaskT")

class AnthropicEngine:
    """Claude engine. Options (all keyword-only; defaults in this module's ``DEFAULT_*`` constants):

    - ``api_key``: default ``ANTHROPIC_API_KEY``; missing → ``EngineAuthError`` naming that setting.
    - ``base_url``: default ``None`` = the SDK's own handling (``ANTHROPIC_BASE_URL``, else the public API).
    - ``stage1_model`` (fast), ``stage2_model``, ``theme_model`` (stronger), ``review_model`` (default:
      ``theme_model``). Every model needs a price (``prices``).
    - ``concurrency``: calls in flight at once (default 20). ``timeout``: seconds per attempt (default 60).
      ``max_retries``: the SDK's retries for 408/409/429/5xx/connection errors, honouring ``retry-after`` /
      ``retry-after-ms`` (default the SDK's, 2). ``max_retry_wait``: seconds; a retry the API asks to delay
      longer ends the call as a recorded failure naming the wait (default 60). ``step_deadline``: seconds
      from this engine's first call (one engine per Dagster step); then in-flight calls are cancelled and
      unfinished items recorded as "deadline reached" (default ``None``: none). See ``waits``.
    - ``mode``: ``"messages"`` (interactive, default) or ``"batches"`` (Message Batches API, half price,
      minutes to hours). ``batch_poll_interval`` / ``batch_poll_backoff`` / ``batch_poll_max_interval``
      (seconds, factor, seconds), ``batch_max_requests`` and ``batch_max_bytes`` (caps per batch) govern batches.
    - ``prices``: ``{model: {"input", "output", "cache_read", "cache_write"}}`` in USD per million tokens,
      laid over ``pricing.DEFAULT_PRICES``.
    - ``taxonomy``: a ``Taxonomy`` / mapping / ``None`` (= ``domain.taxonomy.load_taxonomy()``).
    - ``should_stop``: a callable polled every ``stop_poll_interval`` seconds; true → cancel in-flight calls
      and raise ``EngineStopped``.
    - ``structured_output``: ``"auto"`` (per ``capabilities``: a forced tool with thinking disabled, or JSON
      schema where the model refuses forced tools or cannot turn thinking off),
      ``"tool"`` or ``"json_schema"``. ``max_tokens`` per answer, ``effort`` (``output_config.effort``;
      default ``None`` = the model's default), ``max_support_replies`` shown to stage 2 and themes.

    401/403 raise ``EngineAuthError`` at once. Any other failure of one conversation (retries exhausted,
    timeout, invalid answer after the corrective retry, batch entry errored/expired/canceled) is recorded on
    its outcome (``error``) and counted in ``last_stats.failures``; the caller decides what share is too many.
    """

    name = "anthropic"
    prompt_version = prompts.PROMPT_VERSION

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        stage1_model: str = DEFAULT_STAGE1_MODEL,
        stage2_model: str = DEFAULT_STAGE2_MODEL,
        theme_model: str = DEFAULT_THEME_MODEL,
        review_model: str | None = None,
        concurrency: int = DEFAULT_CONCURRENCY,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        max_retries: int = anthropic.DEFAULT_MAX_RETRIES,
        max_retry_wait: float = DEFAULT_MAX_RETRY_WAIT,
        step_deadline: float | None = None,
        mode: str = "messages",
        batch_poll_interval: float = DEFAULT_BATCH_POLL_INTERVAL,
        batch_poll_backoff: float = DEFAULT_BATCH_POLL_BACKOFF,
        batch_poll_max_interval: float = DEFAULT_BATCH_POLL_MAX_INTERVAL,
        batch_max_requests: int = DEFAULT_BATCH_MAX_REQUESTS,
        batch_max_bytes: int = DEFAULT_MAX_BYTES,
        prices: Mapping[str, ModelPrice | Mapping[str, Any]] | None = None,
        taxonomy: Any = None,
        should_stop: Callable[[], bool] | None = None,
        stop_poll_interval: float = DEFAULT_STOP_POLL_INTERVAL,
        structured_output: str = "auto",
        max_tokens: int = DEFAULT_MAX_TOKENS,
        effort: str | None = None,
        max_support_replies: int = prompts.MAX_SUPPORT_REPLIES,
    ) -> None:
        key = (api_key if api_key is not None else os.environ.get(API_KEY_SETTING, "")).strip()
        if not key:
            raise EngineAuthError(f"the anthropic engine needs an API key: set {API_KEY_SETTING}")
        self._api_key = key
        self._base_url = base_url

        check_options(
            concurrency=concurrency,
            timeout=timeout,
            max_retries=max_retries,
            max_retry_wait=max_retry_wait,
            step_deadline=step_deadline,
            mode=mode,
            batch_poll_interval=batch_poll_interval,
            batch_poll_backoff=batch_poll_backoff,
            batch_poll_max_interval=batch_poll_max_interval,
            batch_max_requests=batch_max_requests,
            batch_max_bytes=batch_max_bytes,
            should_stop=should_stop,
            stop_poll_interval=stop_poll_interval,
            structured_output=structured_output,
            max_tokens=max_tokens,
            effort=effort,
            max_support_replies=max_support_replies,
        )

        review_model = review_model or theme_model
        self.stage1_model, self.stage2_model, self.theme_model, self.review_model = (
            stage1_model,
            stage2_model,
            theme_model,
            review_model,
        )
        models = {
            "stage1_model": stage1_model,
            "stage2_model": stage2_model,
            "theme_model": theme_model,
            "review_model": review_model,
        }
        for option, model in models.items():
            require(isinstance(model, str) and bool(model.strip()), option, "a model id", model)
        self._prices = price_table(prices)
        unpriced = sorted({model for model in models.values() if model not in self._prices})
        if unpriced:
            raise ValueError(
                f"no price for model(s) {', '.join(unpriced)}: pass prices={{model: {{'input': ..., "
                "'output': ..., 'cache_read': ..., 'cache_write': ...}} (USD per million tokens)"
            )
        lifecycle.check_models(models)

        self.classification_model = (
            stage1_model if stage1_model == stage2_model else f"{stage1_model}/{stage2_model}"
        )
        """Stored in the ``model`` column: ``stage1/stage2`` when the stages use different models."""
        self.concurrency = concurrency
        self.timeout = float(timeout)
        self.max_retries = max_retries
        self.max_retry_wait = float(max_retry_wait)
        self.deadline = Deadline(float(step_deadline) if step_deadline is not None else None)
        self.mode = mode
        self.should_stop = should_stop
        self.stop_poll_interval = float(stop_poll_interval)
        self.max_support_replies = max_support_replies
        self._batch_policy = BatchPolicy(
            poll_interval=float(batch_poll_interval),
            poll_backoff=float(batch_poll_backoff),
            poll_max_interval=float(batch_poll_max_interval),
            max_requests=batch_max_requests,
            max_bytes=batch_max_bytes,
        )
        self.last_stats: RunStats | None = None
        """Counters of the latest public call (failures, requests, corrective retries, usage, elapsed)."""
        self.usage_by_stage: dict[str, dict[str, Any]] = {}
        """Per stage, summed over every call of this engine (one engine per step): calls, tokens, cache
        reads and writes, cost."""

        self.cache_prefix: CachePrefix = shared_prefix(
            prompts.shared_system_text(prompts.resolve_taxonomy(taxonomy)), set(models.values())
        )
        shared = self.cache_prefix.text

        def settings(stage: str, task: StructuredTask[Any], model: str, task_text: str) -> CallSettings:
            return CallSettings(
                stage=stage,
                task=task,
                model=model,
                strategy=resolve_strategy(structured_output, model),
                system=prompts.system_blocks(shared, task_text),
                max_tokens=max_tokens,
                effort=effort,
            )

        self._stage1 = settings(STAGE1, STAGE1_TASK, stage1_model, prompts.STAGE1_TASK)
        self._stage2 = settings(STAGE2, STAGE2_TASK, stage2_model, prompts.STAGE2_TASK)
        self._theme = settings(THEME, THEME_TASK, theme_model, prompts.THEME_TASK)
        self._review = settings(REVIEW, REVIEW_TASK, review_model, prompts.REVIEW_TASK)

    def __repr__(self) -> str:  # never shows the key
        return (
            f"AnthropicEngine(mode={self.mode!r}, stage1_model={self.stage1_model!r}, "
            f"stage2_model={self.stage2_model!r}, theme_model={self.theme_model!r}, "
            f"concurrency={self.concurrency})"
        )

    # ----- public, synchronous -----------------------------------------------------------------------------

    def classify(self, conversations: Sequence[Conversation]) -> EngineResult[ClassificationOutcome]:
        """Stage 1 for each conversation, stage 2 where support replied; outcomes in input order."""
        return run_sync(lambda: self.aclassify(conversations))

    def extract_themes(self, requests: Sequence[ThemeRequest]) -> EngineResult[ThemeOutcome]:
        """One theme per request; outcomes in input order."""
        return run_sync(lambda: self.aextract_themes(requests))

    def review_story(self, issue_signature: str, requests: Sequence[ThemeRequest]) -> StoryReview | None:
        """Keep or split one signature group; ``None`` (no opinion) for groups under two conversations or when
        the answer stayed invalid after the corrective retry (logged and counted in ``last_stats``)."""
        return run_sync(lambda: self.areview_story(issue_signature, requests))

    # ----- public, asynchronous ----------------------------------------------------------------------------

    async def aclassify(self, conversations: Sequence[Conversation]) -> EngineResult[ClassificationOutcome]:
        jobs = [self._classification_job(conversation) for conversation in conversations]
        outcomes, stats = await self._run(jobs, self.mode)
        return EngineResult(outcomes=outcomes, usage=stats.usage)

    async def aextract_themes(self, requests: Sequence[ThemeRequest]) -> EngineResult[ThemeOutcome]:
        jobs = [self._theme_job(request) for request in requests]
        outcomes, stats = await self._run(jobs, self.mode)
        return EngineResult(outcomes=outcomes, usage=stats.usage)

    async def areview_story(
        self, issue_signature: str, requests: Sequence[ThemeRequest]
    ) -> StoryReview | None:
        if len(requests) < 2:
            return None
        # One call: always interactive, a batch round-trip would cost minutes for a single answer.
        outcomes, _ = await self._run([self._review_job(issue_signature, requests)], "messages")
        review, error = outcomes[0]
        if error:
            log.warning("story review of %s failed: %s", issue_signature, error)
        return review

    # ----- jobs (generators driven by runner) --------------------------------------------------------------

    def _classification_job(self, conversation: Conversation) -> Job[ClassificationOutcome]:
        conversation_id = conversation.conversation_id
        stage1, error = yield from exchange(self._stage1, prompts.stage1_user_text(conversation))
        if stage1 is None:
            return ClassificationOutcome(conversation_id=conversation_id, error=error)
        if not conversation.support_messages:
            return ClassificationOutcome(conversation_id=conversation_id, stage1=stage1)
        answer, error = yield from exchange(
            self._stage2, prompts.stage2_user_text(conversation, stage1, self.max_support_replies)
        )
        stage2 = stage2_result(stage1, answer) if answer is not None else None
        return ClassificationOutcome(
            conversation_id=conversation_id, stage1=stage1, stage2=stage2, error=error
        )

    def _theme_job(self, request: ThemeRequest) -> Job[ThemeOutcome]:
        theme, error = yield from exchange(
            self._theme, prompts.theme_user_text(request, self.max_support_replies)
        )
        return ThemeOutcome(conversation_id=request.conversation.conversation_id, theme=theme, error=error)

    def _review_job(
        self, issue_signature: str, requests: Sequence[ThemeRequest]
    ) -> Job[tuple[Any, str | None]]:
        conversation_ids = [request.conversation.conversation_id for request in requests]
        result = yield from exchange(
            self._review,
            prompts.review_user_text(issue_signature, requests),
            partial(review_consistent, conversation_ids),
        )
        return result

    # ----- running -----------------------------------------------------------------------------------------

    def _client(self) -> anthropic.AsyncAnthropic:
        return anthropic.AsyncAnthropic(
            api_key=self._api_key,
            base_url=self._base_url,
            timeout=self.timeout,
            max_retries=self.max_retries,
            middleware=[RetryWaitCap(self.max_retry_wait, self.max_retries, self.deadline)],
        )

    async def _run(self, jobs: Sequence[Job[Any]], mode: str) -> tuple[list[Any], RunStats]:
        stats = RunStats(items=len(jobs))
        self.last_stats = stats
        if not jobs:
            return [], stats
        started = time.perf_counter()
        self.deadline.start()
        meter = UsageMeter(self._prices, batch=mode == "batches")
        try:
            async with self._client() as client:
                context = CallContext(
                    client,
                    meter,
                    stats,
                    api_key=self._api_key,
                    max_retries=self.max_retries,
                    timeout=self.timeout,
                    deadline=self.deadline,
                )
                if mode == "batches":
                    outcomes = await run_batches(
                        context,
                        jobs,
                        policy=self._batch_policy,
                        should_stop=self.should_stop,
                        stop_poll_interval=self.stop_poll_interval,
                    )
                else:
                    outcomes = await run_messages(
                        context,
                        jobs,
                        concurrency=self.concurrency,
                        should_stop=self.should_stop,
                        stop_poll_interval=self.stop_poll_interval,
                    )
        finally:
            for job in jobs:
                job.close()
            stats.usage = meter.total()
            stats.by_stage = meter.by_stage
            _merge_stages(self.usage_by_stage, meter.by_stage)
            stats.elapsed_seconds = time.perf_counter() - started
        stats.failures = sum(1 for outcome in outcomes if _error_of(outcome))
        return outcomes, stats


def _merge_stages(into: dict[str, dict[str, Any]], more: dict[str, dict[str, Any]]) -> None:
    for stage, row in more.items():
        total = into.setdefault(stage, dict.fromkeys(row, 0))
        for key, value in row.items():
            total[key] = total.get(key, 0) + value


def _error_of(outcome: Any) -> str | None:
    if isinstance(outcome, tuple):
        return outcome[1]
    return getattr(outcome, "error", None)
