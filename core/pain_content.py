"""Everything the pain flow says, in one place so a physio can review it as a whole.

Rules for every text here (safety.md): never a diagnosis ("often linked with", never "you
have"), never "push through", a time limit and a re-check on every self-care message, and
emergency advice first and alone. Written in our own words from evidence.md §3-§5 and §7.
"""

from __future__ import annotations

from core.models import BodyArea

NOT_MEDICAL_ADVICE = (
    "I can't examine you: this is general training information, not medical advice, "
    "a diagnosis or treatment."
)

# --- red-flag screens, asked first, one tier at a time --------------------------------------

EMERGENCY_SCREEN = (
    "First, a safety check. Do you have any of these right now?\n"
    "• chest pain or pressure, unusual breathlessness, fainting, or a racing or irregular "
    "heartbeat during exercise that doesn't settle\n"
    "• leg pain or swelling together with breathlessness or chest pain\n"
    "• numbness around the groin or buttocks, new bladder or bowel problems, or sudden "
    "weakness in a leg\n"
    "• a limb that looks deformed, or you can't put weight on it after a fall or twist\n"
    "• a hot, swollen joint and a fever"
)
SAME_DAY_SCREEN = (
    "Any of these?\n"
    "• one calf or thigh swollen, warm, red or throbbing\n"
    "• after a twisted ankle: you can't walk four steps, or a bone around the ankle or foot "
    "is tender to press\n"
    "• a knee that locks, gives way or has swollen up badly\n"
    "• a snap, or a feeling of being kicked, at the back of the heel (Achilles)"
)
WITHIN_DAYS_SCREEN = (
    "And any of these?\n"
    "• pain on one spot of a bone that gets worse the more you run\n"
    "• pain at night or constant pain at rest\n"
    "• numbness, tingling or weakness\n"
    "• fever or weight loss you can't explain\n"
    "• pain that keeps getting worse despite rest, or is no better after 1-2 weeks"
)

EMERGENCY_ADVICE = (
    "🚨 Please stop now and call your emergency number (999, 112 or 911), or have someone "
    "take you to an emergency department straight away. Don't drive yourself. Your plan is "
    "paused; I'll check in with you tomorrow."
)
SAME_DAY_ADVICE = (
    "⚠️ Please stop training and get seen today: urgent care, your doctor's same-day "
    "service, or a non-emergency line such as 111. If you get chest pain, trouble breathing "
    "or feel faint, call your emergency number instead. Your plan is paused; I'll check in "
    "with you tomorrow."
)
WITHIN_DAYS_ADVICE = (
    "Please book a doctor or a sports physio in the next few days, and stop running and any "
    "exercise that hurts until you've been seen. These signs are worth a proper look, and a "
    "professional can examine you in a way I can't. Your strength sessions now keep load off "
    "that area. If it gets much worse, or you can't put weight on it, get seen today."
)

# --- the traffic light (after the pain-monitoring model, evidence.md §4) ---------------------

GREEN_ADVICE = (
    "🟢 Mild (0-3) and settled by the next morning is usually OK to train with. Keep the load "
    "on that area steady rather than adding more, and stop any exercise that makes it hurt "
    "more. I'll ask again tomorrow morning. If it's worse tomorrow, or no better in 1-2 "
    "weeks, see a physio or doctor."
)
AMBER_ADVICE = (
    "🟠 Moderate (4-5): ease off the running or exercises that bring it on, and I've swapped "
    "the strength exercises that load that area. Check how it feels tomorrow morning: worse "
    "than today means easing off further. No better in 1-2 weeks, or worse, see a physio or "
    "doctor."
)
RED_ADVICE = (
    "🔴 Pain of 6 or more, pain that builds as you go, turns sharp or makes you limp: stop "
    "running and the exercises that load that area for now. Don't run through it. If it's "
    "not clearly better in a few days, see a physio or doctor; sooner if it gets worse."
)
ALWAYS = (
    "Always: stop any exercise that hurts, never push through pain, and see a physio if it "
    "keeps coming back."
)

