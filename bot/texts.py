"""Every fixed text the runner reads, in one place to review and translate as a whole."""

from __future__ import annotations

WELCOME = (
    "Hi {name}! I'm runcoach. I fit short strength sessions into your running week, where "
    "they help and never where they get in the way of recovery, and I remind you after your "
    "runs.\n\nA few questions first, one at a time (about two minutes). /cancel stops at any "
    "point, and nothing you've answered is lost."
)
WELCOME_BACK = "Welcome back! Let's carry on where you left off."
ALREADY_SET_UP = (
    "You already have a plan. Would you like to change something, or keep it as it is? "
    "(Nothing is wiped either way.)"
)
KEEP_PLAN = "Great, your plan stays as it is. /plan shows the week, /today today's session."
CANCELLED = (
    "Stopped. Everything you've answered is kept: /start carries on from here whenever "
    "you're ready."
)
CANCELLED_SETTINGS = "Stopped. Your setup and your plan are unchanged."
NOTHING_TO_CANCEL = "There's nothing to cancel right now. /help lists what I can do."
NO_PLAN_YET = "You don't have a plan yet. Send /start and I'll set one up with you."
MID_QUESTION = (
    "I don't know {command}. Let's finish this question first (/cancel stops it, nothing is lost):"
)
WITH_SLASH = "That's a command: tap /{command} (with the slash)."
NOT_UNDERSTOOD = (
    "I didn't quite get that. /plan shows your week, /today today's session, /settings "
    "changes your setup and /help lists everything."
)
ONLY_TEXT = "I can only read text messages and button presses. {hint}"
ALREADY_SCORED = "Already noted for this check-in, thanks."
STALE_BUTTON = "That button belongs to an earlier question, so I've left things as they were."
GONE_BUTTON = "That button has expired. Here is where we are now."
PRIVATE_ONLY = (
    "I coach runners one to one, so I only work in a private chat. Message me directly "
    "to set up your plan. I don't keep anything from group chats."
)
# Reminders
STRENGTH_REMINDER = "💪 Time for {name}{after}. Here it is:"
MORNING_TODAY = "Good morning! Today: {run}."
MORNING_STRENGTH = "Strength today: {name}, about {minutes} min.{when}"
MORNING_NO_STRENGTH = "No strength session today."
CHECKIN_QUESTION = "Any pain or niggles after yesterday's training?"
NO_PAIN_LOGGED = "Good to hear. Noted: no pain."
WEEKLY_SUMMARY = (
    "Your week in numbers: {done} of {planned} strength sessions done, {skipped} skipped, "
    "{pain} pain reports. Streak: {streak} {weeks} in a row with every planned session done."
)
WEEKLY_NEXT = "Here's next week:"
WEEKLY_DAYS_HINT = "Send /week for each strength day's exercises."
SNOOZE_CHOICES = "Snooze until when?"
SNOOZED = "OK, I'll remind you again at {at}."
LOGGED_DONE = "Nice work! Logged as done. 💪"
LOGGED_SKIPPED = "Noted as skipped. No stress."
ALREADY_RECORDED = "Already logged: {recorded}. Nothing changed."
CHANGE_RECORDED = "You logged {day}'s session as {recorded}. Change it to {to}?"
CHANGED_RECORDED = "Changed: now logged as {to}."
KEPT_RECORDED = "Kept: {recorded}."
NO_SNOOZE_RECORDED = (
    "That session is already logged ({recorded}), so there's nothing to remind you of. 👍"
)
NO_SESSION_TODAY = "There's no strength session today. /plan shows your week."
PAUSED = "Reminders paused{until}. /resume brings them back."
PAUSED_UNTIL = " until {date}"
RESUMED = "Welcome back! Reminders are on again from today."
NOT_PAUSED = "Reminders are already on. /pause stops them for a while."
ASK_PAUSE = (
    "Pause reminders until when? Tap one, or type a date or a length (e.g. 5 January, "
    "next friday, 2 weeks)."
)
PAUSE_NOT_A_DATE = "I couldn't read that as a date."
PAUSE_IN_PAST = "That date has already passed."
REMINDERS_HEADER = "Coming up:"
REMINDERS_NONE = "No reminders are coming up."
REMINDERS_AFTER_PAUSE = "Coming up after the pause:"
REMINDERS_PAUSED = "⏸ Reminders are paused{until}. /resume brings them back."
REMINDER_DELAY_SET = "✓ Strength reminders now come {after} your run ends."
REMINDER_MORNING_SET = "✓ Morning message now at {at}."
REMINDERS_SETTINGS = (
    "Strength reminder: {delay} min after your run ends. Morning message at {morning}. "
    "Tap to change:"
)
PAIN_START = (
    "I'm sorry it hurts. A few quick questions so I can point you the right way; say "
    '"not now" to stop at any point.'
)
BACK_TO_QUESTIONS = "Now, back to where we were:"
PAINLOG_EMPTY = 'No pain reported so far. Say "pain" or /pain any time.'
PAINLOG_HEADER = "Your pain reports and check-ins:"
EXPORT_CAPTION = "Everything I store about you, as a JSON file."
DELETE_CONFIRM = (
    "This erases everything I store about you: your setup, plans, logs, pain reports and "
    "reminders. It can't be undone. Erase it all?"
)
DELETE_KEPT = "Nothing was erased."
DELETE_YES_OR_NO = "Erase everything? Tap a button, or type yes or no."
DELETED = "Done: everything about you is erased. Send /start if you ever want to begin again."
SLOW_DOWN = "That's a lot of messages at once. I'll catch up if you give me a few seconds."
COMING_SOON = "That part of the coach is coming soon."
SOMETHING_WENT_WRONG = (
    "Sorry, something went wrong on my side. Your answers are safe; please try that again."
)
SETUP_DONE = (
    "All set! Here is your week. I'll fit each week the same way, and you can change "
    "anything with /settings."
)
SETTINGS_SAVED = "Saved."
CLI_FULL_HINT = "Add --full for each session's exercises and the reasons."
PLAN_UNCHANGED = "Nothing in your plan changes."
ZONE_CHANGED = "Your time zone is now {zone} (it's {now} there)."
ZONE_NEXT_REMINDER = "Next: {name}, {at}."
ZONE_NO_REMINDER = "No reminders are coming up."

