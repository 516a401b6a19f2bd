"""Learning from labels (``feedback-assets calibrate``) and calibrated confidence (issue 11, items 3 and 5)."""

from __future__ import annotations

import json
import warnings
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from feedback_assets import calibration
from feedback_assets.calibration import (
    CalibrationError,
    Example,
    ModelError,
    TypeModel,
    check_counts,
    cross_validate,
    labelled_examples,
    model_fitter,
    read_labels,
    reliability,
)
from feedback_assets.cli import main as cli_main
from feedback_assets.domain.classify import classify_conversations
from feedback_assets.domain.models import Conversation
from feedback_assets.engines.offline import OfflineEngine, classifier, confidence, scores
from feedback_assets.engines.offline.engine import PROMPT_VERSION
from feedback_assets.storage import make_engine, replace_partition, upgrade
from feedback_assets_tests.storage_rows import classification, conversation as conversation_row, insert_run

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)

# A hand-written product ("Zorbflux", a lab-notebook app) whose customers report defects in words no generic
# cue reads as a defect ("the zorbflux panel shows last quarter") — the labels say product_issue; the rules
# alone call these general inquiries (no cue fires, no negation, no question about "I").
LABELLED = [
    ("z-01", "product_issue", "The zorbflux panel shows totals from last quarter after lunch today."),
    ("z-02", "product_issue", "Our zorbflux totals look like last quarter numbers again this morning."),
    ("z-03", "product_issue", "Zorbflux panel totals are from the previous quarter for the whole team."),
    ("z-04", "product_issue", "Since Monday the zorbflux panel lists old totals from last quarter for us."),
    ("z-05", "product_issue", "Zorbflux summary gives last quarter totals instead of this quarter's."),
    ("z-06", "product_issue", "Zorbflux panel on the dashboard: totals from the quarter before, all day."),
    ("f-01", "feature_request", "Please add a dark mode to the notebook editor, it would be great to have."),
    ("f-02", "feature_request", "Would love the ability to tag notebooks by project, please add it."),
    ("f-03", "feature_request", "Feature request: keyboard shortcuts for inserting tables in notebooks."),
    ("f-04", "feature_request", "It would be great if we could export notebooks to LaTeX. Please consider it."),
    ("h-01", "how_to_question", "How do I share one notebook with a colleague outside our lab?"),
    ("h-02", "how_to_question", "How can I move a notebook entry into another project folder?"),
    ("h-03", "how_to_question", "Where can I find the setting for the default units of measurement?"),
    ("h-04", "how_to_question", "How do I print a notebook page with its attachments included?"),
]
UNLABELLED_REPORT = ("z-99", "The zorbflux panel shows last quarter totals for my group today.")


def _record(conversation_id: str, body: str, minute: int) -> dict:
    when = int((T0 + timedelta(minutes=minute)).timestamp())
    return {
        "id": conversation_id,
        "created_at": when,
        "updated_at": when + 60,
        "source": {"delivered_as": "customer_initiated", "body": body, "author": {"type": "user"}},
    }


def _conversation(conversation_id: str, body: str) -> Conversation:
    return Conversation(
        conversation_id=conversation_id, source="test", created_at=T0, updated_at=T0, body=body, author_type="user"
    )


@pytest.fixture
def labelled_files(tmp_path: Path) -> tuple[Path, Path, Path]:
    """conversations.jsonl, labels.csv, and a taxonomy copy in tmp (the model is written beside it)."""
    conversations = tmp_path / "conversations.jsonl"
    rows = [_record(cid, body, n) for n, (cid, _, body) in enumerate(LABELLED)]
    rows.append(_record(UNLABELLED_REPORT[0], UNLABELLED_REPORT[1], 99))
    conversations.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    labels = tmp_path / "labels.csv"
    labels.write_text(
        "conversation_id,type,issue_group\n"
        + "".join(f"{cid},{kind},{'zorbflux_stale' if cid.startswith('z') else ''}\n" for cid, kind, _ in LABELLED),
        encoding="utf-8",
    )
    taxonomy = tmp_path / "lab.json"
    taxonomy.write_text(json.dumps({"product": "Zorbflux", "areas": [{"name": "notebooks", "components": [{"name": "editor"}]}], "vocabulary": []}))
    return conversations, labels, taxonomy


