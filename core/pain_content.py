"""Everything the pain check says, in one place so a physio can review it as a whole.

Rules for every text here (docs/safety.md): never a diagnosis ("this could be", never
"you have"); never "push through"; escalation first and alone, with the local numbers; every
self-care message carries a time limit and a re-check; the "not medical advice" line. Written
in our own words. `{emergency}` and `{same_day}` are filled from
the runner's country (`SERVICES` below), so no runner is told a number that is not theirs.
"""

from __future__ import annotations

from core.flags import RedFlag, Screen, Urgency
from core.models import BodyArea

NOT_MEDICAL_ADVICE = (
    "I can't examine you: this is general training information, not medical advice, "
    "a diagnosis or treatment."
)

# --- local services, by country (ISO 3166 code; core/countries.py maps time zones) ----------
# (emergency number, where to be seen the same day). Each line must be checked against that
# country's health service before launch; a zone we can't place gets the fallback below.

GENERIC_SAME_DAY = "an urgent care clinic or your doctor's same-day service"
SERVICES: dict[str, tuple[str, str]] = {
    # NHS 111 covers England, Wales and Scotland (NHS 24); Northern Ireland has no 111 line.
    "GB": (
        "999",
        "NHS 111 (in Northern Ireland, your GP out of hours), or your GP's same-day service",
    ),
    "IE": ("112 or 999", "your GP's same-day service, or an out-of-hours GP"),
    "US": ("911", GENERIC_SAME_DAY),
    "CA": ("911", "a walk-in or urgent care clinic, or your health line (811 in most provinces)"),
    "AU": ("000", "your GP today, or healthdirect on 1800 022 222"),
    "NZ": ("111", "your GP today, or Healthline on 0800 611 116"),
    "DE": ("112", "the on-call doctors' service on 116 117, or your doctor today"),
    "AT": ("144 or 112", "the health line on 1450, or your doctor today"),
    "CH": ("144 or 112", "your doctor or a walk-in clinic today"),
    "FR": ("15 or 112", "your doctor today, or an out-of-hours doctor"),
    "NL": ("112", "your GP today, or the out-of-hours GP service (huisartsenpost)"),
    "PT": ("112", "SNS 24 on 808 24 24 24, or your doctor today"),
    "SE": ("112", "1177 for advice, or your health centre today"),
    "NO": ("113 or 112", "the out-of-hours service (legevakt) on 116 117"),
    "FI": ("112", "the medical helpline on 116 117, or your health centre today"),
    "JP": ("119", GENERIC_SAME_DAY),
    "IN": ("112", GENERIC_SAME_DAY),
    "SG": ("995", GENERIC_SAME_DAY),
    "HK": ("999", GENERIC_SAME_DAY),
    "BR": ("192", GENERIC_SAME_DAY),
    "MX": ("911", GENERIC_SAME_DAY),
    "ZA": ("10177, or 112 from a mobile", GENERIC_SAME_DAY),
}
# Every EU country answers 112.
for _code in ("BE", "ES", "IT", "LU", "DK", "PL", "CZ", "SK", "HU", "SI", "HR", "GR", "RO"):
    SERVICES.setdefault(_code, ("112", GENERIC_SAME_DAY))
for _code in ("BG", "EE", "LV", "LT", "MT", "CY", "IS"):
    SERVICES.setdefault(_code, ("112", GENERIC_SAME_DAY))
FALLBACK_EMERGENCY = "112 from any mobile"
FALLBACK_NOTE = "If 112 doesn't work where you are, use your local emergency number."

# --- red-flag screens, asked first, one clear question each -----------------------------------

