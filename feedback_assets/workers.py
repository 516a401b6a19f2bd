"""Celery workers for the pipeline's steps (``FEEDBACK_EXECUTOR=celery``): the one Celery configuration the
executor submits with and the workers consume with, and ``feedback-assets worker``.

A worker imports nothing of ours up front: each task names the code location (``feedback_assets.definitions``)
and the Dagster instance, and the step reaches the project's database through the same settings as
everything else (FEEDBACK_DATABASE_URL).
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
from typing import Any

from feedback_assets import settings

QUEUE = "dagster"
"""The queue dagster-celery routes step tasks to."""

CELERY_SETTINGS: dict[str, Any] = {
    # One task at a time per worker process: a step is long (seconds to minutes), and a worker that reserved
    # a second one would hold it back from an idle worker.
    "worker_prefetch_multiplier": 1,
    # A step's task is acknowledged when it ends, so a worker that disappears (killed, machine lost) hands
    # its unfinished step back to the broker for another worker; a worker *process* killed under a living
    # worker fails the step (WorkerLostError) and the run says so. Steps are safe to repeat: a stage replaces
    # its partition's rows in one transaction.
    "task_acks_late": True,
    "task_reject_on_worker_lost": False,
    "broker_connection_retry_on_startup": True,
    "worker_hijack_root_logger": False,
}


def executor_config() -> dict[str, Any]:
    """The ``celery`` executor's config for the pipeline job (broker from FEEDBACK_CELERY_BROKER)."""
    return {"broker": settings.celery_broker_url(), "backend": "rpc://", "config_source": dict(CELERY_SETTINGS)}


def worker_app():
    """The Celery app a worker runs: dagster-celery's step task, with the executor's settings."""
    from dagster_celery.config import DEFAULT_CONFIG, dict_wrapper
    from dagster_celery.make_app import make_app
    from dagster_celery.tasks import create_task

    config = executor_config()
    app = make_app(
        {
            "broker": config["broker"],
            "backend": config["backend"],
            "include": [],
            "config_source": dict_wrapper(dict(DEFAULT_CONFIG, **config["config_source"])),
        }
    )
    create_task(app)
    return app


def broker_problem(url: str, timeout: float = 5.0) -> str | None:
    """Why the broker cannot be reached, or ``None`` when it can."""
    from kombu import Connection

    try:
        with Connection(url, connect_timeout=timeout) as connection:
            connection.ensure_connection(max_retries=1, timeout=timeout)
    except Exception as error:  # noqa: BLE001 - any failure to connect is reported in one line
        return f"{type(error).__name__}: {error}".splitlines()[0]
    return None


def build_parser() -> argparse.ArgumentParser:
    from feedback_assets.command_line import positive_int

    parser = argparse.ArgumentParser(
        prog="feedback-assets worker",
        description=(
            "Run a Celery worker for the pipeline's steps (FEEDBACK_EXECUTOR=celery). Start one or more per "
            "machine; each takes steps from any run, as many at once as --concurrency."
        ),
    )
    parser.add_argument("--concurrency", type=positive_int, default=1, help="steps this worker runs at once (default 1)")
    parser.add_argument(
        "--name", help="worker name, unique across workers (default feedback-<pid>); shown on each step in Dagster"
    )
    parser.add_argument("--loglevel", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    return parser


def main(argv: list[str]) -> int:
    from feedback_assets.command_line import parse_or_exit_code

    args = parse_or_exit_code(build_parser(), argv)
    if isinstance(args, int):
        return args
    url = settings.celery_broker_url()
    problem = broker_problem(url)
    if problem:
        print(
            f"feedback-assets worker: cannot reach the Celery broker {_safe(url)} ({problem}); start RabbitMQ "
            f"(`rabbitmq-server -detached`) or set {settings.CELERY_BROKER_ENV}",
            file=sys.stderr,
        )
        return 1
    name = args.name or f"feedback-{os.getpid()}"
    hostname = name if "@" in name else f"{name}@{socket.gethostname()}"
    print(
        f"feedback-assets worker {hostname}: {args.concurrency} step(s) at once from queue {QUEUE!r} on "
        f"{_safe(url)}; database {_safe(settings.database_url())}. Stop with Ctrl-C (a running step finishes first; "
        "twice to stop at once).",
        flush=True,
    )
    worker_app().worker_main(
        ["worker", "--queues", QUEUE, f"--concurrency={args.concurrency}", f"--hostname={hostname}",
         f"--loglevel={args.loglevel}", "--without-gossip", "--without-mingle"]
    )
    return 0


def _safe(url: str) -> str:
    """The URL without its password (``pyamqp://guest:***@host//``)."""
    scheme, _, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    if not at or ":" not in credentials:
        return url
    return f"{scheme}://{credentials.split(':', 1)[0]}:***@{host}"