# --- area-specific first steps (evidence.md §3), never a diagnosis --------------------------

AREA_NOTES: dict[BodyArea | None, str] = {
    BodyArea.KNEE_FRONT: (
        "Pain around or behind the kneecap is often linked with load from stairs, squats and "
        "running. What usually helps: less of what provokes it for a while, then hip and knee "
        "strength (bridges, side-lying leg raises, squats only as deep as stays comfortable)."
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
        "usually responds to steady, patient calf loading (slow heel raises) while running "
        "stays within a tolerable level. A sudden snap or kick at the heel needs seeing today."
    ),
    BodyArea.FOOT: (
        "Heel or arch pain that's worst on the first steps after rest is common in runners. "
        "Slow, heavy single-leg heel raises every other day often help over weeks. Numbness, "
        "tingling, or no improvement in 2 weeks: see a physio or doctor."
    ),
    BodyArea.CALF: (
        "A sudden sharp calf pain during speed or hill work is often a strain: ease off, then "
        "rebuild with calf raises (bent-knee too) and gradual running. Swelling, warmth or "
        "redness without a clear strain needs a doctor today."
    ),
    BodyArea.HAMSTRING: (
        "A deep ache at the sit-bone, worse when sitting, uphill or at speed, is often linked "
        "with tendon load. Avoid long sitting and deep stretches into it for now; gentle "
        "holds and gradual strength work usually help. A sudden pop with bruising needs seeing."
    ),
    BodyArea.HIP: (
        "Hip and glute pain often settles with a short cut in volume and steady hip strength "
        "work. Groin pain that worsens as you run, or pain at night, should be checked by a "
        "doctor or physio soon."
    ),
    BodyArea.LOWER_BACK: (
        "Most lower back pain in runners settles with staying gently active and easing what "
        "provokes it. Numbness in the groin, bladder or bowel changes, or weakness in a leg "
        "need emergency care."
    ),
    BodyArea.SHOULDER: (
        "Shoulder pain rarely stops running: I've taken the upper-body exercises that load it "
        "out of your sessions. If it doesn't settle in 1-2 weeks, see a physio."
    ),
    None: (
        "For an area not on the list, the same rules apply: ease off what provokes it, stop "
        "anything that hurts, and see a physio or doctor if it's no better in 1-2 weeks."
    ),
}

# --- questions and follow-up --------------------------------------------------------------------

ASK_AREA = "Where does it hurt?"
ASK_SCORE = "How bad is it right now, from 0 (nothing) to 10 (the worst you can imagine)?"
ASK_WHEN = "When does it hurt?"
ASK_SHARP = "Does it build up as you run, turn sharp, or make you limp?"
FOLLOWUP_QUESTION = "Checking in: how is your {area} today, from 0 (gone) to 10?"
FOLLOWUP_AFTER_URGENT = (
    "Checking in after yesterday. How are you today? If you haven't been seen yet and the "
    "symptoms are still there, please do that today."
)
FOLLOWUP_CLEARED = (
    "Great news, that's settled. I'll bring your sessions back up step by step. Stop and tell "
    'me ("pain") if it comes back.'
)
FOLLOWUP_BETTER = "Better than last time, good. Keep the load steady and I'll ask again tomorrow."
FOLLOWUP_SAME = "About the same. Keep easing off what provokes it; I'll ask again tomorrow."
FOLLOWUP_WORSE = (
    "Worse than last time: ease off further, and stop running if it makes you limp or keeps "
    "building. I'll ask again tomorrow."
)
SEE_PHYSIO = (
    "It's time to see a physio or doctor: {reason}. Please book an appointment this week. "
    "Here's a short summary you can forward to them:"
)
SEE_PHYSIO_THREE = "it has hurt at three check-ins in a row"
SEE_PHYSIO_WORSE = "it has got worse twice in a row"
NOT_NOW = (
    "OK, we'll leave it for now. Say \"pain\" or /pain any time and I'll go through it with you."
)
