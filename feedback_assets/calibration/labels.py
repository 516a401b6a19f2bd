"""Where labels come from: a labels file (CSV or JSONL, validated line by line), the conversations it
labels (a JSONL file or folder), or a finished Claude-engine run's final types (``--from-run``)."""

from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

from feedback_assets.calibration.errors import CalibrationError
from feedback_assets.domain.models import CONVERSATION_TYPES, Conversation


@dataclass(frozen=True)
class Label:
    conversation_id: str
    type: str
    issue_group: str | None = None


_ID_KEYS = ("conversation_id", "id")
_TYPE_KEYS = ("type", "final_type")


def _pick(record: Mapping[str, Any], keys: Sequence[str]) -> Any:
    for key in keys:
        value = record.get(key)
        if value not in (None, ""):
            return value
    return None


def read_labels(path: str | os.PathLike[str]) -> dict[str, Label]:
    """Labels from a CSV (header with ``conversation_id``/``id``, ``type``/``final_type``, optional
    ``issue_group``) or JSONL file (objects with the same keys). Raises ``CalibrationError``."""
    path = Path(path)
    if not path.is_file():
        raise CalibrationError(f"labels file {path} does not exist")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise CalibrationError(f"labels file {path} cannot be read: {error}") from error
    records: list[tuple[int, Mapping[str, Any]]] = []
    if path.suffix.lower() == ".csv" or (path.suffix.lower() not in (".jsonl", ".json") and not text.lstrip().startswith("{")):
        reader = csv.DictReader(text.splitlines())
        header = [name.strip() for name in reader.fieldnames or []]
        if not any(key in header for key in _ID_KEYS) or not any(key in header for key in _TYPE_KEYS):
            raise CalibrationError(
                f"labels file {path}: the CSV header must name conversation_id and type, found {header}"
            )
        for number, row in enumerate(reader, 2):
            records.append((number, {(k or "").strip(): (v or "").strip() for k, v in row.items()}))
    else:
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as error:
                raise CalibrationError(f"labels file {path}:{number}: not a JSON line ({error})") from error
            if not isinstance(record, dict):
                raise CalibrationError(f"labels file {path}:{number}: expected a JSON object")
            records.append((number, record))
    labels: dict[str, Label] = {}
    unknown: list[tuple[int, str]] = []
    for number, record in records:
        conversation_id, kind = _pick(record, _ID_KEYS), _pick(record, _TYPE_KEYS)
        if conversation_id is None or kind is None:
            raise CalibrationError(f"labels file {path}:{number}: needs a conversation_id and a type")
        conversation_id, kind = " ".join(str(conversation_id).split()), str(kind).strip()
        if kind not in CONVERSATION_TYPES:
            unknown.append((number, kind))
            continue
        group = record.get("issue_group")
        label = Label(conversation_id, kind, str(group) if group not in (None, "") else None)
        previous = labels.get(conversation_id)
        if previous and previous.type != kind:
            raise CalibrationError(
                f"labels file {path}:{number}: conversation {conversation_id} is labelled both "
                f"{previous.type} and {kind}"
            )
        labels[conversation_id] = label
    if unknown:
        shown = ", ".join(f"line {n}: {kind!r}" for n, kind in unknown[:3])
        raise CalibrationError(
            f"labels file {path}: {len(unknown)} unknown type(s) ({shown}); known types: "
            f"{', '.join(CONVERSATION_TYPES)}"
        )
    if not labels:
        raise CalibrationError(f"labels file {path} holds no labels")
    return labels


def read_conversations(path: str | os.PathLike[str]) -> list[Conversation]:
    """The conversations of a JSONL file or folder, normalised as the pipeline does (newest version per id)."""
    from feedback_assets.domain.normalize import normalise_many
    from feedback_assets.sources.jsonl import JsonlSource

    path = Path(path)
    if not path.exists():
        raise CalibrationError(f"conversations file {path} does not exist")
    try:
        fetched = JsonlSource(path).fetch()
    except (OSError, ValueError) as error:
        raise CalibrationError(f"conversations file {path} cannot be read: {error}") from error
    return list(normalise_many(fetched.conversations, source="calibration").conversations)



def labels_from_run(run_id: str, database_url: str | None = None) -> tuple[dict[str, Label], list[Conversation], str]:
    """A finished Claude-engine run's final types as labels, and its conversations. ``CalibrationError`` when
    the run does not exist, is not an ``anthropic`` run or has not ``succeeded``."""
    from sqlalchemy import and_, select

    from feedback_assets.domain.normalize import conversation_from_row
    from feedback_assets.storage import get_run, iter_partition, make_engine, parse_run_id, upgrade
    from feedback_assets.storage.errors import StorageError
    from feedback_assets.storage.schema import classifications

    try:
        number = parse_run_id(run_id)
    except StorageError as error:
        raise CalibrationError(f"--from-run: {error}") from error
    database = make_engine(database_url)
    upgrade(database)
    try:
        run = get_run(database, number)
    except StorageError as error:
        raise CalibrationError(f"--from-run: {error}") from error
    if run.engine != "anthropic":
        raise CalibrationError(
            f"--from-run: run {number} used the {run.engine!r} engine; only a Claude (anthropic) run's types are labels"
        )
    if run.status != "succeeded":
        raise CalibrationError(f"--from-run: run {number} is {run.status!r}; only a succeeded run's types are labels")
    labels: dict[str, Label] = {}
    with database.connect() as connection:
        rows = connection.execute(
            select(classifications.c.conversation_id, classifications.c.final_type).where(
                and_(
                    classifications.c.pipeline_run_id == number,
                    classifications.c.error.is_(None),
                    classifications.c.final_type.is_not(None),
                )
            )
        )
        for conversation_id, final_type in rows:
            labels[conversation_id] = Label(conversation_id, final_type)
    if not labels:
        raise CalibrationError(f"--from-run: run {number} has no successful classifications")
    conversations = [
        conversation_from_row(row)
        for chunk in iter_partition(database, "conversations", number)
        for row in chunk
    ]
    return labels, conversations, f"pipeline run {number} (anthropic)"