@pytest.fixture(autouse=True)
def _no_model_env(monkeypatch):
    monkeypatch.delenv(calibration.MODEL_ENV, raising=False)


def _calibrate(*args: str) -> int:
    return cli_main(["calibrate", *map(str, args)])


# --- calibrate → model file → the engine uses it -----------------------------------------------------------------
def test_calibrate_writes_a_model_the_engine_uses_and_predictions_move_towards_the_labels(labelled_files, capsys):
    conversations_path, labels_path, taxonomy_path = labelled_files
    conversations = calibration.read_conversations(conversations_path)
    report = next(c for c in conversations if c.conversation_id == UNLABELLED_REPORT[0])

    rules_only = OfflineEngine(taxonomy=taxonomy_path)
    assert rules_only.model is None and rules_only.prompt_version == PROMPT_VERSION
    before = rules_only.classify([report]).outcomes[0].stage1.conversation_type
    assert before != "product_issue"  # the premise: the rules alone misread this product's reports

    assert _calibrate("--labels", labels_path, "--conversations", conversations_path, "--taxonomy", taxonomy_path) == 0
    model_file = taxonomy_path.with_name("lab.model.json")
    assert model_file.is_file()
    assert "wrote" in capsys.readouterr().out

    raw = json.loads(model_file.read_text())
    assert raw["rules_version"] == PROMPT_VERSION
    assert raw["features"] == list(scores.FEATURES)
    assert raw["label_counts"] == {"product_issue": 6, "feature_request": 4, "how_to_question": 4}
    assert raw["fitted_at"] and "zorbflux" in raw["terms"]

    with_model = OfflineEngine(taxonomy=taxonomy_path)  # found beside the taxonomy
    assert with_model.model is not None
    assert with_model.prompt_version == f"{PROMPT_VERSION}+model-{with_model.model.digest}"
    assert len(with_model.model.digest) == 8
    assert with_model.classify([report]).outcomes[0].stage1.conversation_type == "product_issue"

    labelled = [c for c in conversations if c.conversation_id != UNLABELLED_REPORT[0]]
    truth = {cid: kind for cid, kind, _ in LABELLED}
    agree = lambda engine: sum(  # noqa: E731
        o.stage1.conversation_type == truth[o.conversation_id] for o in engine.classify(labelled).outcomes
    )
    assert agree(with_model) > agree(rules_only)

    rows = classify_conversations(with_model, [report]).rows
    assert rows[0]["prompt_version"].startswith(f"{PROMPT_VERSION}+model-")
    assert rows[0]["stage1_confidence"] in ("high", "medium", "low")

    # Switched off by the setting: rules alone again.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(calibration.MODEL_ENV, "off")
        assert OfflineEngine(taxonomy=taxonomy_path).model is None
    assert OfflineEngine(taxonomy=taxonomy_path, model=False).prompt_version == PROMPT_VERSION


def test_results_with_a_model_do_not_depend_on_the_chunk_size(labelled_files):
    conversations_path, labels_path, taxonomy_path = labelled_files
    assert _calibrate("--labels", labels_path, "--conversations", conversations_path, "--taxonomy", taxonomy_path) == 0
    conversations = calibration.read_conversations(conversations_path)
    engine = OfflineEngine(taxonomy=taxonomy_path)
    whole = classify_conversations(engine, conversations).rows
    for size in (1, 4):
        chunked = [
            row
            for start in range(0, len(conversations), size)
            for row in classify_conversations(engine, conversations[start : start + size]).rows
        ]
        assert chunked == whole


def test_the_json_model_round_trips(labelled_files, tmp_path):
    conversations_path, labels_path, _ = labelled_files
    examples = labelled_examples(
        calibration.read_conversations(conversations_path), read_labels(labels_path)
    ).examples
    model = calibration.fit_model(examples, feature_names=scores.FEATURES, rules_version=PROMPT_VERSION)
    path = model.save(tmp_path / "m.model.json")
    loaded = TypeModel.load(path, rules_version=PROMPT_VERSION, features=scores.FEATURES)
    assert loaded == model and loaded.digest == model.digest
    for example in examples:
        assert loaded.predict(example.features, example.text) == model.predict(example.features, example.text)
        probabilities = loaded.probabilities(example.features, example.text)
        assert abs(sum(probabilities.values()) - 1) < 1e-9


