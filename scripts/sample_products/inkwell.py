"""Inkwell — a fictional collaborative notes and documents app, used only as a holdout.

Nobody tunes the offline engine against this product: it measures whether classification, themes and grouping
generalise to vocabulary the engine has never seen. Same shared machinery as Crewline, different words.
"""

from __future__ import annotations

from sample_generator.spec import ForeignReport, IssueGroup, OneOffObject, Outbound, Product, Scenario

AREAS = {
    "editor": ("rich_text", "tables", "comments", "version_history", "templates"),
    "sharing": ("share_links", "permissions", "workspaces", "guests"),
    "sync": ("desktop_sync", "offline_mode", "conflict_resolution"),
    "search": ("full_text_search", "filters", "indexing"),
    "export": ("pdf_export", "markdown_export", "docx_export", "import"),
    "account": ("login", "sso", "two_factor", "members"),
    "billing": ("subscription", "invoices", "seats"),
    "mobile": ("ios_app", "android_app", "ipad_app"),
}

SLOTS = {
    "doc": ("Q3 planning notes", "Onboarding handbook", "Weekly standup", "Board deck draft", "Research log",
            "Interview notes", "Product spec v2", "Meeting minutes", "Grant proposal", "Style guide",
            "Lesson plans", "Client brief", "Reading list", "Retro notes"),
    "desktop": ("Mac app", "Windows app", "desktop app", "MacBook", "Windows laptop"),
    "tablet": ("iPad Air", "iPad Pro", "iPad mini", "10th gen iPad"),
    "phone": ("iPhone 14", "Pixel 8", "Galaxy S23", "iPhone 13 mini", "OnePlus 11"),
    "app_version": ("3.8.1", "3.8.0", "3.7.4", "3.8.2"),
    "idp": ("Okta", "Azure AD", "Google Workspace", "JumpCloud"),
    "role": ("editor-in-chief", "team lead", "office manager", "teacher", "researcher", "product manager",
             "operations lead", "founder", "IT admin", "content strategist"),
    "pages": lambda rng, ctx: str(rng.randrange(4, 90)),
    "browser": ("Chrome", "Safari", "Firefox", "Arc", "Edge"),
}

S = Scenario

