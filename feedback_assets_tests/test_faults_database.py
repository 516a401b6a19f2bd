"""The database connection dropped under a running ``feedback-assets run`` (a TCP proxy between the command
and PostgreSQL resets every connection): the command fails in one line, the server has released the lease,
nothing is half-written; once the database is back the next command settles the run and ``resume``
completes it to the reference rows. What the fault tests share is described in ``fault_helpers``."""

from __future__ import annotations

import time

from sqlalchemy.engine import make_url

from feedback_assets_tests import fault_helpers
from feedback_assets_tests.fakes.tcp_proxy import TcpProxy
from feedback_assets_tests.fault_helpers import (
    FAULT_MARKS,
    MARKERS,
    RUN_ID,
    STAGES,
    WatchedCommand,
    assert_nothing_half_written,
    assert_recovered,
    cli,
    dagster_run_of,
    lease_held_on_server,
    snapshot,
)

pytestmark = FAULT_MARKS
# The shared fixtures (defined in fault_helpers), under names the tests here ask for.
fresh_database, input_file, reference = fault_helpers.fresh_database, fault_helpers.input_file, fault_helpers.reference


# --- the database connection dropped mid-run ----------------------------------------------------------------

def _through(proxy: TcpProxy, url: str) -> str:
    return make_url(url).set(host=proxy.host, port=proxy.port).render_as_string(hide_password=False)


def test_database_dropped_mid_run_fails_in_one_line_and_resumes(fresh_database, input_file, reference, tmp_path):
    direct, data = fresh_database, tmp_path / "data"
    server = make_url(direct)
    with TcpProxy(server.port or 5432, server.host or "127.0.0.1") as proxy:
        url = _through(proxy, direct)
        watched = WatchedCommand(data, url, "run", "--source", "jsonl", "--input", str(input_file))
        try:
            watched.wait_for_line(MARKERS["conversations_written"])
            time.sleep(0.4 * reference.stage_seconds("classifications"))
            assert proxy.cut() >= 1  # the lease's session and the step's connections
            code = watched.wait(timeout=120)
        finally:
            watched.close()
        output = watched.output
        assert code != 0, output[-3000:]
        assert "Traceback" not in output
        last = [line for line in output.splitlines() if line.strip()][-1]
        assert last.startswith("feedback-assets: cannot reach the database "), output[-3000:]
        assert "server closed the connection" in last or "Broken pipe" in last or "reset" in last, last

        # The server ended the writer's sessions: no lease left. Nothing half-written.
        assert not lease_held_on_server(direct)
        at_exit = snapshot(direct)
        assert "conversations" in at_exit.completed_stages and "stories" not in at_exit.completed_stages
        assert_nothing_half_written(at_exit, reference)

        proxy.restore()
        listing = cli(data, url, "runs")
        assert listing.returncode == 0 and "Traceback" not in listing.stdout, listing.stdout[-2000:]
        settled = snapshot(direct)
        if at_exit.status in ("pending", "running"):
            # The command could not record the outcome while the database was away: the next one did.
            assert f"settled pipeline run {RUN_ID}: failed" in listing.stdout, listing.stdout
        assert settled.status == "failed" and settled.error, (settled.status, settled.error)
        assert_nothing_half_written(settled, reference)

        resumed = cli(data, url, "resume", str(RUN_ID))
        assert resumed.returncode == 0, resumed.stdout[-3000:]
        assert "Traceback" not in resumed.stdout
        kept = settled.completed_stages
        assert f"resuming {', '.join(STAGES[len(kept):])}; kept {', '.join(kept)}" in resumed.stdout, resumed.stdout
        assert_recovered(snapshot(direct), reference, dagster_run_of(resumed.stdout))
