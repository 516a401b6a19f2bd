"""Exports of a pipeline run's stories (Markdown, JSON against its published schema, CSV) and the story
report behind them, on a real pipeline run on SQLite and PostgreSQL; ``feedback-assets export``'s exits."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import dagster as dg
import pytest

from feedback_assets import settings
from feedback_assets.defs.runs import settle_run
from feedback_assets.export import SCHEMA_VERSION, export_run
from feedback_assets.export import main as export_main
from feedback_assets.export.formats import CSV_COLUMNS, write_csv, write_markdown
from feedback_assets.storage import create_run, get_run, make_engine, read_partition, update_run, upgrade
from feedback_assets.storage.story_report import story_report
from feedback_assets_tests import json_schema_check
from feedback_assets_tests.dagster_helpers import definitions_for, execute
from feedback_assets_tests.pipeline_data import pipeline_conversations, write_jsonl

SCHEMA_PATH = settings.PROJECT_DIR / "docs" / "schemas" / "stories-export.schema.json"


@pytest.fixture
def instance():
    with dg.instance_for_test() as instance:
        yield instance


@pytest.fixture
def sqlite_url(sqlite_url) -> str:
    """The SQLite database URL, migrated (the shared fixture leaves it empty)."""
    upgrade(make_engine(sqlite_url))
    return sqlite_url


@pytest.fixture(scope="module")
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def succeeded_pipeline_run(db_url: str, tmp_path: Path, instance, conversations: list[dict] | None = None):
    """The small pipeline dataset (or ``conversations``) through the real job, settled as the CLI would."""
    engine = make_engine(db_url)
    data = write_jsonl(tmp_path / "conversations.jsonl", conversations)
    run = create_run(engine, source="jsonl", source_params={"path": str(data)})
    result = execute(definitions_for(db_url), instance, run.partition_key)
    assert result.success
    settled = settle_run(instance, engine, get_run(engine, run.id), instance.get_run_by_id(result.run_id))
    assert settled.status == "succeeded"
    return settled


def _ranking_key(story: dict) -> tuple:
    """Priority level first, then size falling within the level (what a PM expects to read)."""
    level = ["critical", "high", "normal", "low"].index(story["priority"])
    return (level, -story["conversation_count"], -(story["priority_score"] or 0), story["title"], story["id"])


def test_the_story_report_ranks_stories_with_their_evidence_and_when_they_were_seen(db_url, tmp_path, instance):
    conversations = pipeline_conversations()
    for conversation in conversations[:2]:  # the first two clock-in reports come from the same customer
        conversation["contacts"]["contacts"] = [{"type": "contact", "id": "contact-store-42"}]
    run = succeeded_pipeline_run(db_url, tmp_path, instance, conversations)
    engine = make_engine(db_url)
    report = list(story_report(engine, run.id))

    assert len(report) == run.stories_count >= 2
    assert all(story["status"] == "candidate" for story in report)
    assert [story["id"] for story in report] == [story["id"] for story in sorted(report, key=_ranking_key)]

    conversation_rows = read_partition(engine, "conversations", run.id)
    created = {row["conversation_id"]: row["created_at"] for row in conversation_rows}
    customers = {row["conversation_id"]: row.get("customer_id") for row in conversation_rows}
    evidence = read_partition(engine, "story_evidence", run.id)
    for story in report:
        members = [row["conversation_id"] for row in evidence if row["story_id"] == story["id"]]
        assert story["first_seen"] == min(created[member] for member in members)
        assert story["last_seen"] == max(created[member] for member in members)
        assert sum(story["conversation_types"].values()) == story["conversation_count"] == len(members)
        known = {customers[member] for member in members if customers[member] is not None}
        assert story["affected_customers"] == (len(known) or None)
        if "900001" in members and known:  # conversations name their customer (conversations.customer_id)
            assert story["affected_customers"] == story["conversation_count"] - 1
        quotes = story["evidence"]
        assert 1 <= len(quotes) <= 5
        assert [quote["rank"] for quote in quotes] == list(range(1, len(quotes) + 1))
        assert all(quote["conversation_id"] in members and len(quote["excerpt"]) <= 500 for quote in quotes)
        assert all(quote["created_at"] == created[quote["conversation_id"]] for quote in quotes)

    everything = list(story_report(engine, run.id, include_orphans=True))
    orphans = [story for story in everything if story["status"] == "orphan"]
    assert len(everything) == len(report) + len(orphans) and orphans
    assert [story["id"] for story in story_report(engine, run.id, limit=1)] == [report[0]["id"]]
    assert list(story_report(engine, run.id + 1)) == []


def test_a_run_exports_as_markdown_json_and_csv(db_url, tmp_path, instance, schema):
    run = succeeded_pipeline_run(db_url, tmp_path, instance)
    engine = make_engine(db_url)
    report = list(story_report(engine, run.id))
    outputs = {}
    for fmt in ("md", "json", "csv"):
        out = io.StringIO()
        assert export_run(engine, run.id, fmt, out, generated_at="2026-12-01T09:00:00+00:00") == len(report)
        outputs[fmt] = out.getvalue()

    # JSON: valid against the published schema, and the report's content.
    document = json.loads(outputs["json"])
    assert json_schema_check.errors(document, schema) == []
    assert document["schema_version"] == SCHEMA_VERSION and document["story_count"] == len(report)
    assert document["run"]["id"] == run.id and document["run"]["status"] == "succeeded"
    assert document["run"]["source"] == "jsonl" and document["run"]["engine"] == "offline"
    assert [story["id"] for story in document["stories"]] == [story["id"] for story in report]
    assert [story["rank"] for story in document["stories"]] == list(range(1, len(report) + 1))
    first = document["stories"][0]
    assert first["evidence"][0]["excerpt"] == report[0]["evidence"][0]["excerpt"]
    assert first["first_seen"] == report[0]["first_seen"].isoformat()

    # Markdown: the run header, then every story with its quotes.
    markdown = outputs["md"]
    assert markdown.startswith(f"# Product stories from pipeline run {run.id}")
    assert "| Status | **succeeded**" in markdown and "| Source | jsonl" in markdown
    assert "| Engine | offline |" in markdown and "Warning" not in markdown
    for position, story in enumerate(report, start=1):
        assert f"## {position}. " in markdown
        for quote in story["evidence"]:
            assert f"— conversation {quote['conversation_id']}" in markdown
    assert markdown.index(report[0]["evidence"][0]["conversation_id"]) < markdown.index(f"## {len(report)}. ")
    assert "> " in markdown and "**What customers said**" in markdown

    # CSV: a byte-order mark for Excel, one row per story, the quotes joined in one cell.
    assert outputs["csv"].startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(outputs["csv"][1:])))
    assert [row["story_id"] for row in rows] == [story["id"] for story in report]
    assert tuple(rows[0]) == CSV_COLUMNS
    for row, story in zip(rows, report):
        assert int(row["conversation_count"]) == story["conversation_count"]
        assert row["run_status"] == "succeeded" and row["pipeline_run_id"] == str(run.id)
        for quote in story["evidence"]:
            assert f"[{quote['conversation_id']}] " in row["evidence"]


def test_the_export_command_writes_a_file_or_standard_output(sqlite_url, tmp_path, instance, capsys, schema):
    run = succeeded_pipeline_run(sqlite_url, tmp_path, instance)
    target = tmp_path / "out" / "stories.json"
    target.parent.mkdir()
    assert export_main(["--run", str(run.id), "--format", "json", "--output", str(target), "--database-url", sqlite_url]) == 0
    assert json_schema_check.errors(json.loads(target.read_text(encoding="utf-8")), schema) == []
    assert list(target.parent.iterdir()) == [target]  # no temporary file left beside it
    assert f"exported {run.stories_count} candidate stories of pipeline run {run.id}" in capsys.readouterr().err

    assert export_main(["--run", str(run.id), "--database-url", sqlite_url, "--include-orphans"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith(f"# Product stories from pipeline run {run.id}") and "**Orphan group**" in captured.out

    assert export_main(["--run", str(run.id), "--format", "csv", "--database-url", sqlite_url]) == 0
    assert len(list(csv.DictReader(io.StringIO(capsys.readouterr().out.lstrip("\ufeff"))))) == run.stories_count


def test_an_unknown_run_is_one_line_and_exit_2_and_no_file(sqlite_url, tmp_path, capsys):
    target = tmp_path / "stories.md"
    assert export_main(["--run", "41", "--output", str(target), "--database-url", sqlite_url]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "pipeline run 41 does not exist" in err and "feedback-assets runs" in err
    assert not target.exists()
    assert export_main(["--run", "0", "--database-url", sqlite_url]) == 2  # argparse: not a positive id
    assert export_main(["--run", "1", "--format", "xml", "--database-url", sqlite_url]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_a_run_that_did_not_succeed_is_exported_and_says_so(sqlite_url, capsys, schema):
    engine = make_engine(sqlite_url)
    run = create_run(engine, source="sample")
    update_run(engine, run.id, status="running")
    update_run(engine, run.id, status="failed", error="themes: the engine failed on 30% of conversations\nmore")
    assert export_main(["--run", str(run.id), "--database-url", sqlite_url]) == 0
    captured = capsys.readouterr()
    assert "> **Warning: this run is failed: themes: the engine failed on 30% of conversations.**" in captured.out
    assert "| Status | **failed**" in captured.out and "_No candidate stories in this run._" in captured.out
    assert "the run is failed" in captured.err

    assert export_main(["--run", str(run.id), "--format", "json", "--database-url", sqlite_url]) == 0
    document = json.loads(capsys.readouterr().out)
    assert json_schema_check.errors(document, schema) == []
    assert document["run"]["status"] == "failed" and document["stories"] == [] and document["story_count"] == 0


def _item(excerpt: str, title: str = "Export *fails* <b>", **changes) -> dict:
    item = {
        "rank": 1, "id": "s-1", "issue_signature": "csv_export_fails", "title": title, "status": "candidate",
        "priority": "high", "priority_score": 9.5, "conversation_count": 7, "affected_customers": None,
        "conversation_types": {"product_issue": 7}, "product_area": "reporting", "component": "csv_export",
        "symptoms": ["=SUM(A1)"], "first_seen": "2026-09-21T10:00:00+00:00", "last_seen": "2026-09-22T10:00:00+00:00",
        "description": "**User intent:** export", "evidence": [
            {"rank": 1, "conversation_id": "c1", "excerpt": excerpt, "created_at": "2026-09-21T10:00:00+00:00"}
        ],
    }
    item.update(changes)
    return item


RUN = {"id": 3, "status": "succeeded", "source": "sample", "source_params": None, "window_start": None,
       "window_end": None, "engine": "offline", "created_at": "2026-09-21T10:00:00+00:00", "completed_at": None,
       "error": None, "failed_checks": [], "counts": {"conversations": 1, "classified": 1, "themes": 1,
       "candidate_stories": 1}}


def test_customer_text_cannot_format_markdown_or_run_as_a_spreadsheet_formula():
    out = io.StringIO()
    write_markdown(out, RUN, [_item("**Urgent** <script>x</script>\n- not a list\n\n# not a heading")],
                   generated_at="2026-12-01T09:00:00+00:00", include_orphans=False)
    markdown = out.getvalue()
    assert "## 1. Export \\*fails\\* \\<b\\>" in markdown
    assert "> \\*\\*Urgent\\*\\* \\<script\\>x\\</script\\>" in markdown
    assert "> \\- not a list" in markdown and "> \\# not a heading" in markdown and "\n>\n" in markdown
    assert "(1 of 7 conversations)" in markdown

    out = io.StringIO()
    write_csv(out, RUN, [_item("=HYPERLINK(\"http://evil\")", title="-1+1")], generated_at="x", include_orphans=False)
    row = next(csv.DictReader(io.StringIO(out.getvalue().lstrip("\ufeff"))))
    assert row["title"] == "'-1+1" and row["symptoms"] == "'=SUM(A1)"
    assert row["evidence"] == '[c1] =HYPERLINK("http://evil")'  # not at the start of the cell: left as is


def test_the_published_schema_uses_only_checked_keywords_and_catches_mistakes(schema):
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert json_schema_check.unknown_keywords(schema) == []
    out = io.StringIO()
    write_json = __import__("feedback_assets.export.formats", fromlist=["write_json"]).write_json
    write_json(out, {**RUN, "trigger": "manual", "max_conversations": None, "started_at": None,
                     "estimated_cost_usd": 0.0, "counts": {**RUN["counts"], "classification_failures": 0}},
               [_item("fine")], generated_at="2026-12-01T09:00:00+00:00", include_orphans=False)
    document = json.loads(out.getvalue())
    assert json_schema_check.errors(document, schema) == []
    broken = json.loads(out.getvalue())
    del broken["stories"][0]["evidence"][0]["conversation_id"]
    broken["stories"][0]["priority"] = "urgent"
    broken["run"]["id"] = "3"
    broken["stories"][0]["evidence"][0]["excerpt"] = "x" * 501
    broken["generated_at"] = "yesterday"
    problems = json_schema_check.errors(broken, schema)
    assert any("conversation_id" in p for p in problems) and any("urgent" in p for p in problems)
    assert any(p.startswith("$.run.id") for p in problems) and any("longer than 500" in p for p in problems)
    assert any(p.startswith("$.generated_at") for p in problems)
