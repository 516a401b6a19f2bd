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


def test_recurring_issues_recovered_as_one_story():
    # x: 4 members, 3 share "a" (a story of 3, all x's) -> recovered.
    # y: 3 members, 2 under "b" -> not (a signature of 2 makes no story).
    # z: 3 members all under "d", but "d" also holds 4 of w's -> a merge, not z's story.
    # w: 4 members, all under "d" (4 of 7) -> recovered; v: 2 members -> not recurring.
    predicted = ["a", "a", "a", None, "b", "b", "c", "d", "d", "d", "d", "d", "d", "d", "e", "e"]
    truth = ["x", "x", "x", "x", "y", "y", "y", "z", "z", "z", "w", "w", "w", "w", "v", "v"]
    assert evaluation.recurring_recovered(predicted, truth) == (2, 4)
    # "b" holds 2 of y's 3, but a signature of 2 members makes no story.
    assert evaluation.recurring_recovered(["b", "b", "c"], ["y", "y", "y"]) == (0, 1)
    assert evaluation.recurring_recovered(["b", "b", "b"], ["y", "y", "y"], min_size=4) == (0, 0)


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
    for figure in (
        "type accuracy",
        "macro-F1",
        "issue grouping (pairwise): precision",
        "recall",
        "F1",
        "recovered as one story:",
    ):
        assert figure in output
    result = evaluation.evaluate("t", conversations, labels, taxonomy=evaluation.empty_taxonomy())
    assert result.scored == 20 and result.grouping.true_pairs == 6 + 6 + 3 + 3
    assert result.recurring[1] == 4 and 0 <= result.recurring[0] <= 4
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
