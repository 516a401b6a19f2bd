"""``serve_ui`` (feedback_assets/ui_process.py): the UI's process group stops, whole, on SIGTERM or Ctrl-C.

The ``serve_ui`` process is started the way a non-interactive shell starts a background job: with SIGINT
ignored. That is the case in which ``dagster dev`` on its own ignores SIGTERM as well (it maps SIGTERM onto
SIGINT's handler). A fake child (a script with a grandchild) checks forwarding, the SIGKILL after the grace
period and the clean-up after a child that ends by itself; the slow test does it with the real
``dagster dev`` (daemon, code server, webserver).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import httpx
import pytest

from feedback_assets import settings
from feedback_assets.ui_process import dagster_dev_command, serve_ui
from feedback_assets_tests.ui_helpers import _free_port, _wait

pytestmark = pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="reads process groups from /proc")

STOP_WITHIN = 10.0  # seconds: what `feedback-assets ui` promises after SIGTERM or Ctrl-C

# serve_ui in a process of its own, as `feedback-assets ui` runs it: argv = grace seconds, then the command.
SERVE = "import sys; from feedback_assets.ui_process import serve_ui; " \
        "sys.exit(serve_ui(sys.argv[2:], grace_seconds=float(sys.argv[1])))"

FAKE_CHILD = textwrap.dedent("""
    import os, signal, subprocess, sys, time
    from pathlib import Path

    pid_file, mode = Path(sys.argv[1]), sys.argv[2]
    grandchild_code = "import signal, time\\n"
    if mode == "stubborn":  # a grandchild that only SIGKILL stops
        grandchild_code += "signal.signal(signal.SIGTERM, signal.SIG_IGN)\\n"
    grandchild = subprocess.Popen([sys.executable, "-c", grandchild_code + "time.sleep(600)"])
    time.sleep(0.3)  # let the grandchild install its handler before anyone signals it
    pid_file.write_text(f"{os.getpid()} {grandchild.pid}")
    if mode.startswith("exit"):  # end by itself and leave the grandchild behind
        sys.exit(int(mode[4:]))
    time.sleep(600)
