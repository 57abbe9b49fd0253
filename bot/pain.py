"""The pain check on Telegram: red flags first (one question a screen, each flag its own button,
typed symptoms read), then where, how bad, walking and when; escalation alone, or advice and
the plan change; and follow-ups that keep an escalated episode escalated until a clinician
has cleared the runner. The decisions are `core.pain`'s; this module asks, stores and tells.

It starts from any state (symptom words, the button, /pain). An interrupted setup or settings
dialog is kept aside: asked again after self-care advice, left for /start after escalation.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.episodes import (
    NEW,
    PAIN,
    day_label,
    followup_prompt,
    load_episode,
    retime_followups,
    save_episode,
)
from bot.plans import plan_for
from bot.questions import QUESTIONS, Accepted, Answers, Button, Context, Invalid, Prompt, Question
from bot.reminders import rebuild_reminders
from core import pain_content as content
from core.areas import AREA_LABELS, UnknownArea, parse_areas
from core.flags import SCREEN_FLAGS, SCREEN_ORDER, RedFlag, Screen, Urgency
from core.models import BodyArea, Plan
from core.pain import (
    TIMING_LABELS,
    Episode,
    FollowupStep,
    Hold,
    PainAnswers,
    PainOutcome,
    Seen,
    Services,
    Timing,
    answer_score,
    answer_seen,
    describe_changes,
    open_episode,
    physio_summary,
    plan_change_message,
    restrictions_of,
    services_for,
    still_escalated,
    triage,
    urgency_of,
)
from core.planner import week_start_of
from core.reminders import local_to_utc
from core.sessions import clamp_level
from core.symptoms import (
    CHEST,
    HEAD_PAIN,
    HEADACHE,
    HEART,
    TUMMY,
    flags_at_screen,
    read_symptoms,
)
from storage import repo
from storage.tables import Runner

log = logging.getLogger(__name__)

NOT_NOW_WORDS = {"not now", "later", "stop", "cancel", "/cancel", "never mind", "nevermind"}
YES, NO = "yes", "no"
OTHER_AREA = "other"
TORSO_AREA = "torso"
INJURY = "injury"  # the pause reason an emergency or same-day sign sets
URGENT = (Urgency.EMERGENCY, Urgency.SAME_DAY)


class PainTurn(Protocol):
    """What the pain check needs of a turn (bot.handlers.Turn)."""

    db: AsyncSession
    runner: Runner
    dialog: dict[str, Any] | None

    @property
    def zone(self) -> ZoneInfo: ...

    def clock(self) -> dt.datetime: ...

    def today(self) -> dt.date: ...

    async def say(
        self, text: str, prompt: Prompt | None = None, *, prefix: str | None = None
    ) -> None: ...


# --- the questions ------------------------------------------------------------------------------


def _flags_of(answers: Answers) -> list[str]:
    return list(answers.get("flags", []))


def _with_flags(answers: Answers, flags: tuple[RedFlag, ...] | list[RedFlag]) -> Answers:
    merged = list(dict.fromkeys([*_flags_of(answers), *(f.value for f in flags)]))
    return {**answers, "flags": merged}


def _yes_no(raw: str, hint: str) -> bool:
    said = raw.strip().lower().rstrip(".!")
    if raw == YES or said in {"yes", "y", "yeah", "yep", "yes, one of these", "one of these"}:
        return True
    if raw == NO or said in {"no", "n", "nope", "none", "none of these", "no, none of these"}:
        return False
    raise Invalid(hint)


_NONE_WORDS = {
    "no",
    "n",
    "nope",
    "none",
    "none of these",
    "none of those",
    "none of them",
    "none of the above",
    "no none",
    "no, none",
    "no none of them",
    "no, none of them",
    "nothing",
    "neither",
    "nah",
    "all good",
    "all fine",
}


def _screen(screen: Screen) -> Question:
    flags = SCREEN_FLAGS[screen]

    def ask(a: Answers, c: Context) -> Prompt:
        rows = [(Button(content.FLAG_BUTTONS[f], f.value),) for f in flags]
        rows.append((Button(content.NONE_OF_THESE, NO),))
        return Prompt(content.SCREEN_TEXTS[screen], tuple(rows))

    def accept(raw: str, pressed: bool, a: Answers, c: Context) -> Accepted:
        said = raw.strip().lower().rstrip(".!")
        by_value = {f.value: f for f in flags}
        if raw == NO or said in _NONE_WORDS:
            return Accepted({**a, screen.value: []}, content.NONE_OF_THESE)
        if pressed and raw in by_value:
            chosen: tuple[RedFlag, ...] = (by_value[raw],)
        elif said in {"yes", "y", "yeah", "yep", "one of these"}:
            raise Invalid(content.WHICH_ONE)
        else:
            label = {content.FLAG_BUTTONS[f].lower(): f for f in flags}.get(said)
            chosen = (label,) if label is not None else flags_at_screen(raw, screen)
            if not chosen:
                raise Invalid(content.SCREEN_HINT)
        new = _with_flags({**a, screen.value: [f.value for f in chosen]}, chosen)
        echo = "; ".join(content.FLAG_BUTTONS.get(f, f.value) for f in chosen)
        return Accepted(new, echo)

    return Question(screen.value, screen.value, ask, accept)


def _ask_area(a: Answers, c: Context) -> Prompt:
    buttons = [Button(label, area.value) for area, label in AREA_LABELS.items()]
    buttons.append(Button(content.TORSO_LABEL, TORSO_AREA))
    buttons.append(Button(content.OTHER_LABEL, OTHER_AREA))
    return Prompt(
        content.ASK_AREA, tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))
    )


# Chest, head or tummy anywhere in the answer ("in my chest", "my ribs", "head and neck"):
# the area that always escalates, never "Somewhere else". The recogniser's words.
_TORSO = (CHEST, HEART, TUMMY, HEAD_PAIN, HEADACHE, r"\b(?:head|lungs?)\b")


def _names_torso(raw: str) -> bool:
    said = raw.lower().replace("’", "'")
    return any(re.search(pattern, said) for pattern in _TORSO)


def _accept_area(raw: str, pressed: bool, a: Answers, c: Context) -> Accepted:
    said = raw.strip().lower().rstrip(".!")
    if raw == TORSO_AREA or (not pressed and _names_torso(raw)):
        return Accepted({**a, "area": None, "torso": True}, content.TORSO_LABEL)
    if raw == OTHER_AREA or said in {"other", "somewhere else", "elsewhere"}:
        return Accepted({**a, "area": None}, content.OTHER_LABEL)
    if pressed and raw in {area.value for area in BodyArea}:
        area = BodyArea(raw)
    else:
        try:
            areas = parse_areas(raw)
        except UnknownArea:
            areas = frozenset()
        if len(areas) != 1:
            # "knee" could be the front or the outside: ask rather than guess.
            raise Invalid("Please tap the area that fits best, or Somewhere else.")
        (area,) = areas
    return Accepted({**a, "area": area.value}, AREA_LABELS[area])


def _ask_score(a: Answers, c: Context) -> Prompt:
    row1 = tuple(Button(str(n), str(n)) for n in range(0, 6))
    row2 = tuple(Button(str(n), str(n)) for n in range(6, 11))
    return Prompt(content.ASK_SCORE, (row1, row2))


def parse_score(raw: str) -> int:
    said = raw.strip().lower().removesuffix("/10").strip()
    if said.isascii() and said.isdecimal() and 0 <= int(said) <= 10:
        return int(said)
    raise Invalid("Please give a number from 0 to 10, or tap one.")


def _accept_score(raw: str, pressed: bool, a: Answers, c: Context) -> Accepted:
    score = parse_score(raw)
    return Accepted({**a, "score": score}, f"{score}/10")


def _ask_walking(a: Answers, c: Context) -> Prompt:
    return Prompt(
        content.ASK_WALKING,
        ((Button("Yes, normally", YES), Button("No, I'm limping or can't", NO)),),
    )


def _accept_walking(raw: str, pressed: bool, a: Answers, c: Context) -> Accepted:
    said = raw.strip().lower().rstrip(".!")
    if said in {"normally", "yes normally", "yes, normally", "fine"}:
        walking = True
    elif said in {"limping", "can't", "cant", "no, i'm limping or can't", "not really"}:
        walking = False
    else:
        walking = _yes_no(raw, "Please tap Yes or No.")
    return Accepted({**a, "walking": walking}, "Yes, normally" if walking else "No")


def _ask_when(a: Answers, c: Context) -> Prompt:
    buttons = [Button(label, timing.value) for timing, label in TIMING_LABELS.items()]
    return Prompt(content.ASK_WHEN, (tuple(buttons[:2]), tuple(buttons[2:])))


_WHEN_WORDS = {
    "during": Timing.DURING,
    "while running": Timing.DURING,
    "running": Timing.DURING,
    "after": Timing.AFTER,
    "afterwards": Timing.AFTER,
    "after running": Timing.AFTER,
    "morning": Timing.MORNING,
    "next morning": Timing.MORNING,
    "in the morning": Timing.MORNING,
    "at rest": Timing.REST,
    "rest": Timing.REST,
    "night": Timing.REST,
    "at night": Timing.REST,
    "all the time": Timing.REST,
    "constantly": Timing.REST,
}


def _accept_when(raw: str, pressed: bool, a: Answers, c: Context) -> Accepted:
    said = raw.strip().lower().rstrip(".!")
    timing = next((t for t in Timing if raw == t.value or said == TIMING_LABELS[t].lower()), None)
    timing = timing or _WHEN_WORDS.get(said)
    if timing is None:
        raise Invalid("Please tap when it hurts most.")
    return Accepted({**a, "timing": timing.value}, TIMING_LABELS[timing])


def _ask_building(a: Answers, c: Context) -> Prompt:
    return Prompt(content.ASK_SHARP, ((Button("Yes", YES), Button("No", NO)),))


def _accept_building(raw: str, pressed: bool, a: Answers, c: Context) -> Accepted:
    building = _yes_no(raw, "Please tap Yes or No.")
    return Accepted({**a, "building": building}, "Yes" if building else "No")


PAIN_QUESTIONS = {
    q.key: q
    for q in (
        *(_screen(s) for s in SCREEN_ORDER),
        Question("area", "Where", _ask_area, _accept_area),
        Question("score", "How bad", _ask_score, _accept_score),
        Question("walking", "Walking normally", _ask_walking, _accept_walking),
        Question("timing", "When", _ask_when, _accept_when),
        Question("building", "Builds or sharp", _ask_building, _accept_building),
    )
}
QUESTIONS.update(PAIN_QUESTIONS)  # one engine asks every dialog's questions
SCREEN_KEYS = frozenset(s.value for s in SCREEN_ORDER)


def _tier(answers: Answers) -> Urgency:
    return urgency_of(RedFlag(f) for f in _flags_of(answers))


def pain_step(answers: Answers) -> str:
    """The next pain question, or "" when there is enough to advise (or to escalate)."""
    tier = _tier(answers)
    if tier in URGENT:
        return ""  # escalation only: no more questions
    named = set(_flags_of(answers))
    for screen in SCREEN_ORDER:
        # A screen whose flag the runner already named ("groin pain that gets worse every
        # run") counts as answered: it isn't asked again.
        if screen.value not in answers and not named & {f.value for f in SCREEN_FLAGS[screen]}:
            return screen.value
    if "area" not in answers:
        return "area"
    if answers.get("torso"):
        return ""
    if "score" not in answers:
        return "score"
    if answers["score"] >= 8:
        return ""
    if "walking" not in answers:
        return "walking"
    if answers["walking"] is False or tier is Urgency.WITHIN_DAYS:
        return ""
    if "timing" not in answers:
        return "timing"
    if answers["timing"] == Timing.REST.value:
        return ""
    return "" if "building" in answers else "building"


def note_typed_flags(step: str, raw: str, answers: Answers) -> Answers | None:
    """A symptom typed at a question that is not a screen ("my calf is swollen and red" at
    "where?"): its red flags count. The answer itself is kept too when it also fits the
    question. None when the text names no new flag."""
    if step in SCREEN_KEYS or step not in PAIN_QUESTIONS:
        return None
    named = [f for f in read_symptoms(raw).flags if f.value not in _flags_of(answers)]
    if not named:
        return None
    noted = _with_flags(answers, named)
    try:
        return PAIN_QUESTIONS[step].accept(raw, False, noted, Context(today=dt.date.min)).answers
    except Invalid:
        return noted


def has_flags(answers: Answers) -> bool:
    """Whether the answers so far hold a red flag (named, tapped, or raised by an answer)."""
    return bool(pain_answers(answers).all_flags())


def start_answers(flags: tuple[RedFlag, ...]) -> Answers:
    """A new pain check's answers, with the flags the runner's message already named."""
    return _with_flags({}, flags)


def escalates_at_once(flags: tuple[RedFlag, ...]) -> bool:
    """Flags named in a message that need escalation before any question."""
    return urgency_of(flags) in URGENT


def pain_answers(answers: Answers) -> PainAnswers:
    area = answers.get("area")
    timing = answers.get("timing")
    return PainAnswers(
        flags=tuple(RedFlag(f) for f in _flags_of(answers)),
        area=BodyArea(area) if area else None,
        torso=bool(answers.get("torso")),
        score=answers.get("score"),
        walking=answers.get("walking"),
        timing=Timing(timing) if timing else None,
        building=bool(answers.get("building")),
    )


def outcome_record(answers: Answers, outcome: PainOutcome) -> dict[str, Any]:
    """The pain_report row's fields for this report."""
    flags = [f.value for f in outcome.flags]
    area = answers.get("area") or (TORSO_AREA if answers.get("torso") else OTHER_AREA)
    return {
        "area": area,
        "score": int(answers.get("score") or 0),
        "timing": answers.get("timing") or "unknown",
        "red_flag": ",".join(flags) if flags else None,
        "advice_level": outcome.light.value if outcome.light else outcome.urgency.value,
    }


