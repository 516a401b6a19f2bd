"""Validated records that flow between the stages. Every engine (offline or Claude) returns these; a value
outside the contract's enumerations fails validation and becomes a recorded error, never a default."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

ConversationType = Literal[
    "product_issue",
    "how_to_question",
    "feature_request",
    "account_issue",
    "billing_question",
    "configuration_help",
    "general_inquiry",
    "spam",
]
Confidence = Literal["high", "medium", "low"]
Urgency = Literal["critical", "high", "normal", "low"]
Disambiguation = Literal["high", "medium", "low", "none"]
StoryStatus = Literal["candidate", "orphan"]

CONVERSATION_TYPES: tuple[str, ...] = ConversationType.__args__  # type: ignore[attr-defined]
DEFAULT_ACTIONABLE_TYPES: tuple[str, ...] = ("product_issue", "feature_request", "how_to_question")

SIGNATURE_PATTERN = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$")
SIGNATURE_MAX_CHARS = 80


class Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


CUSTOMER_AUTHOR_TYPES = frozenset({"user", "lead", "contact"})
"""Intercom author types that are the customer (not a teammate, bot or admin)."""


class Conversation(Record):
    """One normalised conversation (the ``conversations`` table minus run id and quality verdict)."""

    conversation_id: str = Field(min_length=1, max_length=64)
    source: str
    created_at: datetime
    updated_at: datetime
    author_type: str | None = None
    customer_id: str | None = Field(default=None, max_length=64)
    """The customer who wrote in (Intercom contact id, else the opening author's id): counts affected customers."""
    delivered_as: str | None = None
    subject: str | None = None
    body: str
    url: str | None = None
    support_messages: list[str] = Field(default_factory=list)
    customer_messages: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    language: str | None = None


class QualityVerdict(Record):
    passed: bool
    reason: str | None = None


class Stage1Result(Record):
    """Stage 1: the customer's message alone."""

    conversation_type: ConversationType
    confidence: Confidence
    urgency: Urgency
    key_signals: list[str] = Field(default_factory=list, max_length=10)
    routing_team: str = Field(min_length=1, max_length=64)
    auto_response_eligible: bool


class Stage2Judgement(Record):
    """Stage 2: the conversation with support's replies (runs only when support replied)."""

    conversation_type: ConversationType
    confidence: Confidence
    disambiguation_level: Disambiguation
    customer_said: str = Field(max_length=2000)
    support_revealed: str = Field(max_length=2000)
    support_insights: list[str] = Field(default_factory=list, max_length=10)


class Stage2Result(Stage2Judgement):
    """Stage 2: the conversation with support's replies (runs only when support replied)."""

    changed_from_stage1: bool
    """Derived by the engines (the type differs from stage 1's), never asked of a model."""


class ResolutionSignal(Record):
    """What support's replies say was done, detected deterministically from phrase lists."""

    action: str
    category: str
    suggested_type: ConversationType | None = None
    matched_phrase: str


class ThemeResult(Record):
    product_area: str = Field(min_length=1, max_length=64)
    component: str = Field(min_length=1, max_length=64)
    issue_signature: str
    user_intent: str = Field(min_length=1, max_length=500)
    symptoms: list[str] = Field(min_length=2, max_length=4)
    affected_flow: str = Field(min_length=1, max_length=500)
    root_cause_hypothesis: str = Field(min_length=1, max_length=1000)
    matched_vocabulary: bool

    @field_validator("issue_signature")
    @classmethod
    def _snake_case_signature(cls, value: str) -> str:
        if len(value) > SIGNATURE_MAX_CHARS or not SIGNATURE_PATTERN.fullmatch(value):
            raise ValueError(
                f"issue_signature {value!r} must be lowercase snake_case with at least two words "
                f"(feature_symptom), at most {SIGNATURE_MAX_CHARS} characters"
            )
        return value


class TokenUsage(Record):
    """Calls and tokens an engine spent; the offline engine reports calls only."""

    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    cost_usd: float = 0.0

    def __add__(self, other: "TokenUsage") -> "TokenUsage":
        return TokenUsage(
            calls=self.calls + other.calls,
            input_tokens=self.input_tokens + other.input_tokens,
            output_tokens=self.output_tokens + other.output_tokens,
            cache_read_tokens=self.cache_read_tokens + other.cache_read_tokens,
            cache_write_tokens=self.cache_write_tokens + other.cache_write_tokens,
            cost_usd=round(self.cost_usd + other.cost_usd, 6),
        )


class ClassificationOutcome(Record):
    """Stage 1 and (when support replied) stage 2 for one conversation, or the error that stopped it."""

    conversation_id: str
    stage1: Stage1Result | None = None
    stage2: Stage2Result | None = None
    error: str | None = None


class ThemeRequest(Record):
    """What theme extraction gets for one actionable conversation."""

    conversation: Conversation
    final_type: ConversationType
    urgency: Urgency | None = None
    resolution_action: str | None = None


class ThemeOutcome(Record):
    conversation_id: str
    theme: ThemeResult | None = None
    error: str | None = None


class StoryReview(Record):
    """Optional review of one signature group: keep it together or split it into sub-groups."""

    decision: Literal["keep", "split"]
    reason: str = ""
    groups: list[list[str]] = Field(default_factory=list)
