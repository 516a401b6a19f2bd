"""Dagster resources: the database, the engine settings, the source settings and pipeline knobs.

Each is a ``ConfigurableResource`` configured from the environment in ``resources_from_env``; secrets
(database URL with a password, the Anthropic key, the Intercom token) go through ``EnvVar`` so the UI shows
the variable's name, never its value. What a *run* fetches and with which engine is stored on its
``pipeline_runs`` row; these resources supply credentials and defaults.
"""

from __future__ import annotations

import json
import os
from typing import Any, Optional

import dagster as dg
from pydantic import Field
from sqlalchemy import Engine

from feedback_assets import settings
from feedback_assets.domain.models import DEFAULT_ACTIONABLE_TYPES
from feedback_assets.engines import Engine as ClassificationEngine
from feedback_assets.engines import ENGINE_NAMES, build_engine
from feedback_assets.sources import ConversationSource, build_source
from feedback_assets.storage import leases, make_engine, upgrade


class FeedbackDatabase(dg.ConfigurableResource):
    """The project's own tables. ``url`` unset: FEEDBACK_DATABASE_URL, else the embedded SQLite file."""

    url: Optional[str] = Field(default=None, description="SQLAlchemy URL; postgresql:// uses psycopg 3")

    def get_engine(self) -> Engine:
        engine = make_engine(self.url)
        upgrade(engine)  # idempotent and cached per process: a fresh database just works
        return engine

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        # The end of the Dagster run (in-process executor) or of the step's process: its partition
        # leases end with it (a killed process loses them through the OS or the server instead).
        if context.run is not None:
            leases.release_held_by(context.run.run_id)


class EngineSettings(dg.ConfigurableResource):
    """How engines are built. Each run names its engine (``pipeline_runs.engine``); ``default_engine`` is
    what sensors and the CLI give new runs."""

    default_engine: str = Field(default="offline", description="offline | anthropic (FEEDBACK_ENGINE)")
    anthropic_api_key: Optional[str] = Field(default=None, description="ANTHROPIC_API_KEY")
    anthropic_base_url: Optional[str] = Field(default=None, description="ANTHROPIC_BASE_URL (a proxy or stub)")
    stage1_model: Optional[str] = None
    stage2_model: Optional[str] = None
    theme_model: Optional[str] = None
    concurrency: int = Field(default=20, description="concurrent Claude calls inside one step")
    mode: str = Field(default="messages", description="messages | batches (Message Batches API)")
    timeout_seconds: float = Field(default=60.0, description="per Claude call (each attempt)")
    max_retries: int = Field(default=2, description="SDK retries on 408/409/429/5xx, honouring retry-after")
    max_retry_wait_seconds: float = Field(
        default=60.0,
        description="FEEDBACK_ANTHROPIC_MAX_RETRY_WAIT: a retry-after longer than this ends the call as a "
        "recorded failure instead of sleeping",
    )
    step_deadline_seconds: Optional[float] = Field(
        default=None,
        description="FEEDBACK_ANTHROPIC_STEP_DEADLINE: seconds of Claude work per step; then in-flight calls "
        "are cancelled and the remaining items are recorded as failures (unset: no deadline)",
    )
    prices_json: Optional[str] = Field(
        default=None,
        description='FEEDBACK_ANTHROPIC_PRICES: {"model": {"input": $/MTok, "output": …, "cache_read": …, '
        '"cache_write": …}} laid over the bundled price table',
    )
    taxonomy_path: Optional[str] = Field(default=None, description="taxonomy JSON (FEEDBACK_TAXONOMY)")

    def engine_for(self, run_engine: str) -> str:
        """The engine a run asked for; runs imported from the old system ("legacy") get the default."""
        return run_engine if run_engine in ENGINE_NAMES else self.default_engine

    def build(self, name: str, *, should_stop=None) -> ClassificationEngine:
        name = self.engine_for(name)
        options: dict[str, Any] = {}
        if name == "offline":
            if self.taxonomy_path:
                options["taxonomy_path"] = self.taxonomy_path
        elif name == "anthropic":
            options = {
                "api_key": self.anthropic_api_key,
                "base_url": self.anthropic_base_url,
                "concurrency": self.concurrency,
                "mode": self.mode,
                "timeout": self.timeout_seconds,
                "max_retries": self.max_retries,
                "max_retry_wait": self.max_retry_wait_seconds,
                "step_deadline": self.step_deadline_seconds,
                "should_stop": should_stop,
                "stop_poll_interval": 1.0,  # each poll asks the Dagster instance for the run status
            }
            if self.prices_json:
                options["prices"] = json.loads(self.prices_json)
            for stage in ("stage1_model", "stage2_model", "theme_model"):
                if getattr(self, stage):
                    options[stage] = getattr(self, stage)
            if self.taxonomy_path:
                from feedback_assets.domain.taxonomy import load_taxonomy

                options["taxonomy"] = load_taxonomy(self.taxonomy_path)
        return build_engine(name, **options)

    def preflight(self):
        """The Claude engine's preflight over these settings (key, prices, models exist, deprecations):
        a ``feedback_assets.engines.anthropic.preflight.PreflightReport``."""
        from feedback_assets.engines.anthropic.engine import (
            DEFAULT_STAGE1_MODEL,
            DEFAULT_STAGE2_MODEL,
            DEFAULT_THEME_MODEL,
        )
        from feedback_assets.engines.anthropic.preflight import PreflightSettings, preflight

        chosen = {
            "FEEDBACK_STAGE1_MODEL": self.stage1_model or DEFAULT_STAGE1_MODEL,
            "FEEDBACK_STAGE2_MODEL": self.stage2_model or DEFAULT_STAGE2_MODEL,
            "FEEDBACK_THEME_MODEL": self.theme_model or DEFAULT_THEME_MODEL,
        }
        return preflight(
            PreflightSettings(
                api_key=self.anthropic_api_key,
                base_url=self.anthropic_base_url,
                models=chosen,
                prices=json.loads(self.prices_json) if self.prices_json else None,
            )
        )


