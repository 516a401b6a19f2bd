"""Product-independent phrasing pools: how customers open, introduce themselves, complain, ask and sign off;
how support greets, asks for details, confirms and closes; spam, canned greetings, outbound messages,
generic account/billing/general questions, one-off faults, and the same in Spanish, German, French and
Portuguese. Product words come in through slots ($product, $role, $help_url, ...)."""

from __future__ import annotations

from .spec import Outbound, Scenario

FIRST_NAMES = (
    "Maria", "James", "Aisha", "Chen", "Diego", "Priya", "Tom", "Fatima", "Lucas", "Grace", "Kwame", "Sofia",
    "Ivan", "Hannah", "Mateo", "Yuki", "Olivia", "Rahul", "Emma", "Jamal", "Lena", "Carlos", "Mei", "Noah",
    "Zainab", "Liam", "Ana", "Tariq", "Chloe", "Ben", "Elif", "Marcus", "Ingrid", "Jorge", "Nadia", "Sam",
    "Tyler", "Keisha", "Hiroshi", "Camille", "Pedro", "Aaliyah", "Oskar", "Daniela", "Kevin", "Joanna",
    "Bilal", "Rosa", "Erik", "Leila", "Andre", "Molly", "Sanjay", "Beatriz", "Connor", "Amara", "Felix",
    "Jess", "Ravi", "Claire", "Dmitri", "Lupe", "Owen", "Harper", "Musa", "Kate", "Thiago", "Zoë", "René",
    "José", "Siobhan", "Dev", "Luz", "Greta", "Malik", "Renée", "Ahmed", "Paula", "Victor", "Nina",
)
LAST_NAMES = (
    "Garcia", "Smith", "Okafor", "Nguyen", "Patel", "Müller", "Johnson", "Rossi", "Kim", "Silva", "Brown",
    "Haddad", "Kowalski", "Tanaka", "O'Brien", "Hernández", "Wright", "Dubois", "Schmidt", "Chen", "Lopez",
    "Mensah", "Novak", "Ivanova", "Campbell", "Fernandes", "Yilmaz", "Andersson", "Walker", "Moreau", "Reyes",
    "Singh", "Baker", "Costa", "Murphy", "Ali", "Jensen", "Bianchi", "Ortiz", "Clarke", "Sato", "Peña",
    "Khan", "Lindqvist", "Adeyemi", "Fischer", "Gómez", "Hughes", "Nakamura", "Santos",
)

OPENINGS = (
    "Hi,", "Hi there,", "Hello,", "Hey!", "Hey there —", "Hi $product team,", "Hello $product support,",
    "Good {morning|afternoon},", "Hi support,", "Hiya,", "Morning all,", "Hi again,", "Hey folks,",
    "Hi, hope you're {well|doing well}.", "Hello team,", "Quick one:", "Hi — {quick|small} question.",
    "Hey {guys|team},", "Hi! {First time writing in.|Long time user, first time contacting you.}",
    "Dear {support|$product} team,", "To whom it may concern,", "Hello again,",
)
INTROS = (
    "I'm the $role at $company.",
    "{We've been using|We use|We switched to} $product at $company {for about a year|since the spring|for a "
    "few months|since last year|for two years now}.",
    "I look after $product for {our team|the whole company|$company}.",
    "This is $first_name from $company.",
    "{I'm|I am} $first_name, $role {at|for} $company.",
    "{Some context:|For context,} I'm {an admin|the main admin|one of the admins} on our $company account.",
    "{We're|We are} a {small|mid-size|growing} team {and|—} $product is {pretty central|key} to how we work.",
)
ASKS = (
    "Is this a known issue?", "Can someone {take a look|look into this}?", "Any idea what's going on?",
    "Is there a fix or {a workaround|at least a workaround}?", "Please advise.", "Could you check on your "
                                                                                 "end?",
    "What should I do?", "Let me know if you need more {info|details}.", "Is anyone else seeing this?",
    "Is this something on our side or yours?", "How do we fix this?", "Can you help?",
    "Can you tell me what's happening?", "Did something change recently?", "Any help {appreciated|welcome}.",
)
TRIED = (
    "I already tried logging out and back in.", "{Clearing the cache|A hard refresh} didn't help.",
    "Tried a different browser, same thing.", "I've checked the help center but couldn't find anything.",
    "{We restarted|I rebooted} {the phone|our devices|everything}, no change.",
    "I tried {again|twice more} {this morning|an hour ago} and got the same result.",
)
FRUSTRATED = (
    "This is getting really frustrating.", "Honestly this is the {second|third} time this {month|week}.",
    "We pay for {this|a paid plan} and this keeps happening.", "I need this sorted {today|ASAP}.",
    "Not happy about this {tbh|to be honest}.", "This is {ridiculous|unacceptable} at this point.",
    "{Please|PLEASE} fix this.", "I've lost {an hour|half my morning} to this already.",
)
POLITE = (
    "No rush, just wanted to flag it.", "Thanks for all your help as always!", "Appreciate you looking into "
                                                                               "it.",
    "Not urgent, but {a bit annoying|worth a look}.", "Love the product otherwise!", "Sorry if this was "
                                                                                     "asked before.",
)
URGENT = (
    "{Pretty|Very|Kind of} urgent please.", "URGENT", "This is blocking us right now.",
    "We need this working before {tomorrow|the weekend|$weekday}.", "Time-sensitive, sorry!",
)
GENERIC_IMPACTS = (
    "{My|Our} team {is|are} {annoyed|confused} and I keep getting {texts|calls|messages} about it.",
    "It's costing us {time|hours} every week.", "I have to fix it by hand every time.",
    "We might have to go back to spreadsheets if this {continues|keeps up}.",
    "It makes us look {bad|unprofessional} in front of {our staff|clients}.",
    "{Nobody|No one} on the team trusts the numbers anymore.",
)
CLOSINGS = (
    "Thanks!", "Thanks in advance.", "Cheers, $first_name", "Thank you", "Best, $first_name", "Thanks, "
                                                                                              "$first_name",
    "Regards, $first_name $last_name", "Appreciate it 🙏", "ty", "Thanks so much!", "Many thanks.",
    "Thx", "Thank you for your help.", "Talk soon,", "Cheers",
)
EMOJI_BY_TONE = {
    "neutral": ("🙏", "😅", "🤔", "🙂"), "frustrated": ("😤", "🙁", "😡"), "polite": ("🙂", "🙏", "😊"),
    "urgent": ("😬", "🙏", "‼️"),
}

