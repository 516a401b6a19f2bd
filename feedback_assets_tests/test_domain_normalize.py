"""Normalisation of Intercom conversation objects: HTML, entities, caps, odd characters, malformed records."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from feedback_assets.domain.models import QualityVerdict
from feedback_assets.domain.normalize import (
    BODY_MAX_CHARS,
    MESSAGE_MAX_CHARS,
    MalformedConversation,
    conversation_from_row,
    conversation_row,
    html_to_text,
    normalise_conversation,
    normalise_many,
)
from feedback_assets_tests.fakes.intercom_stub import intercom_conversation

T0 = 1_790_000_000


def raw(conversation_id="c1", body="<p>My export is broken since Monday.</p>", **options):
    return intercom_conversation(conversation_id, updated_at=T0, body=body, **options)


def test_fields_of_an_intercom_conversation():
    conversation = normalise_conversation(
        raw(
            subject="<b>Export</b> problem",
            replies=[
                ("admin", "<p>Thanks, looking into it.</p>"),
                ("user", "<p>It fails again.</p>"),
                ("bot", "<p>Rate us!</p>"),
            ],
            tags=["vip"],
        ),
        source="sample",
    )
    assert conversation.conversation_id == "c1"
    assert conversation.source == "sample"
    assert conversation.created_at == datetime.fromtimestamp(T0 - 3600, tz=timezone.utc)
    assert conversation.updated_at == datetime.fromtimestamp(T0, tz=timezone.utc)
    assert conversation.author_type == "user"
    assert conversation.delivered_as == "customer_initiated"
    assert conversation.subject == "Export problem"
    assert conversation.body == "My export is broken since Monday."
    assert conversation.support_messages == ["Thanks, looking into it.", "Rate us!"]
    assert conversation.customer_messages == ["It fails again."]
    assert conversation.tags == ["vip"]
    assert conversation.language == "en"


def test_internal_notes_are_not_support_replies():
    record = raw(replies=[("admin", "<p>Visible reply</p>")])
    record["conversation_parts"]["conversation_parts"].append(
        {"part_type": "note", "author": {"type": "admin"}, "body": "<p>internal: customer is difficult</p>"}
    )
    assert normalise_conversation(record, source="s").support_messages == ["Visible reply"]


@pytest.mark.parametrize(
    ("html", "text"),
    [
        (
            "Fish &amp; chips &lt;3 &quot;now&quot; &#39;ok&#39; &eacute;t&eacute; &#x1F600;",
            "Fish & chips <3 \"now\" 'ok' été 😀",
        ),
        ("<div><p>Outer <b>bold <i>nested <u>deep</u></i></b> end</p></div>", "Outer bold nested deep end"),
        (
            "line one<br>line two<br/>line three<p>para</p><p>next</p>",
            "line one line two line three para next",
        ),
        ("<ul><li>first</li><li>second</li></ul>", "first second"),
        ("  lots \n\n of \t whitespace  ", "lots of whitespace"),
        ("<style>p{color:red}</style><script>alert(1)</script>visible", "visible"),
        ("emoji 🎉👩‍💻 stay", "emoji 🎉👩‍💻 stay"),
        ('<img src="x.png" alt="screenshot of error">', "screenshot of error"),
        ("", ""),
    ],
)
def test_html_becomes_plain_text(html, text):
    assert html_to_text(html) == text


def test_nul_control_characters_and_lone_surrogates_are_removed():
    body = "<p>bad\x00byte \x07 here \ud800 and \udfff end \ufffd</p>"
    conversation = normalise_conversation(raw(body=body), source="s")
    assert "\x00" not in conversation.body and "\x07" not in conversation.body
    assert conversation.body == "bad byte here \ufffd and \ufffd end \ufffd"
    conversation.body.encode("utf-8")  # PostgreSQL-safe: no unencodable surrogate left


def test_huge_bodies_are_capped_at_a_word_boundary():
    conversation = normalise_conversation(
        raw(body="<p>" + "word " * 10_000 + "</p>", replies=[("admin", "x " * 5_000)]), source="s"
    )
    assert len(conversation.body) <= BODY_MAX_CHARS
    assert conversation.body.endswith("word…")
    assert len(conversation.support_messages[0]) <= MESSAGE_MAX_CHARS


def test_empty_opening_body_uses_the_first_customer_part():
    record = raw(
        body="",
        replies=[
            ("admin", "<p>Hi, how can we help?</p>"),
            ("user", "<p>How do I export timesheets?</p>"),
            ("user", "<p>For last month</p>"),
        ],
    )
    conversation = normalise_conversation(record, source="s")
    assert conversation.body == "How do I export timesheets?"
    assert conversation.customer_messages == ["For last month"]
    assert conversation.support_messages == ["Hi, how can we help?"]


def test_missing_source_body_and_parts_give_an_empty_body():
    record = raw()
    record["source"]["body"] = None
    record["conversation_parts"] = None
    assert normalise_conversation(record, source="s").body == ""


def test_iso_timestamps_and_missing_updated_at_are_accepted():
    record = raw()
    record["created_at"] = "2026-09-21T10:00:00Z"
    del record["updated_at"]
    conversation = normalise_conversation(record, source="s")
    assert (
        conversation.created_at == conversation.updated_at == datetime(2026, 9, 21, 10, tzinfo=timezone.utc)
    )


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ([1, 2], "not an object (got list)"),
        ("text", "not an object (got str)"),
        ({"created_at": T0}, "without an 'id'"),
        ({"id": {"nested": 1}, "created_at": T0}, "id of type dict"),
        ({"id": "  ", "created_at": T0}, "empty 'id'"),
        ({"id": "c9", "created_at": "yesterday"}, "conversation 'c9': created_at is not a unix timestamp"),
        ({"id": "c9"}, "conversation 'c9': created_at is missing"),
        ({"id": "c9", "created_at": -5}, "conversation 'c9': created_at is out of range"),
        (
            {"id": "c9", "created_at": T0, "updated_at": True},
            "conversation 'c9': updated_at is not a timestamp",
        ),
        ({"id": "c9", "created_at": T0, "source": "email"}, "conversation 'c9': source is not an object"),
        (
            {"id": "c9", "created_at": T0, "conversation_parts": {"conversation_parts": "x"}},
            "conversation 'c9': conversation_parts is not a list",
        ),
        ({"id": "x" * 80, "created_at": T0}, "id longer than 64"),
    ],
)
def test_malformed_records_raise_an_error_naming_the_record(record, message):
    with pytest.raises(MalformedConversation) as raised:
        normalise_conversation(record, source="s")
    assert message in str(raised.value)


def test_a_batch_goes_on_past_malformed_records_and_reports_them():
    records = [raw("a"), [], {"id": "b", "created_at": "never"}, raw("c"), {"no": "id"}]
    report = normalise_many(records, source="s")
    assert [c.conversation_id for c in report.conversations] == ["a", "c"]
    assert [(e.position, e.conversation_id) for e in report.errors] == [(1, None), (2, "b"), (4, None)]
    assert (
        report.errors[1].message
        == "record 2: conversation 'b': created_at is not a unix timestamp or ISO 8601 date ('never')"
    )
    assert "record 4" in report.errors[2].message and "without an 'id'" in report.errors[2].message


def test_refetched_conversations_keep_their_latest_version_whatever_the_order():
    old = intercom_conversation("r1", updated_at=T0, body="<p>Export fails</p>")
    new = intercom_conversation(
        "r1", updated_at=T0 + 600, body="<p>Export fails</p>", replies=[("admin", "<p>Fixed now</p>")]
    )
    other = intercom_conversation("r0", updated_at=T0 - 7200, body="<p>Earlier</p>")
    for order in ([old, new, other], [new, other, old]):
        report = normalise_many(order, source="s")
        assert [c.conversation_id for c in report.conversations] == ["r0", "r1"]
        assert report.conversations[1].support_messages == ["Fixed now"]
        assert report.duplicates == 1


def test_integer_ids_become_strings():
    record = raw()
    record["id"] = 123456
    assert normalise_conversation(record, source="s").conversation_id == "123456"


def test_non_english_language_is_detected():
    conversation = normalise_conversation(
        raw(body="<p>Hola, no puedo ver mi horario en la aplicación y es para el lunes</p>"), source="s"
    )
    assert conversation.language == "es"


def test_row_round_trip_ignores_extra_columns():
    conversation = normalise_conversation(raw(replies=[("admin", "<p>Hi</p>")]), source="sample")
    row = conversation_row(conversation, QualityVerdict(passed=True))
    assert row["quality_pass"] is True and row["quality_reason"] is None
    # As a database row: extra columns, naive SQLite datetimes, JSON as text.
    stored = {
        **row,
        "pipeline_run_id": 7,
        "created_at": row["created_at"].replace(tzinfo=None),
        "support_messages": json.dumps(row["support_messages"]),
    }
    assert conversation_from_row(stored) == conversation
