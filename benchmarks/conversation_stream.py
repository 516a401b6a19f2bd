"""The benchmark generator (``scripts/sample_generator``), streamed: conversations are written to a JSONL file
one line at a time instead of being built as one list of dicts, so 200,000 conversations cost the memory of
their plan (one small ``Item`` per conversation), not of their text.

Same conversations, ids and re-fetched copies as ``sample_generator.generate(count, seed, start, days,
product)`` — the per-conversation random streams are seeded by (seed, product, kind, index) and the id stream
is consumed in the same (created_at, kind, index) order. Only the line order differs: lines are written by
creation time, not sorted by ``updated_at`` (that sort is what needs the whole set in memory). The JSONL
source orders by ``updated_at`` itself and keeps the latest copy of a re-fetched id, so a run ingests the
same rows either way (``python benchmarks/conversation_stream.py --check 3000`` verifies it).

Diversity, measured by ``python benchmarks/conversation_stream.py --stats 10000,20000,50000``: the issues
are bounded by the product's pools (25 recurring groups, 20 hand-written + 646 object×fault one-off bugs,
38 + 38 one-off how-tos/features, 10 crossovers: at most 777 issue keys, all present from 10k on), while the
texts are written per conversation from templates, slots, personas and styles, so distinct texts grow with N.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
if str(PROJECT / "scripts") not in sys.path:
    sys.path.insert(0, str(PROJECT / "scripts"))

from sample_generator import DEFAULT_SEED, resolve_window  # noqa: E402
from sample_generator.builder import (  # noqa: E402
    DAY,
    EMPTY_OPENING_RATE,
    REFETCH_RATE,
    ConversationBuilder,
    _assemble,
    _move_opening_to_first_part,
    _render_part,
    _timeline,
    plan,
)
from sample_generator.people import build_cast  # noqa: E402


@dataclass
class StreamStats:
    conversations: int = 0  # unique ids
    lines: int = 0  # including the early copies of re-fetched conversations
    issue_keys: set[str] = field(default_factory=set)  # ground-truth issue keys of actionable conversations
    opening_digests: set[bytes] = field(default_factory=set)  # 8-byte digests of the customer's opening text
    actionable: int = 0  # conversations whose true type is actionable (what themes and stories group)
    actionable_digests: set[bytes] = field(default_factory=set)  # their opening texts' digests
    bytes_written: int = 0


def _opening_text(conversation: dict) -> str:
    """What the customer first wrote: the source body, or the first user part when the body is empty."""
    body = conversation["source"]["body"] or ""
    if body.strip() in ("", "<p></p>"):
        for part in conversation["conversation_parts"]["conversation_parts"]:
            if part["author"]["type"] in ("user", "lead") and part["part_type"] == "comment":
                return part["body"] or ""
    return body


def stream_jsonl(path: str | Path, count: int, *, seed: int = DEFAULT_SEED, start: str | None = None,
                 days: int = 180, product: str = "crewline") -> StreamStats:
    """Write ``count`` conversations (plus re-fetched early copies) to ``path``, one line at a time."""
    from sample_generator.spec import ACTIONABLE_TYPES
    from sample_products import load_product

    spec = load_product(product)
    first_day = resolve_window(start, days)
    start_ts = int(datetime(first_day.year, first_day.month, first_day.day, tzinfo=timezone.utc).timestamp())
    snapshot = start_ts + days * DAY - 1
    cast = build_cast(spec, count, random.Random(f"{seed}:{spec.slug}:cast"))
    items = plan(spec, count, seed, start_ts, days)
    items.sort(key=lambda item: (item.created_at, item.kind, item.index))  # build_dataset's draft order

    ids = random.Random(f"{seed}:{spec.slug}:ids")
    conversation_number = 215_471_000_000_000 + ids.randrange(10**6)
    source_number = 1_930_000_000 + ids.randrange(10**6)
    part_number = 20_000_000_000 + ids.randrange(10**7)
    stats = StreamStats()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        def write(conversation: dict) -> None:
            line = json.dumps(conversation, ensure_ascii=False, separators=(",", ":")) + "\n"
            out.write(line)
            stats.lines += 1
            stats.bytes_written += len(line)

        for item in items:
            builder = ConversationBuilder(spec, cast, seed, item)
            draft = builder.build()
            rng = builder.rng
            if (draft.delivered_as == "customer_initiated" and draft.truth.expected_filter is None
                    and rng.random() < EMPTY_OPENING_RATE):
                _move_opening_to_first_part(draft, rng)
            for part in draft.parts:
                part.rendered = _render_part(part, rng)

            conversation_number += ids.randrange(1, 4000)
            source_number += ids.randrange(1, 400)
            conversation_id = str(conversation_number)
            times = _timeline(draft, snapshot)
            part_ids = []
            for _ in draft.parts:
                part_number += ids.randrange(1, 60)
                part_ids.append(str(part_number))
            assemble_rng = random.Random(f"{seed}:{spec.slug}:assemble:{conversation_id}")
            full = _assemble(draft, cast, conversation_id, str(source_number), part_ids, times, assemble_rng)
            first_reply = next((index for index, part in enumerate(draft.parts)
                                if part.author == "admin" and part.part_type == "comment"), None)
            if (first_reply is not None and draft.created_at < snapshot - 3 * DAY and times[-1] > draft.created_at
                    and ids.random() < REFETCH_RATE):
                early = _assemble(draft, cast, conversation_id, str(source_number), part_ids, times,
                                  assemble_rng, upto=first_reply)
                if early["updated_at"] < full["updated_at"]:
                    write(early)  # the earlier snapshot first, like an append-only export
            write(full)
            stats.conversations += 1
            digest = hashlib.blake2b(_opening_text(full).encode(), digest_size=8).digest()
            stats.opening_digests.add(digest)
            if draft.truth.type in ACTIONABLE_TYPES:
                stats.actionable += 1
                stats.actionable_digests.add(digest)
                if draft.truth.issue_key:
                    stats.issue_keys.add(draft.truth.issue_key)
    return stats


def _check(count: int) -> None:
    """The streamed file holds exactly ``generate()``'s lines (as a multiset), only in another order."""
    import tempfile

    from sample_generator import generate

    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "streamed.jsonl"
        stream_jsonl(target, count, seed=7, start="2026-05-01", days=180)
        streamed = sorted(target.read_text(encoding="utf-8").splitlines())
    listed = sorted(json.dumps(row, ensure_ascii=False, separators=(",", ":"))
                    for row in generate(count=count, seed=7, start="2026-05-01", days=180))
    print(f"{count:,} conversations: streamed {len(streamed):,} lines, generate() {len(listed):,} lines, "
          f"identical multiset: {streamed == listed}")
    if streamed != listed:
        raise SystemExit(1)


def _diversity(sizes: list[int]) -> None:
    import tempfile
    import time

    print(f"{'conversations':>13} {'issue keys':>10} {'distinct openings':>17} {'share':>6} "
          f"{'actionable':>10} {'distinct':>8} {'share':>6} {'MB':>6} {'s':>6}")
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            started = time.perf_counter()
            stats = stream_jsonl(Path(folder) / f"{size}.jsonl", size, seed=7, start="2026-05-01", days=180)
            print(f"{size:>13,} {len(stats.issue_keys):>10} {len(stats.opening_digests):>17,} "
                  f"{len(stats.opening_digests) / stats.conversations:>6.1%} {stats.actionable:>10,} "
                  f"{len(stats.actionable_digests):>8,} {len(stats.actionable_digests) / max(1, stats.actionable):>6.1%} "
                  f"{stats.bytes_written / 2**20:>6.0f} "
                  f"{time.perf_counter() - started:>6.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", type=int, help="compare the stream with generate() at this size")
    parser.add_argument("--stats", help="comma-separated sizes: issue keys and distinct opening texts per size")
    args = parser.parse_args()
    if args.check:
        _check(args.check)
    if args.stats:
        _diversity([int(part) for part in args.stats.split(",")])


if __name__ == "__main__":
    main()
