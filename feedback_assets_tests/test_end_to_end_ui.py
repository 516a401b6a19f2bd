"""End to end through the daemon and the UI, as a person uses it: ``feedback-assets ui`` (``dagster dev``)
on 127.0.0.1 against a temporary instance; a pending pipeline run is picked up by the ``pending_runs`` sensor, materialised, and
settled by the ``pipeline_run_status`` sensor; then headless Chromium opens the asset lineage and the
checks page of the partition, the test asserts what they show and saves screenshots.

Needs Chromium (Debian package ``chromium``; .ci/run installs it). Without it the test skips locally and
fails in CI (FEEDBACK_REQUIRE_BROWSER=1).
"""

from __future__ import annotations

import html
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pytest

from feedback_assets import settings
from feedback_assets.storage import create_run, get_run, list_runs, make_engine, upgrade
from feedback_assets_tests.pipeline_data import write_jsonl

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SCREENSHOTS = Path(os.environ.get("FEEDBACK_SCREENSHOT_DIR", settings.PROJECT_DIR / "screenshots"))
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--window-size=1400,900", "--virtual-time-budget=15000",
]

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _chromium(*args: str) -> str:
    profile = tempfile.mkdtemp(prefix="chromium-")
    try:
        done = subprocess.run(
            [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True, text=True, timeout=90,
        )
        return done.stdout
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def page_text(url: str) -> str:
    dom = _chromium("--dump-dom", url)
    dom = re.sub(r"<(script|style)\b.*?</\1>", " ", dom, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", dom)))


def screenshot(url: str, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    _chromium(f"--screenshot={path}", url)
    assert path.exists() and path.stat().st_size > 10_000, f"no screenshot of {url}"
    return path


def _wait(predicate, timeout: float, what: str, process: subprocess.Popen, log: Path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"dagster dev exited while waiting for {what}:\n{log.read_text()[-3000:]}")
        value = predicate()
        if value:
            return value
        time.sleep(1)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}:\n{log.read_text()[-3000:]}")


def test_daemon_launches_a_pending_run_and_the_ui_shows_its_assets_and_checks(tmp_path):
    """dagster dev answers /server_info in ≈ 4.5 s; the sensors tick every 15 s and 30 s."""
    if CHROMIUM is None:
        if os.environ.get("FEEDBACK_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is required (FEEDBACK_REQUIRE_BROWSER=1) but not installed")
        pytest.skip("Chromium not installed (apt-get install chromium)")

    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\nnux:\n  enabled: false\n")
    database_url = f"sqlite:///{tmp_path / 'feedback.db'}"
    engine = make_engine(database_url)
    upgrade(engine)
    data = write_jsonl(tmp_path / "conversations.jsonl")
    environment = {**os.environ, "DAGSTER_HOME": str(home), settings.DATABASE_URL_ENV: database_url}

    # First the main job from the command line, into the same instance and database ...
    cli = subprocess.run(
        [sys.executable, "-m", "feedback_assets.cli", "run", "--source", "jsonl", "--input", str(data)],
        env=environment, capture_output=True, text=True, timeout=300,
    )
    assert cli.returncode == 0, cli.stdout[-2000:] + cli.stderr[-2000:]
    (cli_run,) = list_runs(engine)
    # ... then a pending run that the daemon's sensor must pick up.
    run = create_run(engine, source="jsonl", source_params={"path": str(data)})

    port = _free_port()
    log = tmp_path / "dagster_dev.log"
    with log.open("w") as output:
        process = subprocess.Popen(  # the README's command: feedback-assets ui (dagster dev underneath)
            [sys.executable, "-m", "feedback_assets.cli", "ui", "--host", "127.0.0.1", "--port", str(port)],
            cwd=settings.PROJECT_DIR, env=environment, stdout=output, stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the whole tree stops with one signal
        )
    base = f"http://127.0.0.1:{port}"
    try:
        def server_up():
            try:
                return httpx.get(f"{base}/server_info", timeout=2).status_code == 200
            except httpx.HTTPError:
                return False

        _wait(server_up, 90, "the webserver", process, log)
        settled = _wait(
            lambda: (lambda r: r if r.status in ("succeeded", "failed", "canceled") else None)(get_run(engine, run.id)),
            240, f"pipeline run {run.id} to be launched by the sensor and settled", process, log,
        )
        assert settled.status == "succeeded", settled.error
        assert settled.trigger == "manual" and settled.dagster_run_id and settled.stories_count >= 1

        lineage = page_text(f"{base}/asset-groups")
        for asset in ("conversations", "classifications", "themes", "stories", "story_trends"):
            assert asset in lineage  # one group: the lineage opens as one graph
        screenshot(f"{base}/asset-groups", "asset_lineage.png")

        checks_url = f"{base}/assets/classifications?view=checks"
        checks = page_text(checks_url)
        assert "classifications_complete" in checks and "classifications_run_ids" in checks
        assert "Passed" in checks and f"Partition {run.partition_key}" in checks
        screenshot(checks_url, "classifications_checks.png")

        # What a product manager reads: the story table in the latest stories materialisation.
        stories_url = f"{base}/assets/stories"
        stories_page = page_text(stories_url)
        assert "candidate_stories" in stories_page and "Clock in" in stories_page
        screenshot(stories_url, "stories.png")

        # Both runs — the CLI's and the sensor's — are in the UI's run list.
        runs_page = page_text(f"{base}/runs")
        for dagster_run_id in (cli_run.dagster_run_id, settled.dagster_run_id):
            assert dagster_run_id[:8] in runs_page
        assert "pending_runs" in runs_page  # the sensor that launched the second one
        screenshot(f"{base}/runs", "runs.png")
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
