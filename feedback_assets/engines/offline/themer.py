"""Offline theme extraction: known issues from the taxonomy's vocabulary, the rest grouped within the run.

1. Every request is read once (subject + opening message, instruction-like sentences removed) and placed in
   the taxonomy (area/component by keywords) and, when every match group of a vocabulary entry is found,
   tied to that known issue.
2. Each request becomes vectors (``_space``): TF-IDF over word stems (everyday synonyms folded,
   ``text.fold_synonym``) and stem bigrams (plus the generic symptom each text mentions) joined with
   character 3–5-grams, terms of a single conversation left out; beside them a dense vector of what the
   words mean (``word_vectors``: static word vectors weighted by rarity in the run, ``MEANING_WEIGHT`` of
   the similarity), so one issue in different words still comes close; support's human reply apart.
3. ``grouping`` groups requests of one conversation type by average-linkage similarity at
   ``similarity_threshold`` in near-linear time, and lets groups too small for a story join a large group
   of their family (how-to questions may join defect reports).
4. Vocabulary matches keep their known issue. In a group of which at least a third matched, the other
   members take the group's most common known issue (they are differently worded reports of it). The rest
   of a group is named (``naming``) from the terms most of its members use plus its symptom: the
   main symptom of the lexicon for product issues, ``_unclear`` for how-to questions, ``_not_supported``
   for feature requests.

Requests are processed in conversation-id order and every tie is broken by name or id, so the result is a
function of the set of requests, never of their order. Nothing here is specific to one product: the
taxonomy file is the only product knowledge.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

import numpy as np
from scipy.sparse import csr_matrix, diags, hstack
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.preprocessing import normalize

from feedback_assets.engines.offline import word_vectors
from feedback_assets.engines.offline.grouping import Space, grouped_by_type
from feedback_assets.engines.offline.naming import (
    ascii_slug,
    free_signature,
    group_themes,
    name_group,
    vocabulary_theme,
)
from feedback_assets.domain.models import ThemeOutcome, ThemeRequest, ThemeResult
from feedback_assets.domain.resolution import human_replies
from feedback_assets.domain.signatures import GENERIC_WORDS
from feedback_assets.domain.taxonomy import Placement, Taxonomy, VocabularyMatch
from feedback_assets.domain.symptoms import SYMPTOM_STEMS, Symptom, detect_symptoms
from feedback_assets.domain.text import (
    FUNCTION_WORDS,
    StemIndex,
    fold_synonym,
    WORD_PATTERN,
    stem,
    without_instructions,
    without_letter_furniture,
    without_troubleshooting,
    words,
)

DEFAULT_SIMILARITY_THRESHOLD = 0.13
"""Average cosine similarity at which two groups of conversations are one issue (lower than with words
alone: a meaning vector adds similarity between reports of one issue worded differently)."""
MEANING_WEIGHT = 0.4
"""Share of the similarity from what the customer's words mean (``word_vectors``); the rest is the words
themselves (stems, phrases, character n-grams)."""
WORD_WEIGHT = 0.6
"""Share of the similarity from word stems (the rest from character n-grams, which absorb spelling and
inflection variants the stemmer misses)."""
PHRASE_WEIGHT = 0.3
"""Weight of two-word phrases relative to single words in similarity (names use them at full weight)."""
SYMPTOM_WEIGHT = 0.5
"""Weight of the generic symptom a text mentions: shared symptoms help, but never make one issue alone."""
SUPPORT_MAX_SHARE = 0.1
"""Reply terms used in more than this share of the run's replies are pleasantries, not explanations."""
MIN_SHARED_LENGTH = 0.3
"""The least share of its length a conversation's vector is divided by once unshared terms are dropped."""
_ABSORBING_FAMILY = {"how_to_question": "product_issue"}
"""Types whose small groups may join a large group of another type (see ``grouped_by_type``)."""

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
    """.split()) | frozenset(
    # The same for the other languages customers write in: function words, greetings and thanks, so two
    # Spanish messages about different issues are not similar for sharing "hola ... este ... gracias".
    """
    hola gracias saludos buenos buenas dias días este esta estos estas ese esa eso pero muy también ya hay
    tengo tiene todo todos todas nada desde hace cuando como cómo porque qué alguien algo sigue otra otro
    olá ola obrigado obrigada está estão isso esse essa mas muito já tem tenho toda nada quando porque
    depois antes ainda agradeço desde
    bonjour merci cordialement ce cette ces cet mais très aussi déjà il elle ils nous depuis quand comme
    parce tout tous toutes rien après avant encore avez avons suis sont était fait
    hallo danke grüße gruß viele dieser diese dieses aber sehr auch schon es ihr seit wenn wie weil
    alle nichts nach vor noch haben habe hat bin sind war wurde können kann bitte
    ciao grazie questo questa ma molto anche già ho ha sono stato
    bedankt groeten deze maar ook al heb heeft zijn was
    """.split()
) | ENGLISH_STOP_WORDS | GENERIC_WORDS | frozenset().union(*FUNCTION_WORDS.values())


@dataclass
class _Doc:
    """What grouping and naming need of one request (the request itself is not kept: a run may hold
    hundreds of thousands). ``content``, ``terms`` and ``support_terms`` are emptied once vectorised."""

    position: int
    """Rank of the conversation id in the run (the order every tie is broken by)."""
    input_index: int
    conversation_id: str
    final_type: str
    text: str
    surface: dict[str, str]
    first_position: dict[str, int]
    content: list[str]
    proper: frozenset[str]
    """Stems written only Capitalised inside sentences: names of people, shops and places, mostly."""
    terms: list[str]
    support_terms: list[str]
    meaning_words: list[int]
    """Word-vector rows of the message's content words (``word_vectors``)."""
    vocabulary: VocabularyMatch | None
    placement: Placement | None
    symptoms: list[Symptom]


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


