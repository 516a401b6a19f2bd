"""The four structured answers the engine asks Claude for, and what is derived from them in code.

The model is asked only for what needs judgement. Anything computable from what we already know is left out
of the answer schema and filled in here, so a model can never "fail" on an inconsistency we created by
asking: stage 2's ``changed_from_stage1`` is ``stage2.conversation_type != stage1.conversation_type``
(stored as ``classification_changed``).
"""

from __future__ import annotations

from typing import Sequence

from pydantic import ConfigDict

from feedback_assets.domain.models import (
    Stage1Result,
    Stage2Judgement,
    Stage2Result,
    StoryReview,
    ThemeResult,
)
from feedback_assets.engines.anthropic.structured import StructuredTask


# What stage 2 asks the model: the judgement without the derivable ``changed_from_stage1``. The schema keeps
# the title ``Stage2Result``; the description is what the model reads (the docstring becomes it).
class Stage2Answer(Stage2Judgement):
    """Stage 2: the conversation with support's replies (runs only when support replied)."""

    model_config = ConfigDict(frozen=True, extra="forbid", title="Stage2Result")


def stage2_result(stage1: Stage1Result, answer: Stage2Answer) -> Stage2Result:
    """The stored stage 2 record: the model's answer plus ``changed_from_stage1`` computed here."""
    return Stage2Result(
        **answer.model_dump(), changed_from_stage1=answer.conversation_type != stage1.conversation_type
    )


STAGE1_TASK = StructuredTask(
    "record_stage1_classification",
    "Record the stage 1 classification of the opening customer message.",
    Stage1Result,
)
STAGE2_TASK = StructuredTask(
    "record_stage2_classification", "Record the stage 2 classification of the conversation.", Stage2Answer
)
THEME_TASK = StructuredTask("record_theme", "Record the product theme of the conversation.", ThemeResult)
REVIEW_TASK = StructuredTask("record_story_review", "Record the review of one signature group.", StoryReview)


def review_consistent(conversation_ids: Sequence[str], review: StoryReview) -> str | None:
    """Why a review's groups do not partition the group's conversation ids (``None`` when they do)."""
    if review.decision == "keep":
        return None if not review.groups else "groups must be empty when decision is 'keep'"
    expected = sorted(conversation_ids)
    listed = sorted(conversation_id for group in review.groups for conversation_id in group)
    if len(review.groups) < 2 or any(not group for group in review.groups):
        return "a 'split' needs at least two non-empty groups"
    if listed != expected:
        unknown = sorted(set(listed) - set(expected))
        missing = sorted(set(expected) - set(listed))
        repeated = sorted({cid for cid in listed if listed.count(cid) > 1})
        return (
            "groups must contain every conversation id of the group exactly once "
            f"(unknown: {unknown[:5]}, missing: {missing[:5]}, repeated: {repeated[:5]})"
        )
    return None
