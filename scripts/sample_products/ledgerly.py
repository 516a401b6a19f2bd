"""Ledgerly — a fictional expense-management and corporate-card app, used only as a second, blind holdout.

Nobody tunes the offline engine against this product either: it is a third vocabulary (cards, receipts, approvals,
reimbursements, accounting sync) for measuring whether classification, themes and grouping generalise. Its
phrasing pools are its own; the shared machinery in ``sample_generator`` is the same as for Crewline and Inkwell.
"""

from __future__ import annotations

from sample_generator.spec import ForeignReport, IssueGroup, OneOffObject, Outbound, Product, Scenario

AREAS = {
    "cards": ("physical_cards", "virtual_cards", "card_controls", "card_declines", "statements", "fx"),
    "receipts": ("receipt_capture", "ocr", "email_forwarding", "receipt_matching", "missing_receipts"),
    "expenses": ("categories", "splits", "projects"),
    "approvals": ("approval_workflows", "approval_rules", "delegation", "policies"),
    "reimbursements": ("payouts", "mileage", "per_diem"),
    "accounting": ("quickbooks_sync", "xero_sync", "netsuite_sync", "gl_mapping", "new_integrations"),
    "reports": ("expense_reports", "csv_export", "analytics"),
    "mobile": ("ios_app", "android_app", "receipt_camera"),
    "account": ("login", "sso", "two_factor", "users_roles", "hris_sync"),
    "billing": ("subscription", "invoices", "plan_limits"),
}

SLOTS = {
    "saas": ("AWS", "Google Ads", "Figma", "Zoom", "Slack", "LinkedIn Ads", "Meta Ads", "GitHub", "Adobe",
             "HubSpot", "Shopify"),
    "merchant": ("Delta", "United", "Marriott", "Hilton", "Uber", "Hertz", "Staples", "Home Depot", "Shell",
                 "DoorDash", "Lufthansa", "Airbnb", "Chipotle", "Starbucks"),
    "hotel": ("Marriott", "Hilton", "Hyatt", "Holiday Inn", "Westin"),
    "last4": lambda rng, ctx: f"{rng.randrange(10_000):04d}",
    "limit": lambda rng, ctx: f"${rng.choice((500, 1_000, 2_000, 2_500, 5_000, 10_000, 25_000)):,}",
    "distance": lambda rng, ctx: str(rng.randrange(12, 380)),
    "category": ("Meals", "Travel", "Software", "Office supplies", "Client entertainment", "Fuel", "Lodging",
                 "Marketing", "Training"),
    "phone": ("iPhone 15", "iPhone 13", "iPhone SE", "Pixel 8a", "Galaxy S24", "Galaxy A35", "Pixel 7",
              "iPhone 16 Pro"),
    "app_version": ("7.4.0", "7.4.1", "7.3.8", "7.4.2"),
    "idp": ("Okta", "Microsoft Entra ID", "Google Workspace", "JumpCloud", "OneLogin"),
    "hris": ("BambooHR", "Rippling", "Gusto", "HiBob", "Workday"),
    "bank": ("Chase", "Bank of America", "Wells Fargo", "Citi", "TD Bank", "Capital One", "US Bank", "PNC"),
    "entity": ("UK Ltd", "Canada Corp", "GmbH", "Australia Pty", "Ireland Ltd", "Mexico S.A."),
    "currency": ("EUR", "GBP", "CAD", "AUD", "JPY", "MXN"),
    "country": ("Germany", "the UK", "Canada", "Japan", "Mexico", "France", "Australia", "Spain"),
    "city": ("Chicago", "Denver", "Austin", "Boston", "Seattle", "Atlanta", "Toronto", "Phoenix"),
    "role": ("controller", "finance manager", "AP specialist", "CFO", "bookkeeper", "head of finance",
             "office manager", "accounting lead", "fractional CFO", "VP of sales", "ops manager"),
    "browser": ("Chrome", "Safari", "Edge", "Firefox"),
}

S = Scenario

