"""Which literal words every match of a cue's regex contains (its anchors), read from the pattern itself, so
``matching.CueSet`` only runs a cue's regex on texts that contain one of them."""

from __future__ import annotations


def _top_level_alternatives(pattern: str) -> list[str]:
    parts, depth, start, escaped = [], 0, 0, False
    for position, char in enumerate(pattern):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(pattern[start:position])
            start = position + 1
    return [*parts, pattern[start:]]


def _group_end(pattern: str) -> int:
    """Index of the parenthesis closing the group that opens ``pattern``."""
    depth, escaped = 0, False
    for position, char in enumerate(pattern):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return position
    raise ValueError(f"unbalanced group in cue {pattern!r}")


def literal_anchors(pattern: str) -> tuple[str, ...] | None:
    """Literal text one of which every match of ``pattern`` contains, each starting a word (so a cue is only
    tried on texts that contain one); None when some alternative has no such literal."""
    anchors: list[str] = []
    for alternative in _top_level_alternatives(pattern):
        found = _sequence_anchors(alternative)
        if found is None:
            return None
        anchors.extend(found)
    return tuple(anchors)


_QUANTIFIERS = "?*+{"


def _elements(sequence: str) -> list[tuple[str, str, str, int]]:
    """``sequence`` as (kind, text, quantifier, end offset) items: kind "group" (text = its content),
    "lookaround", "char" (one literal character) or "other" (a class, an escape class, a dot)."""
    items: list[tuple[str, str, str, int]] = []
    position = 0
    while position < len(sequence):
        char = sequence[position]
        if char == "(":
            close = position + _group_end(sequence[position:])
            body = sequence[position + 1 : close]
            if body.startswith(("?<=", "?<!", "?=", "?!")):
                kind, text = "lookaround", ""
            else:
                kind, text = "group", body[2:] if body.startswith("?:") else body
            position = close + 1
        elif char == "[":
            close = sequence.index("]", position + 2)
            kind, text, position = "other", "", close + 1
        elif char == "\\":
            escaped = sequence[position + 1]
            kind, text = ("other", "") if escaped.isalnum() else ("char", escaped)
            position += 2
        elif char in ".^$":
            kind, text, position = "other", "", position + 1
        else:
            kind, text, position = "char", char, position + 1
        quantifier = ""
        if position < len(sequence) and sequence[position] in _QUANTIFIERS:
            end = sequence.index("}", position) + 1 if sequence[position] == "{" else position + 1
            quantifier = sequence[position:end]
            position = end
            if position < len(sequence) and sequence[position] == "?":
                position += 1  # lazy
        items.append((kind, text, quantifier, position))
    return items


def _ends_outside_word(kind: str, text: str) -> bool:
    """Whether an item surely ends with a character that is not part of a word (so what follows it starts
    one); unsure counts as no."""
    if kind == "char":
        return not (text.isalnum() or text == "_")
    if kind == "group":
        for part in _top_level_alternatives(text):
            items = _elements(part)
            if not items or items[-1][2] or not _ends_outside_word(*items[-1][:2]):
                return False
        return True
    return False


def _sequence_anchors(sequence: str) -> tuple[str, ...] | None:
    """The most selective literal (the one whose shortest form is longest) among the required pieces of
    ``sequence`` that start a word; None when there is none."""
    items = _elements(sequence)
    candidates: list[tuple[str, ...]] = []
    at_word_start = True
    for number, (kind, text, quantifier, end) in enumerate(items):
        required = quantifier in ("", "+")
        ends_outside = _ends_outside_word(kind, text)
        if at_word_start and required:
            if kind == "group":
                inner = literal_anchors(text)
                if inner:
                    candidates.append(inner)
            elif kind == "char" and (text.isalnum() or text == "_"):
                literal = ""
                for next_kind, next_text, next_quantifier, _ in items[number:]:
                    if next_kind != "char" or next_quantifier not in ("", "+"):
                        break
                    literal += next_text
                    if next_quantifier:
                        break
                if len(literal) >= 2:
                    candidates.append((literal.lower(),))
        elif at_word_start and kind == "group" and not ends_outside:
            # An optional group glued to what follows ("(?:over)?charged"): a match starts with the group
            # or, without it, with what follows.
            inner, rest = literal_anchors(text), _sequence_anchors(sequence[end:])
            if inner and rest:
                candidates.append(inner + rest)
        if kind == "lookaround":
            continue  # zero width: the next item starts where this one is
        at_word_start = ends_outside if required else at_word_start and ends_outside
    if not candidates:
        return None
    return max(candidates, key=lambda anchors: min(len(anchor) for anchor in anchors))
