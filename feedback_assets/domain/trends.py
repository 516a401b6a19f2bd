"""Trends across pipeline runs: which issues are new, growing, steady, shrinking or gone.

Pure logic (no Dagster, no SQL). Input: the comparable runs and, streamed, one row per story group of those
runs (candidates and orphans) with its conversation count. Output: per issue, its counts per run and a label.

**Which runs are compared.** Only ``succeeded`` runs that classified at least one conversation (a run over an
empty window saw nothing and says nothing about any issue), and by default only runs of the same source as
the latest one (a JSONL backfill and the Intercom feed are not the same population). They are ordered by
``as_of`` — the end of the run's window, else its creation time (a run without a window covers everything
up to when it was made) — then by id; the latest one is compared with the one just before it, and up to
``limit`` runs are shown.

**Which issues.** An issue is a *canonical signature*: the story signature with the ``_part<N>`` suffix of a
review split removed (``domain.themes.review_groups``). Part numbers are arbitrary per run (part 1 of one run
need not be part 1 of the next), so a split issue is matched across runs as one issue whose count is the sum
of its parts (and of the conversations the review did not place, which keep the bare signature). Only a
suffix that leaves a valid signature (two words at least) is removed: ``spare_part2`` stays itself.

An issue is *tracked* when it was a story (a ``candidate``, or parts summing to ``min_group_size``) in the
latest or in the previous run. Its counts include its **orphan** groups: an issue that fell below the story
threshold this run still has conversations, so it is *shrinking* (or steady), not *gone*. Issues that were
orphans in both runs are noise and are not reported; issues seen only in older runs were already gone.

**The rule** (latest run L against the previous comparable run P; ``count`` = conversations of the issue):

* ``new`` — count(P) = 0 and count(L) > 0 (also every issue of the first comparable run);
* ``gone`` — count(P) > 0 and count(L) = 0;
* otherwise compare count(L) with ``expected`` = count(P) × size(L) / size(P), where *size* is the run's
  classified conversations: the issue's count had it kept its share of the run. ``change`` = count(L) −
  expected. ``growing`` when change ≥ +3 conversations **and** change ≥ +25 % of expected; ``shrinking``
  when change ≤ −3 **and** ≤ −25 %; ``steady`` otherwise.

Why normalise: a run over two weeks has about twice the conversations of a one-week run, so every issue
would double and be "growing". Scaling by classified conversations (quality-passed and classified — the
people who wrote about something; spam, greetings and failed classifications are out) compares shares of
support traffic. Why both thresholds: the relative one alone makes 2 → 3 a +50 % "growth"; the absolute one
alone makes 200 → 203 growth. Both must hold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterable, Sequence

from feedback_assets.domain.stories import DEFAULT_MIN_GROUP_SIZE

TRENDS = ("new", "growing", "shrinking", "gone", "steady")
"""The labels, in the order a report lists them (what needs attention first)."""
DEFAULT_RUNS = 6
"""How many comparable runs a report shows counts for (the latest and up to five before it)."""
_PART = re.compile(r"(?P<base>[a-z][a-z0-9]*(?:_[a-z0-9]+)+)_part[1-9][0-9]*")
_EPSILON = 1e-9


def canonical_signature(signature: str) -> str:
    """The issue a story signature stands for across runs: without the ``_part<N>`` of a review split."""
    match = _PART.fullmatch(signature)
    return match.group("base") if match else signature


@dataclass(frozen=True)
class TrendRun:
    """A pipeline run as trends see it. ``size`` is its classified conversations."""

    run_id: int
    source: str
    status: str
    size: int
    created_at: datetime
    window_start: datetime | None = None
    window_end: datetime | None = None

    @property
    def as_of(self) -> datetime:
        """Until when the run saw conversations: the end of its window, else its creation."""
        return self.window_end or self.created_at

    @property
    def order_key(self) -> tuple[datetime, int]:
        return (self.as_of, self.run_id)

    @property
    def comparable(self) -> bool:
        return self.status == "succeeded" and self.size > 0


@dataclass(frozen=True)
class StoryCount:
    """One story group of one run (a ``stories`` row): candidate or orphan."""

    run_id: int
    signature: str
    title: str
    conversation_count: int
    status: str


@dataclass(frozen=True)
class TrendRule:
    min_relative_change: float = 0.25
    """Growing / shrinking needs |change| ≥ this share of the expected count…"""
    min_absolute_change: float = 3.0
    """…and ≥ this many conversations."""
    normalise_by_run_size: bool = True
    """Scale the previous count to the latest run's size (classified conversations) before comparing."""
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE
    """Parts of a split issue summing to this many conversations make it a story in that run."""

    def __post_init__(self) -> None:
        if not 0 <= self.min_relative_change or not 0 <= self.min_absolute_change:
            raise ValueError("trend thresholds must not be negative")
        if self.min_group_size < 1:
            raise ValueError(f"min_group_size must be at least 1, got {self.min_group_size}")


