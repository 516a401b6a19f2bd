"""What the fault tests (``test_faults_*.py``) share: throwaway PostgreSQL databases, reading a run's state
straight from the database, the ``feedback-assets`` command watched line by line, the generated input and the
clean reference run every recovered run must equal.

The faults, end to end through the console command on PostgreSQL: the writer killed with SIGKILL at several
points of a run, the database connection dropped mid-run (a TCP proxy cut), and two processes materialising
the same partition at once. After each fault the next ``feedback-assets`` command settles the run (a dead
writer's partition lease is released by the server, so the run is marked failed "interrupted"),
``feedback-assets resume`` completes it, and the result equals a clean reference run of the same input: the
same row counts and contents in every table, no NULL or foreign ``pipeline_run_id``, status ``succeeded``,
every blocking check passed. At no point does the command print a Python traceback.

Each test works on its own fresh PostgreSQL database (created through the admin URL, dropped afterwards) and
its own data folder (Dagster instance). Input: ``CONVERSATIONS`` conversations from the project's generator.

The tests are split over several files so that pytest-xdist (``--dist loadfile``) can run them on several
workers at once. The input file and the reference run are made once per pytest session and shared by every
worker (a file lock in the session's temporary folder; see ``session_shared``): the reference is a read-only
result of the same input, so no test depends on another's state.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from feedback_assets.settings import PROJECT_DIR
from feedback_assets.storage import db as storage_db
from feedback_assets.storage.leases import ADVISORY_LOCK_SPACE
from feedback_assets_tests.conftest import POSTGRES_ADMIN_URL

FAULT_MARKS = [pytest.mark.slow, pytest.mark.postgres]
"""Every fault test file's ``pytestmark``."""

CONVERSATIONS = int(os.environ.get("FEEDBACK_FAULTS_CONVERSATIONS", "1500"))
SETTLE_SECONDS = 60.0
STAGES = ("conversations", "classifications", "themes", "stories")
TABLES = ("conversations", "classifications", "themes", "stories", "story_evidence")
STAGE_OF_TABLE = {"conversations": "conversations", "classifications": "classifications", "themes": "themes",
                  "stories": "stories", "story_evidence": "stories"}
CONTENT = {
    # What each table's rows say, reduced to a digest (the offline engine is deterministic and story ids are
    # uuid5 of run and signature, so a resumed run must give exactly the reference rows).
    "conversations": "conversation_id",
    "classifications": "conversation_id || ':' || coalesce(final_type, '-') || ':' || coalesce(error, '-')",
    "themes": "conversation_id || ':' || coalesce(issue_signature, '-')",
    "stories": "id || ':' || issue_signature || ':' || conversation_count || ':' || status || ':' || priority",
    "story_evidence": "story_id || ':' || conversation_id",
}
RUN_ID = 1


# --- databases ----------------------------------------------------------------------------------------------

def _admin_url() -> str:
    return storage_db.normalise_url(POSTGRES_ADMIN_URL)