HELP = """Here's what I can do:

/plan shows this week: your runs and where strength fits, and why.
/week next shows next week. Under either, 🖼 Picture sends the week as an image.
/progress charts your last 12 weeks: sessions planned, done and skipped, the level, pain.
/today shows today's session in full, with Done, Skip and Move (to another day this week).
/thisweek changes this week's runs only ("Thu tempo is on Fri", "no long run").
/settings changes any answer (your week, times, sessions, equipment...) and shows what \
changed.
/reminders shows what's coming, and changes reminder times or turns kinds off.
/pain (or just tell me what hurts, in your own words) starts a short pain check: safety \
questions first, then advice, a plan that spares the sore area and a check-in the next \
morning. /painlog lists your reports.
/pause stops reminders for a while (/pause 2 weeks, /pause 2027-01-05 holiday); /resume \
brings them back. Ill? Just tell me ("I'm ill") and I'll check on you each morning.
Travelling? Share your location and I'll offer to switch your time zone.
/start sets you up (or offers to change your setup if you have one).
/calendar puts your plan in your calendar app, kept up to date.
/sharing shows the coaches you share with, and stops sharing.
/export sends you everything I store about you, as a JSON file (and an .ics of the coming \
weeks); /delete erases it all (after you confirm).
/cancel stops the question we're on; your answers are kept.
/help shows this list.

In a question with buttons you can also type the answer.
I give general training information, not medical advice."""

COMMANDS = [
    ("plan", "This week's plan"),
    ("today", "Today's session"),
    ("week", "Next week: /week next"),
    ("thisweek", "Change this week's runs"),
    ("progress", "Your last 12 weeks as a chart"),
    ("settings", "Change your setup"),
    ("reminders", "What's coming, and reminder times"),
    ("pain", "Something hurts"),
    ("painlog", "Your pain reports"),
    ("pause", "Pause reminders"),
    ("resume", "Turn reminders back on"),
    ("start", "Set up your plan"),
    ("cancel", "Stop the current question"),
    ("calendar", "Your plan in your calendar app"),
    ("sharing", "Who you share your training with"),
    ("export", "All your data as a file"),
    ("delete", "Erase all your data"),
    ("help", "What I can do"),
]
# Only in a coach's own menu (bot/coaching.set_coach_menus), never in /help.
COACH_COMMANDS = [
    ("coach", "Invite a runner; the Monday digest"),
    ("roster", "Your runners at a glance"),
    ("note", "A note on a runner's week: /note <n> <text>"),
]

