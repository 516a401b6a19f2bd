"""Offline theme extraction: known issues from the taxonomy's vocabulary, the rest grouped within the run.

1. Every request is read once (subject + opening message, instruction-like sentences removed) and placed in
   the taxonomy (area/component by keywords) and, when every match group of a vocabulary entry is found,
   tied to that known issue.
2. Requests of one conversation type are grouped by similarity: TF-IDF over word stems (everyday synonyms
   folded, ``text.fold_synonym``) and stem bigrams (plus the generic symptom each text mentions) joined
   with character 3–5-grams, terms of a single conversation left out, cosine similarity, mixed with the
   similarity of support's replies where both have one; average linkage cut at ``similarity_threshold``.
   Average-linkage clusters at a threshold lie inside the single-linkage components at that threshold, so
   the sparse graph of pairs above the threshold is split into components first and the (quadratic)
   linkage only runs inside each one.
3. Groups too small for a story may then join a large group of their type, or a how-to question a large
   group of defect reports (``grouped_by_type``): when their centroids are similar at the threshold and
   the small group is as close to the large one as the large group's loosest member is to the others.
4. Vocabulary matches keep their known issue. In a group of which at least a third matched, the other
   members take the group's most common known issue (they are differently worded reports of it). The rest
   of a group is named from the terms most of its members use plus its symptom (``feature_symptom``): the
   main symptom of the lexicon for product issues, ``_unclear`` for how-to questions, ``_not_supported``
   for feature requests.

Requests are processed in conversation-id order and every tie is broken by name or id, so the result is a
function of the set of requests, never of their order. Nothing here is specific to one product: the
taxonomy file is the only product knowledge.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse import csr_matrix, diags, hstack
from scipy.sparse.csgraph import connected_components
from scipy.spatial.distance import squareform
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.preprocessing import normalize

from feedback_assets.domain.models import ThemeOutcome, ThemeRequest, ThemeResult
from feedback_assets.domain.resolution import human_replies
from feedback_assets.domain.signatures import (
    GENERIC_WORDS,
    is_near_duplicate,
    normalise_signature,
    signature_problem,
)
from feedback_assets.domain.taxonomy import Placement, Taxonomy, VocabularyMatch
from feedback_assets.domain.text import (
    FAILS_SYMPTOM,
    FEATURE_REQUEST_SYMPTOM,
    FUNCTION_WORDS,
    HOW_TO_SYMPTOM,
    SYMPTOM_STEMS,
    StemIndex,
    Symptom,
    detect_symptoms,
    fold_synonym,
    WORD_PATTERN,
    most_common_symptom,
    stem,
    stems,
    truncate,
    without_instructions,
    without_letter_furniture,
    without_troubleshooting,
    words,
)

DEFAULT_SIMILARITY_THRESHOLD = 0.2
"""Average cosine similarity at which two groups of conversations are one issue."""
WORD_WEIGHT = 0.6
"""Share of the similarity from word stems (the rest from character n-grams, which absorb spelling and
inflection variants the stemmer misses)."""
PHRASE_WEIGHT = 0.3
"""Weight of two-word phrases relative to single words in similarity (names use them at full weight)."""
SYMPTOM_WEIGHT = 0.5
"""Weight of the generic symptom a text mentions: shared symptoms help, but never make one issue alone."""
SUPPORT_WEIGHT = 0.3
"""Share of the similarity from support's replies when both conversations have a substantive one."""
SUPPORT_MAX_SHARE = 0.1
"""Reply terms used in more than this share of the run's replies are pleasantries, not explanations."""
MIN_SHARED_LENGTH = 0.3
"""The least share of its length a conversation's vector is divided by once unshared terms are dropped."""
_BLOCK_ROWS = 512
_ABSORBING_FAMILY = {"how_to_question": "product_issue"}
"""Types whose small groups may join a large group of another type (see ``grouped_by_type``)."""
SMALL_GROUP_SIZE = 3
"""Groups below this size (the default story threshold: they would be orphans) may join a large group."""
UNMAPPED_AREA = "unmapped"
_NAME_CANDIDATES = 8

