"""Pushing a run's stories to Shortcut from Dagster: the ``push_stories_to_shortcut`` job (wiring only; the
work is ``tracker.push.push_run``, the same function as ``feedback-assets push``).

The job is configured with the pipeline run id rather than partitioned by ``pipeline_runs``: a Dagster run
tagged ``dagster/partition=<id>`` counts as that partition's latest run for the run-status reconciliation
(``defs.runs.latest_dagster_run``), so a partitioned push could settle a pending pipeline run. Launch it
from the Launchpad with::

    ops:
      push_stories:
        config:
          run_id: 42
          dry_run: false

The ``shortcut`` resource holds the settings (``shortcut_resource_from_env``: the token through ``EnvVar``,
so the UI shows the variable's name, never its value).
"""


import os
from typing import Any, Optional

import dagster as dg
from pydantic import Field

from feedback_assets.defs.resources import FeedbackDatabase
from feedback_assets.tracker.push import PushAction, PushFailed, push_run
from feedback_assets.tracker.shortcut import (
    BASE_URL_ENV,
    CONVERSATION_URL_ENV,
    DEFAULT_BASE_URL,
    DEFAULT_LABELS,
    GROUP_ENV,
    LABELS_ENV,
    PROJECT_ENV,
    TOKEN_ENV,
    WORKFLOW_STATE_ENV,
    ShortcutSettings,
    TrackerConfigError,
)

PUSH_JOB_NAME = "push_stories_to_shortcut"
PUSH_OP_NAME = "push_stories"
SHORTCUT_RESOURCE_KEY = "shortcut"


class ShortcutTracker(dg.ConfigurableResource):
    """Where stories go in Shortcut (docs/export_and_tracker.md)."""

    api_token: Optional[str] = Field(default=None, description=TOKEN_ENV)
    base_url: str = Field(default=DEFAULT_BASE_URL, description=f"{BASE_URL_ENV} (a proxy, or the test stub)")
    workflow_state_id: Optional[int] = Field(default=None, description=f"{WORKFLOW_STATE_ENV}: where new stories go")
    project_id: Optional[int] = Field(default=None, description=f"{PROJECT_ENV} (instead of a workflow state)")
    group_id: Optional[str] = Field(default=None, description=f"{GROUP_ENV}: the team (a UUID)")
    labels: list[str] = Field(default=list(DEFAULT_LABELS), description=f"{LABELS_ENV}, comma-separated")
    conversation_url: Optional[str] = Field(
        default=None, description=f"{CONVERSATION_URL_ENV}: a URL with {{conversation_id}} for each quote's link"
    )

    def settings(self) -> ShortcutSettings:
        return ShortcutSettings(
            api_token=self.api_token,
            base_url=self.base_url.rstrip("/"),
            workflow_state_id=self.workflow_state_id,
            project_id=self.project_id,
            group_id=self.group_id,
            labels=tuple(self.labels),
            conversation_url=self.conversation_url,
        )


def shortcut_resource_from_env() -> ShortcutTracker:
    """The resource from the same variables ``feedback-assets push`` reads (the token as ``EnvVar``)."""
    env = ShortcutSettings.from_env()
    return ShortcutTracker(
        api_token=dg.EnvVar(TOKEN_ENV) if os.environ.get(TOKEN_ENV) else None,
        base_url=env.base_url,
        workflow_state_id=env.workflow_state_id,
        project_id=env.project_id,
        group_id=env.group_id,
        labels=list(env.labels),
        conversation_url=env.conversation_url,
    )


class PushStoriesConfig(dg.Config):
    run_id: int = Field(description="the pipeline run whose candidate stories are pushed (it must have succeeded)")
    dry_run: bool = Field(default=False, description="log the requests and send nothing")


@dg.op(name=PUSH_OP_NAME, description="Push a succeeded pipeline run's candidate stories to Shortcut (idempotent).")
def push_stories(
    context: dg.OpExecutionContext,
    config: PushStoriesConfig,
    database: FeedbackDatabase,
    shortcut: ShortcutTracker,
) -> dg.Output[dict[str, Any]]:
    engine = database.get_engine()

    def log(action: PushAction) -> None:
        target = f"sc-{action.shortcut_story_id}" if action.shortcut_story_id else "new story"
        context.log.info(f"{action.action}: {target} {action.title!r}" + (f" ({action.note})" if action.note else ""))

    try:
        report = push_run(engine, config.run_id, shortcut.settings(), dry_run=config.dry_run, on_action=log)
    except PushFailed as failure:
        partial = failure.report
        raise dg.Failure(
            description=str(failure),
            metadata={"created": partial.created, "updated": partial.updated, "unchanged": partial.unchanged},
        ) from None
    except TrackerConfigError as error:
        raise dg.Failure(description=str(error)) from None
    rows = [
        f"| {a.rank} | {a.action} | {('sc-' + a.shortcut_story_id) if a.shortcut_story_id else ''} | "
        f"{a.title.replace('|', '/')} |"
        for a in report.actions
    ]
    table = "\n".join(["| # | action | Shortcut | story |", "|---|---|---|---|", *rows]) if rows else "No candidate stories."
    return dg.Output(
        {"run_id": report.run_id, "created": report.created, "updated": report.updated, "unchanged": report.unchanged},
        metadata={
            "pipeline_run_id": dg.MetadataValue.text(str(report.run_id)),
            "summary": report.summary(),
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "dry_run": config.dry_run,
            "stories": dg.MetadataValue.md(table),
        },
    )


@dg.job(
    name=PUSH_JOB_NAME,
    description="Push one pipeline run's candidate stories to Shortcut: created once, then updated (also by later "
    "runs with the same issue signature). Config: ops.push_stories.config.run_id.",
    tags={"feedback/kind": "tracker_push"},
)
def push_stories_to_shortcut() -> None:
    push_stories()
