"""The persistent Dagster instance the CLI and the UI share (a project-local DAGSTER_HOME by default)."""

from __future__ import annotations

import os
from pathlib import Path

from feedback_assets import settings

WRITTEN_BY_US = "# Written by feedback-assets"

LOCAL_DAGSTER_YAML = f"""\
{WRITTEN_BY_US} for the project-local instance (SQLite storage in this folder).
# Production uses deploy/dagster.yaml (PostgreSQL storage, queued runs, an LLM pool limit).
telemetry:
  enabled: false
nux:
  enabled: false
# The daemon (feedback-assets ui) fails runs that never start or run for more than a day. A run whose
# process died is settled sooner: its partition lease is gone (the pipeline_run_status sensor and every
# feedback-assets command check it).
run_monitoring:
  enabled: true
  start_timeout_seconds: 180
  max_runtime_seconds: 86400
"""


def ensure_dagster_home() -> Path:
    """Set DAGSTER_HOME (project-local unless already set) and give it our dagster.yaml if it has none or has
    an older one of ours (a file somebody wrote by hand is left alone)."""
    home = settings.dagster_home()
    os.environ["DAGSTER_HOME"] = str(home)
    config = home / "dagster.yaml"
    if not config.exists() or (
        config.read_text(encoding="utf-8").startswith(WRITTEN_BY_US)
        and config.read_text(encoding="utf-8") != LOCAL_DAGSTER_YAML
    ):
        config.write_text(LOCAL_DAGSTER_YAML, encoding="utf-8")
    return home
