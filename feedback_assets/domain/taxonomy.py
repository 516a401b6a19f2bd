"""The product taxonomy: areas, components with keywords, and a vocabulary of known issues.

It is a data file users replace for their product: ``feedback_assets/data/taxonomy.json`` (the fictional
product "Crewline") unless ``FEEDBACK_TAXONOMY`` or an explicit path names another. Format::

    {
      "product": "Name", "description": "…",
      "areas": [{"name": "snake_case", "description": "…", "keywords": ["…"],
                 "components": [{"name": "snake_case", "description": "…", "keywords": ["…"]}]}],
      "vocabulary": [{"signature": "feature_symptom", "product_area": "…", "component": "…",
                      "title": "…", "user_intent": "…", "types": ["product_issue"],
                      "match": [["alternative", "…"], ["…"]],      # every group must match
                      "aliases": ["older_signature"], "symptoms": ["2 to 4 items"],
                      "affected_flow": "…", "root_cause_hypothesis": "…"}]
    }

A keyword or match phrase matches the words of a conversation through the light stemmer of
``domain.text`` ("swap" matches "swapped", "clock in" matches "clocking in"). Conversation *types* never
depend on this file; only areas, components and signatures do. ``Taxonomy.raw`` is the parsed JSON (the
Claude engine renders it into its system prompt).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from feedback_assets.domain.models import ConversationType
from feedback_assets.domain.signatures import signature_problem
from feedback_assets.domain.text import PhraseIndex, StemIndex, phrase_stems

TAXONOMY_ENV = "FEEDBACK_TAXONOMY"
DEFAULT_TAXONOMY_PATH = Path(__file__).resolve().parent.parent / "data" / "taxonomy.json"
_SNAKE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")


class _Spec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _snake_case(value: str) -> str:
    if not _SNAKE.fullmatch(value):
        raise ValueError(f"{value!r} is not lowercase snake_case")
    return value


class ComponentSpec(_Spec):
    name: str
    description: str = ""
    keywords: list[str] = Field(default_factory=list)

    _name = field_validator("name")(_snake_case)


class AreaSpec(_Spec):
    name: str
    description: str = ""
    keywords: list[str] = Field(default_factory=list)
    components: list[ComponentSpec] = Field(min_length=1)

    _name = field_validator("name")(_snake_case)


class VocabularySpec(_Spec):
    signature: str
    product_area: str
    component: str
    title: str = Field(min_length=1, max_length=200)
    user_intent: str = Field(min_length=1, max_length=500)
    description: str = ""
    types: list[ConversationType] = Field(default_factory=lambda: ["product_issue"], min_length=1)
    match: list[list[str]] = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    symptoms: list[str] = Field(min_length=2, max_length=4)
    affected_flow: str = Field(min_length=1, max_length=500)
    root_cause_hypothesis: str = Field(min_length=1, max_length=1000)

    @field_validator("signature")
    @classmethod
    def _valid_signature(cls, value: str) -> str:
        problem = signature_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("match")
    @classmethod
    def _non_empty_groups(cls, value: list[list[str]]) -> list[list[str]]:
        if any(not [phrase for phrase in group if phrase_stems(phrase)] for group in value):
            raise ValueError("every match group needs at least one phrase with a word in it")
        return value


class TaxonomySpec(_Spec):
    product: str = Field(min_length=1)
    description: str = ""
    areas: list[AreaSpec] = Field(default_factory=list)
    vocabulary: list[VocabularySpec] = Field(default_factory=list)


@dataclass(frozen=True)
class Placement:
    """Where a text lands in the taxonomy and why (the matched keywords)."""

    product_area: str
    component: str
    score: float
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class VocabularyMatch:
    entry: VocabularySpec
    phrases: tuple[str, ...]
    """The phrases that matched, one per match group at least."""


@dataclass(frozen=True)
class Taxonomy:
    spec: TaxonomySpec
    raw: dict[str, Any]
    path: Path | None = None
    _components: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    _keywords: PhraseIndex = field(default_factory=lambda: PhraseIndex(()), repr=False)
    _match_groups: PhraseIndex = field(default_factory=lambda: PhraseIndex(()), repr=False)

    @classmethod
    def from_raw(cls, raw: dict[str, Any], path: Path | None = None) -> "Taxonomy":
        where = str(path) if path else "taxonomy"
        try:
            spec = TaxonomySpec.model_validate(raw)
        except ValidationError as error:
            raise ValueError(f"{where}: invalid taxonomy: {error}") from error
        known = {(area.name, component.name) for area in spec.areas for component in area.components}
        signatures: set[str] = set()
        for number, entry in enumerate(spec.vocabulary):
            if (entry.product_area, entry.component) not in known:
                raise ValueError(
                    f"{where}: vocabulary[{number}] ({entry.signature}): component "
                    f"{entry.product_area}/{entry.component} is not in areas"
                )
            if entry.signature in signatures:
                raise ValueError(f"{where}: vocabulary[{number}]: signature {entry.signature} appears twice")
            signatures.add(entry.signature)

        components = tuple(
            (area.name, component.name) for area in spec.areas for component in area.components
        )
        component_specs = [component for area in spec.areas for component in area.components]
        keywords = PhraseIndex(
            ((number, phrase), phrase_stems(phrase))
            for number, component in enumerate(component_specs)
            for phrase in [*component.keywords, component.name.replace("_", " ")]
        )
        match_groups = PhraseIndex(
            ((number, group_number, phrase), phrase_stems(phrase))
            for number, entry in enumerate(spec.vocabulary)
            for group_number, group in enumerate(entry.match)
            for phrase in group
        )
        return cls(spec, raw, path, components, keywords, match_groups)

    @property
    def product(self) -> str:
        return self.spec.product

    @property
    def vocabulary(self) -> list[VocabularySpec]:
        return self.spec.vocabulary

    def component_description(self, component: str) -> str:
        """The description of ``component`` ("" for a component the taxonomy does not have)."""
        return next(
            (c.description for area in self.spec.areas for c in area.components if c.name == component), ""
        )

    def place(self, index: StemIndex) -> Placement | None:
        """The component whose keywords the text mentions most (multi-word keywords count double);
        ties go to the component listed first. None when no keyword matches."""
        scores: dict[int, float] = {}
        matched: dict[int, list[str]] = {}
        for _, (number, phrase), stems in self._keywords.matches(index):
            scores[number] = scores.get(number, 0.0) + len(stems)
            matched.setdefault(number, []).append(phrase)
        if not scores:
            return None
        best = min(scores, key=lambda number: (-scores[number], number))
        area, component = self._components[best]
        return Placement(area, component, scores[best], tuple(matched[best]))

    def match_vocabulary(self, index: StemIndex, conversation_type: str) -> VocabularyMatch | None:
        """The known issue whose every match group the text satisfies; more groups, then more matched
        phrases, then file order decide between several."""
        groups_found: dict[int, set[int]] = {}
        phrases: dict[int, list[str]] = {}
        for _, (number, group_number, phrase), _ in self._match_groups.matches(index):
            groups_found.setdefault(number, set()).add(group_number)
            phrases.setdefault(number, []).append(phrase)
        complete = [
            number
            for number, found in groups_found.items()
            if len(found) == len(self.spec.vocabulary[number].match)
            and conversation_type in self.spec.vocabulary[number].types
        ]
        if not complete:
            return None
        best = min(complete, key=lambda n: (-len(self.spec.vocabulary[n].match), -len(phrases[n]), n))
        return VocabularyMatch(self.spec.vocabulary[best], tuple(phrases[best]))


def empty_taxonomy(product: str = "unknown product") -> Taxonomy:
    """A taxonomy with no areas and no vocabulary: grouping then relies on the run's own conversations."""
    return Taxonomy.from_raw({"product": product, "areas": [], "vocabulary": []})


