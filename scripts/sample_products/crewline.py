"""Crewline — the fictional workforce scheduling and time-tracking SaaS of the bundled sample.

Product areas, the recurring issues customers report (each in many phrasings), one-off material, and the
product-specific account, billing, configuration and general questions. The shared machinery in
``sample_generator`` decides how these are combined, worded, timed and rendered.
"""

from __future__ import annotations

from sample_generator.spec import ForeignReport, IssueGroup, OneOffObject, Outbound, Product, Scenario

AREAS = {
    "scheduling": ("shift_editor", "schedule_templates", "shift_swaps", "availability", "schedule_publishing",
                   "open_shifts"),
    "time_tracking": ("mobile_clock_in", "kiosk_clock_in", "timesheets", "geofencing", "breaks"),
    "payroll": ("payroll_export", "overtime_rules", "pay_rates"),
    "mobile_app": ("ios_app", "android_app", "push_notifications", "offline_mode"),
    "integrations": ("google_calendar_sync", "outlook_sync", "slack", "pos_integration", "public_api", "webhooks"),
    "account": ("login", "sso", "two_factor", "user_invites", "roles_permissions", "locations"),
    "billing": ("subscription", "invoices", "seats", "payment_methods"),
    "reporting": ("labor_cost_report", "attendance_report", "csv_export", "dashboards"),
}

ANDROID = ("Samsung Galaxy A54", "Pixel 7a", "Galaxy S23", "Moto G Power", "OnePlus Nord", "Galaxy A14", "Pixel "
                                                                                                         "8",
           "Redmi Note 12", "Galaxy A25")
IPHONE = ("iPhone 13", "iPhone 12 mini", "iPhone SE", "iPhone 15 Pro", "iPhone 14", "iPhone 11", "iPhone 16")

SLOTS = {
    "android": ANDROID,
    "iphone": IPHONE,
    "phone": ANDROID + IPHONE,
    "app_version": ("5.12.0", "5.12.1", "5.11.4", "5.12", "5.11.9"),
    "big_staff": lambda rng, ctx: str(rng.randrange(140, 420)),
    "payroll": ("Gusto", "ADP", "QuickBooks", "Gusto", "ADP"),
    "pos": ("Square", "Toast"),
    "idp": ("Okta", "Azure AD", "Google Workspace", "OneLogin", "Entra ID"),
    "rate": lambda rng, ctx: f"${rng.randrange(14, 31)}.{rng.choice(('00', '50', '25', '75'))}",
    "role": ("store manager", "GM", "owner", "ops lead", "HR admin", "shift supervisor", "office manager",
             "operations director", "payroll admin", "area manager"),
    "browser": ("Chrome", "Safari", "Edge", "Firefox"),
}

S = Scenario  # the pools below are long; a short alias keeps them readable

