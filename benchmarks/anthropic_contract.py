"""The Claude engine against the strict loopback stub at the issue's sizes (not a test: it prints figures).

1. 1,000 conversations (half with a support reply, so stage 2 runs) answered with random but schema-valid
   records: how many conversations failed (target 0) and how many requests the stub refused (target 0).
2. Message Batches mode over 7,000 conversations with the stub holding the API's real caps (100,000 requests
   or 256 MB per batch): batches created, the largest batch's size against the cap, refusals and failed
   conversations (target 0). Baseline in the same run: what one batch of everything would have weighed.

    python benchmarks/anthropic_contract.py [--conversations 1000] [--batch-conversations 7000]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from feedback_assets.domain.models import Conversation  # noqa: E402
from feedback_assets.engines.anthropic import AnthropicEngine  # noqa: E402
from feedback_assets.engines.anthropic.batches import API_MAX_BYTES  # noqa: E402
from feedback_assets_tests.fakes.anthropic_stub import AnthropicStub, random_responder  # noqa: E402
from feedback_assets_tests.fakes.feedback_answers import feedback_responder  # noqa: E402

KEY = "sk-ant-stub-key-benchmark"
NOW = datetime(2026, 10, 1, tzinfo=timezone.utc)


def conversations(count: int) -> list[Conversation]:
    return [
        Conversation(
            conversation_id=f"c{number}",
            source="benchmark",
            created_at=NOW,
            updated_at=NOW,
            body=f"Conversation {number}: the CSV export of report {number % 37} fails with an error.",
            support_messages=["Thanks, this is a known bug, a fix ships next week."] if number % 2 else [],
        )
        for number in range(count)
    ]


def random_answers(count: int) -> tuple[int, int, float]:
    with AnthropicStub(random_responder(seed=7), api_key=KEY) as stub:
        engine = AnthropicEngine(api_key=KEY, base_url=stub.base_url, concurrency=20, max_retries=0)
        started = time.perf_counter()
        result = engine.classify(conversations(count))
        elapsed = time.perf_counter() - started
        return sum(1 for o in result.outcomes if o.error), len(stub.refused), elapsed


def batches(count: int) -> dict[str, float]:
    with AnthropicStub(feedback_responder, api_key=KEY) as stub:
        engine = AnthropicEngine(
            api_key=KEY,
            base_url=stub.base_url,
            mode="batches",
            batch_poll_interval=0.05,
            batch_poll_max_interval=0.1,
            max_retries=0,
        )
        started = time.perf_counter()
        result = engine.classify(conversations(count))
        elapsed = time.perf_counter() - started
        creates = [r for r in stub.requests if r.path == "/v1/messages/batches" and r.method == "POST"]
        sizes = [len(json.dumps(r.body).encode()) for r in creates]
        everything = sum(len(json.dumps(entry.body).encode()) for entry in stub.batch_entries)
        return {
            "batches": len(creates),
            "largest_bytes": max(sizes) if sizes else 0,
            "one_batch_bytes": everything,
            "refused": len(stub.refused),
            "failed": sum(1 for o in result.outcomes if o.error),
            "seconds": elapsed,
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=1000)
    parser.add_argument("--batch-conversations", type=int, default=7000)
    args = parser.parse_args()

    failed, refused, elapsed = random_answers(args.conversations)
    print(
        f"random schema-valid answers: {args.conversations:,} conversations in {elapsed:.1f} s, "
        f"{failed} failed, {refused} requests refused (target 0 and 0)"
    )
    figures = batches(args.batch_conversations)
    cap_mb = API_MAX_BYTES / 1e6
    print(
        f"message batches: {args.batch_conversations:,} conversations in {figures['seconds']:.1f} s, "
        f"{figures['batches']} batches, largest {figures['largest_bytes'] / 1e6:.1f} MB of the API's {cap_mb:.0f} MB "
        f"cap (all entries in one batch would weigh {figures['one_batch_bytes'] / 1e6:.1f} MB, "
        f"{figures['one_batch_bytes'] / API_MAX_BYTES:.2f}× the cap), {figures['refused']} refused, "
        f"{figures['failed']:.0f} conversations failed"
    )
    ok = failed == 0 and refused == 0 and figures["refused"] == 0 and figures["failed"] == 0
    print(f"Summary: {'every target met' if ok else 'a target was missed'}: 0 failures on random answers, "
          "every batch under the caps.")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
