"""Two weeks of hand-written conversations for the trend tests: between week 1 and week 2 the geofence
clock-in issue grows (5 → 12 conversations), the garbled CSV export disappears, push notifications appear,
and the bulk-edit feature request stays the same (3 → 3). Non-actionable traffic keeps the weeks' sizes
comparable."""

from __future__ import annotations

from pathlib import Path

from feedback_assets_tests.fakes.intercom_stub import intercom_conversation
from feedback_assets_tests.pipeline_data import CSV_EXPORT, FEATURE, GEOFENCE, write_jsonl

WEEK = 7 * 24 * 3600
START = 1_790_000_000

MORE_GEOFENCE = [
    "Clock in fails again today: the app says my location is outside the geofence but I'm at the front desk.",
    "Geofence keeps rejecting clock-ins at the north site, the whole morning shift could not clock in.",
    "Our staff cannot clock in, the geofence says they are outside the store while standing inside it.",
    "Clock-in blocked by the geofence check even with GPS on and the phone right next to the entrance.",
    "The geofence error stops my team from clocking in at the warehouse every single morning now.",
    "Nobody at the downtown store can clock in: 'outside geofence' although everyone is on site.",
    "Geofence clock in problem is back, employees are rejected as too far away when they are at work.",
]
NOTIFICATIONS = [
    "Push notifications for new shifts stopped arriving on my phone since last week's update.",
    "None of my employees get push notifications about shift changes anymore, notifications are on.",
    "We no longer receive push notifications when a shift is published, it used to work fine.",
    "Shift reminder push notifications are not arriving on Android phones for our whole team.",
]
BILLING = [
    "I was charged twice for my subscription this month, can you refund the duplicate invoice?",
    "Please send me the invoice for last month, I need it for our accounting department.",
    "Can I switch from monthly to yearly billing and get the discount on our plan?",
    "Our card expired, how do I update the payment method on the account before renewal?",
    "Why did the price of our plan go up this month? We did not add any seats.",
    "I need a VAT number on our invoices, where do I add our company tax details?",
    "The invoice shows the wrong company address, can you correct it and resend it?",
    "We were billed for 12 seats but only have 9 employees, please adjust the charge.",
]

SUPPORT_REPLY = ("admin", "Thanks for reporting, this is a known bug and our engineers are on it.")
FEATURE_REPLY = ("admin", "That isn't available today, I've passed it on to our product team as a feature request.")


def _conversations(week: int, groups: list[tuple[list[str], tuple[str, str] | None]]) -> list[dict]:
    conversations = []
    number = 0
    for bodies, reply in groups:
        for body in bodies:
            number += 1
            conversations.append(
                intercom_conversation(
                    f"{week}{number:05d}",
                    updated_at=START + week * WEEK + number * 600,
                    body=f"<p>{body}</p>",
                    replies=[reply] if reply else [],
                )
            )
    return conversations


def week_one() -> list[dict]:
    """Geofence 5, CSV export 4, bulk edit 3; billing 8 (not actionable)."""
    return _conversations(1, [(GEOFENCE, SUPPORT_REPLY), (CSV_EXPORT, None), (FEATURE, FEATURE_REPLY), (BILLING, None)])


def week_two() -> list[dict]:
    """Geofence 12, push notifications 4, bulk edit 3; billing 3 (not actionable): 22 conversations vs 20."""
    return _conversations(
        2,
        [
            (GEOFENCE + MORE_GEOFENCE, SUPPORT_REPLY),
            (NOTIFICATIONS, SUPPORT_REPLY),
            (FEATURE, FEATURE_REPLY),
            (BILLING[:3], None),
        ],
    )


def write_week(path: Path, week: int) -> Path:
    return write_jsonl(path, week_one() if week == 1 else week_two())