GROUPS = (
    IssueGroup(
        key="receipt_scan_misreads_total", type="product_issue", area="receipts", component="ocr",
        weight=14, profile="steady",
        reports=(
            "The receipt scanner keeps reading the {subtotal|pre-tax amount} instead of the total, so every "
            "{dinner|hotel|taxi} expense is off.",
            "OCR pulled the {tip line|tax line|loyalty points} as the amount — a $money dinner came through as "
            "{$$4.20|$$12.00|$$0.86}.",
            "Smart scan put the date {into the amount field|in as the merchant name} on {three|half a dozen|"
            "several} of my receipts.",
            "Auto-fill from receipts is off by a factor of a hundred: {€|£}45,90 turns into 4,590.",
            "{Every|Almost every} {European|foreign} receipt gets the decimal comma wrong, 12,50 becomes 1250.",
            "uploaded a $merchant receipt and it says $money?? the real total is way lower",
            "The extracted amount on my $merchant receipt {doesn't match|has nothing to do with} what's printed "
            "on it.",
            "Since {last week|the update} the scanned totals are {wrong|garbage} on about {half|a third} of what "
            "my team submits.",
            "Handwritten tips aren't picked up — the scanned total leaves them out every time.",
            "Receipt capture is misreading the currency: a {GBP|EUR|CAD} receipt got booked as US dollars with "
            "the same number.",
            "{Your|The} {receipt reader|auto-extract} is grabbing the {card balance|change due} at the bottom "
            "of the slip rather than what I actually paid.",
        ),
        asks=(
            "How do I stop the scanner filling in the subtotal? I keep fixing the amount by hand.",
            "Is there a way to re-run the scan on a receipt? The amount it picked up is wrong.",
            "what am i supposed to do when the scanned amount is wrong, edit it or upload again?",
        ),
        details=(
            "It's mostly {restaurant|hotel|gas station} receipts.",
            "The photos are sharp, every number is readable.",
            "Same result from the $phone and from the web upload.",
            "We're seeing it across the $workspace team.",
            "My approver bounced {two|four} expenses back because of it.",
        ),
        impacts=(
            "Approvers keep rejecting expenses because the amount doesn't match the receipt.",
            "I'm re-typing every total by hand, which defeats the point of scanning.",
            "Our month-end close is stuck on dozens of mismatched amounts.",
        ),
        steps=(("Snap the receipt in the app", "Wait for the scan to finish", "The amount field shows the "
                "subtotal, not the total"),),
        subjects=("Receipt scan wrong amount", "OCR picking up the wrong total", "Scanned amounts incorrect",
                  "Decimal comma on receipts"),
        replies=(
            "Thanks for the examples — our OCR team confirmed a bug in the latest scanning model: it prefers "
            "the subtotal when a tip or tax line is printed below it. A fix is rolling out and I've re-scanned "
            "your affected receipts.",
            "This is a known issue with receipts that use a comma as the decimal separator; engineering has a "
            "fix in progress. Correcting the amount on the expense is safe meanwhile — the receipt stays "
            "attached.",
        ),
        notes=("Another OCR subtotal case — $ticket",),
        framings=(("product_issue", 0.85), ("how_to_question", 0.15)),
        tags=("ocr", "receipts"), paths=("/expenses", "/receipts"),
    ),
    IssueGroup(
        key="virtual_card_declined_under_limit", type="product_issue", area="cards", component="card_declines",
        weight=13, profile="burst:0.35:0.3",
        reports=(
            "Our virtual card for $saas was declined even though it has {plenty|most} of its monthly limit "
            "left.",
            "{Our cards|Cards} keep getting declined at $saas with \"insufficient funds\" while the budget shows "
            "{$limit|lots} available.",
            "The {ads|marketing} card got rejected {three times|twice} today and the limit isn't anywhere close "
            "to used up.",
            "Subscription renewals on our virtual cards are bouncing — $saas emailed to say the payment failed.",
            "virtual card ending $last4 declined again, limit is fine, whats going on",
            "Every recurring charge on our virtual cards {failed|got declined} {overnight|this morning}; nothing "
            "changed on our side.",
            "The card feed shows the transaction as Declined with no reason, and the spend limit still has room.",
            "Our vendor cards stopped working for online payments — {$saas|the $saas invoice} won't go through.",
            "{Why on earth|Why} is $saas refusing our card? We have {$limit|thousands} left this month.",
        ),
        asks=(
            "Why would a virtual card decline when it's under its limit? Is there a setting I'm missing?",
            "What do I need to change so $saas stops declining our card?",
        ),
        others=(
            "Is our Ledgerly account out of funds? Our cards are suddenly declining and I don't know if we "
            "missed a payment.",
            "Did our company balance run out? Several card payments failed today.",
        ),
        details=(
            "The card ending in $last4 is the one {for $saas|for ad spend}.",
            "It has a monthly limit of $limit and we've used less than half.",
            "The decline reason in the app only says \"Do not honor\".",
            "Physical cards still work, it's only the virtual ones.",
            "$saas {will suspend|is about to suspend} our account if the payment doesn't go through.",
        ),
        impacts=(
            "If $saas suspends us our whole {engineering team|website} goes down.",
            "Our ad campaigns paused {overnight|this morning} because of the failed payment.",
        ),
        subjects=("Virtual card declined", "Card declined under limit", "Recurring payment failed on card"),
        replies=(
            "Thanks for flagging — this was a bug in our authorisation service: after the weekend release, "
            "virtual cards with a monthly limit were checked against the daily limit instead. It's been "
            "escalated and a fix is deploying now; please ask $saas to retry the charge this afternoon.",
            "Our engineers confirmed the issue: recurring merchant charges on virtual cards were declined by a "
            "misconfigured fraud rule on our side. It's fixed for new transactions, so the vendor can retry now.",
        ),
        notes=("Virtual card decline incident — $ticket",),
        framings=(("product_issue", 0.7), ("how_to_question", 0.15), ("billing_question", 0.15)),
        tags=("cards", "declines"), paths=("/cards", "/cards/virtual"),
    ),
    IssueGroup(
        key="quickbooks_sync_duplicates", type="product_issue", area="accounting", component="quickbooks_sync",
        weight=12, profile="steady",
        reports=(
            "Every expense we sync to QuickBooks shows up twice as a bill.",
            "After the nightly sync, our QuickBooks ledger has {duplicate|doubled} card transactions for "
            "{last month|$month}.",
            "QBO is full of duplicates — each Ledgerly transaction was pushed {twice|two or three times}.",
            "Our bookkeeper found the same $merchant charge entered {twice|three times} in QuickBooks.",
            "The QuickBooks Online integration {created|keeps creating} a second copy of expenses we already "
            "exported.",
            "quickbooks has everything doubled since we reconnected",
            "Re-syncing one edited expense makes a brand-new entry in QuickBooks instead of updating the old "
            "one.",
            "Our P&L in QuickBooks is inflated because the Ledgerly export posted identical entries again.",
        ),
        asks=(
            "How do I stop Ledgerly creating duplicates in QuickBooks? Is there a setting to match existing "
            "entries?",
            "How do I undo a sync that pushed everything to QuickBooks twice?",
        ),
        details=(
            "It's about $n transactions so far.",
            "We reconnected QuickBooks on $weekday after a password change.",
            "The copies have the same amount and date but a different reference number.",
            "Only the $workspace card expenses are affected.",
        ),
        impacts=(
            "Our accountant is deleting duplicates by hand before we can close the month.",
            "Our books are wrong and {the board meeting|our audit} is next week.",
        ),
        steps=(("Edit an expense that already synced", "Press Sync now", "Open QuickBooks: there are two bills"),),
        subjects=("Duplicate entries in QuickBooks", "QBO sync duplicates", "Expenses exported twice"),
        replies=(
            "We confirmed a bug: editing an already-synced expense made our QuickBooks connector create a new "
            "bill instead of updating the existing one. Engineering has a fix in progress, and I can send you a "
            "list of the duplicates to delete.",
            "This is a known issue after reconnecting QuickBooks — the connector lost track of what it had "
            "already exported. It's been escalated; until the fix ships, please pause auto-sync under "
            "Accounting → QuickBooks.",
        ),
        notes=("QBO duplicate export — $ticket",),
        framings=(("product_issue", 0.85), ("how_to_question", 0.15)),
        tags=("accounting", "quickbooks"), paths=("/accounting/quickbooks",),
    ),
    IssueGroup(
        key="netsuite_subsidiary_sync_error", type="product_issue", area="accounting", component="netsuite_sync",
        weight=10, profile="late",
        reports=(
            "NetSuite export fails with \"Invalid subsidiary reference\" for every expense from our $entity "
            "entity.",
            "Expenses sit in \"Sync failed\" for NetSuite, and the error mentions the subsidiary field.",
            "Since {the update|last week} nothing reaches NetSuite for our {second|newest} entity — only the "
            "parent company syncs.",
            "The NetSuite connector rejects our reports with a {department|subsidiary} mapping error although we "
            "didn't touch the mapping.",
            "netsuite sync errors on all {UK|Canada} reports, US ones go through",
            "Our multi-entity setup broke: Ledgerly sends everything to the parent subsidiary and NetSuite "
            "refuses it.",
            "Approved reports for $entity pile up in the export queue with a red error icon.",
        ),
        asks=(
            "How do I map our $entity subsidiary so NetSuite accepts the exports? They all fail.",
            "What's the right way to set up subsidiaries for the NetSuite sync? Ours keeps erroring.",
        ),
        details=(
            "We have {three|four|five} subsidiaries in NetSuite.",
            "The error code is {NS-412|USER_ERROR}.",
            "Our NetSuite admin checked the integration role's permissions and they're fine.",
            "It started after we added the $entity entity.",
        ),
        impacts=(
            "We can't close {the month|the quarter} until these are in NetSuite.",
            "Our controller is keying reports into NetSuite by hand.",
        ),
        subjects=("NetSuite sync failing", "Invalid subsidiary reference", "NetSuite export error"),
        replies=(
            "Thanks — engineering confirmed a bug in the NetSuite connector: expenses from non-primary "
            "subsidiaries are sent with the parent's ID. It's escalated and a fix is in progress; I'll re-run "
            "your failed exports once it ships.",
            "This is a known issue on our side, introduced with the new subsidiary mapping screen. Nothing is "
            "wrong with your NetSuite configuration; the fix goes out this week.",
        ),
        framings=(("product_issue", 0.8), ("how_to_question", 0.2)),
        tags=("accounting", "netsuite"), paths=("/accounting/netsuite",),
    ),
    IssueGroup(
        key="approvals_routed_to_former_manager", type="product_issue", area="approvals",
        component="approval_workflows", weight=11, profile="steady",
        reports=(
            "Expense reports still go to $coworker for approval even though they left the company {weeks|a "
            "month} ago.",
            "I changed {my team's|the} approver, but new reports keep routing to the old manager.",
            "Reports are stuck on \"Awaiting approval\" from someone who's been {deactivated|offboarded}.",
            "When someone moves teams, their expenses keep going to their previous {manager|department head}.",
            "approval chain ignores the manager i set, reports land with the wrong person",
            "Our new director's approvals inbox is empty while her predecessor still receives every report.",
            "We removed $coworker as an approver but not a single pending report was reassigned.",
        ),
        asks=(
            "How do I reassign pending reports from someone who left? They're all stuck with them.",
            "How do I change who approves my team's expenses? I edited it but reports still go to the old "
            "approver.",
        ),
        details=(
            "It affects about $n reports right now.",
            "We sync our org chart from $hris.",
            "The employee profile shows the correct manager.",
            "It's the $workspace department.",
        ),
        impacts=(
            "People are waiting on reimbursements because nobody can approve.",
            "I end up approving everything myself with an admin override.",
        ),
        subjects=("Approvals going to wrong manager", "Report stuck with ex-employee", "Approver change not "
                                                                                       "applied"),
        replies=(
            "Thanks for the details — we confirmed a bug where approval chains cached the manager from the HRIS "
            "sync and ignored later changes. It's been escalated and a fix is rolling out; I've re-routed your "
            "pending reports manually.",
            "Our engineers reproduced this: deactivating a user didn't hand their pending approvals to the "
            "fallback approver. That's a bug, and a fix is in progress.",
        ),
        framings=(("product_issue", 0.7), ("how_to_question", 0.3)),
        tags=("approvals",), paths=("/approvals",),
    ),
    IssueGroup(
        key="reimbursement_paid_not_received", type="product_issue", area="reimbursements", component="payouts",
        weight=11, profile="mid",
        reports=(
            "My reimbursement has said Paid since $date but the money never hit my {bank|checking} account.",
            "Employees keep asking where their reimbursements are — Ledgerly shows paid, {$bank|their banks} "
            "show nothing.",
            "The payout for $money was marked {sent|completed} {a week|five business days} ago and still hasn't "
            "arrived.",
            "The reimbursement batch from $weekday shows \"Paid\" for everyone, yet nobody got the money.",
            "got an email saying my expenses were reimbursed but theres nothing in my account",
            "ACH reimbursements {seem|appear} stuck: status is paid, no deposit, no trace number.",
            "Half our team received their reimbursements and the other half didn't, {same batch|same day}.",
        ),
        asks=(
            "How long should a reimbursement take to arrive after it says Paid? It's been {a week|six days}.",
            "How do I track down a reimbursement that's marked paid but never showed up?",
        ),
        others=(
            "Is my bank account set up wrong? My reimbursements say paid but nothing comes through.",
            "Can you check my bank details on file? Ledgerly says I was paid and I wasn't.",
        ),
        details=(
            "My bank is $bank.",
            "The amount is $money.",
            "My bank details were verified {months ago|when I joined}.",
            "It's the $workspace team's batch.",
        ),
        impacts=(
            "I put $money of travel on my personal card and need it back before my statement closes.",
            "Staff are starting to refuse to front expenses.",
        ),
        subjects=("Reimbursement not received", "Paid but no money", "Missing reimbursement payout"),
        replies=(
            "I'm sorry about this — we confirmed a bug with our payout provider where some ACH batches were "
            "marked paid before they were submitted. Engineering resubmitted the affected batches and a fix is "
            "in progress; funds should land in 1–2 business days.",
            "This is a known issue on our side affecting reimbursements to $bank accounts; it's been escalated "
            "and your payout has been re-sent.",
        ),
        notes=("Payout marked paid early — $ticket",),
        framings=(("product_issue", 0.7), ("how_to_question", 0.15), ("account_issue", 0.15)),
        tags=("reimbursements",), paths=("/reimbursements",),
    ),
    IssueGroup(
        key="mobile_receipt_upload_stuck", type="product_issue", area="mobile", component="receipt_camera",
        weight=10, profile="burst:0.1:0.35",
        reports=(
            "Receipts I snap in the {iPhone|mobile} app sit on \"Uploading…\" forever.",
            "Receipt photos taken in the app vanish {after I close it|once I lock my phone} and never reach the "
            "expense.",
            "The in-app camera takes the picture but the receipt never attaches to the transaction.",
            "Since updating to $app_version, receipt uploads freeze at {90%|halfway}.",
            "i take a pic of the receipt and it just spins, never uploads",
            "My {team|field staff} say receipts from the app never show up on the web, so their card charges "
            "stay flagged as missing a receipt.",
            "Receipt photos queue up in the app's outbox and never {send|sync}, even on wifi.",
        ),
        asks=("How do I get receipts that are stuck in the app's upload queue to send?",),
        details=(
            "I'm on a $phone with app version $app_version.",
            "Wifi or cellular makes no difference.",
            "There are {6|9|12} receipts waiting in the queue.",
            "Uploading the same photo from the web works.",
        ),
        impacts=(
            "My card gets frozen for missing receipts even though I took the photos.",
            "I'm back to keeping paper receipts in my wallet.",
        ),
        subjects=("Receipt upload stuck", "Mobile receipts not uploading", "App stuck on Uploading"),
        replies=(
            "Thanks — this is a known bug in app version $app_version: uploads that start while the app goes to "
            "the background never resume. A fix is in review with the app stores; keep the app open until the "
            "upload finishes for now.",
            "Our mobile team confirmed the upload-queue bug and the fix is in the next release.",
        ),
        framings=(("product_issue", 0.85), ("how_to_question", 0.15)),
        tags=("mobile", "receipts"),
    ),
    IssueGroup(
        key="mileage_distance_doubled", type="product_issue", area="reimbursements", component="mileage",
        weight=8, profile="steady",
        reports=(
            "The mileage calculator {doubles|counts twice} every trip even when round trip isn't ticked.",
            "A $distance mile drive to a client in $city got logged as twice that.",
            "Mileage claims come out {way too high|wrong} — the route distance is nowhere near what Google Maps "
            "says.",
            "my trips are in km but it pays them out as miles",
            "Adding a stop to a mileage trip resets the distance to zero.",
            "Our {sales reps|field techs} are being overpaid on mileage because the distance is "
            "{inflated|doubled}.",
        ),
        asks=("How does Ledgerly calculate mileage? My trips come out much longer than the actual route.",),
        details=(
            "The rate is set to the {IRS|standard} rate.",
            "The trip was from {the office|home} to a client in $city.",
            "I'm entering it on the {web|mobile app}.",
        ),
        subjects=("Mileage distance wrong", "Mileage doubled", "Round trip mileage"),
        replies=("We reproduced it — the round-trip toggle is applied twice when a trip is saved from the map "
                 "view. It's a bug and engineering is fixing it; editing the distance by hand is safe "
                 "meanwhile.",),
        framings=(("product_issue", 0.8), ("how_to_question", 0.2)),
        paths=("/reimbursements/mileage",),
    ),
    IssueGroup(
        key="split_expense_across_projects", type="how_to_question", area="expenses", component="splits",
        weight=10, profile="steady",
        asks=(
            "How do I split one receipt between {two|several} projects?",
            "A {team dinner|conference booth} covers {three|two} departments — can I divide it in Ledgerly?",
            "Can part of an expense go to one category and the rest to another?",
            "how do i split a charge, part personal part business",
            "My $hotel folio has the room plus a personal minibar bill — how do I separate them?",
            "What's the right way to charge one card transaction to several {cost centers|clients}?",
        ),
        reports=(
            "There's no way to split an expense — the amount field only takes one category. Is that broken?",
            "I tried splitting a receipt and the second line disappeared after saving.",
        ),
        details=(
            "It's a $money receipt.",
            "Half should go to $category and the rest elsewhere.",
            "We track projects for client billing.",
        ),
        subjects=("Split an expense", "Allocate across projects", "Divide a receipt"),
        replies=(
            "You can do this already: open the expense, click ⋯ → Split and add a line per project or "
            "category; the lines must add up to the total. Mark a personal portion as Personal and it's "
            "deducted from the reimbursement.",
            "Use ⋯ → Split expense — each line gets its own category, project and cost center. Guide: "
            "⟦link:$help_url/split-expenses|Splitting expenses⟧",
        ),
        framings=(("how_to_question", 0.75), ("product_issue", 0.25)),
        paths=("/expenses",),
    ),
    IssueGroup(
        key="freeze_or_replace_lost_card", type="how_to_question", area="cards", component="physical_cards",
        weight=9, profile="steady",
        asks=(
            "I {lost|left} my company card {in a taxi|at a restaurant|somewhere in the airport} — how do I "
            "{freeze|lock} it?",
            "How do I order a replacement card? Mine {snapped|stopped tapping|got demagnetised}.",
            "What's the fastest way to block a stolen card?",
            "An employee's card was {stolen|skimmed} in $city. How do I cancel it and get them a new one?",
            "can i lock my card for now and unlock it later? pretty sure its in the car somewhere",
            "Where do I request a new physical card with the same limits?",
        ),
        reports=("I tried to freeze my card but the toggle doesn't seem to do anything — is it broken?",),
        details=("It's the card ending in $last4.", "I'm travelling in $country right now.",
                 "I have a trip on $weekday."),
        subjects=("Lost card", "Freeze card", "Replacement card"),
        replies=(
            "You can freeze it instantly: Cards → select the card → Freeze. If it's gone for good, choose "
            "Report lost or stolen; that cancels it and ships a replacement with the same limits in 3–5 "
            "business days. The freeze applies right away even if the toggle takes a few seconds to update.",
            "Cards → your card → Freeze stops new charges immediately and Unfreeze brings it back. To replace "
            "it, pick Report lost or damaged and we'll mail a new one.",
        ),
        framings=(("how_to_question", 0.85), ("product_issue", 0.15)),
        paths=("/cards",),
    ),
    IssueGroup(
        key="restrict_card_merchant_categories", type="how_to_question", area="cards", component="card_controls",
        weight=9, profile="mid",
        asks=(
            "How do I stop our cards being used at {bars|casinos|liquor stores}?",
            "Can I limit a card so it only works for {fuel|travel|software}?",
            "How do I set a per-transaction cap on my team's cards?",
            "We want {contractors'|interns'} cards to work only at $merchant — how?",
            "Where are the merchant category controls? I want to block {gambling|cash withdrawals|ATM use}.",
            "how do i make a card work only on weekdays",
        ),
        reports=(
            "Someone on our team used their card at a {bar|casino} even though we set restrictions — is that a "
            "bug?",
            "Our card controls don't work, one of our {drivers|reps} paid for groceries with theirs.",
        ),
        details=("We have about $staff cardholders.", "Our policy only allows $category on these cards."),
        subjects=("Restrict card categories", "Card controls", "Block merchant types"),
        replies=(
            "Go to Cards → Spend controls → Merchant categories and choose Allow only or Block; per-transaction "
            "caps are on the same screen. The charge you saw went through because that card predates the "
            "policy and isn't linked to it — assign the policy to existing cards from Cards → Bulk edit.",
            "You can set this per card or per card group under Spend controls → Merchant categories. Guide: "
            "⟦link:$help_url/card-controls|Card controls⟧",
        ),
        framings=(("how_to_question", 0.7), ("product_issue", 0.3)),
        paths=("/cards/controls",),
    ),
    IssueGroup(
        key="per_diem_allowances", type="feature_request", area="reimbursements", component="per_diem",
        weight=9, profile="steady",
        wants=(
            "Please add per diem support with government rates by {country|city}.",
            "We'd love automatic per diems for trips to $country instead of people submitting every meal.",
            "Feature request: daily allowances that follow the {GSA|HMRC|German tax office} rates.",
            "Could Ledgerly work out per diems from the trip dates? Doing it in a spreadsheet is painful.",
            "any plans for per diem? our consultants travel {all the time|constantly}",
            "{We need|It would help a lot to have} per-diem allowances, with reduced rates when meals are "
            "provided.",
        ),
        asks=(
            "How do I set up per diem for employees travelling to $country?",
            "Is there a per diem feature, or do people have to expense every meal?",
        ),
        details=("Our team travels to $country {most months|every quarter}.",
                 "We have about $staff employees on the road.", "Right now we use a spreadsheet."),
        subjects=("Per diem", "Daily allowances", "Per diem rates"),
        replies=(
            "Per diems aren't supported yet — today each meal is expensed on its own. I've added your vote to "
            "the request.",
            "That's not something Ledgerly does today, but I've shared it with our product team; it's one of "
            "the most requested features.",
        ),
        framings=(("feature_request", 0.6), ("how_to_question", 0.4)),
        tags=("feature-request",),
    ),
    IssueGroup(
        key="multi_currency_cards", type="feature_request", area="cards", component="fx",
        weight=8, profile="late",
        wants=(
            "Could we hold a balance in {EUR|GBP|$currency} and spend from it without FX fees?",
            "Please issue cards in $currency for our team in $country.",
            "We'd like multi-currency wallets — paying overseas vendors in dollars costs us {a fortune|3% "
            "every time}.",
            "feature request: cards billed in {euros|pounds} for our european staff",
            "It would be great if foreign transactions weren't converted to USD on every card.",
        ),
        asks=(
            "How do I avoid foreign transaction fees on cards used in $country?",
            "Can a card be issued in $currency instead of USD?",
        ),
        details=("About a third of our spend is in $currency.", "We have a team of {8|15|20} in $country."),
        subjects=("Multi-currency cards", "Cards in local currency", "FX fees"),
        replies=("Cards are issued in USD only for now and foreign spend is converted at the network rate. "
                 "Multi-currency balances aren't available yet — I've logged your request.",),
        framings=(("feature_request", 0.65), ("how_to_question", 0.35)),
        tags=("feature-request", "cards"),
    ),
    IssueGroup(
        key="amount_based_approval_chains", type="feature_request", area="approvals", component="approval_rules",
        weight=8, profile="steady",
        wants=(
            "We need a second approver for anything over {$$1,000|$$5,000|$limit}.",
            "Please support approval chains — manager first, then finance for large amounts.",
            "Feature request: send expenses above a threshold to our CFO automatically.",
            "Could you add conditional approvals based on {category|amount|department}?",
            "would love multi step approvals, right now one person approves everything",
        ),
        asks=(
            "How do I add a finance approval step for expenses over a certain amount?",
            "Can I make large expenses need two approvals?",
        ),
        details=("Our auditors {asked for it|flagged it}.", "We're about $staff employees."),
        subjects=("Multi-level approvals", "Approval thresholds", "Second approver"),
        replies=("Today each report has a single approver; amount-based approval chains aren't supported yet. "
                 "I've passed your request to the product team.",),
        framings=(("feature_request", 0.6), ("how_to_question", 0.4)),
        tags=("feature-request", "approvals"),
    ),
    IssueGroup(
        key="receipt_forwarding_bounces", type="product_issue", area="receipts", component="email_forwarding",
        weight=3, profile="steady", minor=True,
        reports=("Receipts I forward to our Ledgerly inbox bounce back as undeliverable.",
                 "Emailing receipts to the receipts address gets a \"mailbox unavailable\" reply."),
        replies=("Confirmed — the forwarding inbox rejected mail from some domains after a DNS change. It's "
                 "being fixed.",),
    ),
    IssueGroup(
        key="statement_total_mismatch", type="product_issue", area="cards", component="statements",
        weight=2, profile="steady", minor=True,
        reports=("The monthly card statement total doesn't match the sum of the transactions.",
                 "Our statement is {$$212|$$87} higher than the transaction list adds up to."),
        replies=("We found pending refunds counted twice on statements; it's a confirmed bug and a fix is "
                 "coming.",),
    ),
    IssueGroup(
        key="mobile_wallet_support", type="feature_request", area="mobile", component="ios_app",
        weight=3, profile="steady", minor=True,
        wants=("Please let us add our cards to Apple Pay.", "Google Pay support for the cards would be great."),
        replies=("Mobile wallets aren't supported yet; I've logged the request.",),
    ),
)