GROUPS = (
    IssueGroup(
        key="sync_conflict_overwrites_edits", type="product_issue", area="sync", component="conflict_resolution",
        weight=16, profile="steady",
        reports=(
            "Edits I made on the {train|plane|bus} without internet were overwritten when my laptop came "
            "back online.",
            "Two of us edited \"$doc\" at the same time and {half my changes|my whole section} just vanished.",
            "Inkwell created a \"conflicted copy\" of $doc and the main version lost {an hour|a morning} of "
            "work.",
            "{Sync|Syncing} keeps {clobbering|overwriting} my changes with an older version from my "
            "{phone|other laptop}.",
            "i lost a bunch of edits after reconnecting, the older version won",
            "After {sync|syncing}, paragraphs I wrote offline are {gone|replaced by what was there before}.",
            "My coworker's edits and mine collide and one set is silently thrown away.",
        ),
        asks=("How do I recover edits that got overwritten when I went back online?",
              "How does Inkwell decide which version wins when two devices edited offline? Mine lost."),
        details=("I'm on the $desktop, version $app_version.", "This was in the $workspace workspace.",
                 "It happened {twice|three times} this week.", "$coworker was editing on her $phone at the "
                                                               "time.",
                 "Version history only shows the older text."),
        impacts=("I had to rewrite {two pages|the whole intro} from memory.",
                 "I don't trust working offline anymore."),
        subjects=("Lost edits after sync", "Sync overwrote my changes", "Conflicted copy lost work"),
        replies=("I'm really sorry — our engineers confirmed a bug in conflict resolution where offline "
                 "edits made more than an hour before reconnecting lose to the server copy. A fix is in "
                 "progress, and I've restored your text from our backups.",
                 "This is a known sync bug on our side and it's been escalated to the sync team. Until the "
                 "fix ships, keep the desktop app open until the sync indicator turns green."),
        framings=(("product_issue", 0.85), ("how_to_question", 0.15)),
        paths=("/doc",),
    ),
    IssueGroup(
        key="pdf_export_missing_images", type="product_issue", area="export", component="pdf_export",
        weight=14, profile="steady",
        reports=("When I export to PDF the images are {missing|blank boxes}.",
                 "PDF export drops {every image|all the diagrams|the screenshots} from \"$doc\".",
                 "Exported PDFs show grey placeholders where the pictures should be.",
                 "{pictures|images} dont show up in the pdf, text is fine",
                 "Our {report|newsletter} exports to PDF without any of the embedded {charts|photos}.",
                 "The PDF is $pages pages but every figure is {empty|a broken-image icon}."),
        asks=("How do I get images to show up in the PDF export?",),
        details=("The images were pasted from {Figma|Google Slides|my clipboard}.", "Markdown export keeps "
                                                                                    "them.",
                 "It's the $workspace workspace.", "Exporting from the $desktop and the web gives the same "
                                                   "result."),
        impacts=("We have to send the deck to a client {today|tomorrow}.", "I end up screenshotting pages "
                                                                           "instead."),
        subjects=("PDF export missing images", "Images not in PDF", "Blank images in exported PDF"),
        replies=("Thanks for the example — we reproduced it. Images stored at full resolution above 10 MB "
                 "time out during PDF rendering and are skipped. That's a bug and the export team is fixing "
                 "it.",
                 "Our engineers confirmed this is a bug with images pasted from the clipboard in PDF export. "
                 "A fix is in progress; re-uploading the image as a file works meanwhile."),
        framings=(("product_issue", 0.85), ("how_to_question", 0.15)),
        paths=("/doc", "/export"),
    ),
    IssueGroup(
        key="search_misses_recent_notes", type="product_issue", area="search", component="indexing",
        weight=12, profile="mid",
        reports=("Notes I wrote {this morning|an hour ago|yesterday} don't show up in search at all.",
                 "Search can't find \"$doc\" even when I type the exact title.",
                 "New pages take {hours|most of a day} before they're searchable.",
                 "search only finds old stuff, anything recent is missing",
                 "The search index seems stale — recently edited docs come back with their old text."),
        asks=("How long does it take for new notes to be searchable? Is there a way to refresh the index?",),
        details=("The workspace has about $pages thousand notes.", "Filtering by date doesn't help.",
                 "It works fine in the $desktop, only the web is behind.", "Started around $weekday."),
        impacts=("I keep creating duplicates because I can't find what I wrote.",),
        subjects=("Search not finding new notes", "Search index out of date", "Can't find recent docs"),
        replies=("Thanks — our indexing queue has been running hours behind for large workspaces. "
                 "Engineering confirmed it's a bug and is rolling out a fix; new notes will be searchable "
                 "within a minute again.",),
        framings=(("product_issue", 0.85), ("how_to_question", 0.15)),
        paths=("/search",),
    ),
    IssueGroup(
        key="share_link_access_denied", type="product_issue", area="sharing", component="share_links",
        weight=12, profile="burst:0.5:0.3",
        reports=("People with the share link get \"You don't have access\" even though it's set to anyone "
                 "with the link.",
                 "Public links stopped working — {clients|guests|our students} see a permission error.",
                 "The \"anyone with the link can view\" setting is ignored; outsiders are asked to request "
                 "access.",
                 "shared link to $doc says access denied for everyone outside our team",
                 "Since {yesterday|the update}, every link I share opens a login wall instead of the page."),
        asks=("What do I need to change so people outside our workspace can open a shared link?",),
        others=("A client says she can't log in to see the doc I shared. Does she need an account?",),
        details=("I've {re-created|regenerated} the link twice.", "It's for the $workspace workspace.",
                 "Links created last month still work, new ones don't."),
        impacts=("Our clients think we're sending broken links.",),
        subjects=("Share link access denied", "Public link not working", "Guests can't open shared doc"),
        replies=("This is a bug from Tuesday's release: new share links were created with workspace-only "
                 "access regardless of the setting. It's fixed now for new links, and existing ones are "
                 "being repaired.",
                 "Our engineers confirmed the issue — share links created since the update ignore the public "
                 "setting. It's been escalated and a fix is rolling out today."),
        framings=(("product_issue", 0.75), ("how_to_question", 0.15), ("account_issue", 0.1)),
        paths=("/share",),
    ),
    IssueGroup(
        key="table_paste_loses_formatting", type="product_issue", area="editor", component="tables",
        weight=10, profile="steady",
        reports=("Pasting a table from {Excel|Google Sheets|Numbers} puts everything into one cell.",
                 "Tables pasted into Inkwell lose all their columns and turn into plain text.",
                 "{Copying|Copy-pasting} a spreadsheet range into a note {mangles|destroys} the table.",
                 "paste from sheets = one giant cell. used to work"),
        asks=("How do I paste a table from Excel without it collapsing into one cell?",),
        details=("It's about {10|20|40} rows.", "Pasting as plain text doesn't help.", "I'm on $browser."),
        subjects=("Pasting tables broken", "Table paste into one cell"),
        replies=("We reproduced it — pasting tables from spreadsheets broke in $browser after our editor "
                 "update. Engineering is fixing it; importing the CSV via Insert → Table → From file works "
                 "meanwhile.",),
        framings=(("product_issue", 0.8), ("how_to_question", 0.2)),
    ),
    IssueGroup(
        key="ipad_cursor_jumps", type="product_issue", area="mobile", component="ipad_app",
        weight=10, profile="burst:0.15:0.35",
        reports=("On my $tablet the cursor jumps to the end of the note while I'm typing.",
                 "Typing in the iPad app is impossible, the caret keeps {skipping|leaping} to another line.",
                 "Since the last update, writing on iPad sends my cursor to the top of the page every few "
                 "words.",
                 "ipad app cursor goes crazy when i type fast"),
        asks=("Is there a setting to stop the cursor jumping around on iPad?",),
        details=("I use a {Magic Keyboard|Smart Keyboard|Bluetooth keyboard}.", "App version $app_version.",
                 "It's worse in long notes."),
        subjects=("iPad cursor jumping", "Cursor jumps while typing"),
        replies=("Thanks — it's a known bug in iPad app $app_version with hardware keyboards. A fix is in "
                 "review with Apple.",),
        framings=(("product_issue", 0.9), ("how_to_question", 0.1)),
    ),
    IssueGroup(
        key="restore_previous_version", type="how_to_question", area="editor", component="version_history",
        weight=12, profile="steady",
        reports=("My text just disappeared from \"$doc\" — is Inkwell losing data?",
                 "Half of a page is gone and I didn't delete it. Bug?"),
        asks=("How do I restore an older version of a note?",
              "I accidentally deleted a section — how do I get it back?",
              "Where's the version history? I want to see what $doc looked like {last week|on Monday}.",
              "how to undo changes from yesterday",
              "Can I recover a page someone on my team {overwrote|deleted}?"),
        details=("It's in the $workspace workspace.", "I think $coworker edited it.", "The note is pretty "
                                                                                      "long."),
        subjects=("Restore old version", "Recover deleted text", "Version history"),
        replies=("Nothing is lost! Open the note, click ⋯ → Version history, pick the version from before "
                 "the change and choose Restore. You can also copy just the missing section.",
                 "You can recover it from ⋯ → Version history; every edit is kept for 30 days on your plan. "
                 "Guide: ⟦link:$help_url/version-history|Restoring versions⟧"),
        framings=(("how_to_question", 0.7), ("product_issue", 0.3)),
    ),
    IssueGroup(
        key="move_doc_between_workspaces", type="how_to_question", area="sharing", component="workspaces",
        weight=9, profile="steady",
        asks=("How do I move a note from my private space into the team workspace?",
              "Can I transfer docs between workspaces without copy-pasting everything?",
              "How do I move \"$doc\" to the $workspace workspace?",
              "moving pages between workspaces possible?"),
        reports=("Dragging a doc to another workspace doesn't work, it just snaps back.",),
        details=("It has comments I'd like to keep.", "There are about $pages pages.",),
        subjects=("Move doc to another workspace", "Transfer notes"),
        replies=("Use ⋯ → Move to… and pick the workspace; comments and history come along. Drag-and-drop "
                 "only works within a workspace.",),
        framings=(("how_to_question", 0.8), ("product_issue", 0.2)),
    ),
    IssueGroup(
        key="markdown_export_request", type="feature_request", area="export", component="markdown_export",
        weight=11, profile="steady",
        wants=("Please add Markdown export{ so I can move notes to Obsidian|}.",
               "Would love to export a whole workspace as .md files.",
               "Feature request: export to Markdown with images in a folder.",
               "{A|Any chance of a} plain Markdown export? PDF and Word don't work for our docs site."),
        asks=("How do I export my notes as Markdown?", "Is there a way to get .md files out of Inkwell?"),
        details=("We publish docs with {Hugo|MkDocs|Docusaurus}.", "It's about $pages notes."),
        subjects=("Markdown export", "Export as .md"),
        replies=("Markdown export isn't available yet — only PDF and Word. I've added your vote to the "
                 "request.",
                 "That's not something Inkwell supports today, but I've passed it to our product team."),
        framings=(("feature_request", 0.6), ("how_to_question", 0.4)),
    ),
    IssueGroup(
        key="desktop_full_offline_mode", type="feature_request", area="sync", component="offline_mode",
        weight=9, profile="late",
        wants=("Please make the desktop app fully work offline, including notes I haven't opened recently.",
               "We need a real offline mode — I travel a lot and half my workspace isn't available on the "
               "plane.",
               "Could you let us pin whole workspaces for offline use?"),
        asks=("How do I make all my notes available offline on the $desktop?",),
        details=("I fly every week.", "Our field team has spotty internet."),
        subjects=("Offline mode", "Pin workspace offline"),
        replies=("Right now only recently opened notes are cached offline; full offline workspaces aren't "
                 "supported yet. I've logged your request.",),
        framings=(("feature_request", 0.6), ("how_to_question", 0.4)),
    ),
    IssueGroup(
        key="mention_email_delayed", type="product_issue", area="editor", component="comments",
        weight=3, profile="steady", minor=True,
        reports=("Email notifications for @mentions arrive {hours|half a day} late.",
                 "I get mentioned in a comment and the email only shows up the next day."),
        replies=("Our email queue had a backlog for mention notifications; it's a confirmed bug being fixed.",),
    ),
    IssueGroup(
        key="template_gallery_blank", type="product_issue", area="editor", component="templates",
        weight=2, profile="steady", minor=True,
        reports=("The template gallery is just a blank panel.", "Templates won't load — the picker is empty."),
        replies=("Confirmed, the gallery fails for workspaces with custom templates. A fix is coming.",),
    ),
    IssueGroup(
        key="search_filter_by_author", type="feature_request", area="search", component="filters",
        weight=3, profile="steady", minor=True,
        wants=("Please let us filter search results by author.", "A filter for \"created by\" in search "
                                                                 "would help."),
        replies=("Author filters aren't available yet; I've logged the request.",),
    ),
)

