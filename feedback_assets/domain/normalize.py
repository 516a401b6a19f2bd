"""Intercom conversation objects (REST API v2.x shape) → normalised ``Conversation`` records.

What is read: ``id``, ``created_at``/``updated_at`` (unix seconds), ``source{delivered_as, author{type},
subject, body (HTML), url}``, ``tags{tags[{name}]}`` and ``conversation_parts{conversation_parts[{part_type,
author{type}, body}]}``. Bodies become plain text: tags removed (block tags such as ``<p>``/``<br>`` become
whitespace), entities decoded, NUL and other control characters and lone surrogates removed (PostgreSQL
rejects them), whitespace folded, length capped. When the opening message is empty (a customer who opened
with an attachment, say) the first customer part's text stands in for it.

A malformed record (not an object, no id, bad timestamps) raises ``MalformedConversation`` naming the record
and the problem; ``normalise_many`` turns those into per-record errors and carries on with the rest.
``normalise_stream`` does the same lazily for a source stream (bounded memory): the source has already
kept one latest version per ``conversation_identity`` (the id the table is keyed on), so the stream only
remembers which ids it has emitted.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from typing import Any, Iterable, Iterator, Mapping

from pydantic import ValidationError

from feedback_assets import timestamps
from feedback_assets.domain.models import CUSTOMER_AUTHOR_TYPES, Conversation, QualityVerdict
from feedback_assets.domain.text import FUNCTION_WORDS, truncate, words

BODY_MAX_CHARS = 8000
"""Cap on the plain-text opening message. Real support openers are far shorter; the cap bounds storage and
analysis cost when someone pastes a log file. Longer text is cut at a word boundary and ends with "…"."""
MESSAGE_MAX_CHARS = 2000
"""Cap on each later message (support replies and customer follow-ups)."""
MAX_MESSAGES_KEPT = 50
"""At most this many support replies and this many customer follow-ups are kept per conversation."""
SUBJECT_MAX_CHARS = 500
CONVERSATION_ID_MAX_CHARS = 64

SUPPORT_AUTHOR_TYPES = frozenset({"admin", "bot", "team"})
# Internal notes are never shown to the customer, so they are not "what support replied".
HIDDEN_PART_TYPES = frozenset({"note", "note_and_reopen"})



class MalformedConversation(ValueError):
    """A record that cannot become a Conversation; the message names the record and what is wrong."""

    def __init__(self, message: str, conversation_id: str | None = None):
        super().__init__(message)
        self.conversation_id = conversation_id


@dataclass(frozen=True)
class RecordError:
    position: int
    """0-based index of the record in the input."""
    conversation_id: str | None
    message: str


@dataclass
class NormaliseReport:
    conversations: list[Conversation] = field(default_factory=list)
    """One per id (its latest version), ordered by (created_at, conversation_id)."""
    errors: list[RecordError] = field(default_factory=list)
    duplicates: int = 0
    """Records that were an older (or identical) version of an id seen elsewhere in the input."""


@dataclass
class StreamReport:
    """What ``normalise_stream`` saw, filled in as the stream is consumed."""

    normalised: int = 0
    errors: list[RecordError] = field(default_factory=list)
    """The first ``MAX_ERRORS_KEPT`` malformed records (``error_count`` counts them all)."""
    error_count: int = 0
    duplicates: int = 0
    """Records whose id had already been emitted (the first one is kept)."""
    cleaned_ids: list[str] = field(default_factory=list)
    """``'raw' → 'stored'`` for the first ``MAX_ERRORS_KEPT`` ids that cleaning changed (control characters
    such as NUL, or runs of whitespace): stored ids are never changed silently."""
    cleaned_id_count: int = 0


MAX_ERRORS_KEPT = 1000


# --- HTML → text -----------------------------------------------------------------------------------------
_BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 header hr "
    "li main nav ol p pre section table tbody td tfoot th thead tr ul".split()
)
_SKIPPED_TAGS = frozenset({"script", "style", "head", "title", "template"})
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff]")
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
_WHITESPACE = re.compile(r"\s+")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self.parts.append(f" {alt} ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _SKIPPED_TAGS:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def clean_text(text: str) -> str:
    """Plain text safe for any database: no NUL/control characters, no lone surrogates, folded whitespace."""
    text = _LONE_SURROGATE.sub("\ufffd", text)
    text = _CONTROL_CHARACTERS.sub(" ", text)
    return _WHITESPACE.sub(" ", text).strip()


def html_to_text(html: str | None, *, limit: int = BODY_MAX_CHARS) -> str:
    """Visible text of an HTML fragment, entities decoded, whitespace folded, at most ``limit`` characters."""
    if not html:
        return ""
    if "<" in html or "&" in html:
        extractor = _TextExtractor()
        extractor.feed(html)
        extractor.close()
        html = "".join(extractor.parts)
    return truncate(clean_text(html), limit)


# --- field readers ---------------------------------------------------------------------------------------
def conversation_identity(raw_id: object) -> str:
    """The id a source id is stored under (control characters and surrounding/inner runs of whitespace
    folded): sources use it to keep one latest version per stored id. Ids that clean to nothing stay as
    they are (and are refused as malformed later)."""
    text = str(raw_id)
    return clean_text(text) or text


def _read_id(raw: Mapping[str, Any]) -> str:
    value = raw.get("id")
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        keys = ", ".join(sorted(map(str, raw)))[:200] or "none"
        problem = "without an 'id'" if value is None else f"with an id of type {type(value).__name__}"
        raise MalformedConversation(f"conversation record {problem} (keys: {keys})")
    conversation_id = clean_text(str(value))
    if not conversation_id:
        raise MalformedConversation("conversation record with an empty 'id'")
    if len(conversation_id) > CONVERSATION_ID_MAX_CHARS:
        raise MalformedConversation(
            f"conversation {conversation_id[:40]!r}…: id longer than {CONVERSATION_ID_MAX_CHARS} characters",
            conversation_id[:CONVERSATION_ID_MAX_CHARS],
        )
    return conversation_id


def parse_timestamp(value: object, *, name: str, conversation_id: str) -> datetime:
    """Unix seconds (int, float or digit string) or an ISO 8601 string → an aware UTC datetime."""
    try:
        return timestamps.parse_timestamp(value)
    except timestamps.TimestampError as error:
        raise MalformedConversation(f"conversation {conversation_id!r}: {name} {error.problem}", conversation_id) from None


def _mapping(value: object, *, name: str, conversation_id: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise MalformedConversation(
            f"conversation {conversation_id!r}: {name} is not an object (got {type(value).__name__})",
            conversation_id,
        )
    return value


def _optional_text(value: object, limit: int) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = html_to_text(str(value), limit=limit)
    return text or None


def _customer_id(raw: Mapping[str, Any], opening: Mapping[str, Any]) -> str | None:
    """The first contact of the conversation, else the opening message's author when that is a customer."""
    contacts = raw.get("contacts")
    listed = contacts.get("contacts") if isinstance(contacts, Mapping) else None
    if isinstance(listed, list):
        for contact in listed:
            if isinstance(contact, Mapping) and contact.get("id") not in (None, ""):
                return _optional_text(contact["id"], 64)
    author = opening.get("author")
    if isinstance(author, Mapping) and _author_type(opening) in CUSTOMER_AUTHOR_TYPES and author.get("id") not in (None, ""):
        return _optional_text(author["id"], 64)
    return None


