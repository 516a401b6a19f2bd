"""Theme extraction of one run through any engine, as rows of the ``themes`` table.

``theme_requests`` picks the actionable classifications (errors skipped). ``extract_themes`` asks the engine,
then applies the signature rules of ``signatures`` to every theme, whichever engine produced it: generic
signatures made specific or rejected, canonicalisation against the taxonomy's vocabulary, and the
order-independent merge of near-duplicates across the run. Failures become rows with ``error`` set.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import chain
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

from feedback_assets.domain.models import (
    CONVERSATION_TYPES,
    DEFAULT_ACTIONABLE_TYPES,
    Conversation,
    ThemeOutcome,
    ThemeRequest,
    ThemeResult,
    TokenUsage,
)
from feedback_assets.domain.normalize import conversation_from_row
from feedback_assets.domain.signatures import (
    SignatureRejected,
    canonicalise,
    make_specific,
    merge_near_duplicates,
)
from feedback_assets.domain.taxonomy import Taxonomy, load_taxonomy
from feedback_assets.engines.base import Engine, EngineResult

__all__ = [
    "DEFAULT_ACTIONABLE_TYPES",
    "ThemeBatch",
    "candidate_signatures",
    "check_actionable_types",
    "extract_themes",
    "review_groups",
    "theme_request_from_row",
    "theme_requests",
]


@dataclass
class ThemeBatch:
    rows: list[dict[str, Any]]
    """One per request, in request order; keys = the ``themes`` columns minus the run id."""
    usage: TokenUsage = field(default_factory=TokenUsage)
    failures: int = 0
    reused: int = 0
    """Themes copied from an earlier run (``reused_from_run`` set) instead of asking the engine."""


REUSE_CHUNK = 1000
"""Requests looked up at once for reuse (one query per chunk)."""


def check_actionable_types(actionable_types: Sequence[str]) -> tuple[str, ...]:
    """The actionable types as a tuple; unknown names are refused with the list of known ones."""
    unknown = sorted(set(actionable_types) - set(CONVERSATION_TYPES))
    if unknown:
        raise ValueError(
            f"unknown actionable type(s) {', '.join(unknown)}; known: {', '.join(CONVERSATION_TYPES)}"
        )
    return tuple(actionable_types)


def theme_request_from_row(row: Mapping[str, Any]) -> ThemeRequest:
    """A request from a row joining a conversation's columns with its classification's ``final_type``,
    ``urgency`` and ``resolution_action`` (what ``storage.reads.iter_theme_inputs`` yields)."""
    return ThemeRequest(
        conversation=conversation_from_row(row),
        final_type=row["final_type"],
        urgency=row.get("urgency"),
        resolution_action=row.get("resolution_action"),
    )


def theme_requests(
    conversations: Sequence[Conversation],
    classification_rows: Sequence[Mapping[str, Any]],
    actionable_types: Sequence[str] = DEFAULT_ACTIONABLE_TYPES,
) -> list[ThemeRequest]:
    """A request per successfully classified conversation whose final type is actionable, in the order of
    ``conversations`` (for whole lists in memory; pipeline steps stream ``theme_request_from_row``)."""
    actionable_types = check_actionable_types(actionable_types)
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


def _theme_from_row(row: Mapping[str, Any]) -> ThemeResult | None:
    """The engine's answer as stored on an earlier run's row (its own signature, before the rules)."""
    try:
        return ThemeResult(
            product_area=row["product_area"],
            component=row["component"],
            issue_signature=row["engine_issue_signature"],
            user_intent=row["user_intent"],
            symptoms=list(row["symptoms"] or []),
            affected_flow=row["affected_flow"],
            root_cause_hypothesis=row["root_cause_hypothesis"],
            matched_vocabulary=bool(row["matched_vocabulary"]),
        )
    except (KeyError, ValueError, TypeError):
        return None  # not a valid answer any more: ask the engine


def _row(
    engine: Engine, conversation_id: str, final_type: str, theme: ThemeResult | None, error: str | None
) -> dict[str, Any]:
    return {
        "conversation_id": conversation_id,
        "product_area": theme.product_area if theme else None,
        "component": theme.component if theme else None,
        "issue_signature": theme.issue_signature if theme else None,
        "user_intent": theme.user_intent if theme else None,
        "symptoms": list(theme.symptoms) if theme else None,
        "affected_flow": theme.affected_flow if theme else None,
        "root_cause_hypothesis": theme.root_cause_hypothesis if theme else None,
        "matched_vocabulary": theme.matched_vocabulary if theme else None,
        "final_type": final_type,
        "engine": engine.name,
        "model": engine.theme_model,
        "prompt_version": engine.prompt_version,
        "error": error,
    }


def _chunks(items: Iterable[ThemeRequest], size: int) -> Iterator[list[ThemeRequest]]:
    chunk: list[ThemeRequest] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def extract_themes(
    engine: Engine,
    requests: Iterable[ThemeRequest],
    *,
    taxonomy: Taxonomy | None = None,
    input_hash: Callable[[ThemeRequest], str] | None = None,
    reuse: Callable[[Mapping[str, str]], Mapping[str, Mapping[str, Any]]] | None = None,
) -> ThemeBatch:
    """Themes for ``requests`` (one run) with the signature rules applied; see the module docstring.

    ``requests`` is read once and may be a stream: of each request only its id and type are kept here
    (engines keep what they need), so a run's conversations never need to be in memory at once.

    ``input_hash(request)`` is stored on every row as ``input_hash``. ``reuse`` is called once per chunk of
    ``REUSE_CHUNK`` requests with their hashes (id → hash) and returns the earlier rows to copy (id → row
    with ``reused_from_run``; ``storage.reuse.find_reusable``): those requests are not sent to the engine,
    and the earlier row's own engine answer goes through the signature rules with the rest of the run.
    When every request is reused the engine is not called at all."""
    taxonomy = taxonomy or load_taxonomy()
    asked: list[tuple[str, str]] = []  # (conversation id, final type) in request order
    hashes: dict[str, str] = {}
    earlier: dict[str, tuple[ThemeOutcome, int]] = {}  # id → (copied answer, run it came from)

    def recorded() -> Iterator[ThemeRequest]:
        chunks = _chunks(requests, REUSE_CHUNK) if input_hash or reuse else ([request] for request in requests)
        for chunk in chunks:
            chunk_hashes = (
                {request.conversation.conversation_id: input_hash(request) for request in chunk} if input_hash else {}
            )
            hashes.update(chunk_hashes)
            found = reuse(chunk_hashes) if reuse and chunk_hashes else {}
            for request in chunk:
                conversation_id = request.conversation.conversation_id
                asked.append((conversation_id, request.final_type))
                row = found.get(conversation_id)
                theme = _theme_from_row(row) if row is not None else None
                if theme is not None:
                    earlier[conversation_id] = (
                        ThemeOutcome(conversation_id=conversation_id, theme=theme),
                        row["reused_from_run"],
                    )
                    continue
                yield request

    stream = recorded()
    first = next(stream, None)
    if first is None:
        result = EngineResult(outcomes=[])  # nothing to ask: the engine is not called
    else:
        result = engine.extract_themes(chain([first], stream))
    if not asked:
        return ThemeBatch(rows=[])
    expected = {conversation_id for conversation_id, _ in asked}
    outcomes: dict[str, ThemeOutcome] = {}
    for outcome in result.outcomes:
        if outcome.conversation_id in expected and outcome.conversation_id not in earlier:
            outcomes.setdefault(outcome.conversation_id, outcome)
    del expected
    reused_from = {conversation_id: run for conversation_id, (_, run) in earlier.items()}
    for conversation_id, (outcome, _) in earlier.items():
        outcomes[conversation_id] = outcome
    earlier.clear()

    ruled: dict[str, tuple[ThemeResult, str] | str] = {}  # id → (theme, signature) or error
    canonical: dict[tuple[str, str], str] = {}  # (signature, component) → canonical form, computed once
    for conversation_id, _ in asked:
        outcome = outcomes.pop(conversation_id, None)
        if outcome is None:
            ruled[conversation_id] = f"engine {engine.name} returned no theme for conversation {conversation_id}"
        elif outcome.error or outcome.theme is None:
            ruled[conversation_id] = outcome.error or f"engine {engine.name} returned neither a theme nor an error"
        else:
            theme = outcome.theme
            try:
                specific = make_specific(theme.issue_signature, component=theme.component, symptoms=theme.symptoms)
            except SignatureRejected as error:
                ruled[conversation_id] = str(error)
                continue
            key = (specific, theme.component)
            if key not in canonical:
                canonical[key] = canonicalise(specific, taxonomy.vocabulary, component=theme.component)[0]
            ruled[conversation_id] = (theme, canonical[key])
    engine_signatures: dict[str, str] = {
        conversation_id: value[0].issue_signature for conversation_id, value in ruled.items() if isinstance(value, tuple)
    }

    vocabulary = {entry.signature for entry in taxonomy.vocabulary}
    counts = Counter(value[1] for value in ruled.values() if isinstance(value, tuple))
    merged = merge_near_duplicates(counts, fixed=vocabulary & set(counts))

    rows = []
    failures = 0
    for conversation_id, final_type in asked:
        value = ruled.pop(conversation_id)
        if isinstance(value, str):
            failures += 1
            row = _row(engine, conversation_id, final_type, None, value)
            row["engine_issue_signature"] = None
        else:
            theme, signature = value
            final = merged[signature]
            if final != theme.issue_signature or theme.matched_vocabulary != (final in vocabulary):
                theme = theme.model_copy(update={"issue_signature": final, "matched_vocabulary": final in vocabulary})
            row = _row(engine, conversation_id, final_type, theme, None)
            row["engine_issue_signature"] = engine_signatures.get(conversation_id)
        row["input_hash"] = hashes.get(conversation_id)
        row["reused_from_run"] = reused_from.get(conversation_id)
        rows.append(row)
    return ThemeBatch(rows=rows, usage=result.usage, failures=failures, reused=len(reused_from))


def candidate_signatures(rows: Sequence[Mapping[str, Any]], min_group_size: int) -> dict[str, list[str]]:
    """Signature → its conversation ids (sorted), for the groups of at least ``min_group_size`` themed
    conversations (the ones that become candidate stories and may be reviewed)."""
    members: dict[str, list[str]] = {}
    for row in rows:
        if not row.get("error") and row.get("issue_signature"):
            members.setdefault(row["issue_signature"], []).append(row["conversation_id"])
    return {
        signature: sorted(ids) for signature, ids in sorted(members.items()) if len(ids) >= min_group_size
    }


def review_groups(
    engine: Engine,
    rows: list[dict[str, Any]],
    requests: Mapping[str, ThemeRequest],
    min_group_size: int,
) -> list[str]:
    """Let ``engine`` review each candidate group (``engine.review_story``) and apply its splits to the
    theme rows: the members of part N take the signature ``<signature>_part<N>``, members it did not place
    keep the signature. Themes carry the result, so the stories built from them and every check agree.
    ``requests`` holds the request of each candidate group's member. Returns what was decided."""
    notes: list[str] = []
    renamed: dict[str, str] = {}
    for signature, ids in candidate_signatures(rows, min_group_size).items():
        review = engine.review_story(signature, [requests[c] for c in ids])
        if review is None:
            continue
        if review.decision == "keep":
            notes.append(f"{signature}: kept ({review.reason})")
            continue
        placed = [c for group in review.groups for c in group]
        if not review.groups or not set(placed) <= set(ids) or len(placed) != len(set(placed)):
            notes.append(f"{signature}: split ignored, its groups are empty, overlap or name other conversations")
            continue
        parts = [group for group in review.groups if group]
        for number, group in enumerate(parts, 1):
            for conversation_id in group:
                renamed[conversation_id] = f"{signature}_part{number}"
        notes.append(f"{signature}: split into {len(parts)} ({review.reason})")
    for row in rows:
        if row["conversation_id"] in renamed:
            row["issue_signature"] = renamed[row["conversation_id"]]
            row["matched_vocabulary"] = False
    return notes