ONEOFF_OBJECTS = (
    OneOffObject("cards", "physical_cards", ("card list", "cards overview"), ("screen", "list", "numbers")),
    OneOffObject("cards", "card_controls", ("spend limit editor",), ("screen", "form")),
    OneOffObject("cards", "virtual_cards", ("transaction feed", "card activity tab"),
                 ("screen", "list", "times", "data", "numbers")),
    OneOffObject("receipts", "receipt_capture", ("receipt inbox",), ("screen", "list")),
    OneOffObject("receipts", "missing_receipts", ("missing receipts page",), ("screen", "list", "numbers")),
    OneOffObject("approvals", "approval_workflows", ("approvals queue",), ("screen", "list", "numbers")),
    OneOffObject("approvals", "policies", ("policy editor",), ("screen", "form")),
    OneOffObject("reimbursements", "payouts", ("reimbursement history", "payout schedule page"),
                 ("screen", "list", "times", "numbers")),
    OneOffObject("reimbursements", "payouts", ("bank details form",), ("screen", "form")),
    OneOffObject("accounting", "gl_mapping", ("GL account mapping page",), ("screen", "form", "list")),
    OneOffObject("accounting", "xero_sync", ("sync log",), ("list", "times", "data")),
    OneOffObject("expenses", "categories", ("category picker",), ("screen", "list")),
    OneOffObject("expenses", "projects", ("project dropdown",), ("list",)),
    OneOffObject("reports", "analytics", ("spend dashboard", "department spend chart"),
                 ("screen", "data", "numbers")),
    OneOffObject("reports", "expense_reports", ("expense report builder",), ("screen", "form")),
    OneOffObject("mobile", "android_app", ("Android app's card screen",), ("screen",)),
    OneOffObject("mobile", "ios_app", ("iPhone app's transactions tab",), ("screen", "list", "times")),
    OneOffObject("account", "users_roles", ("people page",), ("screen", "list", "numbers", "form")),
    OneOffObject("billing", "subscription", ("plan and usage page",), ("screen", "numbers")),
)

