"""A small JSON Schema (draft 2020-12) checker for the keywords our published schemas use.

``jsonschema`` is not a dependency of the project; this checks an instance against a schema for the
subset below and refuses a schema that uses any other keyword, so a schema cannot quietly rely on a check
nobody runs: ``type`` (a name or a list), ``enum``, ``const``, ``required``, ``properties``,
``additionalProperties`` (bool or schema), ``items``, ``minItems``/``maxItems``, ``minLength``/``maxLength``,
``minimum``/``maximum``, ``pattern``, ``format: date-time`` and local ``$ref`` (``#/$defs/…``).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

ANNOTATIONS = {"$schema", "$id", "title", "description", "$defs", "$comment", "examples"}
CHECKED = {
    "type", "enum", "const", "required", "properties", "additionalProperties", "items", "minItems", "maxItems",
    "minLength", "maxLength", "minimum", "maximum", "pattern", "format", "$ref",
}
_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def _resolve(root: dict[str, Any], reference: str) -> dict[str, Any]:
    if not reference.startswith("#/"):
        raise ValueError(f"only local references are supported, got {reference!r}")
    node: Any = root
    for part in reference[2:].split("/"):
        node = node[part]
    return node


def _is_datetime(value: str) -> bool:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})", value):
        return False
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def errors(instance: Any, schema: dict[str, Any], root: dict[str, Any] | None = None, path: str = "$") -> list[str]:
    """Every way ``instance`` breaks ``schema`` (empty: valid), each as ``"<json path>: <problem>"``."""
    root = schema if root is None else root
    unknown = set(schema) - ANNOTATIONS - CHECKED
    if unknown:
        raise ValueError(f"schema at {path} uses keywords this checker does not know: {sorted(unknown)}")
    found: list[str] = []
    if "$ref" in schema:
        found += errors(instance, _resolve(root, schema["$ref"]), root, path)
    if "type" in schema:
        names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_TYPES[name](instance) for name in names):
            return found + [f"{path}: {instance!r:.60} is not of type {names}"]
    if "enum" in schema and instance not in schema["enum"]:
        found.append(f"{path}: {instance!r:.60} is not one of {schema['enum']}")
    if "const" in schema and instance != schema["const"]:
        found.append(f"{path}: {instance!r:.60} is not {schema['const']!r}")
    if isinstance(instance, dict):
        for name in schema.get("required", []):
            if name not in instance:
                found.append(f"{path}: {name!r} is required")
        properties = schema.get("properties", {})
        for name, value in instance.items():
            if name in properties:
                found += errors(value, properties[name], root, f"{path}.{name}")
            elif schema.get("additionalProperties") is False:
                found.append(f"{path}: {name!r} is not allowed")
            elif isinstance(schema.get("additionalProperties"), dict):
                found += errors(value, schema["additionalProperties"], root, f"{path}.{name}")
    if isinstance(instance, list):
        if "minItems" in schema and len(instance) < schema["minItems"]:
            found.append(f"{path}: fewer than {schema['minItems']} items")
        if "maxItems" in schema and len(instance) > schema["maxItems"]:
            found.append(f"{path}: more than {schema['maxItems']} items")
        if "items" in schema:
            for index, value in enumerate(instance):
                found += errors(value, schema["items"], root, f"{path}[{index}]")
    if isinstance(instance, str):
        if "minLength" in schema and len(instance) < schema["minLength"]:
            found.append(f"{path}: shorter than {schema['minLength']}")
        if "maxLength" in schema and len(instance) > schema["maxLength"]:
            found.append(f"{path}: longer than {schema['maxLength']}")
        if "pattern" in schema and not re.search(schema["pattern"], instance):
            found.append(f"{path}: {instance!r:.60} does not match {schema['pattern']!r}")
        if schema.get("format") == "date-time" and not _is_datetime(instance):
            found.append(f"{path}: {instance!r:.60} is not an RFC 3339 date-time")
    if _TYPES["number"](instance):
        if "minimum" in schema and instance < schema["minimum"]:
            found.append(f"{path}: {instance} is below {schema['minimum']}")
        if "maximum" in schema and instance > schema["maximum"]:
            found.append(f"{path}: {instance} is above {schema['maximum']}")
    return found


def unknown_keywords(schema: dict[str, Any], path: str = "#") -> list[str]:
    """Keywords anywhere in ``schema`` that this checker would not enforce (must be empty)."""
    found = [f"{path}/{name}" for name in sorted(set(schema) - ANNOTATIONS - CHECKED)]
    children: list[tuple[str, Any]] = []
    children += [(f"{path}/properties/{name}", node) for name, node in schema.get("properties", {}).items()]
    children += [(f"{path}/$defs/{name}", node) for name, node in schema.get("$defs", {}).items()]
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            children.append((f"{path}/{key}", schema[key]))
    for child_path, node in children:
        found += unknown_keywords(node, child_path)
    return found