def create_database(prefix: str = "feedback_faults") -> str:
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(_admin_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(_admin_url()).set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    storage_db.dispose_engines()
    admin = create_engine(_admin_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def fresh_database(postgres_url) -> Iterator[str]:  # postgres_url: skip (or fail in CI) without a server
    url = create_database()
    yield url
    drop_database(url)


@dataclass
class Snapshot:
    """One run's state in the database, read directly (not through the command)."""

    status: str | None
    error: str | None
    dagster_run_id: str | None
    completed_stages: tuple[str, ...]
    check_results: dict
    counts: dict[str, int]
    digests: dict[str, str]
    null_run_ids: int
    foreign_run_ids: int


def snapshot(url: str, run_id: int = RUN_ID) -> Snapshot:
    engine = create_engine(storage_db.normalise_url(url), poolclass=NullPool)
    try:
        with engine.connect() as connection:
            row = connection.execute(
                text("SELECT status, error, dagster_run_id, completed_stages, check_results FROM pipeline_runs "
                     "WHERE id = :id"), {"id": run_id}
            ).mappings().first()
            counts, digests, nulls, foreign = {}, {}, 0, 0
            for table in TABLES:
                counts[table] = connection.execute(
                    text(f"SELECT count(*) FROM {table} WHERE pipeline_run_id = :id"), {"id": run_id}
                ).scalar_one()
                digests[table] = connection.execute(
                    text(f"SELECT md5(coalesce(string_agg({CONTENT[table]}, ',' ORDER BY {CONTENT[table]}), '')) "
                         f"FROM {table} WHERE pipeline_run_id = :id"), {"id": run_id}
                ).scalar_one()
                nulls += connection.execute(text(f"SELECT count(*) FROM {table} WHERE pipeline_run_id IS NULL")).scalar_one()
                foreign += connection.execute(
                    text(f"SELECT count(*) FROM {table} WHERE pipeline_run_id <> :id"), {"id": run_id}
                ).scalar_one()
    finally:
        engine.dispose()
    return Snapshot(
        status=row["status"] if row else None,
        error=row["error"] if row else None,
        dagster_run_id=row["dagster_run_id"] if row else None,
        completed_stages=tuple(row["completed_stages"] or ()) if row else (),
        check_results=dict(row["check_results"] or {}) if row else {},
        counts=counts,
        digests=digests,
        null_run_ids=nulls,
        foreign_run_ids=foreign,
    )


def lease_held_on_server(url: str, run_id: int = RUN_ID) -> bool:
    """Whether some session holds the run's advisory lock — read from ``pg_locks``, never by trying it (that
    would take the lock for a moment and could refuse the writer)."""
    engine = create_engine(storage_db.normalise_url(url), poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return bool(connection.execute(
                text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                     "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                     "AND classid = :space AND objid = :run_id AND objsubid = 2"),
                {"space": ADVISORY_LOCK_SPACE, "run_id": run_id},
            ).scalar_one())
    finally:
        engine.dispose()


def run_status(url: str, run_id: int = RUN_ID) -> str | None:
    engine = create_engine(storage_db.normalise_url(url), poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT status FROM pipeline_runs WHERE id = :id"), {"id": run_id}).scalar()
    except Exception:  # noqa: BLE001 - the schema may not exist yet
        return None
    finally:
        engine.dispose()


def assert_nothing_half_written(state: Snapshot, reference: "Reference") -> None:
    """Each table of the run holds none of its rows or all of them, and exactly when its stage is marked
    complete (each stage's write is one transaction with its completion mark and counters)."""
    for table in TABLES:
        complete = STAGE_OF_TABLE[table] in state.completed_stages
        expected = reference.snapshot.counts[table] if complete else 0
        assert state.counts[table] == expected, (table, state.counts, state.completed_stages)
    assert state.completed_stages == STAGES[: len(state.completed_stages)], state.completed_stages


def assert_recovered(state: Snapshot, reference: "Reference", dagster_run_id: str | None = None) -> None:
    """Exactly the reference run's rows, nothing foreign, succeeded with every blocking check passed."""
    assert state.status == "succeeded", (state.status, state.error)
    assert state.counts == reference.snapshot.counts
    assert state.digests == reference.snapshot.digests
    assert state.null_run_ids == 0 and state.foreign_run_ids == 0
    assert state.completed_stages == STAGES
    assert set(state.check_results) == set(reference.snapshot.check_results)
    assert set(state.check_results.values()) == {"passed"}, state.check_results
    if dagster_run_id is not None:
        assert state.dagster_run_id == dagster_run_id


# --- the command --------------------------------------------------------------------------------------------

def command_environment(data_dir: Path, database_url: str) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("FEEDBACK_", "DAGSTER_"))}
    environment["FEEDBACK_DATA_DIR"] = str(data_dir)
    environment["FEEDBACK_DATABASE_URL"] = database_url
    environment["PYTHONUNBUFFERED"] = "1"
    return environment


def cli(data_dir: Path, database_url: str, *args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "feedback_assets.cli", *args], env=command_environment(data_dir, database_url),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=timeout,
    )


def dagster_run_of(output: str) -> str:
    found = re.search(r"pipeline run \d+: \w+  \(Dagster run ([0-9a-f-]{36})\)", output)
    assert found, output[-3000:]
    return found.group(1)


class WatchedCommand:
    """A ``feedback-assets`` command in its own session (process group), its merged stdout/stderr read line by
    line as it comes, each line stamped with the seconds since start."""

    def __init__(self, data_dir: Path, database_url: str, *args: str) -> None:
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "feedback_assets.cli", *args], env=command_environment(data_dir, database_url),
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
        )
        self.lines: list[tuple[float, str]] = []
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            with self._changed:
                self.lines.append((time.monotonic() - self.started, line.rstrip("\n")))
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    @property
    def output(self) -> str:
        with self._changed:
            return "\n".join(line for _, line in self.lines)

    def wait_for_line(self, needle: str, timeout: float = 120) -> float:
        """Seconds since start at which a line containing ``needle`` appeared."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for seconds, line in self.lines:
                    if needle in line:
                        return seconds
                remaining = deadline - time.monotonic()
                if remaining <= 0 or (not self._reader.is_alive() and self.process.poll() is not None):
                    raise AssertionError(f"no line with {needle!r} in time:\n{self.output[-3000:]}")
                self._changed.wait(min(remaining, 0.5))

    def kill(self) -> None:
        """SIGKILL the command's whole process group (it runs in a session of its own)."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=30)
        self._reader.join(timeout=10)

    def wait(self, timeout: float = 180) -> int:
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise
        self._reader.join(timeout=10)
        return code

    def close(self) -> None:
        if self.process.poll() is None:
            self.kill()