# Onboarding and settings questions
ASK_GOAL = "What are you training for?"
HINT_GOAL = "Pick one of the buttons, or type 5k, 10k, half, marathon, ultra or no race."
ASK_RACE_DATE = (
    "When is your race? Type the date, for example 2027-04-25 or 25 April. "
    "No date yet? Tap the button."
)
HINT_RACE_DATE = "I couldn't read that as a date. Try 2027-04-25, 25 April or 25/04/2027."
RACE_DATE_WHICH = "Just to be sure: {date}? (Say yes, or no if you meant {other}.)"
RACE_DATE_SPELL_IT = "Then type it with the month's name, please, e.g. 5 January 2027."
RACE_IN_PAST = "That date has already passed. When is your next race?"
RACE_TOO_FAR = (
    "That's more than two years away. Is there a race before then? If not, tap No date yet."
)
ASK_WEEK = (
    "Now your usual running week. Type it in one message, like this:\n\n{example}\n\n"
    "Days you leave out count as rest. Or tap Day by day and I'll ask about each day."
)
ASK_WEEK_CHANGE = (
    "Your running week now:\n\n{week}\n\nType only the days that change (e.g. Thu tempo "
    "18:00, or Sun long run 8am), or tap Day by day to go through each day."
)
HINT_WEEK = "I couldn't find a day of the week in that; start each part with its day."
WEEK_STILL = "I still couldn't read that part. Type it again, or tap Type the week again."
WEEK_KEPT = "Your running week stays as it is."
WEEK_PARTIAL = "Changed {days}; the other days stay."
WEEK_LEFT_OUT = (
    "{days}: rest, since you left {them} out. I never put strength on a rest day; if a day "
    "without a run is free for strength, call it off (e.g. Fri off)."
)
DAY_NOW = "\nNow: {now}. Tap Keep to leave it."
ASK_DAY = "{day}: what do you usually do? (You can add the start time, e.g. easy 7am.)"
HINT_ONE_DAY = "Just {day} for now, please: e.g. easy 7am, or tap a button."
HINT_DAY = "Tap one of the buttons, or type a run type such as easy, tempo, long run or rest."
ASK_TIME = "{day}: what time do you usually start your {kind}?"
HINT_TIME = "Type a time like 07:00, 7am or 18:30, or tap No fixed time."
ASK_SESSIONS = (
    "How many strength sessions a week would you like? Two to four short ones work well."
)
HINT_SESSIONS = "Please choose 2, 3 or 4 sessions a week."
ASK_MINUTES = "How many minutes can you give each session?"
HINT_MINUTES = "Please type a number of minutes between 10 and 90, or tap one of the buttons."
ASK_PLACEMENT = "Where would you like strength to go?"
HINT_PLACEMENT = "Tap a button, or type after runs, days off or either."
ASK_EQUIPMENT = "What can you train with? Tap everything you have, then Done."
HINT_EQUIPMENT = (
    "Tap what you have and then Done, or type it, e.g. band, dumbbells. Type none for "
    "bodyweight only."
)
ASK_TIMEZONE = (
    "Which time zone are you in? Tap one, or type a city (Paris, Denver) or a zone name "
    "(Europe/Madrid). I use it to remind you at the right local time."
)
HINT_TIMEZONE = "I don't know that place. Try a nearby big city or a zone name like Europe/Berlin."
ASK_NIGGLES = (
    "Any niggles or past injuries I should keep load off? Tap the areas, then Done, or tap "
    "None. (This only shapes the exercises I pick; it isn't a diagnosis.)"
)
HINT_NIGGLES = 'I couldn\'t place "{part}". Tap the areas, or type e.g. knee, achilles, or none.'
SUMMARY_TITLE = "Here's what I have:"
SUMMARY_FOOT = "Is this right?"
ASK_EDIT = "Which answer would you like to change?"
ASK_SETTINGS = "What would you like to change?"
HINT_PICK = "Tap one of the buttons to choose what to change."