ONEOFF_OBJECTS = (
    OneOffObject("editor", "rich_text", ("heading dropdown", "text colour menu"), ("screen",)),
    OneOffObject("editor", "rich_text", ("checklist block",), ("screen", "list", "form")),
    OneOffObject("editor", "tables", ("table column resize handle",), ("screen",)),
    OneOffObject("editor", "comments", ("comment sidebar", "resolved comments list"),
                 ("screen", "list", "times", "data")),
    OneOffObject("editor", "templates", ("template picker",), ("screen", "list")),
    OneOffObject("editor", "version_history", ("version history panel",), ("screen", "list", "times", "data")),
    OneOffObject("sharing", "permissions", ("share dialog",), ("screen", "form")),
    OneOffObject("sharing", "guests", ("guest list",), ("screen", "list", "numbers")),
    OneOffObject("sharing", "workspaces", ("workspace sidebar",), ("screen", "list", "numbers")),
    OneOffObject("sync", "desktop_sync", ("sync status indicator",), ("times", "data")),
    OneOffObject("search", "full_text_search", ("search results page", "quick search box"),
                 ("screen", "list", "numbers", "data")),
    OneOffObject("search", "filters", ("date filter in search",), ("screen", "form", "times")),
    OneOffObject("export", "docx_export", ("Word export",), ("data",)),
    OneOffObject("export", "import", ("Evernote importer", "import from Google Docs screen"),
                 ("screen", "list", "numbers")),
    OneOffObject("account", "members", ("members page",), ("screen", "list", "numbers", "form")),
    OneOffObject("account", "two_factor", ("two-factor settings",), ("screen", "form")),
    OneOffObject("billing", "invoices", ("billing history page",), ("screen", "list", "numbers")),
    OneOffObject("mobile", "ios_app", ("iPhone app's note list",), ("screen", "list", "times")),
    OneOffObject("mobile", "android_app", ("Android app's editor toolbar",), ("screen",)),
)

