"""The offline engine: deterministic, explainable rules; no network, no model download.

Types come from generic language cues (``cues``) read against the run's product vocabulary
(``domain.vocabulary``: give it as ``product_vocabulary=`` or through ``prepare``), stage 2 from support
replies and the resolution signal (``classifier``), themes from the taxonomy's vocabulary and within-run
grouping (``themer``).
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
from feedback_assets.domain.vocabulary import EMPTY_VOCABULARY, ProductVocabulary
from feedback_assets.engines.base import EngineResult
from feedback_assets.engines.offline import classifier, themer
from feedback_assets.engines.offline.cues import type_cue_set

PROMPT_VERSION = "offline-rules-3"  # bump when the rules change: rows record which rules made them
ABLATIONS = ("shape", "resolution", "vocabulary")
"""Parts besides the cue families that ``disabled=`` can switch off (for the ablation benchmark)."""


class OfflineEngine:
    """``OfflineEngine(taxonomy=None | path | Taxonomy, taxonomy_path=None, similarity_threshold=…,
    product_vocabulary=None)``.

    Without a taxonomy (or ``taxonomy_path``) the one ``load_taxonomy`` finds is used (FEEDBACK_TAXONOMY,
    else the bundled Crewline file). ``product_vocabulary`` is the run's (``domain.vocabulary``, decided
    over the whole run before classifying it, so chunks do not change results); without one no cue is
    muted. ``disabled`` names cue families (``cues.FAMILY_NAMES``) or ``ABLATIONS`` to switch off — for
    measuring what each buys, never in a pipeline run.
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
        product_vocabulary: ProductVocabulary | None = None,
        disabled: tuple[str, ...] | frozenset[str] = (),
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
        self.disabled = frozenset(disabled)
        self._cue_set = type_cue_set(self.disabled - set(ABLATIONS))
        self.prepare(product_vocabulary or EMPTY_VOCABULARY)

    def prepare(self, product_vocabulary: ProductVocabulary) -> None:
        """Classify from now on with ``product_vocabulary`` (the whole run's, see ``domain.vocabulary``)."""
        self.product_vocabulary = product_vocabulary
        self._rules = classifier.Rules(
            vocabulary=EMPTY_VOCABULARY if "vocabulary" in self.disabled else product_vocabulary,
            cue_set=self._cue_set,
            use_shape="shape" not in self.disabled,
            use_resolution="resolution" not in self.disabled,
        )

    def classify(self, conversations: Sequence[Conversation]) -> EngineResult[ClassificationOutcome]:
        outcomes = []
        evaluations = 0
        for conversation in conversations:
            first, second = classifier.classify(conversation, self._rules)
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
