"""SIGKILL of a running ``feedback-assets run`` at four points (while its conversations step writes, during
classifications, during themes, after the stories were written), then the next command settles the run as
failed "interrupted", ``feedback-assets resume`` completes it, and the rows equal the clean reference run's.
What the fault tests share, and the whole scenario, is described in ``fault_helpers``."""

from __future__ import annotations

import re
import time

import pytest

from feedback_assets_tests import fault_helpers
from feedback_assets_tests.fault_helpers import (
    FAULT_MARKS,
    MARKERS,
    RUN_ID,
    SETTLE_SECONDS,
    STAGES,
    Reference,
    WatchedCommand,
    assert_nothing_half_written,
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


# --- SIGKILL at several points ------------------------------------------------------------------------------

def _kill_point(point: str, watched: WatchedCommand, url: str, reference: Reference) -> None:
    """Wait until the run reaches ``point``, then SIGKILL it."""
    if point == "conversations":
        # The conversations step took the lease and marked the run running: it is reading and writing now.
        wait_until(lambda: lease_held_on_server(url) and run_status(url) == "running", timeout=120)
    elif point == "classifications":
        watched.wait_for_line(MARKERS["conversations_written"])
        time.sleep(0.4 * reference.stage_seconds("classifications"))
    elif point == "themes":
        watched.wait_for_line(MARKERS["classifications_written"])
        time.sleep(0.4 * reference.stage_seconds("themes"))
    elif point == "after_stories":
        watched.wait_for_line(MARKERS["stories_written"])
    else:
        raise ValueError(point)
    watched.kill()


@pytest.mark.parametrize("point", ["conversations", "classifications", "themes", "after_stories"])
def test_sigkill_then_settle_then_resume_gives_the_reference_rows(point, fresh_database, input_file, reference,
                                                                  tmp_path):
    url, data = fresh_database, tmp_path / "data"
    watched = WatchedCommand(data, url, "run", "--source", "jsonl", "--input", str(input_file))
    try:
        _kill_point(point, watched, url, reference)
    finally:
        watched.close()
    killed_at = time.monotonic()
    outputs = [watched.output]

    at_kill = snapshot(url)
    assert at_kill.status == "running", (point, at_kill.status, watched.output[-2000:])
    assert_nothing_half_written(at_kill, reference)
    if point == "after_stories":
        assert at_kill.completed_stages == STAGES

    # The next command settles it: the server dropped the dead writer's lease.
    while True:
        listing = cli(data, url, "runs")
        outputs.append(listing.stdout)
        assert listing.returncode == 0, listing.stdout[-2000:]
        if snapshot(url).status != "running" or time.monotonic() - killed_at > SETTLE_SECONDS:
            break
        time.sleep(1)
    settled_after = time.monotonic() - killed_at
    state = snapshot(url)
    assert state.status == "failed" and state.error.startswith("interrupted:"), (state.status, state.error)
    assert settled_after <= SETTLE_SECONDS
    assert f"settled pipeline run {RUN_ID}: failed (interrupted:" in listing.stdout
    assert re.search(rf"\| {RUN_ID} \| failed \|.*\| interrupted: ", listing.stdout), listing.stdout
    assert_nothing_half_written(state, reference)

    resumed = cli(data, url, "resume", str(RUN_ID))
    outputs.append(resumed.stdout)
    assert resumed.returncode == 0, resumed.stdout[-3000:]
    assert f"pipeline run {RUN_ID}: succeeded" in resumed.stdout
    assert_recovered(snapshot(url), reference, dagster_run_of(resumed.stdout))
    assert not any("Traceback" in output for output in outputs)
