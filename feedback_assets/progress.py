"""Progress lines for long steps: ``label: done/total (pct) at R/s, ETA …`` every few seconds, then a summary.

Pure (no Dagster import): a step hands it ``context.log.info`` as ``log``; tests hand it a list's ``append``
and a fake clock. Usage::

    progress = Progress("classifications", total=len(ids), log=context.log.info)
    for chunk in chunks:
        ...
        progress.add(len(chunk))
    progress.finish()   # logs and returns "classifications: 40,000 done in 12.3 s (3,252/s)"
"""

from __future__ import annotations

import time
from typing import Callable


def _duration(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m"
    if minutes:
        return f"{minutes}m{secs:02d}s"
    return f"{secs}s"


class Progress:
    """Counts items and logs a line at most every ``every_seconds`` (when ``add`` is called), plus a final
    summary from ``finish``. ``total`` is optional: without it the line has no percentage and no ETA."""

    def __init__(
        self,
        label: str,
        total: int | None = None,
        log: Callable[[str], object] = print,
        every_seconds: float = 10.0,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.label = label
        self.total = total
        self.log = log
        self.every_seconds = every_seconds
        self.done = 0
        self._clock = clock
        self._started = clock()
        self._last_logged = self._started
        self._finished: str | None = None

    @property
    def elapsed(self) -> float:
        return self._clock() - self._started

    def rate(self) -> float:
        """Items per second since the start (0 before any time has passed)."""
        elapsed = self.elapsed
        return self.done / elapsed if elapsed > 0 else 0.0

    def add(self, n: int = 1) -> None:
        """Count ``n`` more items done; logs a progress line when ``every_seconds`` have passed."""
        self.done += n
        now = self._clock()
        if now - self._last_logged >= self.every_seconds:
            self._last_logged = now
            self.log(self.line())

    def line(self) -> str:
        """The current progress line (what ``add`` logs)."""
        rate = self.rate()
        if self.total:
            pct = 100.0 * self.done / self.total
            remaining = max(0, self.total - self.done)
            eta = _duration(remaining / rate) if rate > 0 else "?"
            return f"{self.label}: {self.done:,}/{self.total:,} ({pct:.0f}%) at {rate:,.0f}/s, ETA {eta}"
        return f"{self.label}: {self.done:,} done at {rate:,.0f}/s"

    def finish(self) -> str:
        """Log and return the summary line (once; later calls return the same line without logging)."""
        if self._finished is None:
            elapsed = self.elapsed
            of_total = f" of {self.total:,}" if self.total is not None and self.total != self.done else ""
            self._finished = (
                f"{self.label}: {self.done:,}{of_total} done in {elapsed:.1f} s ({self.rate():,.0f}/s)"
            )
            self.log(self._finished)
        return self._finished
