"""Markdown a product manager reads or pastes: the run's header, then each story with its customers' words.

Text that comes from customers or from an engine (titles, quotes) is escaped, so a ``*`` or a ``<b>`` in a
message shows as typed instead of turning into formatting; the story description is the stories step's own
Markdown and is kept as it is. Shared by the Markdown export and the Shortcut push (its story description).
"""

from __future__ import annotations

import re
from typing import Any, Mapping

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
_LIST_START = re.compile(r"^(\s*)([-+]|\d+[.)])(\s)")


def escape(text: str) -> str:
    """``text`` with Markdown's punctuation backslash-escaped (CommonMark escapes any ASCII punctuation)."""
    return _SPECIAL.sub(r"\\\1", text)


def _escape_line(line: str) -> str:
    # A quoted line that starts like a list item would render as one; escape its marker too.
    return _LIST_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}{m.group(3)}", escape(line))


def quote(text: str) -> str:
    """A block quote of ``text`` (every line prefixed, blank lines kept inside the quote)."""
    lines = text.strip().splitlines() or [""]
    return "\n".join(f"> {_escape_line(line)}".rstrip() for line in lines)


def _day(value: str | None) -> str:
    return value[:10] if value else "unknown"


def _moment(value: str | None) -> str:
    return f"{value[:16].replace('T', ' ')} UTC" if value else "—"


def _cell(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", " ")


def seen_range(first: str | None, last: str | None) -> str:
    if not first:
        return "unknown"
    return _day(first) if _day(first) == _day(last) else f"{_day(first)} → {_day(last)}"


def story_facts(item: Mapping[str, Any]) -> str:
    """One line: priority, conversations (and distinct customers when known), area, when it was seen, the
    signature."""
    area = " / ".join(part for part in (item.get("product_area"), item.get("component")) if part) or "unknown"
    score = item.get("priority_score")
    priority = f"{item['priority']} (score {score:g})" if score is not None else item["priority"]
    parts = [
        f"**Priority:** {priority}",
        f"**Conversations:** {item['conversation_count']}",
        *([f"**Customers:** {item['affected_customers']}"] if item.get("affected_customers") is not None else []),
        f"**Area:** {escape(area)}",
        f"**Seen:** {seen_range(item.get('first_seen'), item.get('last_seen'))}",
        f"**Signature:** `{item['issue_signature']}`",
    ]
    if item.get("status") == "orphan":
        parts.append("**Orphan group**")
    return " · ".join(parts)


def quotes_section(item: Mapping[str, Any], heading: str = "**What customers said**") -> str:
    evidence = item.get("evidence") or []
    if not evidence:
        return f"{heading}\n\n_No excerpt stored for this story._"
    shown = f" ({len(evidence)} of {item['conversation_count']} conversations)" if item["conversation_count"] > len(evidence) else ""
    blocks = [f"{heading}{shown}"]
    for entry in evidence:
        when = f", {_day(entry.get('created_at'))}" if entry.get("created_at") else ""
        blocks.append(f"{quote(entry['excerpt'] or '')}\n>\n> — conversation {escape(str(entry['conversation_id']))}{when}")
    return "\n\n".join(blocks)


def story_markdown(item: Mapping[str, Any], *, heading_level: int = 2) -> str:
    """A story of the export (``document.story_item``) as a Markdown section."""
    hashes = "#" * heading_level
    return "\n\n".join(
        [
            f"{hashes} {item['rank']}. {escape(item['title'])}",
            story_facts(item),
            item["description"].strip(),
            quotes_section(item),
        ]
    )


def run_header_markdown(run: Mapping[str, Any], *, generated_at: str, include_orphans: bool) -> str:
    """The document's title and the run's facts; a run that did not succeed says so first."""
    counts = run["counts"]
    window = (
        f"{_moment(run['window_start']) if run['window_start'] else 'the beginning'} → "
        f"{_moment(run['window_end']) if run['window_end'] else 'now (open)'}"
    )
    params = run.get("source_params") or {}
    source = run["source"] + (f" (`{params['path']}`)" if isinstance(params.get("path"), str) else "")
    status = f"**{run['status']}**"
    if run.get("completed_at"):
        status += f" (ended {_moment(run['completed_at'])})"
    rows = [
        ("Status", status),
        ("Source", source),
        ("Window (on `updated_at`)", window),
        ("Engine", run["engine"]),
        (
            "Conversations",
            f"{counts['conversations']} read, {counts['classified']} classified, {counts['themes']} themed",
        ),
        ("Candidate stories", str(counts["candidate_stories"])),
        ("Created", _moment(run["created_at"])),
        ("Exported", f"{_moment(generated_at)}" + (" (orphan groups included)" if include_orphans else "")),
    ]
    lines = [f"# Product stories from pipeline run {run['id']}", ""]
    if run["status"] in ("pending", "running"):
        lines += [
            f"> **Warning: this run is {run['status']}:** it has not finished, so its stories may be incomplete "
            "or missing. Export it again when `feedback-assets runs` shows it succeeded.",
            "",
        ]
    elif run["status"] != "succeeded":
        error = (run.get("error") or "").strip()
        reason = f": {escape(error.splitlines()[0])}" if error else ""
        lines += [
            f"> **Warning: this run is {run['status']}{reason}.** Its stories may be incomplete or missing; "
            f"`feedback-assets resume {run['id']}` completes it.",
            "",
        ]
    if run.get("failed_checks"):
        lines += [f"> **Failed checks:** {', '.join(run['failed_checks'])}", ""]
    lines += ["| | |", "|---|---|", *(f"| {name} | {_cell(value)} |" for name, value in rows)]
    return "\n".join(lines)
