"""Cues and how they are matched: a cue (a weighted regex speaking for a type or an urgency level), a family
of cues (what the customer is doing), the helpers that build them from patterns, and ``CueSet``, which matches
many cues against one text cheaply."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from feedback_assets.engines.offline.cues.anchors import literal_anchors


@dataclass(frozen=True)
class Cue:
    label: str
    weight: float
    pattern: re.Pattern[str]
    kind: str
    """The conversation type or urgency level the cue speaks for."""
    anchors: tuple[str, ...] | None
    """Literal text any match starts with, one of these (None: unknown); lets most cues skip the regex."""
    family: str = ""
    """The cue family (what the customer is doing) a type cue belongs to."""
    topical: bool = False
    """Whether the cue names a thing (invoice, plan, password, settings): muted where the run's product
    vocabulary covers every content word it matched (``domain.vocabulary``)."""



@dataclass(frozen=True)
class CueFamily:
    """Cues for one thing a customer can be doing (asking how, reporting a defect, …), all for one type."""

    name: str
    kind: str
    """The conversation type its cues speak for."""
    doing: str
    cues: tuple[Cue, ...]



def weighted_cues(weight: float, *patterns: str, topical: bool = False) -> list[Cue]:
    """One cue per pattern, each matched as whole words, case-insensitively; its kind is set by
    ``cue_family`` or ``cue_set_by_kind``."""
    return [
        Cue(
            p,
            weight,
            re.compile(r"(?<!\w)(?:" + p + r")(?!\w)", re.IGNORECASE),
            "",
            literal_anchors(p),
            topical=topical,
        )
        for p in patterns
    ]


def cue_family(name: str, kind: str, doing: str, *groups: list[Cue]) -> CueFamily:
    """The family ``name``: every cue of ``groups``, speaking for ``kind``."""
    return CueFamily(
        name, kind, doing, tuple(replace(cue, kind=kind, family=name) for group in groups for cue in group)
    )


def cue_set_by_kind(table: dict[str, list[Cue]]) -> CueSet:
    """One ``CueSet`` of the cues of ``table``, each speaking for its key."""
    return CueSet([replace(cue, kind=kind) for kind, cues in table.items() for cue in cues])


_LEADING_WORD = re.compile(r"\w+")


class CueSet:
    """Many cues matched against one text cheaply: a cue's regex runs only when one of its anchors occurs,
    and an anchor is only looked for when a word of the text starts like it."""

    def __init__(self, cues: list[Cue]) -> None:
        self.cues = cues
        self._always: list[int] = []
        self._by_key: dict[str, list[tuple[str, int]]] = {}
        for number, cue in enumerate(cues):
            keys = []
            for anchor in cue.anchors or ():
                leading = _LEADING_WORD.match(anchor)
                if not leading:
                    break
                keys.append((leading.group(0)[:3], anchor))
            else:
                if cue.anchors:
                    for key, anchor in keys:
                        self._by_key.setdefault(key, []).append((anchor, number))
                    continue
            self._always.append(number)

    def matches(self, text: str, lowered: str | None = None) -> list[Cue]:
        """The cues found in ``text``, in their definition order."""
        lowered = text.lower() if lowered is None else lowered
        prefixes = {word[:3] for word in set(_LEADING_WORD.findall(lowered))}
        prefixes.update([prefix[:2] for prefix in prefixes] + [prefix[:1] for prefix in prefixes])
        candidates = set(self._always)
        for key in prefixes & self._by_key.keys():
            candidates.update(number for anchor, number in self._by_key[key] if anchor in lowered)
        return [self.cues[n] for n in sorted(candidates) if self.cues[n].pattern.search(text)]
