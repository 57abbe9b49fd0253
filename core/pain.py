"""The pain check's decisions: answers in, urgency, advice and plan change out; and an episode
that follows the runner until it has settled or a clinician has cleared them (docs/safety.md,
issue 12). Pure: today's date and the runner's services are passed in.

Any red flag escalates, and an escalated episode stays escalated: follow-ups ask whether the
runner has been seen and what they were told, running stays paused and strength stays upper
body and trunk until they say they were cleared, and training then comes back in steps.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from enum import StrEnum

from pydantic import Field, model_validator

from core import pain_content as content
from core.areas import AREA_LABELS
from core.countries import country_of
from core.exercises import BY_KEY
from core.flags import (
    BONE_STRESS,
    FLAG_TIER,
    NO_EXERCISE,
    RedFlag,
    Urgency,
    most_urgent,
)
from core.models import BodyArea, Day, DayKind, Frozen, Plan, PlannedDay, Prescription, Session
from core.sessions import LIGHT_NOTE, dose, estimate_minutes

__all__ = [
    "TIMING_LABELS",
    "Episode",
    "Followup",
    "FollowupStep",
    "Hold",
    "Light",
    "PainAnswers",
    "PainOutcome",
    "RedFlag",
    "Restrictions",
    "Seen",
    "Services",
    "Stage",
    "Timing",
    "Urgency",
    "adapt_plan",
    "answer_score",
    "answer_seen",
    "describe_changes",
    "escalation_text",
    "follow_up",
    "mentions_pain",
    "open_episode",
    "physio_summary",
    "plan_change_message",
    "restrictions_of",
    "services_for",
    "still_escalated",
    "triage",
]

_TRIGGER = re.compile(r"\b(pain|painful|hurt|hurts|hurting|injured|injury|niggle|niggles)\b")
# "no pain", "pain free", "doesn't hurt": said in passing, not a report.
_NEGATED = re.compile(
    r"\b(no|not|without|zero|nil|never)\s+(any\s+|more\s+|real\s+)?"
    r"(pain|hurt|hurts|hurting|niggles?|injur(y|ed))\b"
    r"|\bpain[- ]?free\b"
    r"|\b(doesn'?t|don'?t|didn'?t|isn'?t|wasn'?t|won'?t)\s+(\w+\s+)?(hurt|hurts)\b"
)


def mentions_pain(text: str) -> bool:
    """True when a message names pain ("knee pain today", "PAIN", "my calf hurts"). The bot
    reads messages with `core.symptoms.read_symptoms`, which also knows other symptoms."""
    said = text.lower()
    if not _TRIGGER.search(said):
        return False
    remaining = _NEGATED.sub(" ", said)
    return bool(_TRIGGER.search(remaining))


# --- where to be seen: from the runner's time zone ------------------------------------------


class Services(Frozen):
    """The emergency number and the same-day service for the runner's country."""

    emergency: str = content.FALLBACK_EMERGENCY
    same_day: str = content.GENERIC_SAME_DAY
    note: str = content.FALLBACK_NOTE  # a line to check the local number; "" when known

    def fill(self, text: str) -> str:
        """A text with the numbers in; the check-your-number line after any emergency one."""
        filled = text.format(emergency=self.emergency, same_day=self.same_day)
        if self.note and "{emergency}" in text:
            filled = f"{filled} {self.note}"
        return filled


def services_for(zone: str) -> Services:
    """Numbers and services for the country of an IANA time zone; 112 when unknown."""
    country = country_of(zone)
    if country is None or country not in content.SERVICES:
        return Services()
    emergency, same_day = content.SERVICES[country]
    return Services(emergency=emergency, same_day=same_day, note="")


# --- triage ------------------------------------------------------------------------------------


