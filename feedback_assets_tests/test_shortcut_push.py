"""Pushing a run's stories to Shortcut through the real httpx client against the loopback Shortcut stub:
created once, then unchanged or updated (also from a later pipeline run with the same issues), dry run,
auth, rate limits, failures that leave nothing half-recorded, the command and the Dagster job."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pytest

from feedback_assets.defs.checks import asset_checks
from feedback_assets.defs.resources import FeedbackDatabase, PipelineSettings, SourceSettings, resources_from_env
from feedback_assets.defs.runs import PIPELINE_ASSETS, feedback_checks, feedback_pipeline, settle_run
from feedback_assets.defs.tracker import PUSH_JOB_NAME, PUSH_OP_NAME, ShortcutTracker, push_stories_to_shortcut
from feedback_assets.sources.retry import RetryPolicy
from feedback_assets.storage import create_run, get_run, make_engine, update_run, upgrade
from feedback_assets.storage.story_report import story_report
from feedback_assets.storage.tracker_links import read_links
from feedback_assets.tracker import PushFailed, ShortcutClient, ShortcutSettings, push_run
from feedback_assets.tracker import main as push_main
from feedback_assets.tracker.push import PushRefused, push_lock, story_type
from feedback_assets_tests.dagster_helpers import definitions_for, execute
from feedback_assets_tests.fakes.intercom_stub import intercom_conversation
from feedback_assets_tests.fakes.shortcut_stub import DEFAULT_GROUP_ID, DEFAULT_WORKFLOW_STATE_ID, Fault, ShortcutStub
from feedback_assets_tests.pipeline_data import START, pipeline_conversations, write_jsonl

FAST = RetryPolicy(max_attempts=3, backoff_base=0.0, backoff_cap=0.0)


@pytest.fixture
def instance():
    with dg.instance_for_test() as instance:
        yield instance


@pytest.fixture
def sqlite_url(sqlite_url) -> str:
    """The SQLite database URL, migrated (the shared fixture leaves it empty)."""
    upgrade(make_engine(sqlite_url))
    return sqlite_url


@pytest.fixture
def stub():
    with ShortcutStub() as server:
        yield server


@pytest.fixture
def shortcut_env(monkeypatch, stub):
    """What `feedback-assets push` reads, pointed at the stub (nothing can reach the internet)."""
    monkeypatch.setenv("SHORTCUT_API_URL", stub.base_url)
    monkeypatch.setenv("SHORTCUT_API_TOKEN", stub.token)
    monkeypatch.setenv("SHORTCUT_WORKFLOW_STATE_ID", str(DEFAULT_WORKFLOW_STATE_ID))
    for name in ("SHORTCUT_PROJECT_ID", "SHORTCUT_GROUP_ID", "SHORTCUT_LABELS", "FEEDBACK_CONVERSATION_URL"):
        monkeypatch.delenv(name, raising=False)
    return stub


def settings_for(stub: ShortcutStub, **changes) -> ShortcutSettings:
    values = dict(api_token=stub.token, base_url=stub.base_url, workflow_state_id=DEFAULT_WORKFLOW_STATE_ID)
    values.update(changes)
    return ShortcutSettings(**values)


def client_for(stub: ShortcutStub, sleeps: list[float] | None = None, retry: RetryPolicy = FAST) -> ShortcutClient:
    recorded = sleeps if sleeps is not None else []
    return ShortcutClient(stub.token, stub.base_url, retry=retry, sleep=recorded.append, timeout=5)


def pipeline_run(db_url: str, folder: Path, instance, conversations: list[dict] | None = None):
    """A pipeline run of the small dataset (or ``conversations``) through the real job, settled."""
    folder.mkdir(parents=True, exist_ok=True)
    data = write_jsonl(folder / "conversations.jsonl", conversations)
    engine = make_engine(db_url)
    run = create_run(engine, source="jsonl", source_params={"path": str(data)})
    result = execute(definitions_for(db_url), instance, run.partition_key)
    assert result.success
    settled = settle_run(instance, engine, get_run(engine, run.id), instance.get_run_by_id(result.run_id))
    assert settled.status == "succeeded" and settled.stories_count >= 2
    return settled


def next_week_conversations() -> list[dict]:
    """The same issues a week later, with one more report of the clock-in problem."""
    week = 7 * 24 * 3600
    moved = []
    for conversation in pipeline_conversations():
        conversation = json.loads(json.dumps(conversation))
        conversation["id"] = str(int(conversation["id"]) + 1000)
        conversation["created_at"] += week
        conversation["updated_at"] += week
        moved.append(conversation)
    moved.append(
        intercom_conversation(
            "991001",
            updated_at=START + week + 90 * 3600,
            body="<p>Clock in fails again: the app says we are outside the geofence while we stand in the shop.</p>",
        )
    )
    return moved


def test_pushing_twice_creates_each_story_once(db_url, tmp_path, instance, stub):
    run = pipeline_run(db_url, tmp_path / "week1", instance)
    engine = make_engine(db_url)
    stories = list(story_report(engine, run.id))

    first = push_run(engine, run.id, settings_for(stub), client=client_for(stub))
    assert (first.created, first.updated, first.unchanged) == (len(stories), 0, 0) == (run.stories_count, 0, 0)
    assert first.summary() == f"created {len(stories)}, updated 0, unchanged 0"
    assert len(stub.stories) == len(stories)
    links = read_links(engine, run_id=run.id)
    assert {link.story_id for link in links} == {story["id"] for story in stories}
    by_story = {link.story_id: link for link in links}
    for request, story in zip(stub.requests_to("create"), stories):  # pushed most pressing first
        body = request.body
        assert request.headers["shortcut-token"] == stub.token and body["name"] == story["title"]
        assert body["workflow_state_id"] == DEFAULT_WORKFLOW_STATE_ID and "project_id" not in body
        assert body["story_type"] == story_type(story["conversation_types"])
        assert body["labels"] == [{"name": "feedback-assets"}]
        assert body["external_id"] == f"feedback-assets:{story['issue_signature']}"
        for quote in story["evidence"]:
            assert f"— conversation {quote['conversation_id']}" in body["description"]
        created = stub.stories[int(by_story[story["id"]].external_id)]
        assert created["name"] == story["title"] and by_story[story["id"]].external_url == created["app_url"]

    again = push_run(engine, run.id, settings_for(stub), client=client_for(stub))
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(stories))
    assert len(stub.requests_to("create")) == len(stories) and not stub.requests_to("update")
    assert read_links(engine, run_id=run.id) == links


def test_a_later_pipeline_run_with_the_same_issues_updates_the_same_shortcut_stories(db_url, tmp_path, instance, stub):
    engine = make_engine(db_url)
    week1 = pipeline_run(db_url, tmp_path / "week1", instance)
    pushed = push_run(engine, week1.id, settings_for(stub), client=client_for(stub))
    shortcut_ids = {link.issue_signature: link.external_id for link in read_links(engine, run_id=week1.id)}
    assert pushed.created == len(shortcut_ids)

    week2 = pipeline_run(db_url, tmp_path / "week2", instance, next_week_conversations())
    signatures = {story["issue_signature"] for story in story_report(engine, week2.id)}
    assert signatures == set(shortcut_ids)  # the same issues
    report = push_run(engine, week2.id, settings_for(stub), client=client_for(stub))
    assert (report.created, report.updated, report.unchanged) == (0, len(signatures), 0)
    assert len(stub.stories) == len(shortcut_ids)  # no new ticket for a known issue
    links = read_links(engine, run_id=week2.id)
    assert {link.issue_signature: link.external_id for link in links} == shortcut_ids
    updates = stub.requests_to("update")
    assert sorted(request.path.rsplit("/", 1)[1] for request in updates) == sorted(shortcut_ids.values())
    assert all(set(request.body) == {"description"} for request in updates)  # a PM's name, state, labels stay
    geofence = next(s for s in story_report(engine, week2.id) if s["issue_signature"].startswith("geofence"))
    updated = stub.stories[int(shortcut_ids[geofence["issue_signature"]])]
    assert f"pipeline run {week2.id}" in updated["description"]
    assert f"**Conversations:** {geofence['conversation_count']}" in updated["description"]
    assert all(action.note == f"first pushed by pipeline run {week1.id}" for action in report.actions)

    # Pushing week 1 again changes nothing: its own links say it was sent as it is.
    assert push_run(engine, week1.id, settings_for(stub), client=client_for(stub)).unchanged == len(shortcut_ids)


def test_the_push_command_dry_run_auth_failure_and_summary(sqlite_url, tmp_path, instance, shortcut_env, monkeypatch, capsys):
    stub = shortcut_env
    run = pipeline_run(sqlite_url, tmp_path, instance)
    args = ["--run", str(run.id), "--database-url", sqlite_url]

    monkeypatch.delenv("SHORTCUT_API_TOKEN")  # a dry run needs no token and sends nothing
    assert push_main([*args, "--dry-run"]) == 0
    captured = capsys.readouterr()
    planned = [json.loads(line) for line in captured.out.splitlines()]
    assert len(planned) == run.stories_count and all(item["action"] == "create" for item in planned)
    assert all(item["request"]["method"] == "POST" and item["request"]["body"]["name"] for item in planned)
    assert f"would create {run.stories_count}, update 0, leave 0 unchanged; nothing was sent" in captured.err
    assert stub.requests == [] and read_links(make_engine(sqlite_url)) == []

    monkeypatch.setenv("SHORTCUT_API_TOKEN", "not-the-token-4242")
    assert push_main(args) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "SHORTCUT_API_TOKEN" in err and "HTTP 401" in err
    assert "not-the-token-4242" not in err and "Traceback" not in err
    assert stub.stories == {} and read_links(make_engine(sqlite_url)) == []

    monkeypatch.setenv("SHORTCUT_API_TOKEN", stub.token)
    assert push_main(args) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == f"created {run.stories_count}, updated 0, unchanged 0"
    assert all(line.startswith("created   sc-") and "https://app.shortcut.com/" in line for line in out[:-1])
    assert push_main(args) == 0
    assert capsys.readouterr().out.splitlines()[-1] == f"created 0, updated 0, unchanged {run.stories_count}"

    assert push_main([*args, "--dry-run"]) == 0
    assert {json.loads(line)["action"] for line in capsys.readouterr().out.splitlines()} == {"unchanged"}


def test_a_rate_limit_is_waited_out_as_the_server_asks(sqlite_url, tmp_path, instance, stub):
    run = pipeline_run(sqlite_url, tmp_path, instance)
    engine = make_engine(sqlite_url)
    stub.fail("create", Fault(429, headers={"Retry-After": "7"}), Fault(503))
    sleeps: list[float] = []
    report = push_run(engine, run.id, settings_for(stub), client=client_for(stub, sleeps))
    assert report.created == run.stories_count == len(stub.stories)  # no duplicate from the retries
    assert sleeps == [7.0, 0.0]  # Retry-After honoured; the 503 backed off (0 s under the test policy)
    assert len(stub.requests_to("create")) == run.stories_count + 2


def test_a_server_error_that_persists_stops_the_push_with_nothing_half_recorded(db_url, tmp_path, instance, stub):
    run = pipeline_run(db_url, tmp_path, instance)
    engine = make_engine(db_url)
    stories = list(story_report(engine, run.id))
    # The first create goes through; the second gets a 500 on every attempt.
    stub.fail("create", Fault(), *(Fault(500) for _ in range(FAST.max_attempts)))

    with pytest.raises(PushFailed) as failure:
        push_run(engine, run.id, settings_for(stub), client=client_for(stub))
    message = str(failure.value)
    assert f"push stopped at story 2 ({stories[1]['title']!r})" in message
    assert "gave up after 3 attempts; last: HTTP 500" in message and "created 1, updated 0, unchanged 0" in message
    assert "\n" not in message
    links = read_links(engine, run_id=run.id)
    assert [link.story_id for link in links] == [stories[0]["id"]]  # exactly what exists in Shortcut
    assert [int(link.external_id) for link in links] == list(stub.stories)

    report = push_run(engine, run.id, settings_for(stub), client=client_for(stub))  # the fault is used up
    assert (report.created, report.updated, report.unchanged) == (len(stories) - 1, 0, 1)
    assert len(stub.stories) == len(stories) == len(read_links(engine, run_id=run.id))


def test_a_create_whose_answer_is_lost_is_not_retried_into_a_duplicate(sqlite_url, tmp_path, instance, stub):
    run = pipeline_run(sqlite_url, tmp_path, instance)
    engine = make_engine(sqlite_url)
    stub.fail("create", Fault(drop=True, apply_before_drop=True))
    with pytest.raises(PushFailed) as failure:
        push_run(engine, run.id, settings_for(stub), client=client_for(stub))
    assert "the story may have been created in Shortcut" in str(failure.value)
    assert failure.value.cause.outcome_unknown
    assert len(stub.requests_to("create")) == 1 and len(stub.stories) == 1  # sent once, never retried
    assert read_links(engine) == []


def test_a_story_deleted_in_shortcut_is_created_again(sqlite_url, tmp_path, instance, stub):
    engine = make_engine(sqlite_url)
    week1 = pipeline_run(sqlite_url, tmp_path / "week1", instance)
    push_run(engine, week1.id, settings_for(stub), client=client_for(stub))
    gone = read_links(engine, run_id=week1.id)[0]
    stub.delete(int(gone.external_id))

    week2 = pipeline_run(sqlite_url, tmp_path / "week2", instance, next_week_conversations())
    report = push_run(engine, week2.id, settings_for(stub), client=client_for(stub))
    assert (report.created, report.updated) == (1, week2.stories_count - 1)
    recreated = next(a for a in report.actions if a.action == "create")
    assert recreated.issue_signature == gone.issue_signature and "no longer exists" in recreated.note
    assert len(stub.stories) == week2.stories_count
    link = next(l for l in read_links(engine, run_id=week2.id) if l.issue_signature == gone.issue_signature)
    assert link.external_id == recreated.shortcut_story_id != gone.external_id


def test_only_a_succeeded_and_configured_run_is_pushed(sqlite_url, shortcut_env, monkeypatch, capsys):
    engine = make_engine(sqlite_url)
    pending = create_run(engine, source="sample")
    assert push_main(["--run", str(pending.id), "--database-url", sqlite_url]) == 2
    err = capsys.readouterr().err
    assert f"pipeline run {pending.id} is pending: only a succeeded run's stories are pushed" in err
    assert push_main(["--run", "77", "--database-url", sqlite_url]) == 2
    assert "pipeline run 77 does not exist" in capsys.readouterr().err

    done = create_run(engine, source="sample")
    update_run(engine, done.id, status="running")
    update_run(engine, done.id, status="succeeded")
    monkeypatch.delenv("SHORTCUT_WORKFLOW_STATE_ID")
    assert push_main(["--run", str(done.id), "--database-url", sqlite_url]) == 2
    assert "SHORTCUT_WORKFLOW_STATE_ID" in capsys.readouterr().err
    monkeypatch.setenv("SHORTCUT_PROJECT_ID", "12x")
    assert push_main(["--run", str(done.id), "--database-url", sqlite_url]) == 2
    assert "SHORTCUT_PROJECT_ID must be a whole number" in capsys.readouterr().err
    assert shortcut_env.requests == []


def test_settings_shape_the_payload_group_labels_and_conversation_links(sqlite_url, tmp_path, instance, stub):
    run = pipeline_run(sqlite_url, tmp_path, instance)
    engine = make_engine(sqlite_url)
    settings = settings_for(
        stub, group_id=DEFAULT_GROUP_ID, labels=("feedback", "support"),
        conversation_url="https://app.intercom.com/a/inbox/abc/inbox/conversation/{conversation_id}",
    )
    push_run(engine, run.id, settings, client=client_for(stub))
    first = stub.requests_to("create")[0].body
    story = next(iter(story_report(engine, run.id)))
    assert first["group_id"] == DEFAULT_GROUP_ID and first["labels"] == [{"name": "feedback"}, {"name": "support"}]
    assert first["external_links"] == [
        f"https://app.intercom.com/a/inbox/abc/inbox/conversation/{quote['conversation_id']}" for quote in story["evidence"]
    ]
    assert story_type({"feature_request": 3, "product_issue": 1}) == "feature"
    assert story_type({"how_to_question": 2}) == "chore" and story_type({"product_issue": 2, "feature_request": 2}) == "bug"


def test_the_dagster_job_pushes_with_the_same_function(sqlite_url, tmp_path, instance, stub):
    shortcut = ShortcutTracker(api_token=stub.token, base_url=stub.base_url, workflow_state_id=DEFAULT_WORKFLOW_STATE_ID)
    # The code location as definitions.py builds it, plus the push job and its resource.
    defs = dg.Definitions(
        assets=list(PIPELINE_ASSETS),
        asset_checks=asset_checks,
        jobs=[feedback_pipeline, feedback_checks, push_stories_to_shortcut],
        resources={
            **resources_from_env(),
            "database": FeedbackDatabase(url=sqlite_url),
            "sources": SourceSettings(),
            "pipeline": PipelineSettings(),
            "shortcut": shortcut,
        },
    )
    run = pipeline_run(sqlite_url, tmp_path, instance)
    job = defs.resolve_job_def(PUSH_JOB_NAME)
    config = {"ops": {PUSH_OP_NAME: {"config": {"run_id": run.id}}}, "loggers": {"console": {"config": {"log_level": "WARNING"}}}}

    result = job.execute_in_process(run_config=config, instance=instance)
    assert result.success and result.output_for_node(PUSH_OP_NAME)["created"] == run.stories_count
    assert len(stub.stories) == run.stories_count
    again = job.execute_in_process(run_config=config, instance=instance)
    assert again.output_for_node(PUSH_OP_NAME) == {"run_id": run.id, "created": 0, "updated": 0, "unchanged": run.stories_count}

    unknown = job.execute_in_process(
        run_config={**config, "ops": {PUSH_OP_NAME: {"config": {"run_id": run.id + 50}}}}, instance=instance, raise_on_error=False
    )
    assert not unknown.success


def test_one_push_at_a_time_per_database(db_url, tmp_path):
    engine = make_engine(db_url)
    with push_lock(engine):
        with pytest.raises(PushRefused, match="another push to Shortcut is running"):
            with push_lock(engine):
                pass
    with push_lock(engine):  # released
        pass
    if engine.dialect.name != "sqlite":
        return
    # Another process holding the SQLite lock file is seen too.
    ready = tmp_path / "holding"
    holder = subprocess.Popen(
        [sys.executable, "-c", (
            "import sys, time, pathlib\n"
            "from feedback_assets.storage import make_engine\n"
            "from feedback_assets.tracker.push import push_lock\n"
            "with push_lock(make_engine(sys.argv[1])):\n"
            "    pathlib.Path(sys.argv[2]).write_text('1')\n"
            "    time.sleep(30)\n"
        ), db_url, str(ready)],
    )
    try:
        deadline = time.monotonic() + 30
        while not ready.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert ready.exists()
        with pytest.raises(PushRefused):
            with push_lock(engine):
                pass
    finally:
        holder.kill()
        holder.wait()
    with push_lock(engine):  # the kernel dropped the dead holder's lock
        pass