# Words that say nothing about which feature is affected: greetings, politeness, pronouns, time words and
# the generic vocabulary of support conversations.
_FILLER = frozenset("""
    hi hello hey thanks thank please pls help team regards best cheers sorry hope know let just need needs
    want like get got gets getting also really still would could us since today yesterday tomorrow morning
    afternoon evening week weeks day days time times month months year ago now right way thing things
    something anything everything someone anyone everyone guys folks appreciate possible able use using
    used try tried trying make made see seeing seen look looks looking said says say tell told asked ask
    question questions issue issues problem problems bug bugs support app application product account
    company business work works working worked going go goes went hi there ok okay yes yeah lot lots bit
    quick quickly actually basically currently anymore again via per etc thing mean means happen happens
    happened happening every single whole wrong error errors fail fails failed failing broken
    monday tuesday wednesday thursday friday saturday sunday weekend january february march april may june
    july august september october november december
    consider feature request requests option options ability wish love great nice awesome helpful useful
    plans roadmap idea ideally allow annoying annoyed frustrating frustrated happy unhappy unacceptable
    ridiculous bad worse terrible awful trust trusts confusing confused embarrassing honestly tbh lol
    urgent asap soon
    """.split()) | ENGLISH_STOP_WORDS | GENERIC_WORDS | frozenset().union(*FUNCTION_WORDS.values())


@dataclass
class _Doc:
    position: int
    request: ThemeRequest
    text: str
    index: StemIndex
    surface: dict[str, str]
    first_position: dict[str, int]
    content: list[str]
    proper: frozenset[str]
    """Stems written only Capitalised inside sentences: names of people, shops and places, mostly."""
    terms: list[str]
    support_terms: list[str]
    vocabulary: VocabularyMatch | None
    placement: Placement | None
    symptoms: list[Symptom]


@lru_cache(maxsize=65536)
def _ascii_slug(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if c.isascii() and c.isalnum()).lower()


_SENTENCE = re.compile(r"[^.!?\n]+")


def _proper_nouns(text: str) -> set[str]:
    """Lowercased words that appear only Capitalised and never first in a sentence (acronyms excepted)."""
    capitalised: set[str] = set()
    lowercase: set[str] = set()
    for sentence in _SENTENCE.findall(text):
        for number, word in enumerate(WORD_PATTERN.findall(sentence)):
            if word[0].isupper():
                if number and not word.isupper():
                    capitalised.add(word.lower())
            else:
                lowercase.add(word.lower())
    return capitalised - lowercase


def _content_words(text: str) -> list[tuple[str, str]]:
    """(word, stem) of the words that can say what a message is about: no filler, no numbers, no words
    without a Latin letter (they cannot appear in a snake_case name); everyday synonyms share a stem."""
    return [(word, term) for word in words(text) if (term := _content_stem(word))]


@lru_cache(maxsize=65536)
def _content_stem(word: str) -> str | None:
    if word in _FILLER or len(word) <= 1 or word.isdigit() or not _ascii_slug(word):
        return None
    word_stem = stem(word)
    return None if word_stem in _FILLER else fold_synonym(word_stem)


def _with_pairs(stems: list[str]) -> list[str]:
    return [*stems, *(f"{a} {b}" for a, b in zip(stems, stems[1:]) if a != b)]


def _reply_terms(support_messages: Sequence[str]) -> list[str]:
    """Stems and stem pairs of support's human replies (automatic acknowledgements and letter furniture
    removed)."""
    terms: list[str] = []
    for reply in human_replies(support_messages):
        terms += _with_pairs([word_stem for _, word_stem in _content_words(without_letter_furniture(reply))])
    return terms


def _read(position: int, request: ThemeRequest, taxonomy: Taxonomy) -> _Doc:
    conversation = request.conversation
    body = without_letter_furniture(without_instructions(conversation.body))
    text = " ".join(filter(None, (without_instructions(conversation.subject or ""), body)))
    index = StemIndex.of(text)
    proper = _proper_nouns(text)
    surface: dict[str, str] = {}
    first_position: dict[str, int] = {}
    content: list[str] = []
    proper_stems: set[str] = set()
    # Symptom words name the suffix, not the feature.
    for word, word_stem in _content_words(text):
        if word_stem in SYMPTOM_STEMS:
            continue
        surface.setdefault(word_stem, word)
        first_position.setdefault(word_stem, len(content))
        content.append(word_stem)
        if word in proper:
            proper_stems.add(word_stem)
    # Symptoms from what happens, not from what the customer already tried ("logged out and back in").
    tried_removed = without_troubleshooting(text)
    symptoms = detect_symptoms(index if tried_removed == text else StemIndex.of(tried_removed))
    terms = _with_pairs(content) + [f"__symptom_{symptom.token}" for symptom in symptoms]
    return _Doc(
        position=position,
        request=request,
        text=text,
        index=index,
        surface=surface,
        first_position=first_position,
        content=content,
        proper=frozenset(proper_stems),
        terms=terms,
        support_terms=_reply_terms(conversation.support_messages),
        vocabulary=taxonomy.match_vocabulary(index, request.final_type),
        placement=taxonomy.place(index),
        symptoms=symptoms,
    )


