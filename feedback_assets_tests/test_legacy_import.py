"""Legacy import (the review's R1 done right) on SQLite and PostgreSQL: adoption rules, no NULL, rows in =
rows out, idempotent re-import, row errors that write nothing."""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st
from sqlalchemy import func, select

from feedback_assets import legacy_import
from feedback_assets.legacy.assignment import adopting_run
from feedback_assets.legacy.records import LegacyRun
from feedback_assets.legacy_import import RULES, LegacyImportError, import_legacy
from feedback_assets.storage import StorageError, create_run, get_run, list_runs, read_partition
from feedback_assets.storage.schema import classifications, conversations, pipeline_runs

EXAMPLES = Path(__file__).parent / "data" / "legacy"
DAY = datetime(2026, 1, 1, tzinfo=timezone.utc)


def hour(h: float) -> str:
    return (DAY + timedelta(hours=h)).isoformat()


def write_csv(path: Path, rows: list[dict]) -> Path:
    columns = list(dict.fromkeys(key for row in rows for key in row))
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({key: "" if value is None else value for key, value in row.items()})
    return path


def conversation_row(conversation_id: str, run_id=None, classified_at=None, **extra) -> dict:
    row = {
        "id": conversation_id,
        "pipeline_run_id": run_id,
        "classified_at": classified_at,
        "created_at": hour(-1),
        "source_body": f"<p>Text of {conversation_id}</p>",
    }
    row.update(extra)
    return row


def examples(suffix: str = "csv") -> tuple[Path, Path, Path]:
    return EXAMPLES / f"runs.{suffix}", EXAMPLES / f"conversations.{suffix}", EXAMPLES / f"classifications.{suffix}"


def run_of(engine) -> dict[str, int]:
    with engine.connect() as connection:
        return dict(connection.execute(select(conversations.c.conversation_id, conversations.c.pipeline_run_id)).all())


def snapshot(engine) -> dict[str, list[dict]]:
    """Every row of the three tables the import writes, in key order."""
    with engine.connect() as connection:
        return {
            table.name: [dict(row) for row in connection.execute(select(table).order_by(*table.primary_key.columns)).mappings()]
            for table in (pipeline_runs, conversations, classifications)
        }


