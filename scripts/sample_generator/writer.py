"""Writes the text of one conversation: the customer's messages (with persona: length, tone, sloppiness,
chat casing, emoji, links, screenshots) and support's replies, as HTML blocks ready for ``html.render``.
One Writer per conversation, so slot values (store, device, coworker...) stay consistent inside it."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from . import grammar, pools
from .grammar import Context
from .people import Admin, Cast, Contact
from .spec import Product

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


# Slots every conversation can use besides the product's own (``Product.slots``); ``obj`` is set for one-off bugs.
PROVIDED_SLOTS = (
    "store", "workspace", "coworker", "weekday", "n", "minutes", "staff", "time", "money", "date", "ticket",
    "first_name", "last_name", "email", "company", "product", "agent", "app_host", "help_host", "help_url", "plan",
    "month", "obj",
)


@dataclass(frozen=True)
class Persona:
    verbosity: str  # short | medium | long
    tone: str  # neutral | frustrated | polite | urgent
    sloppiness: float
    chat: bool  # types in lower case without full stops
    emoji: bool


def _time_of_day(rng: random.Random, ctx: Context) -> str:
    hour, minute = rng.randrange(5, 23), rng.choice((0, 0, 15, 30, 45, 5, 50))
    if rng.random() < 0.5:
        suffix = rng.choice(("am", "pm", " AM", " PM")) if hour < 12 else rng.choice(("pm", " PM"))
        return f"{(hour - 1) % 12 + 1}:{minute:02d}{suffix}"
    return f"{hour}:{minute:02d}"


def _money(rng: random.Random, ctx: Context) -> str:
    return f"${rng.randrange(29, 2400):,}.{rng.choice(('00', '00', '50', '99', '20'))}"


class Writer:
    def __init__(self, product: Product, cast: Cast, rng: random.Random, contact: Contact, created_at: int,
                 admin: Admin) -> None:
        self.product = product
        self.rng = rng
        self.contact = contact
        self.admin = admin
        self.core_sentence = ""
        when = datetime.fromtimestamp(created_at, tz=timezone.utc)
        company = contact.company
        sites = list(company.sites) if company else list(product.location_names[:4])
        others = [name for name in product.location_names if name not in sites]

        def recent_date(r: random.Random, ctx: Context) -> str:
            day = when - timedelta(days=r.randrange(1, 10))
            return r.choice((day.strftime("%b %d").replace(" 0", " "), f"{day.month}/{day.day}",
                             f"{day.day} {day.strftime('%B')}", f"last {WEEKDAYS[day.weekday()]}"))

        sources: dict[str, object] = dict(product.slots)
        sources.update({
            "store": sites, "store2": others or sites, "workspace": sites, "workspace2": others or sites,
            "coworker": pools.FIRST_NAMES, "weekday": WEEKDAYS[:5] + WEEKDAYS[:5] + WEEKDAYS[5:],
            "n": lambda r, c: str(r.choice((2, 3, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25))),
            "minutes": lambda r, c: str(r.randrange(2, 15)),
            "staff": lambda r, c: str(r.randrange(8, 130)),
            "time": _time_of_day, "money": _money, "date": recent_date,
            "ticket": lambda r, c: f"{product.slug[:3].upper()}-{r.randrange(1200, 9800)}",
        })
        first_name = contact.first_name
        self.ctx = Context(
            sources, rng,
            first_name=first_name, last_name=contact.last_name, email=contact.email,
            company=company.name if company else rng.choice(("our company", "my business", "our team")),
            product=product.name, agent=admin.name.split()[0], app_host=product.app_host,
            help_host=product.help_host, help_url=f"https://{product.help_host}",
            plan=company.plan if company else "Starter", month=MONTHS[(when.month - 2) % 12],
        )
        chat = rng.random() < 0.15
        self.persona = Persona(
            verbosity=rng.choices(("short", "medium", "long"), (0.25, 0.5, 0.25))[0],
            tone=rng.choices(("neutral", "frustrated", "polite", "urgent"), (0.55, 0.2, 0.15, 0.1))[0],
            sloppiness=0.0 if rng.random() < 0.5 else rng.uniform(0.2, 1.0) + (0.3 if chat else 0.0),
            chat=chat,
            emoji=rng.random() < 0.12,
        )

    # --- helpers --------------------------------------------------------------------------------------

    def say(self, template: str) -> str:
        return grammar.capitalise(grammar.expand(template, self.rng, self.ctx))

    def pick(self, pool) -> str:
        return self.say(self.rng.choice(pool))

    def _rough(self, sentence: str) -> str:
        sentence = grammar.roughen(sentence, self.rng, self.persona.sloppiness)
        return grammar.chat_casing(sentence, self.rng) if self.persona.chat else sentence

    def _paragraphs(self, groups: list[list[str]]) -> list[tuple]:
        return [("p", " ".join(group)) for group in groups if group]

    # --- customer side --------------------------------------------------------------------------------

    def customer_message(self, core_pool, *, kind: str, details=(), impacts=(), steps=(), tried=(),
                         email: bool = False, paths=()) -> list[tuple]:
        """An opening message: ``kind`` is report | ask | want | other | plain (plain adds no generic asks)."""
        rng, persona = self.rng, self.persona
        short = persona.verbosity == "short"
        long = persona.verbosity == "long"
        head: list[str] = []
        if rng.random() < (0.2 if short else 0.6):
            head.append(self.pick(pools.OPENINGS))
        if rng.random() < (0.25 if long else 0.07):
            head.append(self.pick(pools.INTROS))
        body = [self.pick(core_pool)]
        self.core_sentence = body[0]
        detail_count = {"short": 0, "medium": 1, "long": 2}[persona.verbosity] + (rng.random() < 0.3)
        bullets: list[str] = []
        if details and detail_count:
            chosen = rng.sample(list(details), min(detail_count, len(details)))
            if len(chosen) >= 2 and rng.random() < 0.3:  # some people list the facts as bullets
                bullets, chosen = [self._rough(self.say(template)) for template in chosen], []
            for template in chosen:
                sentence = self.say(template)
                if rng.random() < 0.2:
                    body.insert(0, sentence)  # context first, then the problem
                else:
                    body.append(sentence)
        if kind == "report" and tried and not short and rng.random() < 0.3:
            body.append(self.pick(tried))
        tail: list[str] = []
        substantive = kind != "plain"  # plain: account/billing/general questions carry no impact or venting
        if substantive and not short and rng.random() < 0.45:
            # generic complaints ("my team is annoyed") only fit problem reports
            generic = kind in ("report", "other") and (not impacts or rng.random() < 0.3)
            if impacts or generic:
                tail.append(self.pick(pools.GENERIC_IMPACTS if generic else impacts))
        tone_pool = {"frustrated": pools.FRUSTRATED, "polite": pools.POLITE, "urgent": pools.URGENT}.get(persona.tone)
        if tone_pool and rng.random() < (0.6 if substantive else 0.15):
            tail.append(self.pick(tone_pool))
        if kind == "report" and rng.random() < 0.5:
            tail.append(self.pick(pools.ASKS))
        elif kind == "want" and rng.random() < 0.3:
            tail.append(self.say("{Is this on the roadmap?|Any plans for this?|Would you consider it?}"))
        closing = self.pick(pools.CLOSINGS) if rng.random() < (0.3 if short else 0.6) else ""

        head, body, tail = ([self._rough(s) for s in part] for part in (head, body, tail))
        if persona.emoji and body:
            body[-1] += " " + rng.choice(pools.EMOJI_BY_TONE[persona.tone])
        blocks: list[tuple]
        if short or rng.random() < 0.3:
            blocks = self._paragraphs([head + body + tail])
        elif rng.random() < 0.5:
            blocks = self._paragraphs([head, body, tail])
        else:
            blocks = self._paragraphs([head + body, tail])
        if bullets:
            blocks.insert(min(1, len(blocks)), ("ul", bullets))
        if steps and long and rng.random() < 0.5:
            blocks.insert(min(2, len(blocks)), (rng.choice(("ol", "ul")), list(rng.choice(steps))))
        if kind != "plain" and rng.random() < 0.12:
            url = self.app_url(paths)
            link = f"⟦link:{url}|{url}⟧" if rng.random() < 0.6 else url
            blocks.append(("p", self.say("{Here's the page|This is the page|Link|Page}:") + " " + link))
        if rng.random() < 0.07:
            blocks.append(("p", f"⟦img:{self.screenshot_url()}⟧"))
        if closing:
            if email:
                signature = [self._rough(closing)]
                if self.contact.first_name not in closing:
                    signature.append(self.contact.name)
                if self.contact.company:
                    signature.append(self.ctx.get("company"))
                blocks.append(("sig", signature))
            else:
                blocks.append(("p", self._rough(closing)))
        return blocks

    def foreign_message(self, lang: str, texts) -> list[tuple]:
        rng = self.rng
        lines = []
        if rng.random() < 0.7:
            lines.append(self.pick(pools.FOREIGN_OPENINGS[lang]))
        lines.append(self.pick(texts))
        blocks = [("p", " ".join(lines))]
        if rng.random() < 0.6:
            blocks.append(("p", self.pick(pools.FOREIGN_CLOSINGS[lang])))
        return blocks

    def customer_reply(self, pool) -> list[tuple]:
        return [("p", self._rough(self.pick(pool)))]

    def customer_details(self, details) -> list[tuple]:
        """The customer's answer to support's clarifying question."""
        rng = self.rng
        chosen = rng.sample(list(details), min(len(details), rng.choice((1, 1, 2)))) if details else []
        sentences = [self._rough(self.say(template)) for template in chosen] or [self._rough(self.say(
            "{It's every time.|Happens every time I try.|Yes, for everyone on the team.}"))]
        blocks = [("p", " ".join(sentences))]
        if rng.random() < 0.3:
            blocks.append(("p", f"⟦img:{self.screenshot_url()}⟧"))
        return blocks

    def app_url(self, paths=()) -> str:
        path = self.rng.choice(list(paths) or list(self.product.app_paths))
        query = self.rng.choice(
            ("", f"?location={self.rng.randrange(1000, 9999)}", f"?id={self.rng.randrange(10**5, 10**6)}"))
        return f"https://{self.product.app_host}{path}{query}"

    def screenshot_url(self) -> str:
        return (f"https://downloads.intercomcdn.com/i/o/{self.rng.randrange(10**8, 10**9)}/"
                f"{self.rng.getrandbits(80):020x}/image.png")

    # --- support side ---------------------------------------------------------------------------------

    def support_message(self, core: str | tuple, lang: str = "en") -> list[tuple]:
        rng = self.rng
        paragraphs = []
        if lang != "en" and rng.random() < 0.8:
            paragraphs.append(self.say(pools.FOREIGN_SUPPORT_OPENERS[lang]))
        elif rng.random() < 0.85:
            paragraphs.append(self.pick(pools.SUPPORT_GREETINGS))
        if rng.random() < 0.4:
            paragraphs.append(self.pick(pools.SUPPORT_EMPATHY))
        paragraphs.append(self.pick(core) if isinstance(core, tuple) else self.say(core))
        if rng.random() < 0.55:
            paragraphs.append(self.pick(pools.SUPPORT_FOLLOWUP))
        signoff = self.pick(pools.SUPPORT_SIGNOFF) if rng.random() < 0.6 else ""
        if signoff:
            paragraphs.append(signoff)
        if rng.random() < 0.3 and len(paragraphs) > 2:  # greeting and first sentence in one paragraph
            paragraphs[0:2] = [paragraphs[0] + " " + paragraphs[1]]
        return [("p", text) for text in paragraphs]

    def support_line(self, pool, greet: bool = True) -> list[tuple]:
        greeting = self.pick(pools.SUPPORT_GREETINGS) + " " if greet and self.rng.random() < 0.6 else ""
        return [("p", greeting + self.pick(pool))]
