"""Issue-signature rules, applied to every engine's themes (offline or Claude) after extraction.

1. Form: lowercase snake_case, ``feature_symptom`` (two words at least), at most 80 characters.
2. Generic forms are made specific or rejected: ``*_question``, ``general_*`` and bare ``*_issue`` /
   ``*_problem`` / ``*_bug`` lose their generic words and get a symptom instead: ``_unclear`` for a question,
   else the symptom the theme's symptoms describe (``login_issue`` + "users are logged out every hour" →
   ``login_logged_out``). Without one, two or more feature words remain the signature; with less the
   signature is rejected (a recorded theme error, never a default).
3. Canonicalisation against the taxonomy's vocabulary: a signature, one of its aliases, or the same words
   in another order or inflection (``swaps_shift_stuck`` → ``shift_swap_stuck``) becomes the known one.
4. Near-duplicates within one run are merged (same word stems, or ≥ 80 % stem overlap between signatures
   of four or more words). The representative is the most frequent signature, then the shortest, then the
   alphabetically first: a function of the run's set of themes only, never of processing order.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Collection, Iterable, Mapping, Protocol, Sequence

from feedback_assets.domain.models import SIGNATURE_MAX_CHARS, SIGNATURE_PATTERN
from feedback_assets.domain.symptoms import HOW_TO_SYMPTOM, main_symptom
from feedback_assets.domain.text import StemIndex, stem


class KnownIssue(Protocol):
    """What ``canonicalise`` reads of a taxonomy vocabulary entry (the taxonomy module depends on this one,
    not the other way round)."""

    signature: str
    aliases: Collection[str]
    component: str | None

GENERIC_SUFFIXES = frozenset(
    {
        "issue",
        "issues",
        "problem",
        "problems",
        "bug",
        "bugs",
        "trouble",
        "inquiry",
        "enquiry",
        "feedback",
        "misc",
        "other",
        "question",
        "questions",
    }
)
GENERIC_WORDS = GENERIC_SUFFIXES | {
    "general",
    "generic",
    "miscellaneous",
    "unknown",
    "various",
    "support",
    "help",
}
QUESTION_SUFFIXES = frozenset({"question", "questions"})
VOCABULARY_SIMILARITY = 0.75
"""Stem overlap (Jaccard) at which a signature of the same component is read as a vocabulary entry."""
NEAR_DUPLICATE_SIMILARITY = 0.8
"""Stem overlap at which two run signatures of four or more words are one."""


class SignatureRejected(ValueError):
    """A signature that is generic and cannot be made specific; the message names it."""


def normalise_signature(raw: str) -> str:
    """Lowercase snake_case: non-alphanumerics become "_", runs collapse, cut to the length limit at a
    word."""
    value = re.sub(r"[^a-z0-9]+", "_", raw.lower()).strip("_")
    value = re.sub(r"^[0-9_]+", "", value)  # must start with a letter
    if len(value) > SIGNATURE_MAX_CHARS:
        value = value[:SIGNATURE_MAX_CHARS].rsplit("_", 1)[0]
    return value


def is_generic(signature: str) -> bool:
    tokens = signature.split("_")
    return (
        tokens[-1] in GENERIC_SUFFIXES
        or tokens[0] == "general"
        or all(token in GENERIC_WORDS for token in tokens)
    )


@lru_cache(maxsize=4096)
def signature_problem(signature: str) -> str | None:
    """Why ``signature`` breaks the rules (form or genericity), or None when it is fine."""
    if len(signature) > SIGNATURE_MAX_CHARS or not SIGNATURE_PATTERN.fullmatch(signature):
        return (
            f"signature {signature!r} is not lowercase snake_case feature_symptom "
            f"(two words at least, at most {SIGNATURE_MAX_CHARS} characters)"
        )
    if is_generic(signature):
        return f"signature {signature!r} is generic (*_question, general_*, bare *_issue)"
    return None


def make_specific(signature: str, *, component: str, symptoms: Sequence[str]) -> str:
    """A rule-abiding form of ``signature`` (see the module docstring), or ``SignatureRejected``."""
    normalised = normalise_signature(signature)
    if normalised and not signature_problem(normalised):
        return normalised
    tokens = [token for token in normalised.split("_") if token]
    feature = [token for token in tokens if token not in GENERIC_WORDS]
    if not feature:
        feature = [token for token in normalise_signature(component).split("_") if token not in GENERIC_WORDS]
    if tokens and tokens[-1] in QUESTION_SUFFIXES:
        symptom = HOW_TO_SYMPTOM
    else:
        symptom = main_symptom([StemIndex.of(" ".join(symptoms))])
    if symptom is not None and feature and feature[-1] != symptom.token:
        feature.append(symptom.token)
    candidate = normalise_signature("_".join(feature))
    problem = signature_problem(candidate) if candidate else "nothing specific left"
    if problem:
        raise SignatureRejected(
            f"generic signature {signature!r} could not be made specific "
            f"(component {component!r}, symptoms {list(symptoms)!r}): {problem}"
        )
    return candidate


@lru_cache(maxsize=4096)
def stem_set(signature: str) -> frozenset[str]:
    return frozenset(stem(token) for token in signature.split("_") if token)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def _near_duplicate_stems(a: frozenset[str], b: frozenset[str]) -> bool:
    return a == b or (min(len(a), len(b)) >= 4 and _jaccard(a, b) >= NEAR_DUPLICATE_SIMILARITY)


def is_near_duplicate(first: str, second: str) -> bool:
    """Whether two signatures name one issue (same stems, or ≥ 80 % overlap at four words or more)."""
    return _near_duplicate_stems(stem_set(first), stem_set(second))


def canonicalise(
    signature: str, vocabulary: Sequence[KnownIssue], *, component: str | None = None
) -> tuple[str, bool]:
    """``(signature, matched_vocabulary)``: the vocabulary signature (a taxonomy's ``vocabulary``) this one
    stands for, if any."""
    stems = stem_set(signature)
    best: tuple[float, int] | None = None
    found: str | None = None
    for position, entry in enumerate(vocabulary):
        if signature == entry.signature or signature in entry.aliases:
            return entry.signature, True
        similarity = _jaccard(stems, stem_set(entry.signature))
        if similarity < 1.0 and (component != entry.component or similarity < VOCABULARY_SIMILARITY):
            continue
        rank = (similarity, -position)
        if best is None or rank > best:
            best, found = rank, entry.signature
    return (found, True) if found else (signature, False)


def merge_near_duplicates(counts: Mapping[str, int], *, fixed: Iterable[str] = ()) -> dict[str, str]:
    """Map each signature of a run to its group's representative (itself when it has no near-duplicate).

    ``counts`` is how many themes carry each signature; ``fixed`` signatures (the vocabulary) are never
    renamed, and a group containing one takes it as representative.
    """
    fixed_set = set(fixed)
    names = sorted(counts)
    stems = {name: stem_set(name) for name in names}
    parent = {name: name for name in names}

    def root(name: str) -> str:
        while parent[name] != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    by_stems: dict[frozenset[str], list[str]] = {}
    for name in names:
        by_stems.setdefault(stems[name], []).append(name)
    for group in by_stems.values():
        for other in group[1:]:
            parent[root(other)] = root(group[0])
    long_names = [name for name in names if len(stems[name]) >= 4]
    for i, first in enumerate(long_names):
        for second in long_names[i + 1 :]:
            if _near_duplicate_stems(stems[first], stems[second]):
                parent[root(second)] = root(first)

    members: dict[str, list[str]] = {}
    for name in names:
        members.setdefault(root(name), []).append(name)
    mapping: dict[str, str] = {}
    for group in members.values():
        fixed_members = [name for name in group if name in fixed_set]
        for name in group:
            if name in fixed_set:
                mapping[name] = name  # vocabulary entries never merge with each other
            elif fixed_members:
                mapping[name] = min(fixed_members, key=lambda f: (-_jaccard(stems[name], stems[f]), f))
            else:
                mapping[name] = min(group, key=lambda member: (-counts[member], len(member), member))
    return mapping
