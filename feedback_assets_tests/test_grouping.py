"""The offline engine's grouping (``engines/offline/grouping.py``): exact group sums, plain average linkage
for a type that fits one block, bounded work for one that does not, and order independence."""

from __future__ import annotations

import random

import numpy as np
import pytest
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse import csr_matrix, random as sparse_random
from scipy.spatial.distance import squareform
from sklearn.preprocessing import normalize

from feedback_assets.engines.offline import grouping
from feedback_assets.engines.offline.grouping import Space, cluster, grouped_by_type

THRESHOLD = 0.2


def _space(n: int, seed: int = 1, topics: int = 12, meaning_dimensions: int = 0) -> Space:
    """Conversations drawn from a few topics (shared terms) plus noise; a third have a support reply; with
    ``meaning_dimensions``, a dense meaning part too (the topic's direction plus noise), the words weighing
    0.6 and the meaning 0.4 as in the themer."""
    rng = np.random.default_rng(seed)
    topic_terms = rng.random((topics, 400)) * (rng.random((topics, 400)) < 0.03)
    topic_of = rng.integers(0, topics, n)
    noise = sparse_random(n, 400, density=0.02, random_state=seed, format="csr")
    customer = normalize(csr_matrix(topic_terms[topic_of]) + noise).astype(np.float32)
    support = normalize(sparse_random(n, 50, density=0.05, random_state=seed + 1, format="csr")).astype(np.float32)
    keep = rng.random(n) < 0.33
    support = csr_matrix(support.multiply(keep[:, None]))
    has_support = np.asarray(support.getnnz(axis=1) > 0)
    if not meaning_dimensions:
        return Space(customer.tocsr(), support, has_support)
    directions = rng.normal(size=(topics, meaning_dimensions))
    meaning = normalize(directions[topic_of] + 0.8 * rng.normal(size=(n, meaning_dimensions))).astype(np.float32)
    meaning[rng.random(n) < 0.1] = 0.0  # no known word: similar to nothing by meaning
    return Space((customer * np.sqrt(0.6)).tocsr(), support, has_support, meaning * np.float32(np.sqrt(0.4)))


def test_similarity_adds_the_meaning_part_to_the_words() -> None:
    words_only = _space(40)
    with_meaning = _space(40, meaning_dimensions=16)
    rows = list(range(40))
    words = (with_meaning.customer @ with_meaning.customer.T).toarray()
    meaning = with_meaning.meaning @ with_meaning.meaning.T
    replied = np.outer(with_meaning.has_support, with_meaning.has_support)
    support = (with_meaning.support @ with_meaning.support.T).toarray()
    expected = np.where(replied, 0.7 * (words + meaning) + 0.3 * support, words + meaning)
    assert with_meaning.similarity(rows, rows) == pytest.approx(expected, rel=1e-4, abs=1e-5)
    assert words_only.meaning is None and words_only.similarity(rows, rows).shape == (40, 40)


@pytest.mark.parametrize("meaning_dimensions", [0, 16])
def test_group_sums_give_the_exact_total_similarity_over_member_pairs(meaning_dimensions) -> None:
    space = _space(60, meaning_dimensions=meaning_dimensions)
    groups = [list(range(0, 7)), list(range(7, 30)), [31], list(range(40, 60))]
    sums = space.sums(groups)
    totals = sums.pair_totals(sums)
    for a, rows_a in enumerate(groups):
        for b, rows_b in enumerate(groups):
            assert totals[a, b] == pytest.approx(space.similarity(rows_a, rows_b).sum(), rel=1e-4, abs=1e-5)
    assert sums.self_totals() == pytest.approx(np.diag(totals), rel=1e-4, abs=1e-5)


def _plain_average_linkage(space: Space, rows: list[int]) -> list[list[int]]:
    condensed = np.clip(1.0 - squareform(space.similarity(rows, rows), checks=False), 0.0, 2.0)
    labels = fcluster(linkage(condensed, method="average"), t=1.0 - THRESHOLD, criterion="distance")
    groups: dict[int, list[int]] = {}
    for row, label in zip(rows, labels):
        groups.setdefault(int(label), []).append(row)
    return sorted(groups.values())


@pytest.mark.parametrize("meaning_dimensions", [0, 16])
def test_a_type_that_fits_one_block_is_clustered_by_plain_average_linkage(meaning_dimensions) -> None:
    space = _space(300, meaning_dimensions=meaning_dimensions)
    rows = list(range(300))
    found = sorted(group.rows for group in cluster(space, rows, THRESHOLD))
    assert found == _plain_average_linkage(space, rows)