def test_example_export_follows_every_rule(db):
    report = import_legacy(db, *examples("csv"))
    assert report.ok, report.errors
    dedicated = report.dedicated_run_id
    assert run_of(db) == {
        "c1": 101,  # kept_run
        "c2": 101,  # adopted: classified 02:00, only run 101 [00:00, 06:00] contains it
        "c3": 102,  # adopted: 05:00 is in 101 and 102; 102 started later
        "c8": 102,  # kept_run
        "c5": 103,  # adopted: run 103 is still running (open-ended)
        "c4": dedicated,  # no_matching_window: 11:00 is in no run
        "c6": dedicated,  # no_classified_at
        "c7": dedicated,  # unknown_run 999
    }
    assert report.rule_counts == {
        "kept_run": 2, "adopted_by_window": 3, "no_matching_window": 1, "no_classified_at": 1, "unknown_run": 1,
    }
    assert report.unknown_run_ids == {999: 1}
    assert (report.conversations_in, report.conversations_out) == (8, 8)
    assert (report.classifications_in, report.classifications_out) == (7, 7)

    runs = {run.id: run for run in list_runs(db)}
    assert sorted(runs) == [101, 102, 103, 104, dedicated] and dedicated == 105
    for run_id in (101, 102, 103, 104):
        assert (runs[run_id].trigger, runs[run_id].source, runs[run_id].engine) == ("import", "legacy", "legacy")
    assert [runs[i].status for i in (101, 102, 103, 104)] == ["succeeded", "succeeded", "canceled", "failed"]
    assert runs[103].completed_at is None and "still running" in runs[103].error
    assert runs[101].started_at == DAY and runs[101].completed_at == DAY + timedelta(hours=6)
    assert runs[102].max_conversations == 500
    assert (runs[dedicated].trigger, runs[dedicated].source, runs[dedicated].status) == (
        "import", "legacy_unassigned", "succeeded",
    )
    assert runs[dedicated].source_params["unknown_legacy_run_ids"] == {"999": 1}
    stored = runs[dedicated].source_params["legacy_import"]
    assert stored["rules"] == {
        "kept_run": 0, "adopted_by_window": 0, "no_matching_window": 1, "no_classified_at": 1, "unknown_run": 1,
    }
    assert stored["conversations"] == 3 and stored["classifications"] == 2
    assert runs[101].source_params["legacy_import"]["rules"]["kept_run"] == 1
    assert runs[101].source_params["legacy_run"]["days"] == "7"
    assert (runs[101].conversations_count, runs[101].classified_count) == (2, 2)

    rows = {row["conversation_id"]: row for row in read_partition(db, "conversations", 101)}
    assert rows["c1"]["body"] == "The CSV export fails with a timeout."
    assert rows["c1"]["support_messages"] == ["Thanks, we are looking into it."]
    assert rows["c1"]["source"] == "legacy" and rows["c1"]["quality_pass"] is True
    skipped = read_partition(db, "conversations", dedicated, where=conversations.c.conversation_id == "c6")[0]
    assert (skipped["quality_pass"], skipped["quality_reason"]) == (False, "too_short")

    labels = {row["conversation_id"]: row for run_id in runs for row in read_partition(db, "classifications", run_id)}
    assert set(labels) == {"c1", "c2", "c3", "c4", "c5", "c7", "c8"}
    assert labels["c5"]["final_type"] == "product_issue"  # no final_type exported: stage 1 type
    assert (labels["c8"]["stage1_type"], labels["c8"]["stage2_type"], labels["c8"]["final_type"]) == (
        "general_inquiry", "product_issue", "product_issue",
    )
    assert labels["c8"]["classification_changed"] is True and labels["c1"]["classification_changed"] is False
    assert {row["engine"] for row in labels.values()} == {"legacy"}

    with db.connect() as connection:
        for table in (conversations, classifications):
            assert connection.execute(select(func.count()).where(table.c.pipeline_run_id.is_(None))).scalar_one() == 0
    summary = report.summary()
    assert "adopted_by_window 3" in summary and "999 (1 row)" in summary and "rows in = rows out" in summary


def test_reimport_is_idempotent_and_csv_and_jsonl_import_the_same_rows(db):
    import_legacy(db, *examples("csv"))
    first = snapshot(db)
    assert len(first["conversations"]) == 8
    import_legacy(db, *examples("csv"))
    assert snapshot(db) == first  # byte for byte, pipeline_runs included

    import_legacy(db, *examples("jsonl"))
    again = snapshot(db)
    assert again["conversations"] == first["conversations"]
    assert again["classifications"] == first["classifications"]

    def without_params(rows):  # source_params name the files read and keep their raw run rows
        return [{k: v for k, v in row.items() if k != "source_params"} for row in rows]

    assert without_params(again["pipeline_runs"]) == without_params(first["pipeline_runs"])
    assert again["pipeline_runs"][0]["source_params"]["legacy_import"]["files"]["runs"] == "runs.jsonl"
    with db.connect() as connection:
        dedicated = connection.execute(
            select(func.count()).where(pipeline_runs.c.source == "legacy_unassigned")
        ).scalar_one()
    assert dedicated == 1


