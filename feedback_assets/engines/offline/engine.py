"""The offline engine: deterministic, explainable rules; no network, no model download.

Types come from generic language cues (``cues``), stage 2 from support replies and the resolution signal
(``classifier``), themes from the taxonomy's vocabulary and within-run grouping (``themer``).
"""

from __future__ import annotations

import os
from typing import Sequence

from feedback_assets.domain.models import (
    ClassificationOutcome,
    Conversation,
    StoryReview,
    ThemeOutcome,
    ThemeRequest,
    TokenUsage,
)
from feedback_assets.domain.taxonomy import Taxonomy, load_taxonomy
from feedback_assets.engines.base import EngineResult
from feedback_assets.engines.offline import classifier, themer

PROMPT_VERSION = "offline-rules-2"  # bump when the rules change: rows record which rules made them


class OfflineEngine:
    """``OfflineEngine(taxonomy=None | path | Taxonomy, taxonomy_path=None, similarity_threshold=…)``.

    Without a taxonomy (or ``taxonomy_path``) the one ``load_taxonomy`` finds is used (FEEDBACK_TAXONOMY,
    else the bundled Crewline file).
    """

    name = "offline"
    prompt_version = PROMPT_VERSION
    classification_model: str | None = None
    theme_model: str | None = None

    def __init__(
        self,
        *,
        taxonomy: Taxonomy | str | os.PathLike[str] | None = None,
        taxonomy_path: str | os.PathLike[str] | None = None,
        similarity_threshold: float = themer.DEFAULT_SIMILARITY_THRESHOLD,
    ) -> None:
        if not 0.0 < similarity_threshold < 1.0:
            raise ValueError(
                f"similarity_threshold must be between 0 and 1 (exclusive), got {similarity_threshold}"
            )
        if taxonomy is not None and taxonomy_path is not None:
            raise ValueError("give taxonomy or taxonomy_path, not both")
        taxonomy = taxonomy if taxonomy is not None else taxonomy_path
        self.taxonomy = taxonomy if isinstance(taxonomy, Taxonomy) else load_taxonomy(taxonomy)
        self.similarity_threshold = similarity_threshold

    def classify(self, conversations: Sequence[Conversation]) -> EngineResult[ClassificationOutcome]:
        outcomes = []
        evaluations = 0
        for conversation in conversations:
            first, second = classifier.classify(conversation)
            evaluations += 1 if second is None else 2
            outcomes.append(
                ClassificationOutcome(
                    conversation_id=conversation.conversation_id, stage1=first, stage2=second
                )
            )
        return EngineResult(outcomes, TokenUsage(calls=evaluations))

    def extract_themes(self, requests: Sequence[ThemeRequest]) -> EngineResult[ThemeOutcome]:
        outcomes = themer.extract_themes(
            requests, self.taxonomy, similarity_threshold=self.similarity_threshold
        )
        return EngineResult(outcomes, TokenUsage(calls=len(outcomes)))

    def review_story(self, issue_signature: str, requests: Sequence[ThemeRequest]) -> StoryReview | None:
        return None  # grouping already is the offline engine's judgement; no second opinion to give