SCREEN_TEXTS: dict[Screen, str] = {
    Screen.NOW: (
        "First, a safety check. Is any of these happening right now?\n"
        "• chest pain or pressure, unusual breathlessness, feeling faint, or a racing or "
        "irregular heartbeat\n"
        "• pain in the arm, jaw, neck or shoulder that came on with effort\n"
        "• leg pain or swelling together with breathlessness or chest pain\n"
        "• numbness around the groin or buttocks, new bladder or bowel problems, numbness or "
        "weakness in both legs, or sudden weakness in a leg\n"
        "• a limb that looks out of shape, or you can't put any weight on it after a fall "
        "or twist\n"
        "• a hot, swollen joint with a fever or feeling unwell\n"
        "• confusion, collapse, vomiting or a severe headache after a hot or long run\n"
        "Tap the one that fits, or None of these."
    ),
    Screen.RECENT: (
        "In the last few days, even if it has gone now, have you had any of these?\n"
        "• chest pain or pressure, fainting, or a racing or irregular heartbeat during or "
        "after exercise\n"
        "• pain in the arm, jaw, neck or shoulder brought on by effort\n"
        "• a knock to the head in a fall, then a headache, vomiting, confusion or drowsiness\n"
        "• dark or cola-coloured urine with severe muscle pain after a hard or long effort"
    ),
    Screen.TODAY: (
        "Is any of these true of it now?\n"
        "• one calf or thigh swollen, warm, red or throbbing, or with hard, sore veins (even "
        "after a knock or strain)\n"
        "• after a twisted ankle or foot: you can't walk four steps, or a bone around it "
        "hurts to press\n"
        "• a knee that locks, gives way or has swollen up badly\n"
        "• a snap, or a feeling of being kicked, at the back of the heel, or you can't push "
        "off or go up on tiptoe"
    ),
    Screen.DAYS: (
        "And any of these?\n"
        "• pain on one spot of a bone that gets worse the more you run\n"
        "• groin or hip pain that gets worse as you run\n"
        "• pain at night, or constant pain at rest\n"
        "• numbness, tingling or weakness\n"
        "• a fever, weight loss you can't explain, or cancer in the past\n"
        "• pain that keeps getting worse despite rest, or is no better after 1-2 weeks"
    ),
}
FLAG_BUTTONS: dict[RedFlag, str] = {
    RedFlag.CHEST_NOW: "Chest, breathing, faint or heartbeat",
    RedFlag.EFFORT_ARM_NOW: "Arm, jaw or neck pain with effort",
    RedFlag.LEG_AND_BREATH: "Sore or swollen leg and breathless",
    RedFlag.SADDLE: "Groin numbness, bladder or leg weakness",
    RedFlag.DEFORMED: "Looks deformed or can't take weight",
    RedFlag.HOT_JOINT: "Hot swollen joint and fever",
    RedFlag.HEAT: "Confused, collapsed or vomiting",
    RedFlag.CHEST_RECENT: "Chest pain, fainting or palpitations",
    RedFlag.EFFORT_ARM_RECENT: "Arm, jaw or neck pain with effort",
    RedFlag.HEAD_INJURY: "Head knock, then symptoms",
    RedFlag.DARK_URINE: "Dark urine and severe muscle pain",
    RedFlag.CALF_CLOT: "Calf or thigh swollen, warm or red",
    RedFlag.ANKLE: "Twisted ankle: can't walk or bone sore",
    RedFlag.KNEE: "Knee locks, gives way or swells",
    RedFlag.ACHILLES_SNAP: "Achilles snap or can't tiptoe",
    RedFlag.BONE_SPOT: "One spot on a bone, worse as I run",
    RedFlag.HIP_GROIN: "Groin or hip, worse as I run",
    RedFlag.NIGHT: "Pain at night or at rest",
    RedFlag.NERVE: "Numbness, tingling or weakness",
    RedFlag.SYSTEMIC: "Fever, weight loss or past cancer",
    RedFlag.NOT_SETTLING: "Worse despite rest, or not improving",
}
NONE_OF_THESE = "None of these"
SCREEN_HINT = (
    "I couldn't match that to one of these. Please tap the one that fits, or None of these "
    "(you can also type it in your own words)."
)
WHICH_ONE = "Which one? Please tap it, so I can point you the right way."

# --- escalation: first and alone -------------------------------------------------------------

