"""The pipeline on Dagster's Celery executor: real RabbitMQ, two ``feedback-assets worker`` processes, the Dagster
daemon launching pending runs through the ``pending_runs`` sensor, PostgreSQL for the project's tables and for
Dagster's own storage.

One scenario, in order (each step needs the previous one's state, so it is one test):

1. three pending runs → the sensor launches them; all succeed with the reference counts and content (an
   in-process run of the same input) and every blocking check passed; steps ran on both workers; the ``llm``
   pool (limit 1 here) never had two model-calling steps in progress at once, while other steps overlapped;
2. the worker process executing a run's ``classifications`` step is killed (SIGKILL) → the run fails naming
   the cause, the partition holds no half-written stage, ``feedback-assets resume`` completes it exactly;
3. a whole worker (its main process and its pool) is killed during a step → its unacknowledged step goes
   back to the broker, the other worker runs it, and the run succeeds exactly.

Isolation: a RabbitMQ virtual host and two PostgreSQL databases of its own, dropped afterwards. RabbitMQ is
required in CI (FEEDBACK_REQUIRE_RABBITMQ=1, set by .ci/run); elsewhere the test skips without it.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from feedback_assets.storage import db as storage_db
from feedback_assets_tests.fault_helpers import create_database, drop_database

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.timeout(600)]

BROKER_ADMIN = "pyamqp://guest:guest@127.0.0.1:5672//"
REQUIRE_RABBITMQ = os.environ.get("FEEDBACK_REQUIRE_RABBITMQ", "") == "1"
CONVERSATIONS = 600
PENDING_RUNS = 3  # enough to keep both workers busy at once; each run is 14 Celery tasks
LLM_POOL_LIMIT = 1
TABLES = {
    # What each table's rows say, independent of the run (story ids differ per run).
    "conversations": "conversation_id",
    "classifications": "conversation_id || ':' || coalesce(final_type, '-') || ':' || coalesce(error, '-')",
    "themes": "conversation_id || ':' || coalesce(issue_signature, '-')",
    "stories": "issue_signature || ':' || conversation_count || ':' || status || ':' || priority",
}


# --- infrastructure -------------------------------------------------------------------------------------

def _rabbitmq_problem() -> str | None:
    from feedback_assets.workers import broker_problem

    if shutil.which("rabbitmqctl") is None:
        return "rabbitmqctl not found"
    return broker_problem(BROKER_ADMIN, timeout=3)


@pytest.fixture(scope="module")
def vhost() -> Iterator[str]:
    """A RabbitMQ virtual host of this test's own (no other worker on the machine can take its steps)."""
    problem = _rabbitmq_problem()
    if problem:
        if REQUIRE_RABBITMQ:
            pytest.fail(f"RabbitMQ is required (FEEDBACK_REQUIRE_RABBITMQ=1) but unusable: {problem}")
        pytest.skip(f"RabbitMQ unavailable: {problem}")
    name = f"feedback_test_{uuid.uuid4().hex[:8]}"
    subprocess.run(["rabbitmqctl", "-q", "add_vhost", name], check=True, capture_output=True, timeout=60)
    subprocess.run(["rabbitmqctl", "-q", "set_permissions", "-p", name, "guest", ".*", ".*", ".*"],
                   check=True, capture_output=True, timeout=60)
    yield name
    subprocess.run(["rabbitmqctl", "-q", "delete_vhost", name], capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def databases(postgres_url) -> Iterator[tuple[str, str]]:  # postgres_url: skip (or fail in CI) without a server
    """(project database URL, Dagster storage URL): two fresh PostgreSQL databases."""
    project, dagster = create_database("feedback_celery_project"), create_database("feedback_celery_dagster")
    yield project, make_url(dagster).set(drivername="postgresql+psycopg2").render_as_string(hide_password=False)
    for url in (project, dagster):
        drop_database(url)


class Deployment:
    """The processes of a small Celery deployment on this machine, and what a test asks of them."""

    def __init__(self, root: Path, project_url: str, dagster_url: str, vhost: str):
        self.root = root
        home = root / "dagster_home"
        home.mkdir()
        (home / "dagster.yaml").write_text(
            f"""\
storage:
  postgres:
    postgres_url: "{dagster_url}"
run_coordinator:
  module: dagster._core.run_coordinator
  class: QueuedRunCoordinator
concurrency:
  runs:
    max_concurrent_runs: {PENDING_RUNS}
  pools:
    granularity: op
    default_limit: {LLM_POOL_LIMIT}
telemetry:
  enabled: false
""",
            encoding="utf-8",
        )
        self.env = {
            **os.environ,
            "DAGSTER_HOME": str(home),
            "FEEDBACK_DATA_DIR": str(root / "data"),
            "FEEDBACK_DATABASE_URL": project_url,
            "FEEDBACK_EXECUTOR": "celery",
            "FEEDBACK_CELERY_BROKER": f"pyamqp://guest:guest@127.0.0.1:5672/{vhost}",
            "PYTHONUNBUFFERED": "1",
        }
        self.project_url = project_url
        self.processes: dict[str, subprocess.Popen] = {}

    def start(self, name: str, *argv: str) -> subprocess.Popen:
        log = open(self.root / f"{name}.log", "ab")
        process = subprocess.Popen(
            list(argv), env=self.env, cwd=self.root, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.processes[name] = process
        return process

    def start_worker(self, name: str) -> subprocess.Popen:
        return self.start(name, _console(), "worker", "--name", name, "--concurrency", "1")

    def command(self, *argv: str, timeout: float = 300) -> subprocess.CompletedProcess:
        return subprocess.run([_console(), *argv], env=self.env, cwd=self.root, capture_output=True, text=True,
                              timeout=timeout)

    def log(self, name: str) -> str:
        return (self.root / f"{name}.log").read_text(errors="replace")

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=30)


def _console() -> str:
    return str(Path(sys.executable).with_name("feedback-assets"))


@pytest.fixture(scope="module")
def deployment(tmp_path_factory, databases, vhost) -> Iterator[Deployment]:
    project_url, dagster_url = databases
    deployment = Deployment(tmp_path_factory.mktemp("celery"), project_url, dagster_url, vhost)
    try:
        yield deployment
    finally:
        deployment.stop()


# --- reading what happened ------------------------------------------------------------------------------

def _project_engine(deployment: Deployment):
    return storage_db.make_engine(deployment.project_url)


def _instance(deployment: Deployment):
    import dagster as dg

    previous = os.environ.get("DAGSTER_HOME")
    os.environ["DAGSTER_HOME"] = deployment.env["DAGSTER_HOME"]
    try:
        return dg.DagsterInstance.get()
    finally:
        if previous is None:
            os.environ.pop("DAGSTER_HOME", None)
        else:
            os.environ["DAGSTER_HOME"] = previous


def _content(deployment: Deployment, run_id: int) -> dict[str, tuple[int, str]]:
    """(rows, digest of what they say) per table for one run."""
    result = {}
    with _project_engine(deployment).connect() as connection:
        for table, expression in TABLES.items():
            count, digest = connection.execute(
                text(f"SELECT count(*), md5(coalesce(string_agg({expression}, ',' ORDER BY {expression}), '')) "
                     f"FROM {table} WHERE pipeline_run_id = :run"),
                {"run": run_id},
            ).one()
            result[table] = (count, digest)
    return result


def _dagster_runs(instance, run_id: int):
    import dagster as dg

    return instance.get_runs(filters=dg.RunsFilter(tags={"dagster/partition": str(run_id)}))


def _wait_for_dagster_runs(instance, run_ids: list[int], timeout: float) -> dict[int, object]:
    """The latest Dagster run of each partition once every one of them has finished."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        latest = {run_id: (_dagster_runs(instance, run_id) or [None])[0] for run_id in run_ids}
        if all(run is not None and run.is_finished for run in latest.values()):
            return latest
        time.sleep(2)
    raise AssertionError(f"Dagster runs not finished after {timeout} s: "
                         f"{ {k: (v.status if v else None) for k, v in latest.items()} }")


def _step_intervals(instance, dagster_run_id: str) -> dict[str, tuple[float, float]]:
    import dagster as dg

    starts, ends = {}, {}
    for record in instance.all_logs(dagster_run_id, of_type={dg.DagsterEventType.STEP_START}):
        starts[record.step_key] = record.timestamp
    for record in instance.all_logs(
        dagster_run_id, of_type={dg.DagsterEventType.STEP_SUCCESS, dg.DagsterEventType.STEP_FAILURE}
    ):
        ends[record.step_key] = record.timestamp
    return {key: (start, ends[key]) for key, start in starts.items() if key in ends}


def _celery_workers_of_steps(instance, dagster_run_id: str) -> dict[str, str]:
    """step key → the Celery worker that executed it (dagster-celery's engine event names it)."""
    import dagster as dg

    workers = {}
    for record in instance.all_logs(dagster_run_id, of_type={dg.DagsterEventType.ENGINE_EVENT}):
        metadata = record.dagster_event.engine_event_data.metadata if record.dagster_event else {}
        worker = metadata.get("Celery worker")
        if worker is not None and record.step_key:
            workers[record.step_key] = worker.value
    return workers


def _max_overlap(intervals: list[tuple[float, float]]) -> int:
    events = sorted([(start, 1) for start, _ in intervals] + [(end, -1) for _, end in intervals])
    current = peak = 0
    for _, change in events:
        current += change
        peak = max(peak, current)
    return peak


def _create_pending(deployment: Deployment, count: int) -> list[int]:
    from feedback_assets.storage import create_run

    engine = _project_engine(deployment)
    return [create_run(engine, source="sample", max_conversations=CONVERSATIONS).id for _ in range(count)]


def _runs_table(deployment: Deployment) -> str:
    listed = deployment.command("runs", "--limit", "50")
    assert listed.returncode == 0, listed.stderr
    assert "Traceback" not in listed.stdout + listed.stderr
    return listed.stdout


def _row(table: str, run_id: int) -> str:
    return next(line for line in table.splitlines() if line.startswith(f"| {run_id} |"))


def _wait_for_step_start(instance, run_id: int, step: str, timeout: float = 180) -> tuple[str, str]:
    """(Dagster run id, Celery worker) once ``step`` of the partition's latest run has started on a worker."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        runs = _dagster_runs(instance, run_id)
        if runs:
            worker = _celery_workers_of_steps(instance, runs[0].run_id).get(step)
            if worker:
                return runs[0].run_id, worker
        time.sleep(0.2)
    raise AssertionError(f"step {step} of run {run_id} never started on a worker")


def _pool_children(pid: int) -> list[int]:
    listed = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    children = [int(line) for line in listed.stdout.split()]
    # Dagster's compute-log tails are children of the pool process, not pool processes.
    return [child for child in children if "python" in Path(f"/proc/{child}/cmdline").read_bytes().decode(errors="replace")]


# --- the scenario ---------------------------------------------------------------------------------------

def test_pending_runs_spread_over_two_celery_workers_and_survive_a_killed_worker(deployment: Deployment):
    # The reference: the same input in one process (FEEDBACK_EXECUTOR unset for this command).
    reference_env = {k: v for k, v in deployment.env.items() if k != "FEEDBACK_EXECUTOR"}
    reference = subprocess.run(
        [_console(), "run", "--max-conversations", str(CONVERSATIONS)], env=reference_env, cwd=deployment.root,
        capture_output=True, text=True, timeout=300,
    )
    assert reference.returncode == 0, reference.stdout + reference.stderr
    expected = _content(deployment, 1)
    assert expected["stories"][0] > 0

    deployment.start_worker("w1")
    deployment.start_worker("w2")
    deployment.start("daemon", str(Path(sys.executable).with_name("dagster-daemon")), "run",
                     "-m", "feedback_assets.definitions")

    # 1. Three pending runs, launched by the pending_runs sensor, spread over both workers.
    pending = _create_pending(deployment, PENDING_RUNS)
    instance = _instance(deployment)
    finished = _wait_for_dagster_runs(instance, pending, timeout=420)
    import dagster as dg

    assert {run_id: run.status for run_id, run in finished.items()} == {
        run_id: dg.DagsterRunStatus.SUCCESS for run_id in pending
    }, deployment.log("daemon")[-3000:]
    table = _runs_table(deployment)  # settles the pipeline runs from their Dagster runs
    for run_id in pending:
        assert "| succeeded |" in _row(table, run_id) and "passed (10)" in _row(table, run_id), _row(table, run_id)
        assert _content(deployment, run_id) == expected, run_id

    workers, model_steps, all_steps = set(), [], []
    for run in finished.values():
        workers |= set(_celery_workers_of_steps(instance, run.run_id).values())
        for key, interval in _step_intervals(instance, run.run_id).items():
            all_steps.append(interval)
            if key in ("classifications", "themes"):
                model_steps.append(interval)
    assert len(workers) == 2 and all(name.split("@")[0] in ("w1", "w2") for name in workers), workers
    assert len(model_steps) == 2 * PENDING_RUNS
    assert _max_overlap(model_steps) <= LLM_POOL_LIMIT
    assert _max_overlap(all_steps) >= 2  # the two workers did work at the same time

    # 2. The worker process running a step is killed: the run fails with the cause; resume completes it.
    [killed_run] = _create_pending(deployment, 1)
    dagster_run_id, worker = _wait_for_step_start(instance, killed_run, "classifications")
    main_pid = deployment.processes[worker.split("@")[0]].pid
    [pool_pid] = _pool_children(main_pid)
    os.kill(pool_pid, signal.SIGKILL)
    finished = _wait_for_dagster_runs(instance, [killed_run], timeout=180)
    assert finished[killed_run].status == dg.DagsterRunStatus.FAILURE
    row = _row(_runs_table(deployment), killed_run)
    assert "| failed |" in row and "classifications: Worker exited prematurely" in row, row
    from feedback_assets.storage import get_run

    error = get_run(_project_engine(deployment), killed_run).error
    assert error.startswith("classifications: Worker exited prematurely: signal 9 (SIGKILL)"), error
    partial = _content(deployment, killed_run)
    assert partial["conversations"] == expected["conversations"]
    assert partial["classifications"][0] in (0, expected["classifications"][0])  # never half-written
    resumed = deployment.command("resume", str(killed_run))
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert "Traceback" not in resumed.stdout + resumed.stderr
    assert f"pipeline run {killed_run}: succeeded" in resumed.stdout
    assert _content(deployment, killed_run) == expected

    # 3. A whole worker is killed during a step: the broker hands the step to the other worker.
    [moved_run] = _create_pending(deployment, 1)
    dagster_run_id, worker = _wait_for_step_start(instance, moved_run, "classifications")
    victim = deployment.processes[worker.split("@")[0]]
    os.killpg(victim.pid, signal.SIGKILL)  # the main process and its pool, as when a machine is lost
    victim.wait(timeout=30)
    finished = _wait_for_dagster_runs(instance, [moved_run], timeout=300)
    assert finished[moved_run].status == dg.DagsterRunStatus.SUCCESS
    survivors = _celery_workers_of_steps(instance, dagster_run_id)
    assert survivors["classifications"] != worker  # the redelivered task ran on the other worker
    row = _row(_runs_table(deployment), moved_run)
    assert "| succeeded |" in row and "passed (10)" in row, row
    assert _content(deployment, moved_run) == expected
