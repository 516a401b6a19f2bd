"""What every export format says about a run and its stories, as plain JSON-ready values.

``run_header(run)`` is the run's metadata (what it read, with which engine, how it ended); ``story_item``
turns a ``storage.story_report`` dict into the exported shape (timestamps as ISO 8601 strings). The JSON
export is exactly these values (schema: ``docs/schemas/stories-export.schema.json``); Markdown and CSV
render them.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Mapping

from feedback_assets import __version__
from feedback_assets.storage.runs import RunRecord

SCHEMA_VERSION = "1.0"
"""``schema_version`` of the JSON export: the minor part grows when fields are added, the major part when
a field changes meaning or goes."""

GENERATOR = f"feedback-assets {__version__}"


def iso(value: datetime | None) -> str | None:
    """An aware UTC datetime as ISO 8601 (``2026-09-21T14:13:20+00:00``); None stays None."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).isoformat()


def run_header(run: RunRecord) -> dict[str, Any]:
    """The run's metadata as exported (never secrets: ``source_params`` holds none by contract)."""
    return {
        "id": run.id,
        "status": run.status,
        "trigger": run.trigger,
        "source": run.source,
        "source_params": dict(run.source_params) if run.source_params else None,
        "window_start": iso(run.window_start),
        "window_end": iso(run.window_end),
        "max_conversations": run.max_conversations,
        "engine": run.engine,
        "created_at": iso(run.created_at),
        "started_at": iso(run.started_at),
        "completed_at": iso(run.completed_at),
        "error": run.error,
        "counts": {
            "conversations": run.conversations_count,
            "classified": run.classified_count,
            "classification_failures": run.failures_count,
            "themes": run.themes_count,
            "candidate_stories": run.stories_count,
        },
        "failed_checks": run.failed_checks,
        "estimated_cost_usd": round(float(run.estimated_cost_usd), 6),
    }


def story_item(story: Mapping[str, Any], rank: int) -> dict[str, Any]:
    """One ``story_report`` dict in the exported shape; ``rank`` is its 1-based place in the ranking."""
    return {
        "rank": rank,
        "id": story["id"],
        "issue_signature": story["issue_signature"],
        "title": story["title"],
        "status": story["status"],
        "priority": story["priority"],
        "priority_score": story["priority_score"],
        "conversation_count": story["conversation_count"],
        "affected_customers": story["affected_customers"],
        "conversation_types": dict(story["conversation_types"]),
        "product_area": story["product_area"],
        "component": story["component"],
        "symptoms": list(story["symptoms"]),
        "first_seen": iso(story["first_seen"]),
        "last_seen": iso(story["last_seen"]),
        "description": story["description"],
        "evidence": [
            {
                "rank": quote["rank"],
                "conversation_id": quote["conversation_id"],
                "excerpt": quote["excerpt"],
                "created_at": iso(quote["created_at"]),
            }
            for quote in story["evidence"]
        ],
    }


def generated_now() -> str:
    return iso(datetime.now(timezone.utc))
