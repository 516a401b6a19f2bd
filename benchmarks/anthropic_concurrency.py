"""Claude engine throughput: bounded concurrency without barriers vs the old batch-of-50-with-barrier.

A stub Messages API (``feedback_assets_tests/fakes/anthropic_stub.py``, in its own process so it does not
share a GIL with the client) adds a fixed latency to every call. 1,000 conversations, each with a support
reply, go through stage 1 + stage 2 (2,000 calls) at concurrency 20:

- pool: one ``AnthropicEngine.classify`` over all conversations (the production path);
- barrier: the old system's strategy, batches of 50 where the next 50 start only after every call of the
  previous 50 finished (``classify`` per batch of 50 — if anything kinder than the old code, which also
  waited for all stage-1 calls before any stage-2 call).

For each it prints calls, elapsed seconds, calls/s, the bound (calls x latency / concurrency: the best
possible time at that concurrency) and elapsed/bound's inverse, the ratio (target >= 0.9 for the pool),
plus the maximum number of calls the stub saw in flight.

    python benchmarks/anthropic_concurrency.py [--conversations 1000] [--concurrency 20] [--latency 0.2]
                                               [--barrier-batch 50]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import urllib.request
from datetime import datetime, timezone
from typing import Callable

from feedback_assets.domain.models import Conversation
from feedback_assets.engines.anthropic import AnthropicEngine

PROJECT_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH_KEY = "sk-ant-benchmark"
TAXONOMY = {"product": "Benchmark", "areas": [], "vocabulary": []}


def conversations(count: int) -> list[Conversation]:
    now = datetime(2026, 10, 1, tzinfo=timezone.utc)
    bodies = [
        "I was charged twice, refund please",
        "The app crashes with an error on save",
        "How do I export?",
    ]
    return [
        Conversation(
            conversation_id=f"bench-{index}",
            source="benchmark",
            created_at=now,
            updated_at=now,
            body=f"{bodies[index % len(bodies)]} (ticket {index})",
            support_messages=[f"Thanks, looking into ticket {index}."],
        )
        for index in range(count)
    ]


def start_stub(latency: float) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "feedback_assets_tests.fakes.anthropic_stub",
            "--latency",
            str(latency),
            "--api-key",
            BENCH_KEY,
        ],
        cwd=PROJECT_DIR,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    base_url = process.stdout.readline().strip()
    if not base_url.startswith("http://127.0.0.1:"):
        process.kill()
        raise SystemExit(f"stub did not start (printed {base_url!r})")
    return process, base_url


def stub_stats(base_url: str) -> dict[str, int]:
    request = urllib.request.Request(
        f"{base_url}/_stub/stats", headers={"authorization": f"Bearer {BENCH_KEY}"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def measure(
    name: str, run: Callable[[], int], base_url: str, latency: float, concurrency: int
) -> dict[str, float]:
    stub_stats(base_url)  # opens a fresh max-in-flight window
    started = time.perf_counter()
    calls = run()
    elapsed = time.perf_counter() - started
    bound = calls * latency / concurrency
    stats = stub_stats(base_url)
    figures = {
        "calls": calls,
        "elapsed_s": elapsed,
        "calls_per_s": calls / elapsed,
        "bound_s": bound,
        "ratio": bound / elapsed,
        "max_in_flight": stats["max_in_flight"],
    }
    print(
        f"{name:<28} {calls:>6} calls  {elapsed:7.2f} s  {figures['calls_per_s']:7.1f} calls/s  "
        f"bound {bound:6.2f} s  ratio {figures['ratio']:.3f}  max in flight {stats['max_in_flight']}"
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.2, help="seconds the stub adds to every call")
    parser.add_argument("--barrier-batch", type=int, default=50)
    args = parser.parse_args()

    process, base_url = start_stub(args.latency)
    try:
        engine = AnthropicEngine(
            api_key=BENCH_KEY,
            base_url=base_url,
            taxonomy=TAXONOMY,
            concurrency=args.concurrency,
            timeout=30.0,
        )
        items = conversations(args.conversations)
        engine.classify(items[: args.concurrency])  # warm-up: imports, connections, schema caches

        def pool() -> int:
            result = engine.classify(items)
            assert all(outcome.error is None for outcome in result.outcomes)
            return result.usage.calls

        def barrier() -> int:
            calls = 0
            for start in range(0, len(items), args.barrier_batch):
                result = engine.classify(items[start : start + args.barrier_batch])
                assert all(outcome.error is None for outcome in result.outcomes)
                calls += result.usage.calls
            return calls

        print(
            f"{args.conversations} conversations, stage 1 + stage 2, concurrency {args.concurrency}, "
            f"stub latency {args.latency * 1000:.0f} ms per call"
        )
        pooled = measure("pool (no barrier)", pool, base_url, args.latency, args.concurrency)
        barriered = measure(
            f"batch-of-{args.barrier_batch} with barrier", barrier, base_url, args.latency, args.concurrency
        )
        print(
            f"Summary: against a {args.latency * 1000:.0f} ms stub, the pool reaches {pooled['ratio']:.3f} of the "
            f"concurrency bound (target >= 0.9: {'met' if pooled['ratio'] >= 0.9 else 'NOT met'}) and is "
            f"{barriered['elapsed_s'] / pooled['elapsed_s']:.2f}x faster than the batch-of-{args.barrier_batch} "
            f"barrier strategy measured in the same run."
        )
    finally:
        assert process.stdin is not None
        process.stdin.close()
        process.wait(timeout=10)


if __name__ == "__main__":
    main()