@dataclass(frozen=True)
class _Space:
    """Where similarity is measured: the customer's words (stems, phrases at a lower weight, symptoms,
    character n-grams) and, when both conversations have one, support's own reply (agents answer one issue
    with the same explanation, however differently customers describe it)."""

    customer: csr_matrix
    support: csr_matrix
    has_support: np.ndarray

    def similarity(self, rows: Sequence[int], columns: Sequence[int]) -> np.ndarray:
        values = (self.customer[rows] @ self.customer[columns].T).toarray()
        rows_with = np.flatnonzero(self.has_support[rows])
        columns_with = np.flatnonzero(self.has_support[columns])
        if len(rows_with) and len(columns_with):
            block = np.ix_(rows_with, columns_with)
            replies = (
                self.support[np.asarray(rows)[rows_with]] @ self.support[np.asarray(columns)[columns_with]].T
            )
            values[block] = (1 - SUPPORT_WEIGHT) * values[block] + SUPPORT_WEIGHT * replies.toarray()
        return values

    def within(self, rows: Sequence[int]) -> float:
        """Mean similarity of every ordered pair of ``rows`` (themselves included): a group's cohesion."""
        return float(self.similarity(rows, rows).mean())


def _space(docs: Sequence[_Doc]) -> tuple[_Space, csr_matrix, list[str]]:
    """(the similarity space, word-term rows for naming, word-term names)."""
    word_vectoriser = TfidfVectorizer(analyzer=_terms, sublinear_tf=True, dtype=np.float32)
    word_rows = word_vectoriser.fit_transform(docs).tocsr()
    names = list(word_vectoriser.get_feature_names_out())
    # Phrases name a group well but, being rarer, would drown the shared single words in similarity.
    column_weights = np.array(
        [PHRASE_WEIGHT if " " in name else SYMPTOM_WEIGHT if name.startswith("__") else 1.0 for name in names]
    )
    similarity_words = _shared_part(word_rows @ diags(column_weights))
    char_source = [" ".join(doc.surface[term] for term in doc.content) for doc in docs]
    if any(char_source):
        char_vectoriser = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, dtype=np.float32
        )
        char_rows = _shared_part(char_vectoriser.fit_transform(char_source))
        customer = hstack([similarity_words * np.sqrt(WORD_WEIGHT), char_rows * np.sqrt(1 - WORD_WEIGHT)])
    else:
        customer = similarity_words
    support = csr_matrix((len(docs), 1))
    replied = [doc for doc in docs if doc.support_terms]
    if len(replied) >= 2:
        # Pleasantries every agent writes ("thanks for reaching out") say nothing about the issue: terms in
        # more than SUPPORT_MAX_SHARE of the replies are dropped, as are terms of a single reply.
        try:
            support = TfidfVectorizer(
                analyzer=_support_terms,
                sublinear_tf=True,
                min_df=2,
                max_df=SUPPORT_MAX_SHARE,
                dtype=np.float32,
            ).fit_transform(docs)
        except ValueError:  # no term left
            pass
    support = normalize(support).tocsr()
    has_support = np.asarray(support.getnnz(axis=1) > 0)
    return _Space(customer.tocsr(), support, has_support), word_rows, names


def _shared_part(rows: csr_matrix) -> csr_matrix:
    """``rows`` without the terms only one conversation uses, normalised so the shared terms carry a
    conversation's similarity: a term of one conversation cannot make it similar to any other, it only
    dilutes what it shares (typos, names, numbers). A conversation that shares little keeps part of its
    length (``MIN_SHARED_LENGTH``), so a few accidental shared letters do not make it similar to anything."""
    shared = (np.asarray((rows > 0).sum(axis=0)).ravel() >= 2).astype(np.float32)
    kept = rows @ diags(shared)
    full_length = np.sqrt(np.asarray(rows.multiply(rows).sum(axis=1)).ravel())
    kept_length = np.sqrt(np.asarray(kept.multiply(kept).sum(axis=1)).ravel())
    length = np.maximum(kept_length, MIN_SHARED_LENGTH * full_length)
    return (diags(1.0 / np.where(length > 0, length, 1.0)) @ kept).tocsr()