# --- input and the reference run ----------------------------------------------------------------------------

def session_shared(tmp_path_factory) -> Path:
    """A folder every process of this pytest session sees: under pytest-xdist each worker's base temporary
    folder is ``<session's folder>/popen-gwN``, so their parent; without xdist the base folder itself."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@contextmanager
def one_at_a_time(lock: Path) -> Iterator[None]:
    """An exclusive lock on ``lock`` (a file) across the processes of the session."""
    with open(lock, "a") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def input_file(tmp_path_factory) -> Path:
    """The generated input, written once per session (the generator is deterministic: seed 11)."""
    shared = session_shared(tmp_path_factory)
    path = shared / "faults_input" / "conversations.jsonl"
    with one_at_a_time(shared / "faults_input.lock"):
        if not path.exists():
            scripts = str(PROJECT_DIR / "scripts")
            if scripts not in sys.path:
                sys.path.insert(0, scripts)
            from sample_generator import generate, write_jsonl

            path.parent.mkdir(exist_ok=True)
            partial = path.with_suffix(".partial")
            write_jsonl(partial, generate(CONVERSATIONS, seed=11))
            partial.rename(path)
    return path


MARKERS = {
    "conversations_written": "conversations: fetched",
    "classifications_written": " classified, ",
    "themes_written": "actionable conversations themed",
    "stories_written": "candidate stories",
}


@dataclass
class Reference:
    snapshot: Snapshot
    seconds: dict[str, float] = field(default_factory=dict)  # line marker → seconds since start
    wall: float = 0.0

    def stage_seconds(self, stage: str) -> float:
        """How long a stage took in the reference run, between the lines that end it and the one before."""
        order = ["conversations_written", "classifications_written", "themes_written", "stories_written"]
        position = order.index(f"{stage}_written")
        return self.seconds[order[position]] - self.seconds[order[position - 1]]

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, stored: str) -> "Reference":
        data = json.loads(stored)
        state = data.pop("snapshot")
        state["completed_stages"] = tuple(state["completed_stages"])
        return cls(snapshot=Snapshot(**state), **data)


def reference_run(input_file: Path, data_dir: Path) -> Reference:
    """A clean run of the input on a database of its own (dropped afterwards)."""
    url = create_database("feedback_faults_reference")
    try:
        watched = WatchedCommand(data_dir, url, "run", "--source", "jsonl", "--input", str(input_file))
        code = watched.wait()
        wall = time.monotonic() - watched.started
        assert code == 0, watched.output[-3000:]
        assert "Traceback" not in watched.output
        seconds = {marker: watched.wait_for_line(needle, timeout=0) for marker, needle in MARKERS.items()}
        state = snapshot(url)
        assert state.status == "succeeded" and len(state.check_results) == 10
        assert all(state.counts[table] > 0 for table in TABLES), state.counts
        assert state.null_run_ids == 0 and state.foreign_run_ids == 0
        return Reference(snapshot=state, seconds=seconds, wall=wall)
    finally:
        drop_database(url)


@pytest.fixture(scope="session")
def reference(postgres_url, input_file, tmp_path_factory) -> Reference:
    """A clean run of the same input on another database: what every recovered run must equal. Run once per
    session; the other workers read its result (the first to need it runs it while they wait)."""
    shared = session_shared(tmp_path_factory)
    stored = shared / "faults_reference.json"
    with one_at_a_time(shared / "faults_reference.lock"):
        if stored.exists():
            return Reference.from_json(stored.read_text())
        result = reference_run(input_file, tmp_path_factory.mktemp("reference"))
        stored.write_text(result.to_json())
    return result


def wait_until(predicate, timeout: float, interval: float = 0.02) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(interval)
