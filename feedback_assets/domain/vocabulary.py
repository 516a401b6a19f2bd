"""Product vocabulary, decided from one run's own conversations: the terms a large share of them use.

A word most customers of a product write is what the product is about, not what a message is doing: in an
invoicing app "invoice" and "payment" are in questions, defect reports and wishes alike, so they cannot tell
a billing question from the rest. The offline engine mutes a *topical* type cue (one that names a thing:
invoice, plan, password, settings, webhook) when every content word it matched is product vocabulary; cues
that read what the customer is doing (a question form, a negated expectation, a wish) are never muted.

How a term becomes product vocabulary: its document frequency over the run's quality-passed conversations
(customer text: subject, body, follow-ups; once per conversation) reaches ``PRODUCT_TERM_SHARE`` and at
least ``MIN_DOCUMENTS`` conversations. The share, 8 %, sits between two kinds of word measured on the
bundled products: the nouns of support topics every SaaS has (account ≤ 7 %, plan ≤ 3 %, password ≤ 2.5 %,
invoice ≤ 2 % in the scheduling, notes and expense apps) and a product's own core nouns (shift 19 %,
page 24 %, card 22 %, receipt 13 %). ``MIN_DOCUMENTS`` keeps a handful of conversations from declaring
every word they share "vocabulary".

The counts are a ``Counter`` of stems, filled in a first streamed pass over the whole partition (``add`` a
conversation at a time), so the vocabulary — and every classification made with it — is the same whatever
the chunk size of the classifying pass.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

from feedback_assets.domain.models import Conversation
from feedback_assets.domain.text import FUNCTION_WORDS, stem, words

PRODUCT_TERM_SHARE = 0.08
"""Share of a run's conversations from which a term is product vocabulary (see the module docstring)."""
MIN_DOCUMENTS = 4
"""A term is vocabulary only when at least this many conversations use it."""

SECOND_PERSON = frozenset({"you", "your", "yours", "you've", "you're", "youve", "youre", "yourselves"})
"""Words addressed to the vendor: never product vocabulary, so "your invoice" or "you charged" stays the
vendor's money even in an invoicing app."""

_ENGLISH_FUNCTION = frozenset(
    """a an the and or but if then so of to in on at by for from with without about into onto over under
    as than too very just also only still even again not no nor all any some each every both either this
    that these those there here it its it's i i'm i've i'd me my mine we we're we've our ours us they them
    their theirs he him his she her hers one ones is am are was were be been being do does did done doing
    have has had having will would shall should can could may might must get got gets getting what which
    who whom whose when where why how up down out off please thanks thank hi hello hey""".split()
)
FUNCTION_TERMS = frozenset(
    stem(word) for word in _ENGLISH_FUNCTION.union(*FUNCTION_WORDS.values())
)
"""Stems that carry no topic (English function words and the other languages' most common ones)."""


def _is_term(word: str) -> bool:
    return len(word) >= 3 and not word.isdigit() and word not in SECOND_PERSON


def terms(text: str) -> set[str]:
    """The distinct candidate terms of ``text``: stems of words of three letters or more, no number, no
    function word, no second-person word."""
    found = set()
    for word in words(text):
        if _is_term(word):
            term = stem(word)
            if term not in FUNCTION_TERMS:
                found.add(term)
    return found


def customer_words(conversation: Conversation) -> str:
    """What the customer wrote: subject, opening message and follow-ups (support's replies are not read)."""
    return " ".join(filter(None, (conversation.subject, conversation.body, *conversation.customer_messages)))


@dataclass(frozen=True)
class ProductVocabulary:
    """The run's product vocabulary: stems used by a large share of its conversations."""

    terms: frozenset[str] = frozenset()
    documents: int = 0
    """How many conversations it was decided from."""

    def __bool__(self) -> bool:
        return bool(self.terms)

    def __contains__(self, term: object) -> bool:
        return term in self.terms

    def covers(self, phrase: str) -> bool:
        """Whether every content word of ``phrase`` is product vocabulary (False when it has none, or has a
        second-person word: those are never vocabulary)."""
        content = []
        for word in words(phrase):
            if word in SECOND_PERSON:
                return False
            term = stem(word)
            if term not in FUNCTION_TERMS and not word.isdigit():
                content.append(term)
        return bool(content) and all(term in self.terms for term in content)


EMPTY_VOCABULARY = ProductVocabulary()


@dataclass
class TermCounts:
    """Document frequencies of terms over a run's conversations, filled one conversation at a time."""

    documents: int = 0
    counts: Counter = field(default_factory=Counter)

    def add(self, conversation: Conversation) -> None:
        self.add_text(customer_words(conversation))

    def add_text(self, text: str) -> None:
        self.documents += 1
        self.counts.update(terms(text))

    def vocabulary(
        self, *, share: float = PRODUCT_TERM_SHARE, min_documents: int = MIN_DOCUMENTS
    ) -> ProductVocabulary:
        needed = max(min_documents, share * self.documents)
        return ProductVocabulary(
            terms=frozenset(term for term, count in self.counts.items() if count >= needed),
            documents=self.documents,
        )


def product_vocabulary(conversations: Iterable[Conversation], **options: float) -> ProductVocabulary:
    """The product vocabulary of a whole run's (quality-passed) conversations."""
    counts = TermCounts()
    for conversation in conversations:
        counts.add(conversation)
    return counts.vocabulary(**options)