ONEOFF_BUGS = tuple(
    S("product_issue", (text,), (reply,), area=area, component=component)
    for area, component, text, reply in (
        ("cards", "virtual_cards", "Renaming one virtual card changed the nickname on a different card.",
         "Reproduced — card nicknames were saved to the wrong card ID. Logged as a bug."),
        ("receipts", "receipt_matching", "A receipt got matched to the wrong transaction: same amount, different "
                                         "day.",
         "Thanks, confirmed and escalated to the matching team."),
        ("approvals", "delegation", "My out-of-office delegate can see my reports but the Approve button is "
                                    "greyed out for them.",
         "That's a bug in delegated approvals; a fix is planned."),
        ("accounting", "xero_sync", "The Xero sync drops the tracking category on every expense.",
         "Confirmed, tracking categories are lost on export. Engineering is on it."),
        ("reimbursements", "payouts", "The reimbursement email shows dollars even though I'm paid in CAD.",
         "Thanks for reporting — the email template ignores the payout currency. Logged as a bug."),
        ("reports", "csv_export", "The CSV export leaves the merchant column empty for refunds.",
         "We reproduced it and a fix is in progress."),
        ("mobile", "android_app", "The Android app crashes when I open an expense with more than five receipts "
                                  "attached.",
         "We reproduced the crash; it's fixed in the next release."),
        ("account", "two_factor", "The SMS login code arrives after it has already expired.",
         "Confirmed with our SMS provider — it's being fixed."),
        ("cards", "card_controls", "Setting a card's limit to $$0 doesn't block it, it removes the limit "
                                   "entirely.",
         "Thank you — we've escalated this as a priority."),
        ("expenses", "categories", "Archived categories still show up in the picker for employees.",
         "That's a known bug; fix in progress."),
    )
)

