"""The type cues as a whole: the tie-break order of types, every family in order, and the ``CueSet`` the
classifier matches (with or without some families, for ablation)."""

from __future__ import annotations

from feedback_assets.engines.offline.cues.families.about_vendor import ABOUT_VENDOR
from feedback_assets.engines.offline.cues.families.access import ACCESS
from feedback_assets.engines.offline.cues.families.asking_how import ASKING_HOW
from feedback_assets.engines.offline.cues.families.broken import BROKEN
from feedback_assets.engines.offline.cues.families.own_money import OWN_MONEY
from feedback_assets.engines.offline.cues.families.setup import SETUP
from feedback_assets.engines.offline.cues.families.spam import SPAM
from feedback_assets.engines.offline.cues.families.wish import WISH
from feedback_assets.engines.offline.cues.matching import Cue, CueFamily, CueSet

# Types in the order that breaks ties between equal scores: the more specific, more actionable reading first.
TYPE_PRIORITY: tuple[str, ...] = (
    "spam",
    "account_issue",
    "billing_question",
    "product_issue",
    "feature_request",
    "configuration_help",
    "how_to_question",
    "general_inquiry",
)


TYPE_CUE_FAMILIES: tuple[CueFamily, ...] = (BROKEN, ASKING_HOW, WISH, OWN_MONEY, ACCESS, SETUP, ABOUT_VENDOR, SPAM)
"""Every type cue, by what the customer is doing; ``type_cue_set(without=…)`` leaves families out
(``benchmarks/type_cue_ablation.py`` measures what each one buys)."""
FAMILY_NAMES: tuple[str, ...] = tuple(family.name for family in TYPE_CUE_FAMILIES)
TYPE_CUES: dict[str, list[Cue]] = {}
for _family_ in TYPE_CUE_FAMILIES:
    TYPE_CUES.setdefault(_family_.kind, []).extend(_family_.cues)

TYPE_CUE_SET = CueSet([cue for family in TYPE_CUE_FAMILIES for cue in family.cues])


def type_cue_set(without: frozenset[str] | set[str] | tuple[str, ...] = ()) -> CueSet:
    """The type cues minus the families named in ``without`` (for ablation); all of them by default."""
    unknown = set(without) - set(FAMILY_NAMES)
    if unknown:
        raise ValueError(f"unknown cue families {sorted(unknown)}; known: {', '.join(FAMILY_NAMES)}")
    if not without:
        return TYPE_CUE_SET
    return CueSet([cue for family in TYPE_CUE_FAMILIES if family.name not in without for cue in family.cues])
