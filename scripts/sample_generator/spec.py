"""The shape of a product spec: what a module in ``sample_products/`` declares so the shared machinery can
write conversations about that product. Everything product-specific (areas, issues, vocabulary, support
answers) lives in the product module; everything about how people write lives in ``pools``."""

from __future__ import annotations

from dataclasses import dataclass, field

ACTIONABLE_TYPES = ("product_issue", "how_to_question", "feature_request")


@dataclass(frozen=True)
class IssueGroup:
    """One underlying issue that many customers report, each in their own words.

    ``reports`` are bug-style statements, ``asks`` how-do-I questions, ``wants`` feature-style requests,
    ``others`` openings for a framing outside those three;
    ``framings`` says how often customers use each (the key equal to ``type`` is the honest framing; any
    other framing is only used when support replies and reveals the real type in ``replies``).
    """

    key: str
    type: str
    area: str
    component: str
    weight: float
    profile: str  # "steady" | "early" | "late" | "mid" | "burst:<start fraction>:<length fraction>"
    reports: tuple[str, ...] = ()
    asks: tuple[str, ...] = ()
    wants: tuple[str, ...] = ()
    others: tuple[str, ...] = ()  # openings for any other framing type (e.g. an SSO bug reported as account trouble)
    details: tuple[str, ...] = ()
    impacts: tuple[str, ...] = ()
    steps: tuple[tuple[str, ...], ...] = ()
    subjects: tuple[str, ...] = ()
    replies: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    framings: tuple[tuple[str, float], ...] = ()
    tags: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    minor: bool = False

    def framing_weights(self) -> tuple[tuple[str, float], ...]:
        return self.framings or ((self.type, 1.0),)


@dataclass(frozen=True)
class Scenario:
    """A single kind of conversation (a billing question, an account problem, a one-off how-to, ...).

    ``stage1`` is the type the opening message alone suggests when it differs from ``type`` (the reply then
    reveals ``type``). ``texts`` may contain blank lines to separate paragraphs.
    """

    type: str
    texts: tuple[str, ...]
    replies: tuple[str, ...] = ()
    stage1: str | None = None
    area: str | None = None
    component: str | None = None
    subjects: tuple[str, ...] = ()
    followups: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class ForeignReport:
    """A message in another language: either about a recurring group (``group``) or a standalone scenario."""

    lang: str
    texts: tuple[str, ...]
    group: str | None = None
    scenario: Scenario | None = None


@dataclass(frozen=True)
class OneOffObject:
    """A part of the product that a one-off bug can be about; combined with a generic fault."""

    area: str
    component: str
    names: tuple[str, ...]
    traits: tuple[str, ...] = ("screen",)  # which faults fit: screen, list, form, data, numbers, times


@dataclass(frozen=True)
class Outbound:
    """A message the company sends (admin_initiated or automated) and the replies customers send back."""

    delivered_as: str
    subject: str
    texts: tuple[str, ...]
    replies: tuple[tuple[str, str], ...] = ()  # (customer reply template, true type of the conversation)


@dataclass(frozen=True)
class Product:
    name: str
    slug: str
    app_host: str
    help_host: str
    email_domain: str
    areas: dict[str, tuple[str, ...]]
    slots: dict[str, object]
    company_words: tuple[tuple[str, ...], tuple[str, ...]]
    location_names: tuple[str, ...]
    agents: tuple[str, ...]
    teams: tuple[str, ...]
    plans: tuple[str, ...]
    groups: tuple[IssueGroup, ...]
    oneoff_objects: tuple[OneOffObject, ...]
    oneoff_bugs: tuple[Scenario, ...]
    oneoff_howtos: tuple[Scenario, ...]
    oneoff_features: tuple[Scenario, ...]
    account: tuple[Scenario, ...]
    billing: tuple[Scenario, ...]
    configuration: tuple[Scenario, ...]
    general: tuple[Scenario, ...]
    crossovers: tuple[Scenario, ...]
    foreign: tuple[ForeignReport, ...]
    outbound: tuple[Outbound, ...]
    tried: tuple[str, ...]
    app_paths: tuple[str, ...]
    default_count: int
    default_days: int
    default_output: str
    default_labels: str
    label_all: bool
    tag_names: tuple[str, ...] = field(default=())
