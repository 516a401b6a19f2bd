"""Stories of one run: its themes grouped by issue signature, with evidence.

Groups of at least ``min_group_size`` conversations are ``candidate`` stories, smaller ones ``orphan``.
Each story has a deterministic id (uuid5 of run and signature), a title (the group's vocabulary title or
common user intent, else the signature in words), a Markdown description, a priority from urgency and
size, and one evidence row per conversation; at most ``MAX_EXCERPTS`` of those carry an excerpt of at most
``EXCERPT_MAX_CHARS`` characters, chosen by (urgency, informative length, conversation id).

Priority: each conversation weighs by its urgency (critical 8, high 4, normal 2, low 1); the score is the
mean weight × log2(1 + conversations). critical ≥ 16 (e.g. 3 critical reports), high ≥ 8 (3 high, or 15
normal), normal ≥ 3, low below (a single normal report is low).

An optional engine may review each candidate group (``engine.review_story``) and split it; sub-groups get
the signature with ``_part<N>`` appended, conversations it did not place stay under the signature.
"""

from __future__ import annotations

import math
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

from feedback_assets.domain.models import StoryReview, ThemeRequest
from feedback_assets.domain.normalize import conversation_from_row
from feedback_assets.domain.text import truncate
from feedback_assets.engines.base import Engine

STORY_NAMESPACE = uuid.UUID("5d6f1c2e-7a4b-4c1e-9a53-2f0b7c9e8d41")
"""Fixed namespace of story ids: the same run and signature always give the same id."""
EXCERPT_MAX_CHARS = 500
MAX_EXCERPTS = 5
DEFAULT_MIN_GROUP_SIZE = 3
URGENCY_WEIGHTS = {"critical": 8.0, "high": 4.0, "normal": 2.0, "low": 1.0}
PRIORITY_THRESHOLDS = (("critical", 16.0), ("high", 8.0), ("normal", 3.0))
_URGENCY_ORDER = ("critical", "high", "normal", "low")


@dataclass
class StoryBuild:
    stories: list[dict[str, Any]] = field(default_factory=list)
    """Rows of ``stories``: candidates first, then by priority score, then signature."""
    evidence: list[dict[str, Any]] = field(default_factory=list)
    """Rows of ``story_evidence``, grouped by story in story order, each group in excerpt-choice order."""
    review_notes: list[str] = field(default_factory=list)
    """What the optional review decided (and reviews that were ignored, with why)."""


def story_id(run_id: int, signature: str) -> str:
    return str(uuid.uuid5(STORY_NAMESPACE, f"{run_id}/{signature}"))


def priority(urgencies: Iterable[str | None]) -> tuple[str, float]:
    """(priority, score) of a group from its conversations' urgencies (see the module docstring)."""
    weights = [URGENCY_WEIGHTS.get(level or "normal", URGENCY_WEIGHTS["normal"]) for level in urgencies]
    if not weights:
        return "low", 0.0
    score = round(sum(weights) / len(weights) * math.log2(1 + len(weights)), 3)
    for level, threshold in PRIORITY_THRESHOLDS:
        if score >= threshold:
            return level, score
    return "low", score


def _check_run(run_id: int, name: str, rows: Sequence[Mapping[str, Any]]) -> None:
    foreign = {row["pipeline_run_id"] for row in rows if row.get("pipeline_run_id", run_id) != run_id}
    foreign = sorted(foreign, key=str)
    if foreign:
        raise ValueError(f"{name} rows of run(s) {foreign} given to build stories of run {run_id}")


def _most_common(values: Iterable[str | None]) -> str | None:
    counts = Counter(value for value in values if value)
    return min(counts, key=lambda value: (-counts[value], value)) if counts else None


def _humanise(signature: str) -> str:
    text = signature.replace("_", " ")
    return text[0].upper() + text[1:]