GROUPS = (
    IssueGroup(
        key="shift_swap_approval_stuck", type="product_issue", area="scheduling", component="shift_swaps",
        weight=30, profile="steady",
        reports=(
            "Shift swaps are stuck on \"{Pending approval|Pending manager approval}\" even after I approve "
            "them.",
            "When I approve a {shift swap|swap request} it {says|shows} approved for a second and then goes "
            "back to pending.",
            "{None of|Half of} the swap requests I approved {this week|yesterday} actually went through{ — "
            "the shifts didn't move|}.",
            "{My staff|Two of my servers|$coworker and $coworker2} swapped shifts, I hit approve, but the "
            "schedule still shows the {original person|old assignment}.",
            "The approve button on trade requests doesn't do anything anymore{, the request just sits "
            "there|}.",
            "Approved swaps {aren't|are not} {showing up|reflected} on the schedule and people are still "
            "getting reminders for the shifts they gave away.",
            "{Swap approvals are broken|Something's off with swap approvals}: I approve, refresh, and it's "
            "back in my approvals inbox.",
            "{we|I} cant get shift trades approved, they stay pending forever",
            "Is the shift swap approval flow down? Nothing I approve {sticks|goes through}.",
            "{Trades|Shift trades} between my {cooks|cashiers|nurses} won't finalize — approval just bounces "
            "back.",
        ),
        asks=(
            "How do I {force|manually push} a shift swap through? I approved it but it's still pending.",
            "What's the right way to approve a swap? I click approve but {nothing changes|it stays pending}, "
            "so I guess I'm doing it wrong?",
            "Do I need to approve swaps somewhere else too? Mine never leave the pending state.",
        ),
        details=(
            "It's happening at {our|the} $store location{ mostly|}.",
            "The swap was for $coworker's $weekday {closing|opening|double} shift.",
            "I'm approving from the {web app|manager app on my phone}{, latest version|}.",
            "{At least|About} $n requests are stuck right now.",
            "Both employees accepted the swap — it's only the manager step that fails.",
            "It {seems|looks} to happen when the two people work at different locations.",
            "Started {around|sometime} {last week|$weekday}.",
            "No error message, it just {silently|quietly} reverts.",
        ),
        impacts=(
            "People are showing up for shifts they traded away and others are no-shows.",
            "I've had to edit the schedule by hand for every swap.",
            "{We had|Yesterday we had} two people show up for the same shift.",
            "My staff think I'm ignoring their requests.",
        ),
        steps=(("Employee requests a swap with a coworker", "Coworker accepts", "I approve it under Approvals",
                "After a refresh it's pending again"),),
        subjects=("Shift swap stuck pending", "Swap approvals not working", "Can't approve trade requests",
                  "shift swaps broken?", "Approved swaps not updating schedule"),
        replies=(
            "Thanks for reporting this — our engineers confirmed a bug where swap approvals fail to save "
            "when the two employees belong to different locations. A fix is scheduled for this week's "
            "release; in the meantime you can reassign the shift directly in the schedule.",
            "I was able to reproduce this: the approval is recorded but the shift assignment isn't updated, "
            "so the request falls back to pending. It's a known issue and it's been escalated to our "
            "scheduling team.",
            "This is a bug on our side, sorry! Swaps approved from the manager mobile app weren't being "
            "applied. Engineering is working on a fix — reassigning the shift in the web schedule works as a "
            "workaround.",
        ),
        notes=("Same as the other swap approval reports — $ticket", "Cross-location swap again. Added to "
                                                                    "$ticket."),
        framings=(("product_issue", 0.85), ("how_to_question", 0.15)),
        tags=("shift-swaps", "bug"), paths=("/schedule/approvals", "/schedule/week"),
    ),
    IssueGroup(
        key="geofence_rejects_valid_location", type="product_issue", area="time_tracking", component="geofencing",
        weight=28, profile="steady",
        reports=(
            "{Staff|My employees|Several people on my team} {can't|cannot} clock in because the app says "
            "they're outside the {geofence|allowed area} even though they're {standing|literally} inside the "
            "{store|building}.",
            "Geofencing is rejecting clock-ins at our $store location — \"You are too far from your work "
            "location\".",
            "The app thinks {we're|people are} {200 meters|half a mile|a block} away when {we're|they're} at "
            "the front door.",
            "Clock-in blocked by the location check{ again|}: the map shows the pin in the {right "
            "spot|building} but it still says out of range.",
            "{half|some} of my {crew|staff} get \"outside of geofence\" when clocking in, the others are fine",
            "Location verification fails for clock-ins {on the second floor|inside the mall|inside the "
            "warehouse}.",
            "The geofence {is way off|seems shifted} — people standing at the register {can't punch in|are "
            "told they're off site}.",
            "Since {the update|updating the app}, {my|our} {employees|cooks|nurses} keep getting the {\"not "
            "at location\"|out-of-range} error when they arrive.",
            "GPS check on clock in is {rejecting|blocking} people who are clearly {at work|on site}.",
        ),
        asks=(
            "How do I stop the app from blocking clock-ins when staff are on site? {Is there a setting I'm "
            "missing|Did I set something up wrong}?",
            "What do I need to change so people inside the store can clock in? It keeps saying they're "
            "outside the geofence.",
        ),
        details=(
            "It's mostly {people on|staff with} $android phones, iPhones seem fine.",
            "Our $store store is inside a shopping mall{, if that matters|}.",
            "The radius is set to {150|200|300} meters and the address is correct.",
            "Location permission is set to \"{Allow all the time|While using the app}\".",
            "It started with the {$app_version|latest} app update.",
            "{At least|About} $n people were affected this morning alone.",
            "When they step outside into the parking lot it suddenly works.",
        ),
        impacts=(
            "Managers have to {add punches manually|fix timesheets} for everyone.",
            "People are {clocking in late|losing pay} because of this.",
            "I had a line of {staff|cooks} waiting at $time trying to clock in.",
        ),
        subjects=("Geofence blocking clock in", "Clock-in says outside location", "Location error when "
                                                                                  "clocking in",
                  "geofencing not working", "Staff can't punch in at store"),
        replies=(
            "Thanks for the details — this is a known bug in app version 5.12 where the geofence check uses "
            "a cached location from before the phone arrived. Our mobile team has a fix in review; until "
            "then, toggling location off and on before clocking in forces a fresh position.",
            "I've confirmed this with engineering: indoor locations with weak GPS report low accuracy, and "
            "our geofence check wrongly rejects those positions even when they're inside the radius. It's a "
            "bug and it's been escalated.",
            "Our engineers reproduced it — the geofence was compared against the location's old coordinates "
            "after an address edit. A fix is rolling out this week.",
        ),
        notes=("Geofence accuracy bug, $ticket", "Another 5.12 geofence report."),
        framings=(("product_issue", 0.85), ("how_to_question", 0.15)),
        tags=("geofence", "mobile"), paths=("/time/clock-in", "/locations"),
    ),
    IssueGroup(
        key="timesheet_rounding_totals", type="product_issue", area="time_tracking", component="timesheets",
        weight=24, profile="steady",
        reports=(
            "Timesheet totals don't add up — the daily hours sum to {38.5|40.25|31.75} but the weekly total "
            "says {38.25|40|31.5}.",
            "The {weekly|pay period} total on timesheets is off by {a few|$minutes} minutes for "
            "{most|several} employees.",
            "Rounding seems to be applied twice: {a shift from 8:07 to 4:02 shows as 7.75h|8:53–5:01 becomes "
            "7.5 hours}.",
            "{Why does|How come} the timesheet {round|show} $coworker's hours differently than the export? "
            "They never match.",
            "Total hours on timesheets are {wrong|slightly wrong} {since we turned on|with} 15-minute "
            "rounding.",
            "Numbers on the timesheet page vs the payroll summary are never the same, {always off by a "
            "quarter hour|off by minutes}.",
            "{our|the} hours totals are off by like 15 min every week, {somethings|something's} wrong with "
            "the math",
            "When I add up the individual shifts myself I get a different total than $product does.",
        ),
        asks=(
            "How is the timesheet total calculated? {My totals|The weekly totals} never match the daily "
            "hours and I can't figure out {the rule|why}.",
            "How do I get the weekly total to match the sum of the days? Is there a rounding setting I set "
            "up wrong?",
        ),
        details=(
            "We round to the nearest {15|5|6} minutes.",
            "It's worse for people with split shifts{ or two breaks|}.",
            "For example $coworker worked {Mon–Fri|four shifts} and the total is {15|7|8} minutes short.",
            "Pay period is {biweekly|weekly} and it happens every period.",
            "The export to $payroll has the {correct|other} number.",
            "I checked about $n employees and {most|all} of them are off.",
        ),
        impacts=(
            "People are getting {underpaid|overpaid} by small amounts and they notice.",
            "I spend {an hour|a couple of hours} every payroll fixing totals by hand.",
            "Our accountant {flagged|questioned} it.",
        ),
        subjects=("Timesheet totals wrong", "Rounding issue on timesheets", "Hours don't add up",
                  "Weekly total mismatch"),
        replies=(
            "You're right — our engineers confirmed the weekly total applies your rounding rule again on top "
            "of the already-rounded daily totals. That's a bug; a fix is in progress and totals will be "
            "recalculated automatically once it ships.",
            "I reproduced this: shifts with more than one break get rounded per segment, so the total drifts "
            "by a few minutes. This is a known issue and it's been escalated to the time tracking team.",
            "Thanks for the examples, they helped us confirm the bug. Until the fix ships, the payroll "
            "export uses the unrounded totals, so that number is correct.",
        ),
        notes=("Rounding double-applied, $ticket",),
        framings=(("product_issue", 0.8), ("how_to_question", 0.2)),
        tags=("timesheets",), paths=("/timesheets", "/timesheets/review"),
    ),
    IssueGroup(
        key="android_push_missing", type="product_issue", area="mobile_app", component="push_notifications",
        weight=26, profile="burst:0.38:0.32",
        reports=(
            "{Android users|Staff on Android|Our Android people} {aren't getting|stopped getting} push "
            "notifications{ for new shifts| for schedule changes|}.",
            "Shift reminders don't arrive on {my|our} $android{ phones|}. iPhone people get them fine.",
            "No push notifications since the latest app update on Android{ — nothing at all|}.",
            "{my|our} staff {on android|with samsung phones} don't get notified when I publish the schedule",
            "Notifications for {open shifts|shift swaps|new schedules} {just don't show up|never come "
            "through} on Android.",
            "{Push|Push notifications} {are broken|stopped working} on Android. The app is allowed to send "
            "notifications in the phone settings.",
            "Nobody on Android got the {\"you're scheduled\"|schedule published} alert this week.",
            "Android app isn't {sending|delivering} any alerts anymore, only the in-app badge updates.",
        ),
        asks=(
            "How do I make sure Android staff get notifications? {We've checked everything on the phones.|Is "
            "there a setting I need to turn on?}",
            "Is there a setting to turn push notifications back on for Android? Our people stopped getting "
            "them.",
        ),
        details=(
            "Phones are mostly $android{ and a couple of older Samsungs|}.",
            "They're on app version $app_version.",
            "{Battery optimisation|Battery saver} is off for the app{, we checked|}.",
            "Reinstalling the app fixed it for one person for a day{ and then it stopped again|}.",
            "$n of our {staff|people} are on Android{, out of $staff|}.",
            "Started {right after|the day after} we updated {on $weekday|last week}.",
        ),
        impacts=(
            "People are missing shifts because they never see the changes.",
            "I'm back to texting everyone their shifts manually.",
            "{We had|There were} $n no-shows this week because of it.",
        ),
        subjects=("Android notifications not working", "No push notifications on Android", "Shift reminders "
                                                                                           "not arriving", "push "
                                                                                                           "notifs "
                                                                                                           "broken", "Android "
                                                                                                                     "app "
                                                                                                                     "not "
                                                                                                                     "notifying "
                                                                                                                     "staff"),
        replies=(
            "Thanks for reporting — this is a known bug in Android app 5.12 where the notification token "
            "isn't refreshed after the update. Our mobile team is shipping 5.12.2 with the fix; once staff "
            "update, notifications resume.",
            "Our engineers confirmed this is a bug affecting Android push notifications since the last "
            "release. A fix is in progress; logging out and back in on the phone re-registers the device as "
            "a workaround.",
            "I've escalated this to our mobile team — it's a confirmed issue with Android 14 devices not "
            "receiving pushes from the latest app version. We'll update you as soon as the fix is live.",
        ),
        notes=("Android push regression — $ticket", "5.12 push token bug, +1."),
        framings=(("product_issue", 0.9), ("how_to_question", 0.1)),
        tags=("android", "notifications"), paths=("/settings/notifications",),
    ),
    IssueGroup(
        key="google_calendar_duplicates", type="product_issue", area="integrations",
        component="google_calendar_sync", weight=22, profile="steady",
        reports=(
            "Google Calendar sync is creating duplicate events — {every|each} shift shows up {two|three|2-3} "
            "times.",
            "After I edit a shift, the old event stays in Google Calendar and a new one is added, so staff "
            "see both.",
            "{My|Our} calendars are full of duplicate $product shifts{ since we turned on the sync|}.",
            "Whenever the schedule is republished, Google Calendar gets another copy of each shift.",
            "The calendar integration {doubles|duplicates} events{. Deleting them doesn't help, they come "
            "back|}.",
            "{my|our} google calendar has like 4 copies of the same shift lol",
            "Staff are confused because their Google {calendars|Calendar} show shifts that were "
            "{moved|cancelled} plus the new ones.",
            "Synced shifts are duplicated in Google {Calendar|Cal} for {some|most} people on the team.",
        ),
        asks=(
            "How do I stop the Google Calendar sync from creating duplicates? Is there a setting?",
            "How do I clean up the duplicate events in Google Calendar and keep the sync on?",
        ),
        details=(
            "It happens for staff at $store{ mostly|}.",
            "We {edit|change} shifts a lot {after publishing|on $weekday}.",
            "Some employees connected two Google accounts{, not sure if related|}.",
            "I disconnected and reconnected the calendar, {same thing|didn't help}.",
            "Cancelled shifts {stay in the calendar|never get removed}.",
        ),
        impacts=(
            "People show up {at the wrong time|for shifts that were moved}.",
            "Staff have started {ignoring|turning off} the calendar sync because it's a mess.",
        ),
        subjects=("Duplicate shifts in Google Calendar", "Calendar sync duplicates", "Google calendar mess",
                  "Shifts appearing twice in calendar"),
        replies=(
            "Thanks for flagging — our engineers confirmed a bug where edited shifts get a new calendar "
            "event ID, so Google keeps the old event. A fix is in progress, and it'll clean up the "
            "duplicates it created.",
            "This is a known issue with the Google Calendar sync when a schedule is republished. It's been "
            "escalated to our integrations team; reconnecting won't help until the fix ships, sorry.",
            "I reproduced it: moving a shift between days leaves the original event behind. It's a bug on "
            "our side and we're working on it.",
        ),
        framings=(("product_issue", 0.85), ("how_to_question", 0.15)),
        tags=("integrations", "google-calendar"), paths=("/integrations/google-calendar", "/schedule/week"),
    ),
    IssueGroup(
        key="payroll_export_missing_overtime", type="product_issue", area="payroll", component="payroll_export",
        weight=22, profile="early",
        reports=(
            "Our {payroll export|export to $payroll} {doesn't include|is missing} overtime hours{ — only "
            "regular hours come through|}.",
            "Overtime {isn't showing up|is missing} in the $payroll export even though timesheets show "
            "{OT|overtime} correctly.",
            "The payroll export {drops|leaves out} the overtime column{ since last week|}.",
            "Employees who worked over 40 hours are exported with 40 regular hours and {zero|no} overtime.",
            "We ran payroll and {nobody|no one} got their overtime paid{ — the export didn't have it|}.",
            "{export to $payroll|the $payroll sync} is only sending regular hrs, OT is gone",
            "{Daily|California daily} overtime isn't carried over when we export to $payroll.",
            "The overtime hours {vanish|disappear} between the timesheet and $payroll.",
        ),
        asks=(
            "How do I get overtime included in the $payroll export? {It only has regular hours.|I can't find "
            "the option.}",
            "Is there a setting so overtime is exported to $payroll? Right now only regular hours go over.",
        ),
        details=(
            "We use $payroll for payroll.",
            "Our overtime rule is {over 40 hours a week|over 8 hours a day}.",
            "{This affected|It affected} $n employees {this pay period|last pay run}.",
            "The overtime shows correctly on the timesheet {screen|page}{, just not in the export|}.",
            "It worked {fine|correctly} {last month|until recently}.",
        ),
        impacts=(
            "We had to run {an off-cycle payroll|a correction run} to pay people their overtime.",
            "This could get us in trouble with labor law if we don't pay OT.",
            "My staff are {upset|rightfully angry} about missing pay.",
        ),
        subjects=("Overtime missing from payroll export", "OT not exported", "Payroll export wrong",
                  "Export to $payroll missing overtime"),
        replies=(
            "I'm sorry about this — our engineers confirmed a bug where overtime calculated by daily rules "
            "wasn't mapped to the overtime earning code in the export. A fix is rolling out, and you can "
            "re-export affected pay periods afterwards.",
            "This is a known issue on our side affecting overtime in payroll exports since the last release. "
            "It's been escalated as high priority; as a workaround, the Overtime report can be exported "
            "separately.",
            "Thanks for reporting. We've reproduced it: overtime is dropped when the pay period crosses a "
            "week boundary. Engineering is working on a fix.",
        ),
        notes=("Payroll OT export bug — $ticket. High priority.",),
        framings=(("product_issue", 0.8), ("how_to_question", 0.2)),
        tags=("payroll", "bug"), paths=("/payroll/export",),
    ),
    IssueGroup(
        key="schedule_publish_timeout", type="product_issue", area="scheduling", component="schedule_publishing",
        weight=20, profile="late",
        reports=(
            "Publishing the schedule {times out|fails with a timeout} for our biggest location{ ($big_staff "
            "staff)|}.",
            "When I hit Publish it spins for {a minute|ages} and then says \"{Request timed out|Something "
            "went wrong}\".",
            "The schedule won't publish for $store — {it just hangs|endless spinner}, and then only some "
            "people get notified.",
            "{Can't|Cannot} publish {next week's|the} schedule, it keeps timing out{ since $weekday|}.",
            "The publish button {fails|errors out} on large schedules; smaller locations publish fine.",
            "Publishing {partially|half} works: some staff see the new schedule and others still see last "
            "week's.",
            "{publish is broken|publishing broke} again, gateway timeout every time for our big store",
            "Got a 504 when publishing the schedule, {twice|three times in a row}.",
        ),
        asks=(
            "Is there a way to publish a big schedule {in parts|without it timing out}? How are we supposed "
            "to do this with $big_staff people?",
            "How do I publish the schedule for a large location? It keeps timing out on me.",
        ),
        details=(
            "That location has {about|around} $big_staff employees.",
            "The schedule has {a lot of|lots of} open shifts{ too|}.",
            "Tried {Chrome and Safari|from two different computers}, same result.",
            "Smaller stores with {20|30} people publish instantly.",
            "Started {after|since} {the new schedule editor|last week's update}.",
        ),
        impacts=(
            "Staff don't know their shifts for {next week|the weekend}.",
            "I have to publish {one department at a time|in chunks}, which takes forever.",
        ),
        subjects=("Publish timing out", "Can't publish schedule", "Schedule publish error 504",
                  "Publishing fails for big location"),
        replies=(
            "Thanks for your patience — engineering confirmed that publishing large schedules times out "
            "because notifications are sent before the request completes. It's a bug and a fix that moves "
            "this to the background is in progress.",
            "This is a known issue for locations with more than about 150 staff since the new editor "
            "launched. It's been escalated; publishing one team at a time works as a workaround.",
            "I was able to reproduce the timeout with a schedule of your size. Our scheduling team is "
            "working on a fix this week.",
        ),
        framings=(("product_issue", 0.85), ("how_to_question", 0.15)),
        tags=("scheduling", "bug"), paths=("/schedule/week", "/schedule/publish"),
    ),
    IssueGroup(
        key="sso_redirect_loop", type="product_issue", area="account", component="sso",
        weight=16, profile="burst:0.6:0.24",
        reports=(
            "SSO login is stuck in a redirect loop — $idp sends us back to the login page over and over.",
            "{Signing|Logging} in with $idp just loops between $product and {the|our} identity provider "
            "until the browser gives up.",
            "None of our managers can log in via SSO{ this morning|}, it keeps bouncing {back and "
            "forth|between pages}.",
            "\"Too many redirects\" when {logging in|signing in} with $idp{ in Chrome|}.",
            "SSO {broke|stopped working} — after entering our $idp credentials I land on the login screen "
            "again.",
            "single sign on loops forever, cant get in",
            "Our SAML login redirects back to the start {every time|endlessly}.",
        ),
        asks=(
            "How do we log in when SSO keeps looping? {Did we misconfigure something on the $idp side?|Is "
            "there something wrong with our SAML setup?}",
            "Do we need to change our $idp settings? Login just redirects in a loop.",
        ),
        others=(
            "I can't get into my account{ this morning|}. {It|The login} keeps {sending|taking} me back to "
            "the {sign-in|login} page after $idp.",
            "Locked out of $product — {every|each} login attempt through $idp ends up back at the start.",
        ),
        details=(
            "We use $idp{ for SSO|}.",
            "It happens in {Chrome and Edge|every browser}{, incognito too|}.",
            "Nothing changed on our side{, our IT team checked|}.",
            "About $staff people {are locked out|can't get in}.",
            "Password login still works for the one admin who has it.",
        ),
        impacts=(
            "Our managers can't {approve timesheets|publish schedules} until this works.",
            "{Whole|Our whole} {company|team} is locked out.",
        ),
        subjects=("SSO redirect loop", "Can't log in with SSO", "Okta login loop", "Too many redirects"),
        replies=(
            "Thanks for reporting — we've confirmed a bug introduced in yesterday's release that breaks SSO "
            "sessions for some identity providers, causing the redirect loop. Engineering has a fix "
            "deploying today.",
            "This is a known issue on our side, not your $idp configuration: our session cookie wasn't being "
            "set after the SAML response. It's been escalated and we'll update you as soon as it's fixed.",
            "I reproduced it with a test $idp tenant — it's a bug in our SSO callback. We're working on it; "
            "admins with password login can still get in.",
        ),
        notes=("SSO loop incident — $ticket",),
        framings=(("product_issue", 0.7), ("how_to_question", 0.15), ("account_issue", 0.15)),
        tags=("sso", "login"), paths=("/login", "/sso/callback"),
    ),
    IssueGroup(
        key="csv_export_garbled_accents", type="product_issue", area="reporting", component="csv_export",
        weight=12, profile="steady",
        reports=(
            "Employee names with accents come out garbled in the CSV export — \"José\" becomes \"JosÃ©\".",
            "The CSV export {breaks|messes up} special characters{ like é, ñ and ü|}.",
            "When I open the attendance export in Excel, {names like Zoë and Renée|all the accented names} "
            "are {gibberish|full of weird symbols}.",
            "CSV files from $product have broken characters for {our Spanish-speaking staff|anyone with an "
            "accent in their name}.",
            "Export to CSV isn't UTF-8 or something? {ñ turns into Ã±|ü shows as Ã¼}.",
            "the export csv is garbling {names|letters} with accents",
        ),
        asks=(
            "How do I export a CSV that keeps accents? {Is there an encoding option?|Excel shows garbage.}",
        ),
        details=(
            "We open the files in Excel{ on Windows|}.",
            "{Google Sheets|Numbers} shows them correctly, Excel doesn't.",
            "It's the {labor cost|attendance|timesheet} export{, haven't tried the others|}.",
            "About $n of our staff have accented names.",
        ),
        impacts=(
            "Our payroll provider rejects the file because of the broken names.",
            "I fix the names by hand every week.",
        ),
        subjects=("CSV export accents broken", "Garbled characters in export", "Special characters in CSV"),
        replies=(
            "Thanks! This is a bug: our CSV exports are UTF-8 but without the byte-order mark Excel needs to "
            "detect it. Engineering has a fix queued; importing through Excel's Data → From Text with UTF-8 "
            "selected works in the meantime.",
            "I've confirmed it with our reporting team — it's a known issue with how Excel opens our CSVs. A "
            "fix adding the proper encoding marker is in progress.",
        ),
        framings=(("product_issue", 0.8), ("how_to_question", 0.2)),
        tags=("reporting",), paths=("/reports/attendance", "/reports/export"),
    ),
    IssueGroup(
        key="copy_previous_week_schedule", type="how_to_question", area="scheduling",
        component="schedule_templates", weight=22, profile="steady",
        reports=(
            "There's no way to copy last week's schedule anymore{ — the option disappeared|}. {Is that a "
            "bug?|Did you remove it?}",
            "The \"Copy week\" {button|option} {is gone|vanished} from the schedule{ after the redesign|}.",
            "Schedule templates don't work: I saved one and {can't find it|it doesn't apply} when I start a "
            "new week.",
        ),
        asks=(
            "How do I copy last week's schedule into next week?",
            "Is there a way to {reuse|duplicate} a week's schedule {instead of|without} building it from "
            "scratch every time?",
            "How do I save our {standard|usual|regular} week as a template and apply it?",
            "Can I {copy|repeat} shifts to the next {few|4} weeks?",
            "{whats|what's} the fastest way to {copy|duplicate} the schedule week to week",
            "How do templates work? I made {a|our} {summer|standard} schedule and want to use it again.",
            "Our schedules are {basically|almost} the same every week{ — how do I|. Can I} avoid re-entering "
            "everything?",
        ),
        details=(
            "We have {about|around} $staff people at $store.",
            "{Most|90%} of the shifts are the same every week.",
            "I'm using the {web app|manager app}.",
            "I've been {adding|typing in} shifts one by one {for months|since we started} 😅",
        ),
        impacts=("It takes me {two hours|half a day} every week to build the schedule.",),
        subjects=("Copy schedule to next week", "Reuse last week's schedule", "Schedule templates",
                  "Duplicate week?"),
        replies=(
            "Yes! In the schedule view, open the ⋯ menu at the top right and choose Copy week, then pick the "
            "target week. You can also save any week as a template under Schedule → Templates → Save current "
            "week and apply it with Templates → Apply.",
            "You can do this under Schedule → ⋯ → Copy previous week. It copies all shifts (without "
            "publishing them) so you can tweak before publishing. Here's our guide: "
            "⟦link:$help_url/articles/copy-a-schedule|Copying a schedule⟧",
            "The option moved in the redesign: it's now under Schedule → Templates. Save the week as a "
            "template and apply it to as many future weeks as you like.",
        ),
        framings=(("how_to_question", 0.8), ("product_issue", 0.2)),
        tags=("scheduling", "how-to"), paths=("/schedule/week", "/schedule/templates"),
    ),
    IssueGroup(
        key="unpaid_break_setup", type="how_to_question", area="time_tracking", component="breaks",
        weight=18, profile="steady",
        reports=(
            "Breaks are being counted as paid time on timesheets, which is wrong{ — our breaks are unpaid|}.",
            "$product isn't deducting the 30-minute lunch break from {hours|shifts}. Bug?",
            "Our timesheets include the break time in the total, so everyone's hours are {inflated|30 "
            "minutes too high}.",
        ),
        asks=(
            "How do I make breaks unpaid so they're {deducted|taken off} from the hours?",
            "Can $product {automatically|auto} deduct a 30-minute break for shifts longer than {6|5} hours?",
            "Where do I set whether breaks are paid or unpaid?",
            "how do i set up unpaid lunch breaks",
            "Is there a way to {auto-deduct|automatically subtract} breaks when staff forget to clock out "
            "for lunch?",
        ),
        details=(
            "Our rule is {30|45} minutes unpaid for shifts over {6|5} hours.",
            "Some staff {forget|never remember} to clock their break in the app.",
            "It's for our {$store|new} location{ only|}.",
            "We're in {California|Ontario|New York}{ if that matters for the rules|}.",
        ),
        impacts=("Payroll is {overpaying|off} because of it.",),
        subjects=("Unpaid breaks", "Auto-deduct breaks", "Breaks counted as paid"),
        replies=(
            "That's controlled by your break settings, not a bug: go to Settings → Time tracking → Breaks, "
            "set the break type to Unpaid and turn on Auto-deduct for shifts longer than 6 hours. It applies "
            "to timesheets from that day on.",
            "You can set this under Settings → Time tracking → Breaks → Paid/unpaid; Auto-deduct is the "
            "toggle just below. Here's the article: ⟦link:$help_url/articles/unpaid-breaks|Setting up unpaid "
            "breaks⟧",
        ),
        framings=(("how_to_question", 0.65), ("product_issue", 0.35)),
        tags=("timesheets", "how-to"), paths=("/settings/time-tracking",),
    ),
    IssueGroup(
        key="open_shifts_hidden_from_staff", type="how_to_question", area="scheduling", component="open_shifts",
        weight=16, profile="mid",
        reports=(
            "Open shifts aren't showing up for my staff in the app{, only I can see them|}.",
            "I posted $n open shifts and {nobody|none of the staff} can see them to claim. Is the feature "
            "broken?",
            "Staff say the Open Shifts tab is empty even though I posted several.",
        ),
        asks=(
            "How do I let staff {pick up|claim} open shifts from the app?",
            "How do employees see open shifts? {Mine say the tab is empty.|I can't figure out where they'd "
            "find them.}",
            "What do I need to turn on so open shifts are visible to my team?",
            "how do staff claim open shifts??",
        ),
        details=(
            "It's for {$store|our second location}.",
            "Staff are on {both iOS and Android|the latest app}.",
            "We {just|recently} started using open shifts.",
        ),
        impacts=("I end up {calling|texting} people to fill gaps.",),
        subjects=("Open shifts not visible", "Staff can't see open shifts", "Claiming open shifts"),
        replies=(
            "Open shifts are only shown to staff once claiming is enabled for the location: go to Settings → "
            "Locations → $store → Open shifts and turn on \"Allow staff to claim\". You can also choose "
            "whether claims need approval.",
            "This is a setting rather than a bug — under Settings → Scheduling → Open shifts, enable "
            "\"Visible to eligible staff\". Staff also need the matching position in their profile to see a "
            "shift.",
        ),
        framings=(("how_to_question", 0.6), ("product_issue", 0.4)),
        tags=("scheduling", "how-to"), paths=("/schedule/open-shifts",),
    ),
    IssueGroup(
        key="pay_rate_effective_date", type="how_to_question", area="payroll", component="pay_rates",
        weight=12, profile="steady",
        reports=(
            "I changed $coworker's pay rate and it recalculated {all|every one of} their past timesheets "
            "too. That's {wrong|a bug}!",
            "Updating {a wage|pay rates} {rewrote|changed} last month's labor costs{, which shouldn't "
            "happen|}.",
        ),
        asks=(
            "How do I change someone's pay rate starting from a specific date without changing past "
            "timesheets?",
            "We're giving {raises|a raise} {next month|from the 1st}. How do I set the new hourly rate so it "
            "only applies going forward?",
            "If I update an employee's wage, will it {change|rewrite} the hours they already worked?",
            "How do I schedule a pay rate change{ for $coworker|}?",
        ),
        details=(
            "The raise is from $rate to $rate2 an hour.",
            "Our pay periods are {biweekly|semi-monthly}.",
            "It's for $n employees.",
        ),
        subjects=("Change pay rate from a date", "Future-dated raise", "Pay rate history"),
        replies=(
            "You can set an effective date: open the employee's profile → Pay rates → Add rate, enter the "
            "new rate and pick the \"Effective from\" date. Past timesheets keep the old rate.",
            "That's expected when the rate is edited in place — to keep history, use Pay rates → Add rate "
            "with an effective date instead of editing the existing one. I've restored the previous rate for "
            "past periods.",
        ),
        framings=(("how_to_question", 0.75), ("product_issue", 0.25)),
        tags=("payroll", "how-to"), paths=("/team/profile/pay",),
    ),
    IssueGroup(
        key="outlook_calendar_sync", type="feature_request", area="integrations", component="outlook_sync",
        weight=18, profile="steady",
        wants=(
            "{We'd love|Please add|Could you add} an {Outlook|Microsoft 365} calendar sync{ like the Google "
            "one|}.",
            "Any plans for Outlook calendar integration? {Half our company|All our managers} {is|are} on "
            "Microsoft.",
            "Feature request: sync shifts to Outlook{ / Office 365|}.",
            "It would be great if shifts {showed up|appeared} in our Outlook calendars automatically.",
        ),
        asks=(
            "How do I connect $product to Outlook? I only see Google Calendar in integrations.",
            "How can I get my shifts into my Outlook calendar?",
            "is there a way to sync with outlook calendar",
        ),
        reports=("The calendar sync doesn't work with Outlook{ — only Google accounts can connect|}.",),
        details=(
            "We're a Microsoft 365 shop{, nobody uses Google|}.",
            "I saw there's an iCal link but it {only updates once a day|doesn't update fast enough}.",
            "About $staff of our staff would use it.",
        ),
        impacts=("Without it people {forget|miss} shifts that changed.",),
        subjects=("Outlook calendar sync", "Outlook integration?", "Sync shifts to Office 365"),
        replies=(
            "We don't have a native Outlook sync yet — only Google Calendar. I've added your vote to the "
            "Outlook integration request. In the meantime each employee can subscribe to their personal iCal "
            "feed (Profile → Calendar feed), which Outlook refreshes every few hours.",
            "That's not something we support today, sorry! I've logged it as a feature request with our "
            "integrations team and linked your account so you hear when it ships.",
        ),
        framings=(("feature_request", 0.55), ("how_to_question", 0.35), ("product_issue", 0.1)),
        tags=("feature-request", "integrations"), paths=("/integrations",),
    ),
    IssueGroup(
        key="auto_schedule_from_availability", type="feature_request", area="scheduling", component="shift_editor",
        weight=14, profile="steady",
        wants=(
            "{Would love|We'd really like} an {auto-schedule|auto-fill} {button|feature} that builds the "
            "schedule from {availability|staff availability and hours}.",
            "Feature idea: let $product {generate|create} a draft schedule automatically based on "
            "availability and max hours.",
            "{Please consider|Can you build} automatic scheduling. {Other tools have it.|Competitors have "
            "this.}",
            "It would save {me|us} hours if the schedule could {fill itself|auto-fill} from who's available.",
        ),
        asks=(
            "Is there a way to automatically {fill|build} the schedule based on everyone's availability?",
            "How do I get $product to auto-assign shifts to available people?",
        ),
        details=(
            "We have $staff staff with {very different|constantly changing} availability.",
            "{Ideally|It'd be great if} it respected {max hours|overtime limits|minor work rules}.",
        ),
        impacts=("Building the schedule takes me {most of Sunday|3 hours a week}.",),
        subjects=("Auto scheduling?", "Feature request: auto-fill schedule", "Automatic schedule from "
                                                                             "availability"),
        replies=(
            "Auto-scheduling isn't available in $product yet, but it's one of the most requested features "
            "and I've added your vote. For now, copying the previous week and adjusting is the fastest way.",
            "That's not something we support at the moment — I've passed your use case to our product team.",
        ),
        framings=(("feature_request", 0.65), ("how_to_question", 0.35)),
        tags=("feature-request",), paths=("/schedule/week",),
    ),
    IssueGroup(
        key="xero_payroll_export", type="feature_request", area="payroll", component="payroll_export",
        weight=12, profile="late",
        wants=(
            "Please add {Xero|a Xero payroll} integration{ — we're in the UK|}.",
            "Any chance of exporting timesheets straight to Xero?",
            "{Feature request|Request}: Xero Payroll export{ alongside Gusto and ADP|}.",
        ),
        asks=(
            "How do I export hours to Xero? I only see Gusto, ADP and QuickBooks.",
            "Can $product send timesheets to Xero Payroll?",
        ),
        details=(
            "We're based in {Australia|the UK|New Zealand} and everyone here uses Xero.",
            "Right now I {retype|copy} the hours by hand{ into Xero|}.",
        ),
        subjects=("Xero integration", "Export to Xero"),
        replies=(
            "We don't integrate with Xero yet — payroll exports are available for Gusto, ADP and QuickBooks. "
            "I've logged your request with the product team; the generic CSV export can be imported into "
            "Xero meanwhile.",
        ),
        framings=(("feature_request", 0.6), ("how_to_question", 0.4)),
        tags=("feature-request", "payroll"), paths=("/payroll/export",),
    ),
    IssueGroup(
        key="offline_clock_in_lost", type="product_issue", area="mobile_app", component="offline_mode",
        weight=14, profile="mid",
        reports=(
            "Clock-ins made {without signal|offline} never sync once the phone {is back online|reconnects}.",
            "Our {warehouse|basement kitchen|back room} has no reception, and {punches|clock-ins} made there "
            "{disappear|are lost}.",
            "{Staff|People} clocked in {while offline|with no internet} and the punch never showed up on the "
            "timesheet.",
            "Offline mode {is losing|lost} {clock-ins|punches}{ again|}.",
            "the app said \"saved offline\" but the clock in is gone",
        ),
        asks=(
            "How does offline clock-in work? Punches made without signal {never seem to show up|vanish}.",
        ),
        details=(
            "They're on $phone{ with app $app_version|}.",
            "The app {showed|displayed} \"Will sync when online\".",
            "{It happened to|This hit} $n people {last week|on $weekday}.",
        ),
        impacts=("{Managers|I} have to {rebuild|add} the missing punches from memory.",),
        subjects=("Offline clock-ins lost", "Punches not syncing", "Offline mode losing data"),
        replies=(
            "Thanks for the details — our mobile engineers confirmed a bug where offline punches are "
            "discarded if the app is force-closed before it reconnects. A fix is in the next release; until "
            "then please ask staff to open the app once they have signal.",
            "I've reproduced this: offline clock-ins queued for more than 12 hours are dropped. It's a known "
            "issue and it's been escalated to the mobile team.",
        ),
        framings=(("product_issue", 0.9), ("how_to_question", 0.1)),
        tags=("mobile", "bug"), paths=("/time/clock-in",),
    ),
    IssueGroup(
        key="attendance_report_timezone", type="product_issue", area="reporting", component="attendance_report",
        weight=12, profile="steady",
        reports=(
            "The attendance report shows people as {late|early} by {exactly an hour|several hours} for our "
            "{Denver|Phoenix|Chicago} location.",
            "Times in the attendance report are {in UTC|in the wrong timezone} instead of the location's "
            "local time.",
            "The late arrivals report flags on-time people at our location in another time zone.",
            "Attendance reports ignore the location time zone{ — everything is in HQ time|}.",
        ),
        asks=("How do I make the attendance report use each location's time zone?",),
        details=(
            "We have stores in {two|three} time zones.",
            "The location's time zone is set correctly in settings.",
            "The timesheets themselves show the right times{, just the report is off|}.",
        ),
        impacts=("We almost {wrote someone up|gave a warning} for being late when they weren't.",),
        subjects=("Attendance report wrong timezone", "Late arrivals report wrong"),
        replies=(
            "You're right — the attendance report uses the account's time zone instead of each location's. "
            "Engineering confirmed it's a bug and a fix is in progress.",
        ),
        framings=(("product_issue", 0.85), ("how_to_question", 0.15)),
        tags=("reporting",), paths=("/reports/attendance",),
    ),
    # --- minor recurring issues: a handful of reports each, orphans in most windows ---
    IssueGroup(
        key="kiosk_pin_reset_ignored", type="product_issue", area="time_tracking", component="kiosk_clock_in",
        weight=3, profile="steady", minor=True,
        reports=(
            "Resetting an employee's kiosk PIN {doesn't work|has no effect} — the old PIN still works and "
            "the new one is rejected.",
            "New kiosk PINs aren't taking effect on our {iPad kiosk|front desk tablet}.",
        ),
        details=("The kiosk is at $store.", "I reset it {twice|three times}."),
        replies=("Confirmed — PIN changes weren't syncing to kiosks that were already logged in. A fix is in "
                 "progress; logging the kiosk out and back in applies the new PIN.",),
        paths=("/kiosk",),
    ),
    IssueGroup(
        key="toast_sales_import_stopped", type="product_issue", area="integrations", component="pos_integration",
        weight=3, profile="steady", minor=True,
        reports=(
            "Toast sales {stopped importing|aren't coming in} since $weekday, so the labor vs sales chart is "
            "empty.",
            "Our Toast integration shows \"connected\" but no sales data {has synced|came through} for days.",
        ),
        details=("It's for $store.", "Reconnecting Toast didn't help."),
        replies=("Thanks — Toast changed an API field last week and our import broke for some restaurants. "
                 "It's a confirmed bug and the fix is being deployed.",),
    ),
    IssueGroup(
        key="invite_link_expires_early", type="product_issue", area="account", component="user_invites",
        weight=4, profile="steady", minor=True,
        reports=(
            "Invite links say \"expired\" even when they were sent {a few minutes|an hour} ago.",
            "New hires {can't|cannot} accept their invite — the link {is already expired|says it expired} "
            "right away.",
        ),
        details=("I resent the invite to $coworker {twice|three times}.",),
        replies=("I've confirmed this is a bug: invites sent from the mobile app got the wrong expiry time. "
                 "Invites sent from the web app work as a workaround while we fix it.",),
    ),
    IssueGroup(
        key="ios_availability_not_saving", type="product_issue", area="scheduling", component="availability",
        weight=3, profile="steady", minor=True,
        reports=(
            "Staff on iPhone can't save their availability — {the Save button greys out|it says saved but "
            "it's blank again}.",
            "Availability changes made in the iOS app {don't stick|disappear}.",
        ),
        details=("They're on $iphone.",),
        replies=("Our iOS team confirmed a bug when availability has more than one block per day. A fix is "
                 "coming in the next app update.",),
    ),
    IssueGroup(
        key="slack_channel_schedule_post", type="feature_request", area="integrations", component="slack",
        weight=3, profile="steady", minor=True,
        wants=(
            "Could the Slack integration post the published schedule to a channel?",
            "Feature request: send a daily \"who's working today\" message to our Slack.",
        ),
        replies=("That's not something the Slack integration does today, but I've logged the request.",),
    ),
    IssueGroup(
        key="bulk_pay_rate_update", type="feature_request", area="payroll", component="pay_rates",
        weight=3, profile="steady", minor=True,
        wants=(
            "We need a way to update pay rates in bulk — changing {$n|forty} people one by one is painful.",
            "Please add a bulk edit for wages, e.g. +$$1.00 for everyone in a position.",
        ),
        replies=("Bulk pay rate edits aren't available yet; I've added your vote to the feature request.",),
    ),
    IssueGroup(
        key="webhook_duplicate_deliveries", type="product_issue", area="integrations", component="webhooks",
        weight=2, profile="steady", minor=True,
        reports=("Your webhooks deliver the same shift.updated event {twice|two or three times}, each with a "
                 "different delivery ID.",),
        replies=("Confirmed — a retry bug re-sends events that were acknowledged. Engineering is fixing it; "
                 "dedupe on the event ID meanwhile.",),
    ),
)