ONEOFF_HOWTOS = tuple(
    S("how_to_question", (question,), (answer,), area=area, component=component)
    for area, component, question, answer in (
        ("cards", "virtual_cards", "How do I create a virtual card just for one vendor?",
         "Cards → New card → Virtual, then lock it to the merchant under Spend controls."),
        ("receipts", "email_forwarding", "What address do I forward emailed receipts to?",
         "receipts@ledgerly.io, from the email address on your profile."),
        ("approvals", "delegation", "How do I let someone approve on my behalf while I'm on leave?",
         "Profile → Out of office → choose a delegate and the dates."),
        ("reimbursements", "payouts", "How do I change the bank account my reimbursements go to?",
         "Profile → Reimbursements → Bank account → Replace."),
        ("accounting", "xero_sync", "How do I map Ledgerly categories to Xero accounts?",
         "Accounting → Xero → Mapping; pick a Xero account for each category."),
        ("expenses", "categories", "How do I add a new expense category?", "Settings → Categories → Add."),
        ("reports", "expense_reports", "How do I bundle several expenses into one report?",
         "Select them in Expenses and click Add to report."),
        ("reports", "csv_export", "How do I export all card transactions for last quarter?",
         "Reports → Transactions → set the date range → Export CSV."),
        ("mobile", "ios_app", "How do I turn on Face ID in the iPhone app?", "App → Profile → Security → Face ID."),
        ("account", "users_roles", "How do I make someone an admin without giving them a card?",
         "People → their profile → Role: Admin, and leave Card unchecked."),
        ("cards", "physical_cards", "How do I activate the card that just arrived?",
         "Cards → your card → Activate, then enter the last four digits."),
        ("receipts", "missing_receipts", "How do I mark a small charge as not needing a receipt?",
         "Policies → Receipt rules → set the threshold, or mark the charge as No receipt."),
        ("reimbursements", "mileage", "How do I change the mileage rate for our Canadian staff?",
         "Policies → Mileage → add a rate for the Canada group."),
        ("accounting", "gl_mapping", "How do I send card fees to a different GL account?",
         "Accounting → Mapping → Fees → choose the account."),
    )
)

