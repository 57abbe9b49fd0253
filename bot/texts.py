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

/plan shows this week: every day, your run and where strength fits, with the reason.
/week next shows next week. Under either, 🖼 Picture sends the week as an image.
/progress charts your last 12 weeks: sessions planned, done and skipped, the level, pain.
/today shows today's session in full, with buttons to mark it done or skipped, or move it \
to another day this week.
/thisweek changes this week's runs only ("Thu tempo is on Fri", "no long run").
/settings changes your running week, times, time zone, sessions, minutes, equipment or \
niggles; the plan is rebuilt and I show you what changed.
/reminders shows what's coming and lets you change the reminder delay, the morning time, \
or turn kinds of messages off.
/pain (or just tell me what hurts, in your own words) starts a short pain check: safety \
questions first, then advice and a plan that keeps load off the sore area, and a check-in \
the next morning. /painlog lists your reports.
/pause stops reminders for a while (/pause 2 weeks, /pause 2027-01-05 holiday); /resume \
brings them back. Ill? Just tell me ("I'm ill") and I'll check on you each morning.
Travelling? Share your location and I'll offer to switch your time zone.
/start sets you up (or offers to change your setup if you have one).
/export sends you everything I store about you, as a JSON file; /delete erases it all \
(after you confirm).
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
    ("export", "All your data as a file"),
    ("delete", "Erase all your data"),
    ("help", "What I can do"),
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
    "{days}: rest, since you left them out. I never put strength on a rest day; if a day "
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
