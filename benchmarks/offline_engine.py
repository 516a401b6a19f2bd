"""Offline engine throughput: classification (stage 1 + stage 2) and themes, on one core.

Reads the bundled sample (normalised, quality-filtered: the conversations a run classifies) and, for
larger sizes, repeats it under new ids. For each size it times, best of ``--repeat``:

- engine: ``classify_conversations`` + ``theme_requests`` + ``extract_themes`` with the offline engine (the
  production path, signature rules included) — conversations/s and the ratio to the 1,000/s target;
- baseline, measured in the same run on the same texts: a naive rule pass that runs every type cue's
  regex over every opening message and nothing else (no stage 2, no themes). The engine/baseline time
  ratio says what the whole engine costs relative to the simplest rule classifier on this machine, so
  figures from different machines compare.

    python benchmarks/offline_engine.py [--sizes sample,10000] [--repeat 3]

``sample`` is the sample's passing conversations as they are; a number above that repeats them.
"""

from __future__ import annotations

import argparse
import os
import time

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


def scaled(base: list[Conversation], size: int) -> list[Conversation]:
    if size <= len(base):
        return base[:size]
    return [
        base[i % len(base)].model_copy(
            update={"conversation_id": f"{i // len(base)}-{base[i % len(base)].conversation_id}"}
        )
        for i in range(size)
    ]


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
    parser.add_argument("--sizes", default="sample,10000", help="comma-separated counts ('sample': as is)")
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs per size")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the target says
    base = sample_conversations()
    engine = OfflineEngine()
    print(
        f"offline engine {engine.prompt_version}, taxonomy {engine.taxonomy.product}, "
        f"sample: {len(base)} conversations pass the quality filter; one core; best of {args.repeat}"
    )
    print(
        f"{'conversations':>13} {'actionable':>10} {'classify s':>10} {'themes s':>9} {'conv/s':>8} "
        f"{'vs target':>9} {'baseline s':>10} {'engine/baseline':>15}"
    )
    for size in (len(base) if part == "sample" else int(part) for part in args.sizes.split(",")):
        conversations = scaled(base, size)
        runs = [engine_pass(engine, conversations) for _ in range(args.repeat)]
        classify_s, themes_s, actionable = min(runs, key=lambda run: run[0] + run[1])
        baseline_s = min(baseline_pass(conversations) for _ in range(args.repeat))
        total = classify_s + themes_s
        rate = len(conversations) / total
        print(
            f"{len(conversations):>13} {actionable:>10} {classify_s:>10.3f} {themes_s:>9.3f} {rate:>8.0f} "
            f"{rate / TARGET_PER_SECOND:>8.2f}x {baseline_s:>10.3f} {total / baseline_s:>14.1f}x"
        )


if __name__ == "__main__":
    main()