ONEOFF_OBJECTS = (
    OneOffObject("scheduling", "shift_editor", ("shift editor", "shift edit panel"), ("screen", "form", "times")),
    OneOffObject("scheduling", "shift_editor", ("week view of the schedule", "weekly schedule grid"),
                 ("screen", "list", "times", "data")),
    OneOffObject("scheduling", "shift_editor", ("notes field on shifts", "shift notes box"), ("screen", "form")),
    OneOffObject("scheduling", "shift_editor", ("position colour picker", "colour settings for positions"),
                 ("screen", "form")),
    OneOffObject("scheduling", "availability", ("availability calendar", "availability page"),
                 ("screen", "form", "times")),
    OneOffObject("scheduling", "availability", ("time-off request form", "time off requests list"),
                 ("screen", "form", "list", "times")),
    OneOffObject("scheduling", "schedule_publishing", ("\"last published\" banner", "publish history panel"),
                 ("screen", "times", "data")),
    OneOffObject("scheduling", "open_shifts", ("open shift claim screen",), ("screen", "list", "times")),
    OneOffObject("scheduling", "shift_swaps", ("swap request history",), ("screen", "list", "data")),
    OneOffObject("time_tracking", "kiosk_clock_in", ("kiosk employee search", "kiosk name list"),
                 ("screen", "list")),
    OneOffObject("time_tracking", "kiosk_clock_in", ("kiosk photo capture screen",)),
    OneOffObject("time_tracking", "timesheets", ("timesheet approval page", "approve timesheets screen"),
                 ("screen", "list", "numbers", "times", "data")),
    OneOffObject("time_tracking", "timesheets", ("timesheet comments", "comment box on timesheets"),
                 ("screen", "form", "list")),
    OneOffObject("time_tracking", "timesheets", ("pay period selector",), ("screen", "times")),
    OneOffObject("time_tracking", "breaks", ("break reminder banner",), ("screen", "times")),
    OneOffObject("time_tracking", "mobile_clock_in", ("clock-in button on the app home screen", "clock in "
                                                                                                "screen"),
                 ("screen", "times")),
    OneOffObject("payroll", "payroll_export", ("QuickBooks mapping screen",), ("screen", "form", "list")),
    OneOffObject("payroll", "payroll_export", ("ADP export settings page",), ("screen", "form")),
    OneOffObject("payroll", "overtime_rules", ("overtime rules page",), ("screen", "form", "numbers")),
    OneOffObject("payroll", "pay_rates", ("pay rates tab on employee profiles",),
                 ("screen", "form", "numbers", "list")),
    OneOffObject("mobile_app", "ios_app", ("schedule tab in the iOS app", "iPhone app's schedule screen"),
                 ("screen", "list", "times", "data")),
    OneOffObject("mobile_app", "ios_app", ("profile photo upload on iPhone",), ("screen", "form")),
    OneOffObject("mobile_app", "android_app", ("team list in the Android app",), ("screen", "list", "data")),
    OneOffObject("mobile_app", "android_app", ("Android home screen widget",), ("screen", "times", "data")),
    OneOffObject("integrations", "slack", ("Slack integration settings",), ("screen", "form")),
    OneOffObject("integrations", "public_api", ("API documentation page", "API reference"), ("screen",)),
    OneOffObject("integrations", "public_api", ("shifts endpoint of the API",), ("list", "times", "data")),
    OneOffObject("integrations", "webhooks", ("webhook settings page",), ("screen", "form", "list")),
    OneOffObject("account", "roles_permissions", ("roles and permissions page",), ("screen", "form", "list")),
    OneOffObject("account", "locations", ("location switcher", "location dropdown"), ("screen", "list")),
    OneOffObject("account", "user_invites", ("invite staff dialog",), ("screen", "form")),
    OneOffObject("account", "two_factor", ("two-factor setup screen",), ("screen", "form")),
    OneOffObject("reporting", "labor_cost_report", ("labor cost report",), ("screen", "numbers", "data", "list")),
    OneOffObject("reporting", "labor_cost_report", ("labor cost chart",), ("screen", "numbers", "data")),
    OneOffObject("reporting", "dashboards", ("manager dashboard", "home dashboard"), ("screen", "numbers", "data")),
    OneOffObject("reporting", "attendance_report", ("no-show column of the attendance report",),
                 ("screen", "numbers", "times", "data")),
    OneOffObject("reporting", "csv_export", ("export menu",), ("screen",)),
    OneOffObject("billing", "seats", ("seat counter on the billing page",), ("screen", "numbers", "data")),
    OneOffObject("billing", "invoices", ("invoice list",), ("screen", "list", "numbers")),
)