# --- The Mini App "My week" (bot/webapp/, docs/miniapp.md) ---------------------------------
# The menu button and /plan's button that open it.
WEBAPP_MENU_BUTTON = "My week"
WEBAPP_OPEN = "📱 Open week"
# The page: every text it shows is served from here (bot/webapp/page.py).
WEBAPP_TEXTS = {
    "title": "My week",
    "loading": "Loading your week…",
    "today": "Today",
    "week": "This week",
    "no_session_today": "No strength session today. Enjoy the run or the rest.",
    "done": "✅ Done",
    "skip": "⏭ Skip",
    "move": "📅 Move to another day",
    "move_to": "Move it to:",
    "move_nowhere": "It can't move to another day this week: every other day breaks a rule.",
    "pain": "🩹 Something hurts",
    "easier": "Easier",
    "harder": "Harder",
    "why": "Why here:",
    "status_done": "✅ Done at {at}.",
    "status_skipped": "⏭ Skipped.",
    "saving": "Saving…",
    "saved_done": "Logged as done. Your chat shows it too.",
    "saved_skip": "Logged as skipped. Your chat shows it too.",
    "saved_move": "Moved. Your reminder follows it; next week is your usual week again.",
    "pain_sent": "The pain check is waiting in the chat: carry on there.",
    "error_auth": (
        "I couldn't confirm this is you, so nothing was shown or changed. Open My week again "
        "from the chat."
    ),
    "error": "Something went wrong and nothing changed. Please try again in a moment.",
    "slow": "That's taking longer than usual. Your chat will show what was saved.",
    "no_plan": "Your plan comes when setup is done: send /start in the chat.",
}

# --- The calendar feed: /calendar, and the feed's events (docs/calendar.md) -------------------

CALENDAR_FEED_WORDS = {
    "calendar_name": "runcoach plan",
    "run": "{kind} ({minutes} min)",
    "run_untimed": "{kind} ({minutes} min, any time)",
    "run_description": "Strength today too. {reason}",
    "strength": "{name} ({minutes} min)",
    "dose": "• {name}: {dose}",
    "reps": "{sets} × {reps}{side}",
    "hold": "{sets} × {seconds} s{side} hold",
    "each_side": " each side",
    "cue": "  {cue}",
    "mobility": "• Mobility: {minutes} min",
    "why": "Why this day: {reason}",
    "paused": "Paused",
    "paused_description": "Your plan is paused until {until}; /resume in the chat brings it back.",
    "paused_open": "Your plan is paused; /resume in the chat brings it back.",
    "paused_injury": "Paused (pain): see someone first",
    "paused_injury_description": (
        "Training is paused until you have been seen about what you told me. Tell me in the "
        "chat once you have."
    ),
    "pain_running": "Running paused (pain)",
    "pain_running_description": (
        "Running is paused while the pain is checked; the strength sessions that are still on "
        "are in your calendar. Tell me in the chat how it feels."
    ),
    "pain_rest": "Training paused (pain)",
    "pain_rest_description": (
        "No training until you have been seen about the pain. Tell me in the chat how it goes."
    ),
}