@dataclass(frozen=True)
class Comparison:
    trend: str
    expected: float | None = None
    """count(P) scaled to the latest run's size (None without a previous run)."""
    change: float | None = None
    """count(L) − expected."""
    relative_change: float | None = None
    """change / expected (None when expected is 0)."""


def compare(previous: int | None, latest: int, previous_size: int | None, latest_size: int | None,
            rule: TrendRule = TrendRule()) -> Comparison:
    """The label of one issue from its count in the previous run (None: there is no previous run) and in
    the latest one (see the module docstring)."""
    if previous is None:
        return Comparison("new" if latest > 0 else "gone")
    scale = 1.0
    if rule.normalise_by_run_size and previous_size and latest_size:
        scale = latest_size / previous_size
    expected = previous * scale
    change = latest - expected
    relative = change / expected if expected > 0 else None
    if previous == 0:
        trend = "new" if latest > 0 else "steady"
    elif latest == 0:
        trend = "gone"
    elif change >= rule.min_absolute_change - _EPSILON and relative >= rule.min_relative_change - _EPSILON:
        trend = "growing"
    elif -change >= rule.min_absolute_change - _EPSILON and -relative >= rule.min_relative_change - _EPSILON:
        trend = "shrinking"
    else:
        trend = "steady"
    return Comparison(trend, expected, change, relative)


def select_runs(
    runs_latest_first: Iterable[TrendRun], *, limit: int = DEFAULT_RUNS, same_source: bool = True
) -> tuple[TrendRun, ...]:
    """Up to ``limit`` comparable runs, oldest first. ``runs_latest_first`` must come latest first (by
    ``order_key``); it is read only until ``limit`` comparable runs were found."""
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")
    chosen: list[TrendRun] = []
    before: TrendRun | None = None
    for run in runs_latest_first:
        if before is not None and run.order_key > before.order_key:
            raise ValueError(f"runs must come latest first: run {run.run_id} after run {before.run_id}")
        before = run
        if not run.comparable or (same_source and chosen and run.source != chosen[0].source):
            continue
        chosen.append(run)
        if len(chosen) == limit:
            break
    return tuple(reversed(chosen))


@dataclass(frozen=True)
class IssueTrend:
    signature: str
    """The canonical signature."""
    title: str
    """The title of its largest group in the latest run it appeared in."""
    trend: str
    counts: tuple[int, ...]
    """Conversations per compared run, oldest first (0: absent)."""
    story_in: tuple[bool, ...]
    """Per compared run: whether it was a story (candidate) there, not just orphan groups."""
    latest: int
    previous: int | None
    expected: float | None
    change: float | None
    relative_change: float | None
    seen_in: tuple[int, ...]
    """Ids of the compared runs it appeared in (its history: their ``stories`` rows)."""
    signatures: tuple[str, ...]
    """Its story signatures in the latest run it appeared in (several when a review split it)."""

    @property
    def size(self) -> int:
        return self.latest or (self.previous or 0)


@dataclass(frozen=True)
class TrendReport:
    runs: tuple[TrendRun, ...]
    """The compared runs, oldest first."""
    issues: tuple[IssueTrend, ...]
    """Tracked issues by trend (``TRENDS`` order), then size (largest first), then signature."""
    rule: TrendRule = field(default_factory=TrendRule)

    @property
    def latest(self) -> TrendRun | None:
        return self.runs[-1] if self.runs else None

    @property
    def previous(self) -> TrendRun | None:
        return self.runs[-2] if len(self.runs) > 1 else None

    def counts(self) -> dict[str, int]:
        totals = dict.fromkeys(TRENDS, 0)
        for issue in self.issues:
            totals[issue.trend] += 1
        return totals


