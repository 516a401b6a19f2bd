"""How the offline themer names a group of conversations and writes its themes.

A group is named by its feature words — the heaviest term (mean TF-IDF) most of its members use, plus a nearly
as heavy second one, spelled as customers spell them — and a suffix from its type and symptoms (the main
symptom of the lexicon for product issues, ``_unclear`` for how-to questions, ``_not_supported`` for feature
requests). ``free_signature`` adds a distinctive term when that name is (nearly) taken by a bigger group;
``group_themes`` writes each member's theme (area and component from the taxonomy's keywords, the story
title, the member's own symptoms and key sentence). A member is anything with the few attributes ``Member``
lists (the themer's reading of a request).

Pure: no Dagster.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol, Sequence

import numpy as np
from scipy.sparse import csr_matrix

from feedback_assets.domain.models import ThemeResult
from feedback_assets.domain.signatures import is_near_duplicate, normalise_signature, signature_problem
from feedback_assets.domain.taxonomy import Placement, Taxonomy, VocabularyMatch
from feedback_assets.domain.symptoms import (
    FAILS_SYMPTOM,
    FEATURE_REQUEST_SYMPTOM,
    HOW_TO_SYMPTOM,
    Symptom,
    most_common_symptom,
)
from feedback_assets.domain.text import stem, stems, truncate
from feedback_assets.domain.titles import story_title

UNMAPPED_AREA = "unmapped"
_NAME_CANDIDATES = 8


class Member(Protocol):
    """What naming reads of one conversation of a group."""

    position: int
    """Row of the conversation in the run's term matrix."""
    text: str
    surface: dict[str, str]
    """Stem → the word the customer wrote for it."""
    first_position: dict[str, int]
    proper: frozenset[str]
    placement: Placement | None
    symptoms: list[Symptom]