CALENDAR_ADDRESS = (
    "Your plan as a calendar: runs and strength sessions at their times, updated when your "
    "plan changes.\n\n"
    "Your private address (keep it to yourself):\n{webcal}\n\n"
    "Or, where an app asks for a web address:\n{https}\n\n"
    "Google Calendar (on a computer): Other calendars, +, From URL, paste the https address.\n"
    "Apple Calendar: tap the webcal address, or File, New Calendar Subscription.\n"
    "Outlook: Add calendar, Subscribe from web, paste the https address.\n\n"
    "Calendar apps fetch it about every hour (Google Calendar can take several hours). Shared "
    "it by mistake? /calendar reset gives you a new address and the old one stops working."
)
CALENDAR_EXISTS = (
    "You already have a calendar address (I sent it on {date}). I keep only a fingerprint of "
    "it, so I can't show it again: find that message, or tap New address (the old one stops "
    "working, and you subscribe again with the new one)."
)
CALENDAR_RESET_DONE = "Here is your new address; the old one stopped working just now."
CALENDAR_OPEN_BUTTON = "Open the calendar"
CALENDAR_RESET_BUTTON = "New address"
CALENDAR_NOT_SET_UP = (
    "The calendar isn't switched on on this bot yet: its web server isn't public. Whoever runs "
    "the bot needs to set PUBLIC_URL (the server's public https address) and WEB_LISTEN and "
    "WEB_PORT (where it listens), then restart it."
)
CALENDAR_NEEDS_PLAN = "Set up your plan first with /start; then /calendar gives you its address."
CALENDAR_UNKNOWN = "Did you mean /calendar, or /calendar reset for a new address?"
EXPORT_CALENDAR_CAPTION = "Your coming weeks as a calendar file (.ics): open it to add them."


# --- Coach and physio mode (docs/coaching_mode.md) -------------------------------------------

COACH_ONLY = (
    "This is for coaches. If you coach runners here, ask the person who runs this bot to "
    "name you a coach."
)
COACH_INVITE = (
    "Send this link to a runner you coach:\n{link}\n\n"
    "It works once, for {days} days. The runner sees exactly what you will see and chooses "
    "Share or No thanks; nothing is shared before they tap Share.\n"
    "Runners sharing with you: {count}. /roster shows them."
)
COACH_ANOTHER = "Another link"
COACH_WITHDRAW = "Withdraw open links"
COACH_WITHDRAWN = (
    "Withdrew {count} open invite link{s}: whoever opens one is told it no longer works."
)
INVITE_BAD = (
    "This invite link doesn't work: it is mistyped, already used, expired or withdrawn. "
    "Nothing was shared. Ask your coach for a new link."
)
INVITE_OWN = "That's your own invite link: send it to a runner you coach."
INVITE_ALREADY = "You already share with {coach}. /sharing shows it and stops it."
CONSENT = (
    "{coach} invites you to share your training with them as your coach.\n\n"
    "If you tap Share, {coach} will see:\n"
    "• your plan and how you keep to it: sessions planned and done, your week streak;\n"
    "• your pain reports: the score, the area, the warning tier and the dates;\n"
    "• an alert when you report a warning sign, or when pain has lasted long enough to see "
    "a physio, with the same summary you could forward.\n\n"
    "{coach} never sees what you type or any chat message, and cannot change your answers. "
    "They can add a note to your week, which you see in /plan.\n\n"
    "Nothing is shared until you tap Share, and /sharing stops it at any time."
)
SHARE = "Share"
NO_THANKS = "No thanks"
SHARED = "Done: you share with {coach}. /sharing shows it and stops it at any time."
NOT_SHARED = "OK, nothing is shared with {coach}."
SHARE_STALE = "That invite is no longer open. Nothing was shared."
SHARING_NONE = "You don't share your training with any coach."
SHARING_LIST = (
    "You share your plan, how you keep to it and your pain reports (score, area, tier, "
    "dates) with:\n{coaches}\n\nTap a button to stop sharing with one of them."
)
STOP_SHARING = "Stop sharing with {coach}"
STOPPED_SHARING = (
    "You no longer share with {coach}: they no longer see you on their roster or get alerts "
    "about you."
)
NOT_SHARING = "You don't share with that coach any more. Nothing changed."
ROSTER_EMPTY = "No runner shares with you yet. /coach gives you an invite link."
ROSTER_HEAD = "Your runners ({count}), red first · page {page} of {pages}"
ROSTER_LINE = "{dot} {name} · {done}/{planned} this week · streak {streak} · {pain}"
ROSTER_NO_PAIN = "no pain reported"
ROSTER_PAIN = "pain {score}/10 {area}, {day:%d %b}"
ROSTER_FOOT = "Tap a name for the last 4 weeks and the pain history."
ROSTER_PREVIOUS = "◀"
ROSTER_NEXT = "▶"
ROSTER_PICTURE_BUTTON = "🖼 Picture"
ROSTER_PICTURE_COLOURS = {"red": "RED", "amber": "AMBER", "green": "GREEN"}
ROSTER_PICTURE_DONE = "{done}/{planned}"
ROSTER_PICTURE_STREAK = "streak {streak}"
ROSTER_PICTURE_HEADINGS = ("this week", "weeks", "last pain")
DETAIL_WEEKS = "Last 4 weeks (this one first):"
DETAIL_WEEK = "• week of {monday:%d %b}: {done}/{planned} done"
DETAIL_PAINS = "Pain reports (latest first):"
DETAIL_PAIN = "• {day:%d %b}: {score}/10, {area}{tier}"
DETAIL_NO_PAIN = "• none"
DETAIL_NOTE = "A note on their week (they see it in /plan): /note {id} your text"
NOT_YOUR_RUNNER = "That runner doesn't share with you. Nothing changed."
NOTE_USAGE = (
    "To add a note to a runner's week: /note <number> <text>, with the number shown in "
    "their detail in /roster."
)
NOTE_TOO_LONG = "Please keep a note under {limit} characters."
NOTE_SAVED = "Note saved on {name}'s week of {monday:%d %b}: they see it in /plan."
COACH_NOTE_LINE = "📝 Note from {coach}: {note}"
COACH_ALERT_FLAG = (
    "🚩 {name} reported a red flag today ({tier}); {paused}. They have been told where to "
    "get care. Their pain history is in /roster."
)
COACH_TIERS = {
    "emergency": "emergency care advised",
    "same-day": "same-day care advised",
    "within-days": "a doctor or physio within days advised",
}
COACH_TIER_OTHER = "care advised"
COACH_PAUSED_ALL = "their plan is paused"
COACH_PAUSED_RUNS = "their running is paused until they have been seen"
COACH_ALERT_PHYSIO = (
    "🩺 {name}'s pain has lasted long enough to see a physio or doctor. The summary they can "
    "forward:\n\n{summary}"
)
CLI_NO_COACHES = "No coaches yet: runcoach coach add <telegram user id>."
CLI_COACH_LINE = "{id} (from {source})"
CLI_COACH_ADDED = "{id} is now a coach: /coach gives them an invite link."
CLI_COACH_ALREADY = "{id} is already a coach."
CLI_COACH_REMOVED = (
    "{id} is no longer a coach; {links} runner link(s) ended and their invites were withdrawn."
)
CLI_COACH_STILL_SET = "COACH_USER_IDS still names them: take them out of it too."
COACH_DIGEST = (
    "Monday digest: {count} runners share with you · 🔴 {red} · 🟠 {amber} · 🟢 {green}. "
    "/roster shows each of them."
)
COACH_DIGEST_RED = "Red: {names}."
COACH_DIGEST_MORE = " and {more} more"
COACH_DIGEST_TURN_OFF = "Monday digest: turn off"
COACH_DIGEST_TURN_ON = "Monday digest: turn on"
COACH_DIGEST_IS_OFF = "The Monday digest is off. /coach turns it back on."
COACH_DIGEST_IS_ON = "The Monday digest is on: Mondays at 08:00, your time."