def _excerpt_order(
    conversation_ids: Sequence[str],
    conversations: Mapping[str, Mapping[str, Any]],
    classifications: Mapping[str, Mapping[str, Any]],
) -> list[str]:
    def key(conversation_id: str) -> tuple:
        urgency = classifications.get(conversation_id, {}).get("urgency") or "normal"
        body = conversations[conversation_id].get("body") or ""
        # More urgent first, then the more informative (longer, up to the excerpt size), then by id.
        return (
            _URGENCY_ORDER.index(urgency) if urgency in _URGENCY_ORDER else 2,
            -min(len(body), EXCERPT_MAX_CHARS),
            conversation_id,
        )

    return sorted(conversation_ids, key=key)


def _description(
    themes: Sequence[Mapping[str, Any]], urgencies: Counter, types: Counter, status: str, min_group_size: int
) -> str:
    intent = _most_common(theme.get("user_intent") for theme in themes)
    symptoms = _top_symptoms(themes)
    lines = [f"**User intent:** {intent}", "", "**Symptoms:**", *(f"- {symptom}" for symptom in symptoms), ""]
    lines += [
        f"**Product area:** {_most_common(t.get('product_area') for t in themes) or 'unknown'}"
        f" / {_most_common(t.get('component') for t in themes) or 'unknown'}",
        f"**Affected flow:** {_most_common(t.get('affected_flow') for t in themes)}",
        f"**Root-cause hypothesis:** {_most_common(t.get('root_cause_hypothesis') for t in themes)}",
        "",
        f"**Evidence:** {len(themes)} conversation(s) — "
        + ", ".join(f"{name} {count}" for name, count in sorted(types.items()))
        + "; urgency "
        + ", ".join(f"{level} {urgencies[level]}" for level in _URGENCY_ORDER if urgencies[level]),
    ]
    if status == "orphan":
        lines.append(f"_Orphan: fewer than {min_group_size} conversations in this run._")
    return "\n".join(lines)


def _top_symptoms(themes: Sequence[Mapping[str, Any]], limit: int = 4) -> list[str]:
    counts: Counter[str] = Counter()
    for theme in themes:
        counts.update(set(theme.get("symptoms") or []))
    return sorted(counts, key=lambda symptom: (-counts[symptom], symptom))[:limit]


def _review_groups(
    engine: Engine,
    signature: str,
    conversation_ids: list[str],
    requests: Mapping[str, ThemeRequest],
    notes: list[str],
) -> list[tuple[str, list[str]]]:
    review: StoryReview | None = engine.review_story(signature, [requests[c] for c in conversation_ids])
    if review is None or review.decision == "keep":
        if review is not None:
            notes.append(f"{signature}: kept ({review.reason})")
        return [(signature, conversation_ids)]
    members = set(conversation_ids)
    placed = [c for group in review.groups for c in group]
    if not review.groups or not set(placed) <= members or len(placed) != len(set(placed)):
        notes.append(f"{signature}: split ignored, its groups are empty, overlap or name other conversations")
        return [(signature, conversation_ids)]
    groups = [
        (f"{signature}_part{number}", sorted(group)) for number, group in enumerate(review.groups, 1) if group
    ]
    rest = sorted(members - set(placed))
    notes.append(f"{signature}: split into {len(groups)} ({review.reason})")
    return ([(signature, rest)] if rest else []) + groups


