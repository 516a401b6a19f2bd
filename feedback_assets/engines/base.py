"""The engine interface every implementation (offline, anthropic) satisfies, and the factory that picks one.

Engines work on whole batches (one pipeline run's conversations) so that an implementation can run its
calls concurrently (Claude) or group similar conversations across the run (offline). Outcomes come back
in input order, one per input, each either a validated record or an error string — never a default.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, Protocol, Sequence, TypeVar, runtime_checkable

from feedback_assets.domain.models import (
    ClassificationOutcome,
    Conversation,
    StoryReview,
    ThemeOutcome,
    ThemeRequest,
    TokenUsage,
)

ENGINE_NAMES = ("offline", "anthropic")

OutcomeT = TypeVar("OutcomeT")


@dataclass(frozen=True)
class EngineResult(Generic[OutcomeT]):
    outcomes: list[OutcomeT]
    usage: TokenUsage = field(default_factory=TokenUsage)


@runtime_checkable
class Engine(Protocol):
    name: str
    """``offline`` or ``anthropic``; stored in the ``engine`` column."""
    prompt_version: str
    """Stored on every row the engine produced (the offline engine versions its rules the same way)."""
    classification_model: str | None
    theme_model: str | None

    def classify(self, conversations: Sequence[Conversation]) -> EngineResult[ClassificationOutcome]:
        """Stage 1 for each conversation; stage 2 for those where support replied."""
        ...

    def extract_themes(self, requests: Sequence[ThemeRequest]) -> EngineResult[ThemeOutcome]:
        """Theme (area, component, signature, …) for each actionable conversation of one run."""
        ...

    def review_story(self, issue_signature: str, requests: Sequence[ThemeRequest]) -> StoryReview | None:
        """Optionally judge whether one signature group is one story; ``None`` means no opinion."""
        ...