# --- Pictures: the week as a picture, progress as a chart (bot/pictures/, docs/pictures.md) ---
PICTURE_BUTTON = "🖼 Picture"
PICTURE_TITLE = "Your week from {first:%A %d %B}"
PICTURE_DAY = "{day:%a}\n{day:%d %b}"
PICTURE_TODAY = "TODAY"
PICTURE_KINDS = {
    "rest": "Rest",
    "off": "No run",
    "easy": "Easy",
    "recovery": "Recovery",
    "long": "Long run",
    "intervals": "Intervals",
    "tempo": "Tempo",
    "hills": "Hills",
    "race": "RACE",
    "cross": "Cross",
}
PICTURE_STRENGTH = "STRENGTH"
PICTURE_MINUTES = "{minutes} min"
PICTURE_PAUSED = "PAUSED"
PICTURE_NOT_PLANNED = "before\nyou\njoined"
PICTURE_PAIN = {
    "run_paused": "run paused\n(pain)",
    "eased": "eased\n(pain)",
    "removed": "removed\n(pain)",
}
PICTURE_SENDING_FAILED = "I couldn't draw the picture just now. /plan has the same week in words."
# The caption: the picture's facts in words (for screen readers), within Telegram's 1,024.
CAPTION_TITLE = "Your week from {first:%A %d %B}."
CAPTION_RUNS = "Runs: {runs}."
CAPTION_NO_RUNS = "No runs this week."
CAPTION_STRENGTH = "💪 {day:%a %d}: {name}, {minutes} min{pain}"
CAPTION_REMOVED = "💪 {day:%a %d}: {what}"
CAPTION_NO_STRENGTH = "No strength sessions this week."
CAPTION_TODAY = "Today: {day:%a %d}."
CAPTION_PAUSED = "Paused: {days}."
CAPTION_PAIN = {
    "run_paused": "run paused for pain",
    "eased": "eased for pain",
    "removed": "removed for pain",
}
PROGRESS_TITLE = "Your last {weeks} weeks · streak: {streak} {unit}"
PROGRESS_SESSIONS = "Strength sessions a week"
PROGRESS_PLANNED = "planned"
PROGRESS_DONE = "done"
PROGRESS_SKIPPED = "skipped"
PROGRESS_LEVEL = "level"
PROGRESS_LEVEL_AT = "level {level}"
PROGRESS_PAIN = "Pain score (0–10)"
PROGRESS_NO_PAIN = "No pain reported in these weeks."  # drawn: no emoji (DejaVu Sans has none)
PROGRESS_CAPTION = (
    "Your last {weeks} weeks. Level {level} now; streak {streak} {unit}.\n"
    "Done of planned, week by week (oldest first): {per_week}.\n"
    "Skipped: {skipped} in all."
)
PROGRESS_CAPTION_PAIN = "Last pain scores: {scores}."
CAPTION_PAIN_SCORE = "{day:%d %b} {area} {score}/10"
PROGRESS_CAPTION_NO_PAIN = "No pain reported."
PROGRESS_NONE = (
    "No progress to chart yet: once you've marked a few sessions done or skipped "
    "(/today, or the reminder's buttons), /progress shows your weeks."
)
MONTHLY_PROGRESS = "Your month in a chart: /progress shows it any time."

