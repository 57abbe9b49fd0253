"""Red flags: every sign the pain check asks about, and how urgently each one needs a clinician.

Names and tiers only; what the runner reads about each flag is in `core/pain_content.py`.
Tiers as docs/safety.md describes them.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Urgency(StrEnum):
    EMERGENCY = "emergency"  # call the emergency number
    SAME_DAY = "same-day"  # urgent care or a doctor today
    WITHIN_DAYS = "within-days"  # a doctor or sports physio soon; no running until then
    SELF_CARE = "self-care"


# Most urgent first.
URGENCY_ORDER = (Urgency.EMERGENCY, Urgency.SAME_DAY, Urgency.WITHIN_DAYS, Urgency.SELF_CARE)


def most_urgent(tiers: Iterable[Urgency]) -> Urgency:
    """The most urgent of some tiers (self-care when there are none)."""
    found = set(tiers)
    return next((t for t in URGENCY_ORDER if t in found), Urgency.SELF_CARE)


class RedFlag(StrEnum):
    # Happening right now: emergency.
    CHEST_NOW = "chest-now"  # chest pain or pressure, breathless, faint, racing heart
    EFFORT_ARM_NOW = "arm-jaw-now"  # arm, jaw, neck or shoulder pain brought on by effort
    LEG_AND_BREATH = "leg-breath"  # leg pain or swelling with breathlessness or chest pain
    SADDLE = "saddle"  # groin or buttock numbness, bladder or bowel change, leg weakness
    DEFORMED = "deformed"  # deformed limb, or no weight at all after a fall or twist
    HOT_JOINT = "hot-joint"  # a hot swollen joint with fever
    HEAT = "heat"  # confusion, collapse, vomiting or severe headache after a hot or long run
    # In the last few days, even if gone: the same day at least.
    CHEST_RECENT = "chest-recent"  # chest pain, fainting or palpitations with exercise
    EFFORT_ARM_RECENT = "arm-jaw-recent"
    HEAD_INJURY = "head-injury"  # a knock to the head, then headache, vomiting, confusion
    DARK_URINE = "dark-urine"  # dark or cola urine with severe muscle pain after an effort
    # True of it now: the same day.
    CALF_CLOT = "calf-swollen"  # one calf or thigh swollen, warm, red or throbbing
    ANKLE = "ankle"  # after a twist: can't walk four steps, or a tender bone
    KNEE = "knee-locks"  # knee locks, gives way or swells badly
    ACHILLES_SNAP = "achilles-snap"  # a snap or kick at the Achilles, can't push off
    # From the answers rather than a screen: the same day.
    TORSO = "chest-head-tummy"  # the "Chest, head or tummy" area
    SEVERE = "severe"  # 8/10 or more
    NOT_WALKING = "not-walking"  # not walking normally
    # Within days: a doctor or sports physio, no running until then.
    BONE_SPOT = "bone-spot"  # one spot of a bone, worse the more you run
    HIP_GROIN = "hip-groin"  # groin or hip pain that worsens with running (24-48 h)
    NIGHT = "night"  # night pain or constant pain at rest
    NERVE = "nerve"  # numbness, tingling or weakness
    SYSTEMIC = "fever-weight"  # fever or unexplained weight loss
    NOT_SETTLING = "not-settling"  # worse despite rest, or no better after 1-2 weeks
    RISING = "rising"  # up 3 points or more between check-ins
    PERSISTING = "persisting"  # pain at three check-ins in a row, or worse twice in a row


FLAG_TIER: dict[RedFlag, Urgency] = {
    RedFlag.CHEST_NOW: Urgency.EMERGENCY,
    RedFlag.EFFORT_ARM_NOW: Urgency.EMERGENCY,
    RedFlag.LEG_AND_BREATH: Urgency.EMERGENCY,
    RedFlag.SADDLE: Urgency.EMERGENCY,
    RedFlag.DEFORMED: Urgency.EMERGENCY,
    RedFlag.HOT_JOINT: Urgency.EMERGENCY,
    RedFlag.HEAT: Urgency.EMERGENCY,
    RedFlag.CHEST_RECENT: Urgency.SAME_DAY,
    RedFlag.EFFORT_ARM_RECENT: Urgency.SAME_DAY,
    RedFlag.HEAD_INJURY: Urgency.SAME_DAY,
    RedFlag.DARK_URINE: Urgency.SAME_DAY,
    RedFlag.CALF_CLOT: Urgency.SAME_DAY,
    RedFlag.ANKLE: Urgency.SAME_DAY,
    RedFlag.KNEE: Urgency.SAME_DAY,
    RedFlag.ACHILLES_SNAP: Urgency.SAME_DAY,
    RedFlag.TORSO: Urgency.SAME_DAY,
    RedFlag.SEVERE: Urgency.SAME_DAY,
    RedFlag.NOT_WALKING: Urgency.SAME_DAY,
    RedFlag.BONE_SPOT: Urgency.WITHIN_DAYS,
    RedFlag.HIP_GROIN: Urgency.WITHIN_DAYS,
    RedFlag.NIGHT: Urgency.WITHIN_DAYS,
    RedFlag.NERVE: Urgency.WITHIN_DAYS,
    RedFlag.SYSTEMIC: Urgency.WITHIN_DAYS,
    RedFlag.NOT_SETTLING: Urgency.WITHIN_DAYS,
    RedFlag.RISING: Urgency.WITHIN_DAYS,
    RedFlag.PERSISTING: Urgency.WITHIN_DAYS,
}

# A possible bone stress injury: never cleared by a pain-free morning alone (bone stress
# pain is often 0 at rest); only a clinician clears it.
BONE_STRESS = frozenset({RedFlag.BONE_SPOT, RedFlag.HIP_GROIN})

# Signs after which no exercise at all is safe until a clinician has seen the runner, not only
# no running: the heart and lungs, a possible clot, heat illness, a head injury, muscle
# breakdown, an infection or fever, the nerves at the base of the spine, and anything in the
# chest, head or tummy. After the others (a sore bone, joint or tendon), upper body and trunk
# strength can go on while they wait.
NO_EXERCISE = frozenset(
    {
        RedFlag.CHEST_NOW,
        RedFlag.EFFORT_ARM_NOW,
        RedFlag.LEG_AND_BREATH,
        RedFlag.SADDLE,
        RedFlag.HOT_JOINT,
        RedFlag.HEAT,
        RedFlag.CHEST_RECENT,
        RedFlag.EFFORT_ARM_RECENT,
        RedFlag.HEAD_INJURY,
        RedFlag.DARK_URINE,
        RedFlag.CALF_CLOT,
        RedFlag.TORSO,
        RedFlag.SYSTEMIC,
    }
)


class Screen(StrEnum):
    """The red-flag screens, asked in this order, each one clear question."""

    NOW = "pf_now"  # happening right now (emergency)
    RECENT = "pf_recent"  # in the last few days, even if gone (same day)
    TODAY = "pf_today"  # true of it now (same day)
    DAYS = "pf_days"  # within days


SCREEN_FLAGS: dict[Screen, tuple[RedFlag, ...]] = {
    Screen.NOW: (
        RedFlag.CHEST_NOW,
        RedFlag.EFFORT_ARM_NOW,
        RedFlag.LEG_AND_BREATH,
        RedFlag.SADDLE,
        RedFlag.DEFORMED,
        RedFlag.HOT_JOINT,
        RedFlag.HEAT,
    ),
    Screen.RECENT: (
        RedFlag.CHEST_RECENT,
        RedFlag.EFFORT_ARM_RECENT,
        RedFlag.HEAD_INJURY,
        RedFlag.DARK_URINE,
    ),
    Screen.TODAY: (
        RedFlag.CALF_CLOT,
        RedFlag.ANKLE,
        RedFlag.KNEE,
        RedFlag.ACHILLES_SNAP,
    ),
    Screen.DAYS: (
        RedFlag.BONE_SPOT,
        RedFlag.HIP_GROIN,
        RedFlag.NIGHT,
        RedFlag.NERVE,
        RedFlag.SYSTEMIC,
        RedFlag.NOT_SETTLING,
    ),
}
SCREEN_ORDER = (Screen.NOW, Screen.RECENT, Screen.TODAY, Screen.DAYS)
