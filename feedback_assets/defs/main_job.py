"""``feedback-assets run``: create a pipeline run, register its partition in the persistent instance,
materialise the four assets with their checks in this process, settle the run's status, print a summary."""

from __future__ import annotations

import logging
import os
import sys
from datetime import datetime
from pathlib import Path

from feedback_assets import settings
from feedback_assets.command_line import without_exception_class
from feedback_assets.defs.instance import ensure_dagster_home
from feedback_assets.reporting import markdown_table

CONSOLE_INFO = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}


def one_line(message: str) -> str:
    """A Dagster error event in one line: what failed and why, without the stack trace
    ('Execution of step "conversations" failed. — partition 7 … is being written by Dagster run …')."""
    head = message.split("Stack Trace:")[0]
    lines = [without_exception_class(line) for line in head.splitlines()]
    return " — ".join(line for line in lines if line) or message.strip()


def _brief_console_logger():
    """Dagster's console logger, but an error event shows its first line only (the summary names the cause;
    the full trace stays in the Dagster event log, and ``--verbose`` prints it here too)."""
    import dagster as dg
    from dagster._utils.log import create_console_logger

    class FirstLine(logging.Filter):
        def filter(self, record: logging.LogRecord) -> bool:
            if record.levelno >= logging.ERROR:
                record.msg, record.args = one_line(record.getMessage()), None
            return True

    @dg.logger(config_schema={"log_level": dg.Field(str, default_value="INFO")})
    def console(init_context):
        logger = create_console_logger("dagster", init_context.logger_config["log_level"])
        if not os.environ.get("FEEDBACK_VERBOSE"):
            for handler in logger.handlers:
                handler.addFilter(FirstLine())
        return logger

    return console


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
    from feedback_assets.defs.partitions import PIPELINE_RUNS
    from feedback_assets.new_runs import InvalidRunRequest, new_run_fields
    from feedback_assets.sources import build_source
    from feedback_assets.storage import create_run

    options = {"input_path": "--input PATH"}
    try:
        fields = new_run_fields(
            source=source, input_path=input_path, since=since, until=until, max_conversations=max_conversations,
            engine=engine_name, batch_size=batch_size,
            open_source=lambda name, params: build_source(name, **(params or {})),
            spelled=lambda name: options.get(name, "--" + name.replace("_", "-")),
        )
    except InvalidRunRequest as error:
        print(f"feedback-assets run: {error}", file=sys.stderr)
        return 2

    instance, engine = open_project()
    run = create_run(engine, trigger="manual", **fields)
    instance.add_dynamic_partitions(PIPELINE_RUNS, [run.partition_key])
    _say(
        f"pipeline run {run.id}: source={source} engine={engine_name} window="
        f"{since.isoformat() if since else '-∞'}..{until.isoformat() if until else 'now'} "
        f"(database {engine.url.render_as_string(hide_password=True)}, DAGSTER_HOME={instance.root_directory})"
    )
    return _execute(instance, engine, run.id, stages=None)