def test_overlapping_and_open_ended_windows(db, tmp_path):
    runs = write_csv(
        tmp_path / "runs.csv",
        [
            {"id": 1, "started_at": hour(0), "completed_at": hour(10), "status": "completed"},
            {"id": 2, "started_at": hour(5), "completed_at": hour(15), "status": "completed"},
            {"id": 3, "started_at": hour(20), "completed_at": None, "status": "running"},
            {"id": 4, "started_at": hour(5), "completed_at": hour(6), "status": "stopped"},
        ],
    )
    expected = {
        "at-03": (hour(3), 1),  # only run 1
        "at-0530": (hour(5.5), 4),  # runs 1, 2 and 4; 2 and 4 started latest (05:00): the higher id
        "at-07": (hour(7), 2),  # runs 1 and 2: 2 started later
        "at-10": (hour(10), 2),  # run 1's end is inclusive, but 2 started later
        "at-15": (hour(15), 2),  # run 2's end is inclusive
        "at-17": (hour(17), "dedicated"),  # between windows
        "at-1959": (hour(19.99), "dedicated"),
        "at-20": (hour(20), 3),  # run 3's start is inclusive
        "in-a-week": (hour(24 * 7), 3),  # run 3 never completed: open to +infinity
        "before-all": (hour(-5), "dedicated"),
    }
    conversations_csv = write_csv(
        tmp_path / "conversations.csv",
        [conversation_row(cid, classified_at=moment) for cid, (moment, _) in expected.items()],
    )
    report = import_legacy(db, runs, conversations_csv)
    assert report.ok, report.errors
    dedicated = report.dedicated_run_id
    assert run_of(db) == {cid: dedicated if run == "dedicated" else run for cid, (_, run) in expected.items()}
    assert report.rule_counts["adopted_by_window"] == 7 and report.rule_counts["no_matching_window"] == 3
    assert report.classifications_in == report.classifications_out == 0
    assert get_run(db, 4).status == "canceled" and get_run(db, 3).completed_at is None


def test_the_dedicated_run_is_found_again_not_duplicated(db, tmp_path):
    runs = write_csv(tmp_path / "runs.csv", [{"id": 7, "started_at": hour(0), "completed_at": hour(1)}])
    first = import_legacy(db, runs, write_csv(tmp_path / "a.csv", [conversation_row("x", run_id=99)]))
    second = import_legacy(db, runs, write_csv(tmp_path / "b.csv", [conversation_row("y", classified_at=hour(30))]))
    assert first.dedicated_run_id == second.dedicated_run_id
    # An import is a snapshot: the dedicated run now holds what this export assigns to it.
    assert [row["conversation_id"] for row in read_partition(db, "conversations", second.dedicated_run_id)] == ["y"]
    assert second.rule_counts["no_matching_window"] == 1 and second.unknown_run_ids == {}
    assert [run.id for run in list_runs(db) if run.source == "legacy_unassigned"] == [first.dedicated_run_id]


def test_generated_ids_continue_after_imported_ones(db):
    report = import_legacy(db, *examples("csv"))
    assert report.dedicated_run_id == 105  # generated after the explicit ids 101–104
    assert create_run(db, source="sample").id == 106


def test_create_run_with_an_explicit_id_keeps_generated_ids_unique(db):
    """The additive ``run_id`` parameter of storage.create_run, on both dialects."""
    assert create_run(db, source="sample").id == 1
    assert create_run(db, source="legacy", trigger="import", run_id=50).id == 50
    assert create_run(db, source="sample").id == 51  # PostgreSQL: sequence advanced by setval
    assert create_run(db, source="legacy", trigger="import", run_id=20).id == 20
    assert create_run(db, source="sample").id == 52  # a lower explicit id never moves the sequence back
    with pytest.raises(StorageError, match="pipeline run 20 already exists"):
        create_run(db, source="legacy", run_id=20)
    for bad in (0, -3, True, "7"):
        with pytest.raises(ValueError, match="run_id must be a positive integer"):
            create_run(db, source="legacy", run_id=bad)
    assert [run.id for run in list_runs(db)] == [52, 51, 50, 20, 1]


def test_invalid_values_are_errors_naming_the_row_and_nothing_is_written(db, tmp_path):
    runs = write_csv(
        tmp_path / "runs.csv",
        [
            {"id": 1, "started_at": hour(0), "completed_at": hour(5), "status": "completed"},
            {"id": 2, "started_at": hour(0), "completed_at": hour(5), "status": "paused"},
        ],
    )
    conversations_csv = write_csv(
        tmp_path / "conversations.csv",
        [
            conversation_row("ok", run_id=1),
            conversation_row("bad-date", run_id=1, created_at="last tuesday"),
            conversation_row("bad-flag", run_id=1, quality_pass="maybe"),
        ],
    )
    classifications_csv = write_csv(
        tmp_path / "classifications.csv",
        [
            {"conversation_id": "ok", "stage1_type": "bug", "urgency": "urgent"},
        ],
    )
    report = import_legacy(db, runs, conversations_csv, classifications_csv)
    assert not report.ok
    assert "runs.csv:3: status 'paused' is not one of" in "\n".join(report.errors)
    joined = "\n".join(report.errors)
    assert "conversations.csv:3: created_at: timestamp is not a unix timestamp or ISO 8601 date ('last tuesday')" in joined
    assert "conversations.csv:4: quality_pass 'maybe' is not a boolean" in joined
    assert "classifications.csv:2: stage1_type 'bug' is not one of product_issue, how_to_question" in joined
    assert "classifications.csv:2: urgency 'urgent' is not one of critical, high, normal, low" in joined
    assert report.conversations_out == 0 and "nothing was written" in report.summary()
    assert snapshot(db) == {"pipeline_runs": [], "conversations": [], "classifications": []}


