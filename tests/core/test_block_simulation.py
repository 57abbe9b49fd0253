"""A simulated 16-week block (issue 15): pure, with the runner's history as input.

Each week the plan is built, the runner's week happens (from the scenario), and the end-of-week
rule gives next week's level, exactly as the bot's end-of-week job is meant to do it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from core.block import BLOCK_WEEKS, HeavyStage, block_week
from core.models import (
    Category,
    Day,
    DayKind,
    Equipment,
    Goal,
    LiftingExperience,
    Plan,
    Profile,
    SessionKind,
    Week,
)
from core.planner import plan_week
from core.progression import WeekOutcome, return_after_pain, week_level, weekly_step

START = dt.date(2026, 1, 5)  # a Monday
K = DayKind
WEEKS = 16
USUAL = Week(
    days=(
        Day(kind=K.EASY),
        Day(kind=K.INTERVALS),
        Day(kind=K.EASY),
        Day(kind=K.EASY),
        Day(kind=K.OFF),
        Day(kind=K.LONG),
        Day(kind=K.REST),
    )
)
GYM = frozenset({Equipment.GYM})


def monday(week: int) -> dt.date:
    return START + dt.timedelta(weeks=week)


def simulate(
    profile: Profile, outcome: Callable[[int, Plan], WeekOutcome], **plan_args: object
) -> tuple[list[int], list[Plan], list[str]]:
    """Sixteen weeks: the level each week was planned at, the plans and the Sunday lines."""
    level, previous = 0, None
    levels, plans, reasons = [], [], []
    for w in range(WEEKS):
        planned_at = week_level(level, previous)
        plan = plan_week(profile, USUAL, monday(w), level=planned_at, **plan_args)  # type: ignore[arg-type]
        week = outcome(w, plan)
        step = weekly_step(level, week, previous)
        levels.append(planned_at)
        plans.append(plan)
        reasons.append(step.reason)
        level, previous = step.level, week
    return levels, plans, reasons


def done_all(_: int, plan: Plan) -> WeekOutcome:
    n = len(plan.sessions)
    return WeekOutcome(planned=n, done=n)


def test_a_runner_who_does_everything_climbs_to_the_top_and_stays() -> None:
    levels, _, reasons = simulate(Profile(sessions_per_week=3), done_all)
    assert levels[:6] == [0, 1, 2, 3, 4, 4]
    assert set(levels[5:]) == {4}
    assert reasons[0].startswith("Next week: one step up")
    assert "already the top one" in reasons[-1]


def test_a_runner_who_misses_every_other_week_does_not_climb() -> None:
    def alternate(w: int, plan: Plan) -> WeekOutcome:
        n = len(plan.sessions)
        return WeekOutcome(planned=n, done=n if w % 2 == 0 else 0, skipped=0 if w % 2 == 0 else n)

    levels, _, reasons = simulate(Profile(sessions_per_week=3), alternate)
    assert levels == [0, 1] * 8
    assert "one step back" in reasons[1] and "0 of" in reasons[1]


def test_a_pain_episode_steps_back_and_exercises_return_in_steps() -> None:
    def painful_week_five(w: int, plan: Plan) -> WeekOutcome:
        n = len(plan.sessions)
        if w == 5:
            return WeekOutcome(planned=n, done=n, pain_reports=1, worst_pain=6)
        if w == 6:  # waiting to be seen
            return WeekOutcome(planned=n, done=0, escalated=True)
        return WeekOutcome(planned=n, done=n)

    levels, _, reasons = simulate(Profile(sessions_per_week=2), painful_week_five)
    assert levels[:6] == [0, 1, 2, 3, 4, 4]
    assert levels[6] == 3  # stepped back after 6/10
    assert levels[7] == 3  # the escalated week held
    assert "6/10" in reasons[5] and "does not count" in reasons[6]
    assert levels[8:11] == [4, 4, 4]  # clean weeks climb again
    # The way back after clearing, week by week: areas later, the level one step at a time.
    back = [return_after_pain(4, 1, frozenset({"knee-front"}), w) for w in range(4)]  # type: ignore[arg-type]
    assert [(r.level, bool(r.avoid), r.done) for r in back] == [
        (3, True, False),
        (3, False, False),
        (4, False, True),
        (4, False, True),
    ]


def test_an_ill_week_holds_and_the_week_back_is_easier() -> None:
    def ill_week_three(w: int, plan: Plan) -> WeekOutcome:
        n = len(plan.sessions)
        return WeekOutcome(planned=n, done=0 if w == 3 else n, ill=w == 3)

    levels, _, _ = simulate(Profile(sessions_per_week=2), ill_week_three)
    assert levels[:6] == [0, 1, 2, 3, 2, 4]


def _compounds(plan: Plan) -> list[list[str]]:
    return [
        [p.exercise.key for p in d.session.exercises if p.exercise.category is Category.COMPOUND]
        for d in plan.sessions
        if d.session.kind is SessionKind.HEAVY
    ]


def test_the_heavy_block_for_a_new_lifter() -> None:
    profile = Profile(
        sessions_per_week=3, minutes=45, equipment=GYM, lifting=LiftingExperience.NEW
    )
    _, plans, _ = simulate(profile, done_all, block_start=START)
    length = BLOCK_WEEKS[LiftingExperience.NEW]
    for w, plan in enumerate(plans):
        info = block_week(LiftingExperience.NEW, START, monday(w))
        heavy = [d for d in plan.sessions if d.session.kind is SessionKind.HEAVY]
        assert len(heavy) <= 2
        if w < 3:  # technique weeks: one lighter main lift, more reps
            assert info.stage is HeavyStage.TECHNIQUE
            assert heavy and all("technique" in d.session.name for d in heavy)
            for d in heavy:
                lifts = [
                    p for p in d.session.exercises if p.exercise.category is Category.COMPOUND
                ]
                assert len(lifts) == 1 and lifts[0].sets == 3 and lifts[0].reps >= 8
        if w < 4:
            assert all(len(c) == 1 for c in _compounds(plan))
        if w < length:
            assert f"week {w + 1} of {length}" in " ".join(plan.notes)
        else:  # the block is over: the in-season menu, progressed
            assert not heavy
            assert any("heavy block is done" in n for n in plan.notes)
    assert any(len(c) == 2 for plan in plans[4:length] for c in _compounds(plan))


def test_the_48_hour_rule_over_the_block() -> None:
    profile = Profile(
        sessions_per_week=3, minutes=45, equipment=GYM, lifting=LiftingExperience.EXPERIENCED
    )
    _, plans, _ = simulate(profile, done_all, block_start=START)
    kinds = [d.kind for d in USUAL.days]
    hard_or_long = {K.INTERVALS, K.TEMPO, K.HILLS, K.RACE, K.LONG}
    for plan in plans:
        for d in plan.sessions:
            if d.session.kind is not SessionKind.HEAVY:
                continue
            i = d.date.weekday()
            assert kinds[(i - 1) % 7] is not K.LONG
            assert kinds[(i + 1) % 7] not in hard_or_long
            assert kinds[(i + 2) % 7] not in hard_or_long


def test_a_week_with_no_day_for_heavy_legs_gets_the_lighter_session_and_says_so() -> None:
    week = Week(
        days=(
            Day(kind=K.REST),
            Day(kind=K.INTERVALS),
            Day(kind=K.EASY),
            Day(kind=K.TEMPO),
            Day(kind=K.REST),
            Day(kind=K.LONG),
            Day(kind=K.EASY),
        )
    )
    profile = Profile(equipment=GYM, lifting=LiftingExperience.EXPERIENCED)
    plan = plan_week(profile, week, START, block_start=START - dt.timedelta(weeks=4))
    assert not any(d.session.kind is SessionKind.HEAVY for d in plan.sessions)
    sunday = plan.days[6]
    assert sunday.session is not None and sunday.session.kind is SessionKind.STANDARD
    assert "No heavy legs today" in sunday.reason and "long run" in sunday.reason


def test_recovery_weeks_by_race_distance_within_a_block() -> None:
    race = monday(10) - dt.timedelta(days=1)  # a Sunday
    for goal, mobility_days in ((Goal.FIVE_K, 3), (Goal.MARATHON, 14)):
        profile = Profile(goal=goal, race_date=race, sessions_per_week=2)
        _, plans, _ = simulate(profile, done_all)
        for plan in plans[10:14]:
            for d in plan.sessions:
                mobility = d.session.kind is SessionKind.MOBILITY
                assert mobility == ((d.date - race).days <= mobility_days), (goal, d.date)
