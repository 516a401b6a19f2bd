"""Classification of one run's conversations through any engine, as rows of the ``classifications`` table.

The engine answers stage 1 (and stage 2 where support replied); this module adds the deterministic
resolution signal, derives ``final_type`` (stage 2's type when stage 2 ran, else stage 1's) and turns every
engine failure — an error outcome, a missing or empty outcome — into a row with ``error`` set and no type.

A run is classified a chunk at a time (each conversation on its own, so the chunk never changes a result);
``ClassificationTally`` accumulates what the step reports — counts, distributions, token usage and the
failures — without keeping the rows. What a conversation's type may depend on beyond itself — the run's
product vocabulary (``domain.vocabulary``) — is decided over the whole run first (``run_vocabulary``, a
streamed pass) and handed to the engine (``prepare_engine``) before the first chunk.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

from feedback_assets.domain.models import ClassificationOutcome, Conversation, TokenUsage
from feedback_assets.domain.resolution import detect_resolution
from feedback_assets.domain.vocabulary import ProductVocabulary, TermCounts
from feedback_assets.engines.base import Engine


def run_vocabulary(chunks: Iterable[Sequence[Conversation]]) -> ProductVocabulary:
    """The product vocabulary of a run whose quality-passed conversations come in ``chunks`` (any size:
    only term counts are kept)."""
    counts = TermCounts()
    for chunk in chunks:
        for conversation in chunk:
            counts.add(conversation)
    return counts.vocabulary()


def reads_vocabulary(engine: Engine) -> bool:
    """Whether ``engine`` reads the run's product vocabulary (the offline engine does; the Claude engine
    does not: a model knows a product's nouns from its context) — so the streamed pass that decides it is
    made only when it is read."""
    return callable(getattr(engine, "prepare", None))


def prepare_engine(engine: Engine, vocabulary: ProductVocabulary) -> bool:
    """Give ``engine`` the run's product vocabulary when it reads one; False when it does not."""
    if not reads_vocabulary(engine):
        return False
    engine.prepare(vocabulary)  # type: ignore[attr-defined]
    return True


@dataclass
class ClassificationBatch:
    rows: list[dict[str, Any]]
    """One per input conversation, in input order; keys = the ``classifications`` columns minus the run id."""
    usage: TokenUsage = field(default_factory=TokenUsage)
    failures: int = 0
    reused: int = 0
    """Rows copied from an earlier run (``reused_from_run`` set) instead of asking the engine."""


_NONE = "(none)"


@dataclass
class ClassificationTally:
    """Running totals over the chunks of one run's classification (what the step's metadata shows)."""

    inputs: int = 0
    rows: int = 0
    failures: int = 0
    usage: TokenUsage = field(default_factory=TokenUsage)
    final_types: Counter = field(default_factory=Counter)
    """Over successful rows, like the urgency, type-change and resolution counters."""
    urgencies: Counter = field(default_factory=Counter)
    type_changes: Counter = field(default_factory=Counter)
    """(stage 1 type, stage 2 type) → count, where stage 2 changed the type."""
    resolutions: Counter = field(default_factory=Counter)
    failed_rows: list[dict[str, Any]] = field(default_factory=list)
    """``{conversation_id, error}`` of every failure (small; the failure policy and metadata name them)."""
    reused: int = 0
    reused_from: Counter = field(default_factory=Counter)
    """Earlier run id → rows copied from it."""

    def add(self, batch: "ClassificationBatch", inputs: int) -> None:
        """Count one chunk: its ``inputs`` conversations and the batch classified from them."""
        self.inputs += inputs
        self.rows += len(batch.rows)
        self.failures += batch.failures
        self.usage = self.usage + batch.usage
        self.reused += batch.reused
        for row in batch.rows:
            if row.get("reused_from_run") is not None:
                self.reused_from[row["reused_from_run"]] += 1
            if row.get("error"):
                self.failed_rows.append({"conversation_id": row["conversation_id"], "error": row["error"]})
                continue
            self.final_types[row.get("final_type") or _NONE] += 1
            self.urgencies[row.get("urgency") or _NONE] += 1
            if row.get("classification_changed"):
                self.type_changes[(row["stage1_type"], row["stage2_type"])] += 1
            if row.get("resolution_action"):
                self.resolutions[row["resolution_action"]] += 1