@lru_cache(maxsize=65536)
def ascii_slug(word: str) -> str:
    """``word`` as lowercase ASCII letters and digits (accents dropped, other characters removed)."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if c.isascii() and c.isalnum()).lower()


@dataclass(frozen=True)
class GroupName:
    feature: tuple[str, ...]
    alternatives: tuple[str, ...]
    symptom: Symptom
    final_type: str


def _suffix(final_type: str, docs: Sequence[Member]) -> Symptom:
    if final_type == "feature_request":
        return FEATURE_REQUEST_SYMPTOM
    if final_type == "how_to_question":
        return HOW_TO_SYMPTOM
    found = most_common_symptom([doc.symptoms for doc in docs])
    if found is not None:
        return found
    return FAILS_SYMPTOM  # a defect report that names no symptom still says something does not work


def name_group(group: Sequence[Member], word_rows: csr_matrix, names: list[str], final_type: str) -> GroupName:
    """Feature words: the group's heaviest term (mean TF-IDF) among those at least half of its conversations
    use (a lone conversation: among the words it does not write as a proper name), plus the next one when
    it is nearly as heavy, in the order customers write them; the suffix comes from the type and symptoms."""
    rows = word_rows[[doc.position for doc in group]]
    weights = np.asarray(rows.mean(axis=0)).ravel()
    used_by = np.asarray((rows > 0).sum(axis=0)).ravel()
    terms = [i for i in np.flatnonzero(weights) if not names[i].startswith("__")]
    if len(group) > 1:
        eligible = [i for i in terms if used_by[i] >= max(2, math.ceil(len(group) / 2))]
    else:
        eligible = [i for i in terms if not set(names[i].split()) <= group[0].proper]
    heaviest = sorted(eligible or terms, key=lambda i: (-round(float(weights[i]), 9), names[i]))[
        :_NAME_CANDIDATES
    ]
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    positions: dict[str, list[int]] = defaultdict(list)
    for doc in group:
        for term_stem, word in doc.surface.items():
            spellings[term_stem][word] += 1
        for term_stem, position in doc.first_position.items():
            positions[term_stem].append(position)

    def spelled(term: str) -> str:
        parts = []
        for part in term.split(" "):
            options = spellings.get(part)
            word = min(options, key=lambda w: (-options[w], len(w), w)) if options else part
            parts.append(ascii_slug(word))
        return "_".join(part for part in parts if part)

    ranked = [(names[i], spelled(names[i]), float(weights[i])) for i in heaviest]
    ranked = [item for item in ranked if len(item[1]) > 1]
    chosen = ranked[:1]
    if ranked and " " not in ranked[0][0]:
        top_term, _, top_weight = ranked[0]
        close = [item for item in ranked[1:] if item[2] >= 0.6 * top_weight]
        # A nearly as heavy phrase containing the top word names the feature better ("tip pool" > "pool").
        phrase = next((item for item in close if top_term in item[0].split()), None)
        other = next((item for item in close if " " not in item[0]), None)
        if phrase:
            chosen = [phrase]
        elif other:
            chosen.append(other)

    def reading_order(item: tuple[str, str, float]) -> tuple[float, str]:
        seen = positions.get(item[0].split()[0], [])
        return (sum(seen) / len(seen) if seen else math.inf, item[0])

    feature = tuple(spelling for _, spelling, _ in sorted(chosen, key=reading_order))
    alternatives = tuple(spelling for _, spelling, _ in ranked if spelling not in feature)[:4]
    return GroupName(feature, alternatives, _suffix(final_type, group), final_type)


def _signature(feature: Sequence[str], symptom: Symptom) -> str:
    return normalise_signature("_".join([*feature, symptom.token]))


def _key_sentence(doc: Member, feature: Sequence[str]) -> str:
    sentences = [s.strip() for s in doc.text.replace("!", ".").replace("?", ".").split(".") if s.strip()]
    feature_stems = {stem(part) for term in feature for part in term.split("_")}
    for sentence in sentences:
        if feature_stems.intersection(stems(sentence)):
            return truncate(sentence, 160)
    return truncate(sentences[0], 160) if sentences else truncate(doc.text, 160)


def _placement(group: Sequence[Member]) -> Placement | None:
    totals: Counter[tuple[str, str]] = Counter()
    for doc in group:
        if doc.placement:
            totals[(doc.placement.product_area, doc.placement.component)] += doc.placement.score
    if not totals:
        return None
    (area, component), score = min(totals.items(), key=lambda item: (-item[1], item[0]))
    return Placement(area, component, score)


def group_themes(
    group: Sequence[Member], name: GroupName, signature: str, taxonomy: Taxonomy
) -> list[ThemeResult]:
    """The themes of one named group: shared area, component, intent and hypothesis; per-conversation
    symptoms (the group's symptom, the conversation's own, and its key sentence)."""
    placement = _placement(group)
    feature_text = " ".join(name.feature).replace("_", " ")
    area = placement.product_area if placement else UNMAPPED_AREA
    component = (
        placement.component
        if placement
        else (normalise_signature(name.feature[0]) if name.feature else "") or UNMAPPED_AREA
    )
    description = taxonomy.component_description(component)
    intent = story_title(
        name.final_type,
        component=placement.component if placement else None,
        feature=feature_text,
        symptom=name.symptom.description,
        customer_texts=(doc.text for doc in group[:50]),
    )
    subject = feature_text or component.replace("_", " ")
    flow = f"{area} › {component}: {description}" if description else f"Flows involving {subject}"
    cause = f"{name.symptom.root_cause[0].upper()}{name.symptom.root_cause[1:]} ({subject})."
    themes = []
    for doc in group:
        symptoms = [name.symptom.description]
        symptoms += [s.description for s in doc.symptoms if s.description not in symptoms][:2]
        symptoms.append(f'customer: "{_key_sentence(doc, name.feature)}"')
        themes.append(
            ThemeResult(
                product_area=area[:64],
                component=component[:64],
                issue_signature=signature,
                user_intent=intent[:500],
                symptoms=symptoms,
                affected_flow=flow[:500],
                root_cause_hypothesis=cause[:1000],
                matched_vocabulary=False,
            )
        )
    return themes


def vocabulary_theme(entry_match: VocabularyMatch) -> ThemeResult:
    entry = entry_match.entry
    return ThemeResult(
        product_area=entry.product_area,
        component=entry.component,
        issue_signature=entry.signature,
        user_intent=entry.user_intent,
        symptoms=entry.symptoms[:4],
        affected_flow=entry.affected_flow,
        root_cause_hypothesis=entry.root_cause_hypothesis,
        matched_vocabulary=True,
    )


def free_signature(name: GroupName, taken: set[str], group: Sequence[Member]) -> str:
    """The group's signature, with one more distinctive term when the plain one is (nearly) taken."""
    feature = name.feature or _fallback_feature(group)
    candidates = [feature, *((*feature, extra) for extra in name.alternatives)]
    signatures = [_signature(candidate, name.symptom) for candidate in candidates]
    valid = [s for s in signatures if not signature_problem(s)]
    valid = valid or [_signature(("unidentified", "feature"), name.symptom)]
    for signature in valid:
        if not any(signature == other or is_near_duplicate(signature, other) for other in taken):
            return signature
    return valid[0]  # every variant collides: the groups share a name and will form one story


def _fallback_feature(group: Sequence[Member]) -> tuple[str, ...]:
    placement = _placement(group)
    return (placement.component,) if placement else ("unidentified", "feature")