# --- support side ---------------------------------------------------------------------------------------

SUPPORT_GREETINGS = (
    "Hi $first_name,", "Hey $first_name!", "Hi $first_name, thanks for reaching out.", "Hello $first_name,",
    "Thanks for getting in touch, $first_name.", "Hi $first_name 👋", "Hi there $first_name,",
)
SUPPORT_EMPATHY = (
    "Sorry for the trouble with this!", "I can see how confusing that is.",
    "Thanks for the detailed report — that really helps.", "Apologies for the hassle.",
    "Thanks for your patience while I looked into this.", "Good question!",
)
SUPPORT_CLARIFY = (
    "Could you tell me which device and app version you're on?", "Can you send me a screenshot of what you "
                                                                 "see?",
    "Which location or workspace is this happening in?", "Roughly when did you first notice this?",
    "Could you share the link to the page where this happens?",
    "Does it happen for everyone on your team or just some people?",
)
SUPPORT_FOLLOWUP = (
    "Let me know if there's anything else I can help with!", "Feel free to reply here if anything else comes "
                                                             "up.",
    "I'll keep this conversation open and update you.", "Hope that helps!", "Have a great rest of your day!",
    "Shout if you have any other questions.",
)
SUPPORT_SIGNOFF = ("$agent", "— $agent", "Best, $agent", "$agent | $product Support", "Cheers, $agent", "")
SUPPORT_ACK = (
    "Thanks for flagging — I'm looking into this now and will get back to you.",
    "Got it, I'm passing this along to the right team and will update you here.",
    "Thanks! Let me check a couple of things and come back to you.",
)
BUG_CONFIRMED = (
    "{I was able to reproduce this|Our engineers confirmed this is a bug|This is a known issue on our side} "
    "— {a fix is in progress|we're working on a fix|I've escalated it to our engineering team}.",
)
FEATURE_GAP = (
    "{Unfortunately that isn't possible in $product today|That's not something $product supports yet|We "
    "don't have that feature at the moment}, but I've {passed your feedback to our product team|logged it as "
    "a feature request|added your vote to the existing request}.",
)
CUSTOMER_THANKS = (
    "Thanks, that worked!", "Ah I see, found it. Thank you!", "Perfect, thanks for the quick reply 👍",
    "ok thanks", "That did it, appreciate it.", "Great, thank you so much!", "Got it, thanks!",
)
CUSTOMER_WAITING = (
    "Ok, please let me know when it's fixed.", "Any ETA on the fix?", "Thanks. Please keep me posted.",
    "Ok. Is there a workaround in the meantime?", "Thanks for confirming — we'll wait for the fix.",
)
CUSTOMER_DISAPPOINTED = (
    "That's disappointing, we really need this.", "Ok. Please count my vote, this would help a lot.",
    "Hm ok. Any idea if it's on the roadmap?", "Thanks for passing it on, hope it gets built!",
)
BOT_AUTOREPLIES = (
    "Thanks for reaching out! The team typically replies {in a few hours|in under an hour|within a day}.",
    "Hi there 👋 Our team will be with you shortly. In the meantime, our help center might have the answer: "
    "⟦link:$help_url|$help_host⟧",
    "Thanks for your message. You'll get replies here and by email.",
    "Got it! We've passed your message to the team. Typical reply time: {a few minutes|a few hours|1 day}.",
)
GENERIC_NOTES = (
    "Checked the logs, nothing obvious yet.", "Escalating to tier 2.", "Customer is on $plan, $n seats.",
    "Same as the other reports this week?", "Flagged in #support-escalations.", "Asked for screenshots.",
)
NOTES_BUG = (
    "Linked to $ticket.", "Known issue — see $ticket.", "Added to $ticket, +1 affected account.",
    "Eng confirmed, tracking in $ticket.",
)
CLOSE_MESSAGES = ("", "", "", "Closing this out — just reply if you need anything else!")

