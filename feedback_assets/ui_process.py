"""Run the Dagster UI (``dagster dev``) as a child process that stops, whole, on SIGTERM or Ctrl-C.

``feedback-assets ui`` used to ``exec`` ``dagster dev``. That leaves stopping it to Dagster, which fails in a
common case: ``dagster dev`` maps SIGTERM onto whatever SIGINT does
(``dagster._utils.interrupts.setup_interrupt_handlers``), and a process started in the background by a
non-interactive shell inherits SIGINT *ignored*, so it then ignores both signals, and its webserver, daemon
and code server keep running.

:func:`serve_ui` therefore starts the command in its own session (so its own process group) and keeps the
signals for itself:

* SIGTERM, SIGINT (Ctrl-C) and SIGHUP (the terminal closed; the child, in another session, would not get it)
  are caught and SIGTERM is forwarded to the child's whole process group. A second signal sends SIGKILL.
* If the group has not gone ``grace_seconds`` after the first signal, it gets SIGKILL.
* When the child ends by itself, whatever it left in its group is stopped too (SIGTERM, then SIGKILL).

Because our handlers are installed before the child starts, the child begins with SIGINT and SIGTERM at
their defaults (``exec`` resets caught signals), even when this process inherited them ignored.

POSIX only, and :func:`serve_ui` must run in the main thread (Python installs signal handlers only there).
Nothing here imports Dagster: the command is a plain argument list (:func:`dagster_dev_command`).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
"""Signals that stop the UI: each is forwarded to the child's process group as SIGTERM."""

DEFAULT_GRACE_SECONDS = 7.0
"""Time the group gets after SIGTERM before SIGKILL (``dagster dev`` needs ≈ 4 s, up to ≈ 7 under load)."""

_POLL_SECONDS = 0.1


def dagster_dev_command(
    *,
    host: str,
    port: int,
    workspace: str | os.PathLike[str],
    read_only: bool = False,
    python: str = sys.executable,
) -> list[str]:
    """The command line of the Dagster UI on ``host:port`` for a ``workspace.yaml``.

    Normally ``dagster dev``: webserver, daemon (sensors, schedules, run queue) and code server.
    ``dagster dev`` has no read-only option (Dagster 1.13.27); ``read_only=True`` therefore runs
    ``dagster-webserver --read-only`` alone: a UI that cannot launch runs or switch sensors and schedules,
    with no daemon.
    """
    if read_only:
        program = ["dagster_webserver", "--read-only"]
    else:
        program = ["dagster", "dev"]
    return [python, "-m", *program, "-w", str(workspace), "-h", host, "-p", str(port)]


def serve_ui(
    command: Sequence[str],
    *,
    grace_seconds: float = DEFAULT_GRACE_SECONDS,
    cwd: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
) -> int:
    """Run ``command`` in a new session until it ends or this process is asked to stop; return an exit code.

    0 when a stop signal ended it (after printing ``Dagster UI stopped``), otherwise the child's own exit
    code (128 + N if signal N killed it, as a shell reports it). Either way no process of the child's group
    is left when this returns.
    """
    received: list[int] = []
    started: list[subprocess.Popen] = []
    forwarded = [False]
    kill_at = [float("inf")]  # SIGKILL for the group from then on: grace_seconds after the first signal

    def on_stop_signal(signum: int, _frame: object) -> None:
        if not received:
            kill_at[0] = time.monotonic() + grace_seconds
        received.append(signum)
        if started:  # else the child is being started: the code after Popen forwards the signal
            _signal_group(started[0].pid, signal.SIGKILL if forwarded[0] else signal.SIGTERM)
            forwarded[0] = True

    previous = {signum: signal.signal(signum, on_stop_signal) for signum in STOP_SIGNALS}
    child: subprocess.Popen | None = None
    try:
        child = subprocess.Popen(list(command), start_new_session=True, cwd=cwd, env=env)
        group = child.pid  # start_new_session: the child leads a new session and process group
        started.append(child)
        if received and not forwarded[0]:  # a signal came while the child was starting
            forwarded[0] = True
            _signal_group(group, signal.SIGTERM)
        while True:
            try:
                child.wait(timeout=_POLL_SECONDS)
                break
            except subprocess.TimeoutExpired:
                if time.monotonic() >= kill_at[0]:
                    _signal_group(group, signal.SIGKILL)
        if received:
            # We asked the group to stop: what outlived the leader gets the rest of the grace period.
            _stop_group(group, until=kill_at[0], already_asked=True)
            print(f"Dagster UI stopped ({signal.Signals(received[0]).name})", flush=True)
            return 0
        _stop_group(group, until=time.monotonic() + grace_seconds, already_asked=False)
        code = child.returncode
        return 128 - code if code < 0 else code
    finally:
        if child is not None and group_members(child.pid):  # an exception on the way: leave nothing behind
            _signal_group(child.pid, signal.SIGKILL)
            _wait_group_gone(child.pid, until=time.monotonic() + 5)
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def group_members(pgid: int) -> list[int]:
    """Live processes (not zombies) of process group ``pgid``.

    Zombies are left out: an orphan whose parent has ended waits for ``init`` to reap it, which on some
    machines takes seconds, but it is already dead. Without ``/proc`` (macOS) any member counts.
    """
    if not os.path.isdir("/proc/self"):
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return []
        except PermissionError:
            pass
        return [pgid]
    members = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="utf-8", errors="replace") as stat_file:
                stat = stat_file.read()
        except OSError:  # it ended while we looked
            continue
        fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (comm) ": state ppid pgrp ...
        if int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
            members.append(int(entry.name))
    return members


def _signal_group(pgid: int, signum: int) -> None:
    try:
        os.killpg(pgid, signum)
    except ProcessLookupError:  # the group is already gone
        pass


def _wait_group_gone(pgid: int, *, until: float) -> bool:
    while group_members(pgid):
        if time.monotonic() >= until:
            return False
        time.sleep(_POLL_SECONDS)
    return True


def _stop_group(pgid: int, *, until: float, already_asked: bool) -> None:
    """Leave nothing of group ``pgid``: SIGTERM (unless sent already), then SIGKILL at ``until``."""
    if not group_members(pgid):
        return
    if not already_asked:
        _signal_group(pgid, signal.SIGTERM)
    if not _wait_group_gone(pgid, until=until):
        _signal_group(pgid, signal.SIGKILL)
        _wait_group_gone(pgid, until=time.monotonic() + 5)


if __name__ == "__main__":  # python -m feedback_assets.ui_process COMMAND...: for trying it by hand
    sys.exit(serve_ui(sys.argv[1:]))
