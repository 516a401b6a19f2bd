"""Structured answers from Claude: the answer schema generated from a record model, the request parameters
that force it, reading and validating the answer, and the one corrective retry.

Two ways to force the format, chosen per model:

- ``tool``: a single tool whose ``input_schema`` is the record's schema, forced with
  ``tool_choice={"type": "tool", "name": ...}`` and always with ``thinking: {"type": "disabled"}`` (the API
  refuses a forced tool while thinking is on); the answer is the ``tool_use`` block's ``input``.
- ``json_schema``: ``output_config={"format": {"type": "json_schema", "schema": ...}}``; the answer is the
  text block (after any thinking block). Used for models that refuse forced tools or cannot turn thinking
  off (``capabilities``: Sonnet 5.5, Opus 5.5, Sonnet 5, unknown models).

Either way the answer is validated with the pydantic record (enumerations, lengths, signature form, plus any
cross-field check of the caller). An invalid answer gets ONE corrective retry that tells the model what was
wrong; a second invalid answer becomes a recorded failure — never a default value.

A stage is written as a generator (``exchange``) that yields ``ModelRequest``s and receives the API's
``Message`` or a ``CallFailure``. The same generators run under the interactive worker pool and under the
Message Batches rounds, so validation and retries behave identically in both modes.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Callable, Generator, Generic, Literal, TypeVar

from anthropic import transform_schema
from pydantic import BaseModel, ValidationError

from feedback_assets.engines.anthropic import prompts
from feedback_assets.engines.anthropic.capabilities import THINKING_DISABLED, capabilities

StrategyName = Literal["tool", "json_schema"]
STRUCTURED_OUTPUT_OPTIONS = ("auto", "tool", "json_schema")

MAX_REPORTED_ERRORS = 5

RecordT = TypeVar("RecordT", bound=BaseModel)


def resolve_strategy(option: str, model: str) -> StrategyName:
    """The concrete strategy for ``model`` given the ``structured_output`` option (``capabilities``): ``auto``
    forces a tool where the model takes one with thinking off, else JSON schema; an explicit choice the
    model would refuse is an error naming the option, raised before any call."""
    caps = capabilities(model)
    if option == "auto":
        return "tool" if caps.forced_tool_usable else "json_schema"
    if option == "tool" and not caps.forced_tool_usable:
        raise ValueError(
            f"structured_output='tool' is refused by {model} (forced tool use needs a model that accepts "
            "it with thinking disabled); use 'auto' or 'json_schema'"
        )
    if option == "json_schema" and not caps.json_schema:
        raise ValueError(f"structured_output='json_schema' is not supported by {model}; use 'auto'")
    if option in ("tool", "json_schema"):
        return option  # type: ignore[return-value]
    raise ValueError(
        f"structured_output must be one of {', '.join(STRUCTURED_OUTPUT_OPTIONS)}, got {option!r}"
    )


def _constraint_phrase(schema: dict[str, Any]) -> str | None:
    """Pops length/size keywords the API's strict schemas do not accept and says them in words instead."""
    low_text, high_text = schema.pop("minLength", None), schema.pop("maxLength", None)
    low_items, high_items = schema.pop("minItems", None), schema.pop("maxItems", None)
    if low_text is not None or high_text is not None:
        return _range_words(low_text, high_text, "characters")
    if low_items is not None or high_items is not None:
        return _range_words(low_items, high_items, "items")
    return None


def _range_words(low: int | None, high: int | None, unit: str) -> str:
    if low and high:
        return f"{low} to {high} {unit}."
    if high:
        return f"At most {high} {unit}."
    return f"At least {low} {unit}."


def answer_schema(record: type[BaseModel]) -> dict[str, Any]:
    """The record's JSON schema cleaned for the API: every field required, no defaults or per-field titles,
    field hints as descriptions, size limits in words, then the SDK's ``transform_schema`` (strict subset,
    ``additionalProperties: false``). Validation afterwards is the pydantic model's, so nothing is lost."""
    schema = copy.deepcopy(record.model_json_schema())
    properties: dict[str, dict[str, Any]] = schema.get("properties", {})
    for name, prop in properties.items():
        prop.pop("title", None)
        prop.pop("default", None)
        words = [text for text in (prop.get("description"), prompts.FIELD_HINTS.get(name)) if text]
        constraint = _constraint_phrase(prop)
        if constraint:
            words.append(constraint)
        if words:
            prop["description"] = " ".join(words)
    schema["required"] = list(properties)
    return transform_schema(schema)


@dataclass(frozen=True)
class StructuredTask(Generic[RecordT]):
    """One kind of answer: the forced tool's name and description and the record that validates it."""

    tool_name: str
    description: str
    record: type[RecordT]

    @cached_property
    def schema(self) -> dict[str, Any]:
        return answer_schema(self.record)

    def tool(self) -> dict[str, Any]:
        return {
            "name": self.tool_name,
            "description": self.description,
            "input_schema": self.schema,
            "strict": True,
        }


STAGE1 = "stage1"
STAGE2 = "stage2"
THEME = "theme"
REVIEW = "story_review"


@dataclass(frozen=True)
class CallFailure:
    """A call that produced no message: retries ran out, timeout, connection failure, batch entry errored."""

    reason: str