# --- non-actionable, product-independent scenarios -------------------------------------------------------

ACCOUNT = (
    Scenario(
        "account_issue",
        (
            "I {requested|asked for} a password reset {twice|three times|a few times} but the email never "
            "{arrives|shows up}. {Checked spam too.|Not in spam either.} Can you help me get back in?",
            "{Password reset link isn't coming through|Not getting the reset password email}. My login is "
            "$email.",
            "forgot my password and the reset email {isnt|isn't} arriving. {help|pls help}",
        ),
        (
            "I've sent a fresh password reset link to $email — it expires in 1 hour. If it still doesn't "
            "arrive, please add our domain to your safe senders.",
            "Looks like the reset emails were being bounced by your mail server. I've sent a new password "
            "reset link just now; let me know if it lands.",
        ),
        subjects=("Password reset", "Can't reset password", "reset email not arriving"),
        followups=CUSTOMER_THANKS,
    ),
    Scenario(
        "account_issue",
        (
            "I got a new phone and lost my {authenticator app|2FA codes}. Now I can't log in because it asks "
            "for the {two-factor|2FA|verification} code. How do I get back into my account?",
            "Locked out — {my old phone died|I switched phones} and the two-factor code {was on it|went with "
            "it}. {Can you reset 2FA for me?|Can you turn off 2FA on my account?}",
        ),
        (
            "I've verified your identity and reset two-factor authentication on your account. Next time you "
            "log in you'll be asked to set it up again.",
            "No problem — after verifying the account owner I've removed the old 2FA device. You can log in "
            "with your password and enrol the new phone.",
        ),
        subjects=("Lost 2FA device", "2FA reset", "Locked out"),
        followups=CUSTOMER_THANKS,
    ),
    Scenario(
        "account_issue",
        (
            "Can you change the email on my account from $email to {my new work address|a new address}? {We "
            "changed domains.|Our company was renamed.}",
            "I need to update my login email — {I'm leaving the old address|the old one is being shut down}. "
            "How can I do that without losing my history?",
        ),
        (
            "Done — I've updated the login email on your account. Your history stays exactly as it was.",
            "You can change it yourself under Profile → Account → Email, but I've gone ahead and updated it "
            "for you.",
        ),
        subjects=("Change login email", "Update my email address"),
        followups=CUSTOMER_THANKS,
    ),
    Scenario(
        "account_issue",
        (
            "Our previous admin left the company and we need to {transfer ownership|make me the account "
            "owner}. {They aren't reachable anymore.|Their email is already deactivated.}",
            "How do I become the owner of our $product account? The person who set it up {is gone|left in "
            "$month} and nobody can change billing.",
        ),
        (
            "Once you send us a short note on company letterhead (or from your company's domain with a "
            "second admin cc'd) we can transfer ownership. I've started the request on our side.",
            "I've transferred account ownership to you after confirming with your second admin. You should "
            "now see the Owner badge.",
        ),
        subjects=("Transfer account ownership", "Previous admin left"),
    ),
    Scenario(
        "account_issue",
        (
            "Please delete my account and all my personal data{ under GDPR|}. I {no longer work at "
            "$company|don't use $product anymore}.",
            "I'd like {a copy of|an export of} all the personal data you hold about me, {under GDPR|please}.",
        ),
        (
            "I've submitted your data request. You'll receive a confirmation email within 30 days, usually "
            "much sooner.",
            "Your account and personal data have been scheduled for deletion; you'll get a confirmation "
            "email once it's complete.",
        ),
        subjects=("GDPR request", "Delete my data"),
    ),
    Scenario(
        "account_issue",
        (
            "It says my account is locked after too many login attempts. {I definitely have the right "
            "password now.|I mistyped my password a few times.} How long until I can try again?",
            "\"Account temporarily locked\" — {what does that mean|why} and how do I unlock it?",
        ),
        (
            "Accounts unlock automatically after 30 minutes, but I've unlocked yours now so you can log in "
            "straight away.",
            "I've unlocked your account. If you're unsure of the password, use \"Forgot password\" to set a "
            "new one.",
        ),
        subjects=("Account locked",),
        followups=CUSTOMER_THANKS,
    ),
    Scenario(
        "account_issue",
        (
            "I somehow have two accounts — one with my work email and one with my personal Gmail. Can you "
            "merge them? {All my stuff is on the personal one.|I only want to keep the work one.}",
        ),
        (
            "I've moved everything onto your work account and closed the duplicate. Log in with your work "
            "email from now on.",
        ),
        subjects=("Duplicate accounts",),
    ),
)

