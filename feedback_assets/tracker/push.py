"""Pushing a pipeline run's candidate stories to Shortcut, idempotently.

For each candidate story, most pressing first (``storage.story_report``):

1. **Unchanged** — this run's story was pushed already and what would be sent now is what was sent then
   (same ``payload_hash``): nothing is sent.
2. **Update** — a link exists for its ``issue_signature``: this run's own, else the newest other run's (the
   same issue seen again next week). ``PUT /stories/{id}`` rewrites the description (the run's latest
   evidence); name, workflow state, owners, labels, type and estimate stay as people left them in
   Shortcut. The link is recorded for this run too. A story deleted in Shortcut (404) is created again.
3. **Create** — no link: ``POST /stories``, and the link is recorded right away, in its own transaction,
   before the next story is touched.

So a push that stops (a 5xx that outlives its retries, a lost connection, a kill) has recorded exactly the
stories that exist in Shortcut, and pushing again continues where it stopped. Only one push runs at a time
per database (``push_lock``: a PostgreSQL advisory lock, or a lock on ``<database>.push-lock`` for SQLite),
so two pushes cannot both create the same story. Only a ``succeeded`` run is pushed; a dry run (any status)
sends nothing and reports what would be sent.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import threading
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Mapping
from urllib.parse import quote as url_quote

from sqlalchemy import Engine, text

from feedback_assets.export.document import run_header, story_item
from feedback_assets.export.markdown import quotes_section, story_facts
from feedback_assets.storage.runs import get_run, parse_run_id
from feedback_assets.storage.story_report import story_report
from feedback_assets.storage.tracker_links import TrackerLink, links_for_run_signatures, record_link
from feedback_assets.tracker.shortcut import (
    DESCRIPTION_MAX_CHARS,
    NAME_MAX_CHARS,
    ShortcutClient,
    ShortcutSettings,
    TrackerAuthError,
    TrackerConfigError,
    TrackerError,
    TrackerNotFound,
)

TRACKER = "shortcut"
PUSH_LOCK_SPACE = 0x46425055
"""First key of the push's PostgreSQL advisory lock ("FBPU"); the partition leases use another space."""


class PushRefused(TrackerConfigError):
    """The run cannot be pushed as it is (it did not succeed), or another push is running."""


class PushFailed(TrackerError):
    """A push stopped at one story; ``report`` holds what was done (and recorded) before it."""

    def __init__(self, message: str, report: "PushReport", cause: TrackerError) -> None:
        super().__init__(message)
        self.report = report
        self.cause = cause


@dataclass
class PushAction:
    """What the push did (or, in a dry run, would do) with one story."""

    rank: int
    story_id: str
    issue_signature: str
    title: str
    action: str  # "create", "update" or "unchanged"
    shortcut_story_id: str | None = None
    app_url: str | None = None
    method: str | None = None
    path: str | None = None
    body: dict[str, Any] | None = None
    note: str | None = None
    payload_hash: str = field(default="", repr=False)
    """Hash of the full create payload: what the link records, to tell "unchanged" next time."""
    create_body: dict[str, Any] | None = field(default=None, repr=False)

    def as_dict(self) -> dict[str, Any]:
        record = {
            "rank": self.rank,
            "action": self.action,
            "story_id": self.story_id,
            "issue_signature": self.issue_signature,
            "title": self.title,
            "shortcut_story_id": self.shortcut_story_id,
            "app_url": self.app_url,
        }
        if self.method:
            record["request"] = {"method": self.method, "path": self.path, "body": self.body}
        if self.note:
            record["note"] = self.note
        return record


@dataclass
class PushReport:
    run_id: int
    dry_run: bool
    actions: list[PushAction] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for item in self.actions if item.action == action)

    @property
    def created(self) -> int:
        return self.count("create")

    @property
    def updated(self) -> int:
        return self.count("update")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    def summary(self) -> str:
        if self.dry_run:
            return (
                f"dry run of pipeline run {self.run_id}: would create {self.created}, update {self.updated}, "
                f"leave {self.unchanged} unchanged; nothing was sent"
            )
        return f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}"


# --- what is sent ------------------------------------------------------------------------------------


def story_type(conversation_types: Mapping[str, int]) -> str:
    """``bug`` when product issues are the most common type, ``feature`` for feature requests, else
    ``chore`` (how-to questions: documentation or discoverability work). Ties go bug, feature, chore."""
    bug = conversation_types.get("product_issue", 0)
    feature = conversation_types.get("feature_request", 0)
    chore = sum(conversation_types.values()) - bug - feature
    return max((bug, 2, "bug"), (feature, 1, "feature"), (chore, 0, "chore"))[2]