def test_structural_problems_are_row_errors(db, tmp_path):
    runs = write_csv(
        tmp_path / "runs.csv",
        [
            {"id": 1, "started_at": hour(0), "completed_at": hour(5)},
            {"id": 1, "started_at": hour(0), "completed_at": hour(5)},
            {"id": 0, "started_at": hour(0)},
            {"id": 3, "started_at": hour(5), "completed_at": hour(1)},
            {"id": 4},
        ],
    )
    conversations_csv = write_csv(
        tmp_path / "conversations.csv",
        [
            conversation_row("twice", run_id=1),
            conversation_row("twice", run_id=1),
            conversation_row("x" * 65, run_id=1),
            conversation_row("weird-run", run_id="abc"),
            {"id": "no-body", "created_at": hour(0)},
        ],
    )
    classifications_csv = write_csv(
        tmp_path / "classifications.csv",
        [
            {"conversation_id": "ghost", "stage1_type": "spam"},
            {"conversation_id": "twice", "pipeline_run_id": 1, "stage1_type": "spam"},
        ],
    )
    report = import_legacy(db, runs, conversations_csv, classifications_csv)
    joined = "\n".join(report.errors)
    assert "runs.csv:3: run id 1 appears twice (also at runs.csv:2)" in joined
    assert "runs.csv:4: id '0' is not a positive integer run id" in joined
    assert "runs.csv:5: completed_at 2026-01-01T01:00:00+00:00 is before started_at" in joined
    assert "runs.csv:6: started_at is required" in joined
    assert "conversations.csv:3: conversation 'twice' lands in run 1 twice (also conversations.csv:2)" in joined
    assert "conversations.csv:4: conversation_id is 65 characters long; at most 64 fit" in joined
    assert "conversations.csv:5: pipeline_run_id 'abc' is not a positive integer run id" in joined
    assert "conversations.csv:6: body (or source_body) is required" in joined
    assert "classifications.csv:2: classification of conversation 'ghost' has no row in the conversations export" in joined
    assert "classifications.csv:3: classification of conversation 'twice' (pipeline_run_id 1) matches 2" in joined
    assert list_runs(db) == []


def test_a_conversation_in_two_runs_keeps_one_classification_per_run(db, tmp_path):
    runs = write_csv(
        tmp_path / "runs.csv",
        [{"id": 1, "started_at": hour(0), "completed_at": hour(2)}, {"id": 2, "started_at": hour(3)}],
    )
    conversations_csv = write_csv(
        tmp_path / "c.csv", [conversation_row("a", run_id=1), conversation_row("a", run_id=2), conversation_row("b", run_id=1)]
    )
    classifications_csv = write_csv(
        tmp_path / "k.csv",
        [
            {"conversation_id": "a", "pipeline_run_id": 2, "stage1_type": "spam"},
            {"conversation_id": "a", "pipeline_run_id": 1, "stage1_type": "feature_request"},
        ],
    )
    report = import_legacy(db, runs, conversations_csv, classifications_csv)
    assert report.ok, report.errors
    assert [r["final_type"] for r in read_partition(db, "classifications", 1)] == ["feature_request"]
    assert [r["final_type"] for r in read_partition(db, "classifications", 2)] == ["spam"]

    disagreeing = write_csv(tmp_path / "k2.csv", [{"conversation_id": "b", "pipeline_run_id": 2, "stage1_type": "spam"}])
    report = import_legacy(db, runs, conversations_csv, disagreeing)
    assert report.errors == [
        "k2.csv:2: classification names pipeline_run_id 2 but its conversation (c.csv:4) goes to run 1 (rule kept_run)"
    ]