def _write_model(path: Path, change) -> Path:
    examples = [
        Example(f"c{n}", kind, tuple(float((n + i) % 3) for i in range(len(scores.FEATURES))), f"word{n}", kind, 0.5)
        for n, kind in enumerate(["product_issue", "spam"] * 4)
    ]
    payload = calibration.fit_model(
        examples, feature_names=scores.FEATURES, rules_version=PROMPT_VERSION, terms=0
    ).payload()
    text = change(payload)
    path.write_text(text if isinstance(text, str) else json.dumps(text))
    return path


def _other_rules(payload):
    return {**payload, "rules_version": "offline-rules-0"}


def _fewer_features(payload):
    return {**payload, "features": payload["features"][:-1]}


def _short_weights(payload):
    return {**payload, "weights": {k: v[:-1] for k, v in payload["weights"].items()}}


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda payload: "{not json", "is not valid JSON"),
        (lambda payload: {**payload, "format": "pickle"}, "is not a type model"),
        (_other_rules, "was fitted against rules 'offline-rules-0'"),
        (_fewer_features, "reads other features"),
        (_short_weights, "values per row"),
        (lambda payload: {**payload, "classes": ["product_issue", "bug"]}, "missing or malformed"),
    ],
)
def test_a_corrupt_or_mismatched_model_beside_the_taxonomy_falls_back_to_the_rules_with_a_warning(
    tmp_path, change, message
):
    taxonomy = tmp_path / "product.json"
    taxonomy.write_text(json.dumps({"product": "P", "areas": [{"name": "a", "components": [{"name": "b"}]}]}))
    model_file = _write_model(tmp_path / "product.model.json", change)
    with pytest.warns(RuntimeWarning, match=message):
        engine = OfflineEngine(taxonomy=taxonomy)
    assert engine.model is None and engine.prompt_version == PROMPT_VERSION
    # Named explicitly (argument or FEEDBACK_OFFLINE_MODEL), the same file fails clearly instead.
    with pytest.raises(ModelError, match=message):
        OfflineEngine(taxonomy=taxonomy, model=model_file)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(calibration.MODEL_ENV, str(model_file))
        with pytest.raises(ModelError, match=message):
            OfflineEngine(taxonomy=taxonomy)


def test_a_good_model_beside_the_taxonomy_loads_without_warnings(tmp_path):
    taxonomy = tmp_path / "product.json"
    taxonomy.write_text(json.dumps({"product": "P", "areas": [{"name": "a", "components": [{"name": "b"}]}]}))
    _write_model(tmp_path / "product.model.json", lambda payload: payload)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert OfflineEngine(taxonomy=taxonomy).model is not None


# --- cross-validation never scores a label with a model fitted on it -------------------------------------------
class _Memoriser:
    """A leak detector: right exactly on the examples it was fitted on (by their unique marker), wrong on all
    others; records what it was fitted on and what it scored."""

    def __init__(self, training, log):
        self.answers = {example.text: example.label for example in training}
        self.log = log
        log.append(("fit", {example.text for example in training}))

    def predict(self, features, text):
        self.log[-1] = (*self.log[-1][:2], *self.log[-1][2:], text)
        if text in self.answers:
            return self.answers[text], 1.0
        return "spam", 0.1


def test_cross_validation_never_scores_a_label_with_a_model_fitted_on_it():
    examples = [
        Example(f"id-{n}", ["product_issue", "how_to_question", "feature_request"][n % 3], (0.0,), f"marker-{n}", "general_inquiry", 0.5)
        for n in range(30)
    ]
    log: list = []
    result = cross_validate(examples, k=5, fit=lambda training: _Memoriser(training, log))
    assert len(log) == 5
    scored = []
    for entry in log:
        fitted_on, scored_here = entry[1], set(entry[2:])
        assert not fitted_on & scored_here  # no marker scored by a model that saw it
        assert len(fitted_on) + len(scored_here) == len(examples)
        scored.extend(scored_here)
    assert sorted(scored) == sorted(example.text for example in examples)  # every label scored exactly once
    assert result.mean("model_accuracy") == 0.0  # a memoriser is never right out of fold
    assert sorted(result.scored_ids) == sorted(example.conversation_id for example in examples)


def test_folds_are_stratified_and_deterministic():
    examples = [Example(f"i{n}", "a" if n < 20 else "b", (0.0,), "", "a", 0.5) for n in range(25)]
    folds = calibration.folds_of(examples, 5)
    assert folds == calibration.folds_of(examples, 5)
    assert sorted(i for fold in folds for i in fold) == list(range(25))
    assert all(sum(examples[i].label == "b" for i in fold) == 1 for fold in folds)