ONEOFF_BUGS = tuple(
    S("product_issue", (text,), replies, area=area, component=component)
    for area, component, text, replies in (
        ("scheduling", "shift_editor",
         "When two managers edit the same shift at the same time, one of us ends up with a blank shift with "
         "no times.", ("Thanks — I've reproduced the conflict and filed it with our scheduling engineers.",)),
        ("mobile_app", "ios_app",
         "Shifts that cross midnight show up on the wrong day in the staff app{ (the 10pm–6am ones)|}.",
         ("Confirmed: overnight shifts are placed by their end date in the iOS app. I've escalated it.",)),
        ("reporting", "labor_cost_report",
         "The tip pool report counts $coworker twice because she works at two locations.",
         ("Good catch — that's a bug in how multi-location staff are counted. Engineering is on it.",)),
        ("account", "user_invites",
         "Employees with an apostrophe in their name (like O'Brien) can't be invited — the form says invalid "
         "name.",
         ("Sorry! That validation is wrong and a fix is going out this week.",)),
        ("time_tracking", "kiosk_clock_in",
         "The kiosk app crashes when an employee without a profile photo tries to clock in.",
         ("We reproduced the crash and the fix is in the next kiosk release.",)),
        ("time_tracking", "timesheets",
         "The night the clocks changed, a 1am–7am shift shows as 7 hours instead of 6 on the timesheet.",
         ("You're right, daylight saving isn't handled for that shift. I've escalated it to engineering.",)),
        ("scheduling", "schedule_publishing",
         "The printed schedule PDF cuts off {Sunday|the last day of the week}.",
         ("Confirmed — the PDF layout drops the seventh column on A4 paper. It's been logged as a bug.",)),
        ("payroll", "overtime_rules",
         "Our holiday pay multiplier (1.5x) gets applied to the whole week instead of just the holiday.",
         ("That's a bug in the holiday rule; engineering is fixing it and will recalculate affected periods.",)),
        ("integrations", "pos_integration",
         "Our Square location mapping resets every time we add a new register.",
         ("I've confirmed the mapping reset and reported it to our integrations team.",)),
        ("mobile_app", "push_notifications",
         "Managers who are also scheduled as employees get every notification twice.",
         ("Thanks — a known quirk for dual-role users, now logged as a bug.",)),
        ("integrations", "public_api",
         "The API returns overnight shifts with end_time before start_time.",
         ("Confirmed: the API drops the date rollover for overnight shifts. A fix is planned.",)),
        ("scheduling", "shift_editor",
         "The \"repeat every 2 weeks\" option on a shift creates it every single week.",
         ("I reproduced this and escalated it to engineering.",)),
        ("billing", "invoices",
         "We updated our company address but new invoice PDFs still show the old one.",
         ("That's a bug in the invoice template cache — engineering has a fix queued.",)),
        ("account", "two_factor",
         "Our 2FA text message codes arrive after they've already expired{, like 5 minutes late|}.",
         ("Our SMS provider had delays for some carriers; it's been escalated to them.",)),
        ("mobile_app", "ios_app",
         "The iOS app shows dates in Spanish even though the phone is set to English.",
         ("Thanks, that's a localisation bug — fixed in the next release.",)),
        ("scheduling", "schedule_publishing",
         "The \"notify staff\" checkbox is ignored when I edit a published shift — people get notified "
         "anyway.",
         ("Confirmed, the checkbox isn't respected on edits. It's been logged.",)),
        ("time_tracking", "mobile_clock_in",
         "The clock-out reminder push arrives two hours after the shift ended.",
         ("That reminder uses the wrong time zone for some locations — engineering is fixing it.",)),
        ("account", "roles_permissions",
         "Searching the team list by last name doesn't find anyone with a hyphenated name.",
         ("Reproduced — search splits on the hyphen. Logged as a bug.",)),
        ("reporting", "dashboards",
         "The labor % on the dashboard is over 100% on days when the store is closed.",
         ("Good find — it divides by zero sales. Our reporting team is fixing it.",)),
        ("time_tracking", "geofencing",
         "The geofence map for our new location shows the pin in the ocean{ 🌊|}, even though the address is "
         "right.",
         ("The address was geocoded incorrectly; I've fixed the coordinates and reported the geocoding bug.",)),
    )
)