ESCALATION_HEAD: dict[Urgency, str] = {
    Urgency.EMERGENCY: (
        "🚨 Please stop now and call {emergency}, or have someone take you to an emergency "
        "department straight away. Don't drive yourself, and don't wait to see if it passes."
    ),
    Urgency.SAME_DAY: (
        "⚠️ Please stop training and get seen today: {same_day}. If you get chest pain, "
        "trouble breathing or feel faint, call {emergency} straight away."
    ),
    Urgency.WITHIN_DAYS: (
        "Please book a doctor or a sports physio in the next few days, and don't run until "
        "you've been seen. If it gets much worse, or you can't put weight on it, get seen "
        "today: {same_day}."
    ),
}
# Groin or hip pain that worsens with running: a high-risk bone stress site, so within 24-48
# hours rather than "the next few days" (issue 12).
HIP_GROIN_HEAD = (
    "Please book a doctor or a sports physio to see you within the next 24-48 hours, and "
    "don't run until you've been seen. If it gets much worse, or you can't put weight on it, "
    "get seen today: {same_day}."
)
FLAG_REASONS: dict[RedFlag, str] = {
    RedFlag.CHEST_NOW: (
        "Chest pain, breathlessness, feeling faint or an unusual heartbeat can be a sign "
        "of a heart or lung problem, so it needs checking at once."
    ),
    RedFlag.EFFORT_ARM_NOW: (
        "Arm, jaw, neck or shoulder pain that comes on with effort can come from the heart, "
        "so it needs checking at once."
    ),
    RedFlag.LEG_AND_BREATH: (
        "A sore or swollen leg together with breathlessness or chest pain could be a clot "
        "that has travelled to the lungs."
    ),
    RedFlag.SADDLE: (
        "Numbness around the groin or buttocks, bladder or bowel changes or sudden leg "
        "weakness can mean pressure on the nerves at the base of the spine."
    ),
    RedFlag.DEFORMED: (
        "A limb that looks out of shape, or one you can't put any weight on, could be broken "
        "or dislocated: keep it still and don't try to walk on it."
    ),
    RedFlag.HOT_JOINT: (
        "A hot, swollen joint with a fever could be an infection in the joint, which needs "
        "treatment quickly."
    ),
    RedFlag.HEAT: (
        "Confusion, collapse, vomiting or a severe headache after a hot or long run could be "
        "heat illness or a problem with your body's salt balance. Get somewhere cool, and "
        "don't stay on your own."
    ),
    RedFlag.CHEST_RECENT: (
        "Chest pain, pressure, fainting or a racing heartbeat during or after exercise needs "
        "a doctor to look at it, even if it has gone. Please don't exercise until then."
    ),
    RedFlag.EFFORT_ARM_RECENT: (
        "Arm, jaw, neck or shoulder pain brought on by effort can come from the heart, so a "
        "doctor should check it, even if it has gone. Please don't exercise until then."
    ),
    RedFlag.HEAD_INJURY: (
        "A knock to the head followed by a headache, vomiting, confusion or drowsiness needs "
        "checking today, and an emergency department is often the right place. If you were "
        "knocked out, have been sick more than once, or it's getting worse, call {emergency} "
        "now. Don't drive, and don't stay on your own tonight."
    ),
    RedFlag.DARK_URINE: (
        "Dark or cola-coloured urine with severe muscle pain after a hard or long effort can "
        "mean muscle breakdown that strains the kidneys. A simple blood test checks it."
    ),
    RedFlag.CALF_CLOT: (
        "One calf or thigh that is swollen, warm, red or throbbing could be a blood clot, "
        "even after a knock or a strain. If you also get breathless or chest pain, call "
        "{emergency}."
    ),
    RedFlag.ANKLE: (
        "Not being able to walk four steps, or a sore spot on the bone after a twist, could "
        "mean a fracture: an X-ray may be needed. Keep weight off it until you've been seen."
    ),
    RedFlag.KNEE: (
        "A knee that locks, gives way or swells up badly could have a torn cartilage or "
        "ligament, which is worth checking early."
    ),
    RedFlag.ACHILLES_SNAP: (
        "A snap or a kick at the back of the heel, or not being able to push off, could be "
        "a torn Achilles. It heals best when it's treated early, so please don't walk it off."
    ),
    RedFlag.TORSO: (
        "Pain in the chest, head or tummy isn't something a training coach should guide you "
        "through. A doctor should check it."
    ),
    RedFlag.SEVERE: (
        "Pain of 8 out of 10 or more is too much to train around and needs a proper look."
    ),
    RedFlag.NOT_WALKING: (
        "If you can't walk normally, something may be injured that needs a proper look."
    ),
    RedFlag.BONE_SPOT: (
        "Pain on one spot of a bone that builds as you run could be a bone stress injury. "
        "Please don't test it by hopping or running on it."
    ),
    RedFlag.HIP_GROIN: (
        "Groin or hip pain that gets worse as you run could be a bone stress injury in a "
        "place where it matters most: please stop running and get seen within 24-48 hours."
    ),
    RedFlag.NIGHT: (
        "Pain at night, or pain that stays when you rest, is worth a doctor's look rather "
        "than training around."
    ),
    RedFlag.NERVE: (
        "Numbness, tingling or weakness can come from a nerve, and a clinician should check "
        "it, sooner if it is spreading or getting worse."
    ),
    RedFlag.SYSTEMIC: (
        "A fever, weight loss you can't explain, or cancer in the past, alongside pain, needs "
        "a doctor to look at the whole picture. Please don't train with a fever."
    ),
    RedFlag.NOT_SETTLING: (
        "Pain that gets worse despite rest, or hasn't improved in 1-2 weeks, needs a "
        "clinician's eye rather than more of the same."
    ),
    RedFlag.RISING: (
        "Your pain has jumped by 3 points or more since the last check-in, which is a sign to "
        "get it looked at rather than keep adjusting training."
    ),
    RedFlag.PERSISTING: (
        "It has hurt at three check-ins in a row, or got worse twice in a row, so it's time "
        "for a professional to look at it."
    ),
}
PLAN_PAUSED = "I've paused your training reminders and I'll check in with you tomorrow morning."
RUNNING_PAUSED = (
    "Until then I've paused running in your plan and kept strength to upper body and trunk. "
    "I'll check in tomorrow morning."
)
CHECK_IN_TOMORROW = "I'll check in with you tomorrow morning."
# Signs that stop all exercise until seen (core.flags.NO_EXERCISE): no strength either.
REST_PAUSED = (
    "Until then I've taken running and strength out of your plan: please don't exercise "
    "until you've been seen. I'll check in tomorrow morning."
)

