"""Messages as runners type them, and what the coach must make of each (issue 12).

Shared by the recogniser's tests (`tests/core`) and the same table through the real
dispatcher (`tests/bot`). Each row: the message, how it is recognised, the most urgent tier it
names (self-care when it names no flag) and, for a flag, the flag that must be among those
named. Written for this project; no row is taken from anywhere else.
"""

from __future__ import annotations

from core.flags import RedFlag, Urgency
from core.symptoms import Recognised

R, M, N = Recognised.REPORT, Recognised.MAYBE, Recognised.NONE
E, S, D, C = Urgency.EMERGENCY, Urgency.SAME_DAY, Urgency.WITHIN_DAYS, Urgency.SELF_CARE
F = RedFlag

MESSAGES: list[tuple[str, Recognised, Urgency, RedFlag | None]] = [
    # Emergency: heart and lungs, now.
    ("chest pain and I'm short of breath", R, E, F.CHEST_NOW),
    ("my chest feels tight on the hills", R, E, F.CHEST_NOW),
    ("heart racing and i feel dizzy, still not settled", R, E, F.CHEST_NOW),
    ("palpitations during my intervals", R, E, F.CHEST_NOW),
    ("my jaw and left arm ache when I run uphill", R, E, F.EFFORT_ARM_NOW),
    ("calf swollen and now I'm breathless", R, E, F.LEG_AND_BREATH),
    # Emergency: nerves, limbs, joints, heat.
    ("numb around my bum and groin and I can't pee properly", R, E, F.SADDLE),
    ("back pain and my leg suddenly went weak", R, E, F.SADDLE),
    ("twisted my ankle and can't put any weight on it", R, E, F.DEFORMED),
    ("rolled my ankle, cant walk on it", R, E, F.DEFORMED),
    ("I think I broke my toe", R, E, F.DEFORMED),
    ("knee is hot and swollen and I've got a fever", R, E, F.HOT_JOINT),
    ("felt confused and threw up after the marathon in the heat", R, E, F.HEAT),
    ("threw up after the half marathon, it was so hot", R, E, F.HEAT),
    # The same day: in the last few days, even if gone.
    ("had chest tightness on my run yesterday but it's gone now", R, S, F.CHEST_RECENT),
    ("I fainted after the race on Sunday", R, S, F.CHEST_RECENT),
    ("passed out at the finish line", R, S, F.CHEST_RECENT),
    ("feeling a bit dizzy after my long run", R, S, F.CHEST_RECENT),
    ("short of breath on easy runs lately", R, S, F.CHEST_RECENT),
    ("my neck and jaw hurt on the hill reps yesterday", R, S, F.EFFORT_ARM_RECENT),
    ("hit my head when I fell and now I've got a headache and feel sick", R, S, F.HEAD_INJURY),
    ("my pee is dark brown and my legs are killing me after the ultra", R, S, F.DARK_URINE),
    # The same day: true of it now.
    ("calf is swollen, hot and red", R, S, F.CALF_CLOT),
    ("my calf is swolen and warm since I strained it", R, S, F.CALF_CLOT),
    ("twisted my ankle, limping and the bone on the outside is tender", R, S, F.ANKLE),
    ("my knee locked and keeps giving way", R, S, F.KNEE),
    ("felt a pop in my achilles, like someone kicked me", R, S, F.ACHILLES_SNAP),
    ("Achilles went pop on the track", R, S, F.ACHILLES_SNAP),
    ("can't go up on tiptoe on my left leg", R, S, F.ACHILLES_SNAP),
    ("I can't walk properly since the long run", R, S, F.NOT_WALKING),
    # Within days.
    ("shin hurts on one spot of the bone and it's worse the more I run", R, D, F.BONE_SPOT),
    ("groin pain that gets worse every run", R, D, F.HIP_GROIN),
    ("hip aches at night and wakes me up", R, D, F.NIGHT),
    ("tingling and numbness in my foot", R, D, F.NERVE),
    ("knee has been sore for three weeks and isn't getting better", R, D, F.NOT_SETTLING),
    ("I've lost weight without trying and my hip aches", R, D, F.SYSTEMIC),
    # Symptoms without a flag: the check starts.
    ("sore knee after the long run", R, C, None),
    ("my hamstring feels tight", R, C, None),
    ("achilles is stiff in the morning", R, C, None),
    ("bit of a niggle in my calf", R, C, None),
    ("my kneee hurst", R, C, None),
    ("pian in my shin", R, C, None),
    ("plantar fascia is sooo sore", R, C, None),
    ("ouch, lower back", R, C, None),
    ("knee pain today", R, C, None),
    ("great run, no pain, but my ankle is a bit swollen", R, C, None),
    ("blister popped on my heel", R, C, None),
    ("it won't stop hurting", R, C, None),
    # Mixed: a negation, then a flag.
    ("no chest pain but my calf is swollen", R, S, F.CALF_CLOT),
    ("no pain in my knee but my chest feels tight", R, E, F.CHEST_NOW),
    # Maybe: ask first.
    ("knee?", M, C, None),
    ("my legs feel heavy", M, C, None),
    ("my calves are shot", M, C, None),
    ("felt sick after the race", M, C, None),
    ("something feels tight", M, C, None),
    # Not symptoms: nothing to do.
    ("no pain today, legs feel great", N, C, None),
    ("pain free run this morning!", N, C, None),
    ("it doesn't hurt anymore", N, C, None),
    ("no niggles, all good", N, C, None),
    ("not injured, just tired", N, C, None),
    ("Easy 7am", N, C, None),
    ("painting the fence", N, C, None),
    ("I'm back from holiday", N, C, None),
    ("tight schedule this week", N, C, None),
    ("I'm confused about the plan", N, C, None),
    ("my watch is broken", N, C, None),
    ("it was hot today", N, C, None),
    ("foam rolled my calves, feel good", N, C, None),
    ("what's my plan for next week", N, C, None),
]
