"""The project loads: the Dagster family imports, the definitions load, the CLI migrates a fresh database."""

from __future__ import annotations

import subprocess
import sys

import dagster as dg


def test_dagster_family_is_the_pinned_one():
    import dagster_postgres

    assert dg.__version__ == "1.13.27"
    assert dagster_postgres.__version__ == "0.29.27"


def test_definitions_load():
    from feedback_assets.definitions import defs

    dg.Definitions.validate_loadable(defs)


def test_cli_migrate_creates_the_schema(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    done = subprocess.run(
        [sys.executable, "-m", "feedback_assets.cli", "migrate", "--database-url", url],
        capture_output=True, text=True, check=True,
    )
    from feedback_assets.storage.migrate import head_revision

    head = head_revision()
    assert f"empty -> {head}" in done.stdout
    again = subprocess.run(
        [sys.executable, "-m", "feedback_assets.cli", "migrate", "--database-url", url],
        capture_output=True, text=True, check=True,
    )
    assert f"{head} -> {head}" in again.stdout
