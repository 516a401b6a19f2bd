"""Pay once: a classification or theme whose inputs are unchanged is copied from the latest earlier run that
has it instead of asking the engine again.

*Inputs* are what the engine read, hashed (``input_hash``, stored on every new row): the conversation's
subject, body, follow-ups, support replies and language (all of them, whatever a given engine reads of
them: a change the engine would not see costs one needless call, never a stale answer), the taxonomy
version (the hash of the taxonomy file: every Claude stage's shared prompt carries it) and, for themes,
the classification fields the request carries (``final_type``, ``urgency``, ``resolution_action``).
Engine-specific context a result depends on beyond the conversation — the offline engine's run-wide
product vocabulary, its run-wide grouping of themes — is passed in as ``context`` and hashed too. The
engine's name, ``prompt_version`` and model are not in the hash: they are columns of the row, and the
lookup matches them exactly.

A row is reused only when it has no ``error``, belongs to an *earlier* run (a lower id: never the same
run), was written by the same engine kind with the same prompt version and model, and has the same
``(conversation_id, input_hash)``; of several such rows the latest run's wins. The lookup is one query per
chunk of conversations (``find_reusable``), served by the ``(conversation_id, input_hash,
pipeline_run_id)`` indexes, so a step never loads an earlier run whole.

Settings, read from the environment here: ``FEEDBACK_REUSE=0`` turns reuse off (a forced full re-run);
``FEEDBACK_REUSE_ENGINES`` (comma-separated, default ``anthropic``) names the engines whose rows are reused.
The offline engine is left out by default: it is free and deterministic, so copying its rows saves nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from functools import partial
from typing import Any, Callable, Iterable, Mapping, Sequence

from sqlalchemy import Engine, Table, and_, func, select, tuple_

from feedback_assets.storage.runs import parse_run_id
from feedback_assets.storage.schema import classifications, themes

HASH_VERSION = "reuse-1"
"""Bumped when what goes into a hash changes, so older hashes stop matching."""

DEFAULT_ENGINES = ("anthropic",)

RUN_WIDE_THEMES = frozenset({"offline"})
"""Engines whose theme for one conversation depends on the run's other conversations (the offline engine
groups them): their themes are reused only when the whole run's theme input is unchanged."""

MAX_PAIRS_PER_QUERY = 4000
"""(conversation, hash) pairs per lookup query: 3 bound parameters each stay under SQLite's 32,766 and
PostgreSQL's 65,535. The classification step's chunk (batch_size, at least 1,000) is one query unless its
batch size is above this."""

_TABLES: dict[str, Table] = {"classifications": classifications, "themes": themes}

# Columns never copied: the new run's id is stamped by the write, provenance is set by the caller.
_NOT_COPIED = frozenset({"pipeline_run_id", "input_hash", "reused_from_run"})


@dataclass(frozen=True)
class ReuseSettings:
    enabled: bool
    engines: tuple[str, ...]

    def applies_to(self, engine_name: str) -> bool:
        return self.enabled and engine_name in self.engines

    def describe(self, engine_name: str) -> str:
        if not self.enabled:
            return "off (FEEDBACK_REUSE=0)"
        if engine_name not in self.engines:
            return f"off for engine {engine_name} (FEEDBACK_REUSE_ENGINES={','.join(self.engines) or '(none)'})"
        return "on"


def reuse_settings(environ: Mapping[str, str] | None = None) -> ReuseSettings:
    environ = os.environ if environ is None else environ
    enabled = environ.get("FEEDBACK_REUSE", "1").strip().lower() not in ("0", "false", "no", "off")
    raw = environ.get("FEEDBACK_REUSE_ENGINES")
    engines = DEFAULT_ENGINES if raw is None else tuple(name.strip() for name in raw.split(",") if name.strip())
    return ReuseSettings(enabled=enabled, engines=engines)