class Light(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


class Timing(StrEnum):
    DURING = "during"  # during the run
    AFTER = "after"  # after the run
    MORNING = "next-morning"
    REST = "at-rest"  # at rest or at night


TIMING_LABELS = {
    Timing.DURING: "During the run",
    Timing.AFTER: "After the run",
    Timing.MORNING: "The next morning",
    Timing.REST: "At rest or at night",
}


class Hold(StrEnum):
    """How much of the plan stops while the runner waits to be seen."""

    NONE = "none"  # train around it
    RUNNING = "running"  # no running; strength upper body and trunk only
    ALL = "all"  # reminders paused too (emergency and same day)


# The areas some flags name by themselves: kept unloaded until a clinician has cleared them.
FLAG_AREAS: dict[RedFlag, frozenset[BodyArea]] = {
    RedFlag.CALF_CLOT: frozenset({BodyArea.CALF}),
    RedFlag.ANKLE: frozenset({BodyArea.FOOT, BodyArea.ACHILLES}),
    RedFlag.KNEE: frozenset({BodyArea.KNEE_FRONT, BodyArea.KNEE_OUTSIDE}),
    RedFlag.ACHILLES_SNAP: frozenset({BodyArea.ACHILLES, BodyArea.CALF}),
    RedFlag.HIP_GROIN: frozenset({BodyArea.HIP}),
    RedFlag.SADDLE: frozenset({BodyArea.LOWER_BACK}),
}

# Tendon and load-sensitive areas: at 0-3/10 they keep being loaded, gently (the
# pain-monitoring model, docs/safety.md).
TENDON_AREAS = frozenset(
    {BodyArea.ACHILLES, BodyArea.FOOT, BodyArea.KNEE_FRONT, BodyArea.HAMSTRING}
)


class PainAnswers(Frozen):
    """What the runner told the pain check. A red flag ends the questions early."""

    flags: tuple[RedFlag, ...] = ()  # chosen on a screen or named in their own words
    area: BodyArea | None = None  # None: somewhere not on the list
    torso: bool = False  # "Chest, head or tummy"
    score: int | None = Field(default=None, ge=0, le=10)
    walking: bool | None = None  # walking normally right now
    timing: Timing | None = None
    building: bool = False  # builds during the run or turns sharp

    def all_flags(self) -> tuple[RedFlag, ...]:
        """The flags chosen, and those the answers raise by themselves."""
        raised = list(self.flags)
        if self.torso:
            raised.append(RedFlag.TORSO)
        if self.score is not None and self.score >= 8:
            raised.append(RedFlag.SEVERE)
        if self.walking is False:
            raised.append(RedFlag.NOT_WALKING)
        if self.timing is Timing.REST:
            raised.append(RedFlag.NIGHT)
        return tuple(dict.fromkeys(raised))


class PainOutcome(Frozen):
    """What the coach does about a report."""

    urgency: Urgency
    light: Light | None
    messages: tuple[str, ...]  # each sent on its own, in order; escalation alone
    avoid: frozenset[BodyArea]  # no exercise that loads these
    ease: frozenset[BodyArea] = frozenset()  # keep loading these, gently
    level_change: int  # progression step down (negative)
    hold: Hold = Hold.NONE
    flags: tuple[RedFlag, ...] = ()

    @property
    def pause_plan(self) -> bool:
        return self.hold is Hold.ALL

    @property
    def escalated(self) -> bool:
        return self.urgency is not Urgency.SELF_CARE


def urgency_of(flags: Iterable[RedFlag]) -> Urgency:
    return most_urgent(FLAG_TIER[f] for f in flags)


def escalation_text(flags: Sequence[RedFlag], services: Services, *, has_plan: bool) -> str:
    """One message, and the only one: where to go and how fast, why, and what happens to the
    plan (said only when there is a plan)."""
    tier = urgency_of(flags)
    if tier is Urgency.SELF_CARE:
        raise ValueError("escalation needs a red flag")
    reasons = [content.FLAG_REASONS[f] for f in flags if FLAG_TIER[f] is tier][:2]
    if not has_plan:
        tail = content.CHECK_IN_TOMORROW
    elif tier is not Urgency.WITHIN_DAYS:
        tail = content.PLAN_PAUSED
    elif NO_EXERCISE & set(flags):
        tail = content.REST_PAUSED
    else:
        tail = content.RUNNING_PAUSED
    head = content.ESCALATION_HEAD[tier]
    if tier is Urgency.WITHIN_DAYS and RedFlag.HIP_GROIN in flags:
        head = content.HIP_GROIN_HEAD
    parts = [services.fill(head)]
    parts += [services.fill(r) if "{" in r else r for r in reasons]
    parts.append(tail)
    return "\n\n".join(parts)


def triage(
    answers: PainAnswers, services: Services | None = None, *, has_plan: bool = True
) -> PainOutcome:
    """Escalation alone for any red flag; otherwise traffic-light advice."""
    services = services or Services()
    flags = answers.all_flags()
    area = answers.area
    avoid = frozenset({area}) if area is not None else frozenset()
    tier = urgency_of(flags)
    if tier is not Urgency.SELF_CARE:
        for flag in flags:
            avoid |= FLAG_AREAS.get(flag, frozenset())
        return PainOutcome(
            urgency=tier,
            light=None,
            messages=(escalation_text(flags, services, has_plan=has_plan),),
            avoid=avoid,
            level_change=-1,  # so that training comes back in steps once cleared
            hold=Hold.RUNNING if tier is Urgency.WITHIN_DAYS else Hold.ALL,
            flags=flags,
        )
    score = answers.score or 0
    ease: frozenset[BodyArea] = frozenset()
    level = 0
    if score >= 6 or answers.building:
        light, advice, level = Light.RED, content.RED_ADVICE, -1
    elif area is None:
        light, advice = Light.AMBER, content.OTHER_AREA_ADVICE  # never green
    elif score >= 4 or answers.timing is Timing.MORNING:
        light, advice = Light.AMBER, content.AMBER_ADVICE
    elif area in TENDON_AREAS:
        light, advice = Light.GREEN, content.GREEN_TENDON_ADVICE
        ease, avoid = avoid, frozenset()
    else:
        light, advice = Light.GREEN, content.GREEN_ADVICE
    messages = [advice]
    if area is not None:
        messages.append(content.AREA_NOTES[area])
    messages.append(f"{content.ALWAYS} {content.NOT_MEDICAL_ADVICE}")
    return PainOutcome(
        urgency=Urgency.SELF_CARE,
        light=light,
        messages=tuple(messages),
        avoid=avoid,
        ease=ease,
        level_change=level,
    )


def still_escalated(outcome: PainOutcome, since: dt.date) -> PainOutcome:
    """A self-care report while an earlier escalation is still open (not yet seen, or seen
    and in rehab): no traffic light, no "usually OK to train", which would contradict the
    paused running; only the reminder that it stays escalated, and the standing lines. The
    plan change (the new sore area unloaded too) is said as usual."""
    if outcome.escalated:
        return outcome
    reminder = content.STILL_ESCALATED.format(since=f"{since:%A %d %B}")
    return outcome.model_copy(
        update={"messages": (reminder, f"{content.ALWAYS} {content.NOT_MEDICAL_ADVICE}")}
    )


# --- what the plan keeps away from, and how ----------------------------------------------------

UPPER_ONLY_AVOID = frozenset(BodyArea) - {BodyArea.SHOULDER, BodyArea.LOWER_BACK}
_UPPER = "upper-only"
_NO_RUNNING = "no-running"
_NO_EXERCISE = "no-exercise"
_EASE = "ease:"
_CHECKINS = "check-ins"


class Restrictions(Frozen):
    """What an open pain episode keeps out of the plan. Stored as tags on the runner (the
    `pain_areas` list: a plain area is avoided, "ease:<area>" kept gently loaded)."""

    avoid: frozenset[BodyArea] = frozenset()
    ease: frozenset[BodyArea] = frozenset()
    upper_only: bool = False  # strength: upper body and trunk only
    running_paused: bool = False
    no_exercise: bool = False  # no strength at all either, until seen (flags.NO_EXERCISE)
    checkins: bool = False  # an episode is open: morning check-ins are planned

    def tags(self) -> list[str]:
        tags = sorted(a.value for a in self.avoid)
        tags += sorted(_EASE + a.value for a in self.ease)
        if self.upper_only:
            tags.append(_UPPER)
        if self.running_paused:
            tags.append(_NO_RUNNING)
        if self.no_exercise:
            tags.append(_NO_EXERCISE)
        if self.checkins:
            tags.append(_CHECKINS)
        return tags

    @classmethod
    def from_tags(cls, tags: Iterable[str]) -> Restrictions:
        areas = {a.value: a for a in BodyArea}
        avoid, ease = set(), set()
        upper = running = rest = checkins = False
        for tag in tags:
            if tag in areas:
                avoid.add(areas[tag])
            elif tag.startswith(_EASE) and tag[len(_EASE) :] in areas:
                ease.add(areas[tag[len(_EASE) :]])
            elif tag == _UPPER:
                upper = True
            elif tag == _NO_RUNNING:
                running = True
            elif tag == _NO_EXERCISE:
                rest = True
            elif tag == _CHECKINS:
                checkins = True
        return cls(
            avoid=frozenset(avoid),
            ease=frozenset(ease - avoid),
            upper_only=upper,
            running_paused=running,
            no_exercise=rest,
            checkins=checkins,
        )

    @property
    def builder_avoid(self) -> frozenset[BodyArea]:
        """The areas the session builder keeps load off."""
        return self.avoid | UPPER_ONLY_AVOID if self.upper_only else self.avoid


# Gentler stand-ins for a tendon that is sore at 0-3/10: what provokes it goes, its regression
# comes in (None: left out with no stand-in).
EASE_SWAPS: dict[BodyArea, dict[str, str | None]] = {
    BodyArea.ACHILLES: {"pogo_hops": "standing_calf_raise"},
    BodyArea.FOOT: {"pogo_hops": "towel_heel_raise"},
    BodyArea.KNEE_FRONT: {
        "pogo_hops": "standing_calf_raise",
        "rear_foot_elevated_split_squat": "split_squat",
        "single_leg_box_squat": "split_squat",
        "back_squat": "goblet_squat",
    },
    BodyArea.HAMSTRING: {
        "single_leg_rdl": "glute_bridge",
        "db_romanian_deadlift": "glute_bridge",
        "trap_bar_deadlift": "glute_bridge",
        "leg_swings": None,
        "worlds_greatest_stretch": None,
    },
}
_SQUATS = frozenset(
    {"back_squat", "goblet_squat", "split_squat", "reverse_lunge", "lateral_lunge", "step_up"}
)
_NO_OPTION = "No "  # the session builder's note when a slot has no usable exercise


def _eased(session: Session, ease: frozenset[BodyArea]) -> Session:
    swaps: dict[str, str | None] = {}
    for area in sorted(ease):
        swaps.update(EASE_SWAPS.get(area, {}))
    keys = {p.exercise.key for p in session.exercises}
    items: list[Prescription] = []
    for p in session.exercises:
        key = p.exercise.key
        if key not in swaps:
            items.append(p)
            continue
        new = swaps[key]
        if new is not None and new not in keys:
            keys.add(new)
            items.append(dose(BY_KEY[new], 0))
    notes = session.notes
    if BodyArea.KNEE_FRONT in ease and keys & _SQUATS:
        notes = (content.GENTLE_NOTE, *notes)
    if (
        len(items) == len(session.exercises)
        and notes == session.notes
        and all(a is b for a, b in zip(items, session.exercises, strict=True))
    ):
        return session
    return session.model_copy(
        update={
            "exercises": tuple(items),
            "notes": notes,
            "minutes": estimate_minutes(items, session.mobility_minutes),
        }
    )


def _upper_only(session: Session) -> Session:
    notes = tuple(n for n in session.notes if not n.startswith(_NO_OPTION) and n != LIGHT_NOTE)
    return session.model_copy(update={"notes": (content.UPPER_ONLY_NOTE, *notes)})


def adapt_plan(plan: Plan, restrictions: Restrictions) -> Plan:
    """The plan as an open episode allows it: the builder already kept load off the avoided
    areas (`Restrictions.builder_avoid`); here runs pause and sore tendons get their
    regressions."""
    rest = restrictions.no_exercise
    if not (restrictions.ease or restrictions.upper_only or restrictions.running_paused or rest):
        return plan
    days: list[PlannedDay] = []
    for day in plan.days:
        session = None if rest else day.session
        if session is not None and restrictions.ease:
            session = _eased(session, restrictions.ease)
        if session is not None and restrictions.upper_only:
            session = _upper_only(session)
        update: dict[str, object] = {"session": session}
        if rest:  # every day a rest day, until seen
            update["day"] = Day(kind=DayKind.REST)
            update["reason"] = content.REST_REASON
        elif restrictions.running_paused:
            # No run is named anywhere, not even in why strength sits where it does.
            if day.day.kind.is_run:
                update["day"] = Day(kind=DayKind.OFF)
            update["reason"] = (
                content.PAUSED_REASON if session is None else (content.PAUSED_SESSION_REASON)
            )
        days.append(day.model_copy(update=update))
    notes = plan.notes
    shortfall = plan.shortfall
    if rest:  # nothing else ("a good time to build strength") may say otherwise
        notes, shortfall = (content.REST_PLAN_NOTE,), None
    elif restrictions.running_paused:
        notes = (content.PAUSED_PLAN_NOTE, *notes)
    return plan.model_copy(update={"days": tuple(days), "notes": notes, "shortfall": shortfall})


def describe_changes(before: Plan, after: Plan, *, level_change: int = 0) -> list[str]:
    """What changed in a week's strength sessions, exactly, in the runner's words."""
    changes = []
    for old, new in zip(before.days, after.days, strict=True):
        if old.session is None or new.session is None:
            continue
        old_names = [p.exercise.name for p in old.session.exercises]
        new_names = [p.exercise.name for p in new.session.exercises]
        gone = [n for n in old_names if n not in new_names]
        added = [n for n in new_names if n not in old_names]
        day = old.weekday.title
        for was, now in zip(gone, added, strict=False):
            changes.append(content.PLAN_SWAPPED.format(day=day, old=was, new=now))
        if len(gone) > len(added):
            names = ", ".join(gone[len(added) :])
            changes.append(content.PLAN_LEFT_OUT.format(day=day, names=names))
        elif len(added) > len(gone):
            changes.append(f"{day}: added {', '.join(added[len(gone) :])}")
    if level_change < 0:
        changes.append(content.PLAN_EASIER)
    return changes


def plan_change_message(changes: Sequence[str], *, area: BodyArea | None, eased: bool) -> str:
    """The plan change as one message: only what really changed is claimed."""
    if changes:
        return content.PLAN_ADAPTED + "\n" + "\n".join(f"• {c}" for c in changes)
    if area is None:
        return content.PLAN_NO_AREA
    if eased:
        return content.PLAN_KEEPS_LOADING
    return content.PLAN_NOTHING_LOADS


# --- the episode: from the report until it has settled or a clinician cleared it --------------


class Stage(StrEnum):
    SEE = "see"  # escalated: waiting to be seen
    REHAB = "rehab"  # seen, and told to rest or do rehab
    SETTLING = "settling"  # self-care: a score each morning
    RETURN = "return"  # cleared or pain-free: training comes back in steps


class Seen(StrEnum):
    """Answers to "have you been seen?"."""

    CLEARED = "cleared"
    REHAB = "rehab"
    NOT_YET = "not-seen"


class Episode(Frozen):
    """One pain episode, from the first report until it closes."""

    since: dt.date
    urgency: Urgency = Urgency.SELF_CARE  # the tier of the open escalation (or the last one)
    flags: tuple[RedFlag, ...] = ()
    flagged_on: dt.date | None = None  # when the latest red flag was raised
    stage: Stage = Stage.SETTLING
    areas: frozenset[BodyArea] = frozenset()  # sore areas
    ease: frozenset[BodyArea] = frozenset()  # sore tendons kept gently loaded
    areas_out: bool = True  # False once the sore areas' exercises are back (RETURN)
    level_drop: int = Field(default=0, ge=0)  # how far the level was stepped down
    scores: tuple[tuple[dt.date, int], ...] = ()
    changes: tuple[str, ...] = ()
    not_seen: int = 0  # "not seen yet" answers in a row
    answered: tuple[str, ...] = ()  # the check-ins (by the day they asked) already answered
    rest: bool = False  # escalated for a sign that stops all exercise until seen

    @model_validator(mode="before")
    @classmethod
    def _rest_of_old_episodes(cls, data: object) -> object:
        """An episode stored before `rest` existed: escalated for such a sign, it rests."""
        if isinstance(data, dict) and "rest" not in data:
            stage = data.get("stage", Stage.SETTLING)
            flags = {RedFlag(f) for f in data.get("flags", ()) if f in set(RedFlag)}
            if stage in (Stage.SEE, Stage.REHAB, "see", "rehab") and flags & NO_EXERCISE:
                return {**data, "rest": True}
        return data

    @property
    def escalated(self) -> bool:
        return self.stage in (Stage.SEE, Stage.REHAB)

    @property
    def bone_stress(self) -> bool:
        return bool(BONE_STRESS & set(self.flags))

    @property
    def asks_seen(self) -> bool:
        """Follow-ups ask whether they have been seen, not for a score."""
        return self.escalated


def restrictions_of(episode: Episode | None) -> Restrictions:
    """What the plan keeps out while this episode is open."""
    if episode is None:
        return Restrictions()
    if episode.escalated:
        return Restrictions(
            avoid=episode.areas | episode.ease,
            upper_only=True,
            running_paused=True,
            no_exercise=episode.rest,
            checkins=True,
        )
    if not episode.areas_out:
        return Restrictions(checkins=True)
    return Restrictions(avoid=episode.areas, ease=episode.ease - episode.areas, checkins=True)


def open_episode(
    previous: Episode | None, answers: PainAnswers, outcome: PainOutcome, today: dt.date
) -> tuple[Episode, int]:
    """The episode after a report (a new one, or the open one with this report added), and
    the change to the runner's level. An escalated episode stays escalated."""
    drop = -outcome.level_change
    score = () if answers.score is None else ((today, answers.score),)
    if previous is None:
        episode = Episode(
            since=today,
            urgency=outcome.urgency,
            flags=outcome.flags,
            flagged_on=today if outcome.escalated else None,
            stage=Stage.SEE if outcome.escalated else Stage.SETTLING,
            areas=outcome.avoid,
            ease=outcome.ease,
            level_drop=drop,
            scores=score,
            rest=bool(NO_EXERCISE & set(outcome.flags)),
        )
        return episode, -drop
    areas = previous.areas | outcome.avoid
    if outcome.escalated:
        stage = Stage.SEE
    elif previous.escalated:
        stage = previous.stage
    else:
        stage = Stage.SETTLING
    new_drop = max(previous.level_drop, drop)
    if previous.escalated:
        urgency = most_urgent((previous.urgency, outcome.urgency))
    else:  # an escalation that was cleared is over: the new one has its own tier
        urgency = outcome.urgency if outcome.escalated else previous.urgency
    rest = (previous.escalated and previous.rest) or bool(NO_EXERCISE & set(outcome.flags))
    episode = previous.model_copy(
        update={
            "urgency": urgency,
            "flags": tuple(dict.fromkeys((*previous.flags, *outcome.flags))),
            "flagged_on": today if outcome.escalated else previous.flagged_on,
            "stage": stage,
            "areas": areas,
            "ease": (previous.ease | outcome.ease) - areas,
            "areas_out": True,
            "level_drop": new_drop,
            "scores": previous.scores + score,
            "not_seen": 0 if outcome.escalated else previous.not_seen,
            "rest": rest,
        }
    )
    return episode, previous.level_drop - new_drop


class FollowupStep(Frozen):
    """What a follow-up answer leads to."""

    episode: Episode | None  # None: the episode is closed
    messages: tuple[str, ...]
    level_change: int = 0
    pause_all: bool = False  # pause every reminder (a new same-day or emergency sign)
    lift_pause: bool = False  # a clinician cleared them: reminders back on
    summary: bool = False  # send the physio summary after the messages
    next_in_days: int = 1  # when to check in again (0: no more check-ins)
    escalation: bool = False  # the messages are escalation text: nothing may follow them


def _escalate(
    episode: Episode,
    flag: RedFlag,
    today: dt.date,
    services: Services,
    *,
    has_plan: bool,
    message: str | None = None,
) -> FollowupStep:
    tier = FLAG_TIER[flag]
    drop = max(episode.level_drop, 1)
    urgency = most_urgent((episode.urgency, tier)) if episode.escalated else tier
    escalated = episode.model_copy(
        update={
            "urgency": urgency,
            "flags": tuple(dict.fromkeys((*episode.flags, flag))),
            "flagged_on": today,
            "stage": Stage.SEE,
            "areas": episode.areas | episode.ease,
            "ease": frozenset(),
            "areas_out": True,
            "level_drop": drop,
            "not_seen": 0,
            "rest": (episode.escalated and episode.rest) or flag in NO_EXERCISE,
        }
    )
    text = message or escalation_text((flag,), services, has_plan=has_plan)
    return FollowupStep(
        episode=escalated,
        messages=(text,),
        level_change=episode.level_drop - drop,
        pause_all=tier in (Urgency.EMERGENCY, Urgency.SAME_DAY),
        summary=flag is RedFlag.PERSISTING,
        escalation=True,
    )


def _not_seen_text(episode: Episode, today: dt.date, services: Services) -> tuple[str, ...]:
    tier = episode.urgency if episode.urgency is not Urgency.SELF_CARE else Urgency.WITHIN_DAYS
    if tier is Urgency.WITHIN_DAYS and episode.rest:
        texts = [services.fill(content.NOT_SEEN_REST)]
    else:
        texts = [services.fill(content.NOT_SEEN_TEXT[tier])]
    start = episode.flagged_on or episode.since
    if (today - start).days >= 7:
        texts.append(content.NOT_SEEN_WEEK)
    return tuple(texts)


REHAB_DAYS = 3


def answer_seen(episode: Episode, seen: Seen, today: dt.date, services: Services) -> FollowupStep:
    """The answer to "have you been seen, and what did they say?"."""
    if seen is Seen.CLEARED:
        drop = max(episode.level_drop, 1)
        returning = episode.model_copy(
            update={
                "stage": Stage.RETURN,
                "areas": episode.areas | episode.ease,
                "ease": frozenset(),
                "areas_out": True,
                "level_drop": drop,
                "not_seen": 0,
                "rest": False,
            }
        )
        text = (
            content.CLEARED_BY_CLINICIAN
            if episode.areas or episode.ease
            else (content.CLEARED_NO_AREA)
        )
        return FollowupStep(
            episode=returning,
            messages=(text,),
            level_change=episode.level_drop - drop,
            lift_pause=True,
        )
    if seen is Seen.REHAB:
        rehab = episode.model_copy(update={"stage": Stage.REHAB, "not_seen": 0})
        plan = content.REHAB_REST_PLAN if episode.rest else content.REHAB_PLAN
        return FollowupStep(
            episode=rehab,
            messages=(plan.format(days=REHAB_DAYS),),
            next_in_days=REHAB_DAYS,
        )
    waiting = episode.model_copy(update={"stage": Stage.SEE, "not_seen": episode.not_seen + 1})
    return FollowupStep(episode=waiting, messages=_not_seen_text(waiting, today, services))


class Followup(StrEnum):
    CLEARED = "cleared"
    BETTER = "better"
    SAME = "same"
    WORSE = "worse"
    SEE_PHYSIO = "see-physio"


def follow_up(checkins: Sequence[int]) -> tuple[Followup, str]:
    """The verdict on the newest morning score, given all of this episode's scores so far
    (the first report first): three check-ins in a row with pain, or worse twice in a row,
    mean it's time to see a physio."""
    if not checkins:
        raise ValueError("a follow-up needs at least one score")
    *before, now = checkins
    if now == 0:
        return Followup.CLEARED, content.FOLLOWUP_CLEARED
    with_pain = 0
    for score in reversed(checkins[1:]):  # check-ins after the first report
        if score == 0:
            break
        with_pain += 1
    if with_pain >= 3:
        return Followup.SEE_PHYSIO, content.SEE_PHYSIO.format(reason=content.SEE_PHYSIO_THREE)
    if len(checkins) >= 3 and checkins[-1] > checkins[-2] > checkins[-3]:
        return Followup.SEE_PHYSIO, content.SEE_PHYSIO.format(reason=content.SEE_PHYSIO_WORSE)
    previous = before[-1] if before else now
    if now > previous:
        return Followup.WORSE, content.FOLLOWUP_WORSE
    if now < previous:
        return Followup.BETTER, content.FOLLOWUP_BETTER
    return Followup.SAME, content.FOLLOWUP_SAME


def answer_score(
    episode: Episode, score: int, today: dt.date, services: Services, *, has_plan: bool = True
) -> FollowupStep:
    """A morning score: severity and a sharp rise escalate; pain-free mornings bring training
    back one step at a time."""
    previous = episode.scores[-1][1] if episode.scores else None
    scored = episode.model_copy(update={"scores": (*episode.scores, (today, score))})
    if score >= 8:
        return _escalate(scored, RedFlag.SEVERE, today, services, has_plan=has_plan)
    if episode.escalated:  # a score instead of an answer: still waiting to be seen
        return FollowupStep(episode=scored, messages=_not_seen_text(scored, today, services))
    if previous is not None and score - previous >= 3:
        return _escalate(scored, RedFlag.RISING, today, services, has_plan=has_plan)
    held = bool(episode.areas or episode.ease)
    if score == 0:
        if episode.stage is Stage.RETURN and not episode.areas_out:
            # The last step: the level comes back, and the episode closes.
            return FollowupStep(
                episode=None,
                messages=(content.FOLLOWUP_STEP_UP,),
                level_change=episode.level_drop,
                next_in_days=0,
            )
        if episode.level_drop > 0:
            back = scored.model_copy(update={"stage": Stage.RETURN, "areas_out": False})
            text = content.FOLLOWUP_AREA_BACK if held else content.FOLLOWUP_NO_PAIN_STEP
            return FollowupStep(episode=back, messages=(text,))
        if episode.bone_stress:  # never cleared on a 0 alone (bone stress pain is often 0)
            return FollowupStep(episode=scored, messages=(content.FOLLOWUP_BETTER,))
        text = content.FOLLOWUP_CLEARED if held else content.FOLLOWUP_SETTLED
        return FollowupStep(episode=None, messages=(text,), next_in_days=0)
    if episode.stage is Stage.RETURN and not episode.areas_out:
        sore = scored.model_copy(update={"stage": Stage.SETTLING, "areas_out": True})
        text = content.FOLLOWUP_SORE_AGAIN if held else content.FOLLOWUP_SORE_AGAIN_NO_AREA
        return FollowupStep(episode=sore, messages=(text,))
    verdict, text = follow_up([s for _, s in scored.scores])
    if previous is None and verdict is Followup.SAME:
        text = content.FOLLOWUP_FIRST  # nothing to compare with (a red flag had no score)
    if verdict is Followup.SEE_PHYSIO:
        return _escalate(
            scored,
            RedFlag.PERSISTING,
            today,
            services,
            has_plan=has_plan,
            message=text,
        )
    settling = scored.model_copy(update={"stage": Stage.SETTLING})
    if verdict is Followup.WORSE and settling.ease:
        # A sore tendon that got worse with gentle loading: its exercises come out too.
        settling = settling.model_copy(
            update={"areas": settling.areas | settling.ease, "ease": frozenset()}
        )
    return FollowupStep(episode=settling, messages=(text,))


def physio_summary(
    *,
    area: BodyArea | None,
    since: dt.date,
    scores: Sequence[tuple[dt.date, int]],
    changes: Sequence[str],
    flags: Sequence[RedFlag] = (),
) -> str:
    """A short summary the runner can forward to a physio."""
    where = AREA_LABELS[area] if area is not None else "another area"
    lines = [
        "Runner's pain summary (from runcoach, a training app; not a clinical record)",
        f"Where: {where}",
        f"Since: {since:%d %B %Y}",
        "Scores (0-10): " + ", ".join(f"{d:%d %b} {s}" for d, s in scores),
    ]
    if flags:
        named = (content.FLAG_BUTTONS.get(f, f.value.replace("-", " ")) for f in flags)
        lines.append("Warning signs reported: " + "; ".join(named))
    if changes:
        lines.append("Training changes made: " + "; ".join(changes))
    return "\n".join(lines)
