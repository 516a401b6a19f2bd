"""Generic language cues for the offline engine: which phrases point to which conversation type, and which
make a message urgent.

Nothing here is about a particular product: type cues are organised in families by what the customer is
doing (``TYPE_CUE_FAMILIES``): reporting that something broke, asking how, asking for something new, asking
about their own charges or plan, having an account or access problem, setting something up, asking about the
vendor, and spam (English first, the most common phrasings in Spanish, French, German and Portuguese after).
No cue quotes the sample generator's phrase pools or fits one bundled product. Cues that name a thing
(``Cue.topical``: invoice, plan, password, settings) are muted where the run's own product vocabulary
covers them (``domain.vocabulary``); a bare money noun is weak evidence, money talk about the customer's own
account with the vendor strong. Each cue has a weight; a type's score is the sum of the weights of its
distinct cues found in the text. ``fallback_type`` reads the shape of a message no cue
speaks for. Every cue is indexed by literal words each of its matches contains (``anchors``), so a
message only runs the regexes of cues whose words it has.

Modules: ``matching`` (``Cue``, ``CueFamily``, ``CueSet``), ``anchors`` (a pattern's literal words),
``families/`` (one module per type cue family), ``type_cues`` (all families, ``type_cue_set``),
``urgency``, ``message_shape`` (``fallback_type``, links, gibberish). Everything is re-exported here.
"""

from __future__ import annotations

from feedback_assets.engines.offline.cues.matching import Cue, CueFamily, CueSet
from feedback_assets.engines.offline.cues.message_shape import (
    GIBBERISH_SHARE,
    URL_PATTERN,
    fallback_type,
    looks_like_gibberish,
)
from feedback_assets.engines.offline.cues.type_cues import (
    FAMILY_NAMES,
    TYPE_CUE_FAMILIES,
    TYPE_CUE_SET,
    TYPE_CUES,
    TYPE_PRIORITY,
    type_cue_set,
)
from feedback_assets.engines.offline.cues.urgency import URGENCY_CUE_SET, URGENCY_CUES

__all__ = [
    "FAMILY_NAMES",
    "GIBBERISH_SHARE",
    "TYPE_CUES",
    "TYPE_CUE_FAMILIES",
    "TYPE_CUE_SET",
    "TYPE_PRIORITY",
    "URGENCY_CUES",
    "URGENCY_CUE_SET",
    "URL_PATTERN",
    "Cue",
    "CueFamily",
    "CueSet",
    "fallback_type",
    "looks_like_gibberish",
    "type_cue_set",
]
