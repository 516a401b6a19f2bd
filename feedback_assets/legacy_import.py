"""Import of the old single-column system's data into run-scoped tables (the reference review's R1, done right).

The old system kept one mutable, nullable ``pipeline_run_id`` per conversation; rows classified before its
migration carry NULL and were silently left out of theme extraction. Here every exported row lands in
exactly one of our ``pipeline_runs`` and nothing is NULL. Rules, applied per conversation row (its
classification follows it, the composite foreign key requires that):

``kept_run``
    The row names a run present in the runs export: it stays in that run. Our ``pipeline_runs`` row gets
    the *same id* (trigger ``import``, source ``legacy``).
``adopted_by_window``
    NULL run id: adopted by the run whose ``[started_at, completed_at]`` contains the row's
    ``classified_at`` (both ends inclusive; a NULL ``completed_at`` means still running = open to +∞).
    Overlapping windows: the run that started *latest* wins (ties: the higher id) — the run most recently
    active when the row was classified, as in the review's backfill proposal.
``no_matching_window`` / ``no_classified_at``
    NULL run id and no window contains ``classified_at`` (or there is none): the dedicated import run.
``unknown_run``
    The row names a run id missing from the runs export: the dedicated import run too, so no row is lost;
    the missing ids and their row counts are printed and stored in that run's ``source_params``
    (``unknown_legacy_run_ids``). Refusing the import instead would leave the data unimportable whenever
    the old run row had been deleted.

The dedicated run (trigger ``import``, source ``legacy_unassigned``) is created the first time a row needs
it and found again by those two values on every later import, never duplicated.

Guarantees: every file is parsed and validated before anything is written (bad enum values, timestamps,
lengths… → one error per row naming file:line and column, exit status 1, nothing written); rows in = rows
out, checked against the database after writing; counts per rule are printed and stored in each run's
``source_params["legacy_import"]``; re-importing the same files gives the same rows (each run's
conversations and classifications are replaced in one transaction). An import is a snapshot of the old
system: the runs it names and the dedicated run are replaced; other runs are left alone.

File formats (CSV with a header row, or JSONL): see ``docs/legacy_import.md``.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Sequence

from sqlalchemy import Engine, select, update

from feedback_assets import settings
from feedback_assets.command_line import positive_int
from feedback_assets.legacy.assignment import DEDICATED, RULES, assign_runs
from feedback_assets.legacy.export_files import LegacyImportError, read_export
from feedback_assets.legacy.records import (
    LEGACY_ENGINE,
    LEGACY_SOURCE,
    STILL_RUNNING,
    LegacyRun,
    has_classification,
    match_classifications,
    parse_classification,
    parse_conversation,
    parse_runs,
)
from feedback_assets.storage import count_partition, create_run, make_engine, replace_partitions, upgrade
from feedback_assets.storage.schema import pipeline_runs

DEDICATED_SOURCE = "legacy_unassigned"
IMPORT_TRIGGER = "import"

__all__ = ["ImportReport", "LegacyImportError", "RULES", "import_legacy", "main"]


# --- report --------------------------------------------------------------------------------------------


@dataclass
class RunPlan:
    """What one of our runs receives from the import."""

    run_id: int | None  # None until the dedicated run exists
    dedicated: bool
    status: str
    conversations: list[dict[str, Any]] = field(default_factory=list)
    classifications: list[dict[str, Any]] = field(default_factory=list)
    rules: Counter = field(default_factory=Counter)
    legacy_run: dict[str, Any] | None = None
    started_at: datetime | None = None
    completed_at: datetime | None = None
    window_start: datetime | None = None
    window_end: datetime | None = None
    max_conversations: int | None = None
    error: str | None = None


@dataclass
class ImportReport:
    """Counts of one import (or the errors that stopped it before anything was written)."""

    runs_in: int = 0
    conversations_in: int = 0
    classifications_in: int = 0
    conversations_out: int = 0
    classifications_out: int = 0
    rule_counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(RULES, 0))
    runs: dict[int, dict[str, Any]] = field(default_factory=dict)
    dedicated_run_id: int | None = None
    unknown_run_ids: dict[int, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        lines = [
            f"Legacy import: read {self.runs_in} runs, {self.conversations_in} conversations, "
            f"{self.classifications_in} classifications"
        ]
        if self.errors:
            lines.append(f"{len(self.errors)} error(s); nothing was written:")
            lines.extend(f"  {error}" for error in self.errors)
            return "\n".join(lines)
        lines.append("  conversations by rule: " + ", ".join(f"{rule} {self.rule_counts[rule]}" for rule in RULES))
        for run_id, info in sorted(self.runs.items()):
            label = "dedicated import run" if run_id == self.dedicated_run_id else f"legacy run, {info['status']}"
            rules = ", ".join(f"{rule} {count}" for rule, count in info["rules"].items() if count)
            lines.append(
                f"  run {run_id} ({label}): {_count(info['conversations'], 'conversation')}, "
                f"{_count(info['classifications'], 'classification')}" + (f" [{rules}]" if rules else "")
            )
        if self.unknown_run_ids:
            missing = ", ".join(
                f"{run_id} ({_count(count, 'row')})" for run_id, count in sorted(self.unknown_run_ids.items())
            )
            lines.append(f"  run ids absent from the runs export, rows moved to run {self.dedicated_run_id}: {missing}")
        lines.extend(f"  warning: {warning}" for warning in self.warnings)
        lines.append(
            f"Written: {self.conversations_out} conversations, {self.classifications_out} classifications "
            f"(rows in = rows out)"
        )
        return "\n".join(lines)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


# --- writing ----------------------------------------------------------------------------------------------


def _find_dedicated_run(engine: Engine) -> int | None:
    query = (
        select(pipeline_runs.c.id)
        .where(pipeline_runs.c.trigger == IMPORT_TRIGGER, pipeline_runs.c.source == DEDICATED_SOURCE)
        .order_by(pipeline_runs.c.id)
    )
    with engine.connect() as connection:
        return connection.execute(query).scalars().first()


def _check_collisions(engine: Engine, runs: dict[int, LegacyRun]) -> list[str]:
    """Legacy ids already used by runs that are not earlier imports of legacy runs."""
    if not runs:
        return []
    query = select(pipeline_runs.c.id, pipeline_runs.c.trigger, pipeline_runs.c.source).where(
        pipeline_runs.c.id.in_(list(runs))
    )
    with engine.connect() as connection:
        existing = connection.execute(query).all()
    return [
        f"{runs[run_id].location}: pipeline run {run_id} already exists here (trigger {trigger!r}, source "
        f"{source!r}) and is not an imported legacy run; refusing to overwrite it"
        for run_id, trigger, source in existing
        if not (trigger == IMPORT_TRIGGER and source == LEGACY_SOURCE)
    ]


def _write_run_rows(engine: Engine, plans: list[RunPlan], files: dict[str, str | None], unknown: Counter) -> None:
    """Create or refresh our ``pipeline_runs`` rows in one transaction (legacy ids first, so the
    PostgreSQL sequence is past them before the dedicated run takes a generated id)."""
    with engine.begin() as connection:
        for plan in sorted(plans, key=lambda p: (p.dedicated, p.run_id or 0)):
            params: dict[str, Any] = {
                "legacy_import": {
                    "conversations": len(plan.conversations),
                    "classifications": len(plan.classifications),
                    "rules": {rule: plan.rules.get(rule, 0) for rule in RULES},
                    "files": files,
                }
            }
            if plan.legacy_run is not None:
                params["legacy_run"] = plan.legacy_run
            if plan.dedicated and unknown:
                params["unknown_legacy_run_ids"] = {str(run_id): count for run_id, count in sorted(unknown.items())}
            exists = plan.run_id is not None and connection.execute(
                select(pipeline_runs.c.id).where(pipeline_runs.c.id == plan.run_id)
            ).first()
            if not exists:
                created = create_run(
                    connection,
                    source=DEDICATED_SOURCE if plan.dedicated else LEGACY_SOURCE,
                    trigger=IMPORT_TRIGGER,
                    status=plan.status,
                    engine=LEGACY_ENGINE,
                    window_start=plan.window_start,
                    window_end=plan.window_end,
                    max_conversations=plan.max_conversations,
                    source_params=params,
                    run_id=None if plan.dedicated else plan.run_id,
                )
                plan.run_id = created.id
            # Re-imports may change a legacy run's status (running → completed): set the fields directly,
            # the lifecycle rules of update_run are for live runs.
            connection.execute(
                update(pipeline_runs)
                .where(pipeline_runs.c.id == plan.run_id)
                .values(
                    status=plan.status,
                    source_params=params,
                    window_start=plan.window_start,
                    window_end=plan.window_end,
                    max_conversations=plan.max_conversations,
                    started_at=plan.started_at,
                    completed_at=plan.completed_at,
                    error=plan.error,
                    conversations_count=len(plan.conversations),
                    classified_count=sum(1 for row in plan.classifications if row.get("final_type") is not None),
                    failures_count=sum(1 for row in plan.classifications if row.get("final_type") is None),
                )
            )


# --- the entry points ------------------------------------------------------------------------------------


def import_legacy(
    engine: Engine,
    runs_path: str | Path,
    conversations_path: str | Path,
    classifications_path: str | Path | None = None,
    *,
    batch_size: int | None = None,
) -> ImportReport:
    """Import the old system's runs, conversations and (optionally separate) classifications.

    Without ``classifications_path``, classification columns present on the conversation rows (the old
    single-table layout) are imported as classifications. Returns a report; when ``report.errors`` is
    not empty nothing was written. Raises ``LegacyImportError`` for missing/unknown files, id collisions
    with runs that were not imported, and if the rows written do not equal the rows read.
    """
    report = ImportReport()
    errors, warnings = report.errors, report.warnings
    run_rows = read_export(runs_path, errors)
    conversation_rows = read_export(conversations_path, errors)
    classification_rows = read_export(classifications_path, errors) if classifications_path is not None else None
    report.runs_in = len(run_rows)
    report.conversations_in = len(conversation_rows)

    runs = parse_runs(run_rows, errors)
    parsed = [parse_conversation(row, errors) for row in conversation_rows]
    legacy_conversations = [conversation for conversation in parsed if conversation is not None]
    if classification_rows is None:
        # Single-table layout: the classification lives on the conversation row.
        embedded = [row for row in conversation_rows if has_classification(row)]
        report.classifications_in = len(embedded)
        by_location = {conversation.location: conversation for conversation in legacy_conversations}
        for row in embedded:
            record = parse_classification(row, errors, warnings)
            target = by_location.get(row.location)
            if record is not None and target is not None:
                target.classification, target.classification_location = record, row.location
    else:
        report.classifications_in = len(classification_rows)
        match_classifications(classification_rows, legacy_conversations, errors, warnings)
        ignored = sum(1 for row in conversation_rows if has_classification(row))
        if ignored:
            warnings.append(
                f"{ignored} conversation rows carry classification columns; ignored, the classifications "
                f"export ({Path(classifications_path).name}) is used instead"
            )
    unknown = assign_runs(legacy_conversations, runs, errors)
    if errors:
        return report

    collisions = _check_collisions(engine, runs)
    if collisions:
        raise LegacyImportError("; ".join(collisions))

    # One plan per legacy run (even without rows: the import is a snapshot) and the dedicated run if needed.
    plans: dict[Any, RunPlan] = {
        run.id: RunPlan(
            run_id=run.id,
            dedicated=False,
            status=run.status,
            legacy_run=run.raw,
            started_at=run.started_at,
            completed_at=run.completed_at,
            window_start=run.window_start,
            window_end=run.window_end,
            max_conversations=run.max_conversations,
            error=(
                f"legacy run was still {run.legacy_status} when exported; imported as {run.status}"
                if run.legacy_status in STILL_RUNNING
                else None
            ),
        )
        for run in runs.values()
    }
    dedicated_id = _find_dedicated_run(engine)
    needs_dedicated = any(conversation.run_key == DEDICATED for conversation in legacy_conversations)
    if needs_dedicated or dedicated_id is not None:
        plans[DEDICATED] = RunPlan(run_id=dedicated_id, dedicated=True, status="succeeded")
    for conversation in sorted(legacy_conversations, key=lambda c: c.conversation_id):
        plan = plans[conversation.run_key]
        plan.conversations.append(conversation.row)
        plan.rules[conversation.rule] += 1
        if conversation.classification is not None:
            record = {k: v for k, v in conversation.classification.items() if not k.startswith("_")}
            plan.classifications.append({**record, "conversation_id": conversation.conversation_id})

    files = {
        "runs": Path(runs_path).name,
        "conversations": Path(conversations_path).name,
        "classifications": Path(classifications_path).name if classifications_path is not None else None,
    }
    _write_run_rows(engine, list(plans.values()), files, unknown)
    for plan in sorted(plans.values(), key=lambda p: p.run_id):
        replace_partitions(
            engine,
            plan.run_id,
            {"conversations": plan.conversations, "classifications": plan.classifications},
            batch_size=batch_size,
        )

    # Rows in = rows out, counted in the database (not trusted from the plan).
    for plan in plans.values():
        written_conversations = count_partition(engine, "conversations", plan.run_id)
        written_classifications = count_partition(engine, "classifications", plan.run_id)
        if (written_conversations, written_classifications) != (len(plan.conversations), len(plan.classifications)):
            raise LegacyImportError(
                f"run {plan.run_id}: wrote {written_conversations} conversations and {written_classifications} "
                f"classifications, expected {len(plan.conversations)} and {len(plan.classifications)}"
            )
        report.conversations_out += written_conversations
        report.classifications_out += written_classifications
        report.runs[plan.run_id] = {
            "status": plan.status,
            "conversations": written_conversations,
            "classifications": written_classifications,
            "rules": {rule: plan.rules.get(rule, 0) for rule in RULES},
        }
        for rule, count in plan.rules.items():
            report.rule_counts[rule] += count
        if plan.dedicated:
            report.dedicated_run_id = plan.run_id
    report.unknown_run_ids = dict(sorted(unknown.items()))
    if (report.conversations_out, report.classifications_out) != (report.conversations_in, report.classifications_in):
        raise LegacyImportError(
            f"rows in ≠ rows out: read {report.conversations_in} conversations and {report.classifications_in} "
            f"classifications, wrote {report.conversations_out} and {report.classifications_out}"
        )
    return report


def main(argv: Sequence[str] | None = None) -> int:
    """``feedback-assets import-legacy --runs R --conversations C [--classifications K]``; 0 = imported,
    1 = invalid rows (listed; nothing written) or an import error, 2 = bad usage."""
    parser = argparse.ArgumentParser(
        prog="feedback-assets import-legacy",
        description="Import the old system's runs, conversations and classifications into run-scoped tables. "
        "Formats: docs/legacy_import.md.",
    )
    parser.add_argument("--runs", required=True, help="the old pipeline_runs export (.csv or .jsonl)")
    parser.add_argument("--conversations", required=True, help="the old conversations export (.csv or .jsonl)")
    parser.add_argument(
        "--classifications",
        help="a separate classifications export; without it, classification columns of the conversations are used",
    )
    parser.add_argument("--database-url", help=f"default: {settings.DATABASE_URL_ENV} or the embedded SQLite file")
    parser.add_argument(
        "--batch-size", type=positive_int, default=None, help="rows per insert chunk (results do not depend on it)"
    )
    try:
        args = parser.parse_args(list(argv) if argv is not None else None)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    engine = make_engine(args.database_url)
    upgrade(engine)
    try:
        report = import_legacy(
            engine, args.runs, args.conversations, args.classifications, batch_size=args.batch_size
        )
    except LegacyImportError as error:
        print(f"legacy import failed: {error}", file=sys.stderr)
        return 1
    print(report.summary())
    return 0 if report.ok else 1


if __name__ == "__main__":  # pragma: no cover - python -m feedback_assets.legacy_import
    raise SystemExit(main())