""")


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # what `sh -c 'command &'` does to a background job


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] not in "ZX"  # a zombie has ended; only its exit status is left


def _group(pgid: int) -> list[int]:
    """Live members of process group ``pgid`` (``ps -g`` would select by session)."""
    listed = subprocess.run(["ps", "-e", "-o", "pid=,pgid="], capture_output=True, text=True, check=True)
    rows = [tuple(map(int, line.split())) for line in listed.stdout.splitlines() if line.strip()]
    return [pid for pid, group in rows if group == pgid and _alive(pid)]


def _children(pid: int) -> list[int]:
    listed = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True)
    return [int(child) for child in listed.stdout.split()]


def _kill_group(pgid: int | None) -> None:
    if pgid:
        try:
            os.killpg(pgid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")


def _start_serve(command: list[str], output, *, grace: float, **options) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", SERVE, str(grace), *command],
        stdout=output, stderr=subprocess.STDOUT, preexec_fn=_ignore_sigint, **options,
    )


def _fake_child(tmp_path: Path, mode: str) -> tuple[list[str], Path]:
    script = tmp_path / "fake_child.py"
    script.write_text(FAKE_CHILD)
    pid_file = tmp_path / "pids"
    return [sys.executable, str(script), str(pid_file), mode], pid_file


def _stop_and_check(serve: subprocess.Popen, signum: int, recorded: list[int], output: Path) -> float:
    """Send ``signum`` to serve_ui; assert it exits 0 in time, says so and leaves none of ``recorded``."""
    began = time.monotonic()
    serve.send_signal(signum)
    try:
        code = serve.wait(timeout=STOP_WITHIN)
    except subprocess.TimeoutExpired:
        log = output.read_text()[-3000:]
        pytest.fail(f"serve_ui still runs {STOP_WITHIN:.0f} s after {signum.name}:\n{log}")
    took = time.monotonic() - began
    left = [pid for pid in recorded if _alive(pid)]
    assert not left, f"still alive after {signum.name}: {left}"
    assert code == 0, output.read_text()[-3000:]
    assert f"Dagster UI stopped ({signum.name})" in output.read_text()
    return took


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_stop_signal_is_forwarded_to_the_child_and_its_grandchild(tmp_path, signum):
    command, pid_file = _fake_child(tmp_path, "run")
    output = tmp_path / "serve.log"
    group = None
    with output.open("w") as log:
        serve = _start_serve(command, log, grace=7.0)
    try:
        _wait_for(pid_file.exists, 30, "the fake child")
        child, grandchild = map(int, pid_file.read_text().split())
        group = os.getpgid(child)
        assert group == child != os.getpgid(serve.pid)  # a session and process group of its own
        recorded = _group(group)
        assert sorted(recorded) == sorted([child, grandchild])
        took = _stop_and_check(serve, signum, recorded, output)
        assert took < 5  # SIGTERM reached them: nobody waited for the grace period
    finally:
        serve.kill()
        _kill_group(group)


def test_a_group_that_ignores_sigterm_is_killed_after_the_grace_period(tmp_path):
    command, pid_file = _fake_child(tmp_path, "stubborn")
    output = tmp_path / "serve.log"
    group = None
    with output.open("w") as log:
        serve = _start_serve(command, log, grace=1.0)
    try:
        _wait_for(pid_file.exists, 30, "the fake child")
        child, grandchild = map(int, pid_file.read_text().split())
        group = child
        took = _stop_and_check(serve, signal.SIGTERM, [child, grandchild], output)
        assert 1.0 <= took < 5
    finally:
        serve.kill()
        _kill_group(group)


def test_a_child_that_ends_by_itself_takes_its_group_along_and_gives_its_exit_code(tmp_path):
    command, pid_file = _fake_child(tmp_path, "exit3")
    handlers = {signum: signal.getsignal(signum) for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
    try:
        assert serve_ui(command, grace_seconds=5.0) == 3
        child, grandchild = map(int, pid_file.read_text().split())
        assert not _alive(grandchild) and not _alive(child)
    finally:
        if pid_file.exists():
            _kill_group(int(pid_file.read_text().split()[0]))
    # serve_ui gave back the handlers it borrowed
    assert {signum: signal.getsignal(signum) for signum in handlers} == handlers


def test_the_command_uses_only_options_the_dagster_clis_define():
    """``dagster dev`` has no read-only option (1.13.27), so ``read_only`` runs ``dagster-webserver``'s."""
    from dagster._cli.dev import dev_command
    from dagster_webserver.cli import dagster_webserver

    def options(command) -> set[str]:
        return {option for parameter in command.params for option in parameter.opts}

    def flags(command_line: list[str]) -> set[str]:
        return {arg for arg in command_line[3:] if arg.startswith("-")}

    where = dict(host="127.0.0.1", port=3001, workspace="w.yaml", python="python")
    dev = dagster_dev_command(**where)
    assert dev == ["python", "-m", "dagster", "dev", "-w", "w.yaml", "-h", "127.0.0.1", "-p", "3001"]
    assert flags(dev) <= options(dev_command)
    assert "--read-only" not in options(dev_command)

    read_only = dagster_dev_command(**where, read_only=True)
    assert read_only[:4] == ["python", "-m", "dagster_webserver", "--read-only"]
    assert read_only[4:] == dev[4:]
    assert flags(read_only) <= options(dagster_webserver)


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_dagster_dev_stops_whole_within_ten_seconds(tmp_path, signum):
    """``dagster dev`` answers /server_info in ≈ 5–40 s here; it stops in ≈ 4 s."""
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\nnux:\n  enabled: false\n")
    environment = {
        **os.environ, "DAGSTER_HOME": str(home), settings.DATABASE_URL_ENV: f"sqlite:///{tmp_path / 'f.db'}",
    }
    port = _free_port()
    workspace = settings.PROJECT_DIR / "workspace.yaml"
    command = dagster_dev_command(host="127.0.0.1", port=port, workspace=workspace)
    output = tmp_path / "serve.log"
    group = None
    with output.open("w") as log:
        serve = _start_serve(command, log, grace=7.0, cwd=settings.PROJECT_DIR, env=environment)
    try:
        def server_up() -> bool:
            try:
                return httpx.get(f"http://127.0.0.1:{port}/server_info", timeout=2).status_code == 200
            except httpx.HTTPError:
                return False

        _wait(server_up, 120, "the webserver", serve, output)
        (group,) = _children(serve.pid)
        recorded = _group(group)
        # dagster dev, its webserver, daemon, code server (and the code server's gRPC server)
        assert len(recorded) >= 4, subprocess.run(["ps", "-f", "-p", ",".join(map(str, recorded))],
                                                  capture_output=True, text=True).stdout
        took = _stop_and_check(serve, signum, recorded, output)
        print(f"{signum.name}: stopped in {took:.1f} s")
    finally:
        serve.kill()
        _kill_group(group)