BILLING = (
    Scenario(
        "billing_question",
        (
            "Could you {resend|send me} the invoice for {last month|$month} with our VAT number on it? Our "
            "finance team needs it {for the books|before month end}.",
            "Need an invoice with {our company's tax ID|our VAT ID} added{, please|}. The one we got only "
            "has my name on it.",
            "Where can I download {past invoices|our invoices}? {Accounting is asking.|Our accountant needs "
            "them.}",
        ),
        (
            "You can add a tax ID under Billing → Company details and every future invoice will include it. "
            "I've regenerated last month's invoice with the VAT number and emailed it to you.",
            "All invoices are under Billing → Invoices. I've added your VAT ID and re-sent the latest one.",
        ),
        subjects=("Invoice with VAT number", "Invoice request", "Tax ID on invoice"),
        followups=CUSTOMER_THANKS,
    ),
    Scenario(
        "billing_question",
        (
            "We were charged twice this month — {two|2} identical charges of $money on {the same day|$date}. "
            "Can you refund one?",
            "Double charge on our card{!|.} {Please fix|Please refund the duplicate}.",
            "Our bank shows {two payments|a second payment} to $product this month. {Is that right?|Why?}",
        ),
        (
            "Sorry about that — the second charge was a duplicate. I've processed a refund for $money; it "
            "should appear on your statement within 5–10 business days.",
            "You're right, that was a duplicate payment. The refund has been issued and you'll get a receipt "
            "by email.",
        ),
        subjects=("Charged twice", "Duplicate charge", "Double payment"),
        followups=CUSTOMER_THANKS,
        tags=("billing",),
    ),
    Scenario(
        "billing_question",
        (
            "We'd like to switch from monthly to {yearly|annual} billing. {Is there a discount?|How much do "
            "we save?} And does it start right away?",
            "What's the price difference between monthly and annual? Thinking of {switching|committing for a "
            "year}.",
        ),
        (
            "Annual billing saves you two months compared to monthly. You can switch under Billing → Plan; "
            "the change applies at your next renewal and we prorate the difference.",
        ),
        subjects=("Annual billing", "Switch to yearly"),
    ),
    Scenario(
        "billing_question",
        (
            "How do I cancel our subscription? {We're closing one of our businesses.|Budget got cut.|We're "
            "moving to another tool.} {Will we get a refund for the unused months?|}",
            "Please cancel our plan at the end of the current billing period{. Thanks|}.",
        ),
        (
            "I'm sorry to see you go! I've set your subscription to cancel at the end of the current period, "
            "so you keep access until then. We don't refund partial months on monthly plans.",
            "You can cancel any time under Billing → Plan → Cancel subscription. I've gone ahead and "
            "scheduled the cancellation for your renewal date.",
        ),
        subjects=("Cancel subscription", "Cancellation"),
    ),
    Scenario(
        "billing_question",
        (
            "Our card {expired|was replaced} and {the payment failed|we got a failed payment email}. How do "
            "I update the card{ so we don't lose access|}?",
            "Need to update the credit card on file{ — new company card|}.",
        ),
        (
            "You can update the card under Billing → Payment method. Once it's saved we'll retry the failed "
            "payment automatically within 24 hours.",
        ),
        subjects=("Update payment method", "Failed payment"),
        followups=CUSTOMER_THANKS,
    ),
    Scenario(
        "billing_question",
        (
            "Do you offer a {nonprofit|non-profit|charity} discount? We're a registered {charity|501(c)(3)} "
            "{and budgets are tight|with a small team}.",
            "Is there education or nonprofit pricing?",
        ),
        (
            "Yes — registered nonprofits get 30% off any plan. Send us proof of status and I'll apply the "
            "discount to your next invoice.",
        ),
        subjects=("Nonprofit discount",),
    ),
    Scenario(
        "billing_question",
        (
            "Our renewal price went up {by quite a bit|compared to last year}. {Why?|Can you explain the "
            "increase?} {Nobody told us.|I don't remember any notice.}",
            "Why is this month's invoice {higher|more} than {usual|last month}?",
        ),
        (
            "The difference comes from the number of seats billed this period — you added several users "
            "mid-cycle, which were prorated. The invoice line items show the breakdown.",
            "Our list prices changed on the renewal date (we emailed admins 60 days before). I've attached "
            "the breakdown and applied a one-time loyalty credit.",
        ),
        subjects=("Price increase", "Invoice higher than expected"),
    ),
    Scenario(
        "billing_question",
        (
            "Can we pay by bank transfer / invoice instead of card? {Our procurement requires it.|Company "
            "policy.}",
            "Is it possible to be billed in {EUR|GBP|CAD} instead of USD?",
        ),
        (
            "Invoice billing with bank transfer is available on annual plans. I've switched your account; "
            "the next invoice will have the bank details.",
            "We can bill in EUR, GBP or CAD from your next renewal — I've updated the currency on your "
            "account.",
        ),
        subjects=("Payment by invoice", "Billing currency"),
    ),
)

