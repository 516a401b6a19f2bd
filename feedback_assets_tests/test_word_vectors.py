"""Static word vectors (``engines/offline/word_vectors.py``): the bundled file, and message vectors that put
differently worded reports of one issue closer than reports of different issues."""

from __future__ import annotations

import numpy as np
import pytest

from feedback_assets.domain.text import words
from feedback_assets.engines.offline import word_vectors


@pytest.fixture(scope="module")
def vectors() -> word_vectors.WordVectors:
    return word_vectors.load()


def test_the_bundled_vectors_load(vectors):
    assert len(vectors.words) > 20_000 and vectors.dimensions == 256
    assert vectors.vectors.dtype == np.float32 and np.isfinite(vectors.vectors).all()
    assert vectors.ids(["payment", "zzqxv", "blank"]) == [vectors.words["payment"], vectors.words["blank"]]
    assert vectors.ids(["café"]) == vectors.ids(["cafe"])  # accents stripped as the model did


def _message_rows(vectors, texts):
    return word_vectors.meaning_rows([vectors.ids(words(text)) for text in texts], vectors)


def test_reports_of_one_issue_in_different_words_are_closer_than_different_issues(vectors):
    # Hand-written for a podcast host none of the bundled sets is about; pairs (0, 1), (2, 3), (4, 5) are one
    # issue each and share no content word.
    texts = [
        "the episode artwork shows up blank in spotify",
        "cover image appears empty on apple podcasts",
        "listeners were charged twice for the premium feed",
        "subscribers billed double for a membership",
        "cannot sign in after resetting my password",
        "login rejected even with the new credentials",
    ]
    rows = _message_rows(vectors, texts)
    similarity = rows @ rows.T
    for first, second in ((0, 1), (2, 3), (4, 5)):
        others = [k for k in range(6) if k not in (first, second)]
        assert similarity[first, second] > max(similarity[first, k] for k in others)
        assert similarity[second, first] > max(similarity[second, k] for k in others)


def test_message_vectors_are_unit_or_zero_and_do_not_depend_on_order(vectors):
    texts = ["the export button does nothing", "", "zzqxv qqwzk", "export to csv fails", "reports export broken"]
    rows = _message_rows(vectors, texts)
    lengths = np.linalg.norm(rows, axis=1)
    assert lengths[[0, 3, 4]] == pytest.approx(1.0, abs=1e-5)
    assert lengths[1] == 0 and lengths[2] == 0  # no known word: similar to nothing
    reordered = _message_rows(vectors, texts[::-1])[::-1]
    assert reordered == pytest.approx(rows, abs=1e-5)


def test_a_broken_file_is_refused_with_its_path(tmp_path):
    (tmp_path / "words.txt").write_text("one\ntwo\nthree\n")
    np.savez_compressed(
        tmp_path / "vectors.npz", vectors=np.zeros((2, 4), dtype=np.int8), scales=np.ones(2, dtype=np.float32)
    )
    with pytest.raises(ValueError, match=f"{tmp_path}: 3 words but vectors of shape"):
        word_vectors.load(tmp_path)