def _row(
    engine: Engine, conversation: Conversation, outcome: ClassificationOutcome | None, error: str | None
) -> dict[str, Any]:
    resolution = detect_resolution(conversation.support_messages)
    first = outcome.stage1 if outcome and not error else None
    second = outcome.stage2 if first else None
    return {
        "conversation_id": conversation.conversation_id,
        "stage1_type": first.conversation_type if first else None,
        "stage1_confidence": first.confidence if first else None,
        "urgency": first.urgency if first else None,
        "routing_team": first.routing_team if first else None,
        "auto_response_eligible": first.auto_response_eligible if first else None,
        "key_signals": list(first.key_signals) if first else None,
        "stage2_type": second.conversation_type if second else None,
        "stage2_confidence": second.confidence if second else None,
        "classification_changed": (
            (second.conversation_type != first.conversation_type) if second and first else None
        ),
        "disambiguation_level": second.disambiguation_level if second else None,
        "customer_said": second.customer_said if second else None,
        "support_revealed": second.support_revealed if second else None,
        "support_insights": list(second.support_insights) if second else None,
        "resolution_action": resolution.action if resolution else None,
        "resolution_category": resolution.category if resolution else None,
        "resolution_suggested_type": resolution.suggested_type if resolution else None,
        "final_type": (second or first).conversation_type if first else None,
        "engine": engine.name,
        "model": engine.classification_model,
        "prompt_version": engine.prompt_version,
        "error": error,
    }


def classify_conversations(
    engine: Engine,
    conversations: Sequence[Conversation],
    *,
    input_hashes: Mapping[str, str] | None = None,
    reused: Mapping[str, Mapping[str, Any]] | None = None,
) -> ClassificationBatch:
    """Classify ``conversations`` (one run) with ``engine``; see the module docstring.

    ``input_hashes`` (id → hash of what the engine reads) is stored on every row as ``input_hash``.
    ``reused`` (id → an earlier run's row, with ``reused_from_run``; ``storage.reuse.find_reusable``) is
    copied as it is for those conversations, which the engine is not asked about; when every conversation
    is reused the engine is not called at all."""
    if not conversations:
        return ClassificationBatch(rows=[])
    hashes = input_hashes or {}
    reused = reused or {}
    ask = [conversation for conversation in conversations if conversation.conversation_id not in reused]
    if not ask:
        rows = [
            {**reused[c.conversation_id], "input_hash": hashes.get(c.conversation_id)} for c in conversations
        ]
        return ClassificationBatch(rows=rows, reused=len(rows))
    result = engine.classify(ask)
    expected = {conversation.conversation_id for conversation in ask}
    outcomes: dict[str, ClassificationOutcome] = {}
    for outcome in result.outcomes:
        # The first outcome per id counts; outcomes for ids that were not asked about are ignored.
        if outcome.conversation_id in expected:
            outcomes.setdefault(outcome.conversation_id, outcome)
    rows = []
    failures = 0
    copied = 0
    for conversation in conversations:
        earlier = reused.get(conversation.conversation_id)
        if earlier is not None:
            copied += 1
            rows.append({**earlier, "input_hash": hashes.get(conversation.conversation_id)})
            continue
        outcome = outcomes.get(conversation.conversation_id)
        if outcome is None:
            error = (
                f"engine {engine.name} returned no outcome for conversation {conversation.conversation_id}"
            )
        elif outcome.error:
            error = outcome.error
        elif outcome.stage1 is None:
            error = f"engine {engine.name} returned neither a stage 1 result nor an error"
        else:
            error = None
        failures += error is not None
        row = _row(engine, conversation, outcome, error)
        row["input_hash"] = hashes.get(conversation.conversation_id)
        row["reused_from_run"] = None
        rows.append(row)
    return ClassificationBatch(rows=rows, usage=result.usage, failures=failures, reused=copied)