# --- episodes: stored per runner in the kv table ------------------------------------------------


def services_of(runner: Runner, answers: Answers | None = None) -> Services:
    """Numbers for the runner's country; during setup, from the zone they gave if any."""
    zone = runner.time_zone
    if not runner.onboarded and answers and answers.get("timezone"):
        zone = str(answers["timezone"])
    return services_for(zone)


def _zone_of(runner: Runner, answers: Answers | None) -> ZoneInfo:
    if not runner.onboarded and answers and answers.get("timezone"):
        return ZoneInfo(str(answers["timezone"]))
    return ZoneInfo(runner.time_zone)


async def _schedule(turn: PainTurn, days: int, zone: ZoneInfo | None = None) -> None:
    """The next check-in, `days` mornings from today in the runner's zone."""
    runner = turn.runner
    assert runner.id is not None
    zone = zone or ZoneInfo(runner.time_zone)
    morning = dt.time.fromisoformat(runner.morning_time)
    day = turn.clock().astimezone(zone).date() + dt.timedelta(days=days)
    at = local_to_utc(day, morning, zone)
    await repo.schedule_followup(
        turn.db, runner_id=runner.id, local_date=day, due_at=at, payload={}
    )


def _this_week(turn: PainTurn) -> Plan:
    return plan_for(turn.runner, week_start_of(turn.today()))


