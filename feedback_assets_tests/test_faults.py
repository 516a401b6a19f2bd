"""Faults on PostgreSQL, end to end through the console command: the writer killed with SIGKILL at several
points of a run, the database connection dropped mid-run (a TCP proxy cut), and two processes materialising
the same partition at once.

After each fault the next ``feedback-assets`` command settles the run (a dead writer's partition lease is
released by the server, so the run is marked failed "interrupted"), ``feedback-assets resume`` completes it,
and the result equals a clean reference run of the same input: the same row counts and contents in every
table, no NULL or foreign ``pipeline_run_id``, status ``succeeded``, every blocking check passed. At no point
does the command print a Python traceback.

Each test works on its own fresh PostgreSQL database (created through the admin URL, dropped afterwards) and
its own data folder (Dagster instance). Input: ``CONVERSATIONS`` conversations from the project's generator.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
import threading
import time
import uuid
from dataclasses import dataclass, field
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
from feedback_assets_tests.fakes.tcp_proxy import TcpProxy

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

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


# --- databases ------------------------------------------------------------------------------------------

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


# --- the command ----------------------------------------------------------------------------------------

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


# --- input and the reference run ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def input_file(tmp_path_factory) -> Path:
    scripts = str(PROJECT_DIR / "scripts")
    if scripts not in sys.path:
        sys.path.insert(0, scripts)
    from sample_generator import generate, write_jsonl

    path = tmp_path_factory.mktemp("faults_input") / "conversations.jsonl"
    write_jsonl(path, generate(CONVERSATIONS, seed=11))
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


@pytest.fixture(scope="module")
def reference(postgres_url, input_file, tmp_path_factory) -> Iterator[Reference]:
    """A clean run of the same input on another database: what every recovered run must equal."""
    url = create_database("feedback_faults_reference")
    try:
        watched = WatchedCommand(tmp_path_factory.mktemp("reference"), url, "run", "--source", "jsonl",
                                 "--input", str(input_file))
        code = watched.wait()
        wall = time.monotonic() - watched.started
        assert code == 0, watched.output[-3000:]
        assert "Traceback" not in watched.output
        seconds = {marker: watched.wait_for_line(needle, timeout=0) for marker, needle in MARKERS.items()}
        state = snapshot(url)
        assert state.status == "succeeded" and len(state.check_results) == 10
        assert all(state.counts[table] > 0 for table in TABLES), state.counts
        assert state.null_run_ids == 0 and state.foreign_run_ids == 0
        yield Reference(snapshot=state, seconds=seconds, wall=wall)
    finally:
        drop_database(url)


# --- a. SIGKILL at several points -----------------------------------------------------------------------

def _wait_until(predicate, timeout: float, interval: float = 0.02) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(interval)


def _kill_point(point: str, watched: WatchedCommand, url: str, reference: Reference) -> None:
    """Wait until the run reaches ``point``, then SIGKILL it."""
    if point == "conversations":
        # The conversations step took the lease and marked the run running: it is reading and writing now.
        _wait_until(lambda: lease_held_on_server(url) and run_status(url) == "running", timeout=120)
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


# --- b. the database connection dropped mid-run ---------------------------------------------------------

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


# --- c. two materialisations of one partition at once ---------------------------------------------------

MATERIALISE = textwrap.dedent(
    """
    import os, sys, time
    import dagster as dg
    from feedback_assets.definitions import build_definitions

    partition_key, go = sys.argv[1], sys.argv[2]
    job = build_definitions().resolve_job_def("feedback_pipeline")
    instance = dg.DagsterInstance.get()
    print("READY", flush=True)
    while not os.path.exists(go):
        time.sleep(0.005)
    result = job.execute_in_process(partition_key=partition_key, instance=instance, raise_on_error=False,
                                    tags={"feedback/pipeline_run_id": partition_key})
    print("DAGSTER_RUN", result.run_id, "SUCCESS" if result.success else "FAILURE", flush=True)
    for event in result.all_events:
        if event.is_step_failure:
            print("STEP_FAILURE", event.step_key, event.step_failure_data.error.message.strip().splitlines()[0],
                  flush=True)
    """
)


def test_two_concurrent_materialisations_of_one_partition(fresh_database, input_file, reference, tmp_path,
                                                          monkeypatch):
    import dagster as dg

    from feedback_assets.defs.instance import ensure_dagster_home
    from feedback_assets.defs.partitions import PIPELINE_RUNS
    from feedback_assets.storage import create_run, make_engine, upgrade

    url, data = fresh_database, tmp_path / "data"
    engine = make_engine(url)
    upgrade(engine)
    run = create_run(engine, source="jsonl", source_params={"path": str(input_file)})
    assert run.id == RUN_ID
    home = data / "dagster_home"
    monkeypatch.setenv("FEEDBACK_DATA_DIR", str(data))
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    ensure_dagster_home()
    with dg.DagsterInstance.get() as instance:
        instance.add_dynamic_partitions(PIPELINE_RUNS, [run.partition_key])

    environment = command_environment(data, url)
    environment["DAGSTER_HOME"] = str(home)
    go = tmp_path / "go"
    processes = [
        subprocess.Popen([sys.executable, "-c", MATERIALISE, run.partition_key, str(go)], env=environment,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
        for _ in range(2)
    ]
    outputs: list[list[str]] = [[], []]
    ended: list[float] = [0.0, 0.0]
    ready = [threading.Event(), threading.Event()]

    def read(index: int) -> None:
        for line in processes[index].stdout:
            outputs[index].append(line.rstrip("\n"))
            if line.startswith("READY"):
                ready[index].set()
        processes[index].wait()
        ended[index] = time.monotonic()

    readers = [threading.Thread(target=read, args=(index,), daemon=True) for index in range(2)]
    for reader in readers:
        reader.start()
    try:
        assert all(event.wait(120) for event in ready), outputs
        go.touch()
        started = time.monotonic()
        for reader in readers:
            reader.join(timeout=180)
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    texts = ["\n".join(lines) for lines in outputs]
    assert not any("Traceback" in output for output in texts), texts
    results = [re.search(r"^DAGSTER_RUN (\S+) (SUCCESS|FAILURE)$", output, re.M) for output in texts]
    assert all(results), texts
    outcomes = sorted((result.group(2), index) for index, result in enumerate(results))
    assert [outcome for outcome, _ in outcomes] == ["FAILURE", "SUCCESS"], texts
    loser, winner = outcomes[0][1], outcomes[1][1]
    winner_run = results[winner].group(1)

    # The loser failed at once, in its first step, naming the Dagster run that holds the partition.
    refusal = re.search(r"^STEP_FAILURE conversations (.*)$", texts[loser], re.M)
    assert refusal, texts[loser]
    assert f"is being written by Dagster run {winner_run}" in refusal.group(1), refusal.group(1)
    assert len(re.findall(r"^STEP_FAILURE", texts[loser], re.M)) == 1, texts[loser]
    assert ended[loser] < ended[winner]
    assert ended[loser] - started < 0.5 * (ended[winner] - started) + 5, (ended[loser] - started, ended[winner] - started)

    # The pipeline run is the winner's: the next command settles it as succeeded, with exactly its rows.
    listing = cli(data, url, "runs")
    assert listing.returncode == 0 and "Traceback" not in listing.stdout, listing.stdout[-2000:]
    assert_recovered(snapshot(url), reference, winner_run)


# --- kill points in the narrow windows: before the first step takes the lease, after the last check ------

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
        _wait_until(lambda: _dagster_run_started(data), timeout=60, interval=0.01)
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

            _wait_until(all_checks_recorded, timeout=60, interval=0.005)
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
