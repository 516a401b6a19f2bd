"""The small template language the phrasing pools are written in, plus customer-style roughening (typos,
casing, chat shorthand).

Syntax: ``{a|b|c}`` picks one alternative (alternatives may nest and may be empty), ``$slot`` inserts a value
from the conversation's context (the same slot gives the same value within one conversation), ``$$`` is a
literal dollar sign. Everything is driven by the ``random.Random`` passed in, so output is reproducible.
"""

from __future__ import annotations

import random
import re
from typing import Callable, Union

# A parsed template is a list of nodes: literal strings, ("slot", name) or ("alt", [alternative, ...]).
Node = Union[str, tuple]
_PARSED: dict[str, list[Node]] = {}
_SLOT_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

SlotSource = Union[list, tuple, Callable[[random.Random, "Context"], str]]


class TemplateError(ValueError):
    """A phrasing pool entry that does not parse (unbalanced braces, unknown slot)."""


def _parse(template: str, start: int = 0, nested: bool = False) -> tuple[list[list[Node]], int]:
    """Parse until the matching ``}`` (when nested) and return the alternatives and the end position."""
    alternatives: list[list[Node]] = [[]]
    literal: list[str] = []
    position = start

    def flush() -> None:
        if literal:
            alternatives[-1].append("".join(literal))
            literal.clear()

    while position < len(template):
        char = template[position]
        if char == "{":
            flush()
            inner, position = _parse(template, position + 1, nested=True)
            alternatives[-1].append(("alt", inner))
            continue
        if char == "}" and nested:
            flush()
            return alternatives, position + 1
        if char == "|" and nested:
            flush()
            alternatives.append([])
            position += 1
            continue
        if char == "$":
            if template.startswith("$$", position):
                literal.append("$")
                position += 2
                continue
            match = _SLOT_NAME.match(template, position + 1)
            if not match:
                raise TemplateError(f"'$' not followed by a slot name at {position} in {template!r}")
            flush()
            alternatives[-1].append(("slot", match.group(0)))
            position = match.end()
            continue
        if char == "}":
            raise TemplateError(f"unbalanced '}}' at {position} in {template!r}")
        literal.append(char)
        position += 1
    if nested:
        raise TemplateError(f"unclosed '{{' in {template!r}")
    flush()
    return alternatives, position


def parse(template: str) -> list[Node]:
    nodes = _PARSED.get(template)
    if nodes is None:
        alternatives, _ = _parse(template)
        nodes = alternatives[0]
        _PARSED[template] = nodes
    return nodes


class Context:
    """Slot values of one conversation. A slot is filled once and reused, so a message that names the
    store twice names the same store; ``$name2`` draws from ``name``'s source but differs from ``$name``."""

    def __init__(self, sources: dict[str, SlotSource], rng: random.Random, **fixed: str) -> None:
        self.sources = sources
        self.rng = rng
        self.values: dict[str, str] = dict(fixed)

    def get(self, name: str) -> str:
        if name in self.values:
            return self.values[name]
        base = name.rstrip("0123456789")
        source = self.sources.get(name, self.sources.get(base))
        if source is None:
            raise TemplateError(f"unknown slot ${name}")
        taken = {value for key, value in self.values.items() if key.rstrip("0123456789") == base}
        value = ""
        for _ in range(8):  # a few draws to avoid repeating a sibling slot's value
            value = source(self.rng, self) if callable(source) else self.rng.choice(source)
            if value not in taken:
                break
        if not callable(source) and ("{" in value or "$" in value):
            value = expand(value, self.rng, self)  # list entries may be templates; computed values are literal
        self.values[name] = value
        return value


def _render(nodes: list[Node], rng: random.Random, ctx: Context, out: list[str]) -> None:
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
        elif node[0] == "slot":
            out.append(ctx.get(node[1]))
        else:
            _render(rng.choice(node[1]), rng, ctx, out)


def expand(template: str, rng: random.Random, ctx: Context) -> str:
    out: list[str] = []
    _render(parse(template), rng, ctx, out)
    text = "".join(out)
    # Empty alternatives leave doubled or dangling spaces behind; fold them.
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = re.sub(r" ([,.;:!?])(?=\s|$)", r"\1", text)
    return text.strip()


def pick(pool: list[str], rng: random.Random, ctx: Context) -> str:
    return capitalise(expand(rng.choice(pool), rng, ctx))