class SourceSettings(dg.ConfigurableResource):
    """Credentials and defaults of the conversation sources; a run's own ``source_params`` win."""

    default_source: str = Field(default="sample", description="sample | jsonl | intercom")
    jsonl_path: Optional[str] = Field(default=None, description="default path for the jsonl source")
    intercom_access_token: Optional[str] = Field(default=None, description="INTERCOM_ACCESS_TOKEN")
    intercom_base_url: Optional[str] = Field(default=None, description="INTERCOM_BASE_URL")
    new_conversations_threshold: int = Field(
        default=25, description="the new-conversations sensor creates a run once this many are waiting"
    )

    def build(self, name: str, params: dict[str, Any] | None = None) -> ConversationSource:
        options: dict[str, Any] = {}
        if name == "jsonl" and self.jsonl_path:
            options["path"] = self.jsonl_path
        if name == "intercom":
            options["access_token"] = self.intercom_access_token
            if self.intercom_base_url:
                options["base_url"] = self.intercom_base_url
        if params and params.get("path"):  # the run's own file wins over the default
            options["path"] = params["path"]
        return build_source(name, **options)


class PipelineSettings(dg.ConfigurableResource):
    """Knobs of the product logic (documented defaults in DESIGN.md)."""

    actionable_types: list[str] = Field(default=list(DEFAULT_ACTIONABLE_TYPES))
    min_group_size: int = Field(default=3, description="stories: groups this large are candidates")
    max_failure_share: float = Field(
        default=0.2, description="a step fails when more than this share of its items failed"
    )
    review_stories: bool = Field(
        default=False, description="let the run's engine review each candidate group (keep or split)"
    )


def _secret(name: str) -> Any:
    """EnvVar when the variable is set (shown by name in the UI), else None (the feature is unused)."""
    return dg.EnvVar(name) if os.environ.get(name) else None


def resources_from_env() -> dict[str, dg.ConfigurableResource]:
    return {
        "database": FeedbackDatabase(url=_secret(settings.DATABASE_URL_ENV)),
        "engines": EngineSettings(
            default_engine=settings.engine_name(),
            anthropic_api_key=_secret("ANTHROPIC_API_KEY"),
            anthropic_base_url=os.environ.get("ANTHROPIC_BASE_URL") or None,
            taxonomy_path=os.environ.get("FEEDBACK_TAXONOMY") or None,
            mode=os.environ.get("FEEDBACK_ANTHROPIC_MODE") or "messages",
            prices_json=os.environ.get("FEEDBACK_ANTHROPIC_PRICES") or None,
            **{
                field: os.environ[variable]
                for field, variable in (
                    ("stage1_model", "FEEDBACK_STAGE1_MODEL"),
                    ("stage2_model", "FEEDBACK_STAGE2_MODEL"),
                    ("theme_model", "FEEDBACK_THEME_MODEL"),
                    ("concurrency", "FEEDBACK_LLM_CONCURRENCY"),
                    ("max_retry_wait_seconds", "FEEDBACK_ANTHROPIC_MAX_RETRY_WAIT"),
                    ("step_deadline_seconds", "FEEDBACK_ANTHROPIC_STEP_DEADLINE"),
                )
                if os.environ.get(variable)
            },
        ),
        "sources": SourceSettings(
            default_source=os.environ.get("FEEDBACK_SOURCE") or "sample",
            jsonl_path=os.environ.get("FEEDBACK_JSONL_PATH") or None,
            intercom_access_token=_secret("INTERCOM_ACCESS_TOKEN"),
            intercom_base_url=os.environ.get("INTERCOM_BASE_URL") or None,
        ),
        "pipeline": PipelineSettings(review_stories=os.environ.get("FEEDBACK_REVIEW_STORIES", "") in ("1", "true")),
    }