def shortcut_description(item: Mapping[str, Any], run: Mapping[str, Any]) -> str:
    """The story's facts, description and quotes, and where they came from. A function of the run's rows
    only (nothing time-dependent), so pushing the same run again finds it unchanged."""
    window_end = run.get("window_end")
    origin = (
        f"_From feedback-assets pipeline run {run['id']} (source {run['source']}, engine {run['engine']}"
        + (f", conversations updated before {window_end[:10]}" if window_end else "")
        + f"). Issue signature `{item['issue_signature']}`: a later run with the same signature updates "
        "this story._"
    )
    text = "\n\n".join([story_facts(item), item["description"].strip(), quotes_section(item), "---", origin])
    if len(text) > DESCRIPTION_MAX_CHARS:
        text = text[: DESCRIPTION_MAX_CHARS - 1] + "…"
    return text


def create_payload(item: Mapping[str, Any], run: Mapping[str, Any], settings: ShortcutSettings) -> dict[str, Any]:
    """The ``POST /stories`` body of one exported story (``export.document.story_item``)."""
    title = item["title"].strip() or item["issue_signature"]
    payload: dict[str, Any] = {
        "name": title if len(title) <= NAME_MAX_CHARS else title[: NAME_MAX_CHARS - 1] + "…",
        "description": shortcut_description(item, run),
        "story_type": story_type(item["conversation_types"]),
        "external_id": f"feedback-assets:{item['issue_signature']}",
        "labels": [{"name": label} for label in settings.labels],
    }
    if settings.workflow_state_id is not None:
        payload["workflow_state_id"] = settings.workflow_state_id
    elif settings.project_id is not None:
        payload["project_id"] = settings.project_id
    if settings.group_id:
        payload["group_id"] = settings.group_id
    if settings.conversation_url:
        payload["external_links"] = [
            settings.conversation_url.replace("{conversation_id}", url_quote(str(quote["conversation_id"]), safe=""))
            for quote in item["evidence"]
        ]
    return payload