def capitalise(text: str) -> str:
    for index, char in enumerate(text):
        if char.isalpha():
            return text[:index] + char.upper() + text[index + 1 :]
        if char.isdigit():
            return text
    return text


def check_pool(name: str, pool: list[str], slots: dict[str, SlotSource], fixed: tuple[str, ...]) -> None:
    """Fail early (in tests) on a pool entry that does not parse or names a slot nobody provides."""

    def walk(nodes: list[Node]) -> None:
        for node in nodes:
            if isinstance(node, tuple):
                if node[0] == "slot":
                    base = node[1].rstrip("0123456789")
                    if node[1] not in slots and base not in slots and base not in fixed:
                        raise TemplateError(f"{name}: unknown slot ${node[1]}")
                else:
                    for alternative in node[1]:
                        walk(alternative)

    for entry in pool:
        try:
            walk(parse(entry))
        except TemplateError as error:
            raise TemplateError(f"{name}: {error}") from None


# --- customer-style roughening -------------------------------------------------------------------------

_MISSPELLINGS = {
    "schedule": ["schedual", "shedule", "scedule"],
    "schedules": ["schedual", "shedules"],
    "because": ["becuase", "bc", "cuz"],
    "definitely": ["definately", "defiantly"],
    "receive": ["recieve"],
    "received": ["recieved"],
    "receiving": ["recieving"],
    "separate": ["seperate"],
    "calendar": ["calender", "calandar"],
    "notification": ["notifcation", "notificaiton"],
    "notifications": ["notifcations", "notifs"],
    "employee": ["employe", "emplyee"],
    "employees": ["employes", "emplyees"],
    "until": ["untill"],
    "approve": ["aprove"],
    "approved": ["aproved"],
    "anything": ["anythign"],
    "please": ["pls", "plz", "plese"],
    "thanks": ["thx", "thanx", "ty"],
    "tomorrow": ["tommorow", "tomorow"],
    "really": ["realy"],
    "document": ["docuemnt", "doc"],
    "weird": ["wierd"],
    "which": ["wich"],
    "their": ["there"],
    "though": ["tho"],
    "you": ["u"],
    "are": ["r"],
    "with": ["w/"],
    "without": ["w/o"],
}
_CONTRACTIONS = re.compile(r"\b(do|does|did|is|are|was|were|ca|wo|could|would|should|have|has)n't\b", re.I)
_WORD = re.compile(r"[A-Za-z][A-Za-z']+")


def _mangle_word(word: str, rng: random.Random) -> str:
    lower = word.lower()
    if lower in _MISSPELLINGS and rng.random() < 0.7:
        replacement = rng.choice(_MISSPELLINGS[lower])
        return replacement.capitalize() if word[0].isupper() else replacement
    if len(word) < 5:
        return word
    index = rng.randrange(1, len(word) - 2)
    operation = rng.random()
    if operation < 0.4:  # swapped neighbours
        return word[:index] + word[index + 1] + word[index] + word[index + 2 :]
    if operation < 0.7:  # dropped letter
        return word[:index] + word[index + 1 :]
    return word[:index] + word[index] + word[index:]  # doubled letter


def roughen(text: str, rng: random.Random, sloppiness: float) -> str:
    """Typos, dropped apostrophes, lower-case 'i' and similar, with probability scaled by sloppiness (0..1).
    Words with digits, slashes, dots, '@' or ':' (URLs, versions, times, emails) are never touched."""
    if sloppiness <= 0:
        return text
    if rng.random() < sloppiness:
        text = _CONTRACTIONS.sub(lambda m: m.group(0).replace("'", ""), text)
        text = text.replace("I'm", "im" if rng.random() < 0.5 else "Im").replace("it's", "its")
    if rng.random() < sloppiness * 0.5:
        text = re.sub(r"\bI\b", "i", text)

    def maybe(match: re.Match[str]) -> str:
        word = match.group(0)
        before = text[max(0, match.start() - 1) : match.start()]
        after = text[match.end() : match.end() + 1]
        if before in "/.@:-_#" and before or after in "/@:_#" and after:
            return word
        if rng.random() < sloppiness * 0.035:
            return _mangle_word(word, rng)
        return word

    return _WORD.sub(maybe, text)


def chat_casing(text: str, rng: random.Random) -> str:
    """How people type in a chat widget: all lower case, trailing full stops dropped."""
    text = text.lower()
    if rng.random() < 0.6:
        text = re.sub(r"\.(\s|$)", r"\1", text)
    return text
