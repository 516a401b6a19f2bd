"""Worker benchmark: 8 partitions of 10,000 conversations each (offline engine, PostgreSQL for the project's
tables and for Dagster's storage), run three ways in one invocation:

- **in-process baseline** — today's default: ``feedback-assets run`` for each partition, one after another,
  every step in the run's process (``FEEDBACK_EXECUTOR`` unset);
- **Celery, 1 worker** — ``FEEDBACK_EXECUTOR=celery``: the 8 runs are started at once (as the daemon's queue
  would with ``max_concurrent_runs`` ≥ 8), their steps go through RabbitMQ to one ``feedback-assets worker``;
- **Celery, 2 workers** — the same with two workers.

Each way starts from the same state: a fresh project database and Dagster instance, the same 8 input files
(generator seeds 1–8, distinct conversations). Printed: wall time from the first launch to the last run's
end, throughput (conversations per second and per hour), the speed-up of 2 workers over 1 (target ≥ 1.6× on
2 cores) and of each Celery way over the in-process baseline, and that every run succeeded with identical
counts across the three ways. Each worker runs one step at a time (``--concurrency 1``) — a worker per core.
The ``llm`` pool guards the account's rate budget for model-calling steps; offline steps call no model, so its
limit is set to the number of partitions (``--llm-pool-limit 2``, the production value, shows what it costs
offline runs: blocked steps wait for Dagster's claim retry while workers idle).

    python benchmarks/workers.py [--partitions 8] [--conversations 10000] [--postgres-url URL]
                                 [--broker pyamqp://guest:guest@127.0.0.1:5672//]

Needs RabbitMQ (``rabbitmq-server -detached``) and ``rabbitmqctl`` (a throwaway virtual host is used).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "benchmarks"))

from conversation_stream import stream_jsonl  # noqa: E402
from scratch_database import create_scratch_database, drop_scratch_database  # noqa: E402

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
SPEEDUP_TARGET = 1.6
COUNTED = ("conversations_count", "classified_count", "themes_count", "stories_count")


def machine_ticks() -> tuple[int, int]:
    """(busy, total) CPU ticks of the whole machine so far (/proc/stat)."""
    values = [int(value) for value in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return sum(values) - idle, sum(values)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def say(message: str) -> None:
    print(message, flush=True)


def console(name: str = "feedback-assets") -> str:
    return str(Path(sys.executable).with_name(name))


class Setup:
    """A fresh project database, Dagster instance and (for Celery) virtual host for one way of running."""

    def __init__(self, args, work: Path, label: str):
        self.args, self.label = args, label
        self.root = work / label
        self.root.mkdir()
        self.project_url = create_scratch_database(args.postgres_url, "feedback_workers_project")
        dagster_url = create_scratch_database(args.postgres_url, "feedback_workers_dagster")
        self.dagster_url = dagster_url.replace("postgresql+psycopg://", "postgresql+psycopg2://", 1)
        home = self.root / "dagster_home"
        home.mkdir()
        (home / "dagster.yaml").write_text(
            f'storage:\n  postgres:\n    postgres_url: "{self.dagster_url}"\n'
            f"concurrency:\n  pools:\n    granularity: op\n    default_limit: {args.llm_pool_limit}\n"
            "telemetry:\n  enabled: false\n",
            encoding="utf-8",
        )
        self.vhost = f"feedback_bench_{uuid.uuid4().hex[:8]}"
        self.env = {
            **os.environ,
            "DAGSTER_HOME": str(home),
            "FEEDBACK_DATA_DIR": str(self.root / "data"),
            "FEEDBACK_DATABASE_URL": self.project_url,
            "FEEDBACK_CELERY_BROKER": f"{args.broker.rstrip('/')}/{self.vhost}",
        }
        self.env.pop("FEEDBACK_EXECUTOR", None)
        self.workers: list[subprocess.Popen] = []
        # Dagster creates its own tables on first use; runs started together on an empty database would race
        # (in a deployment the daemon and webserver have long created them).
        subprocess.run([console("dagster"), "instance", "migrate"], env=self.env, check=True, capture_output=True)

    def start_workers(self, count: int) -> None:
        subprocess.run(["rabbitmqctl", "-q", "add_vhost", self.vhost], check=True, capture_output=True)
        subprocess.run(["rabbitmqctl", "-q", "set_permissions", "-p", self.vhost, "guest", ".*", ".*", ".*"],
                       check=True, capture_output=True)
        for number in range(1, count + 1):
            log = open(self.root / f"worker{number}.log", "wb")
            self.workers.append(subprocess.Popen(
                [console(), "worker", "--name", f"bench{number}", "--concurrency", "1", "--loglevel", "WARNING"],
                env=self.env, cwd=self.root, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            ))
        time.sleep(5)  # connected and consuming (the first task would wait for them anyway)
        for worker in self.workers:
            if worker.poll() is not None:
                raise SystemExit(f"a worker exited at start (see {self.root}/worker*.log)")

    def run_all(self, inputs: list[Path], *, executor: str | None) -> float:
        """Wall seconds to run every input as its own pipeline run (at once for Celery, in turn in process)."""
        env = dict(self.env, **({"FEEDBACK_EXECUTOR": executor} if executor else {}))
        argv = [[console(), "run", "--source", "jsonl", "--input", str(path)] for path in inputs]
        started = time.perf_counter()
        if executor is None:
            for number, command in enumerate(argv, 1):
                self._check(subprocess.run(command, env=env, cwd=self.root, capture_output=True, text=True), number)
        else:
            processes = [subprocess.Popen(command, env=env, cwd=self.root, stdout=subprocess.PIPE,
                                          stderr=subprocess.STDOUT, text=True) for command in argv]
            for number, process in enumerate(processes, 1):
                output, _ = process.communicate()
                self._check(subprocess.CompletedProcess(process.args, process.returncode, output, ""), number)
        return time.perf_counter() - started

    def _check(self, done: subprocess.CompletedProcess, number: int) -> None:
        if done.returncode != 0:
            raise SystemExit(f"{self.label}: run of input {number} failed (exit {done.returncode}):\n"
                             f"{(done.stdout + done.stderr)[-3000:]}")

    def counts(self) -> list[tuple]:
        from feedback_assets.storage import list_runs, make_engine

        runs = sorted(list_runs(make_engine(self.project_url), limit=1000), key=lambda run: run.source_params["path"])
        assert all(run.status == "succeeded" for run in runs), [(run.id, run.status) for run in runs]
        return [tuple(getattr(run, name) for name in COUNTED) for run in runs]

    def close(self) -> None:
        for worker in self.workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
        for worker in self.workers:
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
        if self.workers:
            subprocess.run(["rabbitmqctl", "-q", "delete_vhost", self.vhost], capture_output=True)
        from feedback_assets.storage import db

        db.dispose_engines()
        for url in (self.project_url, self.dagster_url.replace("+psycopg2", "+psycopg", 1)):
            drop_scratch_database(self.args.postgres_url, url)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partitions", type=int, default=8)
    parser.add_argument("--conversations", type=int, default=10_000, help="per partition")
    parser.add_argument("--postgres-url", default=DEFAULT_URL, help="admin URL; scratch databases are made beside it")
    parser.add_argument("--broker", default="pyamqp://guest:guest@127.0.0.1:5672/")
    parser.add_argument("--skip-baseline", action="store_true", help="only the two Celery ways")
    parser.add_argument("--llm-pool-limit", type=int,
                        help="limit of the llm pool (classifications, themes) in the instance; default: the number of "
                             "partitions (offline steps call no model; 2 as in deploy/dagster.yaml shows its cost)")
    args = parser.parse_args()
    args.llm_pool_limit = args.llm_pool_limit or args.partitions
    if shutil.which("rabbitmqctl") is None:
        print("benchmarks/workers.py: rabbitmqctl not found; install and start RabbitMQ", file=sys.stderr)
        return 2

    work = Path(tempfile.mkdtemp(prefix="feedback-workers-"))
    try:
        started = time.perf_counter()
        inputs = []
        for seed in range(1, args.partitions + 1):
            path = work / f"partition{seed}.jsonl"
            stream_jsonl(path, args.conversations, seed=seed, start="2026-05-01", days=180)
            inputs.append(path)
        total = args.partitions * args.conversations
        say(f"llm pool limit {args.llm_pool_limit}")
        say(f"generated {args.partitions} inputs × {args.conversations:,} conversations in "
            f"{time.perf_counter() - started:.0f} s; {os.cpu_count()} cores")

        ways = ([("in-process (one run at a time)", None, 0)] if not args.skip_baseline else []) + [
            ("celery, 1 worker", "celery", 1), ("celery, 2 workers", "celery", 2)]
        results, cpu = {}, {}
        for label, executor, workers in ways:
            setup = Setup(args, work, label.split(",")[0].split(" ")[0] + str(workers))
            try:
                if workers:
                    setup.start_workers(workers)
                say(f"{label}: running {args.partitions} partitions …")
                busy_before, total_before = machine_ticks()
                runs_before = children_cpu()
                seconds = setup.run_all(inputs, executor=executor)
                busy_after, total_after = machine_ticks()
                runs_cpu = children_cpu() - runs_before
                results[label] = (seconds, setup.counts())
            finally:
                setup.close()
            workers_cpu = children_cpu() - runs_before - runs_cpu  # reaped when they stopped
            busy_share = (busy_after - busy_before) / max(1, total_after - total_before)
            cpu[label] = (runs_cpu, workers_cpu, busy_share)
            say(f"{label}: {seconds:.1f} s, {total / seconds:,.0f} conversations/s; machine CPU busy "
                f"{busy_share:.0%}; CPU seconds: run processes {runs_cpu:.0f}, workers {workers_cpu:.0f}")

        say("")
        say("| way | wall (s) | conversations/s | conversations/hour | vs 1 worker | vs in-process | machine CPU busy | CPU s: run processes / workers |")
        say("|---|---|---|---|---|---|---|---|")
        one = results.get("celery, 1 worker", (None,))[0]
        base = results.get("in-process (one run at a time)", (None,))[0]
        for label, (seconds, _) in results.items():
            say(f"| {label} | {seconds:.1f} | {total / seconds:,.0f} | {total / seconds * 3600:,.0f} | "
                f"{one / seconds:.2f}× | {f'{base / seconds:.2f}×' if base else '-'} | {cpu[label][2]:.0%} | "
                f"{cpu[label][0]:.0f} / {cpu[label][1]:.0f} |")
        counts = {label: counted for label, (_, counted) in results.items()}
        same = len({tuple(value) for value in counts.values()}) == 1
        say("")
        say(f"every run succeeded; counts per partition {'identical across the ways' if same else 'DIFFER: ' + repr(counts)}")
        two = results["celery, 2 workers"][0]
        speedup = one / two
        say(f"speed-up from 1 to 2 workers: {speedup:.2f}× (target ≥ {SPEEDUP_TARGET}× on 2 cores) — "
            f"{'met' if speedup >= SPEEDUP_TARGET else 'NOT met'}")
        say(f"one worker process: {total / one * 3600:,.0f} conversations/hour (offline engine, this machine)")
        return 0 if same else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
