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
    # Added in the safety review: runners' words the first table missed (typos, slang,
    # British and American English), each wrong before the fix.
    ("chets pain on the hill", R, E, F.CHEST_NOW),
    ("no idea why my chest hurts", R, E, F.CHEST_NOW),
    ("my heart hurts on the hills", R, E, F.CHEST_NOW),
    ("short of breth and dizzy on my run", R, E, F.CHEST_NOW),
    ("my chest feels ok but my breathing is bad", R, E, F.CHEST_NOW),
    ("out of breath way more than usual on easy runs", R, E, F.CHEST_NOW),
    ("my heart was doing somersaults on the track last night", R, S, F.CHEST_RECENT),
    ("can't tell if it's my heart but it was racing on the run", R, S, F.CHEST_RECENT),
    ("heart rate shot up to 220 and I felt awful", R, S, F.CHEST_RECENT),
    ("went down at the finish and don't remember it", R, S, F.CHEST_RECENT),
    ("saw stars and had to sit down after the sprint", R, S, F.CHEST_RECENT),
    ("breathing felt like an asthma attack on the hill", R, S, F.CHEST_RECENT),
    ("coughed up blood after yesterday's race", R, S, F.CHEST_RECENT),
    ("blurry vision and a headache after the hot run", R, E, F.HEAT),
    ("fell over on the ice and hit my head, feel sick", R, S, F.HEAD_INJURY),
    ("my urine is the colour of tea after the race", R, S, F.DARK_URINE),
    ("pissing blood after the ultra", R, S, F.DARK_URINE),
    ("my left leg is much bigger than the right", R, S, F.CALF_CLOT),
    ("veins in my calf are hard and sore", R, S, F.CALF_CLOT),
    ("without warning my knee gave way", R, S, F.KNEE),
    ("I don't know why my knee is swollen", R, S, F.KNEE),
    ("can't put my heel down", R, S, F.NOT_WALKING),
    ("stomach cramps on long runs", R, S, F.TORSO),
    ("headache after every long run", R, S, F.TORSO),
    ("ribs hurt when I breathe in", R, S, F.TORSO),
    ("hip flexor hurts more the further I run", R, D, F.HIP_GROIN),
    ("sore spot on my foot bone, worse when I run", R, D, F.BONE_SPOT),
    ("lost a lot of weight recently without trying, knee aches", R, D, F.SYSTEMIC),
    ("my hammy twinged at the track", R, C, None),
    ("shin splints acting up again", R, C, None),
    ("sciatica flaring up", R, C, None),
    ("felt something go in my calf", R, C, None),
    ("electric shocks down my leg", R, C, None),
    ("my knee is playing up", R, C, None),
    ("my achilles is giving me grief", R, C, None),
    # Controls from the review: typos that must still start the check, mixed messages.
    ("achiles is sore", R, C, None),
    ("legs a bit stiff after yesterday", R, C, None),
    ("chest is fine, just my knee hurts", R, C, None),
    ("knee fine but chest hurt on the hill", R, E, F.CHEST_NOW),
    ("DOMS is real today", M, C, None),
    ("chesty cough and a sore throat", M, C, None),
    ("my watch says my heart rate was 190 on the hill", N, C, None),
    ("I ran a hot half marathon and feel great", N, C, None),
    ("what a headache of a commute to parkrun", N, C, None),
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