def _author_type(container: Mapping[str, Any]) -> str | None:
    author = container.get("author")
    if isinstance(author, Mapping) and isinstance(author.get("type"), str):
        return clean_text(author["type"]).lower()[:32] or None
    return None


def _parts(raw: Mapping[str, Any], conversation_id: str) -> list[Mapping[str, Any]]:
    container = raw.get("conversation_parts")
    if container is None:
        return []
    parts = container.get("conversation_parts") if isinstance(container, Mapping) else container
    if parts is None:
        return []
    if not isinstance(parts, list):
        raise MalformedConversation(
            f"conversation {conversation_id!r}: conversation_parts is not a list "
            f"(got {type(parts).__name__})",
            conversation_id,
        )
    return [part for part in parts if isinstance(part, Mapping)]


def _tags(raw: Mapping[str, Any]) -> list[str]:
    container = raw.get("tags")
    items = container.get("tags") if isinstance(container, Mapping) else container
    names = []
    for item in items if isinstance(items, list) else []:
        name = item.get("name") if isinstance(item, Mapping) else item
        if isinstance(name, str) and clean_text(name):
            names.append(clean_text(name)[:100])
    return names


def guess_language(text: str) -> str | None:
    """ISO 639-1 code of the language whose function words dominate, or None when unsure."""
    tokens = words(text)
    if len(tokens) < 4:
        return None
    scores = {code: sum(token in markers for token in tokens) for code, markers in FUNCTION_WORDS.items()}
    best = max(sorted(scores), key=lambda code: scores[code])
    ranked = sorted(scores.values(), reverse=True)
    if ranked[0] < 2 or ranked[0] == ranked[1]:
        return None
    return best


