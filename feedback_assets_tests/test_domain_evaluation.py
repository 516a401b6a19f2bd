"""The evaluation command: pair-counting scores and the command line on small labelled files."""

from __future__ import annotations

import json

import pytest

from feedback_assets import evaluation
from feedback_assets_tests.domain_corpus import GROUPS, raw_corpus


def test_pairwise_scores_count_pairs():
    predicted = ["a", "a", "a", "b", None]
    truth = ["x", "x", "y", "y", "y"]
    scores = evaluation.pairwise_scores(predicted, truth)
    # predicted pairs: 3 (a) ; true pairs: 1 (x) + 3 (y) ; agreeing: 1 (the x pair)
    assert (scores.predicted_pairs, scores.true_pairs) == (3, 4)
    assert scores.precision == pytest.approx(1 / 3) and scores.recall == pytest.approx(1 / 4)
    assert scores.f1 == pytest.approx(2 * (1 / 3) * (1 / 4) / (1 / 3 + 1 / 4))
    assert evaluation.pairwise_scores([None], [None]).f1 == 0.0


def _write_set(folder):
    records = raw_corpus()
    conversations = folder / "conversations.jsonl"
    conversations.write_text("\n".join(json.dumps(record) for record in records) + "\n")
    labels = folder / "labels.jsonl"
    lines = []
    for record in records:
        body = record["source"]["body"][3:-4]
        group = next((name for name, bodies in GROUPS.items() if body in bodies), None)
        kind = {
            "label_printing": "product_issue",
            "tracking_emails": "product_issue",
            "bulk_import": "feature_request",
            "warehouse_how_to": "how_to_question",
        }.get(group, "general_inquiry")
        lines.append(json.dumps({"conversation_id": record["id"], "type": kind, "issue_group": group}))
    labels.write_text("\n".join(lines) + "\n")
    return conversations, labels


def test_main_prints_the_figures(tmp_path, capsys):
    conversations, labels = _write_set(tmp_path)
    status = evaluation.main(
        [
            "--conversations",
            str(conversations),
            "--labels",
            str(labels),
            "--no-holdout",
            "--taxonomy",
            str(evaluation.settings.PACKAGE_DIR / "data" / "taxonomy.json"),
        ]
    )
    output = capsys.readouterr().out
    assert status == 0
    for figure in ("type accuracy", "macro-F1", "issue grouping (pairwise): precision", "recall", "F1"):
        assert figure in output
    result = evaluation.evaluate("t", conversations, labels, taxonomy=evaluation.empty_taxonomy())
    assert result.scored == 20 and result.grouping.true_pairs == 6 + 6 + 3 + 3
    assert 0.5 <= result.type_accuracy <= 1.0


def test_holdout_folder_is_evaluated_with_its_own_or_an_empty_taxonomy(tmp_path, capsys):
    holdout = tmp_path / "holdout"
    holdout.mkdir()
    conversations, labels = _write_set(holdout)
    status = evaluation.main(
        ["--conversations", str(conversations), "--labels", str(labels), "--holdout", str(holdout)]
    )
    output = capsys.readouterr().out
    assert status == 0 and "holdout:" in output and "taxonomy: unknown product" in output


def test_bad_input_is_named(tmp_path, capsys):
    missing = tmp_path / "missing.jsonl"
    assert evaluation.main(["--conversations", str(missing), "--labels", str(missing), "--no-holdout"]) == 2
    assert "missing.jsonl does not exist" in capsys.readouterr().err
    conversations, _ = _write_set(tmp_path)
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"conversation_id": "p01", "type": "spam"}\nnot json\n')
    assert (
        evaluation.main(["--conversations", str(conversations), "--labels", str(broken), "--no-holdout"]) == 2
    )
    assert "broken.jsonl:2: not a label line" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        evaluation.main(["--conversations", str(conversations)])
