"""Static word vectors: what a message means beyond the exact words it uses, for grouping.

Two customers report one issue in different words ("the PDF is blank" / "the attachment opens empty"); word
overlap cannot see that, a vector per word can. The bundled vectors (``data/word_vectors/``: 21,719 whole
English words × 256 dimensions, int8 with a scale per word, 5 MB) were distilled from the sentence model
all-MiniLM-L6-v2 with model2vec (``scripts/make_word_vectors.py`` says how; the folder's README gives the
provenance and licence). Looking a word up needs only NumPy: no model runs at classification time.

``meaning_rows`` turns a run's messages into one unit vector each: the mean of its words' vectors weighted by
how rare each word is in the run (a word every message uses says nothing about which issue it is), minus the
run's mean message vector (what all messages of one product share), renormalised. Messages with no known word
keep a zero vector: similar to nothing.

Pure: no Dagster.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import TfidfTransformer, strip_accents_unicode

VECTORS_DIR = Path(__file__).resolve().parent.parent.parent / "data" / "word_vectors"


@dataclass(frozen=True)
class WordVectors:
    words: dict[str, int]
    """Word → its row."""
    vectors: np.ndarray
    """(words, dimensions) float32."""

    @property
    def dimensions(self) -> int:
        return int(self.vectors.shape[1])

    def ids(self, tokens: Iterable[str]) -> list[int]:
        """The rows of the tokens that are known words (lowercase; accents are stripped as the model did)."""
        found = []
        for token in tokens:
            row = self.words.get(token)
            if row is None and not token.isascii():
                row = self.words.get(strip_accents_unicode(token))
            if row is not None:
                found.append(row)
        return found


@lru_cache(maxsize=4)
def load(directory: Path = VECTORS_DIR) -> WordVectors:
    """The vectors in ``directory`` (read once per process)."""
    words = (directory / "words.txt").read_text(encoding="utf-8").split()
    with np.load(directory / "vectors.npz", allow_pickle=False) as stored:
        quantised, scales = stored["vectors"], stored["scales"]
    if quantised.shape[0] != len(words) or scales.shape != (len(words),):
        raise ValueError(f"{directory}: {len(words)} words but vectors of shape {quantised.shape}")
    return WordVectors({word: row for row, word in enumerate(words)}, quantised.astype(np.float32) * scales[:, None])


def meaning_rows(messages: Sequence[Sequence[int]], vectors: WordVectors) -> np.ndarray:
    """One unit vector per message (rows of word ids, repeats counting), see the module docstring:
    (messages, dimensions) float32."""
    n = len(messages)
    lengths = np.fromiter((len(ids) for ids in messages), dtype=np.int64, count=n)
    columns = np.fromiter((row for ids in messages for row in ids), dtype=np.int64, count=int(lengths.sum()))
    pointers = np.concatenate([[0], np.cumsum(lengths)])
    counts = csr_matrix(
        (np.ones(len(columns), dtype=np.float32), columns, pointers), shape=(n, len(vectors.words))
    )
    counts.sum_duplicates()
    weighted = TfidfTransformer(norm=None).fit_transform(counts)  # counts × smoothed inverse document frequency
    rows = np.asarray(weighted @ vectors.vectors, dtype=np.float32)
    known = _to_unit(rows)
    if known.sum() >= 2:
        # In place: a run of 200,000 messages has 200 MB of these rows, so no copy of them is made.
        mean = rows.sum(axis=0, dtype=np.float64) / known.sum()
        np.subtract(rows, mean.astype(np.float32), out=rows, where=known[:, None])
        _to_unit(rows)
    return rows


def _to_unit(rows: np.ndarray) -> np.ndarray:
    """Scale each non-zero row of ``rows`` to length 1 in place; which rows are non-zero."""
    lengths = np.sqrt(np.einsum("ij,ij->i", rows, rows))
    known = lengths > 0
    rows /= np.where(known, lengths, 1.0).astype(np.float32)[:, None]
    return known