def test_a_classification_without_any_type_or_error_is_refused(db, tmp_path):
    runs = write_csv(tmp_path / "runs.csv", [{"id": 1, "started_at": hour(0)}])
    conversations_csv = write_csv(tmp_path / "c.csv", [conversation_row("a", run_id=1)])
    classifications_jsonl = tmp_path / "k.jsonl"
    classifications_jsonl.write_text(
        json.dumps({"conversation_id": "a", "stage1_confidence": "high"}) + "\n" + "{broken\n"
    )
    report = import_legacy(db, runs, conversations_csv, classifications_jsonl)
    joined = "\n".join(report.errors)
    assert "k.jsonl:1: classification has no stage1_type or stage2_type and no error" in joined
    assert "k.jsonl:2: invalid JSON" in joined
    assert list_runs(db) == []


def test_a_recorded_legacy_failure_is_imported_as_a_failure(db, tmp_path):
    runs = write_csv(tmp_path / "runs.csv", [{"id": 1, "started_at": hour(0)}])
    conversations_csv = write_csv(tmp_path / "c.csv", [conversation_row("a", run_id=1)])
    classifications_csv = write_csv(tmp_path / "k.csv", [{"conversation_id": "a", "error": "LLM timeout"}])
    report = import_legacy(db, runs, conversations_csv, classifications_csv)
    assert report.ok
    row = read_partition(db, "classifications", 1)[0]
    assert (row["final_type"], row["error"]) == (None, "LLM timeout")
    assert (get_run(db, 1).classified_count, get_run(db, 1).failures_count) == (0, 1)


def test_exported_final_type_that_contradicts_the_rule_is_recomputed_with_a_warning(db, tmp_path):
    runs = write_csv(tmp_path / "runs.csv", [{"id": 1, "started_at": hour(0)}])
    conversations_csv = write_csv(tmp_path / "c.csv", [conversation_row("a", run_id=1)])
    classifications_csv = write_csv(
        tmp_path / "k.csv",
        [{"conversation_id": "a", "stage1_type": "how_to_question", "stage2_type": "product_issue",
          "final_type": "how_to_question"}],
    )
    report = import_legacy(db, runs, conversations_csv, classifications_csv)
    assert report.ok
    assert read_partition(db, "classifications", 1)[0]["final_type"] == "product_issue"
    assert any("k.csv:2: exported final_type 'how_to_question' replaced by 'product_issue'" in w for w in report.warnings)


def test_single_table_layout_takes_classifications_from_conversation_rows(db, tmp_path):
    runs = write_csv(tmp_path / "runs.csv", [{"id": 5, "started_at": hour(0), "completed_at": hour(2)}])
    conversations_csv = write_csv(
        tmp_path / "conversations.csv",
        [
            conversation_row("a", run_id=5, stage1_type="feature_request", stage1_confidence="high", urgency="low"),
            conversation_row("b", classified_at=hour(1)),  # not classified: conversation only
        ],
    )
    report = import_legacy(db, runs, conversations_csv)
    assert report.ok and (report.classifications_in, report.classifications_out) == (1, 1)
    assert [(r["conversation_id"], r["final_type"]) for r in read_partition(db, "classifications", 5)] == [
        ("a", "feature_request")
    ]
    assert sorted(run_of(db)) == ["a", "b"] and set(run_of(db).values()) == {5}


def test_a_legacy_id_taken_by_a_native_run_is_refused(db, tmp_path):
    native = create_run(db, source="sample")
    runs = write_csv(tmp_path / "runs.csv", [{"id": native.id, "started_at": hour(0)}])
    conversations_csv = write_csv(tmp_path / "c.csv", [conversation_row("a", run_id=native.id)])
    with pytest.raises(LegacyImportError, match=rf"pipeline run {native.id} already exists here \(trigger 'manual'"):
        import_legacy(db, runs, conversations_csv)
    assert [run.id for run in list_runs(db)] == [native.id]
    assert read_partition(db, "conversations", native.id) == []