GENERAL = (
    Scenario(
        "general_inquiry",
        (
            "Are you SOC 2 compliant? Our security team {is asking|needs the report} before we roll $product "
            "out further.",
            "Do you have a DPA (data processing agreement) we can sign? {Legal needs it.|For GDPR.}",
            "Where is our data hosted? {Do you have EU data residency?|Is it in the US?}",
        ),
        (
            "Yes, we have a SOC 2 Type II report — I've sent it over under NDA.",
            "Our DPA is available at ⟦link:https://$app_host/legal/dpa|our legal page⟧; you can sign it "
            "electronically there.",
        ),
        subjects=("Security questionnaire", "SOC 2 report", "DPA"),
    ),
    Scenario(
        "general_inquiry",
        (
            "Do you have a status page? {We want to know when there are outages.|Want to subscribe to "
            "incidents.}",
            "Is there a public roadmap somewhere?",
            "Do you have a partner or reseller program? {We set up tools for our clients.|We're a "
            "consultancy.}",
        ),
        (
            "Yes — you can subscribe to updates on our status page. I've sent you the link by email.",
            "We don't publish a full roadmap, but our changelog is updated every week.",
            "We do! I've connected you with our partnerships team by email.",
        ),
        subjects=("Status page", "Roadmap", "Partner program"),
    ),
    Scenario(
        "general_inquiry",
        (
            "Just wanted to say thanks to $agent for the help last week — {super quick|really helpful}!",
            "No question, just a thank you. $product has made {our lives|my week} so much easier.",
            "Love the {new update|latest release}, great work team 🙂",
        ),
        ("Aw, thank you! I'll pass this on to the team — it made our day.", "Thanks so much for the kind "
                                                                            "words!"),
    ),
    Scenario(
        "general_inquiry",
        (
            "Can I book a demo for {my business partner|our operations director|the rest of our team}? "
            "{We're evaluating a few tools.|We're still deciding on a plan.}",
            "Who should I talk to about {an enterprise plan|a bigger rollout|a quote for 300 people}?",
        ),
        ("I've sent you a link to book time with our team.", "I've looped in our sales team — they'll email "
                                                             "you today."),
        subjects=("Demo request", "Enterprise pricing"),
    ),
    Scenario(
        "general_inquiry",
        (
            "Are you hiring? I'd love to work on the {support|product} team.",
            "I'm a {journalist|blogger} writing about {small business software|tools for teams}. Could I ask "
            "a few questions?",
        ),
        ("Thanks for your interest! All open roles are on our careers page.", "I've forwarded this to our "
                                                                              "press contact."),
    ),
)

