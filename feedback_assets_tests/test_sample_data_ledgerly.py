"""The blind Ledgerly holdout (data/holdout_ledgerly/): reproducible from the generator, in the Intercom shape,
fully labelled, and a product of its own (its groups, areas and phrasing share nothing with Crewline or Inkwell).
The shape, template and wording checks are the ones test_sample_data applies to the bundled sample."""

from __future__ import annotations

from collections import Counter

import pytest

from feedback_assets.domain.models import CONVERSATION_TYPES
from feedback_assets_tests import test_sample_data as sample_checks
from feedback_assets_tests.test_sample_data import DATA_DIR, _latest, _read_jsonl

# importable because test_sample_data (imported above) puts scripts/ on sys.path
from sample_generator import build_dataset, dumps_jsonl, generate, label_rows
from sample_products import load_product

LEDGERLY = DATA_DIR / "holdout_ledgerly" / "conversations.jsonl"
LEDGERLY_LABELS = DATA_DIR / "holdout_ledgerly" / "labels.jsonl"


@pytest.fixture(scope="module")
def ledgerly():
    return build_dataset(product="ledgerly")


@pytest.fixture(scope="module")
def ledgerly_labels() -> list[dict]:
    return _read_jsonl(LEDGERLY_LABELS)


def test_committed_ledgerly_holdout_is_what_the_generator_writes(ledgerly):
    assert dumps_jsonl(ledgerly.conversations) == LEDGERLY.read_text(encoding="utf-8")
    assert dumps_jsonl(label_rows(ledgerly, label_all=True)) == LEDGERLY_LABELS.read_text(encoding="utf-8")


def test_ledgerly_is_a_known_product_and_its_templates_parse():
    with pytest.raises(ValueError, match="unknown product 'acme'.*ledgerly"):
        generate(count=10, product="acme")
    sample_checks.test_every_phrasing_template_parses_and_uses_known_slots("ledgerly")


def test_every_ledgerly_line_is_an_intercom_conversation():
    sample_checks.test_every_line_is_an_intercom_conversation(_read_jsonl(LEDGERLY))


def test_ledgerly_holdout_is_fully_labelled_with_its_own_groups_and_areas(ledgerly_labels):
    rows = _read_jsonl(LEDGERLY)
    assert len(_latest(rows)) == len(ledgerly_labels) == 300
    assert {row["conversation_id"] for row in ledgerly_labels} == {row["id"] for row in rows}
    assert set(row["type"] for row in ledgerly_labels) == set(CONVERSATION_TYPES)
    groups = Counter(row["issue_group"] for row in ledgerly_labels if row["issue_group"])
    assert sum(1 for size in groups.values() if size >= 5) >= 12
    others = {group.key for name in ("crewline", "inkwell") for group in load_product(name).groups}
    assert not set(groups) & others
    areas = load_product("ledgerly").areas
    for row in ledgerly_labels:
        assert row["issue_group"] is None or row["type"] in sample_checks.ACTIONABLE
        if row["product_area"] is not None:
            assert row["component"] in areas[row["product_area"]], row
    assert {row["language"] for row in ledgerly_labels} == {"en", "es", "de", "fr", "pt"}
    assert {row["expected_filter"] for row in ledgerly_labels} == {
        None, "not_customer_initiated", "canned_greeting", "too_short"}
    changes = Counter((row["stage1_type"], row["type"]) for row in ledgerly_labels
                      if row["stage1_type"] != row["type"])
    for direction in (("product_issue", "how_to_question"), ("how_to_question", "product_issue"),
                      ("how_to_question", "feature_request")):
        assert changes[direction] >= 3, changes


def test_ledgerly_phrasing_is_its_own_and_varied_within_each_group(ledgerly):
    def phrasings(product) -> set[str]:
        return {text for group in product.groups
                for field in ("reports", "asks", "wants", "others", "details", "impacts", "replies")
                for text in getattr(group, field)}

    ledgerly_product = load_product("ledgerly")
    for name in ("crewline", "inkwell"):
        assert not phrasings(ledgerly_product) & phrasings(load_product(name)), name
    sample_checks.test_reports_of_one_issue_are_worded_differently(ledgerly)
