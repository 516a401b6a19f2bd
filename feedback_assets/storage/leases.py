"""One writer per partition: a lease on a pipeline run, held by the process that writes it.

The lease is a lock the operating system or the database server drops by itself when its holder dies, so it
tells a live writer from a dead one without guessing from elapsed time:

* PostgreSQL — a session-level advisory lock (``pg_try_advisory_lock(space, run_id)``) on a connection kept
  open while the lease is held; a killed process's connection closes and the server releases the lock.
* SQLite file — a POSIX byte-range lock on byte ``run_id`` of ``<database>.leases`` beside the database file;
  the kernel releases it when the process ends.
* In-memory SQLite — only this process can write it; the registry below is the lease.

A process keeps at most one lease per run, registered under its holder (a Dagster run id). ``acquire`` is
re-entrant for the same holder, refuses another holder (``PartitionBusy``) unless ``may_take_over`` says the
previous holder is done (a finished run in the same process), and never waits.

When a run's steps execute in other processes (multiprocess or Celery executor), the run's orchestrating
process holds the lease for the whole run and each step process *joins* it: a shared lock on a second key
(PostgreSQL: advisory key space ``STEP_LOCK_SPACE``; SQLite: byte ``STEP_BYTE_OFFSET + run_id``). A run is
written by somebody while either is held — the orchestrator between steps, a step whose orchestrator died.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from dataclasses import dataclass
from typing import Callable

from sqlalchemy import Connection, Engine, text

from feedback_assets.storage.errors import StorageError

ADVISORY_LOCK_SPACE = 0x46424B41
"""First key of our advisory locks ("FBKA"), so they never meet another application's locks."""
STEP_LOCK_SPACE = 0x46424B53
"""First key of the shared locks step processes take ("FBKS")."""
STEP_BYTE_OFFSET = 1 << 40
"""Where step locks start in the SQLite lease file (run ids stay far below it)."""


class PartitionBusy(StorageError):
    """Another process holds the partition's lease."""

    def __init__(self, run_id: int):
        super().__init__(f"pipeline run {run_id} is being written by another process")
        self.run_id = run_id


@dataclass
class _Lease:
    holder: str
    release: Callable[[], None]


_held: dict[tuple[str, int], _Lease] = {}
_joined: dict[tuple[str, int], _Lease] = {}
_registry_lock = threading.Lock()
_lease_files: dict[str, int] = {}


def _key(engine: Engine, run_id: int) -> tuple[str, int]:
    return engine.url.render_as_string(hide_password=True), run_id


def acquire(
    engine: Engine, run_id: int, holder: str, *, may_take_over: Callable[[str], bool] = lambda _previous: False
) -> None:
    """Hold run ``run_id``'s lease for ``holder``; ``PartitionBusy`` at once if somebody else holds it."""
    with _registry_lock:
        lease = _held.get(_key(engine, run_id))
        if lease is not None:
            if lease.holder == holder or may_take_over(lease.holder):
                lease.holder = holder
                return
            raise PartitionBusy(run_id)
        release = _try_lock(engine, run_id)
        if release is None:
            raise PartitionBusy(run_id)
        _held[_key(engine, run_id)] = _Lease(holder, release)


def release(engine: Engine, run_id: int) -> None:
    with _registry_lock:
        lease = _held.pop(_key(engine, run_id), None)
    if lease is not None:
        lease.release()


def join(engine: Engine, run_id: int, holder: str) -> None:
    """Take the run's shared step lock for ``holder`` (a step process of a run whose orchestrator holds the
    lease); re-entrant, never refused by other steps, released with ``release_held_by(holder)``."""
    with _registry_lock:
        lease = _joined.get(_key(engine, run_id))
        if lease is not None:
            lease.holder = holder
            return
        _joined[_key(engine, run_id)] = _Lease(holder, _lock(engine, run_id, step=True, shared=True))


def release_held_by(holder: str) -> int:
    """Release every lease ``holder`` holds or joined in this process (at the end of its Dagster run or
    step); returns how many."""
    with _registry_lock:
        leases = []
        for registry in (_held, _joined):
            mine = [(key, lease) for key, lease in registry.items() if lease.holder == holder]
            for key, lease in mine:
                del registry[key]
                leases.append(lease)
    for lease in leases:
        lease.release()
    return len(leases)


def is_held(engine: Engine, run_id: int) -> bool:
    """Whether any live process (this one included) writes the run: holds its lease or runs one of its steps."""
    return _taken(engine, run_id, _held, step=False) or steps_running(engine, run_id)


def steps_running(engine: Engine, run_id: int) -> bool:
    """Whether a live step process (this one included) has joined the run's lease."""
    return _taken(engine, run_id, _joined, step=True)


def _taken(engine: Engine, run_id: int, registry: dict, *, step: bool) -> bool:
    with _registry_lock:
        if _key(engine, run_id) in registry:
            return True
        release = _try_lock(engine, run_id, step=step)
    if release is None:
        return True
    release()
    return False


def holder_in_this_process(engine: Engine, run_id: int) -> str | None:
    with _registry_lock:
        lease = _held.get(_key(engine, run_id))
        return lease.holder if lease else None


def _lock(engine: Engine, run_id: int, *, step: bool, shared: bool) -> Callable[[], None]:
    # Only an exclusive holder refuses a shared lock, and step locks are taken exclusively only for the
    # moment `steps_running` looks: try again for a little while.
    for _ in range(50):
        release = _try_lock(engine, run_id, step=step, shared=shared)
        if release is not None:
            return release
        time.sleep(0.05)
    raise PartitionBusy(run_id)


def _try_lock(engine: Engine, run_id: int, *, step: bool = False, shared: bool = False) -> Callable[[], None] | None:
    """Take the lock without waiting: its release function, or ``None`` when another process has it."""
    if engine.dialect.name == "postgresql":
        return _try_advisory_lock(engine, run_id, STEP_LOCK_SPACE if step else ADVISORY_LOCK_SPACE, shared)
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        return lambda: None
    return _try_byte_lock(f"{os.path.abspath(database)}.leases", run_id + (STEP_BYTE_OFFSET if step else 0), shared)


def _try_advisory_lock(engine: Engine, run_id: int, space: int, shared: bool) -> Callable[[], None] | None:
    # Autocommit: the lock belongs to the session, and no transaction stays open while it is held.
    suffix = "_shared" if shared else ""
    connection: Connection = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    try:
        taken = connection.execute(
            text(f"SELECT pg_try_advisory_lock{suffix}(:space, :run_id)"), {"space": space, "run_id": run_id}
        ).scalar()
    except Exception:
        connection.close()
        raise
    if not taken:
        connection.close()
        return None

    def unlock() -> None:
        try:
            connection.execute(text(f"SELECT pg_advisory_unlock{suffix}(:space, :run_id)"), {"space": space, "run_id": run_id})
        except Exception:  # noqa: BLE001 - the server is gone: so is the lock
            connection.invalidate()
        finally:
            connection.close()

    return unlock


def _try_byte_lock(path: str, offset: int, shared: bool) -> Callable[[], None] | None:
    # One descriptor per file for the life of the process: closing any descriptor of a file drops all of
    # the process's POSIX locks on it.
    descriptor = _lease_files.get(path)
    if descriptor is None:
        descriptor = _lease_files[path] = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.lockf(descriptor, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB, 1, offset)
    except (BlockingIOError, PermissionError):
        return None
    return lambda: fcntl.lockf(descriptor, fcntl.LOCK_UN, 1, offset)
