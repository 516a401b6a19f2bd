"""A small, hand-written set of Intercom conversations for pipeline tests (fast; independent of the
bundled sample): two recurring issues, a feature request, how-to questions and the non-actionable rest."""

from __future__ import annotations

import json
from pathlib import Path

from feedback_assets_tests.fakes.intercom_stub import intercom_conversation

START = 1_790_000_000  # 2026-09-21

GEOFENCE = [
    "The app refuses my clock in even though I'm standing inside the store. It says I'm outside the geofence.",
    "Clock-in keeps failing with 'outside geofence' at our Main Street location, staff are right at the door.",
    "Geofence is rejecting clock ins for my whole team this morning, we are physically on site!",
    "Since the update nobody can clock in, the geofence error says they are too far from the location.",
    "Employees get 'you are outside the allowed area' when clocking in at the warehouse. GPS is on.",
]
CSV_EXPORT = [
    "When I export the timesheet to CSV all the accented names come out garbled, like JosÃ© instead of José.",
    "CSV export breaks special characters: Müller shows as MÃ¼ller in Excel.",
    "Our payroll person says the exported CSV mangles accents in employee names (Zoë, Łukasz).",
    "Accents are corrupted in the CSV download of the attendance report.",
]
FEATURE = [
    "Would be great if we could bulk edit several shifts at once instead of one by one. Please add this!",
    "Feature request: let managers select many shifts and change their times together (bulk edit).",
    "Please add a way to edit multiple shifts in one go, editing them individually takes forever.",
]
HOW_TO = [
    "How do I set my availability for next month in the mobile app? I can't find where to do it.",
    "Where can I change the default break length for a location? Looking for the setting.",
]
OTHER = [
    ("I was charged twice for my subscription this month, can you refund the duplicate invoice?", "user", "customer_initiated"),
    ("I'm locked out of my account after resetting my password, the reset link says expired.", "user", "customer_initiated"),
    ("hi", "user", "customer_initiated"),
    ("Hello there", "lead", "customer_initiated"),
    ("Check out our new scheduling webinar next Tuesday, register now!", "admin", "admin_initiated"),
    ("BUY CHEAP FOLLOWERS NOW!!! visit http://spam.example click here limited offer", "lead", "customer_initiated"),
]


def pipeline_conversations() -> list[dict]:
    conversations = []
    number = 0

    def add(body, *, author="user", delivered="customer_initiated", replies=()):
        nonlocal number
        number += 1
        conversations.append(
            intercom_conversation(
                str(900000 + number),
                updated_at=START + number * 3600,
                body=f"<p>{body}</p>",
                author_type=author,
                delivered_as=delivered,
                replies=replies,
            )
        )

    for body in GEOFENCE:
        add(body, replies=[("admin", "Thanks for reporting, this is a known bug and our engineers are on it.")])
    for body in CSV_EXPORT:
        add(body)
    for body in FEATURE:
        add(body, replies=[("admin", "That isn't available today, I've passed it on to our product team as a feature request.")])
    for body in HOW_TO:
        add(body, replies=[("admin", "You can do this under Settings → Availability, here is our help article.")])
    for body, author, delivered in OTHER:
        add(body, author=author, delivered=delivered)
    return conversations


def write_jsonl(path: Path, conversations: list[dict] | None = None) -> Path:
    path.write_text("".join(json.dumps(c) + "\n" for c in (conversations or pipeline_conversations())), encoding="utf-8")
    return path