ONEOFF_HOWTOS = tuple(
    S("how_to_question", (question,), (answer,), area=area, component=component)
    for area, component, question, answer in (
        ("scheduling", "shift_editor", "How do I set a maximum number of hours per week for {part-timers|our "
                                       "part time staff}?", "Open the employee's profile → Scheduling → Max "
                                                            "hours per week."),
        ("account", "roles_permissions", "Can I hide wages from shift leads?",
         "Yes: Settings → Roles → Shift lead → uncheck \"View pay rates\"."),
        ("account", "locations", "How do I add a second location{ to our account|}?",
         "Go to Settings → Locations → Add location."),
        ("scheduling", "availability", "How do I let staff set their own availability?",
         "Turn on Settings → Scheduling → Availability → \"Staff can edit availability\"."),
        ("scheduling", "schedule_publishing", "How do I print the schedule{ for the break room|}?",
         "Schedule → ⋯ → Print / PDF."),
        ("scheduling", "availability", "How do I approve time-off requests from my phone?",
         "In the manager app, open Requests → Time off and swipe to approve."),
        ("scheduling", "schedule_publishing", "Where can I see who hasn't {seen|acknowledged} the new "
                                              "schedule?",
         "Schedule → Published → Acknowledgements shows who has opened it."),
        ("scheduling", "shift_editor", "How do I colour-code shifts by position?",
         "Settings → Positions → pick a colour for each position."),
        ("payroll", "pay_rates", "How do I give one employee two positions with different pay rates?",
         "In their profile → Pay rates, add a rate per position."),
        ("time_tracking", "timesheets", "How do I fix a clock-in time an employee forgot to correct?",
         "Open Timesheets, click the punch and edit the time; the change is logged."),
        ("time_tracking", "timesheets", "How do I lock timesheets after approving them?",
         "Timesheets → Pay period → Lock period."),
        ("reporting", "labor_cost_report", "How do I see labor cost as a percentage of sales?",
         "Connect your POS, then Reports → Labor cost → Show as % of sales."),
        ("reporting", "csv_export", "Can I export timesheets for just one department?",
         "Yes — filter by department in Timesheets, then Export → CSV."),
        ("account", "roles_permissions", "How do I add a manager who can only see their own store?",
         "Invite them with the Location manager role and pick their location."),
        ("account", "user_invites", "How do I deactivate someone who left without losing their history?",
         "Team → their profile → Archive. Their timesheets stay in reports."),
        ("time_tracking", "kiosk_clock_in", "How do I require a photo when people clock in at the kiosk?",
         "Settings → Kiosk → Require photo on clock-in."),
        ("scheduling", "shift_swaps", "How do staff request a shift swap from the app?",
         "They open the shift in the app and tap Swap, then choose a coworker."),
        ("scheduling", "shift_editor", "How do I add a note everyone sees on a specific day, like inventory "
                                       "day?",
         "Click the day header in the schedule and add a day note."),
        ("scheduling", "shift_editor", "How do I see the history of changes to a shift?",
         "Open the shift and click Activity at the bottom."),
        ("reporting", "dashboards", "How do I set up a dashboard for my regional managers?",
         "Reports → Dashboards → New dashboard, then share it with the Regional manager role."),
        ("scheduling", "schedule_publishing", "Can employees see each other's schedules?",
         "Yes if Settings → Scheduling → \"Staff see full schedule\" is on."),
        ("mobile_app", "push_notifications", "How do I send a message to all staff at one location?",
         "Team → Announcements → New, then pick the location."),
        ("scheduling", "shift_editor", "How do I make a shift repeat every week?",
         "Open the shift → Repeat → Weekly."),
        ("time_tracking", "mobile_clock_in", "How do I see who's currently clocked in?",
         "The Who's working panel on the dashboard shows everyone on the clock."),
        ("time_tracking", "mobile_clock_in", "How do I stop staff clocking in more than 10 minutes early?",
         "Settings → Time tracking → Early clock-in limit."),
        ("payroll", "pay_rates", "How do I add tips to timesheets?",
         "Turn on Settings → Payroll → Track tips; staff enter tips when clocking out."),
        ("reporting", "csv_export", "How do I download last year's timesheets for an audit?",
         "Reports → Timesheets → pick the date range → Export."),
        ("account", "locations", "How do I change the first day of the week to Monday?",
         "Settings → Locations → Week starts on."),
        ("mobile_app", "ios_app", "How do I switch between my two companies in the app?",
         "Tap your avatar → Switch account."),
        ("scheduling", "shift_editor", "How do I remove an old position we don't use anymore?",
         "Settings → Positions → Archive."),
        ("account", "roles_permissions", "How do I give a shift lead permission to approve swaps?",
         "Settings → Roles → Shift lead → Approve swaps."),
        ("account", "user_invites", "How do I invite staff in bulk from a spreadsheet?",
         "Team → Invite → Import CSV."),
        ("scheduling", "availability", "How do I block out exam weeks for a student employee?",
         "Add unavailability for the date range in their availability calendar."),
        ("integrations", "public_api", "Where do I find our API key?", "Settings → Developers → API keys."),
        ("time_tracking", "breaks", "How do staff start a break from the app?",
         "On the clock-in screen they tap Start break."),
        ("reporting", "attendance_report", "How do I see no-shows for last month?",
         "Reports → Attendance → filter by No-show."),
        ("time_tracking", "geofencing", "How do I turn off the location check for one employee who works "
                                        "remotely?",
         "In their profile → Time tracking → Location check → Off."),
        ("payroll", "overtime_rules", "How do I see how much overtime each person has this week?",
         "The Overtime column on the Timesheets page shows it per person."),
    )
)

