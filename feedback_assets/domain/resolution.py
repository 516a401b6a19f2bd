"""Deterministic resolution detection: what support's replies say was done (refund processed, password
reset, bug confirmed, docs link sent, …), read from the phrase file ``data/resolution_phrases.json``.

The first entry of the file with a phrase in any reply wins (the file lists decisive outcomes first). The
result is stored on the classification and is one of stage 2's inputs in the offline engine.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from feedback_assets.domain.models import CONVERSATION_TYPES, ResolutionSignal

PHRASES_PATH = Path(__file__).resolve().parent / "data" / "resolution_phrases.json"


@dataclass(frozen=True)
class _Rule:
    action: str
    category: str
    suggested_type: str | None
    pattern: re.Pattern[str]


def _phrase_pattern(phrases: Sequence[str]) -> re.Pattern[str]:
    alternatives = sorted(
        (r"\s+".join(re.escape(word) for word in phrase.lower().split()) for phrase in phrases),
        key=len,
        reverse=True,  # longest first, so the reported phrase is the most specific one
    )
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")


def load_rules(path: Path | str = PHRASES_PATH) -> tuple[_Rule, ...]:
    """Parse and check a phrase file; errors name the file and the entry."""
    path = Path(path)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        entries = document["resolutions"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ValueError(f"{path}: not a resolution phrase file ({error})") from error
    rules = []
    for number, entry in enumerate(entries):
        where = f"{path}: resolutions[{number}]"
        if not isinstance(entry, dict) or not {"action", "category", "phrases"} <= entry.keys():
            raise ValueError(f"{where} needs action, category and phrases")
        suggested = entry.get("suggested_type")
        if suggested is not None and suggested not in CONVERSATION_TYPES:
            raise ValueError(f"{where} ({entry['action']}): unknown suggested_type {suggested!r}")
        phrases = [p for p in entry["phrases"] if isinstance(p, str) and p.strip()]
        if not phrases:
            raise ValueError(f"{where} ({entry['action']}): no phrases")
        rules.append(_Rule(entry["action"], entry["category"], suggested, _phrase_pattern(phrases)))
    return tuple(rules)


@lru_cache(maxsize=1)
def _default_rules() -> tuple[_Rule, ...]:
    return load_rules()


def detect_resolution(
    support_messages: Sequence[str], *, rules: Sequence[_Rule] | None = None
) -> ResolutionSignal | None:
    """The resolution support's replies describe, or None when no phrase matches."""
    if not support_messages:
        return None
    text = "\n".join(support_messages).lower().replace("\u2019", "'")
    for rule in rules if rules is not None else _default_rules():
        match = rule.pattern.search(text)
        if match:
            return ResolutionSignal(
                action=rule.action,
                category=rule.category,
                suggested_type=rule.suggested_type,
                matched_phrase=" ".join(match.group(0).split()),
            )
    return None