def taxonomy_path(path: str | os.PathLike[str] | None = None) -> Path:
    configured = path if path is not None else os.environ.get(TAXONOMY_ENV, "").strip() or None
    return Path(configured).expanduser() if configured else DEFAULT_TAXONOMY_PATH


def taxonomy_version(path: str | os.PathLike[str] | None = None) -> str:
    """The hash of the taxonomy file the engines read (``path``, else ``$FEEDBACK_TAXONOMY``, else the
    bundled one): what "the same taxonomy" means when results are reused across runs."""
    return hashlib.sha256(taxonomy_path(path).read_bytes()).hexdigest()


@lru_cache(maxsize=8)
def _load(path: Path, modified: float) -> Taxonomy:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ValueError(f"taxonomy file {path} cannot be read: {error.strerror or error}") from error
    except ValueError as error:
        raise ValueError(f"taxonomy file {path} is not valid JSON: {error}") from error
    if not isinstance(raw, dict):
        raise ValueError(f"taxonomy file {path} must hold a JSON object, not {type(raw).__name__}")
    return Taxonomy.from_raw(raw, path)


def load_taxonomy(path: str | os.PathLike[str] | None = None) -> Taxonomy:
    """The taxonomy at ``path``, else ``$FEEDBACK_TAXONOMY``, else the bundled Crewline one (cached per file
    version)."""
    resolved = taxonomy_path(path).resolve()
    try:
        modified = resolved.stat().st_mtime
    except OSError as error:
        raise ValueError(f"taxonomy file {resolved} cannot be read: {error.strerror or error}") from error
    return _load(resolved, modified)