ONEOFF_FEATURES = tuple(
    S("feature_request", (text,), (), area=area, component=component)
    for area, component, text in (
        ("mobile_app", "ios_app", "Any chance of dark mode in the {staff app|mobile app}? {My eyes at "
                                  "5am|Night shift folks} would thank you."),
        ("mobile_app", "ios_app", "Would love an Apple Watch app for clocking in and out."),
        ("payroll", "pay_rates", "Please add tip pooling — splitting tips by hours worked is a nightmare in "
                                 "Excel."),
        ("scheduling", "shift_editor", "Could you add a weekly labor budget that warns me when the schedule "
                                       "goes over?"),
        ("time_tracking", "kiosk_clock_in", "Fingerprint or face ID clock-in on the kiosk would stop buddy "
                                            "punching."),
        ("account", "roles_permissions", "We need to store food handler certificates on employee profiles "
                                         "with expiry reminders."),
        ("integrations", "slack", "Please add a Microsoft Teams integration like the Slack one."),
        ("integrations", "webhooks", "A Zapier integration would let us connect $product to our HR system."),
        ("reporting", "csv_export", "Could timesheets be exported as PDF with a signature line for employees?"),
        ("account", "roles_permissions", "Custom fields on employee profiles (shirt size, emergency contact) "
                                         "please!"),
        ("scheduling", "open_shifts", "Feature idea: let the most senior person get first pick of open "
                                      "shifts."),
        ("mobile_app", "push_notifications", "Can you send shift reminders by SMS for staff who don't use "
                                             "the app?"),
        ("account", "two_factor", "Please support authenticator apps for 2FA, not only text messages."),
        ("reporting", "labor_cost_report", "A labor forecast based on our Toast sales history would be "
                                           "amazing."),
        ("scheduling", "schedule_publishing", "Please let staff see coworkers' phone numbers on the schedule "
                                              "so they can arrange swaps."),
        ("time_tracking", "mobile_clock_in", "Clock in by scanning a QR code at the door would be simpler "
                                             "than GPS."),
        ("scheduling", "shift_editor", "Could public holidays be marked on the schedule automatically?"),
        ("scheduling", "availability", "We need a limit on how many people can take the same day off."),
        ("payroll", "overtime_rules", "Please support overtime rules for 4x10 schedules."),
        ("mobile_app", "ios_app", "An iPad-optimised manager app would be great, the phone layout is tiny."),
        ("reporting", "dashboards", "Department budgets on the dashboard, please."),
        ("scheduling", "shift_editor", "Scheduling by skill — only let certified people be put on the "
                                       "forklift shift."),
        ("scheduling", "schedule_publishing", "Read receipts for the published schedule would help a lot."),
        ("time_tracking", "breaks", "Push reminders when someone's break is about to run over, please."),
        ("payroll", "pay_rates", "PTO accrual tracking would let us drop our separate HR tool."),
        ("payroll", "payroll_export", "Could you add a Paychex export?"),
        ("time_tracking", "timesheets", "We need two-step timesheet approval (shift lead, then manager)."),
        ("billing", "invoices", "Please add a PO number field to invoices."),
        ("billing", "seats", "Would you consider per-location pricing instead of per seat for seasonal staff?"),
        ("integrations", "public_api", "Please add an API endpoint for time-off requests."),
        ("integrations", "webhooks", "Webhooks for clock-in and clock-out events would be great."),
        ("time_tracking", "kiosk_clock_in", "Please make the kiosk work offline when the Wi-Fi drops."),
        ("account", "roles_permissions", "Custom roles beyond manager and staff, please."),
        ("reporting", "dashboards", "Could reports be emailed to me automatically every Monday?"),
        ("scheduling", "shift_editor", "An undo button in the schedule editor!! I delete shifts by accident."),
        ("mobile_app", "android_app", "Landscape mode on Android tablets please."),
        ("scheduling", "shift_editor", "A colour-blind friendly palette for positions would help our team."),
        ("reporting", "attendance_report", "Please add a tardiness trend chart per employee."),
    )
)