# --- self-care: the traffic light (after the pain-monitoring model) ---------

GREEN_ADVICE = (
    "🟢 Mild (0-3) and settled by the next morning is usually OK to train with. Keep your "
    "running steady rather than adding more, and stop any exercise that makes it hurt more. "
    "I'll ask again tomorrow morning. If it's worse tomorrow, or no better in 1-2 weeks, see "
    "a physio or doctor."
)
GREEN_TENDON_ADVICE = (
    "🟢 Mild (0-3): pain here usually does better with steady, gentle loading than with "
    "complete rest. Pain during an exercise may reach 3 out of 10 but should settle by the "
    "next morning; if it's higher the next morning, that's the sign to do less. I'll ask "
    "tomorrow morning. Worse tomorrow, or no better in 1-2 weeks: see a physio or doctor."
)
AMBER_ADVICE = (
    "🟠 Moderate (4-5), or still there the next morning: the load was more than it could "
    "take. Ease off the running or exercises that bring it on, and check how it feels "
    "tomorrow morning: worse than today means easing off further. No better in 1-2 weeks, "
    "or worse, see a physio or doctor."
)
OTHER_AREA_ADVICE = (
    "🟠 As it's somewhere I don't have on my list, I can't tell which exercises load it: "
    "leave out any exercise or run that brings it on, and I'll ask tomorrow morning. If "
    "it's worse tomorrow, or no better within a week, see a physio or doctor."
)
RED_ADVICE = (
    "🔴 Pain of 6 or more, or pain that builds as you go or turns sharp: stop running and "
    "the exercises that load that area for now. Don't run through it. I'll ask how it is "
    "tomorrow morning. If it's not clearly better in a few days, see a physio or doctor; "
    "sooner if it gets worse."
)
ALWAYS = (
    "Always: stop any exercise that hurts, never push through pain, and see a physio if it "
    "keeps coming back."
)
STILL_ESCALATED = (
    "Please don't forget the symptoms you told me about on {since}: running stays "
    "paused until a doctor or physio has seen you about them."
)

# --- area notes : what it's often linked with, never a diagnosis ------------
# They say what usually helps over the coming weeks; what the plan does now is said in the
# plan-change message, worked out from the plan itself, so the two never disagree.