@dataclass(frozen=True)
class ModelRequest:
    """One Messages API request of one stage, as keyword arguments of ``messages.create``."""

    stage: str
    params: dict[str, Any]
    corrective: bool = False

    @property
    def model(self) -> str:
        return str(self.params["model"])


@dataclass(frozen=True)
class CallSettings:
    """What every request of one stage shares (built once per engine so the cached prefix never changes)."""

    stage: str
    task: StructuredTask[Any]
    model: str
    strategy: StrategyName
    system: list[dict[str, Any]]
    max_tokens: int
    effort: str | None = None
    extra_output_config: dict[str, Any] = field(default_factory=dict)

    def params(self, user_text: str, correction: str | None = None) -> dict[str, Any]:
        content: list[dict[str, Any]] = [{"type": "text", "text": user_text}]
        if correction is not None:
            content.append({"type": "text", "text": correction})
        params: dict[str, Any] = {
            "model": self.model,
            "max_tokens": self.max_tokens,
            "system": self.system,
            "messages": [{"role": "user", "content": content}],
        }
        output_config: dict[str, Any] = {}
        if self.effort and capabilities(self.model).effort:
            output_config["effort"] = self.effort
        if self.strategy == "tool":
            params["thinking"] = dict(THINKING_DISABLED)
            params["tools"] = [self.task.tool()]
            params["tool_choice"] = {
                "type": "tool",
                "name": self.task.tool_name,
                "disable_parallel_tool_use": True,
            }
        else:
            output_config["format"] = {"type": "json_schema", "schema": self.task.schema}
        if output_config:
            params["output_config"] = output_config
        return params


def _summarise_validation(error: ValidationError) -> str:
    problems = []
    for item in error.errors()[:MAX_REPORTED_ERRORS]:
        location = ".".join(str(part) for part in item["loc"]) or "answer"
        got = json.dumps(item.get("input"), ensure_ascii=False, default=str)
        if len(got) > 80:
            got = got[:77] + "..."
        problems.append(f"{location}: {item['msg']} (got {got})")
    hidden = error.error_count() - len(problems)
    if hidden > 0:
        problems.append(f"and {hidden} more")
    return "; ".join(problems)


def read_answer(settings: CallSettings, message: Any) -> tuple[Any, str | None, str]:
    """``(candidate, problem, raw_text)`` from an API message: the tool input or parsed JSON text."""
    blocks = list(getattr(message, "content", None) or [])
    stop_reason = getattr(message, "stop_reason", None)
    texts = "".join(getattr(block, "text", "") for block in blocks if getattr(block, "type", None) == "text")
    if stop_reason == "max_tokens":
        return (
            None,
            f"the answer was cut off at max_tokens={settings.max_tokens} (thinking counts toward it); "
            "answer more briefly",
            texts,
        )
    if settings.strategy == "tool":
        for block in blocks:
            if (
                getattr(block, "type", None) == "tool_use"
                and getattr(block, "name", None) == settings.task.tool_name
            ):
                candidate = block.input
                raw = json.dumps(candidate, ensure_ascii=False, default=str)
                if not isinstance(candidate, dict):
                    return None, f"the {settings.task.tool_name} tool input is not a JSON object", raw
                return candidate, None, raw
        return (
            None,
            f"no {settings.task.tool_name} tool call in the answer (stop_reason={stop_reason})",
            texts,
        )
    text = texts
    try:
        return json.loads(text), None, text
    except json.JSONDecodeError as error:
        return None, f"the answer is not valid JSON ({error.msg} at position {error.pos})", text


def validate_answer(
    settings: CallSettings, candidate: Any, check: Callable[[Any], str | None] | None
) -> tuple[Any, str | None]:
    """The validated record, or why the candidate is not one."""
    try:
        record = settings.task.record.model_validate(candidate)
    except ValidationError as error:
        return None, _summarise_validation(error)
    if check is not None:
        problem = check(record)
        if problem:
            return None, problem
    return record, None


Exchange = Generator[ModelRequest, "Any | CallFailure", tuple[Any, str | None]]


def exchange(
    settings: CallSettings,
    user_text: str,
    check: Callable[[Any], str | None] | None = None,
) -> Exchange:
    """Ask, validate, correct once: returns ``(record, None)`` or ``(None, error)``; the error starts with the
    stage name so a recorded failure says where it happened."""
    response = yield ModelRequest(settings.stage, settings.params(user_text))
    for attempt in (1, 2):
        if isinstance(response, CallFailure):
            return None, f"{settings.stage}: {response.reason}"
        if getattr(response, "stop_reason", None) == "refusal":
            return None, f"{settings.stage}: the model declined to answer (stop_reason=refusal)"
        candidate, problem, raw = read_answer(settings, response)
        if problem is None:
            record, problem = validate_answer(settings, candidate, check)
            if record is not None:
                return record, None
        if attempt == 2:
            return None, f"{settings.stage}: invalid answer after one corrective retry: {problem}"
        correction = prompts.correction_text(problem or "invalid answer", raw)
        response = yield ModelRequest(settings.stage, settings.params(user_text, correction), corrective=True)
    raise AssertionError("unreachable")  # pragma: no cover
