"""Type cue family: asking about their own charges or plan: money talk about the customer's account
with the vendor."""

from __future__ import annotations

from feedback_assets.engines.offline.cues.matching import cue_family, weighted_cues

# A bare money noun (invoice, payment, bank, tax) is what an invoicing or expense product is about, so it is
# weak evidence; charging verbs, "my/our plan", "you/your" money talk and cancel/upgrade of the plan are
# strong. Every cue here names a thing, so it is muted where the run's own vocabulary covers its words.
OWN_MONEY = cue_family(
    "own_money",
    "billing_question",
    "asking about their own charges or plan",
    weighted_cues(
        3.0,
        r"(?:you|you've|you have|they|they've) (?:\w+ )?(?:double[- ]|over)?(?:charged|billed|debited)",
        r"(?:was|were|been|got|get|being|am|are|is|be) (?:\w+ )?(?:double[- ]|over)?(?:charged|billed)",
        r"(?:charged|billed) (?:me|us|twice|again|double|for)",
        r"double[- ]charged?|charged twice|two (?:identical )?charges|duplicate (?:charges?|payments?)",
        r"overcharg\w*|chargebacks?",
        r"(?:get|want|need|request|requesting|give|issue|expect|like) (?:me |us )?(?:a |my |our |the )?"
        r"(?:full |partial )?refund|refund (?:me|us|my|our|the (?:difference|duplicate|charge))",
        r"(?:cancel|upgrade|downgrade|pause|renew|change|switch) (?:my|our) (?:\w+ )?(?:plan|subscription|"
        r"account|membership|licen[cs]e)",
        r"your (?:pricing|prices?|fees?|plans?|invoices?|bill|billing|charges?|subscription|tiers?|rates?)",
        r"(?:invoices?|bills?|receipts?|charges?) (?:from you|(?:that )?you (?:sent|issued|emailed))",
        r"(?:credit |debit )?card (?:on file|was declined|expired)|payment method|failed payment|"
        r"payment (?:failed|was declined|did ?n[o']?t go through)",
        r"(?:invoices?|bills?|charges?|prices?|renewal) (?:is |was )?(?:higher|more|bigger) than",
        r"how much (?:does|do|is|would|will|for)|(?:price|pricing) (?:increase|change|went up)",
        topical=True,
    ),
    weighted_cues(1.5, r"refunds?|refunded", topical=True),
    # A discount on the customer's own plan is billing; a discount code is a feature of shops and ticketing
    # products, so the bare word is weak.
    weighted_cues(
        3.0,
        r"(?:nonprofit|non-profit|charity|student|education(?:al)?|startup|annual|yearly|loyalty) discount|"
        r"discount (?:on|for|to) (?:my|our|the) (?:plan|subscription|renewal|account|licen[cs]es?|seats?)|"
        # The customer's own discount: one they get, or the vendor gives or offers them ("do you offer a
        # discount"); "when I give a discount" is a discount the customer gives their clients, a feature.
        r"(?:get|any) (?:me |us )?(?:a )?discount|(?:give|offer) (?:me|us) (?:a )?discount|"
        r"you (?:\w+ )?offer (?:a |any )?discount",
        topical=True,
    ),
    weighted_cues(0.5, r"discount|coupon|promo code", topical=True),
    weighted_cues(
        2.5,
        r"(?:my|our) (?:current |monthly |annual |yearly |last |latest )?(?:subscription|plan|renewal|"
        r"billing|bill|invoices?|receipts?|seats?|licen[cs]es?)",
        r"billed|billing (?:cycle|period|date|email|address|contact|question|issue|problem)",
        r"(?:monthly|annual|yearly) (?:billing|plan|subscription)|per (?:seat|user|month)",
        r"vat (?:number|id)|tax id|vat invoice",
        r"cobr\w+|abgebucht|abbuchung|prélev\w+|reembols\w+|remboursement|rückerstattung|suscripci\w+|"
        r"abonnement|assinatura|kündig\w*|annuler (?:mon|notre) abonnement|cancelar (?:mi|nuestra|minha)",
        topical=True,
    ),
    # A bare money noun: weaker than any cue of what the customer is doing.
    weighted_cues(
        0.5,
        r"invoices?|receipts?|payments?|bills?|bank|tax|price|pricing|subscriptions?|charges?",
        r"upgrade|downgrade",
        r"plans?",
        r"renew\w*",
        r"seats?",
        r"trial",
        r"cost",
        r"factur\w*|rechnung|fattura|pago|paiement|zahlung|pagamento|precio|preço|preis|tarif|tarjeta|"
        r"cartão|kreditkarte|carte bancaire",
        topical=True,
    ),
)