AREA_NOTES: dict[BodyArea | None, str] = {
    BodyArea.KNEE_FRONT: (
        "Pain around or behind the kneecap is often linked with load from stairs, squats and "
        "running. What usually helps over the coming weeks: less of what provokes it, then "
        "hip and knee strength, with squats only as deep as stays comfortable. A knee that "
        "locks, gives way or swells badly needs seeing today."
    ),
    BodyArea.KNEE_OUTSIDE: (
        "Pain on the outside of the knee is often linked with running volume and downhill or "
        "cambered routes. What usually helps: a bit less volume, flatter routes, and hip "
        "strength (side-lying leg raises, band walks), building back gradually."
    ),
    BodyArea.SHIN: (
        "A spread-out ache along the inner shin is often linked with a quick rise in running. "
        "Swap some runs for low-impact cardio and build back slowly. Pain on one small spot of "
        "the bone is different: that needs a doctor or physio to look at it."
    ),
    BodyArea.ACHILLES: (
        "Achilles pain and stiffness, often worst in the morning and easing as it warms up, "
        "usually responds to steady, patient calf loading over weeks, kept at a level it "
        "tolerates. A sudden snap or kick at the heel needs seeing today."
    ),
    BodyArea.FOOT: (
        "Heel or arch pain that's worst on the first steps after rest is common in runners. "
        "Slow, heavy heel raises every other day often help over some weeks. Numbness, "
        "tingling, or no improvement in 2 weeks: see a physio or doctor."
    ),
    BodyArea.CALF: (
        "A sudden sharp calf pain during speed or hill work is often a strain: ease off, then "
        "rebuild gradually. A calf that is swollen, warm, red or throbbing needs a doctor "
        "today, even if it started with a strain."
    ),
    BodyArea.HAMSTRING: (
        "A deep ache at the sit-bone, worse when sitting, uphill or at speed, is often linked "
        "with tendon load. Avoid long sitting and deep stretches into it for now; gentle "
        "holds and gradual strength work usually help. A sudden pop with bruising needs "
        "seeing."
    ),
    BodyArea.HIP: (
        "Hip and glute pain often settles with a short cut in volume and steady hip strength "
        "work. Groin or hip pain that worsens as you run, or pain at night, should be checked "
        "by a doctor or physio within a day or two."
    ),
    BodyArea.LOWER_BACK: (
        "Most lower back pain in runners settles with staying gently active and easing what "
        "provokes it. Numbness in the groin, bladder or bowel changes, or weakness in a leg "
        "need emergency care."
    ),
    BodyArea.SHOULDER: (
        "Shoulder pain rarely stops running. If it doesn't settle in 1-2 weeks, see a physio."
    ),
    None: (
        "For an area not on the list, the same rules apply: ease off what provokes it, stop "
        "anything that hurts, and see a physio or doctor if it's no better in 1-2 weeks."
    ),
}

# --- what changed in the plan (worked out from the plans before and after) -----------------

PLAN_ADAPTED = "I've changed your plan while it's sore:"
PLAN_LEFT_OUT = "{day}: left out {names} (they load the sore area)"
PLAN_SWAPPED = "{day}: {old} swapped for {new}"
PLAN_NOW = "What changes in this week's sessions:"
PLAN_EASIER = "Fewer reps and sets for now, while it settles"
PLAN_NOTHING_LOADS = (
    "None of this week's strength exercises load that area, so your sessions stay as they are."
)
PLAN_KEEPS_LOADING = (
    "Your sessions keep the exercises that load it, gently: steady loading usually helps here."
)
PLAN_NO_AREA = "As I can't tell which exercises load it, your sessions stay as they are."
UPPER_ONLY_NOTE = (
    "Upper body and trunk only, until a doctor or physio has seen you about your symptoms."
)
PAUSED_PLAN_NOTE = "Running is paused until a doctor or physio has seen you."
REST_PLAN_NOTE = "Running and strength are paused until a doctor or physio has seen you."
REST_REASON = "No exercise until you've been seen."
PAUSED_REASON = "Running is paused until you've been seen."
PAUSED_SESSION_REASON = "Upper body and trunk only, while running is paused."
GENTLE_NOTE = "Keep squats and split squats only as deep as stays comfortable (0-3 out of 10)."