def test_cross_validation_with_the_real_fitter_on_a_bundled_set():
    from feedback_assets import settings
    from feedback_assets.evaluation import read_labels as evaluation_labels

    folder = settings.PACKAGE_DIR / "data" / "holdout"
    labels = {cid: label["type"] for cid, label in evaluation_labels(folder / "labels.jsonl").items()}
    examples = labelled_examples(
        calibration.read_conversations(folder / "conversations.jsonl"), labels, strict=False
    ).examples
    result = cross_validate(examples, k=3, fit=model_fitter(PROMPT_VERSION, scores.FEATURES))
    assert len(result.folds) == 3 and len(result.model_probabilities) == len(examples)
    assert result.mean("model_accuracy") > result.mean("rules_accuracy")


# --- confidence ---------------------------------------------------------------------------------------------------
def test_the_reliability_table_has_one_row_per_bin():
    table = reliability([0.05, 0.35, 0.55, 0.95, 1.0, 0.95], [False, True, True, True, True, False])
    assert [(row.low, row.high) for row in table] == list(
        zip(calibration.RELIABILITY_BINS, calibration.RELIABILITY_BINS[1:])
    )
    assert sum(row.count for row in table) == 6
    top = table[-1]
    assert top.count == 3 and top.accuracy == pytest.approx(2 / 3) and top.mean_probability == pytest.approx(2.9 / 3)
    assert table[4].count == 0 and table[4].accuracy is None  # 0.6–0.7
    lines = calibration.format_reliability("t", table)
    assert len(lines) == 2 + len(table) and "ECE" in lines[0]


def test_rules_confidence_is_a_calibrated_probability_mapped_by_documented_cutoffs():
    for stage, curve in confidence.RULES_CONFIDENCE_CURVES.items():
        starts = [start for start, _ in curve]
        probabilities = [p for _, p in curve]
        assert starts == sorted(starts) and starts[0] == 0.0
        assert probabilities == sorted(probabilities) and 0 < probabilities[0] and probabilities[-1] < 1
    assert confidence.confidence_level(0.95) == "high"
    assert confidence.confidence_level(confidence.CONFIDENCE_CUTOFFS[0][1]) == "high"
    assert confidence.confidence_level(0.6) == "medium"
    assert confidence.confidence_level(0.3) == "low"
    engine = OfflineEngine(model=False)
    clear = classifier.assess(_conversation("a", "The app crashes every time I open it, error 500, broken since the update."), engine.rules)
    vague = classifier.assess(_conversation("b", "Hello, a quick note about the weekly summary email we get."), engine.rules)
    assert clear.reading1.probability > vague.reading1.probability
    assert clear.stage1.confidence == confidence.confidence_level(clear.reading1.probability)
    assert len(clear.reading1.features) == len(scores.FEATURES)