# --- public API ------------------------------------------------------------------------------------------
def normalise_conversation(raw: object, *, source: str) -> Conversation:
    """One Intercom conversation object → a Conversation, or ``MalformedConversation`` saying why not."""
    if not isinstance(raw, Mapping):
        raise MalformedConversation(f"conversation record is not an object (got {type(raw).__name__})")
    conversation_id = _read_id(raw)
    created_at = parse_timestamp(raw.get("created_at"), name="created_at", conversation_id=conversation_id)
    updated_raw = raw.get("updated_at")
    # Intercom always sends updated_at; an export that dropped it is read as "never updated".
    updated_at = (
        created_at
        if updated_raw is None
        else parse_timestamp(updated_raw, name="updated_at", conversation_id=conversation_id)
    )
    opening = _mapping(raw.get("source"), name="source", conversation_id=conversation_id)

    support_messages: list[str] = []
    customer_messages: list[str] = []
    for part in _parts(raw, conversation_id):
        if str(part.get("part_type") or "").lower() in HIDDEN_PART_TYPES:
            continue
        text = html_to_text(
            part.get("body") if isinstance(part.get("body"), str) else None, limit=MESSAGE_MAX_CHARS
        )
        if not text:
            continue
        author = _author_type(part)
        if author in SUPPORT_AUTHOR_TYPES and len(support_messages) < MAX_MESSAGES_KEPT:
            support_messages.append(text)
        elif author in CUSTOMER_AUTHOR_TYPES and len(customer_messages) < MAX_MESSAGES_KEPT:
            customer_messages.append(text)

    body_html = opening.get("body")
    body = html_to_text(body_html if isinstance(body_html, str) else None)
    if not body and customer_messages:
        # The question is in the first customer part; it becomes the opening message.
        body = truncate(customer_messages.pop(0), BODY_MAX_CHARS)

    delivered_as = _optional_text(opening.get("delivered_as"), 64)
    try:
        return Conversation(
            conversation_id=conversation_id,
            source=source,
            created_at=created_at,
            updated_at=updated_at,
            author_type=_author_type(opening),
            customer_id=_customer_id(raw, opening),
            delivered_as=delivered_as,
            subject=_optional_text(opening.get("subject"), SUBJECT_MAX_CHARS),
            body=body,
            url=_optional_text(opening.get("url"), 2000),
            support_messages=support_messages,
            customer_messages=customer_messages,
            tags=_tags(raw),
            language=guess_language(body),
        )
    except ValidationError as error:  # defensive: every field is pre-checked above
        raise MalformedConversation(f"conversation {conversation_id!r}: {error}", conversation_id) from error


