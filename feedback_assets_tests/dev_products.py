"""A small hand-written development set for the offline engine's type cues: short customer messages of three
products none of the bundled sets is about, each labelled with its conversation type.

* ``dental``: a dental-practice app (appointments, recalls, patient invoices and payments, insurance claims,
  x-rays) — its own nouns include invoice, payment, bill, balance and insurance, which are *not* the
  vendor's billing.
* ``crm``: a sales CRM (contacts, deals, pipelines, quotes, email sequences).
* ``rentals``: a property-management app (tenants, leases, rent collection, bank payouts, maintenance
  requests) — rent, payment, bank and late fees are its product.

Written for this purpose (not copied from the sample generator or the bundled sets), in varied voices: terse,
long, polite, angry, non-native English, a few in Spanish, French, German and Portuguese. Kept in the tests
(``test_offline_cue_families``) as a floor, and printed by ``benchmarks/type_cue_ablation.py``.
"""

from __future__ import annotations

DEV_SET: tuple[tuple[str, str, str], ...] = (
    # --- dental-practice app ------------------------------------------------------------------------------
    ("dental", "How do I send a patient a copy of their invoice by text message instead of email?",
     "how_to_question"),
    ("dental", "is there a way to see which patients still owe a balance after insurance paid their part",
     "how_to_question"),
    ("dental", "Where can I change the reminder text patients get the day before their appointment?",
     "how_to_question"),
    ("dental", "The x-ray viewer just shows a grey box since this morning's update. Nothing loads, tried "
               "two computers.", "product_issue"),
    ("dental", "Patient payments taken on the card terminal are not showing on the patient's bill anymore. "
               "Front desk is re-entering them by hand.", "product_issue"),
    ("dental", "When I save a treatment plan the app crashes and I lose the notes. Happened 4 times today!!",
     "product_issue"),
    ("dental", "It would really help if the schedule could colour appointments by hygienist. Right now "
               "everything is blue.", "feature_request"),
    ("dental", "Please add a way to attach the insurance claim PDF directly to the invoice.",
     "feature_request"),
    ("dental", "You charged our card twice for the March subscription. Can you refund one of them?",
     "billing_question"),
    ("dental", "My new receptionist can't log in, it says her password is wrong but we just reset it.",
     "account_issue"),
    ("dental", "We need to connect the app to our Stripe terminal and I'm stuck on the settings page — "
               "which API key goes where?", "configuration_help"),
    ("dental", "Hola, ¿cómo puedo imprimir el historial de pagos de un paciente?", "how_to_question"),
    ("dental", "Do you have a plan for practices with three locations? Thinking of moving all our clinics "
               "over.", "general_inquiry"),
    # --- sales CRM ----------------------------------------------------------------------------------------
    ("crm", "how can i move a deal back to an earlier stage without losing the activity history?",
     "how_to_question"),
    ("crm", "Can I merge two contacts that are the same person? Can't find the button.", "how_to_question"),
    ("crm", "What's the best way to bulk update the owner of 300 leads?", "how_to_question"),
    ("crm", "Email sequences stopped sending on Friday. Nobody in sales got a single reply since, the "
            "queue says 'paused' and I never paused it.", "product_issue"),
    ("crm", "the pipeline board wont load for me, just a white page. my colleague sees it fine", "product_issue"),
    ("crm", "Quotes exported to PDF have the wrong currency symbol, we're in Switzerland and it prints $.",
     "product_issue"),
    ("crm", "We'd love a forecast view that weights deals by probability. Spreadsheets are killing us.",
     "feature_request"),
    ("crm", "feature request: let us set a custom field as required before a deal can be marked won",
     "feature_request"),
    ("crm", "Why did our renewal go from 40 to 55 per seat? Nobody told us about a price change on our plan.",
     "billing_question"),
    ("crm", "I want to delete my account, I left the company last month.", "account_issue"),
    ("crm", "Trying to set up the Gmail integration for the whole team. Do I configure it once as admin or "
            "does every rep connect their own inbox?", "configuration_help"),
    ("crm", "Hallo, seit dem Update werden die Aufgaben nicht mehr synchronisiert.", "product_issue"),
    ("crm", "Hi, I'm writing a piece on sales tools for small agencies, could I ask you a few questions?",
     "general_inquiry"),
    # --- property-management app ---------------------------------------------------------------------------
    ("rentals", "How do I set up a late fee that only applies after the 5th of the month?",
     "configuration_help"),
    ("rentals", "Is there a way to split one rent payment between two tenants on the same lease?",
     "how_to_question"),
    ("rentals", "where do i find last year's rent ledger for one unit? my accountant needs it for taxes",
     "how_to_question"),
    ("rentals", "Tenant paid on the 1st, bank shows the money, but the payment still says pending in the app "
                "and she got a late notice. Very embarrassing.", "product_issue"),
    ("rentals", "The maintenance request form throws an error when a tenant uploads a photo from an iPhone.",
     "product_issue"),
    ("rentals", "bank payouts are two days late again this month and the dashboard shows them as sent??",
     "product_issue"),
    ("rentals", "Would be great if tenants could pay rent with a bank transfer without the card fee.",
     "feature_request"),
    ("rentals", "I was billed for 12 units but we only manage 9. Please correct the invoice you sent us.",
     "billing_question"),
    ("rentals", "Locked out after the two-factor code never came. I changed phones last week.",
     "account_issue"),
    ("rentals", "Bonjour, comment puis-je ajouter un deuxième propriétaire à un bien ?", "how_to_question"),
    ("rentals", "Gostaria de poder enviar recibos automáticos por WhatsApp para os inquilinos.",
     "feature_request"),
    ("rentals", "Quick question: can I cancel my plan in the middle of the month and get the rest back?",
     "billing_question"),
)