def _terms(doc: _Doc) -> list[str]:
    return doc.terms


def _support_terms(doc: _Doc) -> list[str]:
    return doc.support_terms


@dataclass(frozen=True)
class _Cluster:
    rows: list[int]
    """Sorted rows of the space."""
    closeness: np.ndarray | None = None
    """Each member's mean similarity to the other members (rows order); kept for clusters of
    SMALL_GROUP_SIZE and more, which average linkage formed."""
    cohesion: float = 1.0
    """Mean similarity over all ordered pairs of members, themselves included (the squared length of the
    centroid)."""


def cluster(space: _Space, rows: Sequence[int], threshold: float) -> list[_Cluster]:
    """Average-linkage clusters (similarity ≥ threshold) of ``rows``, ordered by their first row. Pairs
    above the threshold are found a block of rows at a time, so memory stays linear."""
    rows = list(rows)
    if not rows:
        return []
    graph_rows, graph_columns = [], []
    for start in range(0, len(rows), _BLOCK_ROWS):
        # Similarity is symmetric: each block is compared with itself and the rows after it only.
        block = rows[start : start + _BLOCK_ROWS]
        above = np.argwhere(space.similarity(block, rows[start:]) >= threshold)
        graph_rows.append(above[:, 0] + start)
        graph_columns.append(above[:, 1] + start)
    edges = np.concatenate(graph_rows), np.concatenate(graph_columns)
    graph = csr_matrix((np.ones(len(edges[0])), edges), shape=(len(rows), len(rows)))
    _, component_of = connected_components(graph, directed=False)
    members: dict[int, list[int]] = defaultdict(list)
    for index, component in enumerate(component_of):
        members[component].append(rows[index])
    clusters: list[_Cluster] = []
    for component_rows in members.values():
        if len(component_rows) <= 2:
            clusters.append(_Cluster(component_rows))  # two rows in one component are similar enough
            continue
        similarities = space.similarity(component_rows, component_rows)
        condensed = np.clip(1.0 - squareform(similarities, checks=False), 0.0, 2.0)
        labels = fcluster(linkage(condensed, method="average"), t=1.0 - threshold, criterion="distance")
        grouped: dict[int, list[int]] = defaultdict(list)
        for index, label in enumerate(labels):
            grouped[int(label)].append(index)  # component rows are sorted, so members stay in row order
        for indexes in grouped.values():
            members_rows = [component_rows[index] for index in indexes]
            if len(indexes) < SMALL_GROUP_SIZE:
                clusters.append(_Cluster(members_rows))
                continue
            block = similarities[np.ix_(indexes, indexes)]
            closeness = (block.sum(axis=1) - block.diagonal()) / (len(indexes) - 1)
            clusters.append(_Cluster(members_rows, closeness, float(block.mean())))
    return sorted(clusters, key=lambda found: found.rows[0])


