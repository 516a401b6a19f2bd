"""Row builders for storage tests: valid rows of each run-scoped table, keyed by conversation id."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import Engine, insert

from feedback_assets.storage.runs import utcnow
from feedback_assets.storage.schema import pipeline_runs

BASE_TIME = datetime(2026, 10, 1, 12, 0, tzinfo=timezone.utc)


def insert_run(db: Engine, run_id: int, **values) -> int:
    """A pipeline_runs row with a chosen id (tests that need ids such as 100 and 200)."""
    row = dict(id=run_id, status="pending", trigger="manual", source="sample", batch_size=500, created_at=utcnow())
    row.update(values)
    with db.begin() as connection:
        connection.execute(insert(pipeline_runs).values(**row))
    return run_id


def conversation(conversation_id: str, *, body: str | None = None, minute: int = 0, **values) -> dict:
    row = dict(
        conversation_id=conversation_id,
        source="sample",
        created_at=BASE_TIME + timedelta(minutes=minute),
        updated_at=BASE_TIME + timedelta(minutes=minute + 5),
        author_type="user",
        delivered_as="customer_initiated",
        subject=None,
        body=body if body is not None else f"Shift swap approval is stuck for {conversation_id}",
        url=None,
        support_messages=["Thanks, we are looking into it."],
        customer_messages=[],
        tags=["mobile"],
        language="en",
        quality_pass=True,
        quality_reason=None,
    )
    row.update(values)
    return row


def classification(conversation_id: str, final_type: str = "product_issue", **values) -> dict:
    row = dict(
        conversation_id=conversation_id,
        stage1_type=final_type,
        stage1_confidence="high",
        urgency="normal",
        routing_team="support",
        auto_response_eligible=False,
        key_signals=["stuck"],
        stage2_type=None,
        stage2_confidence=None,
        classification_changed=False,
        disambiguation_level=None,
        final_type=final_type,
        engine="offline",
        model=None,
        prompt_version="test-1",
        error=None,
    )
    row.update(values)
    return row


def theme(conversation_id: str, signature: str = "shift_swaps_approval_stuck", **values) -> dict:
    row = dict(
        conversation_id=conversation_id,
        product_area="scheduling",
        component="shift_swaps",
        issue_signature=signature,
        user_intent="Get a shift swap approved",
        symptoms=["approval spinner never ends", "swap stays pending"],
        affected_flow="shift swap approval",
        root_cause_hypothesis="approval job not triggered",
        matched_vocabulary=True,
        final_type="product_issue",
        engine="offline",
        prompt_version="test-1",
    )
    row.update(values)
    return row