ONEOFF_BUGS = tuple(
    S("product_issue", (text,), (reply,), area=area, component=component)
    for area, component, text, reply in (
        ("editor", "rich_text", "Emoji in headings break the table of contents links.",
         "Reproduced — emoji aren't handled in heading anchors. Logged as a bug."),
        ("editor", "comments", "Resolving a comment on mobile un-resolves it on the desktop.",
         "Thanks, confirmed and escalated."),
        ("export", "docx_export", "Word export turns every bullet into a numbered list.",
         "That's a bug in the Word exporter; a fix is planned."),
        ("sharing", "guests", "Guests can see the names of private pages in the sidebar.",
         "Thank you for reporting — we've escalated this as a priority."),
        ("search", "full_text_search", "Searching for words with accents (résumé) finds nothing.",
         "Confirmed, accent folding is missing in search. Engineering is on it."),
        ("mobile", "android_app", "The Android app crashes when I open a note with a very large table.",
         "We reproduced the crash and it's fixed in the next release."),
        ("export", "import", "Importing from Evernote drops all the tags.", "That's a known bug; fix in "
                                                                            "progress."),
        ("editor", "templates", "Dates in templates are filled in with the US format even though we're in "
                                "the UK.",
         "Thanks, logged as a localisation bug."),
    )
)

