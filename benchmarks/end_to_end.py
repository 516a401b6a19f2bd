"""End-to-end benchmark: one partition of 10,000 conversations through the four assets and their ten
checks, offline engine, project tables on PostgreSQL, Dagster run in process.

Prints the total wall time, the time of each asset and check (measured inside our own code), and the
share that is Dagster overhead (total minus our code). Targets: total ≤ 60 s on a 2-core machine,
overhead ≤ 20 %.

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

from scratch_database import create_scratch_database, drop_scratch_database  # noqa: E402 (beside this file)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--postgres-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()

    from sample_generator import generate, write_jsonl

    work = Path(tempfile.mkdtemp(prefix="feedback-bench-"))
    started = time.perf_counter()
    conversations = generate(count=args.count, seed=7, start="2026-05-01", days=180)
    data = work / "conversations.jsonl"
    write_jsonl(data, conversations)
    print(f"generated {len(conversations):,} conversation records in {time.perf_counter() - started:.1f} s")

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
            started = time.perf_counter()
            result = job.execute_in_process(
                partition_key=run.partition_key,
                instance=instance,
                run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}},
            )
            total = time.perf_counter() - started
        assert result.success

        own: dict[str, float] = {}
        rows: dict[str, int] = {}
        for event in result.get_asset_materialization_events():
            metadata = event.step_materialization_data.materialization.metadata
            own[event.asset_key.to_user_string()] = metadata["compute_seconds"].value
            rows[event.asset_key.to_user_string()] = metadata["dagster/row_count"].value
        for evaluation in result.get_asset_check_evaluations():
            own[f"check {evaluation.check_name}"] = evaluation.metadata["compute_seconds"].value
        ours = sum(own.values())

        print(f"one partition of {args.count:,} conversations, offline engine, PostgreSQL")
        for name_, seconds in own.items():
            suffix = f"  ({rows[name_]:,} rows)" if name_ in rows else ""
            print(f"  {name_:<44} {seconds:7.2f} s{suffix}")
        print(f"  {'total wall time':<44} {total:7.2f} s   (target <= 60 s)")
        print(f"  {'our code (assets + checks)':<44} {ours:7.2f} s")
        print(f"  {'Dagster overhead':<44} {total - ours:7.2f} s = {(total - ours) / total:.1%} of total (target <= 20%)")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"  {'peak memory (RSS) of the process':<44} {peak:7.0f} MB  (input file {data.stat().st_size / 2**20:.0f} MB)")
        dispose_engines()
    finally:
        drop_scratch_database(args.postgres_url, database_url)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
