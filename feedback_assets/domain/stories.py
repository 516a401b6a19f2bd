"""Stories of one run: its themes grouped by issue signature, with evidence.

Groups of at least ``min_group_size`` conversations are ``candidate`` stories, smaller ones ``orphan``.
Each story has a deterministic id (uuid5 of run and signature), a title (the group's vocabulary title or
common user intent, else the signature in words), a Markdown description, a priority from urgency and
size, and one evidence row per conversation; at most ``MAX_EXCERPTS`` of those carry an excerpt of at most
``EXCERPT_MAX_CHARS`` characters, chosen by (urgency, informative length, conversation id).

Priority: each conversation weighs by its urgency (critical 8, high 4, normal 2, low 1); the score is the
mean weight × log2(1 + conversations). critical ≥ 16 (e.g. 3 critical reports), high ≥ 8 (3 high, or 15
normal), normal ≥ 3, low below (a single normal report is low).

An optional review of each candidate group by the run's engine happens in the themes step
(``domain.themes.review_groups``): a split gives its parts the signature ``<signature>_part<N>`` on the themes
themselves, so the groups here, the evidence and every check agree.
"""

from __future__ import annotations

import math
import uuid
from collections import Counter
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any, Iterable, Iterator, Mapping, Sequence

from feedback_assets.domain.text import truncate

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


def _excerpt_order(rows: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    def key(row: Mapping[str, Any]) -> tuple:
        urgency = row.get("urgency") or "normal"
        body = row.get("body") or ""
        # More urgent first, then the more informative (longer, up to the excerpt size), then by id.
        return (
            _URGENCY_ORDER.index(urgency) if urgency in _URGENCY_ORDER else 2,
            -min(len(body), EXCERPT_MAX_CHARS),
            row["conversation_id"],
        )

    return sorted(rows, key=key)


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


def _story(
    run_id: int, signature: str, rows: Sequence[Mapping[str, Any]], min_group_size: int
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The story row of one signature group and its evidence rows (excerpt-choice order)."""
    urgencies = Counter(row.get("urgency") or "normal" for row in rows)
    types = Counter(row.get("final_type") or "unknown" for row in rows)
    level, score = priority(row.get("urgency") for row in rows)
    status = "candidate" if len(rows) >= min_group_size else "orphan"
    identifier = story_id(run_id, signature)
    intent = _most_common(row.get("user_intent") for row in rows)
    title = intent if intent and len(intent) <= 120 else _humanise(signature)
    story = {
        "id": identifier,
        "pipeline_run_id": run_id,
        "issue_signature": signature,
        "title": title,
        "description": _description(rows, urgencies, types, status, min_group_size),
        "product_area": _most_common(row.get("product_area") for row in rows),
        "component": _most_common(row.get("component") for row in rows),
        "status": status,
        "conversation_count": len(rows),
        "priority": level,
        "priority_score": score,
        "symptoms": _top_symptoms(rows),
    }
    evidence = []
    excerpts = 0
    for row in _excerpt_order(rows):
        body = (row.get("body") or "").strip()
        rank = excerpts + 1 if body and excerpts < MAX_EXCERPTS else None
        excerpts += rank is not None
        evidence.append(
            {
                "story_id": identifier,
                "conversation_id": row["conversation_id"],
                "pipeline_run_id": run_id,
                "excerpt": truncate(body, EXCERPT_MAX_CHARS) if rank else None,
                "excerpt_rank": rank,
            }
        )
    return story, evidence


def stories_from_groups(
    run_id: int,
    groups: Iterable[tuple[str, list[Mapping[str, Any]]]],
    *,
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
) -> StoryBuild:
    """Stories and evidence from signature groups given one at a time: ``(signature, rows)`` where each
    row joins a conversation's theme columns with its ``body`` and ``urgency``; ``final_type`` falls back
    to the classification's. Only one group's rows are held at a time."""
    if isinstance(run_id, bool) or not isinstance(run_id, int) or run_id <= 0:
        raise ValueError(f"run id must be a positive integer, got {run_id!r}")
    if min_group_size < 1:
        raise ValueError(f"min_group_size must be at least 1, got {min_group_size}")
    build = StoryBuild()
    stories: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []
    for signature, rows in groups:
        stories.append(_story(run_id, signature, rows, min_group_size))
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


def signature_groups(rows: Iterable[Mapping[str, Any]]) -> Iterator[tuple[str, list[Mapping[str, Any]]]]:
    """``(signature, rows)`` per run of equal ``issue_signature`` in ``rows`` (which come sorted by it);
    ``final_type`` falls back to ``classified_type`` when the theme has none."""
    for signature, members in groupby(rows, key=lambda row: row["issue_signature"]):
        yield signature, [
            {**row, "final_type": row.get("final_type") or row.get("classified_type")} for row in members
        ]


def build_stories(
    run_id: int,
    theme_rows: Sequence[Mapping[str, Any]],
    conversation_rows: Sequence[Mapping[str, Any]],
    classification_rows: Sequence[Mapping[str, Any]],
    *,
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
) -> StoryBuild:
    """The stories and evidence of run ``run_id`` from whole tables (see the module docstring). Rows that
    carry a ``pipeline_run_id`` must carry ``run_id``; themes with an error are left out. Pipeline steps
    stream groups into ``stories_from_groups`` instead."""
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
    by_signature: dict[str, list[Mapping[str, Any]]] = {}
    for conversation_id in sorted(themes):
        theme = themes[conversation_id]
        classification = classifications.get(conversation_id, {})
        row = {
            **conversations[conversation_id],
            **theme,
            "final_type": theme.get("final_type") or classification.get("final_type"),
            "urgency": classification.get("urgency"),
            "resolution_action": classification.get("resolution_action"),
        }
        by_signature.setdefault(theme["issue_signature"], []).append(row)
    return stories_from_groups(
        run_id,
        ((signature, by_signature[signature]) for signature in sorted(by_signature)),
        min_group_size=min_group_size,
    )
