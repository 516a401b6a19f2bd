"""Where things live when nobody configured anything, and how environment settings are read.

No Dagster import: the CLI, the storage layer and the Dagster resources all read their defaults here.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent

DATABASE_URL_ENV = "FEEDBACK_DATABASE_URL"
DATA_DIR_ENV = "FEEDBACK_DATA_DIR"
ENGINE_ENV = "FEEDBACK_ENGINE"

DEFAULT_BATCH_SIZE = 500
"""Rows per INSERT/COPY chunk inside one partition write; results never depend on it (invariant 6)."""

SAMPLE_CONVERSATIONS = PACKAGE_DIR / "data" / "sample_conversations.jsonl"

JSONL_MAX_LINE_BYTES_ENV = "FEEDBACK_JSONL_MAX_LINE_BYTES"
DEFAULT_JSONL_MAX_LINE_BYTES = 16 * 1024 * 1024
"""The longest JSONL input line read (bytes, newline not counted); a longer one is skipped as a bad line.
A real Intercom conversation with many parts is a few hundred KiB at most."""


def data_dir() -> Path:
    """The project-local data folder (``.feedback_data/`` in the checkout unless FEEDBACK_DATA_DIR is set)."""
    configured = os.environ.get(DATA_DIR_ENV)
    path = Path(configured).expanduser() if configured else PROJECT_DIR / ".feedback_data"
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url() -> str:
    """FEEDBACK_DATABASE_URL, else an embedded SQLite file in the data folder."""
    configured = os.environ.get(DATABASE_URL_ENV, "").strip()
    if configured:
        return configured
    return f"sqlite:///{data_dir() / 'feedback.db'}"


def dagster_home() -> Path:
    """DAGSTER_HOME if set, else a persistent project-local one shared by the CLI and the UI."""
    configured = os.environ.get("DAGSTER_HOME")
    path = Path(configured).expanduser() if configured else data_dir() / "dagster_home"
    path.mkdir(parents=True, exist_ok=True)
    return path


def engine_name() -> str:
    return os.environ.get(ENGINE_ENV, "").strip() or "offline"


def jsonl_max_line_bytes() -> int:
    """FEEDBACK_JSONL_MAX_LINE_BYTES (a positive whole number of bytes), else 16 MiB. ``ValueError`` for
    anything else."""
    configured = os.environ.get(JSONL_MAX_LINE_BYTES_ENV, "").strip()
    if not configured:
        return DEFAULT_JSONL_MAX_LINE_BYTES
    try:
        value = int(configured)
    except ValueError:
        value = 0
    if value < 1:
        raise ValueError(f"{JSONL_MAX_LINE_BYTES_ENV} must be a positive whole number of bytes, got {configured!r}")
    return value


EXECUTOR_ENV = "FEEDBACK_EXECUTOR"
EXECUTORS = ("in_process", "multiprocess", "celery")
"""How the pipeline job runs its steps: all in the run's process (default), a process per step on the run's
machine, or as Celery tasks on worker processes anywhere (``feedback-assets worker``)."""

CELERY_BROKER_ENV = "FEEDBACK_CELERY_BROKER"
DEFAULT_CELERY_BROKER = "pyamqp://guest@127.0.0.1//"


def executor_name() -> str:
    """FEEDBACK_EXECUTOR (in_process when unset); ``ValueError`` naming the choices for anything else."""
    configured = os.environ.get(EXECUTOR_ENV, "").strip().lower().replace("-", "_") or "in_process"
    if configured not in EXECUTORS:
        raise ValueError(f"{EXECUTOR_ENV} must be one of {', '.join(EXECUTORS)}, got {os.environ[EXECUTOR_ENV]!r}")
    return configured


def celery_broker_url() -> str:
    """FEEDBACK_CELERY_BROKER, else RabbitMQ on this machine as guest."""
    return os.environ.get(CELERY_BROKER_ENV, "").strip() or DEFAULT_CELERY_BROKER
