"""Scale benchmark: one partition of N conversations end to end (four assets, ten checks, offline engine,
PostgreSQL scratch database, Dagster in process), for N = 10k, 20k, 50k, 100k, 200k.

Each N runs in its own child process, so its CPU and peak memory are its own:

- process CPU: user + sys of the child from start to exit (``os.wait4``): imports, scratch database,
  Dagster instance and the run; the PostgreSQL server's work is not in it (see PG CPU);
- run CPU / run wall: user + sys and wall seconds of ``execute_in_process`` alone, measured in the child;
- PG CPU: user + sys of the PostgreSQL backends still connected to the scratch database when the run ends
  (read from /proc; a lower bound — a backend that closed earlier is not counted);
- peak RSS: ``ru_maxrss`` of the child; "RSS at run start": the child's resident set just before the run
  (imports, definitions, instance), so peak − start is what the run itself added;
- seconds per asset and per check: STEP_START → STEP_SUCCESS from Dagster's event log, and the share of
  the run wall time each check step takes.

Conversations: the generator of ``end_to_end.py`` (seed 7, 180 days), streamed line by line to a JSONL file
by the parent (``conversation_stream``), so generating 200k never holds them in memory. Its issues are
bounded by the product's pools (770 issue keys at 10k and at 200k) while texts are written per
conversation (97 % of the actionable openings distinct at 200k, 99.6 % at 10k): grouping gets neither
repeated texts nor ever more issues as N grows.

Ratios: each N against the smallest N of the same run; log-log slopes of CPU and peak RSS between 20k and
200k (or the smallest and largest N run). Targets: peak RSS ≤ 2 GB at 200k, CPU slope ≤ 1.15, every check
≤ 5 % of the run's wall time.

    python benchmarks/scale.py [--sizes 10000,20000,50000,100000,200000] [--postgres-url URL] [--timeout S]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "scripts"))

DEFAULT_SIZES = "10000,20000,50000,100000,200000"
DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
RSS_TARGET_MB = 2048
CPU_SLOPE_TARGET = 1.15
CHECK_SHARE_TARGET = 0.05


# --- child: one run ---------------------------------------------------------------------------------------

def _rss_now_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _cpu_self() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _backend_cpu(engine, database: str) -> float | None:
    """user + sys seconds of the server processes connected to ``database`` (None if /proc is not readable)."""
    try:
        with engine.connect() as connection:
            pids = [row[0] for row in connection.exec_driver_sql(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s", (database,))]
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0.0
        for pid in pids:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime (fields 14, 15 of stat)
        return total
    except Exception:  # noqa: BLE001 - another host, or /proc hidden: report n/a
        return None


def child(count: int, data: Path, postgres_url: str, result_path: Path) -> int:
    from dagster_timing import OwnCodeTimer, step_durations, step_labels  # beside this file
    from scratch_database import create_scratch_database, drop_scratch_database
    from sqlalchemy.engine import make_url

    database_url = create_scratch_database(postgres_url, "feedback_scale")
    os.environ["FEEDBACK_DATABASE_URL"] = database_url
    work = Path(tempfile.mkdtemp(prefix="feedback-scale-"))
    try:
        import dagster as dg

        from feedback_assets.defs.partitions import PIPELINE_RUNS
        from feedback_assets.defs.runs import PIPELINE_JOB_NAME
        from feedback_assets.definitions import build_definitions
        from feedback_assets.storage import create_run, make_engine, upgrade
        from feedback_assets.storage.db import dispose_engines

        engine = make_engine(database_url)
        upgrade(engine)
        run = create_run(engine, source="jsonl", source_params={"path": str(data)})
        defs = build_definitions()
        with dg.instance_for_test(temp_dir=str(work)) as instance:
            instance.add_dynamic_partitions(PIPELINE_RUNS, [run.partition_key])
            job = defs.resolve_job_def(PIPELINE_JOB_NAME)
            rss_start = _rss_now_mb()
            with OwnCodeTimer() as own:
                cpu, wall = _cpu_self(), time.perf_counter()
                result = job.execute_in_process(
                    partition_key=run.partition_key, instance=instance, run_config=QUIET, raise_on_error=False
                )
                run_wall, run_cpu = time.perf_counter() - wall, _cpu_self() - cpu
            pg_cpu = _backend_cpu(engine, make_url(database_url).database)
            times = step_durations(instance, result.run_id)
            materialized = {event.step_key: event for event in result.get_asset_materialization_events()}
            labels = step_labels(times.steps, set(materialized))
            rows = {
                event.asset_key.to_user_string(): event.step_materialization_data.materialization.metadata[
                    "dagster/row_count"].value
                for event in materialized.values()
            }
        dispose_engines()
        result_path.write_text(json.dumps({
            "count": count,
            "success": result.success,
            "run_wall": run_wall,
            "run_cpu": run_cpu,
            "pg_cpu": pg_cpu,
            "rss_start_mb": rss_start,
            "steps": {labels[key]: seconds for key, seconds in times.steps.items()},
            "outcomes": {labels[key]: outcome for key, outcome in times.outcomes.items()},
            "own": {labels.get(key, key): seconds for key, seconds in own.wall.items()},
            "rows": rows,
        }))
    finally:
        drop_scratch_database(postgres_url, database_url)
        shutil.rmtree(work, ignore_errors=True)
    return 0


# --- parent: generate, run each N in a child, report ------------------------------------------------------

def run_size(count: int, args, work: Path) -> dict:
    from conversation_stream import stream_jsonl  # beside this file

    data = work / f"conversations_{count}.jsonl"
    started = time.perf_counter()
    generated = stream_jsonl(data, count, seed=7, start="2026-05-01", days=180)
    generation = time.perf_counter() - started
    print(f"  N={count:,}: generated {generated.lines:,} records ({data.stat().st_size / 2**20:.0f} MB, "
          f"{len(generated.issue_keys)} issue keys, {len(generated.actionable_digests) / max(1, generated.actionable):.1%} "
          f"of actionable openings distinct) in {generation:.0f} s; running …", flush=True)
    result_path = work / f"result_{count}.json"
    command = [sys.executable, str(Path(__file__).resolve()), "--child", "--count", str(count), "--data", str(data),
               "--result", str(result_path), "--postgres-url", args.postgres_url]
    started = time.perf_counter()
    process = subprocess.Popen(command, start_new_session=True)
    timed_out = False
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if args.timeout and time.perf_counter() - started > args.timeout:
            os.killpg(process.pid, signal.SIGKILL)  # our own child's session only
            timed_out = True
            pid, status, usage = os.wait4(process.pid, 0)
            break
        time.sleep(0.2)
    process.returncode = os.waitstatus_to_exitcode(status)  # keep Popen from waiting again
    wall = time.perf_counter() - started
    data.unlink(missing_ok=True)
    record = {"count": count, "process_cpu": usage.ru_utime + usage.ru_stime, "process_wall": wall,
              "peak_rss_mb": usage.ru_maxrss / 1024, "exit": process.returncode, "timed_out": timed_out,
              "generation_s": generation, "records": generated.lines}
    if result_path.exists():
        record.update(json.loads(result_path.read_text()))
    ok = record.get("success") and process.returncode == 0
    print(f"  N={count:,}: {'done' if ok else 'FAILED' if not timed_out else 'TIMED OUT'} in {wall:.0f} s, "
          f"process CPU {record['process_cpu']:.0f} s, peak RSS {record['peak_rss_mb']:.0f} MB", flush=True)
    record["ok"] = bool(ok)
    return record


def slope(a: float, b: float, n_a: int, n_b: int) -> float:
    return math.log(b / a) / math.log(n_b / n_a)


def report(records: list[dict]) -> None:
    done = [r for r in records if r["ok"]]
    if not done:
        print("no size finished: nothing to report")
        return
    base = done[0]
    print()
    print(f"one partition of N conversations end to end (offline engine, PostgreSQL, Dagster in process); "
          f"ratios against N={base['count']:,}")
    header = (f"{'N':>8} {'proc CPU':>9} {'run CPU':>8} {'PG CPU':>7} {'proc wall':>9} {'run wall':>8} "
              f"{'peak RSS':>9} {'RSS@start':>9} {'CPU ms/conv':>11} {'N ×':>5} {'run CPU ×':>9} {'RSS ×':>6}")
    print(header)
    for r in records:
        if not r["ok"]:
            print(f"{r['count']:>8,} {'timed out' if r['timed_out'] else 'failed (exit ' + str(r['exit']) + ')'}"
                  f"  process CPU {r['process_cpu']:.0f} s, peak RSS {r['peak_rss_mb']:.0f} MB")
            continue
        pg = f"{r['pg_cpu']:>6.1f}s" if r.get("pg_cpu") is not None else f"{'n/a':>7}"
        print(f"{r['count']:>8,} {r['process_cpu']:>8.1f}s {r['run_cpu']:>7.1f}s {pg} {r['process_wall']:>8.1f}s "
              f"{r['run_wall']:>7.1f}s {r['peak_rss_mb']:>7.0f}MB {r['rss_start_mb']:>7.0f}MB "
              f"{1000 * r['run_cpu'] / r['count']:>11.2f} {r['count'] / base['count']:>5.1f} "
              f"{r['run_cpu'] / base['run_cpu']:>9.2f} {r['peak_rss_mb'] / base['peak_rss_mb']:>6.2f}")

    print()
    print("seconds per step (event log STEP_START → STEP_SUCCESS); checks also as % of the run's wall time")
    steps = list(done[-1]["steps"])
    print(f"{'step':<40}" + "".join(f"{r['count']:>16,}" for r in done))
    worst: list[tuple[float, str, int]] = []
    for step in steps:
        cells = []
        for r in done:
            seconds = r["steps"].get(step)
            if seconds is None:
                cells.append(f"{'-':>16}")
            elif step.startswith("check "):
                share = seconds / r["run_wall"]
                worst.append((share, step, r["count"]))
                mark = "!" if share > CHECK_SHARE_TARGET else " "
                cells.append(f"{seconds:>8.2f}s {share:>5.1%}{mark}")
            else:
                cells.append(f"{seconds:>15.2f}s")
        rows = done[-1]["rows"].get(step)
        print(f"{step:<40}" + "".join(cells) + (f"   ({rows:,} rows at N={done[-1]['count']:,})" if rows else ""))

    # slopes between 20k and 200k when both ran, else the smallest and the largest N that finished
    by_n = {r["count"]: r for r in done}
    low, high = (by_n[20_000], by_n[200_000]) if 20_000 in by_n and 200_000 in by_n else (done[0], done[-1])
    print()
    if low is high:
        print("one size only: no slope")
        return
    n_a, n_b = low["count"], high["count"]
    s_cpu = slope(low["process_cpu"], high["process_cpu"], n_a, n_b)
    s_run = slope(low["run_cpu"], high["run_cpu"], n_a, n_b)
    s_rss = slope(low["peak_rss_mb"], high["peak_rss_mb"], n_a, n_b)
    added_a, added_b = low["peak_rss_mb"] - low["rss_start_mb"], high["peak_rss_mb"] - high["rss_start_mb"]
    s_added = slope(added_a, added_b, n_a, n_b) if added_a > 0 and added_b > 0 else float("nan")
    print(f"log-log slopes between N={n_a:,} and N={n_b:,} (1.0 = linear)")
    print(f"  process CPU       {s_cpu:5.2f}   (target <= {CPU_SLOPE_TARGET}: {'met' if s_cpu <= CPU_SLOPE_TARGET else 'NOT met'})")
    print(f"  run CPU           {s_run:5.2f}   (target <= {CPU_SLOPE_TARGET}: {'met' if s_run <= CPU_SLOPE_TARGET else 'NOT met'}; "
          "excludes the fixed start-up cost that flattens the process slope)")
    print(f"  peak RSS          {s_rss:5.2f}")
    print(f"  peak − start RSS  {s_added:5.2f}   (memory the run itself added)")
    rss_200k = by_n.get(200_000, {}).get("peak_rss_mb")
    if rss_200k is not None:
        rss_line = f"peak RSS at 200k {rss_200k:.0f} MB (target <= {RSS_TARGET_MB} MB: {'met' if rss_200k <= RSS_TARGET_MB else 'NOT met'})"
    else:
        per_conversation = (high["peak_rss_mb"] - low["peak_rss_mb"]) / (n_b - n_a)
        projected = high["peak_rss_mb"] + per_conversation * (200_000 - n_b)
        rss_line = (f"200k not run; projected peak RSS at 200k ≈ {projected:.0f} MB (linear: {1024 * per_conversation:.1f} KB per "
                    f"extra conversation as measured between N={n_a:,} and N={n_b:,}; an underestimate if memory grows faster "
                    f"than linearly; target <= {RSS_TARGET_MB} MB) — a projection, not a measurement")
    print(f"  {rss_line}")
    share, step, n = max(worst)
    print(f"  largest check share: {step} at N={n:,}: {share:.1%} of the run (target <= {CHECK_SHARE_TARGET:.0%} for every "
          f"check: {'met' if share <= CHECK_SHARE_TARGET else 'NOT met'})")

    largest = done[-1]
    heavy = max((s for s in largest["steps"] if not s.startswith("check ")), key=largest["steps"].get)
    print()
    print(
        f"Summary: from N={n_a:,} to N={n_b:,} ({n_b / n_a:.0f}× the conversations) the child's CPU grew "
        f"{high['process_cpu'] / low['process_cpu']:.1f}× (slope {s_cpu:.2f}; the run alone {high['run_cpu'] / low['run_cpu']:.1f}×, "
        f"slope {s_run:.2f}, target ≤ {CPU_SLOPE_TARGET}: {'met' if max(s_cpu, s_run) <= CPU_SLOPE_TARGET else 'NOT met'}) and its "
        f"peak RSS {high['peak_rss_mb'] / low['peak_rss_mb']:.1f}× ({low['peak_rss_mb']:.0f} → {high['peak_rss_mb']:.0f} MB, of which "
        f"the run added {added_a:.0f} → {added_b:.0f} MB). {rss_line[0].upper() + rss_line[1:]}. At N={largest['count']:,} the run took "
        f"{largest['run_wall']:.0f} s wall, {largest['run_cpu']:.0f} s CPU in the process plus "
        f"{largest['pg_cpu'] if largest.get('pg_cpu') is not None else float('nan'):.0f} s in PostgreSQL backends; the heaviest "
        f"step is {heavy} ({largest['steps'][heavy]:.0f} s, {largest['steps'][heavy] / largest['run_wall']:.0%}); the largest check "
        f"share over all sizes is {share:.1%} ({step} at N={n:,}; target ≤ 5%: {'met' if share <= CHECK_SHARE_TARGET else 'NOT met'})."
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help=f"comma-separated N (default {DEFAULT_SIZES})")
    parser.add_argument("--postgres-url", default=DEFAULT_URL)
    parser.add_argument("--timeout", type=float, default=0, help="seconds per N before its child is killed (0: none)")
    parser.add_argument("--work-dir", type=Path, help="where the JSONL files go (default: a temporary folder)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.count, args.data, args.postgres_url, args.result)

    sizes = sorted(int(part.replace("_", "")) for part in args.sizes.split(","))
    work = Path(tempfile.mkdtemp(prefix="feedback-scale-", dir=args.work_dir))
    print(f"scale benchmark, N = {', '.join(f'{n:,}' for n in sizes)}; one child process per N")
    try:
        records = [run_size(count, args, work) for count in sizes]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report(records)
    return 0 if all(r["ok"] for r in records) else 1


if __name__ == "__main__":
    raise SystemExit(main())