CROSSOVERS = (
    Scenario(
        "account_issue",
        (
            "The {login page|app} is broken, it keeps saying my password is wrong even though {it's "
            "correct|I just changed it}.",
            "Your login is {broken|bugged}: \"invalid credentials\" every time, {on every browser|on my "
            "phone and laptop}.",
        ),
        (
            "I checked your account: it was locked after several failed attempts, so every try showed the "
            "same error. I've unlocked it and sent you a password reset link.",
            "It turns out your login email has a typo in our system, so the password didn't match. I've "
            "corrected the email on your account — you can log in now.",
        ),
        stage1="product_issue",
        followups=CUSTOMER_THANKS,
    ),
    Scenario(
        "billing_question",
        (
            "Everything is suddenly read-only and {nothing saves|I can't edit anything}. Is $product down?",
            "Getting a {banner|red bar} saying the workspace is {paused|restricted} and half the features "
            "stopped working. Bug?",
        ),
        (
            "Your last payment failed, so the account switched to read-only. Once the card is updated under "
            "Billing → Payment method everything unlocks immediately.",
            "It's not a bug — the subscription lapsed after the card on file was declined. Updating the "
            "payment method restores full access.",
        ),
        stage1="product_issue",
        followups=CUSTOMER_THANKS,
        tags=("billing",),
    ),
)

# --- spam, greetings, outbound ---------------------------------------------------------------------------

SPAM = (
    "Hello,\n\nI was checking your website {$app_host|}and noticed it is not ranking on the first page of "
    "Google for {several|many} important keywords. We are a team of SEO experts and can bring you to the "
    "first page {within 30 days|in 2 weeks} with {100% guarantee|guaranteed results}.\n\nReply YES for a "
    "free audit.",
    "Hi,\n\nWe offer high quality guest posts and dofollow backlinks on DA 50+ sites. Prices start at "
    "$$49.\n\nInterested? Reply to get our list.",
    "Dear {Sir/Madam|CEO|Business Owner},\n\nWe are a software development company with 200+ developers in "
    "{India|Ukraine|Vietnam}. We can build your {mobile app|web platform|MVP} at 40% lower cost. {Can we "
    "schedule a call?|When can we talk?}",
    "{URGENT|Important}: Your account {will be suspended|has been flagged}. Verify your details within 24 "
    "hours here: ⟦link:http://verify-account-security.co/login|verify now⟧",
    "Make $$5000 a week from home with crypto trading!!! Join {our|my} telegram channel "
    "⟦link:https://t.me/fastprofit2026|t.me/fastprofit2026⟧ 🚀🚀🚀",
    "Hi there, I can help you increase sales with our {lead generation|email outreach|LinkedIn automation} "
    "service. We have helped {500+|hundreds of} SaaS companies. Want to see case studies?",
    "Congratulations!!! You have been selected to receive a {$$1000 Amazon gift card|new iPhone 17}. Claim "
    "here ⟦link:http://claim-prize-now.xyz|claim-prize-now.xyz⟧",
    "Hello, your domain {is expiring soon|registration requires renewal}. Renew now to avoid losing your "
    "online presence: ⟦link:http://domain-renewal-services.net|renew⟧",
    "We noticed your company is hiring. We provide pre-vetted {virtual assistants|offshore staff} starting "
    "at $$6/hour. Let me know if you're interested.",
    "Hi! I'm a {UI/UX|graphic} designer and I love your product. I redesigned your {landing page|dashboard} "
    "— can I send it over? My rate is very reasonable.",
    "Buy Instagram followers, TikTok likes, YouTube views. Cheap and fast. {Best prices!|Real accounts!} "
    "WhatsApp +1 555 0{1|2}{3|4}9",
    "Dear friend, I am a {barrister|banker} and I have a business proposal of {$$4.5M|4,500,000 USD} for "
    "you. Please reply with your full name and phone number.",
    "Your invoice #INV-{8842|30117|55190} is attached. Please review and pay today. "
    "⟦link:http://docs-share-view.com/inv|View invoice⟧",
    "Want more reviews on {Google|Trustpilot|G2}? We can get you 50 five-star reviews in a week. 100% safe.",
    "Hola, ofrecemos servicios de posicionamiento SEO y marketing digital a precios increíbles. ¿Le interesa?",
    "I wanted to reach out about a partnership: we'd love to feature $product in our newsletter (120k "
    "readers) for a one-time fee of $$1,500. Let me know!",
    "asdfgh",
    "Hi, is this the right place to get a quote for {roof repair|car insurance|web hosting}?",
)
GREETINGS = (
    "hi", "hello there", "Hello", "hey", "Hi!", "hello?", "Hi 👋", "Good morning", "hey there", "Hi team", "yo",
    "helloooo", "Hello, anyone there?", "hi hi", "hiya", "Good afternoon!", "Hey 🙂", "Hola", "Bonjour", "Hallo",
    "Olá", "test", "Hi, I have a question", "hey, quick question", "Hello?", "hi there!", "Morning",
)
SHORT_MESSAGES = (  # under 20 characters but not greetings: the quality filter's "too short" case
    ("refund pls", "billing_question"), ("cant login", "account_issue"), ("app broken??", "product_issue"),
    ("cancel my plan", "billing_question"), ("2fa not working", "account_issue"), ("invoice?", "billing_question"),
)
GENERIC_OUTBOUND = (
    Outbound(
        "automated",
        "Your trial ends soon",
        (
            "Hi $first_name, your $product trial ends in 3 days. Pick a plan to keep your data and keep your "
            "team {in sync|on track}. ⟦link:https://$app_host/billing|Choose a plan⟧",
        ),
        (
            ("How much is it for {25|40|12} people?", "billing_question"),
            ("thanks, we'll upgrade next week", "general_inquiry"),
            ("Can we get a longer trial? Our {owner|boss} is away until next month.", "billing_question"),
        ),
    ),
    Outbound(
        "automated",
        "Quick question",
        (
            "Hi $first_name, how likely are you to recommend $product to a friend or colleague? Just reply "
            "with a number from 0 to 10.",
        ),
        (("9", "general_inquiry"), ("10! love it", "general_inquiry"), ("6", "general_inquiry")),
    ),
    Outbound(
        "admin_initiated",
        "Checking in",
        (
            "Hi $first_name, I'm $agent from the $product team. I saw your team signed up last week — "
            "anything I can help you set up?",
            "Hey $first_name! Just checking in to see how your first weeks with $product are going. Happy to "
            "jump on a quick call if useful.",
        ),
        (
            ("All good so far, thanks!", "general_inquiry"),
            ("Not interested, please remove me from these emails.", "general_inquiry"),
        ),
    ),
    Outbound(
        "automated",
        "Payment failed",
        (
            "Hi $first_name, we couldn't process the payment for your $product subscription. Please update "
            "your payment method to avoid any interruption.",
        ),
        (("Updated the card, can you retry the charge?", "billing_question"),),
    ),
)

