"""Builds a whole sample: decides how many conversations of each kind, when they happen, what each says and
how support answers, then assembles Intercom REST API v2.x conversation objects and their ground truth.

Determinism: one ``random.Random`` per dataset for planning and one per conversation (seeded from the
dataset seed, the product, the kind and the index), dict/list iteration only (never sets), no clock.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from . import html, pools
from .people import Admin, Cast, Contact, build_cast
from .spec import ACTIONABLE_TYPES, ForeignReport, IssueGroup, OneOffObject, Outbound, Product, Scenario
from .writer import Writer

DAY = 86_400

# Share of conversations per kind; recurring groups share theirs by IssueGroup.weight.
MIX = (
    ("recurring", 0.39), ("minor", 0.02), ("oneoff_bug", 0.13), ("oneoff_howto", 0.03), ("oneoff_feature", 0.03),
    ("crossover", 0.03), ("account", 0.065), ("billing", 0.065), ("configuration", 0.06), ("general", 0.055),
    ("foreign_misc", 0.01), ("greeting", 0.03), ("short", 0.01), ("spam", 0.04), ("outbound", 0.035),
)
EMPTY_OPENING_RATE = 0.035
REFETCH_RATE = 0.018
FOREIGN_GROUP_RATE = 0.07
# Relative volume by UTC hour: most customers are in the Americas, some in Europe.
HOUR_WEIGHTS = (3, 2, 1, 1, 1, 1, 1, 2, 4, 5, 6, 6, 7, 9, 10, 11, 11, 10, 9, 8, 7, 6, 5, 4)


@dataclass
class Truth:
    type: str
    stage1_type: str
    issue_key: str | None = None
    product_area: str | None = None
    component: str | None = None
    language: str = "en"
    expected_filter: str | None = None
    kind: str = ""


@dataclass
class Part:
    part_type: str  # comment | note | assignment | default_assignment | snoozed | close
    author: str  # user | admin | bot
    blocks: list | None
    delay: int
    essential: bool = False
    prerendered: str | None = None  # HTML kept as written (an opening moved into the first part)
    rendered: str | None = None


@dataclass
class Draft:
    kind: str
    index: int
    created_at: int
    truth: Truth
    contact: Contact
    source_type: str
    delivered_as: str
    subject: str
    opening: str  # HTML
    opening_author: str  # user | lead | admin | bot
    url: str | None
    parts: list[Part]
    admin: Admin
    team: tuple[str, str] | None
    tags: list[str] = field(default_factory=list)
    priority: bool = False
    refetch: bool = False


@dataclass
class Dataset:
    product: Product
    seed: int
    start: date
    days: int
    conversations: list[dict]  # file order: by updated_at, then id; re-fetched ids appear twice
    truth: dict[str, Truth]  # by conversation id


# --- planning -------------------------------------------------------------------------------------------

def _largest_remainder(weights: list[tuple[str, float]], total: int) -> dict[str, int]:
    weight_sum = sum(weight for _, weight in weights) or 1.0
    exact = [(name, total * weight / weight_sum) for name, weight in weights]
    counts = {name: int(value) for name, value in exact}
    remaining = total - sum(counts.values())
    order = sorted(exact, key=lambda item: (-(item[1] - int(item[1])), item[0]))
    for name, _ in order[:remaining]:
        counts[name] += 1
    return counts


def _profile_interval(profile: str) -> tuple[float, float]:
    if profile.startswith("burst:"):
        _, begin, length = profile.split(":")
        return float(begin), min(1.0, float(begin) + float(length))
    return {"steady": (0.0, 1.0), "early": (0.0, 0.55), "late": (0.45, 1.0), "mid": (0.2, 0.8)}[profile]


def _timestamp(rng: random.Random, start_ts: int, days: int, fraction: float) -> int:
    day_index = min(days - 1, int(fraction * days))
    day_start = start_ts + day_index * DAY
    weekday = datetime.fromtimestamp(day_start, tz=timezone.utc).weekday()
    if weekday >= 5 and rng.random() < 0.5:  # fewer conversations at weekends
        day_start += (DAY if weekday == 6 else -DAY) if 0 < day_index < days - 1 else 0
    hour = rng.choices(range(24), HOUR_WEIGHTS)[0]
    return day_start + hour * 3600 + rng.randrange(3600)


def _spread(rng: random.Random, count: int, low: float, high: float) -> list[float]:
    """Stratified positions in [low, high): even coverage, so a steady issue shows up in every window."""
    return [low + (index + rng.random()) * (high - low) / count for index in range(count)]


@dataclass
class Item:
    kind: str
    index: int
    created_at: int
    payload: object


def plan(product: Product, count: int, seed: int, start_ts: int, days: int) -> list[Item]:
    rng = random.Random(f"{seed}:{product.slug}:plan")
    kinds = _largest_remainder(list(MIX), count)
    items: list[Item] = []

    def background(kind: str, payloads: list) -> None:
        for index, payload in enumerate(payloads):
            items.append(Item(kind, index, _timestamp(rng, start_ts, days, rng.random()), payload))

    for kind, groups in (("recurring", [g for g in product.groups if not g.minor]),
                         ("minor", [g for g in product.groups if g.minor])):
        per_group = _largest_remainder([(g.key, g.weight) for g in groups], kinds[kind])
        for group in groups:
            low, high = _profile_interval(group.profile)
            for index, fraction in enumerate(_spread(rng, per_group[group.key], low, high)):
                items.append(Item(kind, len(items), _timestamp(rng, start_ts, days, fraction), group))

    def cycle(pool: list, n: int, label: str) -> list:
        """Each pool entry once, in a seeded order; past the pool's size entries repeat (and are then
        labelled as a shared issue, since they are one)."""
        order = list(range(len(pool)))
        rng.shuffle(order)
        return [(f"{label}:{order[i % len(order)]}", pool[order[i % len(order)]]) for i in range(n)] if pool else []

    bug_pool: list = [("handwritten", scenario) for scenario in product.oneoff_bugs]
    fault_pairs = [(obj_index, fault_key) for obj_index, obj in enumerate(product.oneoff_objects)
                   for fault_key, trait, _ in pools.FAULTS if trait == "any" or trait in obj.traits]
    rng.shuffle(fault_pairs)
    n_bugs = kinds["oneoff_bug"]
    handwritten = cycle(bug_pool, min(n_bugs, len(bug_pool)), "oneoff_bug")
    combos = [(f"oneoff_fault:{obj}:{fault}", ("fault", (obj, fault)))
              for obj, fault in (fault_pairs[i % len(fault_pairs)] for i in range(n_bugs - len(handwritten)))]
    background("oneoff_bug", handwritten + combos)
    background("oneoff_howto", cycle(list(product.oneoff_howtos), kinds["oneoff_howto"], "oneoff_howto"))
    background("oneoff_feature", cycle(list(product.oneoff_features), kinds["oneoff_feature"], "oneoff_feature"))
    crossovers = list(product.crossovers) + list(pools.CROSSOVERS)
    background("crossover", cycle(crossovers, kinds["crossover"], "crossover"))
    for kind, pool in (("account", list(product.account) + list(pools.ACCOUNT)),
                       ("billing", list(product.billing) + list(pools.BILLING)),
                       ("configuration", list(product.configuration)),
                       ("general", list(product.general) + list(pools.GENERAL))):
        background(kind, [(None, rng.choice(pool)) for _ in range(kinds[kind])])
    foreign_misc = [(lang, scenario, scenario.texts) for lang, scenario in pools.FOREIGN_SCENARIOS]
    foreign_misc += [(report.lang, report.scenario, report.texts) for report in product.foreign if report.scenario]
    background("foreign_misc", [rng.choice(foreign_misc) for _ in range(kinds["foreign_misc"])])
    background("greeting", [None] * kinds["greeting"])
    background("short", [rng.choice(pools.SHORT_MESSAGES) for _ in range(kinds["short"])])
    background("spam", [rng.choice(pools.SPAM) for _ in range(kinds["spam"])])
    outbound = list(product.outbound) + list(pools.GENERIC_OUTBOUND)
    background("outbound", [rng.choice(outbound) for _ in range(kinds["outbound"])])
    return items


# --- one conversation -----------------------------------------------------------------------------------

class ConversationBuilder:
    def __init__(self, product: Product, cast: Cast, seed: int, item: Item) -> None:
        self.product = product
        self.cast = cast
        self.item = item
        self.rng = random.Random(f"{seed}:{product.slug}:{item.kind}:{item.index}")
        rng = self.rng
        lead_kinds = ("spam", "general")
        use_lead = item.kind == "spam" and rng.random() < 0.7 or item.kind in lead_kinds and rng.random() < 0.35
        self.contact = rng.choice(cast.leads if use_lead else cast.users)
        self.admin = rng.choice(cast.admins)
        self.writer = Writer(product, cast, rng, self.contact, item.created_at, self.admin)
        self.email = rng.random() < 0.25

    # shared pieces

    def draft(self, truth: Truth, blocks: list[tuple], *, subject_pool=(), paths=(),
              delivered_as="customer_initiated", opening_author: str | None = None) -> Draft:
        rng = self.rng
        style = (rng.choice(("email", "email", "email", "plain", "br")) if self.email
                 else rng.choices(("messenger", "br", "rich", "plain"), (0.6, 0.2, 0.15, 0.05))[0])
        subject = ""
        if self.email:
            subject = self.writer.pick(subject_pool) if subject_pool else self._subject_from(blocks)
        url = None if self.email else (self.writer.app_url(paths) if self.contact.role == "user"
                                       else f"https://{self.product.slug}.{rng.choice(('com', 'io'))}/"
                                            f"{rng.choice(('pricing', '', 'features', 'contact'))}")
        team = rng.choice(self.cast.teams) if rng.random() < 0.6 else None
        return Draft(
            kind=self.item.kind, index=self.item.index, created_at=self.item.created_at, truth=truth,
            contact=self.contact, source_type="email" if self.email else "conversation", delivered_as=delivered_as,
            subject=subject, opening=html.render(blocks, rng, style),
            opening_author=opening_author or self.contact.role,
            url=url, parts=[], admin=self.admin, team=team,
            priority=self.writer.persona.tone in ("frustrated", "urgent") and rng.random() < 0.3,
        )

    def _subject_from(self, blocks: list[tuple]) -> str:
        """People who write no subject line get one made of their first words (the core of the message)."""
        words = (self.writer.core_sentence or html.plain_text(blocks)).split()
        return " ".join(words[: self.rng.randrange(3, 8)]).rstrip(",.:;!?—-") if words else ""

    def intake(self, draft: Draft) -> None:
        """What happens before a human answers: bot auto-reply, assignment to a team."""
        rng = self.rng
        if rng.random() < (0.1 if self.email else 0.35):
            draft.parts.append(Part("comment", "bot", self.writer.support_line(pools.BOT_AUTOREPLIES, greet=False),
                                    rng.randrange(3, 30)))
        if draft.team and rng.random() < 0.6:
            by_bot = rng.random() < 0.5
            draft.parts.append(Part("default_assignment" if by_bot else "assignment", "bot" if by_bot else "admin",
                                    None, rng.randrange(30, 1800)))

    def answer(self, draft: Draft, mode: str, reveal, *, followups=(), notes=(), details=(), lang="en",
               close_rate=0.65) -> None:
        """Support's side. ``reveal`` is the reply text (pool or template) that shows the true type."""
        rng, writer = self.rng, self.writer
        if mode == "none":
            if rng.random() < 0.3:
                draft.parts.append(Part("comment", "user", writer.customer_reply(
                    ("Any update on this?", "Hello? Anyone there?", "Following up on this.", "bump")),
                    rng.randrange(DAY // 2, 3 * DAY)))
            return
        if mode == "ack":
            draft.parts.append(Part("comment", "admin", writer.support_line(pools.SUPPORT_ACK),
                                    rng.randrange(300, 8 * 3600), essential=True))
            if notes and rng.random() < 0.4:
                draft.parts.append(Part("note", "admin", [("p", writer.pick(notes))], rng.randrange(60, 3600)))
            if rng.random() < 0.3:
                draft.parts.append(Part("snoozed", "admin", None, rng.randrange(60, 600)))
            return
        if mode == "clarify":
            draft.parts.append(Part("comment", "admin", writer.support_line(pools.SUPPORT_CLARIFY),
                                    rng.randrange(600, 8 * 3600), essential=True))
            draft.parts.append(Part("comment", "user", writer.customer_details(details),
                                    rng.randrange(300, DAY), essential=True))
        if notes and rng.random() < 0.35:
            draft.parts.append(Part("note", "admin", [("p", writer.pick(notes))], rng.randrange(300, 3 * 3600)))
        draft.parts.append(Part("comment", "admin", writer.support_message(reveal, lang),
                                rng.randrange(600, 20 * 3600), essential=True))
        if followups and rng.random() < 0.55:
            draft.parts.append(Part("comment", "user", writer.customer_reply(followups), rng.randrange(300, DAY)))
        if rng.random() < close_rate:
            message = rng.choice(pools.CLOSE_MESSAGES)
            draft.parts.append(Part("close", "admin", [("p", message)] if message else None,
                                    rng.randrange(600, 2 * DAY)))

    def reply_mode(self, honest: bool) -> str:
        if not honest:
            return "clarify" if self.rng.random() < 0.3 else "reveal"
        return self.rng.choices(("none", "ack", "reveal", "clarify"), (0.2, 0.1, 0.5, 0.2))[0]

    @staticmethod
    def followups_for(true_type: str) -> tuple[str, ...]:
        return {"product_issue": pools.CUSTOMER_WAITING, "feature_request": pools.CUSTOMER_DISAPPOINTED}.get(
            true_type, pools.CUSTOMER_THANKS)

    # kinds

    def build(self) -> Draft:
        return getattr(self, f"_build_{self.item.kind}")(self.item.payload)

    def _build_recurring(self, group: IssueGroup) -> Draft:
        rng, writer = self.rng, self.writer
        framings = group.framing_weights()
        framing = rng.choices([name for name, _ in framings], [weight for _, weight in framings])[0]
        foreign = [report for report in self.product.foreign if report.group == group.key]
        lang = "en"
        if foreign and rng.random() < FOREIGN_GROUP_RATE:
            report = rng.choice(foreign)
            lang, framing = report.lang, group.type
            blocks = writer.foreign_message(lang, report.texts)
        else:
            pool, kind = {"product_issue": (group.reports, "report"), "how_to_question": (group.asks, "ask"),
                          "feature_request": (group.wants, "want")}.get(framing, (group.others, "other"))
            if not pool:  # a group without phrasing for that framing is reported honestly
                framing = group.type
                pool, kind = {"product_issue": (group.reports, "report"), "how_to_question": (group.asks, "ask"),
                              "feature_request": (group.wants, "want")}[group.type]
            blocks = writer.customer_message(pool, kind=kind, details=group.details, impacts=group.impacts,
                                             steps=group.steps, tried=self.product.tried + pools.TRIED,
                                             email=self.email, paths=group.paths)
        truth = Truth(group.type, framing, group.key, group.area, group.component, lang, kind=self.item.kind)
        draft = self.draft(truth, blocks, subject_pool=group.subjects, paths=group.paths)
        self.intake(draft)
        honest = framing == group.type
        mode = self.reply_mode(honest)
        if mode == "clarify" and "product_issue" not in (framing, group.type):
            mode = "reveal"  # support asks for device/screenshots on suspected bugs, not on questions
        replies = group.replies or (pools.BUG_CONFIRMED if group.type == "product_issue" else pools.FEATURE_GAP)
        notes = group.notes + pools.NOTES_BUG if group.type == "product_issue" else group.notes
        self.answer(draft, mode, tuple(replies), followups=self.followups_for(group.type), notes=notes,
                    details=group.details, lang=lang)
        if mode in ("reveal", "clarify") and group.tags and rng.random() < 0.45:
            draft.tags = list(rng.sample(list(group.tags), rng.randrange(1, len(group.tags) + 1)))
        return draft

    _build_minor = _build_recurring

    def _scenario(self, scenario: Scenario, issue_key: str | None, *, kind: str) -> Draft:
        rng, writer = self.rng, self.writer
        core = tuple(text.replace("\n\n", " ") for text in scenario.texts)
        blocks = writer.customer_message(core, kind=kind, tried=self.product.tried, email=self.email)
        stage1 = scenario.stage1 or scenario.type
        truth = Truth(scenario.type, stage1, issue_key if scenario.type in ACTIONABLE_TYPES else None,
                      scenario.area, scenario.component, kind=self.item.kind)
        draft = self.draft(truth, blocks, subject_pool=scenario.subjects)
        self.intake(draft)
        if scenario.replies:
            reply = scenario.replies
        else:
            reply = {"product_issue": pools.BUG_CONFIRMED, "feature_request": pools.FEATURE_GAP}.get(scenario.type)
        honest = stage1 == scenario.type
        mode = self.reply_mode(honest) if reply else "none"
        if mode == "clarify" and "product_issue" not in (stage1, scenario.type):
            mode = "reveal"
        followups = scenario.followups or self.followups_for(scenario.type)
        self.answer(draft, mode, tuple(reply or ()), followups=followups, notes=pools.GENERIC_NOTES)
        if scenario.tags and mode != "none" and rng.random() < 0.5:
            draft.tags = list(scenario.tags)
        return draft

    def _build_oneoff_bug(self, payload) -> Draft:
        issue_key, (variant, value) = payload
        if variant == "handwritten":
            return self._scenario(value, issue_key, kind="report")
        obj_index, fault_key = value
        obj: OneOffObject = self.product.oneoff_objects[obj_index]
        fault = next(template for key, _, template in pools.FAULTS if key == fault_key)
        self.writer.ctx.values["obj"] = self.rng.choice(obj.names)
        scenario = Scenario("product_issue", (fault,), area=obj.area, component=obj.component)
        return self._scenario(scenario, issue_key, kind="report")

    def _build_oneoff_howto(self, payload) -> Draft:
        issue_key, scenario = payload
        return self._scenario(scenario, issue_key, kind="ask")

    def _build_oneoff_feature(self, payload) -> Draft:
        issue_key, scenario = payload
        return self._scenario(scenario, issue_key, kind="want")

    def _build_crossover(self, payload) -> Draft:
        issue_key, scenario = payload
        kind = {"product_issue": "report", "how_to_question": "ask", "feature_request": "want"}.get(
            scenario.stage1 or scenario.type, "plain")
        return self._scenario(scenario, issue_key, kind=kind)

    def _build_account(self, payload) -> Draft:
        return self._scenario(payload[1], None, kind="plain")

    _build_billing = _build_account
    _build_configuration = _build_account
    _build_general = _build_account

    def _build_foreign_misc(self, payload) -> Draft:
        lang, scenario, texts = payload
        blocks = self.writer.foreign_message(lang, texts)
        truth = Truth(scenario.type, scenario.type, None, scenario.area, scenario.component, lang,
                      kind=self.item.kind)
        draft = self.draft(truth, blocks)
        self.intake(draft)
        mode = "reveal" if self.rng.random() < 0.8 else "none"
        thanks = {"es": "¡Gracias!", "de": "Danke!", "fr": "Merci !", "pt": "Obrigado!"}[lang]
        self.answer(draft, mode, scenario.replies, followups=(thanks,), lang=lang)
        return draft

    def _build_greeting(self, _payload) -> Draft:
        rng, writer = self.rng, self.writer
        self.email = False
        greeting = rng.choice(pools.GREETINGS)
        truth = Truth("general_inquiry", "general_inquiry", expected_filter="canned_greeting", kind="greeting")
        draft = self.draft(truth, [("p", greeting)])
        draft.opening = rng.choice((f"<p>{greeting}</p>", greeting, f"<p>{greeting}</p>"))
        draft.parts.append(Part("comment", "bot", writer.support_line(pools.BOT_AUTOREPLIES, greet=False),
                                rng.randrange(3, 20)))
        follow = rng.random()
        if follow < 0.2:  # the real question comes in the next message
            scenario = rng.choice(list(pools.BILLING) + list(pools.ACCOUNT) + list(self.product.configuration))
            truth.type = truth.stage1_type = scenario.type
            truth.product_area, truth.component = scenario.area, scenario.component
            draft.parts.append(Part("comment", "user", writer.customer_message(
                tuple(text.replace("\n\n", " ") for text in scenario.texts), kind="plain"), rng.randrange(20, 300),
                essential=True))
            self.answer(draft, "reveal", scenario.replies, followups=pools.CUSTOMER_THANKS)
        elif follow < 0.35:
            draft.parts.append(Part("comment", "user", writer.customer_reply(
                ("nvm, figured it out", "never mind!", "sorry wrong chat", "all good now")), rng.randrange(30, 900)))
        elif follow < 0.6:
            draft.parts.append(Part("comment", "admin", writer.support_line(
                ("Hi! How can I help today?", "Hey there — what can I do for you?")), rng.randrange(300, 4 * 3600)))
            if rng.random() < 0.5:
                draft.parts.append(Part("close", "admin", None, rng.randrange(DAY, 3 * DAY)))
        return draft

    def _build_short(self, payload) -> Draft:
        text, true_type = payload
        self.email = False
        truth = Truth(true_type, true_type, expected_filter="too_short", kind="short")
        draft = self.draft(truth, [("p", text)])
        self.intake(draft)
        if self.rng.random() < 0.6:
            draft.parts.append(Part("comment", "admin", self.writer.support_line(
                ("Happy to help — could you tell me a bit more about what's happening?",
                 "Sure! Can you share a few more details?")), self.rng.randrange(300, 6 * 3600)))
        return draft

    def _build_spam(self, template: str) -> Draft:
        rng = self.rng
        paragraphs = [self.writer.say(chunk) for chunk in template.split("\n\n")]
        truth = Truth("spam", "spam", kind="spam")
        draft = self.draft(truth, [("p", text) for text in paragraphs],
                           subject_pool=("Partnership opportunity", "Quick question", "Re: your website",
                                         "Important notice", "Collaboration", "Grow your business"))
        if rng.random() < 0.25:
            draft.parts.append(Part("note", "admin", [("p", "spam")], rng.randrange(600, DAY)))
        if rng.random() < 0.6:
            draft.parts.append(Part("close", "admin", None, rng.randrange(600, 2 * DAY)))
        if rng.random() < 0.3:
            draft.tags = ["spam"]
        return draft

    def _build_outbound(self, outbound: Outbound) -> Draft:
        rng, writer = self.rng, self.writer
        self.email = outbound.delivered_as == "automated" or rng.random() < 0.5
        author = "bot" if outbound.delivered_as == "automated" and rng.random() < 0.5 else "admin"
        reply_text, true_type = (rng.choice(outbound.replies) if outbound.replies and rng.random() < 0.65
                                 else (None, "general_inquiry"))
        truth = Truth(true_type, true_type, expected_filter="not_customer_initiated", kind="outbound")
        blocks = [("p", writer.pick(outbound.texts))]
        if author == "admin":
            blocks.append(("p", writer.pick(pools.SUPPORT_SIGNOFF) or writer.say("$agent")))
        draft = self.draft(truth, blocks, subject_pool=(outbound.subject,), delivered_as=outbound.delivered_as,
                           opening_author=author)
        draft.url = None
        if reply_text:
            draft.parts.append(Part("comment", "user", writer.customer_reply((reply_text,)),
                                    rng.randrange(600, 2 * DAY), essential=True))
            if rng.random() < 0.5:
                draft.parts.append(Part("comment", "admin", writer.support_line(
                    ("Thanks for getting back to me!", "Great, I'll send that over.", "Noted — thank you!")),
                    rng.randrange(600, DAY)))
        return draft


# --- variants applied after drafting ------------------------------------------------------------------

def _move_opening_to_first_part(draft: Draft, rng: random.Random) -> None:
    """Conversations whose opening body is empty and whose first user part holds the question."""
    draft.parts.insert(0, Part("comment", "user", None, rng.randrange(3, 90), essential=True,
                               prerendered=draft.opening))
    draft.opening = rng.choice(("", "", "<p></p>"))


# --- assembly -------------------------------------------------------------------------------------------

def _author(role: str, draft: Draft, cast: Cast) -> dict:
    if role in ("user", "lead"):
        contact = draft.contact
        return {"type": contact.role, "id": contact.id, "name": contact.name, "email": contact.email}
    who = cast.bot if role == "bot" else draft.admin
    return {"type": "bot" if role == "bot" else "admin", "id": who.id, "name": who.name, "email": who.email}


def _render_part(part: Part, rng: random.Random) -> str | None:
    if part.blocks is None:
        return part.prerendered
    style = "messenger" if part.author != "user" else rng.choices(("messenger", "br", "plain"), (0.7, 0.2, 0.1))[0]
    return html.render(part.blocks, rng, style)


def _timeline(draft: Draft, snapshot: int) -> list[int]:
    """Absolute part times; squeezed to end by the snapshot when a late conversation would run past it, with
    non-essential trailing parts dropped instead."""
    times, now = [], draft.created_at
    for part in draft.parts:
        now += part.delay
        times.append(now)
    essential = [index for index, part in enumerate(draft.parts) if part.essential]
    last_needed = essential[-1] if essential else -1
    if last_needed >= 0 and times[last_needed] > snapshot - 60:
        room = max(len(draft.parts), snapshot - 60 - draft.created_at)
        scale = room / (times[last_needed] - draft.created_at)
        times = [draft.created_at + max(index + 1, int((t - draft.created_at) * scale)) for index, t in
                 enumerate(times)]
    keep = [index for index, t in enumerate(times) if index <= last_needed or t <= snapshot]
    draft.parts = [draft.parts[index] for index in keep]
    return [times[index] for index in keep]


def _tag_id(name: str) -> str:
    return str(7_000_000 + int(hashlib.sha256(name.encode()).hexdigest()[:6], 16) % 1_000_000)


def _assemble(draft: Draft, cast: Cast, conversation_id: str, source_id: str, part_ids: list[str],
              times: list[int], rng: random.Random, upto: int | None = None) -> dict:
    parts = draft.parts if upto is None else draft.parts[:upto]
    times = times if upto is None else times[:upto]
    part_objects = []
    admins_seen: list[str] = []
    for part, part_id, when in zip(parts, part_ids, times):
        author = _author(part.author, draft, cast)
        if author["type"] == "admin" and author["id"] not in admins_seen:
            admins_seen.append(author["id"])
        assigned = None
        if part.part_type in ("assignment", "default_assignment") and draft.team:
            assigned = {"type": "team", "id": draft.team[0]}
        part_objects.append({
            "type": "conversation_part", "id": part_id, "part_type": part.part_type,
            "body": part.rendered, "created_at": when, "updated_at": when, "notified_at": when,
            "assigned_to": assigned, "author": author, "attachments": [], "external_id": None, "redacted": False,
        })
    updated_at = times[-1] if times else draft.created_at
    last = parts[-1] if parts else None
    state = {"close": "closed", "snoozed": "snoozed"}.get(last.part_type, "open") if last else "open"
    user_comments = [t for p, t in zip(parts, times) if p.author == "user" and p.part_type == "comment"]
    last_comment = next((p for p in reversed(parts) if p.part_type == "comment"), None)
    waiting_since = None
    if state == "open" and draft.delivered_as == "customer_initiated":
        waiting_since = user_comments[-1] if last_comment and last_comment.author == "user" else (
            draft.created_at if last_comment is None else None)
    replied_at = next((t for p, t in zip(parts, times) if p.author == "admin" and p.part_type == "comment"), None)
    tags = [{"type": "tag", "id": _tag_id(name), "name": name, "applied_at": replied_at or updated_at,
             "applied_by": {"type": "admin", "id": draft.admin.id}} for name in draft.tags] if replied_at else []
    assigned_admin = int(draft.admin.id) if admins_seen else None
    return {
        "type": "conversation",
        "id": conversation_id,
        "title": None,
        "created_at": draft.created_at,
        "updated_at": updated_at,
        "waiting_since": waiting_since,
        "snoozed_until": updated_at + 2 * DAY if state == "snoozed" else None,
        "open": state != "closed",
        "state": state,
        "read": bool(admins_seen) or rng.random() < 0.3,
        "priority": "priority" if draft.priority else "not_priority",
        "admin_assignee_id": assigned_admin,
        "team_assignee_id": draft.team[0] if draft.team else None,
        "tags": {"type": "tag.list", "tags": tags},
        "conversation_rating": None,
        "source": {
            "type": draft.source_type, "id": source_id, "delivered_as": draft.delivered_as,
            "subject": draft.subject, "body": draft.opening, "author": _author(draft.opening_author, draft, cast),
            "attachments": [], "url": draft.url, "redacted": False,
        },
        "contacts": {"type": "contact.list", "contacts": [
            {"type": "contact", "id": draft.contact.id, "external_id": draft.contact.external_id}]},
        "teammates": {"type": "admin.list",
                      "admins": [{"type": "admin", "id": admin_id} for admin_id in admins_seen]},
        "custom_attributes": {},
        "conversation_parts": {"type": "conversation_part.list", "conversation_parts": part_objects,
                               "total_count": len(part_objects)},
    }


def build_dataset(product: Product, count: int, seed: int, start: date, days: int) -> Dataset:
    if count < 1:
        raise ValueError(f"count must be at least 1, got {count}")
    if days < 1:
        raise ValueError(f"days must be at least 1, got {days}")
    start_ts = int(datetime(start.year, start.month, start.day, tzinfo=timezone.utc).timestamp())
    snapshot = start_ts + days * DAY - 1
    master = random.Random(f"{seed}:{product.slug}:cast")
    cast = build_cast(product, count, master)
    drafts: list[Draft] = []
    for item in plan(product, count, seed, start_ts, days):
        builder = ConversationBuilder(product, cast, seed, item)
        draft = builder.build()
        rng = builder.rng
        if (draft.delivered_as == "customer_initiated" and draft.truth.expected_filter is None
                and rng.random() < EMPTY_OPENING_RATE):
            _move_opening_to_first_part(draft, rng)
        for part in draft.parts:
            part.rendered = _render_part(part, rng)
        drafts.append(draft)

    drafts.sort(key=lambda d: (d.created_at, d.kind, d.index))
    ids = random.Random(f"{seed}:{product.slug}:ids")
    conversation_number = 215_471_000_000_000 + ids.randrange(10**6)
    source_number = 1_930_000_000 + ids.randrange(10**6)
    part_number = 20_000_000_000 + ids.randrange(10**7)
    lines: list[tuple[int, int, int, dict]] = []
    truth: dict[str, Truth] = {}
    for draft in drafts:
        conversation_number += ids.randrange(1, 4000)
        source_number += ids.randrange(1, 400)
        conversation_id = str(conversation_number)
        times = _timeline(draft, snapshot)
        part_ids = []
        for _ in draft.parts:
            part_number += ids.randrange(1, 60)
            part_ids.append(str(part_number))
        rng = random.Random(f"{seed}:{product.slug}:assemble:{conversation_id}")
        full = _assemble(draft, cast, conversation_id, str(source_number), part_ids, times, rng)
        lines.append((full["updated_at"], conversation_number, 1, full))
        first_reply = next((index for index, part in enumerate(draft.parts)
                            if part.author == "admin" and part.part_type == "comment"), None)
        if (first_reply is not None and draft.created_at < snapshot - 3 * DAY and times[-1] > draft.created_at
                and ids.random() < REFETCH_RATE):
            early = _assemble(draft, cast, conversation_id, str(source_number), part_ids, times, rng,
                              upto=first_reply)
            if early["updated_at"] < full["updated_at"]:
                lines.append((early["updated_at"], conversation_number, 0, early))
        truth[conversation_id] = draft.truth

    lines.sort(key=lambda line: line[:3])
    return Dataset(product, seed, start, days, [line[3] for line in lines], truth)


# --- labels ----------------------------------------------------------------------------------------------

def issue_groups(truth: dict[str, Truth]) -> dict[str, str | None]:
    """Conversation id → issue group: the issue key when at least two conversations share it (one-off keys that
    occur once are orphans by construction and get none)."""
    counts: dict[str, int] = {}
    for record in truth.values():
        if record.issue_key and record.type in ACTIONABLE_TYPES:
            counts[record.issue_key] = counts.get(record.issue_key, 0) + 1
    return {cid: (record.issue_key if record.issue_key and counts.get(record.issue_key, 0) >= 2 else None)
            for cid, record in truth.items()}


def label_rows(dataset: Dataset, label_all: bool, fraction: float = 0.34, minimum_per_type: int = 15) -> list[dict]:
    """Ground-truth rows for all conversations or a deterministic subset stratified by type (a third of each
    type, at least 15), sorted by id. Fields:

    ``conversation_id``; ``type``: the true final type, i.e. what support's replies show (a re-fetched
    conversation is labelled by its latest copy); ``issue_group``: shared by conversations reporting the same
    underlying issue, null for one-offs and non-actionable types; ``stage1_type``: what the opening message
    alone suggests (differs from ``type`` when support's reply re-classifies it); ``product_area`` and
    ``component`` (null when not about a product part); ``language`` (en, es, de, fr, pt);
    ``expected_filter``: the quality-filter reason the conversation should get (not_customer_initiated,
    canned_greeting, too_short) or null.
    """
    groups = issue_groups(dataset.truth)
    chosen: list[str]
    if label_all:
        chosen = list(dataset.truth)
    else:
        by_type: dict[str, list[str]] = {}
        for cid, record in dataset.truth.items():
            by_type.setdefault(record.type, []).append(cid)
        chosen = []
        for conversation_type in sorted(by_type):
            ids = sorted(by_type[conversation_type],
                         key=lambda cid: hashlib.sha256(f"{dataset.seed}:{cid}".encode()).hexdigest())
            take = max(min(len(ids), minimum_per_type), round(len(ids) * fraction))
            chosen.extend(ids[:take])
    rows = []
    for cid in sorted(chosen, key=int):
        record = dataset.truth[cid]
        rows.append({
            "conversation_id": cid,
            "type": record.type,
            "issue_group": groups[cid],
            "stage1_type": record.stage1_type,
            "product_area": record.product_area,
            "component": record.component,
            "language": record.language,
            "expected_filter": record.expected_filter,
        })
    return rows
