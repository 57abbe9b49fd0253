"""The library and the pain check agree: every area a runner can name is loaded by some
exercise that a niggle or pain then removes, the advice names exactly what changed, and a
sore tendon at 0-3/10 keeps its gentle loading."""

from __future__ import annotations

import datetime as dt

import pytest

from core import pain_content as content
from core.areas import AREA_LABELS
from core.exercises import BY_KEY, LIBRARY
from core.models import (
    BodyArea,
    Day,
    DayKind,
    Equipment,
    Phase,
    Plan,
    Prescription,
    Profile,
    Week,
)
from core.pain import (
    UPPER_ONLY_AVOID,
    Restrictions,
    adapt_plan,
    describe_changes,
    plan_change_message,
)
from core.planner import plan_week

MONDAY = dt.date(2026, 11, 30)
WEEK = Week(
    days=(
        Day(kind=DayKind.OFF),
        Day(kind=DayKind.EASY, start=dt.time(7)),
        Day(kind=DayKind.OFF),
        Day(kind=DayKind.EASY, start=dt.time(7)),
        Day(kind=DayKind.OFF),
        Day(kind=DayKind.EASY, start=dt.time(7)),
        Day(kind=DayKind.REST),
    )
)
KITS = [frozenset({Equipment.NONE}), frozenset({Equipment.GYM})]


def plans(restrictions: Restrictions, *, level: int = 0) -> list[Plan]:
    found = []
    for kit in KITS:
        for sessions in (2, 3, 4):
            profile = Profile(sessions_per_week=sessions, minutes=60, equipment=kit)
            plan = plan_week(profile, WEEK, MONDAY, level=level, avoid=restrictions.builder_avoid)
            found.append(adapt_plan(plan, restrictions))
    return found


def exercises(plan: Plan) -> list[Prescription]:
    return [p for d in plan.sessions if d.session is not None for p in d.session.exercises]


@pytest.mark.parametrize("area", list(AREA_LABELS))
def test_every_area_a_runner_can_name_is_loaded_and_then_unloaded(area):
    assert any(area in e.loads for e in LIBRARY), area
    loaded_somewhere = False
    for before, after in zip(
        plans(Restrictions()), plans(Restrictions(avoid=frozenset({area}))), strict=True
    ):
        loading = [
            p for d in before.sessions for p in d.session.exercises if area in p.exercise.loads
        ]  # type: ignore[union-attr]
        loaded_somewhere |= bool(loading)
        for day in after.sessions:
            for p in day.session.exercises:  # type: ignore[union-attr]
                assert area not in p.exercise.loads, (area, p.exercise.name)
        changes = describe_changes(before, after)
        for old, new in zip(before.days, after.days, strict=True):
            if old.session is None or new.session is None:
                continue
            said = [c for c in changes if c.startswith(f"{old.weekday.title}:")]
            was = {p.exercise.name for p in old.session.exercises}
            now = {p.exercise.name for p in new.session.exercises}
            # Exactly what changed: every exercise that went is named, none that stayed.
            for name in was - now:
                assert any(name in c for c in said), (area, name, changes)
            for name in was & now:
                assert not any(name in c for c in said), (area, name, changes)
        message = plan_change_message(changes, area=area, eased=False)
        if changes:
            assert message.startswith(content.PLAN_ADAPTED)
        else:
            assert message == content.PLAN_NOTHING_LOADS
    assert loaded_somewhere, f"no session ever loads {area}"


def test_the_outer_knee_is_loaded_by_single_leg_work_and_hops():
    for key in (
        "reverse_lunge",
        "lateral_lunge",
        "split_squat",
        "rear_foot_elevated_split_squat",
        "step_up",
        "single_leg_box_squat",
        "pogo_hops",
    ):
        assert BodyArea.KNEE_OUTSIDE in BY_KEY[key].loads, key


def test_no_swap_is_claimed_when_nothing_changed():
    same = plans(Restrictions())[0]
    assert describe_changes(same, same) == []
    assert plan_change_message([], area=BodyArea.SHOULDER, eased=False) == (
        content.PLAN_NOTHING_LOADS
    )
    assert plan_change_message([], area=None, eased=False) == content.PLAN_NO_AREA
    assert plan_change_message([], area=BodyArea.ACHILLES, eased=True) == (
        content.PLAN_KEEPS_LOADING
    )
    for text in (content.GREEN_ADVICE, content.AMBER_ADVICE, content.RED_ADVICE):
        assert "swapped" not in text and "I've" not in text


def test_a_sore_achilles_at_0_to_3_keeps_slow_calf_raises_and_loses_the_hops():
    eased = Restrictions(ease=frozenset({BodyArea.ACHILLES}))
    for before, after in zip(plans(Restrictions(), level=2), plans(eased, level=2), strict=True):
        keys = {p.exercise.key for p in exercises(after)}
        assert "pogo_hops" not in keys
        if "pogo_hops" in {p.exercise.key for p in exercises(before)}:
            assert keys & {"standing_calf_raise", "bent_knee_calf_raise", "eccentric_heel_drop"}
            assert any("Pogo" in c and "swapped" in c for c in describe_changes(before, after))


def test_a_sore_kneecap_at_0_to_3_keeps_shallow_squats():
    eased = Restrictions(ease=frozenset({BodyArea.KNEE_FRONT}))
    for plan in plans(eased):
        for day in plan.sessions:
            keys = {p.exercise.key for p in day.session.exercises}  # type: ignore[union-attr]
            assert not keys & {"rear_foot_elevated_split_squat", "single_leg_box_squat"}
            if keys & {"split_squat", "goblet_squat", "reverse_lunge", "step_up"}:
                assert content.GENTLE_NOTE in day.session.notes  # type: ignore[union-attr]


def test_until_seen_running_pauses_and_strength_is_upper_body_and_trunk():
    held = Restrictions(upper_only=True, running_paused=True, avoid=frozenset({BodyArea.SHIN}))
    for plan in plans(held):
        assert plan.notes[0].startswith("Running is paused")
        for day in plan.days:
            assert not day.day.kind.is_run
            if day.session is not None:
                assert day.session.notes[0] == content.UPPER_ONLY_NOTE
                for p in day.session.exercises:
                    assert not p.exercise.loads & UPPER_ONLY_AVOID, p.exercise.name
    assert plans(held)[0].phase in set(Phase)


def test_until_seen_after_a_no_exercise_sign_the_plan_has_no_run_and_no_strength():
    held = Restrictions(
        upper_only=True, running_paused=True, no_exercise=True, avoid=frozenset({BodyArea.CALF})
    )
    for plan in plans(held):
        assert plan.notes == (content.REST_PLAN_NOTE,)
        assert plan.sessions == () and plan.shortfall is None
        for day in plan.days:
            assert day.day.kind is DayKind.REST and day.reason == content.REST_REASON
