"""The taxonomy file: loading, configuration, validation errors, placement and vocabulary matching."""

from __future__ import annotations

import json

import pytest

from feedback_assets.domain.taxonomy import (
    DEFAULT_TAXONOMY_PATH,
    TAXONOMY_ENV,
    Taxonomy,
    empty_taxonomy,
    load_taxonomy,
)
from feedback_assets.domain.text import StemIndex

MINIMAL = {
    "product": "Teapot",
    "areas": [{"name": "brewing", "components": [{"name": "kettle", "keywords": ["kettle", "boil"]}]}],
    "vocabulary": [
        {
            "signature": "kettle_boil_dry",
            "product_area": "brewing",
            "component": "kettle",
            "title": "Boils dry",
            "user_intent": "Boil water safely",
            "match": [["kettle", "boil"], ["dry", "empty"]],
            "symptoms": ["kettle runs dry", "smell of burning"],
            "affected_flow": "Boil",
            "root_cause_hypothesis": "x",
        }
    ],
}


def test_the_bundled_taxonomy_loads_and_is_the_default(monkeypatch):
    monkeypatch.delenv(TAXONOMY_ENV, raising=False)
    taxonomy = load_taxonomy()
    assert taxonomy.product == "Crewline"
    assert taxonomy.path == DEFAULT_TAXONOMY_PATH.resolve()
    assert taxonomy.raw["product"] == "Crewline"
    assert len(taxonomy.vocabulary) >= 20


def test_path_comes_from_the_argument_or_the_environment(tmp_path, monkeypatch):
    path = tmp_path / "teapot.json"
    path.write_text(json.dumps(MINIMAL))
    assert load_taxonomy(path).product == "Teapot"
    monkeypatch.setenv(TAXONOMY_ENV, str(path))
    assert load_taxonomy().product == "Teapot"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda t: t["vocabulary"][0].update(component="spout"),
            "vocabulary[0] (kettle_boil_dry): component brewing/spout is not in areas",
        ),
        (lambda t: t["vocabulary"][0].update(signature="kettle_issue"), "is generic"),
        (lambda t: t["vocabulary"][0].update(signature="Kettle Dry"), "not lowercase snake_case"),
        (lambda t: t["vocabulary"][0].update(symptoms=["one"]), "vocabulary.0.symptoms"),
        (
            lambda t: t["vocabulary"].append(dict(t["vocabulary"][0])),
            "signature kettle_boil_dry appears twice",
        ),
        (lambda t: t["areas"][0].update(name="Brewing Area"), "not lowercase snake_case"),
        (lambda t: t["vocabulary"][0].update(match=[["!!"]]), "match group needs at least one phrase"),
    ],
)
def test_invalid_taxonomies_name_the_problem(tmp_path, change, message):
    document = json.loads(json.dumps(MINIMAL))
    change(document)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document))
    with pytest.raises(ValueError) as raised:
        load_taxonomy(path)
    assert str(path) in str(raised.value)
    assert message in str(raised.value)


def test_unreadable_files_are_named(tmp_path):
    with pytest.raises(ValueError, match="missing.json cannot be read"):
        load_taxonomy(tmp_path / "missing.json")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(ValueError, match="broken.json is not valid JSON"):
        load_taxonomy(broken)


def test_placement_and_vocabulary_use_stems():
    taxonomy = Taxonomy.from_raw(MINIMAL)
    index = StemIndex.of("The kettle boiled itself dry overnight")
    assert taxonomy.place(index).component == "kettle"
    assert taxonomy.match_vocabulary(index, "product_issue").entry.signature == "kettle_boil_dry"
    assert taxonomy.match_vocabulary(index, "feature_request") is None  # entry applies to product issues
    assert taxonomy.match_vocabulary(StemIndex.of("the kettle is lovely"), "product_issue") is None


def test_crewline_vocabulary_recognises_a_known_issue():
    taxonomy = load_taxonomy(DEFAULT_TAXONOMY_PATH)
    index = StemIndex.of("My shift swap has been pending for days and my manager can't approve it")
    assert taxonomy.match_vocabulary(index, "product_issue").entry.signature == "shift_swap_approval_stuck"


def test_an_empty_taxonomy_places_nothing():
    taxonomy = empty_taxonomy()
    index = StemIndex.of("The kettle boiled dry")
    assert taxonomy.place(index) is None and taxonomy.match_vocabulary(index, "product_issue") is None
