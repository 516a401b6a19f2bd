"""The three export formats, each written as the stories stream in (one story in memory at a time).

* ``md`` — a document for people: the run's header, then each story (facts, description, quotes).
* ``json`` — the run and its stories as data; schema ``docs/schemas/stories-export.schema.json``.
* ``csv`` — one row per story for a spreadsheet, the quotes joined in one cell. UTF-8 with a byte-order
  mark (Excel otherwise reads accents as a legacy code page); a cell that starts like a formula
  (``= + - @``, tab, carriage return) gets a leading ``'`` so a spreadsheet shows it instead of running it.
"""

from __future__ import annotations

import csv
import json
from typing import Any, Callable, Iterable, Mapping, TextIO

from feedback_assets.export.document import GENERATOR, SCHEMA_VERSION
from feedback_assets.export.markdown import run_header_markdown, story_markdown

CSV_COLUMNS = (
    "rank",
    "title",
    "priority",
    "priority_score",
    "conversation_count",
    "affected_customers",
    "product_area",
    "component",
    "first_seen",
    "last_seen",
    "conversation_types",
    "symptoms",
    "evidence",
    "description",
    "issue_signature",
    "status",
    "story_id",
    "pipeline_run_id",
    "run_status",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def write_markdown(
    out: TextIO, run: Mapping[str, Any], items: Iterable[Mapping[str, Any]], *, generated_at: str, include_orphans: bool
) -> int:
    out.write(run_header_markdown(run, generated_at=generated_at, include_orphans=include_orphans))
    out.write("\n")
    count = 0
    for item in items:
        out.write("\n---\n\n" if count else "\n")
        out.write(story_markdown(item))
        out.write("\n")
        count += 1
    if not count:
        kind = "stories" if include_orphans else "candidate stories"
        out.write(f"\n_No {kind} in this run._\n")
    return count


def write_json(
    out: TextIO, run: Mapping[str, Any], items: Iterable[Mapping[str, Any]], *, generated_at: str, include_orphans: bool
) -> int:
    head = {
        "schema_version": SCHEMA_VERSION,
        "generator": GENERATOR,
        "generated_at": generated_at,
        "include_orphans": include_orphans,
        "run": run,
    }
    opening = json.dumps(head, indent=2, ensure_ascii=False)
    out.write(opening[: opening.rfind("\n}")])
    out.write(',\n  "stories": [')
    count = 0
    for item in items:
        text = json.dumps(item, indent=2, ensure_ascii=False).replace("\n", "\n    ")
        out.write(("," if count else "") + "\n    " + text)
        count += 1
    out.write("\n  ]" if count else "]")
    out.write(f',\n  "story_count": {count}\n}}\n')
    return count


def _safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _csv_row(run: Mapping[str, Any], item: Mapping[str, Any]) -> dict[str, Any]:
    evidence = "\n\n".join(f"[{quote['conversation_id']}] {quote['excerpt']}" for quote in item["evidence"])
    types = "; ".join(f"{name} {count}" for name, count in sorted(item["conversation_types"].items()))
    row = {
        "rank": item["rank"],
        "title": item["title"],
        "priority": item["priority"],
        "priority_score": item["priority_score"],
        "conversation_count": item["conversation_count"],
        "affected_customers": "" if item["affected_customers"] is None else item["affected_customers"],
        "product_area": item["product_area"] or "",
        "component": item["component"] or "",
        "first_seen": item["first_seen"] or "",
        "last_seen": item["last_seen"] or "",
        "conversation_types": types,
        "symptoms": "; ".join(item["symptoms"]),
        "evidence": evidence,
        "description": item["description"],
        "issue_signature": item["issue_signature"],
        "status": item["status"],
        "story_id": item["id"],
        "pipeline_run_id": run["id"],
        "run_status": run["status"],
    }
    return {name: _safe_cell(value) for name, value in row.items()}


def write_csv(
    out: TextIO, run: Mapping[str, Any], items: Iterable[Mapping[str, Any]], *, generated_at: str, include_orphans: bool
) -> int:
    out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    count = 0
    for item in items:
        writer.writerow(_csv_row(run, item))
        count += 1
    return count


Writer = Callable[..., int]
WRITERS: dict[str, Writer] = {"md": write_markdown, "json": write_json, "csv": write_csv}
FORMATS = tuple(WRITERS)