ONEOFF_HOWTOS = tuple(
    S("how_to_question", (question,), (answer,), area=area, component=component)
    for area, component, question, answer in (
        ("editor", "rich_text", "How do I add a table of contents to a long note?", "Type /toc on an empty "
                                                                                    "line."),
        ("editor", "comments", "How do I see all comments I've been mentioned in?", "Open Inbox → Mentions."),
        ("sharing", "permissions", "How do I make a page view-only for most of the team?",
         "Share → set the workspace to Can view and add editors individually."),
        ("sharing", "guests", "How do I invite a freelancer to just one page?", "Share → Invite guest by "
                                                                                "email."),
        ("editor", "templates", "How do I save a note as a template?", "⋯ → Save as template."),
        ("search", "filters", "How do I search only inside one workspace?", "Use the workspace filter in "
                                                                            "search."),
        ("export", "docx_export", "How do I export a page to Word?", "⋯ → Export → Word."),
        ("export", "import", "How do I import my Google Docs?", "Settings → Import → Google Docs."),
        ("mobile", "ios_app", "How do I add the quick note widget on iPhone?",
         "Long-press the home screen → + → Inkwell."),
        ("account", "members", "How do I remove someone from our workspace?", "Settings → Members → Remove."),
        ("editor", "rich_text", "How do I change the default font for the whole workspace?",
         "Settings → Appearance → Default font."),
        ("sync", "desktop_sync", "How do I check whether my notes finished syncing?",
         "The cloud icon at the bottom left turns green when everything is synced."),
        ("editor", "version_history", "How long is version history kept?", "30 days on Team, unlimited on "
                                                                           "Business."),
        ("sharing", "workspaces", "How do I create a separate workspace for a client?", "Sidebar → + New "
                                                                                        "workspace."),
    )
)

ONEOFF_FEATURES = tuple(
    S("feature_request", (text,), (), area=area, component=component)
    for area, component, text in (
        ("editor", "rich_text", "Please add LaTeX math blocks."),
        ("editor", "tables", "Formulas in tables, even simple sums, would be great."),
        ("mobile", "android_app", "An Android home screen widget for quick notes, please."),
        ("editor", "comments", "Could comments support reactions, like a thumbs up?"),
        ("sharing", "permissions", "We need comment-only access for guests."),
        ("export", "pdf_export", "Please let us choose the page size and margins for PDF export."),
        ("search", "full_text_search", "Search inside attached PDFs would be a game changer."),
        ("editor", "templates", "Template variables that fill in today's date would save us time."),
        ("sync", "desktop_sync", "A Linux desktop app, please!"),
        ("account", "sso", "SCIM provisioning for our Okta users would help IT a lot."),
        ("editor", "rich_text", "Dark mode for the web editor."),
        ("export", "import", "Please add an importer for Notion exports."),
        ("mobile", "ios_app", "Apple Pencil handwriting in notes."),
        ("sharing", "share_links", "Password-protected share links, please."),
    )
)

ACCOUNT = (
    S("account_issue", ("I was removed from our workspace by mistake — can you add me back?",
                        "My invite to the $workspace workspace went to my old email."),
      ("I've re-sent the invite to your current address; accept it and you'll be back in.",),
      area="account", component="members"),
    S("account_issue", ("Our workspace owner left and nobody can manage members anymore.",),
      ("After confirming with your billing contact I've made you the workspace owner.",),
      area="account", component="members"),
)

BILLING = (
    S("billing_question", ("We're billed for {15|22} editors but half of them only read. Do viewers count as "
                           "seats?",),
      ("Viewers are free; only editors count. I've switched 8 read-only members to viewers, so your next "
       "invoice is lower.",), area="billing", component="seats"),
    S("billing_question", ("Is there an education discount for schools?",),
      ("Yes — schools get 50% off Team. Send us your school's domain and I'll apply it.",),
      area="billing", component="subscription"),
)

