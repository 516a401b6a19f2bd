"""``export_run``: one pipeline run's stories, ranked, in Markdown, JSON or CSV, written to a text stream."""

from __future__ import annotations

from typing import TextIO

from sqlalchemy import Engine

from feedback_assets.export.document import generated_now, run_header, story_item
from feedback_assets.export.formats import FORMATS, WRITERS
from feedback_assets.storage.runs import get_run, parse_run_id
from feedback_assets.storage.story_report import story_report


def export_run(
    engine: Engine,
    run_id: int | str,
    fmt: str,
    out: TextIO,
    *,
    include_orphans: bool = False,
    generated_at: str | None = None,
) -> int:
    """Write run ``run_id``'s stories (candidates; orphan groups too with ``include_orphans``) to ``out`` in
    ``fmt`` (``md``, ``json`` or ``csv``); returns how many stories were written.

    Raises ``UnknownRun`` (or ``InvalidPartitionKey``) before writing anything. A run that did not succeed
    is exported all the same: its status (and error) is in the header of every format. Streams: memory
    holds one story at a time whatever the run's size.
    """
    if fmt not in WRITERS:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    run = get_run(engine, parse_run_id(run_id))
    items = (
        story_item(story, rank)
        for rank, story in enumerate(story_report(engine, run.id, include_orphans=include_orphans), start=1)
    )
    return WRITERS[fmt](
        out, run_header(run), items, generated_at=generated_at or generated_now(), include_orphans=include_orphans
    )