# --- questions ----------------------------------------------------------------------------------

ASK_AREA = "Where does it hurt?"
TORSO_LABEL = "Chest, head or tummy"
OTHER_LABEL = "Somewhere else"
ASK_SCORE = "How bad is it right now, from 0 (nothing) to 10 (the worst you can imagine)?"
ASK_WALKING = "Can you walk normally right now, without limping?"
ASK_WHEN = "When does it hurt?"
ASK_SHARP = "Does it build up as you run, or turn sharp?"
MAYBE_CHECK = "Sounds like something's wrong — shall we do the pain check?"
MAYBE_YES = "🩹 Yes, pain check"
MAYBE_NO = "No, all good"
MAYBE_NO_REPLY = 'OK. If anything hurts, say "pain" or /pain any time.'
NOT_NOW = (
    "OK, we'll leave it for now. If you get chest pain, trouble breathing, feel faint, or "
    'can\'t put weight on it, call {emergency} or get seen today. Say "pain" or /pain any '
    "time and I'll go through it with you."
)

# --- follow-up ---------------------------------------------------------------------------------

FOLLOWUP_QUESTION = "Checking in: how is your {area} today, from 0 (gone) to 10?"
SEEN_QUESTION = (
    "Checking in about the symptoms you told me about on {since}. How are you today? Have "
    "you been seen by a doctor or physio yet, and what did they say?"
)
SEEN_CLEARED = "✅ Cleared to train"
SEEN_REHAB = "🩺 Told to rest or do rehab"
NOT_SEEN = "⏳ Not seen yet"
NEW_SYMPTOMS = "🩹 New or worse symptoms"
CLEARED_BY_CLINICIAN = (
    "Good to hear you've been cleared. I'll bring training back in steps, not all at once: "
    "running and your usual strength sessions are back from today, but the exercises that "
    "load the sore area stay out and the sessions stay a step easier for now. I'll ask how "
    "it feels tomorrow morning. If they gave you a plan for getting back to running, follow "
    "theirs. Any pain that builds, or anything like the first symptoms: stop, and tell me."
)
CLEARED_NO_AREA = (
    "Good to hear you've been cleared. I'll bring training back in steps, not all at once: "
    "running and strength are back from today, with the sessions a step easier for now. "
    "I'll ask how you are tomorrow morning. If they gave you a plan for getting back to "
    "running, follow theirs. Anything like the first symptoms: stop, and tell me."
)
REHAB_REST_PLAN = (
    "Thanks. Please follow what they told you. Until they clear you, I'll keep running and "
    "strength out of your plan, so nothing clashes with their advice. I'll check in again in "
    "{days} days; when they clear you to train, tap Cleared to train. If it gets worse in "
    "the meantime, go back to them."
)
REHAB_PLAN = (
    "Thanks. Please follow what they told you. I'll keep running paused and your strength "
    "sessions to upper body and trunk, so nothing clashes with your rehab. I'll check in "
    "again in {days} days; when they clear you to train, tap Cleared to train. If it gets "
    "worse in the meantime, go back to them."
)
NOT_SEEN_TEXT: dict[Urgency, str] = {
    Urgency.EMERGENCY: (
        "Please don't leave it. If you have any of those symptoms now, call {emergency}. If "
        "they've gone, please still see a doctor today: {same_day}. Training stays paused, "
        "and I'll check in again tomorrow."
    ),
    Urgency.SAME_DAY: (
        "Please get seen today: {same_day}. If you get chest pain, trouble breathing or feel "
        "faint, call {emergency}. Training stays paused, and I'll check in again tomorrow."
    ),
    Urgency.WITHIN_DAYS: (
        "Please book a doctor or sports physio soon. Until you've been seen, running stays "
        "paused and strength stays upper body and trunk. If it gets much worse, or you can't "
        "put weight on it, get seen today: {same_day}. I'll check in again tomorrow."
    ),
}
NOT_SEEN_REST = (
    "Please book a doctor soon. Until you've been seen, running and strength stay out of "
    "your plan. If it gets much worse, get seen today: {same_day}, or call {emergency} if "
    "you get chest pain, trouble breathing or feel faint. I'll check in again tomorrow."
)
NOT_SEEN_WEEK = (
    "It's been a week or more since you told me about it. I'd really like you to be checked: "
    "nothing changes in your plan until a doctor or physio has seen you."
)
FOLLOWUP_AREA_BACK = (
    "No pain today, good. I've brought back the exercises that load it, with the sessions "
    "still a step easier. I'll check once more tomorrow morning; if it hurts again, tell me."
)
FOLLOWUP_NO_PAIN_STEP = (
    "No pain today, good. Sessions stay a step easier for one more day; I'll check once more "
    "tomorrow morning. If it hurts again, tell me."
)
FOLLOWUP_SETTLED = 'Great news, that\'s settled. Stop and tell me ("pain") if it comes back.'
FOLLOWUP_STEP_UP = (
    "Still no pain, good. Your sessions are back to their usual level. Stop and tell me "
    '("pain") if it comes back.'
)
FOLLOWUP_CLEARED = (
    "Great news, that's settled. The exercises that load it are back in your sessions. Stop "
    'and tell me ("pain") if it comes back.'
)
FOLLOWUP_BETTER = (
    "Better than last time, good. Keep the load steady and I'll ask again tomorrow. No "
    "better in 1-2 weeks: see a physio or doctor."
)
FOLLOWUP_FIRST = (
    "Thanks. As it's still there this morning, ease off what brings it on; I'll ask again "
    "tomorrow. No better in 1-2 weeks, or worse: see a physio or doctor."
)
FOLLOWUP_SAME = (
    "About the same. Keep easing off what provokes it; I'll ask again tomorrow. No better in "
    "1-2 weeks: see a physio or doctor."
)
FOLLOWUP_WORSE = (
    "Worse than last time: ease off further. If it makes you limp or keeps building, stop "
    'running and tell me ("pain"), as a limp needs a proper look. I\'ll ask again tomorrow; '
    "if it's worse again, please see a physio or doctor."
)
FOLLOWUP_SORE_AGAIN_NO_AREA = (
    "It's sore again, so your sessions stay a step easier for now. Ease off what brings it "
    "on; I'll ask tomorrow morning. No better in 1-2 weeks: see a physio or doctor."
)
FOLLOWUP_SORE_AGAIN = (
    "It's sore again, so the exercises that load it are out again for now. Ease off what "
    "brings it on; I'll ask tomorrow morning. No better in 1-2 weeks: see a physio or doctor."
)
SEE_PHYSIO = (
    "It's time to see a physio or doctor: {reason}. Please book an appointment this week; "
    "until then I've paused running in your plan and kept strength to upper body and trunk. "
    "Here's a short summary you can forward to them:"
)
SEE_PHYSIO_THREE = "it has hurt at three check-ins in a row"
SEE_PHYSIO_WORSE = "it has got worse twice in a row"