def _absorb_small_groups(
    space: _Space, groups: Sequence[_Cluster], threshold: float
) -> tuple[dict[int, list[int]], list[int]]:
    """Which groups too small for a story join a large one: ({large group number: small group numbers
    joining it}, small group numbers left alone). Group numbers index ``groups``.

    A small group joins the large group whose centroid its own is most similar to, when that centroid
    similarity reaches ``threshold`` and the small group's mean similarity to the large group's members is
    at least that of the large group's loosest member to the other members. Average linkage compares a
    short report with every member of a group, each with its own incidental words; a centroid averages
    those out, and the loosest member says how differently the group's own reports are worded. Every small
    group is compared with the large groups as average linkage left them (never with one grown in this
    pass), so the result depends on no order.
    """
    large = [number for number, group in enumerate(groups) if group.closeness is not None]
    small = [number for number, group in enumerate(groups) if group.closeness is None]
    if not large or not small:
        return {}, small
    large_rows = [row for number in large for row in groups[number].rows]
    large_sizes = np.array([len(groups[number].rows) for number in large])
    large_starts = np.concatenate([[0], np.cumsum(large_sizes)[:-1]])
    # Cosine between centroids from mean similarities: mean(a·b) / sqrt(mean(a·a') · mean(b·b')).
    cohesion = np.array([groups[number].cohesion for number in large])
    loosest = np.array([groups[number].closeness.min() for number in large])
    to_large = np.empty((len(small), len(large)))
    own = np.empty(len(small))
    chunk: list[int] = []
    for position, number in enumerate([*small, None]):
        rows_in_chunk = sum(len(groups[small[i]].rows) for i in chunk)
        if chunk and (number is None or rows_in_chunk + len(groups[number].rows) > _BLOCK_ROWS):
            chunk_rows = [row for i in chunk for row in groups[small[i]].rows]
            sizes = [len(groups[small[i]].rows) for i in chunk]
            per_large = np.add.reduceat(space.similarity(chunk_rows, large_rows), large_starts, axis=1)
            per_small = np.add.reduceat(per_large, np.concatenate([[0], np.cumsum(sizes)[:-1]]), axis=0)
            to_large[chunk] = per_small / (np.array(sizes)[:, None] * large_sizes[None, :])
            chunk = []
        if number is not None:
            chunk.append(position)
            own[position] = space.within(groups[number].rows)
    centroid_similarity = to_large / np.sqrt(np.maximum(own[:, None] * cohesion[None, :], 1e-12))
    joining: dict[int, list[int]] = defaultdict(list)
    alone: list[int] = []
    for position, number in enumerate(small):
        best = int(np.argmax(centroid_similarity[position]))  # ties: the large group listed first
        if centroid_similarity[position, best] >= threshold and to_large[position, best] >= loosest[best]:
            joining[large[best]].append(number)
        else:
            alone.append(number)
    return joining, alone


def grouped_by_type(space: _Space, docs: Sequence[_Doc], threshold: float) -> dict[str, list[list[int]]]:
    """Each conversation type's groups of rows (sorted, ordered by first row).

    Types are clustered apart, then groups too small for a story may join a large group of their type's
    family (``_ABSORBING_FAMILY``): a defect report and a how-to question are often one issue seen from two
    sides ("the export button does nothing" / "how do I export?"), and a single misread report should not
    leave its issue. A joined group takes the large group's type for its name.
    """
    by_type: dict[str, list[int]] = defaultdict(list)
    for doc in docs:
        by_type[doc.request.final_type].append(doc.position)
    clustered = {final_type: cluster(space, rows, threshold) for final_type, rows in sorted(by_type.items())}
    families: dict[str, list[str]] = defaultdict(list)
    for final_type in clustered:
        families[_ABSORBING_FAMILY.get(final_type, final_type)].append(final_type)
    result: dict[str, list[list[int]]] = defaultdict(list)
    for members in families.values():
        groups = [(final_type, found) for final_type in members for found in clustered[final_type]]
        groups.sort(key=lambda item: item[1].rows[0])
        joining, _ = _absorb_small_groups(space, [found for _, found in groups], threshold)
        absorbed = {small for smalls in joining.values() for small in smalls}
        for number, (final_type, found) in enumerate(groups):
            if number in absorbed:
                continue
            joined = [row for small in joining.get(number, ()) for row in groups[small][1].rows]
            result[final_type].append(sorted(found.rows + joined))
    return {final_type: sorted(groups, key=lambda rows: rows[0]) for final_type, groups in result.items()}


@dataclass(frozen=True)
class _Name:
    feature: tuple[str, ...]
    alternatives: tuple[str, ...]
    symptom: Symptom
    final_type: str


def _suffix(final_type: str, docs: Sequence[_Doc]) -> Symptom:
    if final_type == "feature_request":
        return FEATURE_REQUEST_SYMPTOM
    if final_type == "how_to_question":
        return HOW_TO_SYMPTOM
    found = most_common_symptom([doc.symptoms for doc in docs])
    if found is not None:
        return found
    return FAILS_SYMPTOM  # a defect report that names no symptom still says something does not work


def _name(group: Sequence[_Doc], word_rows: csr_matrix, names: list[str], final_type: str) -> _Name:
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
            parts.append(_ascii_slug(word))
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
    return _Name(feature, alternatives, _suffix(final_type, group), final_type)


def _signature(feature: Sequence[str], symptom: Symptom) -> str:
    return normalise_signature("_".join([*feature, symptom.token]))