def test_evaluate_prints_reliability_and_cross_validated_figures(capsys):
    from feedback_assets import settings
    from feedback_assets.evaluation import main as evaluate_main

    folder = settings.PACKAGE_DIR / "data" / "holdout"
    code = evaluate_main(
        [
            "--conversations", str(folder / "conversations.jsonl"),
            "--labels", str(folder / "labels.jsonl"),
            "--no-holdout", "--cross-validate", "--folds", "3",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "reliability, rules alone (final type)" in out
    assert "cross-validated type model (3 folds" in out and "rules+model" in out
    assert "reliability, rules+model (out-of-fold probabilities)" in out


# --- bad input: one line, exit 2 -----------------------------------------------------------------------------------
def _one_line_error(capsys, code: int, *fragments: str) -> None:
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert len(err.splitlines()) == 1 and err.startswith("calibrate: ")
    for fragment in fragments:
        assert fragment in err, err


def test_calibrate_refuses_bad_input_with_one_line_and_exit_2(labelled_files, tmp_path, capsys):
    conversations_path, labels_path, taxonomy_path = labelled_files
    common = ["--conversations", conversations_path, "--taxonomy", taxonomy_path, "--output", tmp_path / "x.model.json"]

    _one_line_error(capsys, _calibrate("--labels", tmp_path / "missing.csv", *common), "missing.csv", "does not exist")
    _one_line_error(
        capsys,
        _calibrate("--labels", labels_path, "--conversations", tmp_path / "nope.jsonl", "--taxonomy", taxonomy_path),
        "nope.jsonl",
        "does not exist",
    )

    unknown_type = tmp_path / "unknown.jsonl"
    unknown_type.write_text(
        json.dumps({"conversation_id": "z-01", "type": "bug_report"}) + "\n"
        + json.dumps({"conversation_id": "z-02", "type": "product_issue"}) + "\n"
    )
    _one_line_error(capsys, _calibrate("--labels", unknown_type, *common), "unknown type", "'bug_report'", "line 1")

    few = tmp_path / "few.csv"  # two feature requests left
    lines = [line for line in labels_path.read_text().splitlines() if not line.startswith(("f-03", "f-04"))]
    few.write_text("\n".join(lines) + "\n")
    _one_line_error(capsys, _calibrate("--labels", few, *common), "too few labels", "feature_request has 2")

    strangers = tmp_path / "strangers.csv"
    strangers.write_text(
        labels_path.read_text() + "".join(f"ghost-{n},product_issue,\n" for n in range(7))
    )
    _one_line_error(capsys, _calibrate("--labels", strangers, *common), "7 of 21 labelled conversation ids are not in", "ghost-0")

    bad_header = tmp_path / "header.csv"
    bad_header.write_text("id_of_thing,kind\nz-01,product_issue\n")
    _one_line_error(capsys, _calibrate("--labels", bad_header, *common), "header must name conversation_id and type")

    assert not (tmp_path / "x.model.json").exists()
    with pytest.raises(SystemExit) as exited:  # neither --labels nor --from-run: argparse's usage error
        _calibrate()
    assert exited.value.code == 2


def test_check_counts_needs_two_types():
    examples = [Example(f"i{n}", "spam", (0.0,), "", "spam", 0.5) for n in range(5)]
    with pytest.raises(CalibrationError, match="at least two"):
        check_counts(examples)


# --- from a Claude-engine run -------------------------------------------------------------------------------------
@pytest.fixture
def run_database(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'feedback.db'}"
    upgrade(make_engine(url))
    return url


def _store_run(url: str, run_id: int, *, engine: str, status: str) -> None:
    db = make_engine(url)
    insert_run(db, run_id, engine=engine, status=status)
    replace_partition(
        db,
        "conversations",
        run_id,
        [conversation_row(cid, body=body, minute=n, support_messages=[]) for n, (cid, _, body) in enumerate(LABELLED)],
    )
    replace_partition(
        db,
        "classifications",
        run_id,
        [classification(cid, kind, engine=engine, prompt_version="claude-1") for cid, kind, _ in LABELLED],
    )


@pytest.mark.parametrize(
    "engine, status, reason",
    [
        ("offline", "succeeded", "used the 'offline' engine"),
        ("anthropic", "failed", "is 'failed'"),
        ("anthropic", "running", "is 'running'"),
    ],
)
def test_from_run_refuses_a_run_that_is_not_a_succeeded_claude_run(run_database, tmp_path, capsys, engine, status, reason):
    _store_run(run_database, 7, engine=engine, status=status)
    code = _calibrate("--from-run", "7", "--database-url", run_database, "--output", tmp_path / "m.model.json")
    _one_line_error(capsys, code, "--from-run: run 7", reason)
    assert not (tmp_path / "m.model.json").exists()


def test_from_run_refuses_an_unknown_or_malformed_run_id(run_database, tmp_path, capsys):
    _one_line_error(capsys, _calibrate("--from-run", "99", "--database-url", run_database), "99", "does not exist")
    _one_line_error(capsys, _calibrate("--from-run", "007", "--database-url", run_database), "'007'")


def test_from_run_fits_on_a_succeeded_claude_runs_final_types(run_database, tmp_path, capsys):
    _store_run(run_database, 3, engine="anthropic", status="succeeded")
    output = tmp_path / "m.model.json"
    assert _calibrate("--from-run", "3", "--database-url", run_database, "--output", output) == 0
    raw = json.loads(output.read_text())
    assert raw["label_counts"] == {"product_issue": 6, "feature_request": 4, "how_to_question": 4}
    assert raw["source"] == "pipeline run 3 (anthropic)"
    assert "fitted on 14 labelled conversations" in capsys.readouterr().out