# --- branch a14 (issue 14: typed answers everywhere) --------------------------------------------
# /today's session: how it felt, and Move (moved from bot/handlers/today.py).
FEEL_QUESTION = "How did it feel? (Optional: it helps me pitch next week.)"
FEEL_NOTED = {  # keyed by core.progression.Feel's values
    "easy": "Noted: it felt easy.",
    "about-right": "Noted: about right.",
    "hard": "Noted: it felt hard.",
}
FEEL_ECHO = {"easy": "Easy", "about-right": "About right", "hard": "Hard"}
FEEL_NOT_DONE = (
    "I'll ask how it felt once today's session is marked done: tap ✅ Done or type done."
)
MOVE_NOT_THIS_WEEK = "Only this week's sessions can be moved, and that one is not this week's."
MOVE_PAST = "That session's day is already past, so there's nothing to move."
MOVE_NONE = "There's no strength session on that day any more."
MOVE_RECORDED = "That session is already {recorded}, so it stays where it is."
MOVE_ASK = (
    "Move {day}'s {name} to which day? Tap it or type it, e.g. sat. "
    "(This week only: your usual week stays as it is.)"
)
MOVE_NOWHERE = (
    "{day}'s {name} can't move to another day this week: every other day breaks a placement rule."
)
MOVE_CANT = "Not {day}: {reason}"
MOVE_PAST_DAYS = "{days}: already past."
MOVE_REFUSED = "It can't go on {day}: {reason}"
MOVE_NO_ROOM = "it has no room."
MOVE_NOT_THIS_WEEKS_DAY = "it isn't another day of this week."
MOVED = (
    "Moved: {name} is on {to} this week instead of {day}. Your reminder follows it; "
    "next week is your usual week again."
)
NO_SESSION_THAT_DAY = "There's no strength session on that day any more."
# Typed answers to /today's follow-up questions (bot/handlers/today_typed.py).
SNOOZE_WHICH = "I can remind you in 30 min, in 2 h or tonight: tap one or type it (e.g. 2h)."
MOVE_WHICH_DAY = "Which day? Tap one, or type it (e.g. sat)."
CHANGE_YES_OR_NO = "Tap a button, or type yes to change it or no to keep it."
# /pause with a date that reads two ways: paused on the first reading, the other one a tap away.
PAUSE_READ_AS = "I read {typed} {order}; if you meant {other}, tap below."
PAUSE_DAY_FIRST = "day first (as dates are written in {zone})"
PAUSE_MONTH_FIRST = "month first (as dates are written in {zone})"
PAUSE_NEXT_DAY = "as the coming {weekday}"
PAUSE_OTHER_BUTTON = "Until {date}"
# /today's status and the echoes of its buttons (moved from bot/handlers/today.py).
TODAY_HEADING = "Today, {day}"
STATUS_DONE = "✅ Done at {at:%H:%M}."
STATUS_SKIPPED = "⏭ Skipped."
STATUS_SNOOZED = "⏰ Snoozed until {at:%H:%M}."
RECORDED_DONE = "done at {at:%H:%M}"
RECORDED_SKIPPED = "skipped"
ALREADY_NOTED_AS = "Already noted as {status}."
ALREADY_NOTED = "Already noted."
ECHO_KEPT = "Kept"
ECHO_MARKED = "Marked {status}"
ECHO_MOVE_TO = "Move to {day}"
KEPT_AS_IT_WAS = "as it was"
MOVE_SAME_DAY = "It is on {day} already. Which other day?"
# Free days for strength (moved from bot/dialog/placement.py).
ASK_FREE_DAYS = (
    "Every day without a run in your week is a rest day ({days}), and I keep rest days clear "
    "of strength, so your sessions would go after runs instead.\n"
    "Is one of them free — no run, but fine for strength? Tap it, then Done."
)
HINT_FREE_DAYS = "Tap the free days and Done, type them (e.g. Sat), or say keep."
NOT_A_REST_DAY = "{day} has a run already. Which of {days} is free? Or say keep."
KEPT_AS_REST = "All rest days, then: strength goes after your runs and the rest days stay clear."
MADE_FREE = "{days}: no run, free for strength. The other days stay rest."
NO_FREE_DAY = (
    "Strength stays after your runs: your week has no free day without a run "
    "(/settings → Running week, e.g. Sat off, makes one)."
)
FREE_DAY_DID_YOU_MEAN = "Did you mean {day}? Say yes, or type the days again (e.g. Wed and Sun)."
# A shared location's "Switch to ...?" (moved from bot/handlers/location.py).
ASK_SWITCH = "Switch to {zone}? It's {now} there. Your reminders would follow its local time."
SAME_ZONE = "You're already on {zone} time. Nothing changes."
NO_ZONE = (
    "I couldn't tell the time zone of that place. /settings → time zone lets you type it "
    "(e.g. Tokyo)."
)
NO_ZONE_HERE = "I couldn't tell the time zone of that place. Type a city instead (e.g. Tokyo)."
KEPT_ZONE = "Kept {zone}. Your reminders stay on its time."
STALE = "That question has passed; share your location again to switch."
SWITCH_YES_OR_NO = "Switch to {zone}? Tap Yes or No, or type yes or no."
# /settings → Running week: a day's button changes that day only (bot/dialog/week.py).
ASK_WEEK_ONE_DAY = "\nOr tap the one day to change."

# --- fix (issues 14/15: the audits' last bugs) ---
# /progress's caption after this week's step: both levels, as the Sunday line says it.
PROGRESS_CAPTION_STEPPED = (
    "Your last {weeks} weeks. Level {level} this week, level {next} from next week; "
    "streak {streak} {unit}.\n"
    "Done of planned, week by week (oldest first): {per_week}.\n"
    "Skipped: {skipped} in all."
)
# "skip" typed at "How did it feel?": the question is skipped, the session stays done.
FEEL_SKIPPED = "Fine, no feel noted: the session stays done."
# A reply to /reminders' buttons that names none of them (bot/handlers/reminder_settings.py).
REMINDERS_TYPED_HINT = (
    "Tap a button, or type one: +15 min (or right after, half an hour), a morning time "
    "(7am, 08:00), or a kind and on or off (morning messages off)."
)