def digest(value: Any) -> str:
    """sha256 (hex) of ``value`` as canonical JSON."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _conversation_part(conversation: Any) -> dict[str, Any]:
    return {
        "subject": conversation.subject,
        "body": conversation.body,
        "customer_messages": list(conversation.customer_messages),
        "support_messages": list(conversation.support_messages),
        "language": conversation.language,
    }


def classification_hash(conversation: Any, context: str = "") -> str:
    """``input_hash`` of a classification: the conversation as the engine reads it, plus ``context``."""
    return digest([HASH_VERSION, "classification", context, _conversation_part(conversation)])


def theme_hash(request: Any, context: str = "") -> str:
    """``input_hash`` of a theme: the conversation, the classification fields of the request, ``context``."""
    return digest(
        [
            HASH_VERSION,
            "theme",
            context,
            _conversation_part(request.conversation),
            {"final_type": request.final_type, "urgency": request.urgency, "resolution_action": request.resolution_action},
        ]
    )


def find_reusable(
    engine: Engine,
    table: str,
    run_id: int | str,
    hashes: Mapping[str, str],
    *,
    engine_name: str,
    model: str | None,
    prompt_version: str | None,
) -> dict[str, dict[str, Any]]:
    """conversation id → the row to copy (its columns minus run id and reuse columns, plus
    ``reused_from_run`` = the run it comes from), for the conversations of ``hashes`` (id → input hash)
    that have a successful row with that hash, engine, model and prompt version in a run before ``run_id``;
    the latest such run wins. One query."""
    if not hashes:
        return {}
    pairs = sorted(hashes.items())
    if len(pairs) > MAX_PAIRS_PER_QUERY:  # a very large chunk: stay under the drivers' parameter limits
        found: dict[str, dict[str, Any]] = {}
        for start in range(0, len(pairs), MAX_PAIRS_PER_QUERY):
            part = dict(pairs[start : start + MAX_PAIRS_PER_QUERY])
            found.update(
                find_reusable(
                    engine, table, run_id, part, engine_name=engine_name, model=model, prompt_version=prompt_version
                )
            )
        return found
    target = _TABLES[table]
    run = parse_run_id(run_id)
    conditions = [
        # The first condition lets every planner seek the (conversation_id, input_hash, run) index; the
        # second keeps only the exact pairs (two conversations with the same text share a hash).
        target.c.conversation_id.in_([conversation_id for conversation_id, _ in pairs]),
        tuple_(target.c.conversation_id, target.c.input_hash).in_(pairs),
        target.c.pipeline_run_id < run,
        target.c.error.is_(None),
        target.c.engine == engine_name,
        target.c.model.is_(None) if model is None else target.c.model == model,
        target.c.prompt_version.is_(None) if prompt_version is None else target.c.prompt_version == prompt_version,
    ]
    if table == "themes":
        conditions.append(target.c.engine_issue_signature.is_not(None))
    newest = (
        func.row_number()
        .over(partition_by=target.c.conversation_id, order_by=target.c.pipeline_run_id.desc())
        .label("_newest")
    )
    ranked = select(target, newest).where(and_(*conditions)).subquery()
    query = select(ranked).where(ranked.c._newest == 1)
    found = {}
    with engine.connect() as connection:
        for row in connection.execute(query).mappings():
            record = {name: value for name, value in row.items() if name not in _NOT_COPIED and name != "_newest"}
            record["reused_from_run"] = row["pipeline_run_id"]
            found[row["conversation_id"]] = record
    return found


def finder(
    engine: Engine, table: str, run_id: int | str, *, engine_name: str, model: str | None, prompt_version: str | None
) -> Callable[[Mapping[str, str]], dict[str, dict[str, Any]]]:
    """``find_reusable`` bound to one step's table, run and engine: called with each chunk's hashes."""
    return partial(
        find_reusable, engine, table, run_id, engine_name=engine_name, model=model, prompt_version=prompt_version
    )


def run_context(parts: Iterable[Any]) -> str:
    """A digest of run-wide context (e.g. the ordered input hashes of a whole run), for engines whose answer
    for one item depends on the others."""
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(str(part).encode("utf-8"))
        hasher.update(b"\n")
    return hasher.hexdigest()


def reused_share(reused: int, total: int) -> float:
    return round(reused / total, 3) if total else 0.0


__all__: Sequence[str] = (
    "ReuseSettings",
    "classification_hash",
    "digest",
    "finder",
    "find_reusable",
    "reuse_settings",
    "run_context",
    "theme_hash",
)
