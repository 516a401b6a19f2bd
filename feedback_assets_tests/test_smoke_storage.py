from feedback_assets.storage import create_run, read_partition, replace_partition
from datetime import datetime, timezone


def test_roundtrip(db):
    run = create_run(db, source="sample")
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    replace_partition(db, "conversations", run.id, [dict(conversation_id="c1", source="sample", created_at=now, updated_at=now, body="hello", support_messages=[], quality_pass=True)])
    rows = read_partition(db, "conversations", str(run.id))
    assert rows[0]["created_at"] == now and rows[0]["pipeline_run_id"] == run.id