# --- one-off bugs: a product object (``$obj``) combined with one of these faults ---------------------------
# (key, trait, template): a fault only pairs with objects that have its trait ("any" pairs with all), so no
# "the API endpoint is cut off on my phone".

FAULTS = (
    ("blank_screen", "screen", "{The|Our} $obj {shows|is showing} a blank {white |}{screen|page} {since this "
                               "morning|today|since yesterday}."),
    ("generic_error", "screen", "Every time I open the $obj I get {\"Something went wrong\"|an error that "
                                "just says \"Oops\"|a red error banner}."),
    ("slow", "any", "The $obj takes {30 seconds|forever|over a minute} to load{ now|, it used to be instant}."),
    ("stale_data", "data", "The $obj {still shows|is showing} {yesterday's|old|outdated} {data|numbers|info} "
                           "even after refreshing."),
    ("cut_off", "screen", "The $obj is cut off on {smaller screens|my phone|my laptop}, I can't see the "
                          "{last column|bottom part|save button}."),
    ("not_saving", "form", "Changes I make {in|to} the $obj don't {save|stick} — {they revert|everything "
                           "goes back} after a refresh."),
    ("wrong_order", "list", "The $obj {lists things|is sorted} in {a random|the wrong} order{ now|, not "
                            "alphabetical like before}."),
    ("duplicate_entries", "list", "The $obj {shows|lists} {every entry|some items} twice."),
    ("button_dead", "screen", "The {main |}button {in|on} the $obj doesn't {respond|do anything} when I "
                              "click it."),
    ("spinner", "screen", "The $obj just spins and {never finishes loading|never loads}."),
    ("server_error", "any", "I get a 500 error {when I open|whenever I try to use} the $obj."),
    ("wrong_language", "screen", "The $obj {shows up|is} in English even though {my language is set to|our "
                                 "account uses} {Spanish|French|German}."),
    ("overlap", "screen", "{Text|Labels} in the $obj {overlap|run into each other} {on mobile|in Safari|when "
                          "zoomed in}."),
    ("undefined", "screen", "The $obj {says|shows} \"undefined\" {where the name should be|instead of a "
                            "value}."),
    ("logs_out", "screen", "Opening the $obj logs me out {every time|randomly}."),
    ("scroll", "list", "I can't scroll {in|down} the $obj{ on my iPad| in Firefox|}."),
    ("timezone", "times", "The times in the $obj are {off by an hour|in the wrong timezone}{ since the "
                          "clocks changed|}."),
    ("decimals", "numbers", "The $obj shows numbers with {way too many|weird} decimals, like "
                            "{12.3333333|7.0000001}."),
    ("flicker", "screen", "The $obj flickers {constantly|every few seconds} {and it's hard to read|and jumps "
                          "around}."),
    ("dark_mode", "screen", "In dark mode the $obj is {unreadable|black text on a dark background}."),
    ("missing_after_update", "screen", "The $obj {disappeared|is gone} after {the last update|yesterday's "
                                       "update}."),
    ("wrong_count", "numbers", "The count on the $obj {is wrong|doesn't match} — it says {3|12|0} but there "
                               "are {more|fewer}."),
)