def update_payload(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The ``PUT /stories/{id}`` body: the description only (see the module docstring)."""
    return {"description": payload["description"]}


def payload_hash(payload: Mapping[str, Any]) -> str:
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# --- one push at a time ------------------------------------------------------------------------------

_process_locks: dict[str, threading.Lock] = {}
_process_locks_guard = threading.Lock()


@contextmanager
def _process_lock(key: str, busy: Exception) -> Iterator[None]:
    """This process's share of a SQLite push lock: a POSIX file lock does not exclude its own process."""
    with _process_locks_guard:
        lock = _process_locks.setdefault(key, threading.Lock())
    if not lock.acquire(blocking=False):
        raise busy
    try:
        yield
    finally:
        lock.release()


@contextmanager
def push_lock(engine: Engine) -> Iterator[None]:
    """Hold the database's push lock for the block; ``PushRefused`` at once when another push holds it (in
    this process or another one)."""
    busy = PushRefused(
        "another push to Shortcut is running on this database; wait for it to finish and push again"
    )
    if engine.dialect.name == "postgresql":
        connection = engine.connect()
        try:
            taken = connection.execute(
                text("SELECT pg_try_advisory_lock(:space, 0)"), {"space": PUSH_LOCK_SPACE}
            ).scalar_one()
            connection.commit()
            if not taken:
                raise busy
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:space, 0)"), {"space": PUSH_LOCK_SPACE})
                connection.commit()
        finally:
            connection.close()
        return
    database = engine.url.database
    if not database or database == ":memory:":
        with _process_lock(f"memory:{id(engine)}", busy):
            yield
        return
    path = os.path.abspath(f"{database}.push-lock")
    with _process_lock(path, busy):
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.lockf(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                raise busy from None
            try:
                yield
            finally:
                fcntl.lockf(descriptor, fcntl.LOCK_UN)
        finally:
            os.close(descriptor)


# --- the push ----------------------------------------------------------------------------------------


def push_run(
    engine: Engine,
    run_id: int | str,
    settings: ShortcutSettings,
    *,
    client: ShortcutClient | None = None,
    dry_run: bool = False,
    on_action: Callable[[PushAction], None] | None = None,
) -> PushReport:
    """Push run ``run_id``'s candidate stories (see the module docstring); returns what was done.

    ``client`` defaults to one made from ``settings`` (and closed afterwards). ``on_action`` is called after
    each story is settled (created and recorded, updated, or found unchanged). Raises ``UnknownRun``,
    ``PushRefused`` (the run did not succeed; another push is running), ``TrackerConfigError`` (settings),
    or ``PushFailed`` wrapping the tracker error of the story it stopped at.
    """
    run = get_run(engine, parse_run_id(run_id))
    header = run_header(run)
    report = PushReport(run_id=run.id, dry_run=dry_run)
    if dry_run:
        links = links_for_run_signatures(engine, run.id, TRACKER)
        with closing(story_report(engine, run.id)) as stories:
            for rank, story in enumerate(stories, start=1):
                action = _plan(story_item(story, rank), header, settings, links)
                report.actions.append(action)
                if on_action:
                    on_action(action)
        return report
    if run.status != "succeeded":
        reason = f" ({run.error.strip().splitlines()[0]})" if run.error and run.error.strip() else ""
        remedy = (
            "push it when `feedback-assets runs` shows it succeeded"
            if run.status in ("pending", "running")
            else f"`feedback-assets resume {run.id}` completes it"
        )
        raise PushRefused(
            f"pipeline run {run.id} is {run.status}{reason}: only a succeeded run's stories are pushed "
            f"({remedy}; --dry-run shows what would be sent)"
        )
    settings.check_for_push()
    own_client = client is None
    client = client or ShortcutClient.from_settings(settings)
    try:
        with push_lock(engine), closing(story_report(engine, run.id)) as stories:
            links = links_for_run_signatures(engine, run.id, TRACKER)  # read under the lock
            for rank, story in enumerate(stories, start=1):
                item = story_item(story, rank)
                action = _plan(item, header, settings, links)
                try:
                    _apply(engine, client, run.id, action)
                except TrackerError as error:
                    raise PushFailed(_failure_text(action, error, report), report, error) from error
                report.actions.append(action)
                if on_action:
                    on_action(action)
    finally:
        if own_client:
            client.close()
    return report


def _plan(
    item: Mapping[str, Any], run: Mapping[str, Any], settings: ShortcutSettings, links: Mapping[str, TrackerLink]
) -> PushAction:
    payload = create_payload(item, run, settings)
    digest = payload_hash(payload)
    link = links.get(item["issue_signature"])
    action = PushAction(
        rank=item["rank"], story_id=item["id"], issue_signature=item["issue_signature"], title=item["title"],
        action="create", method="POST", path="/stories", body=payload, payload_hash=digest, create_body=payload,
    )
    if link is None:
        return action
    action.shortcut_story_id, action.app_url = link.external_id, link.external_url
    if link.pipeline_run_id == run["id"] and link.payload_hash == digest:
        action.action, action.method, action.path, action.body = "unchanged", None, None, None
        return action
    action.action, action.method = "update", "PUT"
    action.path, action.body = f"/stories/{link.external_id}", update_payload(payload)
    if link.pipeline_run_id != run["id"]:
        action.note = f"first pushed by pipeline run {link.pipeline_run_id}"
    return action


def _apply(engine: Engine, client: ShortcutClient, run_id: int, action: PushAction) -> None:
    """Send one story's request and record its link right after the answer."""
    if action.action == "unchanged":
        return
    if action.action == "update":
        try:
            answer = client.update_story(action.shortcut_story_id, action.body or {})
        except TrackerNotFound:
            # Deleted in Shortcut: open it again (a person may have deleted it by mistake, or it was a test).
            action.action, action.method, action.path = "create", "POST", "/stories"
            action.note = f"Shortcut story {action.shortcut_story_id} no longer exists; created again"
            action.body = action.create_body
            answer = client.create_story(action.body)
    else:
        answer = client.create_story(action.body or {})
    action.shortcut_story_id = str(answer["id"])
    action.app_url = answer.get("app_url") if isinstance(answer.get("app_url"), str) else action.app_url
    record_link(
        engine,
        run_id=run_id,
        story_id=action.story_id,
        tracker=TRACKER,
        issue_signature=action.issue_signature,
        external_id=action.shortcut_story_id,
        external_url=action.app_url,
        payload_hash=action.payload_hash,
    )


def _failure_text(action: PushAction, error: TrackerError, report: PushReport) -> str:
    done = report.summary()
    where = f"story {action.rank} ({action.title!r})"
    if isinstance(error, TrackerAuthError):
        return f"{error} [stopped at {where}; before it: {done}]"
    return (
        f"push stopped at {where}: {error}. Before it: {done}, all recorded; pushing again continues from "
        "this story"
    )
