"""SIGKILL in the two narrow windows of a ``feedback-assets run``: after its Dagster run started but before
the first step took the partition lease (the run is still pending), and after the last asset check was
recorded. Either way the next command settles the run and ``resume`` completes it to the reference rows.
What the fault tests share is described in ``fault_helpers``."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from feedback_assets.storage import db as storage_db
from feedback_assets_tests import fault_helpers
from feedback_assets_tests.fault_helpers import (
    FAULT_MARKS,
    MARKERS,
    RUN_ID,
    WatchedCommand,
    assert_recovered,
    cli,
    dagster_run_of,
    lease_held_on_server,
    run_status,
    snapshot,
    wait_until,
)

pytestmark = FAULT_MARKS
# The shared fixtures (defined in fault_helpers), under names the tests here ask for.
fresh_database, input_file, reference = fault_helpers.fresh_database, fault_helpers.input_file, fault_helpers.reference


# --- kill points in the narrow windows: before the first step takes the lease, after the last check ---------

def _dagster_run_started(data: Path) -> bool:
    """Whether the project's Dagster instance (SQLite, in the data folder) has a run in progress."""
    import sqlite3

    path = data / "dagster_home" / "history" / "runs.db"
    if not path.exists():
        return False
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.2) as connection:
            return connection.execute("SELECT count(*) FROM runs WHERE status = 'STARTED'").fetchone()[0] > 0
    except sqlite3.Error:
        return False


def test_sigkill_before_the_first_step_takes_the_lease_is_settled(fresh_database, input_file, reference, tmp_path):
    url, data = fresh_database, tmp_path / "data"
    watched = WatchedCommand(data, url, "run", "--source", "jsonl", "--input", str(input_file))
    try:
        watched.wait_for_line(f"pipeline run {RUN_ID}: source=jsonl")
        wait_until(lambda: _dagster_run_started(data), timeout=60, interval=0.01)
        watched.kill()
    finally:
        watched.close()
    if lease_held_on_server(url) or run_status(url) != "pending":
        pytest.skip("the kill came after the first step took the lease; this test needs the moment before")

    listing = cli(data, url, "runs")
    assert listing.returncode == 0 and "Traceback" not in listing.stdout, listing.stdout[-2000:]
    state = snapshot(url)
    assert state.status == "failed" and (state.error or "").startswith("interrupted:"), (state.status, state.error)

    resumed = cli(data, url, "resume", str(RUN_ID))
    assert resumed.returncode == 0, resumed.stdout[-3000:]
    assert_recovered(snapshot(url), reference, dagster_run_of(resumed.stdout))


def test_sigkill_after_the_last_check_then_resume_succeeds(fresh_database, input_file, reference, tmp_path):
    url, data = fresh_database, tmp_path / "data"
    checks = len(reference.snapshot.check_results)
    import psycopg

    watched = WatchedCommand(data, url, "run", "--source", "jsonl", "--input", str(input_file))
    try:
        watched.wait_for_line(MARKERS["stories_written"])
        with psycopg.connect(make_url(storage_db.normalise_url(url)).set(drivername="postgresql")
                             .render_as_string(hide_password=False), autocommit=True) as connection:
            def all_checks_recorded() -> bool:
                row = connection.execute("SELECT check_results FROM pipeline_runs WHERE id = %s", (RUN_ID,)).fetchone()
                return len(row[0] or {}) >= checks

            wait_until(all_checks_recorded, timeout=60, interval=0.005)
        watched.kill()
    finally:
        watched.close()

    listing = cli(data, url, "runs")
    assert listing.returncode == 0 and "Traceback" not in listing.stdout, listing.stdout[-2000:]
    settled = snapshot(url)
    assert settled.status in ("failed", "succeeded"), settled.status
    resumed = cli(data, url, "resume", str(RUN_ID))
    assert "Traceback" not in resumed.stdout
    assert resumed.returncode == 0, resumed.stdout[-3000:]
    assert_recovered(snapshot(url), reference)
