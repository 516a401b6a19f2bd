"""The Dagster code location: assets, checks, jobs, sensors and resources (wiring only)."""

from __future__ import annotations

from typing import Any, Mapping

import dagster as dg

from feedback_assets.defs.checks import asset_checks
from feedback_assets.defs.resources import resources_from_env
from feedback_assets.defs.new_runs import create_pipeline_run
from feedback_assets.defs.runs import PIPELINE_ASSETS, RUNS_OVERVIEW, feedback_checks, feedback_pipeline, sensors
from feedback_assets.defs.prune import prune_old_runs, prune_pipeline_runs
from feedback_assets.defs.tracker import push_stories_to_shortcut, shortcut_resource_from_env
from feedback_assets.defs.trends import story_trends


def build_definitions(resources: Mapping[str, Any] | None = None) -> dg.Definitions:
    """The code location; tests pass their own resources (a test database, a stub endpoint)."""
    return dg.Definitions(
        assets=[*PIPELINE_ASSETS, RUNS_OVERVIEW, story_trends],
        asset_checks=asset_checks,
        jobs=[feedback_pipeline, feedback_checks, create_pipeline_run, push_stories_to_shortcut, prune_pipeline_runs],
        schedules=[prune_old_runs],
        sensors=list(sensors),
        resources={**resources_from_env(), "shortcut": shortcut_resource_from_env(), **(resources or {})},
    )


defs = build_definitions()
