"""Reads behind the ``story_trends`` asset (SQL in ``storage/sql/trend_*.sql``): succeeded runs and the story
groups of the runs being compared, streamed.

Nothing here writes. The reads only ever see ``stories`` rows as the runs' own partitions wrote them: a later
run never deletes or changes an earlier run's rows, so what an issue looked like in an earlier run stays
readable (``SELECT … FROM stories WHERE pipeline_run_id = <that run>``).

Pruned runs (``feedback-assets prune``, ``storage.pruning``) still count: the prune copies a run's facts into
``pruned_runs`` and each of its story groups into ``issue_count_history`` in the transaction that deletes the
run, and every read here takes ``pipeline_runs``/``stories`` and ``pruned_runs``/``issue_count_history``
alike (one ``UNION ALL``), so a report is the same before and after pruning.

Memory: runs are read latest first until the caller has enough (``iter_trend_runs`` is a generator over one
streamed query); story groups come one row per (run, signature) — ``stories`` is already the aggregate of a
run's evidence, so neither ``story_evidence`` nor ``themes`` is read — in chunks (a server-side cursor on
PostgreSQL).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Iterator, Sequence

from sqlalchemy import DateTime, Engine, Integer, String, Text, bindparam, text

from feedback_assets.domain.trends import StoryCount, TrendRun
from feedback_assets.storage.integrity import SQL_DIR
from feedback_assets.storage.issue_history import issue_count_history, pruned_runs  # noqa: F401 - read in SQL
from feedback_assets.storage.partitions import DEFAULT_READ_CHUNK, stream_rows

_Timestamp = DateTime(timezone=True)
_STORY_COLUMNS = dict(run_id=Integer, signature=String, title=Text, conversation_count=Integer, status=String)


@lru_cache(maxsize=None)
def _sql(name: str) -> str:
    # Comment lines go: a ":name" in them would be taken for a bind parameter.
    lines = (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8").splitlines()
    return "\n".join(line for line in lines if not line.lstrip().startswith("--"))


def iter_trend_runs(engine: Engine, *, chunk_size: int = 200) -> Iterator[TrendRun]:
    """Succeeded runs, pruned ones included, latest first (end of window, else creation; then id), as
    ``TrendRun``; stop reading when you have enough (``domain.trends.select_runs`` does)."""
    query = text(_sql("trend_runs")).columns(
        run_id=Integer, source=String, status=String, size=Integer,
        created_at=_Timestamp, window_start=_Timestamp, window_end=_Timestamp,
    )
    for chunk in stream_rows(engine, query, chunk_size):
        for row in chunk:
            yield TrendRun(**row)


def _story_query(name: str, run_ids: Sequence[int]):
    ids = sorted({int(run_id) for run_id in run_ids})
    return (
        text(_sql(name))
        .bindparams(bindparam("run_ids", value=ids, expanding=True))
        .columns(**_STORY_COLUMNS)
    )


def _story_counts(engine: Engine, query, chunk_size: int) -> Iterator[StoryCount]:
    for chunk in stream_rows(engine, query, chunk_size):
        for row in chunk:
            yield StoryCount(**row)


def iter_tracking_groups(
    engine: Engine, run_ids: Iterable[int], *, chunk_size: int = DEFAULT_READ_CHUNK
) -> Iterator[StoryCount]:
    """The candidate stories and the review-split parts of ``run_ids`` (the latest and the previous compared
    run): what decides which issues a trend report tracks (``domain.trends.tracked_signatures``)."""
    ids = list(run_ids)
    if not ids:
        return iter(())
    return _story_counts(engine, _story_query("trend_tracking_groups", ids), chunk_size)


def iter_story_counts(
    engine: Engine, run_ids: Iterable[int], *, chunk_size: int = DEFAULT_READ_CHUNK
) -> Iterator[StoryCount]:
    """Every story group (candidate or orphan) of ``run_ids`` with its conversation count, by run then
    signature (a pruned run's from ``issue_count_history``)."""
    ids = list(run_ids)
    if not ids:
        return iter(())
    return _story_counts(engine, _story_query("trend_story_counts", ids), chunk_size)
