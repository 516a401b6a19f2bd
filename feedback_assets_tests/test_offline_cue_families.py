"""Offline type cues by what the customer is doing, and the run's own product vocabulary.

Every example is hand-written for a product none of the bundled sets is about (a veterinary clinic, a
podcast host, a fleet tracker, a recipe box, a school portal, an invoicing app, …), not copied from the
sample generator or the bundled sets.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest

from feedback_assets.domain.classify import classify_conversations, prepare_engine, run_vocabulary
from feedback_assets.domain.models import Conversation
from feedback_assets.domain.text import SYNONYM_GROUPS
from feedback_assets.domain.vocabulary import (
    EMPTY_VOCABULARY,
    MIN_DOCUMENTS,
    ProductVocabulary,
    TermCounts,
    product_vocabulary,
)
from feedback_assets.engines.offline import PROMPT_VERSION, OfflineEngine
from feedback_assets.engines.offline.cues import FAMILY_NAMES, TYPE_CUE_FAMILIES, URGENCY_CUE_SET, type_cue_set
from feedback_assets_tests.dev_products import DEV_SET

NOW = datetime(2026, 2, 2, tzinfo=timezone.utc)


def conversation(body: str, key: str = "c1", **fields) -> Conversation:
    return Conversation(conversation_id=key, source="test", created_at=NOW, updated_at=NOW, body=body, **fields)


def stage1_type(body: str, engine: OfflineEngine | None = None) -> str:
    engine = engine or OfflineEngine()
    return engine.classify([conversation(body)]).outcomes[0].stage1.conversation_type


FAMILY_EXAMPLES = {
    "asking_how": [
        ("How do I move a pet's vaccination record to the new owner?", "how_to_question"),
        ("is there a way to hide the episode's download count from the public page", "how_to_question"),
        ("Where can I see which driver had the van on Tuesday?", "how_to_question"),
        ("Can I share one recipe with my sister without giving her my login?", "how_to_question"),
        ("What's the best way to copy last term's timetable into the new one?", "how_to_question"),
        ("¿Cómo puedo cambiar la foto de perfil de la clínica?", "how_to_question"),
        ("Comment faire pour exporter la liste des élèves ?", "how_to_question"),
        # A coupon is a feature of a shop, not money the customer owes the vendor.
        ("How do I make a coupon only first-time recipe box customers can use?", "how_to_question"),
    ],
    "broken": [
        ("Since the update the van map is blank, just a grey box where the trucks should be.", "product_issue"),
        ("Episodes I upload won't publish, it sits at 99% and then says error.", "product_issue"),
        ("The grade book doesn't save comments anymore, they vanish when I switch tabs.", "product_issue"),
        ("Recipe box app crashes the second I open a shopping list", "product_issue"),
        ("reminders for vaccine appointments stopped going out last week. nobody got one", "product_issue"),
        ("Die Routen werden seit gestern nicht mehr angezeigt.", "product_issue"),
        # Something that should happen by itself did not.
        ("Scheduled payouts to hosts not firing. Two were due Monday, none processed.", "product_issue"),
        ("Our parents received nothing from this morning's term newsletter.", "product_issue"),
        ("Listeners tell us the new-episode email lands in their junk folder.", "product_issue"),
        ("Quand j'exporte le bulletin de notes j'obtiens une page blanche.", "product_issue"),
        ("The mileage on the trip summary is not correct for routes over two days.", "product_issue"),
    ],
    "wish": [
        ("It would help if parents could see homework for both kids on one screen.", "feature_request"),
        ("Please add chapter markers to episodes, our listeners keep asking.", "feature_request"),
        ("Would be great to get an alert when a van idles for more than 20 minutes.", "feature_request"),
        ("feature request: scale a recipe to 12 servings with one tap", "feature_request"),
        ("Is a dark theme on your roadmap? Our night-shift vets would love it.", "feature_request"),
    ],
    "own_money": [
        ("You charged us for 14 vans but we cancelled two of them in March.", "billing_question"),
        ("I want a refund for this month, the school was closed the whole time.", "billing_question"),
        ("Why did my subscription price go up? Nothing in our plan changed.", "billing_question"),
        ("We were double charged on the 3rd, same amount twice on the company card.", "billing_question"),
        ("Please cancel our plan at the end of the term.", "billing_question"),
        ("Is there a charity discount on the annual plan for our shelter?", "billing_question"),
        ("Can you resend the invoice you sent us in January with our new address?", "billing_question"),
    ],
    "access": [
        ("I'm locked out of the clinic account after too many tries.", "account_issue"),
        ("can't log in since I changed my phone number", "account_issue"),
        ("Please delete my account and everything you hold about me.", "account_issue"),
        ("Forgot my password and the reset email goes nowhere", "account_issue"),
        ("Our head teacher left and we need to become the owner of the school account.", "account_issue"),
    ],
    "setup": [
        ("We need to connect the tracker to our Samsara account, where does the API key go?", "configuration_help"),
        ("Trying to set up SSO with Okta for all vets, which SAML settings do you need?", "configuration_help"),
        ("How do we configure the webhook so new episodes post to our Discord?", "configuration_help"),
        ("How can we require 2FA for every teacher?", "configuration_help"),
    ],
    "about_vendor": [
        ("Do you offer a discount for animal shelters?", "billing_question"),  # money: the vendor's price
        ("Are you GDPR compliant? Our district needs it in writing.", "general_inquiry"),
        ("Who should I talk to about a rollout to 40 schools?", "general_inquiry"),
        ("Just wanted to say the new episode editor is lovely, great work.", "general_inquiry"),
    ],
}


@pytest.mark.parametrize(
    ("family", "body", "expected"),
    [(family, body, expected) for family, examples in FAMILY_EXAMPLES.items() for body, expected in examples],
)
def test_each_cue_family_reads_what_the_customer_is_doing(family, body, expected):
    assert stage1_type(body) == expected


@pytest.mark.parametrize("family", [f for f in FAMILY_EXAMPLES if f != "about_vendor"])
def test_switching_a_family_off_loses_its_examples(family):
    # The family does the work: without it most of its examples read as something else.
    engine = OfflineEngine(disabled=(family,))
    examples = FAMILY_EXAMPLES[family]
    kept = sum(stage1_type(body, engine) == expected for body, expected in examples)
    assert kept <= len(examples) // 2


def test_families_partition_the_type_cues_and_ablation_names_are_checked():
    assert FAMILY_NAMES == tuple(family.name for family in TYPE_CUE_FAMILIES)
    assert {cue.family for cue in type_cue_set().cues} == set(FAMILY_NAMES)
    assert all(cue.kind == family.kind for family in TYPE_CUE_FAMILIES for cue in family.cues)
    assert not any(cue.family == "wish" for cue in type_cue_set(("wish",)).cues)
    with pytest.raises(ValueError, match="unknown cue families"):
        OfflineEngine(disabled=("wishes",))


def test_rules_version_is_bumped():
    assert PROMPT_VERSION == "offline-rules-6"


# Phrasings of the sample generator's pools, and rules that only fit the shift-scheduling sample.
GENERATOR_OR_ONE_PRODUCT = [
    "flicker", "jumps? around", "run into each other", "anyone else", "undefined", "your (?:side|end)",
    "over 100", "something change", "payroll", "staff", "stores", "view (?:invoice", "pay (?:it )?(?:today",
    "cheap and fast",
]


@pytest.mark.parametrize("fragment", GENERATOR_OR_ONE_PRODUCT)
def test_no_cue_quotes_the_generator_or_fits_one_bundled_product(fragment):
    labels = [cue.label for cue in type_cue_set().cues + URGENCY_CUE_SET.cues]
    assert not [label for label in labels if fragment in label]


def test_no_synonym_is_one_products_jargon():
    assert not any({"swap", "trade"} <= set(group) for group in SYNONYM_GROUPS)


@pytest.mark.parametrize(
    "body",
    [
        "The van map flickers and jumps around on my tablet.",  # no defect cue: a bare description
        "Is anyone else seeing this on your end?",
    ],
)
def test_the_generators_phrases_are_no_longer_cues(body):
    stage1 = OfflineEngine().classify([conversation(body)]).outcomes[0].stage1
    assert stage1.key_signals == [] or all(
        not re.search(r"flicker|jumps|anyone else|your end", signal) for signal in stage1.key_signals
    )


# --- money nouns and product vocabulary -------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "How do I send a patient their invoice by text?",
        "Is there a way to split one rent payment between two tenants?",
        "The bank payouts screen is blank since this morning.",
        "Please add a tax column to the quote template.",
        # A discount the customer gives their own clients is a feature of the product, not their plan.
        "When I give a discount on a booking, the total stays at the full price and the discount disappears.",
    ],
)
def test_a_bare_money_noun_does_not_outweigh_what_the_customer_is_doing(body):
    assert stage1_type(body) != "billing_question"


# An invoicing app: its customers write "invoice", "client" and "payment" whatever they are doing.
INVOICING_RUN = [
    "How do I add a late fee line to an invoice?",
    "Is there a way to send the same invoice to two client contacts?",
    "Where can I change the payment terms printed on each invoice?",
    "Invoice PDFs come out blank since the update, the client gets an empty page.",
    "Recurring invoices stopped going out on the 1st, three clients never got theirs.",
    "Partial payments on an invoice don't show in the client's balance.",
    "It would help if I could attach a timesheet to an invoice.",
    "Please add a reminder that goes to the client when an invoice is 7 days overdue.",
    "The payment link on the invoice email gives an error for clients in Canada.",
    "Can I mark an invoice paid when the client pays in cash?",
    "Client list won't load on my phone.",
    "Invoice numbers jumped from 1043 to 2000 after I imported clients.",
    "We'd love invoice templates in Spanish for our clients in Mexico.",
    "How do I record a payment a client made by bank transfer on an invoice?",
    "You charged me twice for my subscription this month, please refund one.",
    "I'm locked out after the password reset link expired.",
]


def _invoicing_conversations() -> list[Conversation]:
    return [conversation(body, key=f"inv{number}") for number, body in enumerate(INVOICING_RUN)]


def test_the_runs_common_terms_are_its_product_vocabulary():
    vocabulary = product_vocabulary(_invoicing_conversations())
    assert {"invoic", "client", "payment"} <= vocabulary.terms
    assert "refund" not in vocabulary and "you" not in vocabulary


def test_product_vocabulary_mutes_topic_cues_not_what_the_customer_is_doing():
    conversations = _invoicing_conversations()
    vocabulary = product_vocabulary(conversations)
    with_vocabulary = OfflineEngine(product_vocabulary=vocabulary)
    types = {
        c.conversation_id: o.stage1.conversation_type
        for c, o in zip(conversations, with_vocabulary.classify(conversations).outcomes)
    }
    assert types["inv0"] == types["inv13"] == "how_to_question"  # "invoice"/"payment" are the product
    assert types["inv14"] == "billing_question"  # the vendor's own charge stays billing
    assert types["inv15"] == "account_issue"
    assert types["inv4"] == "product_issue"
    billing = sum(t == "billing_question" for t in types.values())
    assert billing == 1
    # Without the vocabulary, "late fee … invoice" and "record a payment … on an invoice" lean to billing.
    without = OfflineEngine().classify(conversations).outcomes
    assert sum(o.stage1.conversation_type == "billing_question" for o in without) > billing


def test_vocabulary_thresholds_and_second_person():
    counts = TermCounts()
    for number in range(100):
        counts.add_text("the invoice page" if number < 8 else f"other words {number}")
    vocabulary = counts.vocabulary()
    assert "invoic" in vocabulary and "page" in vocabulary  # 8 of 100 conversations: 8 %
    assert "other" in vocabulary and "word" in vocabulary  # 92 of 100
    assert "the" not in vocabulary  # function words never are
    assert counts.vocabulary(share=0.09).terms == {"other", "word"}
    assert vocabulary.covers("my invoice") and vocabulary.covers("invoices")
    assert not vocabulary.covers("your invoice")  # addressed to the vendor: never product vocabulary
    assert not vocabulary.covers("invoice refund") and not vocabulary.covers("the")
    few = TermCounts()
    for _ in range(MIN_DOCUMENTS - 1):
        few.add_text("invoice")
    assert not few.vocabulary()  # three conversations cannot declare anything vocabulary
    assert not EMPTY_VOCABULARY and ProductVocabulary(frozenset({"x"}))


def test_results_do_not_depend_on_the_chunk_size():
    conversations = _invoicing_conversations() + [
        conversation(body, key=f"dev{number}") for number, (_, body, _) in enumerate(DEV_SET)
    ]

    def rows(chunk: int) -> list[dict]:
        chunks = [conversations[start : start + chunk] for start in range(0, len(conversations), chunk)]
        engine = OfflineEngine()
        assert prepare_engine(engine, run_vocabulary(chunks))
        assert engine.product_vocabulary  # the vocabulary is not empty: the test means something
        return [row for part in chunks for row in classify_conversations(engine, part).rows]

    assert rows(3) == rows(len(conversations))


def test_an_engine_without_vocabulary_is_left_alone():
    class NoVocabulary:
        pass

    assert prepare_engine(NoVocabulary(), EMPTY_VOCABULARY) is False


# --- the hand-written development set of three other products ----------------------------------------------


def test_dev_set_of_other_products():
    engine = OfflineEngine()
    outcomes = engine.classify(
        [conversation(body, key=f"d{number}") for number, (_, body, _) in enumerate(DEV_SET)]
    ).outcomes
    right = sum(o.stage1.conversation_type == label for o, (_, _, label) in zip(outcomes, DEV_SET))
    assert len(DEV_SET) >= 30
    assert right / len(DEV_SET) >= 0.9