ONEOFF_FEATURES = tuple(
    S("feature_request", (text,), (), area=area, component=component)
    for area, component, text in (
        ("receipts", "ocr", "Please read line items off receipts, not just the total."),
        ("cards", "virtual_cards", "Single-use virtual cards that expire after one charge, please."),
        ("approvals", "approval_workflows", "Let approvers attach a reason when they send a report back."),
        ("accounting", "new_integrations", "Please add a Sage Intacct integration."),
        ("mobile", "android_app", "A home-screen shortcut on Android that opens straight to the receipt camera."),
        ("reports", "analytics", "Budget versus actual per department on the dashboard."),
        ("expenses", "splits", "Saved split templates for costs we share every month."),
        ("reimbursements", "payouts", "Reimbursements through Wise for contractors abroad."),
        ("account", "hris_sync", "Deactivate cards automatically when someone is offboarded in $hris."),
        ("cards", "card_controls", "Let employees request a temporary limit increase from the app."),
        ("receipts", "email_forwarding", "Pull receipts automatically from our Gmail inboxes."),
        ("mobile", "ios_app", "Apple Watch alerts for declined transactions."),
        ("reports", "expense_reports", "A weekly spend summary emailed to each department head."),
        ("expenses", "projects", "Let us require a project on expenses above a set amount."),
    )
)

