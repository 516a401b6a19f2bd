"""Urgency cues: phrases that make a message critical, high or low priority."""

from __future__ import annotations

from feedback_assets.engines.offline.cues.matching import Cue, cue_set_by_kind, weighted_cues

URGENCY_CUES: dict[str, list[Cue]] = {
    "critical": weighted_cues(
        3.0,
        r"urgent(?:ly)?",
        r"asap",
        r"emergency",
        r"(?:is|are|went|been|completely) down",
        r"outage",
        r"(?:all|none of) (?:our |my |the )?(?:users|team|people|customers|clients)",
        r"(?:nobody|no one|noone) (?:can|is able)",
        r"data loss|lost (?:all|our|my) data",
        r"security|breach|hacked|compromised",
        r"(?:can'?t|cannot) pay",
        r"immediately",
        r"critical",
        r"urgente|dringend|urgence",
    ),
    "high": weighted_cues(
        2.0,
        r"blocking|blocked|blocker",
        r"(?:can'?t|cannot) (?:work|do (?:my|our) job|operate|run)",
        r"today",
        r"deadline",
        r"as soon as possible",
        r"every (?:time|single|day)",
        r"(?:our|my) customers",
        r"losing (?:money|sales|revenue|customers)",
        r"(?:several|multiple|many) (?:users|people|customers|clients|times)",
        r"!!+",
        r"frustrat\w+",
        r"unacceptable",
        r"still (?:not|broken|waiting)",
    ),
    "low": weighted_cues(
        2.0,
        r"no rush",
        r"whenever (?:you|convenient)",
        r"not urgent",
        r"low priority",
        r"when you (?:get a|have " r"(?:a|the)) (?:chance|moment|minute)",
        r"just (?:curious|wondering)",
        r"nice to have",
    ),
}

URGENCY_CUE_SET = cue_set_by_kind(URGENCY_CUES)
