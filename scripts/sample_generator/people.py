"""The cast of a sample: customer companies with their sites, their contacts (users), website leads, the
support agents and teams, and the Intercom bot. Built once per dataset from the dataset's random stream."""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass

from . import pools
from .spec import Product

PERSONAL_DOMAINS = ("gmail.com", "outlook.com", "yahoo.com", "icloud.com", "hotmail.com", "proton.me")


@dataclass(frozen=True)
class Company:
    name: str
    domain: str
    sites: tuple[str, ...]
    plan: str


@dataclass(frozen=True)
class Contact:
    id: str
    external_id: str | None
    role: str  # "user" | "lead"
    first_name: str
    last_name: str
    email: str
    company: Company | None

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class Admin:
    id: str
    name: str
    email: str


@dataclass(frozen=True)
class Cast:
    companies: tuple[Company, ...]
    users: tuple[Contact, ...]
    leads: tuple[Contact, ...]
    admins: tuple[Admin, ...]
    teams: tuple[tuple[str, str], ...]  # (id, name)
    bot: Admin


def ascii_slug(text: str, separator: str = "") -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", separator, folded).strip(separator)


def _hex_id(rng: random.Random) -> str:
    return f"{rng.getrandbits(96):024x}"


def build_cast(product: Product, count: int, rng: random.Random) -> Cast:
    first_words, second_words = product.company_words
    pairs = [(a, b) for a in first_words for b in second_words]
    rng.shuffle(pairs)
    company_count = min(len(pairs), max(20, count // 8))
    companies = []
    for first, second in pairs[:company_count]:
        name = f"{first} {second}"
        domain = ascii_slug(name) + rng.choice((".com", ".com", ".co", ".net", ".io"))
        sites = tuple(rng.sample(product.location_names, rng.choice((1, 1, 2, 2, 3, 4))))
        companies.append(Company(name, domain, sites, rng.choice(product.plans)))

    used_emails: set[str] = set()

    def person(company: Company | None, role: str) -> Contact:
        while True:
            first = rng.choice(pools.FIRST_NAMES)
            last = rng.choice(pools.LAST_NAMES)
            if company is not None:
                email = f"{ascii_slug(first)}.{ascii_slug(last)}@{company.domain}"
            else:
                email = f"{ascii_slug(first)}{rng.randrange(1, 999)}@{rng.choice(PERSONAL_DOMAINS)}"
            if email not in used_emails:
                used_emails.add(email)
                break
        external = f"usr_{rng.randrange(10_000, 999_999)}" if role == "user" else None
        return Contact(_hex_id(rng), external, role, first, last, email, company)

    users = [person(company, "user") for company in companies for _ in range(rng.choice((1, 2, 2, 3, 4, 5)))]
    leads = [person(None, "lead") for _ in range(max(20, count // 20))]
    admins = tuple(
        Admin(str(rng.randrange(4_000_000, 8_000_000)), f"{agent} {rng.choice('ABCDEFGHJKLMNPRSTW')}.",
              f"{ascii_slug(agent)}@{product.email_domain}")
        for agent in product.agents
    )
    teams = tuple((str(rng.randrange(1_000_000, 3_000_000)), team) for team in product.teams)
    app_id = f"{rng.getrandbits(32):08x}"
    bot = Admin(str(rng.randrange(8_000_000, 9_000_000)), "Operator", f"operator+{app_id}@intercom.io")
    return Cast(tuple(companies), tuple(users), tuple(leads), admins, teams, bot)