def _content_words(tokens: Iterable[str]) -> list[tuple[str, str]]:
    """(word, stem) of the words (``words(text)``) that can say what a message is about: no filler, no
    numbers, no words without a Latin letter (they cannot appear in a snake_case name); everyday synonyms
    share a stem."""
    return [(word, term) for word in tokens if (term := _content_stem(word))]


@lru_cache(maxsize=65536)
def _content_stem(word: str) -> str | None:
    if word in _FILLER or len(word) <= 1 or word.isdigit() or not ascii_slug(word):
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
        terms += _with_pairs([word_stem for _, word_stem in _content_words(words(without_letter_furniture(reply)))])
    return terms


def _read(position: int, request: ThemeRequest, taxonomy: Taxonomy, vectors: word_vectors.WordVectors) -> _Doc:
    conversation = request.conversation
    body = without_letter_furniture(without_instructions(conversation.body))
    text = " ".join(filter(None, (without_instructions(conversation.subject or ""), body)))
    index = StemIndex.of(text)
    tokens = words(text)
    proper = _proper_nouns(text)
    surface: dict[str, str] = {}
    first_position: dict[str, int] = {}
    content: list[str] = []
    proper_stems: set[str] = set()
    # Symptom words name the suffix, not the feature.
    for word, word_stem in _content_words(tokens):
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
        input_index=position,
        conversation_id=conversation.conversation_id,
        final_type=request.final_type,
        text=text,
        surface=surface,
        first_position=first_position,
        content=content,
        proper=frozenset(proper_stems),
        terms=terms,
        support_terms=_reply_terms(conversation.support_messages),
        meaning_words=vectors.ids(word for word in tokens if word not in _FILLER and not word.isdigit()),
        vocabulary=taxonomy.match_vocabulary(index, request.final_type),
        placement=taxonomy.place(index),
        symptoms=symptoms,
    )


def _space(docs: Sequence[_Doc], vectors: word_vectors.WordVectors) -> tuple[Space, csr_matrix, list[str]]:
    """(the similarity space, word-term rows for naming, word-term names)."""
    word_vectoriser = TfidfVectorizer(analyzer=_terms, sublinear_tf=True, dtype=np.float32)
    word_rows = word_vectoriser.fit_transform(docs).tocsr()
    names = list(word_vectoriser.get_feature_names_out())
    # Phrases name a group well but, being rarer, would drown the shared single words in similarity.
    column_weights = np.array(
        [PHRASE_WEIGHT if " " in name else SYMPTOM_WEIGHT if name.startswith("__") else 1.0 for name in names]
    )
    similarity_words = _shared_part(word_rows @ diags(column_weights))
    words_share = 1 - MEANING_WEIGHT  # the rest is the meaning vectors'
    char_source = [" ".join(doc.surface[term] for term in doc.content) for doc in docs]
    if any(char_source):
        char_vectoriser = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, dtype=np.float32
        )
        char_rows = _shared_part(char_vectoriser.fit_transform(char_source))
        customer = hstack([
            similarity_words * np.sqrt(WORD_WEIGHT * words_share),
            char_rows * np.sqrt((1 - WORD_WEIGHT) * words_share),
        ])
    else:
        customer = similarity_words * np.sqrt(words_share)
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
    meaning = word_vectors.meaning_rows([doc.meaning_words for doc in docs], vectors)
    meaning *= np.float32(np.sqrt(MEANING_WEIGHT))
    return Space(customer.tocsr(), support, has_support, meaning), word_rows, names


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


def extract_themes(
    requests: Iterable[ThemeRequest],
    taxonomy: Taxonomy,
    *,
    similarity_threshold: float = DEFAULT_SIMILARITY_THRESHOLD,
) -> list[ThemeOutcome]:
    """One outcome per request, in input order (see the module docstring). ``requests`` is read once, so
    it may be a stream: only the compact ``_Doc`` of each request is kept."""
    vectors = word_vectors.load()
    docs = [_read(index, request, taxonomy, vectors) for index, request in enumerate(requests)]
    docs.sort(key=lambda doc: doc.conversation_id)
    for position, doc in enumerate(docs):
        doc.position = position
    themes: dict[int, ThemeResult] = {}
    if docs:
        space, word_rows, names = _space(docs, vectors)
        for doc in docs:  # vectorised: what only the vectors needed can go
            doc.content, doc.terms, doc.support_terms, doc.meaning_words = [], [], [], []
        taken: set[str] = {entry.signature for entry in taxonomy.vocabulary}
        grouped = grouped_by_type(space, [doc.final_type for doc in docs], similarity_threshold, _ABSORBING_FAMILY)
        del space
        for final_type, rows_of_groups in sorted(grouped.items()):
            groups = [[docs[row] for row in rows] for rows in rows_of_groups]
            # Bigger groups choose their name first; ties by first conversation id.
            groups.sort(key=lambda group: (-len(group), group[0].position))
            for group in groups:
                matches = [doc.vocabulary for doc in group if doc.vocabulary]
                for doc in group:
                    if doc.vocabulary:
                        themes[doc.position] = vocabulary_theme(doc.vocabulary)
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
                        themes[doc.position] = vocabulary_theme(adopted)
                    continue
                name = name_group(rest, word_rows, names, final_type)
                signature = free_signature(name, taken, rest)
                taken.add(signature)
                for doc, theme in zip(rest, group_themes(rest, name, signature, taxonomy)):
                    themes[doc.position] = theme
    outcomes: list[ThemeOutcome | None] = [None] * len(docs)
    for doc in docs:
        outcomes[doc.input_index] = ThemeOutcome(conversation_id=doc.conversation_id, theme=themes[doc.position])
    return outcomes