async def _apply(
    turn: PainTurn,
    episode: Episode | None,
    *,
    level_change: int = 0,
    pause_all: bool = False,
    lift_pause: bool = False,
) -> None:
    """The runner's plan as the episode allows it, their reminders rebuilt to match."""
    runner = turn.runner
    runner.pain_areas = restrictions_of(episode).tags()
    runner.level = clamp_level(runner.level + level_change)
    if pause_all:
        runner.pause_reason, runner.paused_until = INJURY, None
    elif lift_pause and runner.pause_reason == INJURY:
        runner.pause_reason, runner.paused_until = None, None
    await repo.save_runner(turn.db, runner=runner)
    await rebuild_reminders(turn.db, runner=runner, now=turn.clock())


# --- a report ------------------------------------------------------------------------------------


async def finish_report(turn: PainTurn, answers: Answers, *, setup: Answers | None = None) -> bool:
    """Advise on a finished pain check (escalation alone for any red flag), change the plan,
    store the report and plan the next check-in; `setup` holds the answers of a setup it
    interrupted (their time zone, if given). True when it escalated."""
    runner = turn.runner
    services = services_of(runner, setup)
    has_plan = runner.onboarded
    reported = pain_answers(answers)
    outcome = triage(reported, services, has_plan=has_plan)
    previous = await load_episode(turn.db, runner)
    if previous is not None and previous.escalated:
        # No traffic light while an escalation is open: the reminder first, no "OK to train".
        outcome = still_escalated(outcome, previous.flagged_on or previous.since)
    episode, level_change = open_episode(previous, reported, outcome, turn.today())
    before = _this_week(turn) if has_plan else None
    await _apply(turn, episode, level_change=level_change, pause_all=outcome.hold is Hold.ALL)
    for message in outcome.messages:
        await turn.say(message)
    changes: list[str] = []
    if before is not None and not outcome.escalated:
        after = _this_week(turn)
        changes = describe_changes(before, after, level_change=level_change)
        # "Keeps the exercises that load it, gently" only when the week has one that does.
        eased = reported.area in outcome.ease and any(
            reported.area in p.exercise.loads
            for d in after.sessions
            if d.session is not None
            for p in d.session.exercises
        )
        await turn.say(plan_change_message(changes, area=reported.area, eased=eased))
    episode = episode.model_copy(update={"changes": (*episode.changes, *changes)})
    await save_episode(turn.db, runner, episode)
    assert runner.id is not None
    await repo.add_pain_report(
        turn.db,
        runner_id=runner.id,
        now=turn.clock(),
        plan_change={"changes": changes},
        **outcome_record(answers, outcome),
    )
    await _schedule(turn, 1, _zone_of(runner, setup))
    return outcome.escalated