# --- elsewhere in the bot while an episode is escalated --------------------------------------

PAUSE_NOTICE = (
    "⏸ Running is paused until a doctor or physio has seen you about the symptoms you told "
    "me about on {since}, and any strength left in your plan is upper body and trunk only. "
    "Tap Cleared to train at a check-in once you've been cleared."
)
PAUSE_NOTICE_REST = (
    "⏸ Running is paused until a doctor has seen you about the symptoms you told me about "
    "on {since}, and strength is too: no running and no strength until then. Tap Cleared to "
    "train at a check-in once you've been cleared."
)
MORNING_PAUSED = (
    "Good morning! Running is paused until you've been seen about your symptoms, so no run today."
)
MORNING_UPPER = "If you feel up to it: {name}, upper body and trunk only, about {minutes} min."
RESUME_CAUTION = (
    "Your reminders are back on, but please be careful: you told me about symptoms on "
    "{since} that need a doctor or physio. Until you tap Cleared to train at a check-in, "
    "running stays paused and any strength left in your plan is upper body and trunk only."
)
RESUME_CAUTION_REST = (
    "Your reminders are back on, but please be careful: you told me about symptoms on "
    "{since} that need a doctor. Until you tap Cleared to train at a check-in, there is no "
    "running and no strength in your plan."
)
