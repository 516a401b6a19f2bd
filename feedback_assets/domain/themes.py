"""Theme extraction of one run through any engine, as rows of the ``themes`` table.

``theme_requests`` picks the actionable classifications (errors skipped). ``extract_themes`` asks the engine,
then applies the signature rules of ``signatures`` to every theme, whichever engine produced it: generic
signatures made specific or rejected, canonicalisation against the taxonomy's vocabulary, and the
order-independent merge of near-duplicates across the run. Failures become rows with ``error`` set.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from feedback_assets.domain.models import (
    CONVERSATION_TYPES,
    DEFAULT_ACTIONABLE_TYPES,
    Conversation,
    ThemeOutcome,
    ThemeRequest,
    ThemeResult,
    TokenUsage,
)
from feedback_assets.domain.signatures import (
    SignatureRejected,
    canonicalise,
    make_specific,
    merge_near_duplicates,
)
from feedback_assets.domain.taxonomy import Taxonomy, load_taxonomy
from feedback_assets.engines.base import Engine

__all__ = ["DEFAULT_ACTIONABLE_TYPES", "ThemeBatch", "extract_themes", "theme_requests"]


@dataclass
class ThemeBatch:
    rows: list[dict[str, Any]]
    """One per request, in request order; keys = the ``themes`` columns minus the run id."""
    usage: TokenUsage = field(default_factory=TokenUsage)
    failures: int = 0


def theme_requests(
    conversations: Sequence[Conversation],
    classification_rows: Sequence[Mapping[str, Any]],
    actionable_types: Sequence[str] = DEFAULT_ACTIONABLE_TYPES,
) -> list[ThemeRequest]:
    """A request per successfully classified conversation whose final type is actionable, in the order of
    ``conversations``."""
    unknown = sorted(set(actionable_types) - set(CONVERSATION_TYPES))
    if unknown:
        raise ValueError(
            f"unknown actionable type(s) {', '.join(unknown)}; known: {', '.join(CONVERSATION_TYPES)}"
        )
    by_id = {conversation.conversation_id: conversation for conversation in conversations}
    orphans = sorted(
        str(row["conversation_id"]) for row in classification_rows if row["conversation_id"] not in by_id
    )
    if orphans:
        raise ValueError(f"classification rows without a conversation: {', '.join(orphans[:20])}")
    classified = {row["conversation_id"]: row for row in classification_rows}
    requests = []
    for conversation in conversations:
        row = classified.get(conversation.conversation_id)
        if row is None or row.get("error") or row.get("final_type") not in actionable_types:
            continue
        requests.append(
            ThemeRequest(
                conversation=conversation,
                final_type=row["final_type"],
                urgency=row.get("urgency"),
                resolution_action=row.get("resolution_action"),
            )
        )
    return requests


def _row(
    engine: Engine, request: ThemeRequest, theme: ThemeResult | None, error: str | None
) -> dict[str, Any]:
    return {
        "conversation_id": request.conversation.conversation_id,
        "product_area": theme.product_area if theme else None,
        "component": theme.component if theme else None,
        "issue_signature": theme.issue_signature if theme else None,
        "user_intent": theme.user_intent if theme else None,
        "symptoms": list(theme.symptoms) if theme else None,
        "affected_flow": theme.affected_flow if theme else None,
        "root_cause_hypothesis": theme.root_cause_hypothesis if theme else None,
        "matched_vocabulary": theme.matched_vocabulary if theme else None,
        "final_type": request.final_type,
        "engine": engine.name,
        "model": engine.theme_model,
        "prompt_version": engine.prompt_version,
        "error": error,
    }


def extract_themes(
    engine: Engine, requests: Sequence[ThemeRequest], *, taxonomy: Taxonomy | None = None
) -> ThemeBatch:
    """Themes for ``requests`` (one run) with the signature rules applied; see the module docstring."""
    if not requests:
        return ThemeBatch(rows=[])
    taxonomy = taxonomy or load_taxonomy()
    result = engine.extract_themes(requests)
    expected = {request.conversation.conversation_id for request in requests}
    outcomes: dict[str, ThemeOutcome] = {}
    for outcome in result.outcomes:
        if outcome.conversation_id in expected:
            outcomes.setdefault(outcome.conversation_id, outcome)

    ruled: dict[str, tuple[ThemeResult, str] | str] = {}  # id → (theme, signature) or error
    canonical: dict[tuple[str, str], str] = {}  # (signature, component) → canonical form, computed once
    for request in requests:
        conversation_id = request.conversation.conversation_id
        outcome = outcomes.get(conversation_id)
        if outcome is None:
            ruled[conversation_id] = (
                f"engine {engine.name} returned no theme for conversation {conversation_id}"
            )
        elif outcome.error or outcome.theme is None:
            ruled[conversation_id] = (
                outcome.error or f"engine {engine.name} returned neither a theme nor an error"
            )
        else:
            theme = outcome.theme
            try:
                specific = make_specific(
                    theme.issue_signature, component=theme.component, symptoms=theme.symptoms
                )
            except SignatureRejected as error:
                ruled[conversation_id] = str(error)
                continue
            key = (specific, theme.component)
            if key not in canonical:
                canonical[key] = canonicalise(specific, taxonomy, component=theme.component)[0]
            ruled[conversation_id] = (theme, canonical[key])

    vocabulary = {entry.signature for entry in taxonomy.vocabulary}
    counts = Counter(value[1] for value in ruled.values() if isinstance(value, tuple))
    merged = merge_near_duplicates(counts, fixed=vocabulary & set(counts))

    rows = []
    failures = 0
    for request in requests:
        value = ruled[request.conversation.conversation_id]
        if isinstance(value, str):
            failures += 1
            rows.append(_row(engine, request, None, value))
            continue
        theme, signature = value
        final = merged[signature]
        theme = ThemeResult.model_validate(
            {**theme.model_dump(), "issue_signature": final, "matched_vocabulary": final in vocabulary}
        )
        rows.append(_row(engine, request, theme, None))
    return ThemeBatch(rows=rows, usage=result.usage, failures=failures)