def _execute(instance, engine, run_id: int, *, stages: list[str] | None) -> int:
    """Materialise ``stages`` (all four when ``None``) of one partition in this process with their checks,
    settle the run and print the summary; returns the exit status (0 only when everything succeeded)."""
    import dagster as dg

    from feedback_assets.defs.common import worker_tags
    from feedback_assets.defs.new_runs import run_tags
    from feedback_assets.defs.runs import PIPELINE_JOB_NAME, settle_run
    from feedback_assets.definitions import build_definitions
    from feedback_assets.storage import get_run
    from feedback_assets.storage.story_report import story_report

    key = str(run_id)
    # This process is the run's worker (or, with another executor, its orchestrator): a later command can
    # tell it died before its first step.
    tags = {**run_tags(get_run(engine, run_id)), **worker_tags()}
    selection = [dg.AssetKey(stage) for stage in stages] if stages else None
    if settings.executor_name() == "in_process":
        job = build_definitions().resolve_job_def(PIPELINE_JOB_NAME)  # resources from the environment as it is now
        job = job.with_logger_defs({"console": _brief_console_logger()})
        result = job.execute_in_process(
            partition_key=key, instance=instance, raise_on_error=False, tags=tags, run_config=CONSOLE_INFO,
            asset_selection=selection,
        )
    else:
        # FEEDBACK_EXECUTOR: the steps run in their own processes (or on Celery workers), which load the
        # code location by name; this process orchestrates them.
        from dagster._core.definitions.reconstruct import ReconstructableRepository

        job = ReconstructableRepository.for_module(
            "feedback_assets.definitions", "defs", working_directory=os.getcwd()
        ).get_reconstructable_job(PIPELINE_JOB_NAME)
        result = dg.execute_job(
            # Step logs are on the workers and in the event log; the summary below names any failure.
            job, instance, run_config={"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}, tags={**tags, "dagster/partition": key}, raise_on_error=False,
            asset_selection=selection,
        )
    dagster_run = instance.get_run_by_id(result.run_id)
    settled = settle_run(instance, engine, get_run(engine, run_id), dagster_run) or get_run(engine, run_id)
    if settled.dagster_run_id and settled.dagster_run_id != result.run_id:
        _say("")
        _say(
            f"pipeline run {run_id}: not written by this command — Dagster run {settled.dagster_run_id} holds it "
            f"({settled.status}). Wait for it, or stop it with `feedback-assets cancel {run_id}`"
        )
        return 1

    evaluations = result.get_asset_check_evaluations()
    checks_ok = all(evaluation.passed for evaluation in evaluations)
    _say("")
    _say(f"pipeline run {run_id}: {settled.status}  (Dagster run {result.run_id})")
    _say(
        f"  conversations {settled.conversations_count}  classified {settled.classified_count}  "
        f"failures {settled.failures_count}  themes {settled.themes_count}  stories {settled.stories_count}"
    )
    if settled.estimated_cost_usd:
        _say(f"  tokens in/out {settled.input_tokens}/{settled.output_tokens}  est. cost ${settled.estimated_cost_usd:.4f}")
    for line in _input_warnings(result):
        _say(f"  {line}")
    if settled.error:
        _say(f"  error: {settled.error}")
    if evaluations:
        _say("")
        _say(markdown_table(
            ["asset check", "result"],
            [(f"{e.asset_key.to_user_string()}:{e.check_name}", "passed" if e.passed else "FAILED") for e in evaluations],
        ))
    stories = list(story_report(engine, run_id, limit=10))
    if stories:
        _say("")
        _say(markdown_table(
            ["top stories", "priority", "conversations", "customers"],
            [(s["title"], s["priority"], s["conversation_count"], s["affected_customers"] or "-") for s in stories],
        ))
        _say(f"All stories with quotes: feedback-assets export --run {run_id} --format md")
    _say("")
    if settled.status == "succeeded":
        _say(f"Browse it: feedback-assets ui  (partition {key} of the feedback_pipeline job)")
    else:
        _say(f"Complete it: feedback-assets resume {run_id}  (re-materialises only what is missing or failed)")
    return 0 if result.success and checks_ok and settled.status == "succeeded" else 1


INPUT_WARNING_KEYS = {
    "bad_lines": "input lines skipped",
    "oversized_lines": "of them over the line-size limit",
    "invalid_utf8_lines": "lines with invalid UTF-8 replaced",
    "empty_inputs": "empty input files",
    "ids_cleaned": "conversation ids cleaned",
}
"""Conversations-step metadata a person should see in the summary: {key: label}."""


def _input_warnings(result) -> list[str]:
    """The ingest step's warnings (replaced bytes, skipped lines, empty inputs, cleaned ids), as counted
    in its materialisation metadata."""
    lines = []
    for event in result.get_asset_materialization_events():
        materialization = event.materialization
        if materialization.asset_key.path[-1] != "conversations":
            continue
        counts = {
            label: getattr(materialization.metadata.get(key), "value", None)
            for key, label in INPUT_WARNING_KEYS.items()
        }
        shown = ", ".join(f"{label} {value}" for label, value in counts.items() if isinstance(value, int) and value)
        if shown:
            lines.append(f"warnings: {shown} (details in the conversations step's log and metadata)")
    return lines


def settle_stale_runs(instance, engine) -> None:
    """What every command does first: settle runs whose Dagster run ended or whose writer died."""
    from feedback_assets.defs.runs import reconcile_runs

    for run in reconcile_runs(instance, engine):
        first_line = (run.error or "").splitlines()[0] if run.error else ""
        _say(f"settled pipeline run {run.id}: {run.status}" + (f" ({first_line})" if first_line else ""))


def open_project(database_url: str | None = None):
    """The project's Dagster instance and database (``database_url``, default: the environment's), upgraded,
    with stale runs settled: how every command that reads or changes runs starts."""
    ensure_dagster_home()
    import dagster as dg

    from feedback_assets.storage import make_engine, upgrade

    engine = make_engine(database_url)
    upgrade(engine)
    instance = dg.DagsterInstance.get()
    settle_stale_runs(instance, engine)
    return instance, engine


def _open(run_id: int):
    from feedback_assets.storage import get_run

    instance, engine = open_project()
    return instance, engine, get_run(engine, run_id)


def resume_pipeline_run(run_id: int) -> int:
    """``feedback-assets resume RUN_ID``: materialise what is missing or failed of the run's partition (from
    the first stage not completely written and checked), never what is complete, then settle it."""
    from feedback_assets.defs.checks import checks_by_stage
    from feedback_assets.defs.partitions import PIPELINE_RUNS
    from feedback_assets.storage import leases
    from feedback_assets.storage.runs import stages_to_resume

    instance, engine, run = _open(run_id)
    if run.status == "running" and leases.is_held(engine, run.id):
        print(
            f"feedback-assets resume: pipeline run {run.id} is running now (Dagster run {run.dagster_run_id}); "
            f"wait for it, or stop it with `feedback-assets cancel {run.id}`",
            file=sys.stderr,
        )
        return 1
    stages = stages_to_resume(run, checks_by_stage())
    if not stages:
        if run.status != "succeeded":
            # Interrupted after its last check was recorded: the work is all there; the status says so now.
            from feedback_assets.storage import update_run

            if run.status != "running":
                update_run(engine, run.id, status="running")
            run = update_run(engine, run.id, status="succeeded", error=None)
        _say(f"pipeline run {run.id}: nothing to resume — every stage is written and its checks passed ({run.status})")
        return 0
    instance.add_dynamic_partitions(PIPELINE_RUNS, [run.partition_key])  # a run imported or created elsewhere
    done = [stage for stage in ("conversations", "classifications", "themes", "stories") if stage not in stages]
    _say(
        f"pipeline run {run.id} ({run.status}): resuming {', '.join(stages)}"
        + (f"; kept {', '.join(done)} (written and checked)" if done else "")
    )
    return _execute(instance, engine, run.id, stages=stages)


CANCEL_WAIT_SECONDS = 30.0


def cancel_pipeline_run(run_id: int) -> int:
    """``feedback-assets cancel RUN_ID``: end a pending or running run cleanly. A live writer on this machine
    is asked to stop (SIGTERM) and waited for; its partition keeps whole stages only (each stage's write is
    one transaction). The Dagster run and the pipeline run end ``canceled``."""
    import os
    import signal
    import socket
    import time

    from feedback_assets.defs.common import WORKER_HOST_TAG, WORKER_PID_TAG
    from feedback_assets.storage import get_run, leases, update_run

    instance, engine, run = _open(run_id)
    reason = "canceled with feedback-assets cancel"
    if run.status in ("succeeded", "failed", "canceled"):
        _say(f"pipeline run {run.id} already ended ({run.status}); nothing to cancel")
        return 0
    dagster_run = instance.get_run_by_id(run.dagster_run_id) if run.dagster_run_id else None
    if run.status == "running" and leases.is_held(engine, run.id):
        if dagster_run is not None and not dagster_run.is_finished:
            instance.report_run_canceling(dagster_run, message=reason)  # engines poll this and stop early
        tags = dagster_run.tags if dagster_run is not None else {}
        pid = int(tags.get(WORKER_PID_TAG, 0) or 0)
        if pid and tags.get(WORKER_HOST_TAG) == socket.gethostname():
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + CANCEL_WAIT_SECONDS
        while leases.is_held(engine, run.id) and time.monotonic() < deadline:
            time.sleep(0.5)
        if leases.is_held(engine, run.id):
            print(
                f"feedback-assets cancel: asked Dagster run {run.dagster_run_id} to stop, but it still holds pipeline "
                f"run {run.id} after {CANCEL_WAIT_SECONDS:.0f} s (worker {tags.get(WORKER_HOST_TAG, '?')} pid "
                f"{pid or '?'}); stop it there, then run this again",
                file=sys.stderr,
            )
            return 1
    dagster_run = instance.get_run_by_id(run.dagster_run_id) if run.dagster_run_id else None
    if dagster_run is not None and not dagster_run.is_finished:
        instance.report_run_canceled(dagster_run, message=reason)
    current = get_run(engine, run.id)
    if current.status in ("pending", "running"):
        current = update_run(engine, run.id, status="canceled", error=reason)
    _say(f"pipeline run {run.id}: {current.status}; `feedback-assets resume {run.id}` completes it later")
    return 0


def print_runs(*, limit: int) -> int:
    from feedback_assets.defs.runs import checks_summary
    from feedback_assets.storage import list_runs

    _, engine = open_project()
    runs = list_runs(engine, limit=limit)
    if not runs:
        print("no pipeline runs yet: feedback-assets run")
        return 0
    print(markdown_table(
        ["id", "status", "trigger", "source", "engine", "created", "conversations", "classified", "themes", "stories",
         "checks", "error"],
        [
            (r.id, r.status, r.trigger, r.source, r.engine, r.created_at.strftime("%Y-%m-%d %H:%M"),
             r.conversations_count, r.classified_count, r.themes_count, r.stories_count, checks_summary(r),
             (r.error or "").splitlines()[0][:60] if r.error else "")
            for r in runs
        ],
    ))
    return 0