def test_closeness_and_cohesion_match_the_member_similarities() -> None:
    space = _space(200)
    for group in cluster(space, range(200), THRESHOLD):
        if group.closeness is None:
            assert len(group.rows) < grouping.SMALL_GROUP_SIZE
            continue
        block = space.similarity(group.rows, group.rows)
        expected = (block.sum(axis=1) - block.diagonal()) / (len(group.rows) - 1)
        assert group.closeness == pytest.approx(expected, rel=1e-4, abs=1e-5)
        assert group.cohesion == pytest.approx(block.mean(), rel=1e-4, abs=1e-5)


def test_a_large_type_is_taken_a_block_at_a_time_with_bounded_dense_work(monkeypatch) -> None:
    monkeypatch.setattr(grouping, "BLOCK_ROWS", 100)
    monkeypatch.setattr(grouping, "POOL_ROWS", 50)
    monkeypatch.setattr(grouping, "_CHUNK_ROWS", 64)
    largest: list[int] = []
    similarity = Space.similarity

    def recording(self, rows, columns):
        largest.append(len(rows) * len(columns))
        return similarity(self, rows, columns)

    monkeypatch.setattr(Space, "similarity", recording)
    space = _space(1500, topics=8)
    groups = cluster(space, range(1500), THRESHOLD)

    assert max(largest) <= (100 + 50) ** 2  # never all pairs: at most one block and the pool
    assert sorted(row for group in groups for row in group.rows) == list(range(1500))
    sizes = sorted((len(group.rows) for group in groups), reverse=True)
    assert sum(sizes[:8]) >= 0.8 * 1500  # the topics are found across blocks, not re-made per block


def test_blocked_grouping_agrees_with_unblocked_on_most_pairs(monkeypatch) -> None:
    space = _space(800, topics=6, seed=3)
    whole = {row: number for number, group in enumerate(cluster(space, range(800), THRESHOLD)) for row in group.rows}
    monkeypatch.setattr(grouping, "BLOCK_ROWS", 150)
    monkeypatch.setattr(grouping, "POOL_ROWS", 75)
    blocked = {row: number for number, group in enumerate(cluster(space, range(800), THRESHOLD)) for row in group.rows}
    pairs = random.Random(0).sample([(a, b) for a in range(0, 800, 7) for b in range(a + 1, 800, 11)], 3000)
    agree = sum((whole[a] == whole[b]) == (blocked[a] == blocked[b]) for a, b in pairs)
    assert agree / len(pairs) >= 0.95


def test_types_are_grouped_apart_and_small_how_to_groups_may_join_defect_groups() -> None:
    space = _space(240, topics=4, seed=5)
    types = ["how_to_question" if row in (0, 100) else "product_issue" for row in range(240)]
    grouped = grouped_by_type(space, types, THRESHOLD, {"how_to_question": "product_issue"})
    every = sorted(row for groups in grouped.values() for group in groups for row in group)
    assert every == list(range(240))
    for group in grouped.get("how_to_question", []):
        assert all(types[row] == "how_to_question" for row in group)
    joined = [g for g in grouped["product_issue"] if any(types[row] == "how_to_question" for row in g)]
    assert joined, "a how-to question close to a large defect group joins it"


def test_block_at_a_time_keeps_grouping_quality_on_the_labelled_sample(monkeypatch) -> None:
    """The bundled sample fits one block; forced into blocks of 150 rows (a thirteenth of the real size, so
    its ~500 actionable conversations span several) it must group about as well: measured F1 0.77–0.79 over
    block sizes 100–300 against 0.83 in one block, every recurring issue recovered at every size (words
    alone, before the meaning vectors: 0.75–0.78 against 0.78)."""
    from feedback_assets import evaluation
    from feedback_assets.domain.taxonomy import load_taxonomy

    def scores() -> tuple[float, int]:
        result = evaluation.evaluate(
            "sample", evaluation.settings.SAMPLE_CONVERSATIONS, evaluation.SAMPLE_LABELS, taxonomy=load_taxonomy()
        )
        return result.grouping.f1, result.recurring[0]

    whole_f1, whole_recovered = scores()
    monkeypatch.setattr(grouping, "BLOCK_ROWS", 150)
    monkeypatch.setattr(grouping, "POOL_ROWS", 75)
    blocked_f1, blocked_recovered = scores()
    assert blocked_f1 >= whole_f1 - 0.07
    assert blocked_recovered >= whole_recovered - 1
