"""What the tests that use the UI share: a free port, waiting on ``dagster dev`` (failing with its log when it
exits), and where screenshots go."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

import pytest

from feedback_assets import settings

SCREENSHOTS = Path(os.environ.get("FEEDBACK_SCREENSHOT_DIR", settings.PROJECT_DIR / "screenshots"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
