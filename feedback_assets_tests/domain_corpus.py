"""A small hand-written corpus for the domain tests, about a product that is *not* the bundled sample's:
"Parcelly", a shipping-label app. Each recurring issue is worded differently in each report, so grouping
has to work from meaning, not from a template. ``GROUPS`` names the true issue of each conversation."""

from __future__ import annotations

from datetime import datetime, timezone

from feedback_assets.domain.models import Conversation
from feedback_assets.domain.normalize import normalise_conversation
from feedback_assets_tests.fakes.intercom_stub import intercom_conversation

START = 1_790_000_000
NOW = datetime(2026, 9, 21, tzinfo=timezone.utc)


def make_conversation(body: str, *, conversation_id: str = "c1", **fields) -> Conversation:
    """A customer-initiated conversation by a user, already normalised; ``fields`` override the rest."""
    values = dict(
        conversation_id=conversation_id,
        source="test",
        created_at=NOW,
        updated_at=NOW,
        author_type="user",
        delivered_as="customer_initiated",
        body=body,
    )
    return Conversation(**{**values, **fields})


LABEL_PRINTING = [
    "Printing labels on our Zebra printer fails every time, the label comes out blank.",
    "The label printer spits out blank labels since yesterday's update. Zebra ZD420.",
    "Our Zebra thermal printer won't print shipping labels anymore, just empty paper comes out",
    "Blank labels again when printing from the batch screen on a Zebra printer!!",
]
TRACKING_EMAILS = [
    "Our customers are not receiving the tracking emails after we ship their parcel.",
    "Tracking email notifications never arrive for buyers, checked spam folders too.",
    "None of our buyers got a tracking email this week even though parcels shipped.",
    "The shipment tracking emails stopped being sent to recipients on Monday.",
]
BULK_IMPORT = [
    "Would be great if we could import orders in bulk from a spreadsheet instead of typing each one.",
    "Please add bulk order import from a CSV spreadsheet, entering orders one by one is slow.",
    "Feature request: bulk import of orders from an Excel spreadsheet.",
]
WAREHOUSE_HOW_TO = [
    "How do I add a second warehouse address as a return location?",
    "How can I add another warehouse address for returns?",
    "Where do I add an additional warehouse address to ship returns to?",
]
OTHERS = {
    "billing": "I was charged twice on my last invoice, can you refund the duplicate payment?",
    "account": "I'm locked out of my account, the password reset link says it expired.",
    "spam": "We are a leading SEO agency. Increase your traffic with our backlinks package, click here.",
    "general": "Do you offer a discount for non-profit organisations? Just wondering.",
    "config": "Need help to set up the integration with our webshop, which settings should I configure?",
    "one_off": "The customs form PDF shows the wrong country of origin for every parcel.",
}

GROUPS = {
    "label_printing": LABEL_PRINTING,
    "tracking_emails": TRACKING_EMAILS,
    "bulk_import": BULK_IMPORT,
    "warehouse_how_to": WAREHOUSE_HOW_TO,
}


def raw_corpus() -> list[dict]:
    """Intercom conversation objects, ids ``p01`` … in a fixed order."""
    bodies = [body for group in GROUPS.values() for body in group] + list(OTHERS.values())
    return [
        intercom_conversation(f"p{number:02d}", updated_at=START + number * 600, body=f"<p>{body}</p>")
        for number, body in enumerate(bodies, 1)
    ]


def corpus() -> list[Conversation]:
    return [normalise_conversation(raw, source="test") for raw in raw_corpus()]


def true_group(conversation: Conversation) -> str | None:
    for name, bodies in GROUPS.items():
        if conversation.body in bodies:
            return name
    return None
