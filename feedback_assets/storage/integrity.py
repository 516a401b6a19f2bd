"""Integrity queries behind the asset checks (SQL in ``storage/sql/*.sql``), scoped to one pipeline run.

Each returns the offending rows as dicts, so a check can name them. The database constraints make most of
these impossible; the queries are the second line of defence (and what a test sees when the constraints
are bypassed).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

from sqlalchemy import Engine, bindparam, text

from feedback_assets.storage.schema import TABLES

SQL_DIR = Path(__file__).resolve().parent / "sql"


@lru_cache(maxsize=None)
def _sql(name: str) -> str:
    # Comment lines go: their ":run_id" would otherwise be taken for bind parameters.
    lines = (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8").splitlines()
    return "\n".join(line for line in lines if not line.lstrip().startswith("--"))


def _rows(engine: Engine, statement, **params: Any) -> list[dict[str, Any]]:
    with engine.connect() as connection:
        return [dict(row) for row in connection.execute(statement, params).mappings()]


def _actionable(statement_text: str, actionable_types: Sequence[str]):
    return text(statement_text).bindparams(bindparam("actionable_types", value=list(actionable_types), expanding=True))


def null_run_ids(engine: Engine, table: str) -> list[dict[str, Any]]:
    keys = ", ".join(column.name for column in TABLES[table].primary_key.columns if column.name != "pipeline_run_id")
    return _rows(engine, text(_sql("null_run_ids").format(table=table, key_columns=keys)))


def rows_without_own_conversation(engine: Engine, table: str, run_id: int) -> list[dict[str, Any]]:
    return _rows(engine, text(_sql("derived_without_own_conversation").format(table=table)), run_id=run_id)


def evidence_crossing_runs(engine: Engine, run_id: int) -> list[dict[str, Any]]:
    return _rows(engine, text(_sql("evidence_of_other_runs_story")), run_id=run_id)


def unclassified_conversations(engine: Engine, run_id: int) -> list[dict[str, Any]]:
    return _rows(engine, text(_sql("unclassified_conversations")), run_id=run_id)


def unthemed_actionable(engine: Engine, run_id: int, actionable_types: Sequence[str]) -> list[dict[str, Any]]:
    return _rows(engine, _actionable(_sql("unthemed_actionable"), actionable_types), run_id=run_id)


def themes_not_actionable(engine: Engine, run_id: int, actionable_types: Sequence[str]) -> list[dict[str, Any]]:
    return _rows(engine, _actionable(_sql("themes_not_actionable"), actionable_types), run_id=run_id)


def themes_not_in_one_group(engine: Engine, run_id: int) -> list[dict[str, Any]]:
    return _rows(engine, text(_sql("themes_not_in_one_group")), run_id=run_id)


def evidence_outside_themes(engine: Engine, run_id: int) -> list[dict[str, Any]]:
    return _rows(engine, text(_sql("evidence_outside_themes")), run_id=run_id)


def story_count_mismatches(engine: Engine, run_id: int) -> list[dict[str, Any]]:
    return _rows(engine, text(_sql("story_count_mismatch")), run_id=run_id)


def stage_counts(engine: Engine, run_id: int, actionable_types: Sequence[str]) -> dict[str, int]:
    return _rows(engine, _actionable(_sql("stage_counts"), actionable_types), run_id=run_id)[0]