# --- other languages --------------------------------------------------------------------------------------

FOREIGN_OPENINGS = {
    "es": ("Hola,", "Buenos días,", "Hola equipo de $product,", "Buenas tardes,"),
    "de": ("Hallo,", "Guten Tag,", "Hallo $product-Team,", "Moin,"),
    "fr": ("Bonjour,", "Bonjour l'équipe $product,", "Salut,", "Bonsoir,"),
    "pt": ("Olá,", "Bom dia,", "Oi equipe $product,", "Boa tarde,"),
}
FOREIGN_CLOSINGS = {
    "es": ("Gracias.", "Muchas gracias, $first_name", "Saludos,", "Un saludo."),
    "de": ("Danke!", "Viele Grüße, $first_name", "Vielen Dank im Voraus.", "Beste Grüße"),
    "fr": ("Merci !", "Merci d'avance,", "Cordialement, $first_name", "Bonne journée"),
    "pt": ("Obrigado!", "Obrigada, $first_name", "Abraços,", "Desde já agradeço."),
}
FOREIGN_SUPPORT_OPENERS = {
    "es": "Hola $first_name, gracias por escribirnos. (Te respondo en inglés para incluir a mi equipo.)",
    "de": "Hallo $first_name, danke für deine Nachricht. (Ich antworte auf Englisch, damit das Team mitlesen "
          "kann.)",
    "fr": "Bonjour $first_name, merci pour votre message. (Je réponds en anglais pour que l'équipe puisse "
          "suivre.)",
    "pt": "Olá $first_name, obrigado pela mensagem. (Vou responder em inglês para incluir a equipe.)",
}
FOREIGN_SCENARIOS = (
    ("es", Scenario(
        "billing_question",
        ("Necesito la factura del mes pasado con el {NIF|CIF} de mi empresa. ¿Dónde la puedo descargar?",
         "Nos cobraron dos veces este mes. ¿Pueden devolver uno de los cargos?"),
        ("I've re-sent last month's invoice with your tax ID added. You can always download invoices under "
         "Billing → Invoices.",),
    )),
    ("de", Scenario(
        "billing_question",
        ("Wir brauchen eine Rechnung mit unserer USt-IdNr. Können Sie die Rechnung für {Oktober|September} "
         "neu ausstellen?",
         "Wie kann ich von monatlicher auf jährliche Zahlung umstellen? Gibt es einen Rabatt?"),
        ("I've reissued the invoice with your VAT ID. Annual billing saves two months and can be switched "
         "under Billing → Plan.",),
    )),
    ("fr", Scenario(
        "account_issue",
        ("Je n'arrive plus à me connecter, je ne reçois pas l'e-mail de réinitialisation du mot de passe. "
         "Pouvez-vous m'aider ?",
         "J'ai changé de téléphone et je n'ai plus accès à mon code de double authentification."),
        ("I've sent a fresh password reset link and reset two-factor authentication on your account.",),
    )),
    ("pt", Scenario(
        "account_issue",
        ("Não consigo entrar na minha conta, diz que a senha está errada. Já tentei redefinir mas o e-mail "
         "não chega.",
         "Preciso mudar o e-mail da minha conta para o novo domínio da empresa."),
        ("I've sent you a new password reset link and updated the email on your account.",),
    )),
    ("es", Scenario(
        "general_inquiry",
        ("¿Tienen la aplicación disponible en español? Algunos de nuestros empleados no hablan inglés.",),
        ("Yes! The apps follow the phone's language, and Spanish is fully supported.",),
    )),
    ("fr", Scenario(
        "billing_question",
        ("Bonjour, est-ce possible d'être facturé en euros plutôt qu'en dollars ?",),
        ("Yes — I've switched your billing currency to EUR from the next renewal.",),
    )),
)
