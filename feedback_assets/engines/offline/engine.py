"""The offline engine: deterministic, explainable rules; no network, no model download.

Types come from generic language cues (``cues``) read against the run's product vocabulary
(``domain.vocabulary``: give it as ``product_vocabulary=`` or through ``prepare``), stage 2 from support
replies and the resolution signal (``classifier``), themes from the taxonomy's vocabulary and within-run
grouping (``themer``). A per-product type model fitted on labels (``feedback_assets.calibration``), stored as
``<taxonomy stem>.model.json`` beside the taxonomy, is used when present: it then decides each type and its
probability, and ``prompt_version`` names it (``offline-rules-6+model-<hash8>``).
"""

from __future__ import annotations

import logging
import os
import warnings
from pathlib import Path
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
from feedback_assets.calibration import MODEL_ENV, OFF_VALUES, ModelError, TypeModel, model_path_for
from feedback_assets.engines.base import EngineResult
from feedback_assets.engines.offline import classifier, scores, themer
from feedback_assets.engines.offline.cues import type_cue_set

PROMPT_VERSION = "offline-rules-6"  # bump when the rules change: rows record which rules made them
ABLATIONS = ("shape", "resolution", "vocabulary")
"""Parts besides the cue families that ``disabled=`` can switch off (for the ablation benchmark)."""

log = logging.getLogger(__name__)


def find_model(
    model: TypeModel | str | os.PathLike[str] | bool | None, taxonomy: Taxonomy
) -> TypeModel | None:
    """The type model the engine uses. ``False``: none. A ``TypeModel`` or a path: that one (a path that does
    not load raises ``ModelError``). ``None``: ``$FEEDBACK_OFFLINE_MODEL`` (``off`` = none, a path = that
    file, which must load), else ``<taxonomy stem>.model.json`` beside the taxonomy when it exists — a file
    found there that cannot be used (corrupt, other rules or features) is skipped with a warning and the rules
    decide alone: the offline engine is the fallback that must keep working."""
    if model is False:
        return None
    if isinstance(model, TypeModel):
        return _checked(model, "the given model")
    if model is None or model is True:
        configured = os.environ.get(MODEL_ENV, "").strip()
        if configured.lower() in OFF_VALUES:
            return None
        if configured:
            model = configured
        else:
            if taxonomy.path is None:
                return None
            beside = model_path_for(taxonomy.path)
            if not beside.is_file():
                return None
            try:
                return TypeModel.load(beside, rules_version=PROMPT_VERSION, features=scores.FEATURES)
            except ModelError as error:
                message = f"offline engine: {error}; classifying with the rules alone"
                log.warning(message)
                warnings.warn(message, RuntimeWarning, stacklevel=3)
                return None
    return TypeModel.load(Path(model), rules_version=PROMPT_VERSION, features=scores.FEATURES)


def _checked(model: TypeModel, where: str) -> TypeModel:
    if model.rules_version != PROMPT_VERSION or model.features != scores.FEATURES:
        raise ModelError(
            f"{where} was fitted against rules {model.rules_version!r} and {len(model.features)} features; the "
            f"engine runs {PROMPT_VERSION!r} with {len(scores.FEATURES)}"
        )
    return model


class OfflineEngine:
    """``OfflineEngine(taxonomy=None | path | Taxonomy, taxonomy_path=None, similarity_threshold=…,
    product_vocabulary=None, model=None)``.

    Without a taxonomy (or ``taxonomy_path``) the one ``load_taxonomy`` finds is used (FEEDBACK_TAXONOMY,
    else the bundled Crewline file). ``product_vocabulary`` is the run's (``domain.vocabulary``, decided
    over the whole run before classifying it, so chunks do not change results); without one no cue is
    muted. ``disabled`` names cue families (``cues.FAMILY_NAMES``) or ``ABLATIONS`` to switch off — for
    measuring what each buys, never in a pipeline run. ``model``: see ``find_model`` (default: the one
    beside the taxonomy, unless ``FEEDBACK_OFFLINE_MODEL=off``; ``False``: rules only).
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
        model: TypeModel | str | os.PathLike[str] | bool | None = None,
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
        self.model = find_model(model, self.taxonomy)
        if self.model is not None:
            self.prompt_version = f"{PROMPT_VERSION}+model-{self.model.digest}"
        self.prepare(product_vocabulary or EMPTY_VOCABULARY)

    def prepare(self, product_vocabulary: ProductVocabulary) -> None:
        """Classify from now on with ``product_vocabulary`` (the whole run's, see ``domain.vocabulary``)."""
        self.product_vocabulary = product_vocabulary
        self._rules = classifier.Rules(
            vocabulary=EMPTY_VOCABULARY if "vocabulary" in self.disabled else product_vocabulary,
            cue_set=self._cue_set,
            use_shape="shape" not in self.disabled,
            use_resolution="resolution" not in self.disabled,
            model=self.model,
        )

    @property
    def rules(self) -> classifier.Rules:
        """What classifications read besides the conversation (vocabulary, model, ablations)."""
        return self._rules

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