ACCOUNT = (
    S("account_issue",
      ("An employee says she can't see {the $store schedule|her location} after I moved her from $store2. "
       "{Did I do something wrong?|What happened?}",
       "$coworker can log in but sees no shifts at all since I changed her location."),
      ("Her profile still had the old location as primary. I've updated it, so she'll see the $store "
       "schedule after reopening the app.",),
      area="account", component="locations"),
    S("account_issue",
      ("A manager was let go today — how do I remove their access {immediately|right now}?",
       "Please revoke {$coworker's|a former manager's} access to our account ASAP."),
      ("I've deactivated that manager's account; their sessions on all devices are signed out.",
       "Done — the account is archived and all sessions were revoked."),
      area="account", component="roles_permissions"),
    S("account_issue",
      ("One of my employees can't sign up — it says his phone number is already used by another account.",),
      ("That number was attached to an old test account; I've released it so he can sign up now.",),
      area="account", component="login"),
    S("account_issue",
      ("When I log in I see {another company's|a different} schedule{ — my old job's|}. How do I get to ours?",),
      ("Your login is linked to two organisations. Tap your avatar → Switch organisation; I've also set ours "
       "as your default.",),
      area="account", component="login"),
)

BILLING = (
    S("billing_question",
      ("We're billed for {58|62|75} seats but only have {41|44|50} active staff. Why?",
       "Why are we paying for {archived|former} employees? Our seat count looks {too high|wrong}."),
      ("Seats count anyone active in the billing period, including people archived mid-month. Archived staff "
       "drop off from the next invoice; I've credited the difference for this month.",),
      area="billing", component="seats", tags=("billing",)),
    S("billing_question",
      ("Do seasonal workers count as seats when they're {inactive|not scheduled} over the winter?",),
      ("Only active staff count. Archive seasonal workers when the season ends and they stop counting; "
       "reactivate them next season with their history intact.",),
      area="billing", component="seats"),
    S("billing_question",
      ("If we add {10|15|20} people mid-month, how is that billed?",
       "How does proration work when we add {seats|staff} halfway through the month?"),
      ("New seats are prorated for the remaining days of the billing period and appear on your next invoice.",),
      area="billing", component="seats"),
    S("billing_question",
      ("We want to downgrade from Enterprise to Pro at renewal. What do we lose?",
       "What's the difference between Pro and Starter? Thinking of moving down."),
      ("On Pro you'd lose SSO and the advanced payroll rules; everything else stays. You can switch under "
       "Billing → Plan and it applies at renewal.",),
      area="billing", component="subscription"),
)

CONFIGURATION = tuple(
    S("configuration_help", texts, (reply,), area=area, component=component)
    for area, component, texts, reply in (
        ("payroll", "payroll_export",
         ("How do I connect $product to Gusto?", "Setting up the Gusto integration — where do I start?"),
         "Go to Integrations → Gusto → Connect, sign in with a Gusto admin and map each pay rate to a Gusto "
         "earning type."),
        ("payroll", "overtime_rules",
         ("How do I set up daily overtime for our California stores?",
          "We need overtime after 8 hours a day and double time after 12. How do I configure that?"),
         "Settings → Payroll → Overtime rules → Add rule → choose the California preset and assign your "
         "locations."),
        ("time_tracking", "kiosk_clock_in",
         ("How do I set up an iPad as a time clock kiosk at the front desk?",),
         "Install the Crewline Kiosk app, sign in as a manager and choose the location; then switch on "
         "Guided Access."),
        ("account", "sso",
         ("We want to set up SSO with $idp. What do you need from us?",
          "Can you walk me through configuring SAML with $idp?"),
         "Settings → Security → SSO: paste your $idp metadata URL and we'll show you the ACS URL and entity "
         "ID to add on the $idp side."),
        ("integrations", "pos_integration",
         ("How do I map our $pos locations to our $product locations?",),
         "Integrations → $pos → Location mapping: pick the matching location for each $pos site."),
        ("time_tracking", "geofencing",
         ("We opened a new store — how do I set the geofence radius for it?",),
         "Settings → Locations → the new location → Geofence: drop the pin on the entrance and set the "
         "radius."),
        ("integrations", "webhooks",
         ("How do we verify the signature on your webhooks?",
          "Where do I find the webhook signing secret?"),
         "Each webhook has a signing secret under Settings → Developers → Webhooks; verify the "
         "X-Crewline-Signature header with HMAC-SHA256."),
        ("integrations", "public_api",
         ("Which API scopes does our BI tool need just to read timesheets?",),
         "Create a key under Settings → Developers → API keys with only the timesheets:read scope."),
        ("payroll", "payroll_export",
         ("How do I map QuickBooks classes to our locations?",),
         "Integrations → QuickBooks → Mapping → Classes: choose a class per location."),
        ("integrations", "slack",
         ("How do I make the Slack integration post to #managers instead of #general?",),
         "Integrations → Slack → Channel: pick #managers and save."),
        ("payroll", "pay_rates",
         ("Our pay periods start on Wednesdays. How do I set that?",),
         "Settings → Payroll → Pay period → Start day."),
        ("account", "roles_permissions",
         ("How should I set up permissions for a manager who runs three of our stores?",),
         "Give them the Location manager role and tick the three locations in their profile."),
    )
)