CONFIGURATION = tuple(
    S("configuration_help", texts, (reply,), area=area, component=component)
    for area, component, texts, reply in (
        ("account", "sso", ("How do we set up SAML SSO with $idp?",),
         "Settings → Security → SSO: add our metadata to $idp and paste theirs back."),
        ("sharing", "permissions", ("How should we set default permissions so new pages are private?",),
         "Settings → Workspace → Default page access → Only me."),
        ("sync", "desktop_sync", ("Our firewall blocks the desktop app. Which domains need to be allowed?",),
         "Allow *.inkwell.app and sync.inkwell.app on port 443."),
        ("export", "import", ("How do I configure the nightly Google Drive backup?",),
         "Settings → Integrations → Google Drive → Backups → Nightly."),
        ("account", "two_factor", ("How do I require 2FA for everyone in the workspace?",),
         "Settings → Security → Require two-factor authentication."),
    )
)

GENERAL = (
    S("general_inquiry", ("Does Inkwell work for a class of 30 students?", "Is there an API to create notes?"),
      ("Yes — many teachers use Inkwell with their classes.", "We have a REST API; docs are in Settings → "
                                                              "API."),
      area=None),
)

CROSSOVERS = (
    S("billing_question", ("I can't create new pages anymore — the button does nothing. Is it broken?",),
      ("Your workspace hit the free plan's page limit, which disables new pages. Upgrading under Billing → "
       "Plan lifts it immediately.",), stage1="product_issue", area="billing", component="subscription"),
    S("how_to_question", ("Please add a way to lock a page so nobody edits it by accident.",),
      ("You can already do that: ⋯ → Lock page. Only owners can unlock it.",),
      stage1="feature_request", area="editor", component="rich_text"),
    S("configuration_help", ("The desktop app won't sync at the office but works at home. Bug?",),
      ("Your office proxy blocks our sync endpoint; ask IT to allow sync.inkwell.app.",),
      stage1="product_issue", area="sync", component="desktop_sync"),
)

FOREIGN = (
    ForeignReport("es", ("Cuando exporto a PDF, las imágenes no aparecen, solo cuadros grises.",),
                  group="pdf_export_missing_images"),
    ForeignReport("de", ("Nach dem Synchronisieren waren meine offline gemachten Änderungen weg.",),
                  group="sync_conflict_overwrites_edits"),
    ForeignReport("fr", ("Comment restaurer une ancienne version d'une note ?",), group="restore_previous_version"),
    ForeignReport("pt", ("Vocês poderiam adicionar exportação em Markdown?",), group="markdown_export_request"),
)

OUTBOUND = (
    Outbound("automated", "Your workspace is almost full",
             ("Hi $first_name, your workspace has used 90% of its storage. Upgrade to keep adding files.",),
             (("What counts toward storage?", "billing_question"),)),
    Outbound("admin_initiated", "New: AI summaries",
             ("Hi $first_name, we just launched one-click summaries for long notes. Want early access?",),
             (("yes please!", "general_inquiry"),)),
)

PRODUCT = Product(
    name="Inkwell",
    slug="inkwell",
    app_host="app.inkwell.app",
    help_host="help.inkwell.app",
    email_domain="inkwell.app",
    areas=AREAS,
    slots=SLOTS,
    company_words=(
        ("Bright", "Northwind", "Paper", "Quill", "Studio", "Lantern", "Fable", "Atlas", "Ember", "Meridian",
         "Willow", "Beacon"),
        ("Labs", "Press", "Academy", "Collective", "Agency", "Research", "Partners", "School", "Media", "Works"),
    ),
    location_names=("Marketing", "Engineering", "Research", "Design", "Sales", "Teaching", "Editorial", "Ops",
                    "Leadership", "Personal", "Clients", "Product"),
    agents=("Noor", "Felix", "Ines", "Theo", "Maya"),
    teams=("Support", "Success"),
    plans=("Free", "Team", "Business"),
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
    tried=("Restarting the app didn't help.", "I'm on the latest version.", "Logged out and in again, same."),
    app_paths=("/doc", "/search", "/settings", "/workspace"),
    default_count=300,
    default_days=60,
    default_output="feedback_assets/data/holdout/conversations.jsonl",
    default_labels="feedback_assets/data/holdout/labels.jsonl",
    label_all=True,
    tag_names=("bug", "export", "sync", "feature-request", "billing"),
)