def _key_sentence(doc: _Doc, feature: Sequence[str]) -> str:
    sentences = [s.strip() for s in doc.text.replace("!", ".").replace("?", ".").split(".") if s.strip()]
    feature_stems = {stem(part) for term in feature for part in term.split("_")}
    for sentence in sentences:
        if feature_stems.intersection(stems(sentence)):
            return truncate(sentence, 160)
    return truncate(sentences[0], 160) if sentences else truncate(doc.text, 160)


def _placement(group: Sequence[_Doc]) -> Placement | None:
    totals: Counter[tuple[str, str]] = Counter()
    for doc in group:
        if doc.placement:
            totals[(doc.placement.product_area, doc.placement.component)] += doc.placement.score
    if not totals:
        return None
    (area, component), score = min(totals.items(), key=lambda item: (-item[1], item[0]))
    return Placement(area, component, score)


_INTENTS = {
    "product_issue": "Get {feature} working correctly: {symptom}",
    "feature_request": "Have the product support {feature}",
    "how_to_question": "Find out how to use {feature}",
}


def _group_themes(
    group: Sequence[_Doc], name: _Name, signature: str, taxonomy: Taxonomy
) -> list[ThemeResult]:
    """The themes of one named group: shared area, component, intent and hypothesis; per-conversation
    symptoms (the group's symptom, the conversation's own, and its key sentence)."""
    placement = _placement(group)
    feature_text = " ".join(name.feature).replace("_", " ") or "this feature"
    area = placement.product_area if placement else UNMAPPED_AREA
    component = (
        placement.component
        if placement
        else (normalise_signature(name.feature[0]) if name.feature else "") or UNMAPPED_AREA
    )
    description = taxonomy.component_description(component)
    intent = _INTENTS.get(name.final_type, "Resolve {feature} ({symptom})").format(
        feature=feature_text, symptom=name.symptom.description
    )
    flow = f"{area} › {component}: {description}" if description else f"Flows involving {feature_text}"
    cause = f"{name.symptom.root_cause[0].upper()}{name.symptom.root_cause[1:]} ({feature_text})."
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


def _vocabulary_theme(entry_match: VocabularyMatch) -> ThemeResult:
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


def extract_themes(
    requests: Sequence[ThemeRequest],
    taxonomy: Taxonomy,
    *,
    similarity_threshold: float = DEFAULT_SIMILARITY_THRESHOLD,
) -> list[ThemeOutcome]:
    """One outcome per request, in input order (see the module docstring)."""
    order = sorted(range(len(requests)), key=lambda i: requests[i].conversation.conversation_id)
    docs = [_read(position, requests[i], taxonomy) for position, i in enumerate(order)]
    themes: dict[int, ThemeResult] = {}
    if docs:
        space, word_rows, names = _space(docs)
        taken: set[str] = {entry.signature for entry in taxonomy.vocabulary}
        for final_type, rows_of_groups in sorted(grouped_by_type(space, docs, similarity_threshold).items()):
            groups = [[docs[row] for row in rows] for rows in rows_of_groups]
            # Bigger groups choose their name first; ties by first conversation id.
            groups.sort(key=lambda group: (-len(group), group[0].position))
            for group in groups:
                matches = [doc.vocabulary for doc in group if doc.vocabulary]
                for doc in group:
                    if doc.vocabulary:
                        themes[doc.position] = _vocabulary_theme(doc.vocabulary)
                rest = [doc for doc in group if not doc.vocabulary]
                if not rest:
                    continue
                if len(matches) * 3 >= len(group):
                    counts = Counter(match.entry.signature for match in matches)
                    adopted = min(
                        matches,
                        key=lambda m: (-counts[m.entry.signature], taxonomy.vocabulary.index(m.entry)),
                    )
                    for doc in rest:
                        themes[doc.position] = _vocabulary_theme(adopted)
                    continue
                name = _name(rest, word_rows, names, final_type)
                signature = _free_signature(name, taken, rest)
                taken.add(signature)
                for doc, theme in zip(rest, _group_themes(rest, name, signature, taxonomy)):
                    themes[doc.position] = theme
    outcomes = {
        order[doc.position]: ThemeOutcome(
            conversation_id=doc.request.conversation.conversation_id, theme=themes[doc.position]
        )
        for doc in docs
    }
    return [outcomes[index] for index in range(len(requests))]


def _free_signature(name: _Name, taken: set[str], group: Sequence[_Doc]) -> str:
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


def _fallback_feature(group: Sequence[_Doc]) -> tuple[str, ...]:
    placement = _placement(group)
    return (placement.component,) if placement else ("unidentified", "feature")