ACCOUNT = (
    S("account_issue", ("My admin permissions disappeared — I can't see the Cards tab anymore.",
                        "I was an approver yesterday and today Ledgerly says I don't have access to approvals."),
      ("Your role was changed to Employee during last night's $hris sync. I've restored Admin and excluded your "
       "profile from role syncing.",),
      area="account", component="users_roles"),
    S("account_issue", ("We rebranded and everyone's email domain changed. Can you move our logins to the new "
                        "domain?",),
      ("Done — I've added the new domain and switched every login to it; old addresses forward for 90 days.",),
      area="account", component="login"),
    S("account_issue", ("Our only Ledgerly owner left the company and nobody can change company settings.",),
      ("After verifying with your CFO I've transferred ownership to you.",),
      area="account", component="users_roles"),
)

BILLING = (
    S("billing_question", ("Are cardholders who never submit expenses billed as active users?",),
      ("Only users with activity in the month are billed; cardholders with no transactions are free.",),
      area="billing", component="subscription"),
    S("billing_question", ("We were charged for {40|52} users but only {28|37} are active. Can you refund the "
                           "difference?",),
      ("You were billed for users deactivated mid-month. I've credited the difference to your next invoice.",),
      area="billing", component="invoices"),
    S("billing_question", ("Does the Growth plan include the NetSuite integration or is it Enterprise only?",),
      ("NetSuite is included from Growth upwards; Starter has QuickBooks and Xero only.",),
      area="billing", component="plan_limits"),
)

CONFIGURATION = tuple(
    S("configuration_help", texts, (reply,), area=area, component=component)
    for area, component, texts, reply in (
        ("account", "sso", ("We're rolling out $idp single sign-on — what do we set up on the Ledgerly side?",),
         "Settings → Security → SAML: paste $idp's metadata URL, then assign the Ledgerly app to your groups."),
        ("accounting", "quickbooks_sync", ("Which QuickBooks account should our card clearing account map to?",),
         "Create a credit card account in QuickBooks named Ledgerly Card and select it under Accounting → "
         "Mapping → Card clearing."),
        ("approvals", "policies", ("How do we configure the policy so receipts are only required above $$75?",),
         "Policies → Receipt rules → Require receipt above → 75."),
        ("reimbursements", "payouts", ("What do we need to set up so reimbursements go out by ACH every Friday?",),
         "Reimbursements → Schedule → Weekly on Friday, then verify your funding account."),
        ("account", "hris_sync", ("How do we sync employees and managers from $hris?",),
         "Integrations → $hris → Connect, then choose which fields map to manager and department."),
        ("accounting", "netsuite_sync", ("Which NetSuite role permissions does the Ledgerly integration need?",),
         "Use our bundled Ledgerly Integration role; it has exactly the permissions the connector needs."),
    )
)