class _Issue:
    """What is accumulated per canonical signature while the rows stream by: per compared run, its count,
    the conversations of its split parts, whether one of its groups was a candidate, its groups and the
    largest group's title."""

    __slots__ = ("counts", "part_counts", "candidate", "best", "signatures")

    def __init__(self, runs: int) -> None:
        self.counts = [0] * runs
        self.part_counts = [0] * runs
        self.candidate = [False] * runs
        self.best: list[tuple | None] = [None] * runs
        self.signatures: list[list[str]] = [[] for _ in range(runs)]

    def add(self, position: int, row: StoryCount, canonical: str) -> None:
        self.counts[position] += row.conversation_count
        if row.signature != canonical:
            self.part_counts[position] += row.conversation_count
        self.candidate[position] = self.candidate[position] or row.status == "candidate"
        self.signatures[position].append(row.signature)
        # The largest group names the issue; on a tie the unsplit signature, then the first alphabetically.
        rank = (-row.conversation_count, row.signature != canonical, row.signature, row.title)
        if self.best[position] is None or rank < self.best[position]:
            self.best[position] = rank

    def story_in(self, position: int, min_group_size: int) -> bool:
        """A story in that run: one of its groups is a candidate, or a review split it into parts too small
        to be candidates alone that together have ``min_group_size`` conversations (the group was one)."""
        return self.candidate[position] or self.part_counts[position] >= min_group_size


def _accumulate(
    runs: Sequence[TrendRun], rows: Iterable[StoryCount], tracked: set[str] | None
) -> dict[str, _Issue]:
    position = {run.run_id: index for index, run in enumerate(runs)}
    issues: dict[str, _Issue] = {}
    for row in rows:
        index = position.get(row.run_id)
        if index is None:
            raise ValueError(f"story row of run {row.run_id}, which is not among the compared runs")
        if row.conversation_count <= 0:
            raise ValueError(
                f"story {row.signature!r} of run {row.run_id} has {row.conversation_count} conversations"
            )
        canonical = canonical_signature(row.signature)
        if tracked is not None and canonical not in tracked:
            continue
        issue = issues.get(canonical)
        if issue is None:
            issue = issues[canonical] = _Issue(len(runs))
        issue.add(index, row, canonical)
    return issues


def tracked_signatures(
    runs: Sequence[TrendRun], rows: Iterable[StoryCount], rule: TrendRule = TrendRule()
) -> set[str]:
    """The canonical signatures that were a story in the latest or the previous of ``runs`` (oldest first),
    from rows of those two runs. Feeding ``compute_trends`` only these keeps its memory to the tracked
    issues; rows of other runs are ignored here."""
    recent = runs[-2:]
    wanted = {run.run_id for run in recent}
    issues = _accumulate(recent, (row for row in rows if row.run_id in wanted), None)
    return {
        signature
        for signature, issue in issues.items()
        if any(issue.story_in(index, rule.min_group_size) for index in range(len(recent)))
    }


def compute_trends(
    runs: Sequence[TrendRun],
    rows: Iterable[StoryCount],
    *,
    rule: TrendRule = TrendRule(),
    tracked: set[str] | None = None,
) -> TrendReport:
    """The trend report of ``runs`` (the compared runs, oldest first, as ``select_runs`` gives them) from
    their story rows, read once as they come. ``tracked`` (from ``tracked_signatures``) lets rows of other
    issues be dropped as they stream by; the result is the same without it."""
    runs = tuple(runs)
    if len({run.run_id for run in runs}) != len(runs):
        raise ValueError("a run is given twice")
    if any(later.order_key < earlier.order_key for earlier, later in zip(runs, runs[1:])):
        raise ValueError("runs must come oldest first")
    if not runs:
        return TrendReport(runs=(), issues=(), rule=rule)
    accumulated = _accumulate(runs, rows, tracked)
    latest_index = len(runs) - 1
    previous_index = latest_index - 1 if latest_index else None
    latest_run, previous_run = runs[latest_index], runs[previous_index] if previous_index is not None else None
    recent = [latest_index] + ([previous_index] if previous_index is not None else [])
    issues: list[IssueTrend] = []
    for signature, issue in accumulated.items():
        if not any(issue.story_in(index, rule.min_group_size) for index in recent):
            continue
        previous = issue.counts[previous_index] if previous_index is not None else None
        comparison = compare(
            previous,
            issue.counts[latest_index],
            previous_run.size if previous_run else None,
            latest_run.size,
            rule,
        )
        last_seen = max(index for index, count in enumerate(issue.counts) if count)
        best = issue.best[last_seen]
        issues.append(
            IssueTrend(
                signature=signature,
                title=best[3],
                trend=comparison.trend,
                counts=tuple(issue.counts),
                story_in=tuple(issue.story_in(index, rule.min_group_size) for index in range(len(runs))),
                latest=issue.counts[latest_index],
                previous=previous,
                expected=comparison.expected,
                change=comparison.change,
                relative_change=comparison.relative_change,
                seen_in=tuple(run.run_id for run, count in zip(runs, issue.counts) if count),
                signatures=tuple(sorted(issue.signatures[last_seen])),
            )
        )
    issues.sort(key=lambda issue: (TRENDS.index(issue.trend), -issue.size, issue.signature))
    return TrendReport(runs=runs, issues=tuple(issues), rule=rule)

