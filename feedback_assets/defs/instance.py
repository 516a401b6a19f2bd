"""The persistent Dagster instance the CLI and the UI share (a project-local DAGSTER_HOME by default)."""

from __future__ import annotations

import os
from pathlib import Path

from feedback_assets import settings

LOCAL_DAGSTER_YAML = """\
# Written by feedback-assets for the project-local instance (SQLite storage in this folder).
# Production uses deploy/dagster.yaml (PostgreSQL storage, queued runs, an LLM pool limit).
telemetry:
  enabled: false
nux:
  enabled: false
"""


def ensure_dagster_home() -> Path:
    """Set DAGSTER_HOME (project-local unless already set) and give it a dagster.yaml if it has none."""
    home = settings.dagster_home()
    os.environ["DAGSTER_HOME"] = str(home)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(LOCAL_DAGSTER_YAML, encoding="utf-8")
    return home
