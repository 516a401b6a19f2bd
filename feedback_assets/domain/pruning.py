"""Which old pipeline runs may be pruned, and why the others are kept. Pure logic (no SQL, no Dagster).

A run is *old* when it ended (``completed_at``), or — never having ended — was created, before the cutoff.
An old run is pruned unless one of these keeps it (first that applies):

* ``pending`` / ``running`` — it is not over; pruning it would pull the rows from under its writer;
* ``latest succeeded`` — it is one of the ``keep_latest`` (default 1) latest succeeded runs of its source, by
  the order trends use (end of window, else creation; then id). So every source keeps the run whose stories
  are current: what ``export`` and ``push`` serve, what a person opens in the UI, and the window the
  ``new_conversations`` sensor continues from (``covered_until`` reads ``pipeline_runs``);
* ``tracker links`` — it holds the newest link of an issue signature to a tracker story
  (``story_tracker_links``): ``push`` finds the Shortcut story of a signature through those links, so
  without it a later run with that issue would open a second ticket instead of updating the first;
* ``held`` — a live process holds its partition lease (decided by storage when it tries to take the lease,
  not here).

``failed`` and ``canceled`` runs are final: they are pruned like succeeded ones once old.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

FINAL_STATUSES = ("succeeded", "failed", "canceled")
KEEP_REASONS = {
    "pending": "pending",
    "running": "running",
    "held": "held by a writer",
    "latest_succeeded": "latest succeeded of its source",
    "tracker_links": "holds tracker links",
}
"""Why an old run was kept → how a person reads it, in the order a summary lists them."""


@dataclass(frozen=True)
class PruneCandidate:
    """An old run (older than the cutoff) as the prune sees it."""

    run_id: int
    status: str
    source: str
    created_at: datetime
    completed_at: datetime | None
    succeeded_rank: int | None
    """1 for the latest succeeded run of its source, 2 for the one before…; ``None`` unless succeeded."""
    holds_tracker_links: bool = False

    @property
    def ended_at(self) -> datetime:
        """What its age is measured from: when it ended, else when it was created."""
        return self.completed_at or self.created_at


def keep_reason(
    candidate: PruneCandidate, *, keep_latest: int = 1, keep_tracker_links: bool = True
) -> str | None:
    """Why an old run must stay (a key of ``KEEP_REASONS``), or ``None`` when it may be pruned."""
    if keep_latest < 0:
        raise ValueError(f"keep_latest must not be negative, got {keep_latest}")
    if candidate.status not in FINAL_STATUSES:
        return candidate.status if candidate.status in KEEP_REASONS else "running"
    rank = candidate.succeeded_rank
    if candidate.status == "succeeded" and rank is not None and rank <= keep_latest:
        return "latest_succeeded"
    if keep_tracker_links and candidate.holds_tracker_links:
        return "tracker_links"
    return None
