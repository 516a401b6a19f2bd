"""What a new pipeline run may ask for, checked before anything is created: one set of rules for
``feedback-assets run`` and the ``create_pipeline_run`` job of the UI launchpad (no Dagster import)."""

from __future__ import annotations

from datetime import datetime, time as dtime, timezone
from pathlib import Path
from typing import Any, Callable

from feedback_assets.command_line import MAX_INT32
from feedback_assets.engines import ENGINE_NAMES
from feedback_assets.sources import SourceFailure

SOURCES = ("sample", "jsonl", "intercom")


class InvalidRunRequest(ValueError):
    """A new run was asked for with settings that cannot work; the message names the setting and the fix."""


def parse_when(value: str) -> datetime:
    """An ISO date (midnight UTC) or datetime (naive = UTC); ``InvalidRunRequest`` otherwise."""
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InvalidRunRequest(
            f"{value!r} is not an ISO date or datetime (e.g. 2026-10-01 or 2026-10-01T12:00)"
        ) from None
    if len(value.strip()) == 10:
        parsed = datetime.combine(parsed.date(), dtime.min)
    return parsed.replace(tzinfo=timezone.utc) if parsed.tzinfo is None else parsed.astimezone(timezone.utc)


def _count(name: str, value: int | None) -> None:
    if value is not None and not 1 <= value <= MAX_INT32:
        raise InvalidRunRequest(f"{name} must be a whole number from 1 to {MAX_INT32:,}, got {value}")


def new_run_fields(
    *,
    source: str,
    input_path: str | Path | None,
    since: datetime | None,
    until: datetime | None,
    max_conversations: int | None,
    engine: str,
    batch_size: int,
    open_source: Callable[[str, dict[str, Any] | None], Any],
    spelled: Callable[[str], str] = lambda name: name,
) -> dict[str, Any]:
    """The ``create_run`` arguments of a valid request; ``InvalidRunRequest`` naming the first problem.

    ``open_source(name, params)`` builds the source, so a missing file or an unknown option is refused
    now rather than in the run; ``spelled(setting)`` is how the caller's user writes a setting (``--since``
    on the command line, ``since`` in the launchpad)."""
    if source not in SOURCES:
        raise InvalidRunRequest(f"{spelled('source')} {source!r} is not one of {', '.join(SOURCES)}")
    if engine not in ENGINE_NAMES:
        raise InvalidRunRequest(f"{spelled('engine')} {engine!r} is not one of {', '.join(ENGINE_NAMES)}")
    if source == "jsonl" and not input_path:
        raise InvalidRunRequest(f"{spelled('source')} jsonl needs {spelled('input_path')} (a .jsonl file or a folder of them)")
    _count(spelled("max_conversations"), max_conversations)
    _count(spelled("batch_size"), batch_size)
    if since and until and since >= until:
        raise InvalidRunRequest(
            f"{spelled('since')} {since.isoformat()} must be before {spelled('until')} {until.isoformat()}"
        )
    params = {"path": str(Path(input_path).expanduser().resolve())} if input_path else None
    try:
        open_source(source, params)
    except SourceFailure as error:
        raise InvalidRunRequest(str(error)) from None
    return dict(
        source=source,
        window_start=since,
        window_end=until,
        max_conversations=max_conversations,
        batch_size=batch_size,
        engine=engine,
        source_params=params,
    )