def test_reimport_follows_a_status_change_of_the_old_run(db, tmp_path):
    conversations_csv = write_csv(tmp_path / "c.csv", [conversation_row("a", classified_at=hour(3))])
    running = write_csv(tmp_path / "r1.csv", [{"id": 8, "started_at": hour(0), "status": "running"}])
    import_legacy(db, running, conversations_csv)
    assert (get_run(db, 8).status, get_run(db, 8).completed_at) == ("canceled", None)
    finished = write_csv(tmp_path / "r2.csv", [{"id": 8, "started_at": hour(0), "completed_at": hour(4), "status": "completed"}])
    import_legacy(db, finished, conversations_csv)
    run = get_run(db, 8)
    assert (run.status, run.completed_at, run.error) == ("succeeded", DAY + timedelta(hours=4), None)
    assert run_of(db) == {"a": 8}


def test_missing_or_unknown_files_are_named(db, tmp_path):
    runs, conversations_csv, _ = examples("csv")
    with pytest.raises(LegacyImportError, match="nope.csv does not exist"):
        import_legacy(db, runs, tmp_path / "nope.csv")
    odd = tmp_path / "runs.xlsx"
    odd.write_text("x")
    with pytest.raises(LegacyImportError, match=r"runs.xlsx: unknown format \.xlsx; use \.csv or \.jsonl"):
        import_legacy(db, odd, conversations_csv)
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"id,started_at\n1,caf\xe9\n")
    with pytest.raises(LegacyImportError, match="latin.csv is not UTF-8"):
        import_legacy(db, latin, conversations_csv)


def test_main_prints_the_counts_and_exits_by_outcome(db_url, tmp_path, capsys):
    runs, conversations_csv, classifications_csv = examples("csv")
    code = legacy_import.main(
        ["--runs", str(runs), "--conversations", str(conversations_csv), "--classifications", str(classifications_csv),
         "--database-url", db_url]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "kept_run 2, adopted_by_window 3, no_matching_window 1, no_classified_at 1, unknown_run 1" in out
    assert "Written: 8 conversations, 7 classifications (rows in = rows out)" in out

    bad = write_csv(tmp_path / "k.csv", [{"conversation_id": "c1", "pipeline_run_id": 101, "stage1_type": "bug"}])
    code = legacy_import.main(["--runs", str(runs), "--conversations", str(conversations_csv), "--classifications",
                               str(bad), "--database-url", db_url])
    assert code == 1 and "k.csv:2: stage1_type 'bug'" in capsys.readouterr().out

    code = legacy_import.main(["--runs", str(tmp_path / "missing.csv"), "--conversations", str(conversations_csv),
                               "--database-url", db_url])
    assert code == 1 and "missing.csv does not exist" in capsys.readouterr().err
    assert legacy_import.main(["--conversations", "x.csv"]) == 2


@hypothesis_settings(max_examples=200, deadline=None)
@given(
    windows=st.lists(
        st.tuples(st.integers(0, 48), st.one_of(st.none(), st.integers(0, 24))), min_size=0, max_size=6
    ),
    moment=st.integers(-2, 80),
)
def test_adoption_picks_a_containing_run_that_started_last(windows, moment):
    runs = [
        LegacyRun(
            location=f"runs.csv:{index + 2}", id=index + 1, legacy_status="completed", status="succeeded",
            started_at=DAY + timedelta(hours=start),
            completed_at=None if length is None else DAY + timedelta(hours=start + length),
            window_start=None, window_end=None, max_conversations=None, raw={},
        )
        for index, (start, length) in enumerate(windows)
    ]
    at = DAY + timedelta(hours=moment)
    chosen = adopting_run(runs, at)
    containing = [run for run in runs if run.started_at <= at and (run.completed_at is None or at <= run.completed_at)]
    if not containing:
        assert chosen is None
    else:
        assert chosen in containing
        assert all((run.started_at, run.id) <= (chosen.started_at, chosen.id) for run in containing)


def test_rules_are_the_documented_ones():
    documented = (Path(__file__).parents[1] / "docs" / "legacy_import.md").read_text()
    for rule in RULES:
        assert f"`{rule}`" in documented