def not_now_text(runner: Runner, answers: Answers | None = None) -> str:
    """Leaving the pain check: one safety line, with the runner's emergency number."""
    return services_of(runner, answers).fill(content.NOT_NOW)


# --- follow-ups ------------------------------------------------------------------------------


ANSWERED, ALREADY, STALE = "answered", "already", "stale"


async def answer_followup(turn: PainTurn, token: str, asked: str) -> tuple[str, str]:
    """A check-in answered (a score, or whether they've been seen), once per check-in (the
    day it asked about, `asked`). Returns how it went (ANSWERED, ALREADY for a second press
    of the same check-in, STALE) and an echo for the answered prompt."""
    runner = turn.runner
    episode = await load_episode(turn.db, runner)
    if episode is None:
        return STALE, ""
    if asked in episode.answered:  # a double tap, a slow network: counted once
        return ALREADY, ""
    services = services_of(runner)
    today = turn.today()
    has_plan = runner.onboarded
    if token.isdecimal() and 0 <= int(token) <= 10:
        score = int(token)
        step = answer_score(episode, score, today, services, has_plan=has_plan)
        echo = f"{score}/10"
        assert runner.id is not None
        areas = sorted(episode.areas | episode.ease)
        await repo.add_pain_report(
            turn.db,
            runner_id=runner.id,
            now=turn.clock(),
            area=areas[0].value if areas else OTHER_AREA,
            score=score,
            timing="follow-up",
            red_flag=None,
            advice_level="follow-up",
        )
    elif token in {s.value for s in Seen} and episode.asks_seen:
        seen = Seen(token)
        step = answer_seen(episode, seen, today, services)
        echo = {
            Seen.CLEARED: content.SEEN_CLEARED,
            Seen.REHAB: content.SEEN_REHAB,
            Seen.NOT_YET: content.NOT_SEEN,
        }[seen]
    else:
        return STALE, ""
    if step.episode is not None:
        answered = (*episode.answered, asked)[-30:]
        step = step.model_copy(
            update={"episode": step.episode.model_copy(update={"answered": answered})}
        )
    await _follow(turn, episode, step)
    return ANSWERED, echo