def _version_key(conversation: Conversation) -> tuple:
    # Latest updated_at wins; equal timestamps fall back to content so the choice never depends on order.
    return (
        conversation.updated_at,
        len(conversation.support_messages) + len(conversation.customer_messages),
        conversation.model_dump_json(),
    )


def normalise_many(raws: Iterable[object], *, source: str) -> NormaliseReport:
    """Normalise a batch: per-record errors are collected, each id is kept once in its latest version."""
    report = NormaliseReport()
    latest: dict[str, Conversation] = {}
    for position, raw in enumerate(raws):
        try:
            conversation = normalise_conversation(raw, source=source)
        except MalformedConversation as error:
            report.errors.append(RecordError(position, error.conversation_id, f"record {position}: {error}"))
            continue
        previous = latest.get(conversation.conversation_id)
        if previous is not None:
            report.duplicates += 1
            if _version_key(previous) >= _version_key(conversation):
                continue
        latest[conversation.conversation_id] = conversation
    report.conversations = sorted(latest.values(), key=lambda c: (c.created_at, c.conversation_id))
    return report


def normalise_stream(raws: Iterable[object], *, source: str, report: StreamReport) -> Iterator[Conversation]:
    """Normalise records as they come, for a stream that holds one latest version per
    ``conversation_identity`` (what a source's ``stream(identity=conversation_identity)`` yields).

    Malformed records are counted in ``report`` (the first ``MAX_ERRORS_KEPT`` kept with their message)
    and skipped; an id met again (a source that broke its contract) keeps its first version and is
    counted in ``report.duplicates``. Memory: the set of emitted ids, never the conversations.
    """
    emitted: set[str] = set()
    for position, raw in enumerate(raws):
        try:
            conversation = normalise_conversation(raw, source=source)
        except MalformedConversation as error:
            report.error_count += 1
            if len(report.errors) < MAX_ERRORS_KEPT:
                report.errors.append(RecordError(position, error.conversation_id, f"record {position}: {error}"))
            continue
        if conversation.conversation_id in emitted:
            report.duplicates += 1
            continue
        emitted.add(conversation.conversation_id)
        report.normalised += 1
        raw_id = str(raw.get("id")) if isinstance(raw, Mapping) else conversation.conversation_id
        if raw_id != conversation.conversation_id:
            report.cleaned_id_count += 1
            if len(report.cleaned_ids) < MAX_ERRORS_KEPT:
                report.cleaned_ids.append(f"{raw_id!r} → {conversation.conversation_id!r}")
        yield conversation


def _aware(value: object, name: str, conversation_id: str) -> datetime:
    if isinstance(value, datetime):
        return timestamps.as_utc(value)
    return parse_timestamp(value, name=name, conversation_id=conversation_id)


def _json_list(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = json.loads(value)
    return [str(item) for item in value]


def conversation_from_row(row: Mapping[str, Any]) -> Conversation:
    """A ``conversations`` table row (as a dict) → Conversation; extra columns (run id, quality verdict)
    are ignored."""
    conversation_id = str(row["conversation_id"])
    return Conversation(
        conversation_id=conversation_id,
        source=row["source"],
        created_at=_aware(row["created_at"], "created_at", conversation_id),
        updated_at=_aware(row["updated_at"], "updated_at", conversation_id),
        author_type=row.get("author_type"),
        customer_id=row.get("customer_id"),
        delivered_as=row.get("delivered_as"),
        subject=row.get("subject"),
        body=row["body"],
        url=row.get("url"),
        support_messages=_json_list(row.get("support_messages")),
        customer_messages=_json_list(row.get("customer_messages")),
        tags=_json_list(row.get("tags")),
        language=row.get("language"),
    )


def conversation_row(conversation: Conversation, verdict: QualityVerdict) -> dict[str, Any]:
    """The ``conversations`` table row of one conversation (every column except ``pipeline_run_id``)."""
    return {
        **conversation.model_dump(),
        "quality_pass": verdict.passed,
        "quality_reason": verdict.reason,
    }
