"""``feedback-assets run``: create a pipeline run, register its partition in the persistent instance,
materialise the four assets with their checks in this process, settle the run's status, print a summary."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from feedback_assets.defs.instance import ensure_dagster_home
from feedback_assets.reporting import markdown_table

CONSOLE_INFO = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}


def _say(message: str) -> None:
    print(message, flush=True)


def run_pipeline(
    *,
    source: str,
    input_path: Path | None,
    since: datetime | None,
    until: datetime | None,
    max_conversations: int | None,
    engine_name: str,
    batch_size: int,
) -> int:
    """Returns the exit status: 0 only when every asset and check succeeded."""
    ensure_dagster_home()
    import dagster as dg

    from feedback_assets.defs.partitions import PIPELINE_RUNS
    from feedback_assets.defs.runs import PIPELINE_JOB_NAME, RUN_TAG, settle_run
    from feedback_assets.definitions import build_definitions
    from feedback_assets.sources import SourceFailure, build_source
    from feedback_assets.storage import create_run, get_run, make_engine, read_partition, upgrade

    params = {"path": str(input_path.resolve())} if input_path else None
    if source == "jsonl" and not input_path:
        print("feedback-assets run: --source jsonl needs --input PATH (a .jsonl file or a folder)", file=sys.stderr)
        return 2
    try:
        build_source(source, **(params or {}))  # fail fast on a missing path or unknown option
    except SourceFailure as error:
        print(f"feedback-assets run: {error}", file=sys.stderr)
        return 2

    if since and until and since >= until:
        print(f"feedback-assets run: --since {since.isoformat()} must be before --until {until.isoformat()}", file=sys.stderr)
        return 2

    engine = make_engine()
    upgrade(engine)
    run = create_run(
        engine,
        source=source,
        trigger="manual",
        window_start=since,
        window_end=until,
        max_conversations=max_conversations,
        batch_size=batch_size,
        engine=engine_name,
        source_params=params,
    )
    key = run.partition_key
    instance = dg.DagsterInstance.get()
    instance.add_dynamic_partitions(PIPELINE_RUNS, [key])
    _say(
        f"pipeline run {run.id}: source={source} engine={engine_name} window="
        f"{since.isoformat() if since else '-∞'}..{until.isoformat() if until else 'now'} "
        f"(database {engine.url.render_as_string(hide_password=True)}, DAGSTER_HOME={instance.root_directory})"
    )
    job = build_definitions().resolve_job_def(PIPELINE_JOB_NAME)  # resources from the environment as it is now
    result = job.execute_in_process(
        partition_key=key, instance=instance, raise_on_error=False, tags={RUN_TAG: key}, run_config=CONSOLE_INFO
    )
    dagster_run = instance.get_run_by_id(result.run_id)
    settled = settle_run(instance, engine, get_run(engine, run.id), dagster_run) or get_run(engine, run.id)

    evaluations = result.get_asset_check_evaluations()
    checks_ok = all(evaluation.passed for evaluation in evaluations)
    _say("")
    _say(f"pipeline run {run.id}: {settled.status}  (Dagster run {result.run_id})")
    _say(
        f"  conversations {settled.conversations_count}  classified {settled.classified_count}  "
        f"failures {settled.failures_count}  themes {settled.themes_count}  stories {settled.stories_count}"
    )
    if settled.estimated_cost_usd:
        _say(f"  tokens in/out {settled.input_tokens}/{settled.output_tokens}  est. cost ${settled.estimated_cost_usd:.4f}")
    if settled.error:
        _say(f"  error: {settled.error}")
    _say("")
    _say(markdown_table(
        ["asset check", "result"],
        [(f"{e.asset_key.to_user_string()}:{e.check_name}", "passed" if e.passed else "FAILED") for e in evaluations],
    ))
    stories = [s for s in read_partition(engine, "stories", run.id) if s["status"] == "candidate"]
    stories.sort(key=lambda s: (-(s.get("priority_score") or 0), -s["conversation_count"], s["title"]))
    if stories:
        _say("")
        _say(markdown_table(
            ["top stories", "conversations", "priority"],
            [(s["title"], s["conversation_count"], s["priority"]) for s in stories[:10]],
        ))
    _say("")
    _say(f"Browse it: feedback-assets ui  (partition {key} of the feedback_pipeline job)")
    return 0 if result.success and checks_ok and settled.status == "succeeded" else 1


def print_runs(*, limit: int) -> int:
    from feedback_assets.storage import list_runs, make_engine, upgrade

    engine = make_engine()
    upgrade(engine)
    runs = list_runs(engine, limit=limit)
    if not runs:
        print("no pipeline runs yet: feedback-assets run")
        return 0
    print(markdown_table(
        ["id", "status", "trigger", "source", "engine", "created", "conversations", "classified", "themes", "stories", "error"],
        [
            (r.id, r.status, r.trigger, r.source, r.engine, r.created_at.strftime("%Y-%m-%d %H:%M"),
             r.conversations_count, r.classified_count, r.themes_count, r.stories_count, (r.error or "")[:60])
            for r in runs
        ],
    ))
    return 0