async def _follow(turn: PainTurn, episode: Episode, step: FollowupStep) -> None:
    has_plan = turn.runner.onboarded
    before = _this_week(turn) if has_plan else None
    await _apply(
        turn,
        step.episode,
        level_change=step.level_change,
        pause_all=step.pause_all,
        lift_pause=step.lift_pause,
    )
    for message in step.messages:
        await turn.say(message)
    changes: list[str] = []
    if step.summary:
        areas = sorted(episode.areas | episode.ease)
        await turn.say(
            physio_summary(
                area=areas[0] if len(areas) == 1 else None,
                since=episode.since,
                scores=(step.episode or episode).scores,
                changes=episode.changes,
                flags=episode.flags,
            )
        )
    elif before is not None and not step.escalation:
        changes = describe_changes(before, _this_week(turn), level_change=step.level_change)
        if changes:
            await turn.say(content.PLAN_NOW + "\n" + "\n".join(f"• {c}" for c in changes))
    kept = step.episode
    if kept is not None and changes:
        kept = kept.model_copy(update={"changes": (*kept.changes, *changes)})
    await save_episode(turn.db, turn.runner, kept)
    if kept is not None and step.next_in_days > 0:
        await _schedule(turn, step.next_in_days)


# --- what the rest of the bot shows while an episode is escalated ----------------------------


async def pause_notice(db: AsyncSession, runner: Runner) -> str | None:
    """The notice /today and /resume show while running is paused until seen."""
    episode = await load_episode(db, runner)
    if episode is None or not episode.escalated:
        return None
    text = content.PAUSE_NOTICE_REST if episode.rest else content.PAUSE_NOTICE
    return text.format(since=day_label(episode.flagged_on or episode.since))


async def resume_caution(db: AsyncSession, runner: Runner) -> str | None:
    episode = await load_episode(db, runner)
    if episode is None or not episode.escalated:
        return None
    text = content.RESUME_CAUTION_REST if episode.rest else content.RESUME_CAUTION
    return text.format(since=day_label(episode.flagged_on or episode.since))


__all__ = [
    "NEW",
    "NOT_NOW_WORDS",
    "PAIN",
    "PAIN_QUESTIONS",
    "answer_followup",
    "escalates_at_once",
    "finish_report",
    "followup_prompt",
    "has_flags",
    "load_episode",
    "not_now_text",
    "note_typed_flags",
    "pain_answers",
    "pain_step",
    "pause_notice",
    "resume_caution",
    "retime_followups",
    "start_answers",
]
