"""Deterministic resolution detection: what support's replies say was done (refund processed, password
reset, bug confirmed, docs link sent, …), read from the phrase file ``data/resolution_phrases.json``.

Automatic acknowledgements (the file's ``auto_reply_markers``) are skipped. The first entry of the file with a
phrase in any other reply wins (the file lists decisive outcomes first). The result is stored on the
classification and is one of stage 2's inputs in the offline engine.
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
class Rules:
    resolutions: tuple["_Rule", ...]
    auto_reply: re.Pattern[str] | None


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


def load_rules(path: Path | str = PHRASES_PATH) -> Rules:
    """Parse and check a phrase file; errors name the file and the entry."""
    path = Path(path)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        entries = document["resolutions"]
        markers = [m for m in document.get("auto_reply_markers", []) if isinstance(m, str) and m.strip()]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
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
    return Rules(tuple(rules), _phrase_pattern(markers) if markers else None)


@lru_cache(maxsize=1)
def _default_rules() -> Rules:
    return load_rules()


def _normalised(message: str) -> str:
    return message.lower().replace("\u2019", "'")


def human_replies(support_messages: Sequence[str], *, rules: Rules | None = None) -> list[str]:
    """The support messages that are not automatic acknowledgements (lowercased, apostrophes straightened)."""
    marker = (rules or _default_rules()).auto_reply
    lowered = [_normalised(message) for message in support_messages]
    return [message for message in lowered if marker is None or not marker.search(message)]


def detect_resolution(
    support_messages: Sequence[str], *, rules: Rules | None = None
) -> ResolutionSignal | None:
    """The resolution support's (non-automatic) replies describe, or None when no phrase matches."""
    if not support_messages:
        return None
    if rules is None:
        return _detect_with_default_rules(tuple(support_messages))
    return _detect(support_messages, rules)


@lru_cache(maxsize=4096)
def _detect_with_default_rules(support_messages: tuple[str, ...]) -> ResolutionSignal | None:
    # Cached: the engine's stage 2 and the classification row ask about the same replies.
    return _detect(support_messages, _default_rules())


def _detect(support_messages: Sequence[str], rules: Rules) -> ResolutionSignal | None:
    text = "\n".join(human_replies(support_messages, rules=rules))
    for rule in rules.resolutions:
        match = rule.pattern.search(text)
        if match:
            return ResolutionSignal(
                action=rule.action,
                category=rule.category,
                suggested_type=rule.suggested_type,
                matched_phrase=" ".join(match.group(0).split()),
            )
    return None
