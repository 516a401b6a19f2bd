"""End-to-end benchmark: one partition of 10,000 conversations through the four assets and their ten
checks, offline engine, project tables on PostgreSQL (a scratch database), Dagster run in process.

What each figure measures (see ``dagster_timing``):

- run wall time: ``execute_in_process`` from call to return (target ≤ 60 s on a 2-core machine);
- step wall, per asset and check: STEP_START → STEP_SUCCESS from Dagster's event log;
- own code, per asset and check: the asset/check function from its first line to its return (partition
  validation, ``start_run_step``, engine, storage, failure-share check, metadata building), timed by
  wrapping Dagster's call of the function from this script — no asset module is edited;
- Dagster overhead = run wall − Σ own code (target ≤ 20 % of the run), split into Dagster inside steps
  (Σ step wall − Σ own code) and outside steps (run wall − Σ step wall);
- baseline, same run: an in-process run of the same shape (4 assets in a chain, 10 checks) whose functions
  do nothing, on the same Dagster instance — Dagster's cost per step on this machine;
- ``compute_seconds`` metadata (``StepTimer`` blocks) is listed for comparison only: it leaves out
  ``start_run_step``, the failure checks and metadata building, so "run − Σ compute_seconds" overstates
  the overhead.

Conversations come from ``conversation_stream`` (the sample generator, streamed to the JSONL file).

    python benchmarks/end_to_end.py [--count 10000] [--postgres-url URL]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "scripts"))

from conversation_stream import stream_jsonl  # noqa: E402 (beside this file)
from dagster_timing import OwnCodeTimer, is_check_step, noop_floor, step_durations, step_labels  # noqa: E402
from scratch_database import create_scratch_database, drop_scratch_database  # noqa: E402

QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--postgres-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="feedback-bench-"))
    started = time.perf_counter()
    data = work / "conversations.jsonl"
    generated = stream_jsonl(data, args.count, seed=7, start="2026-05-01", days=180)
    print(f"generated {generated.conversations:,} distinct conversations ({generated.lines:,} records with "
          f"re-fetched copies, {len(generated.issue_keys)} issue keys) in {time.perf_counter() - started:.1f} s")

    database_url = create_scratch_database(args.postgres_url, "feedback_e2e")
    os.environ["FEEDBACK_DATABASE_URL"] = database_url
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
        (work / "dagster_home").mkdir()
        with dg.instance_for_test(temp_dir=str(work / "dagster_home")) as instance:
            instance.add_dynamic_partitions(PIPELINE_RUNS, [run.partition_key])
            job = defs.resolve_job_def(PIPELINE_JOB_NAME)
            with OwnCodeTimer() as own:
                started = time.perf_counter()
                result = job.execute_in_process(partition_key=run.partition_key, instance=instance, run_config=QUIET)
                total = time.perf_counter() - started
            assert result.success
            times = step_durations(instance, result.run_id)
            labels = step_labels(times.steps, {event.step_key for event in result.get_asset_materialization_events()})
            floor, floor_steps = noop_floor(instance, asset_count=4, check_count=10)

        compute_seconds: dict[str, float] = {}
        rows: dict[str, int] = {}
        for event in result.get_asset_materialization_events():
            metadata = event.step_materialization_data.materialization.metadata
            compute_seconds[event.asset_key.to_user_string()] = metadata["compute_seconds"].value
            rows[event.asset_key.to_user_string()] = metadata["dagster/row_count"].value
        for evaluation in result.get_asset_check_evaluations():
            compute_seconds[f"check {evaluation.check_name}"] = evaluation.metadata["compute_seconds"].value

        step_total = sum(times.steps.values())
        own_total = sum(own.wall.values()) if own.available else float("nan")
        overhead = total - own_total
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

        print(f"one partition of {args.count:,} conversations, offline engine, PostgreSQL, Dagster in process "
              f"({len(times.steps)} steps)")
        print(f"  {'step':<40} {'step wall':>9} {'own code':>9} {'Dagster':>8} {'share':>6} {'compute_':>9}")
        print(f"  {'':<40} {'(events)':>9} {'(fn)':>9} {'in step':>8} {'of run':>6} {'seconds':>9}")
        for key, seconds in times.steps.items():
            label = labels[key]
            mine = own.wall.get(key, float("nan"))
            suffix = f"  {rows[label]:,} rows" if label in rows else ""
            print(f"  {label:<40} {seconds:>8.2f}s {mine:>8.2f}s {seconds - mine:>7.2f}s {seconds / total:>6.1%} "
                  f"{compute_seconds.get(label, float('nan')):>8.2f}s{suffix}")
        print(f"  {'run wall time (execute_in_process)':<52} {total:8.2f} s   (target <= 60 s)")
        print(f"  {'Σ own code (asset + check functions)':<52} {own_total:8.2f} s = {own_total / total:.1%} of run")
        print(f"  {'Dagster inside steps (Σ step wall − Σ own code)':<52} {step_total - own_total:8.2f} s = "
              f"{(step_total - own_total) / total:.1%} of run")
        print(f"  {'Dagster outside steps (run wall − Σ step wall)':<52} {total - step_total:8.2f} s = "
              f"{(total - step_total) / total:.1%} of run")
        print(f"  {'Dagster overhead (run wall − Σ own code)':<52} {overhead:8.2f} s = {overhead / total:.1%} of run "
              f"(target <= 20%)")
        print(f"  {'baseline: same-shape run of empty functions':<52} {floor:8.2f} s   ({floor_steps} steps, "
              f"{floor / floor_steps:.3f} s/step); overhead / baseline = {overhead / floor:.2f}")
        old = total - sum(compute_seconds.values())
        print(f"  {'old figure: run − Σ compute_seconds (StepTimer)':<52} {old:8.2f} s = {old / total:.1%} of run "
              f"(counts {old - overhead:.2f} s of our own code as overhead)")
        print(f"  {'peak RSS of this process':<52} {peak:8.0f} MB  (input file {data.stat().st_size / 2**20:.0f} MB)")
        checks = {labels[key]: seconds for key, seconds in times.steps.items() if is_check_step(labels[key])}
        slowest = max(checks, key=checks.get)
        print()
        print(
            f"Summary: {args.count:,} conversations took {total:.1f} s in process ({'within' if total <= 60 else 'over'} "
            f"the 60 s target). Our asset and check functions account for {own_total:.1f} s ({own_total / total:.0%}); "
            f"Dagster overhead is {overhead:.1f} s ({overhead / total:.0%}, target ≤ 20%: "
            f"{'met' if overhead / total <= 0.2 else 'NOT met'}), of which {total - step_total:.1f} s falls outside "
            f"steps and {step_total - own_total:.1f} s inside them; an empty run of the same 14-step shape costs "
            f"{floor:.1f} s here, so the overhead is {overhead / floor:.1f}× Dagster's own floor. The ten checks take "
            f"{sum(checks.values()):.1f} s of step time together (slowest: {slowest}, {checks[slowest]:.2f} s, "
            f"{checks[slowest] / total:.1%} of the run). The StepTimer-based figure would have reported "
            f"{old / total:.0%} overhead."
        )
        dispose_engines()
    finally:
        drop_scratch_database(args.postgres_url, database_url)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
