"""Offline engine throughput: classification (stage 1 + stage 2) and themes, on one core.

Sizes: ``sample`` is the bundled sample's conversations that pass the quality filter, as they are; a number
N is N *distinct* conversations from the benchmark generator (``conversation_stream``: seed 7, 180 days;
the first N that pass the quality filter) — no conversation is repeated, so no per-conversation work is
served from a cache. For each size it times, best of ``--repeat`` *cold* passes (a fresh engine and every
``functools`` cache in ``feedback_assets`` cleared before each pass, as in a fresh step process):

- engine: ``classify_conversations`` + ``theme_requests`` + ``extract_themes`` with the offline engine (the
  production path, signature rules included) — conversations/s and the ratio to the 1,000/s target;
- baseline, measured in the same run on the same texts: a naive rule pass that runs every type cue's
  regex over every opening message and nothing else (no stage 2, no themes). The engine/baseline time
  ratio says what the whole engine costs relative to the simplest rule classifier on this machine, so
  figures from different machines compare;
- warm, for comparison only: one more pass over the same conversations with the caches kept (what the old
  benchmark's repeated sample measured); warm/cold shows how much the caches flattered it.

    python benchmarks/offline_engine.py [--sizes sample,10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
import tempfile
import time
from pathlib import Path

from feedback_assets import settings
from feedback_assets.domain.classify import classify_conversations
from feedback_assets.domain.models import Conversation
from feedback_assets.domain.normalize import normalise_many
from feedback_assets.domain.quality import assess
from feedback_assets.domain.themes import extract_themes, theme_requests
from feedback_assets.engines.offline import OfflineEngine
from feedback_assets.engines.offline.cues import TYPE_CUE_SET
from feedback_assets.sources.jsonl import JsonlSource

TARGET_PER_SECOND = 1000.0


def sample_conversations() -> list[Conversation]:
    raws = JsonlSource(settings.SAMPLE_CONVERSATIONS).fetch().conversations
    return [c for c in normalise_many(raws, source="sample").conversations if assess(c).passed]


def distinct_conversations(size: int) -> tuple[list[Conversation], int]:
    """The first ``size`` generated conversations that pass the quality filter, all distinct; and how many
    distinct opening texts they have."""
    from conversation_stream import stream_jsonl  # beside this file

    count = int(size / 0.85) + 50
    with tempfile.TemporaryDirectory() as folder:
        while True:
            path = Path(folder) / "conversations.jsonl"
            stream_jsonl(path, count, seed=7, start="2026-05-01", days=180)
            raws = JsonlSource(path).fetch().conversations
            passing = [c for c in normalise_many(raws, source="bench").conversations if assess(c).passed]
            if len(passing) >= size:
                chosen = passing[:size]
                return chosen, len({c.body for c in chosen})
            count *= 2


def clear_caches() -> int:
    """Clear every ``functools`` cache defined in ``feedback_assets`` modules; returns how many."""
    cleared = 0
    for name, module in list(sys.modules.items()):
        if not name.startswith("feedback_assets") or module is None:
            continue
        for value in list(vars(module).values()):
            if isinstance(value, functools._lru_cache_wrapper) and getattr(value, "__module__", "") == name:
                value.cache_clear()
                cleared += 1
    return cleared


def engine_pass(engine: OfflineEngine, conversations: list[Conversation]) -> tuple[float, float, int]:
    started = time.perf_counter()
    classified = classify_conversations(engine, conversations)
    middle = time.perf_counter()
    requests = theme_requests(conversations, classified.rows)
    extract_themes(engine, requests, taxonomy=engine.taxonomy)
    return middle - started, time.perf_counter() - middle, len(requests)


def baseline_pass(conversations: list[Conversation]) -> float:
    cues = TYPE_CUE_SET.cues
    started = time.perf_counter()
    for conversation in conversations:
        scores: dict[str, float] = {}
        for cue in cues:
            if cue.pattern.search(conversation.body):
                scores[cue.kind] = scores.get(cue.kind, 0.0) + cue.weight
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="sample,10000", help="comma-separated: 'sample' or a count of distinct conversations")
    parser.add_argument("--repeat", type=int, default=3, help="best of this many cold passes per size")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the target says
    engine = OfflineEngine()
    print(
        f"offline engine {engine.prompt_version}, taxonomy {engine.taxonomy.product}; one core; best of "
        f"{args.repeat} cold passes (fresh engine, feedback_assets caches cleared before each)"
    )
    print(
        f"{'size':>6} {'conversations':>13} {'distinct':>8} {'actionable':>10} {'classify s':>10} {'themes s':>9} "
        f"{'conv/s':>8} {'vs target':>9} {'baseline s':>10} {'eng/base':>8} {'warm conv/s':>11} {'warm/cold':>9}"
    )
    summary = []
    for part in args.sizes.split(","):
        if part == "sample":
            conversations = sample_conversations()
            distinct = len({c.body for c in conversations})
        else:
            conversations, distinct = distinct_conversations(int(part))
        runs = []
        for _ in range(args.repeat):
            clear_caches()
            runs.append(engine_pass(OfflineEngine(), conversations))
        classify_s, themes_s, actionable = min(runs, key=lambda run: run[0] + run[1])
        warm_engine = OfflineEngine()
        clear_caches()
        engine_pass(warm_engine, conversations)
        warm_classify, warm_themes, _ = engine_pass(warm_engine, conversations)  # same texts, caches kept
        baseline_s = min(baseline_pass(conversations) for _ in range(args.repeat))
        total = classify_s + themes_s
        rate = len(conversations) / total
        warm_rate = len(conversations) / (warm_classify + warm_themes)
        print(
            f"{part:>6} {len(conversations):>13,} {distinct:>8,} {actionable:>10,} {classify_s:>10.3f} {themes_s:>9.3f} "
            f"{rate:>8.0f} {rate / TARGET_PER_SECOND:>8.2f}x {baseline_s:>10.3f} {total / baseline_s:>7.1f}x "
            f"{warm_rate:>11.0f} {warm_rate / rate:>8.2f}x"
        )
        summary.append((part, len(conversations), rate, total / baseline_s, warm_rate / rate))
    print()
    described = "; ".join(
        f"{'the bundled sample' if part == 'sample' else f'{n:,} distinct generated conversations'}: {rate:,.0f}/s "
        f"({rate / TARGET_PER_SECOND:.2f}× the 1,000/s target, {ratio:.1f}× the naive cue pass, a warm repeat would "
        f"have shown {warm:.2f}× that)"
        for part, n, rate, ratio, warm in summary
    )
    verdict = "met" if all(rate >= TARGET_PER_SECOND for _, _, rate, _, _ in summary) else "NOT met"
    print(f"Summary: offline classification + themes on one core, cold caches — {described}. Target {verdict}.")


if __name__ == "__main__":
    main()
