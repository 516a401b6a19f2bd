"""Which of our runs every legacy conversation goes to, by the rules named in ``feedback_assets.legacy_import``
(kept run, adopted by a run's window, or the dedicated import run)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any, Iterable

from feedback_assets.legacy.records import LegacyConversation, LegacyRun

RULE_KEPT = "kept_run"
RULE_ADOPTED = "adopted_by_window"
RULE_NO_WINDOW = "no_matching_window"
RULE_NO_TIMESTAMP = "no_classified_at"
RULE_UNKNOWN_RUN = "unknown_run"
RULES = (RULE_KEPT, RULE_ADOPTED, RULE_NO_WINDOW, RULE_NO_TIMESTAMP, RULE_UNKNOWN_RUN)

DEDICATED = "dedicated"
"""The run key of conversations bound for the dedicated import run (its id is known only when writing)."""


def adopting_run(runs: Iterable[LegacyRun], moment: datetime) -> LegacyRun | None:
    """The run whose window contains ``moment``; overlapping windows → latest started_at, then higher id."""
    candidates = [run for run in runs if run.contains(moment)]
    return max(candidates, key=lambda run: (run.started_at, run.id)) if candidates else None


def _describe(run_key: Any) -> str:
    return "the dedicated import run" if run_key == DEDICATED else f"run {run_key}"


def assign_runs(
    conversations_: list[LegacyConversation], runs: dict[int, LegacyRun], errors: list[str]
) -> Counter:
    """Set every conversation's ``run_key`` and ``rule``; conflicts (a classification naming another run, a
    conversation landing in one run twice) go to ``errors``. Returns the unknown legacy run ids' row counts."""
    unknown: Counter = Counter()
    for conversation in conversations_:
        if conversation.legacy_run_id is not None:
            if conversation.legacy_run_id in runs:
                conversation.run_key, conversation.rule = conversation.legacy_run_id, RULE_KEPT
            else:
                conversation.run_key, conversation.rule = DEDICATED, RULE_UNKNOWN_RUN
                unknown[conversation.legacy_run_id] += 1
        elif conversation.classified_at is None:
            conversation.run_key, conversation.rule = DEDICATED, RULE_NO_TIMESTAMP
        else:
            run = adopting_run(runs.values(), conversation.classified_at)
            if run is None:
                conversation.run_key, conversation.rule = DEDICATED, RULE_NO_WINDOW
            else:
                conversation.run_key, conversation.rule = run.id, RULE_ADOPTED
        named = (conversation.classification or {}).get("_legacy_run_id")
        if named is not None and named != conversation.legacy_run_id and named != conversation.run_key:
            errors.append(
                f"{conversation.classification_location}: classification names pipeline_run_id {named} but its "
                f"conversation ({conversation.location}) goes to {_describe(conversation.run_key)} "
                f"(rule {conversation.rule})"
            )
    seen: dict[tuple[Any, str], str] = {}
    for conversation in conversations_:
        key = (conversation.run_key, conversation.conversation_id)
        if key in seen:
            errors.append(
                f"{conversation.location}: conversation {conversation.conversation_id!r} lands in "
                f"{_describe(conversation.run_key)} twice "
                f"(also {seen[key]}); a run holds one row per conversation"
            )
        else:
            seen[key] = conversation.location
    return unknown