GENERAL = (
    S("general_inquiry",
      ("Do you integrate with {Toast|Square}? {We're opening a second restaurant.|Deciding between you and a "
       "competitor.}",
       "Does $product work for {clinics|dental offices} — anything special for HIPAA?"),
      ("Yes, we have a native integration with both Toast and Square.",
       "Many clinics use us for scheduling; we don't store patient data, so HIPAA doesn't apply to $product "
       "itself."),
      area=None),
    S("general_inquiry",
      ("Is $product available in Canada and the UK?",
       "Can we use $product for volunteers who aren't paid?"),
      ("Yes — we support customers in the US, Canada, the UK, Ireland and Australia.",
       "Absolutely, just leave pay rates empty for volunteers."),
      area=None),
    S("general_inquiry",
      ("Do you have an API? Our developer wants to pull schedules into our intranet.",),
      ("We do — the public API docs are at ⟦link:https://developers.crewline.io|developers.crewline.io⟧.",),
      area=None),
)

CROSSOVERS = (
    S("billing_question",
      ("The \"Add employee\" button is greyed out{ for me|}. Is it broken?",
       "I can't add new staff anymore — the invite button {doesn't work|is disabled}. Bug?"),
      ("It's not a bug: your plan is at its seat limit, which disables new invites. You can add seats under "
       "Billing → Seats and the button works straight away.",),
      stage1="product_issue", area="billing", component="seats"),
    S("configuration_help",
      ("$pos sales aren't showing in the labor cost report at all. Is the integration broken?",),
      ("The integration is connected but your $pos locations aren't mapped yet, so there's nothing to show. "
       "Go to Integrations → $pos → Location mapping and match each site; data appears within an hour.",),
      stage1="product_issue", area="integrations", component="pos_integration"),
    S("account_issue",
      ("An employee can't log in — the app says \"account deactivated\". Is something wrong with your system?",),
      ("Their account was archived by a manager on your team last week. You can reactivate it under Team → "
       "Archived.",),
      stage1="product_issue", area="account", component="login"),
    S("feature_request",
      ("How do I set a shift to repeat every other week?",),
      ("That's not possible today — repeats are weekly only. I've logged an every-other-week option as a "
       "feature request.",),
      stage1="how_to_question", area="scheduling", component="shift_editor"),
    S("product_issue",
      ("How do I get the kiosk to accept PINs that start with 0? {Mine|$coworker's} gets rejected.",),
      ("That's actually a bug — leading zeros are stripped from kiosk PINs. Engineering is fixing it; choose "
       "a PIN without a leading zero meanwhile.",),
      stage1="how_to_question", area="time_tracking", component="kiosk_clock_in"),
    S("how_to_question",
      ("Please add a way to export timesheets as a PDF.", "Feature request: PDF timesheets for our records."),
      ("Good news — you can already do this: Timesheets → Export → PDF. It includes a signature line too.",),
      stage1="feature_request", area="reporting", component="csv_export"),
    S("configuration_help",
      ("Our payroll export to ADP fails with \"invalid company code\". Bug on your side?",),
      ("The ADP company code saved under Settings → Integrations → ADP has a trailing space. I've corrected "
       "it — try the export again.",),
      stage1="product_issue", area="payroll", component="payroll_export"),
    S("configuration_help",
      ("Staff can't log in with SSO but managers can. What's going on?",),
      ("SSO is only enforced for managers on your account. Enable Settings → Security → SSO → Apply to all "
       "roles and staff will be able to use it.",),
      stage1="account_issue", area="account", component="sso"),
)

FOREIGN = (
    ForeignReport("es", ("Varios empleados no pueden fichar porque la app dice que están fuera de la zona "
                         "permitida, pero están dentro del restaurante. ¿Es un error?",
                         "La geocerca rechaza los fichajes en nuestra tienda de $store aunque el personal "
                         "está dentro."),
                  group="geofence_rejects_valid_location"),
    ForeignReport("es", ("Mis empleados con Android no reciben las notificaciones de los turnos desde la "
                         "última actualización.",), group="android_push_missing"),
    ForeignReport("es", ("¿Cómo configuro los descansos para que no sean pagados y se descuenten "
                         "automáticamente?",),
                  group="unpaid_break_setup"),
    ForeignReport("de", ("Die Wochensumme in den Stundenzetteln stimmt nicht mit der Summe der Tage überein, "
                         "es fehlen immer ein paar Minuten.",
                         "Die Rundung bei den Stundenzetteln scheint doppelt angewendet zu werden."),
                  group="timesheet_rounding_totals"),
    ForeignReport("de", ("Beim Export zu $payroll fehlen die Überstunden komplett, obwohl sie im "
                         "Stundenzettel stehen.",), group="payroll_export_missing_overtime"),
    ForeignReport("fr", ("Quand j'approuve un échange de poste, il reste « en attente » et le planning ne "
                         "change pas.",
                         "Les échanges de shifts restent bloqués après mon approbation."),
                  group="shift_swap_approval_stuck"),
    ForeignReport("fr", ("Est-ce que vous prévoyez une synchronisation avec le calendrier Outlook ? Toute "
                         "notre équipe utilise Microsoft 365.",), group="outlook_calendar_sync"),
    ForeignReport("pt", ("Os turnos estão aparecendo duplicados no Google Agenda depois que eu edito a "
                         "escala.",),
                  group="google_calendar_duplicates"),
    ForeignReport("pt", ("Como faço para copiar a escala da semana passada para a próxima?",),
                  group="copy_previous_week_schedule"),
    ForeignReport("de", ("Wie verbinde ich $product mit Gusto für die Lohnabrechnung?",),
                  scenario=S("configuration_help", ("",), ("Go to Integrations → Gusto → Connect and map "
                                                           "each pay rate to a Gusto earning type.",),
                             area="payroll", component="payroll_export")),
)

OUTBOUND = (
    Outbound("admin_initiated", "New: Kiosk mode 2.0",
             ("Hi $first_name, we just launched Kiosk mode 2.0 with photo clock-in and faster PIN entry. "
              "Want a quick walkthrough for your $store team?",),
             (("Sounds good, send me the link", "general_inquiry"),
              ("Does it work offline?", "general_inquiry"))),
    Outbound("automated", "Next week's schedule isn't published yet",
             ("Heads up $first_name — next week's schedule for $store hasn't been published. Staff get "
              "notified as soon as you publish.",),
             (("thanks for the reminder", "general_inquiry"),)),
    Outbound("admin_initiated", "Webinar: build schedules in half the time",
             ("Hi $first_name, join our live session on Thursday about templates and auto-copy. "
              "⟦link:https://crewline.io/webinars|Save your seat⟧",),
             (("Will there be a recording?", "general_inquiry"),)),
)

TRIED = (
    "Reinstalling the app didn't help.", "I updated the app to the latest version.",
    "Staff logged out and back in, no change.", "Checked location permissions on the phones, all fine.",
    "I tried from the web app and the phone, same thing.",
)

LOCATIONS = ("Downtown", "Midtown", "Riverside", "Airport", "Northgate", "Eastside", "Harbor", "Uptown", "Westfield",
             "Oak Park", "Lakeview", "Old Town", "Southpoint", "Main St", "Union Square", "Mission", "Capitol "
                                                                                                     "Hill",
             "Ballard", "Pearl District", "Brickell", "Wicker Park", "Kingsway", "Elm Street", "Mill Creek")

PRODUCT = Product(
    name="Crewline",
    slug="crewline",
    app_host="app.crewline.io",
    help_host="help.crewline.io",
    email_domain="crewline.io",
    areas=AREAS,
    slots=SLOTS,
    company_words=(
        ("Harbor", "Maple", "Sunrise", "Blue Fin", "Copper", "Northside", "Golden", "Urban", "Green Leaf", "Summit",
         "Lighthouse", "Red Brick", "Silverline", "Cedar", "Bayview", "Pinecrest", "Metro", "Oakwood", "Riverbend",
         "Coastal", "Highland", "Prairie", "Lucky", "Twin Pines"),
        ("Bistro", "Coffee Co.", "Family Clinic", "Fulfillment", "Market", "Pharmacy", "Burger Bar", "Dental",
         "Logistics", "Outfitters", "Bakery", "Physio", "Tacos", "Grocers", "Urgent Care", "Pizza", "Hardware",
         "Kitchen", "Books", "Fitness"),
    ),
    location_names=LOCATIONS,
    agents=("Priya", "Marcus", "Elena", "Jonah", "Aiko", "Sam", "Rafael", "Bea"),
    teams=("Support", "Technical Support", "Billing"),
    plans=("Starter", "Pro", "Enterprise"),
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
    tried=TRIED,
    app_paths=("/schedule/week", "/timesheets", "/dashboard", "/team", "/reports", "/settings", "/integrations"),
    default_count=1200,
    default_days=90,
    default_output="feedback_assets/data/sample_conversations.jsonl",
    default_labels="feedback_assets/data/sample_labels.jsonl",
    label_all=False,
    tag_names=("bug", "billing", "how-to", "feature-request", "mobile", "vip", "scheduling", "payroll"),
)