def build_stories(
    run_id: int,
    theme_rows: Sequence[Mapping[str, Any]],
    conversation_rows: Sequence[Mapping[str, Any]],
    classification_rows: Sequence[Mapping[str, Any]],
    *,
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
    engine: Engine | None = None,
) -> StoryBuild:
    """The stories and evidence of run ``run_id`` (see the module docstring). Rows that carry a
    ``pipeline_run_id`` must carry ``run_id``; themes with an error are left out."""
    if isinstance(run_id, bool) or not isinstance(run_id, int) or run_id <= 0:
        raise ValueError(f"run id must be a positive integer, got {run_id!r}")
    if min_group_size < 1:
        raise ValueError(f"min_group_size must be at least 1, got {min_group_size}")
    for name, rows in (
        ("theme", theme_rows),
        ("conversation", conversation_rows),
        ("classification", classification_rows),
    ):
        _check_run(run_id, name, rows)
    conversations = {row["conversation_id"]: row for row in conversation_rows}
    classifications = {row["conversation_id"]: row for row in classification_rows}
    themes = {
        row["conversation_id"]: row
        for row in theme_rows
        if not row.get("error") and row.get("issue_signature")
    }
    missing = sorted(set(themes) - set(conversations))
    if missing:
        raise ValueError(f"themes of run {run_id} without a conversation row: {', '.join(missing[:20])}")

    by_signature: dict[str, list[str]] = {}
    for conversation_id in sorted(themes):
        by_signature.setdefault(themes[conversation_id]["issue_signature"], []).append(conversation_id)

    build = StoryBuild()
    groups: list[tuple[str, list[str]]] = []
    requests: dict[str, ThemeRequest] = {}
    for signature in sorted(by_signature):
        members = by_signature[signature]
        if engine is not None and len(members) >= min_group_size:
            if not requests:
                requests = _requests(themes, conversations, classifications)
            groups.extend(_review_groups(engine, signature, members, requests, build.review_notes))
        else:
            groups.append((signature, members))

    stories: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []
    for signature, members in groups:
        group_themes = [themes[c] for c in members]
        urgencies = Counter(classifications.get(c, {}).get("urgency") or "normal" for c in members)
        types = Counter(
            themes[c].get("final_type") or classifications.get(c, {}).get("final_type") or "unknown"
            for c in members
        )
        level, score = priority(classifications.get(c, {}).get("urgency") for c in members)
        status = "candidate" if len(members) >= min_group_size else "orphan"
        identifier = story_id(run_id, signature)
        intent = _most_common(t.get("user_intent") for t in group_themes)
        title = intent if intent and len(intent) <= 120 else _humanise(signature)
        story = {
            "id": identifier,
            "pipeline_run_id": run_id,
            "issue_signature": signature,
            "title": title,
            "description": _description(group_themes, urgencies, types, status, min_group_size),
            "product_area": _most_common(t.get("product_area") for t in group_themes),
            "component": _most_common(t.get("component") for t in group_themes),
            "status": status,
            "conversation_count": len(members),
            "priority": level,
            "priority_score": score,
            "symptoms": _top_symptoms(group_themes),
        }
        ranked = _excerpt_order(members, conversations, classifications)
        evidence = []
        excerpts = 0
        for conversation_id in ranked:
            body = (conversations[conversation_id].get("body") or "").strip()
            rank = excerpts + 1 if body and excerpts < MAX_EXCERPTS else None
            excerpts += rank is not None
            evidence.append(
                {
                    "story_id": identifier,
                    "conversation_id": conversation_id,
                    "pipeline_run_id": run_id,
                    "excerpt": truncate(body, EXCERPT_MAX_CHARS) if rank else None,
                    "excerpt_rank": rank,
                }
            )
        stories.append((story, evidence))

    stories.sort(
        key=lambda pair: (
            pair[0]["status"] != "candidate",
            -pair[0]["priority_score"],
            pair[0]["issue_signature"],
        )
    )
    for story, evidence in stories:
        build.stories.append(story)
        build.evidence.extend(evidence)
    return build


def _requests(
    themes: Mapping[str, Mapping[str, Any]],
    conversations: Mapping[str, Mapping[str, Any]],
    classifications: Mapping[str, Mapping[str, Any]],
) -> dict[str, ThemeRequest]:
    requests = {}
    for conversation_id, theme in themes.items():
        classification = classifications.get(conversation_id, {})
        requests[conversation_id] = ThemeRequest(
            conversation=conversation_from_row(conversations[conversation_id]),
            final_type=theme.get("final_type") or classification["final_type"],
            urgency=classification.get("urgency"),
            resolution_action=classification.get("resolution_action"),
        )
    return requests