GENERAL = (
    S("general_inquiry", ("Do you issue cards to companies outside the US?", "Is Ledgerly a bank?",
                          "Can we import our history from Expensify when we switch?"),
      ("Cards are available to US and Canadian companies today, with the UK coming next year.",
       "Ledgerly isn't a bank — cards are issued by our partner bank and funds are held there.",
       "Yes — send us an Expensify export and we'll import your history during onboarding."),
      area=None),
)

CROSSOVERS = (
    S("billing_question", ("All of our cards stopped working at once — is Ledgerly down?",),
      ("Ledgerly is up: your last card statement wasn't paid because the autopay account was changed, so card "
       "spend was paused. Paying the statement under Billing → Statements turns cards back on within minutes.",),
      stage1="product_issue", area="billing", component="invoices"),
    S("how_to_question", ("Please add a way for employees to write a note on a card transaction.",),
      ("You can already: open the transaction and use Add memo; memos are included in exports.",),
      stage1="feature_request", area="cards", component="virtual_cards"),
    S("configuration_help", ("The Xero sync isn't sending anything any more. Broken?",),
      ("Your Xero connection was authorised for your old organisation; reconnect under Accounting → Xero and "
       "choose the new one.",), stage1="product_issue", area="accounting", component="xero_sync"),
    S("feature_request", ("How do I give a card to a contractor who isn't on payroll?",),
      ("Cards can only be issued to employees at the moment. I've logged your request for contractor cards.",),
      stage1="how_to_question", area="cards", component="physical_cards"),
)

FOREIGN = (
    ForeignReport("es", ("El escáner de recibos toma el subtotal en lugar del total y tengo que corregir cada "
                         "gasto.",), group="receipt_scan_misreads_total"),
    ForeignReport("de", ("Meine Erstattung steht seit Tagen auf „Bezahlt“, aber auf meinem Konto ist nichts "
                         "angekommen.",), group="reimbursement_paid_not_received"),
    ForeignReport("de", ("Der Export nach NetSuite schlägt für unsere deutsche Gesellschaft mit „Invalid "
                         "subsidiary reference“ fehl.",), group="netsuite_subsidiary_sync_error"),
    ForeignReport("fr", ("Pourriez-vous ajouter les indemnités journalières (per diem) selon le pays ?",),
                  group="per_diem_allowances"),
    ForeignReport("fr", ("Notre carte virtuelle est refusée chez $saas alors que le plafond n'est pas atteint.",),
                  group="virtual_card_declined_under_limit"),
    ForeignReport("pt", ("Perdi meu cartão corporativo. Como faço para bloquear?",),
                  group="freeze_or_replace_lost_card"),
    ForeignReport("es", ("¿Cómo conecto Ledgerly con Xero para exportar los gastos?",),
                  scenario=S("configuration_help", ("",), ("Go to Accounting → Xero → Connect and map your "
                                                           "categories to Xero accounts.",),
                             area="accounting", component="xero_sync")),
)

OUTBOUND = (
    Outbound("automated", "Receipts missing for recent card charges",
             ("Hi $first_name, {3|5} of your card transactions still need a receipt. Upload them to keep your "
              "card active.",),
             (("which ones? i thought i uploaded them all", "how_to_question"),)),
    Outbound("admin_initiated", "Your quarterly spend review",
             ("Hi $first_name, I'm your account manager — want to walk through your team's spend trends this "
              "quarter?",),
             (("Sure, does next Tuesday work?", "general_inquiry"),)),
    Outbound("automated", "Your card statement is ready",
             ("Hi $first_name, your Ledgerly card statement for $month is ready. Autopay runs in 5 days.",),
             (("Why is this statement so much higher than last month?", "billing_question"),)),
)

PRODUCT = Product(
    name="Ledgerly",
    slug="ledgerly",
    app_host="app.ledgerly.io",
    help_host="help.ledgerly.io",
    email_domain="ledgerly.io",
    areas=AREAS,
    slots=SLOTS,
    company_words=(
        ("Summit", "Harbor", "Keystone", "Pioneer", "Redwood", "Granite", "Copper", "Horizon", "Sterling",
         "Evergreen", "Tidewater", "Ironbark"),
        ("Logistics", "Consulting", "Builders", "Health", "Foods", "Capital", "Robotics", "Energy", "Outfitters",
         "Systems"),
    ),
    location_names=("Finance", "Sales", "Field Ops", "Marketing", "Engineering", "Executive", "Customer Success",
                    "People", "Procurement", "EMEA", "West Coast", "Facilities"),
    agents=("Priyanka", "Marco", "Hana", "Desmond", "Ruth"),
    teams=("Support", "Card Operations"),
    plans=("Starter", "Growth", "Enterprise"),
    groups=GROUPS,
    oneoff_objects=ONEOFF_OBJECTS,
    oneoff_bugs=ONEOFF_BUGS,
    oneoff_howtos=ONEOFF_HOWTOS,
    oneoff_features=ONEOFF_FEATURES,
    account=ACCOUNT,
    billing=BILLING,
    configuration=CONFIGURATION,
    general=GENERAL,
    crossovers=CROSSOVERS,
    foreign=FOREIGN,
    outbound=OUTBOUND,
    tried=("Force-quitting the app didn't help.", "I'm on the newest app version.",
           "Disconnecting and reconnecting the integration changed nothing."),
    app_paths=("/expenses", "/cards", "/approvals", "/reimbursements", "/accounting", "/settings"),
    default_count=300,
    default_days=60,
    default_output="feedback_assets/data/holdout_ledgerly/conversations.jsonl",
    default_labels="feedback_assets/data/holdout_ledgerly/labels.jsonl",
    label_all=True,
    tag_names=("bug", "cards", "receipts", "accounting", "feature-request", "billing"),
)
