"""Progression: clean weeks move the runner up, pain or missed sessions move them back."""

from __future__ import annotations

import pydantic
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.progression import WeekOutcome, level_from_history, next_level, week_streak

# The Sunday line's words for a step from level 0 or 1 (core.progression.what_changes).
UP = "one step up (a rep more, holds 5 s longer) —"
BACK = "one step back (a rep fewer, holds 5 s shorter, a set fewer) —"

CLEAN = WeekOutcome(planned=2, done=2)
MISSED = WeekOutcome(planned=3, done=1, skipped=2)


def test_no_data_holds_the_level() -> None:
    assert next_level(1, None) == 1


def test_every_session_done_without_pain_progresses() -> None:
    assert next_level(0, CLEAN) == 1


def test_a_painful_week_steps_back_even_if_everything_was_done() -> None:
    week = WeekOutcome(planned=2, done=2, pain_reports=1, worst_pain=5)
    assert next_level(2, week) == 1


def test_a_pain_report_without_a_score_steps_back() -> None:
    assert next_level(2, WeekOutcome(planned=2, done=2, pain_reports=1)) == 1


def test_mild_pain_holds_but_never_progresses() -> None:
    assert next_level(2, WeekOutcome(planned=2, done=2, pain_reports=1, worst_pain=2)) == 2


def test_fewer_than_half_done_steps_back() -> None:
    assert next_level(1, MISSED) == 0


def test_half_done_holds() -> None:
    assert next_level(1, WeekOutcome(planned=4, done=2, skipped=2)) == 1


def test_a_week_with_nothing_planned_holds() -> None:
    assert next_level(1, WeekOutcome(planned=0, done=0)) == 1


def test_levels_stay_between_minus_two_and_four() -> None:
    assert next_level(4, CLEAN) == 4
    assert next_level(-2, MISSED) == -2
    assert next_level(9, None) == 4


def test_history_folds_from_zero() -> None:
    assert level_from_history([]) == 0
    assert level_from_history([CLEAN, CLEAN, CLEAN]) == 3
    assert level_from_history([CLEAN, CLEAN, MISSED, CLEAN]) == 2
    assert level_from_history([CLEAN] * 10) == 4


def test_outcomes_are_validated_and_frozen() -> None:
    with pytest.raises(pydantic.ValidationError):
        WeekOutcome(planned=2, done=2, worst_pain=11)
    with pytest.raises(pydantic.ValidationError):
        WeekOutcome(planned=-1, done=0)
    with pytest.raises(pydantic.ValidationError):
        CLEAN.done = 0  # type: ignore[misc]


weeks = st.builds(
    WeekOutcome,
    planned=st.integers(0, 4),
    done=st.integers(0, 4),
    skipped=st.integers(0, 4),
    pain_reports=st.integers(0, 3),
    worst_pain=st.none() | st.integers(0, 10),
)


@given(st.integers(-2, 4), weeks)
def test_one_step_at_a_time(level: int, week: WeekOutcome) -> None:
    new = next_level(level, week)
    assert -2 <= new <= 4
    assert abs(new - level) <= 1
    if week.worst_pain is not None and week.worst_pain >= 4:
        assert new == max(-2, level - 1)
    if new > level:
        assert week.done >= week.planned > 0 and week.pain_reports == 0


@given(st.lists(weeks, max_size=20))
def test_history_stays_in_range(history: list[WeekOutcome]) -> None:
    assert -2 <= level_from_history(history) <= 4


def test_the_streak_counts_full_weeks_back_from_this_one():
    assert week_streak([(2, 2), (3, 3), (2, 1), (2, 2)]) == 2  # broken by the third week
    assert week_streak([(2, 3)]) == 1  # an extra session still counts
    assert week_streak([(2, 1), (2, 2)]) == 0  # this week not done yet: no streak
    assert week_streak([(0, 0), (2, 2)]) == 0  # nothing planned this week ends it
    assert week_streak([]) == 0


# --- issue 15: the end-of-week rule, with its one-line reason ----------------------------------

from core.models import BodyArea  # noqa: E402
from core.progression import (  # noqa: E402
    MAX_LEVEL,
    MIN_LEVEL,
    Feel,
    return_after_pain,
    week_level,
    weekly_step,
)

HARD = (Feel.HARD, Feel.HARD)


def test_the_reason_says_what_changes_and_why() -> None:
    step = weekly_step(1, WeekOutcome(planned=3, done=3))
    assert (step.level, step.change) == (2, 1)
    assert step.reason == f"Next week: {UP} you did all 3 sessions without pain."
    back = weekly_step(1, WeekOutcome(planned=2, done=2, pain_reports=1, worst_pain=5))
    assert back.level == 0 and "one step back" in back.reason and "5/10" in back.reason
    missed = weekly_step(1, MISSED)
    assert missed.level == 0 and "1 of 3 sessions" in missed.reason
    held = weekly_step(1, WeekOutcome(planned=4, done=2))
    assert held.level == 1 and held.reason.startswith("Next week: the same level")


@pytest.mark.parametrize("flag", ["ill", "paused", "escalated"])
def test_ill_paused_or_escalated_weeks_hold(flag: str) -> None:
    for week in (
        WeekOutcome(planned=3, done=0, **{flag: True}),
        WeekOutcome(planned=3, done=3, **{flag: True}),
    ):
        step = weekly_step(2, week)
        assert step.level == 2 and step.change == 0 and "does not count" in step.reason


def test_the_first_week_back_after_illness_is_a_step_easier() -> None:
    ill = WeekOutcome(planned=2, done=0, ill=True)
    assert next_level(2, ill) == 2
    assert week_level(2, ill) == 1
    assert week_level(2, CLEAN) == 2


def test_two_hard_weeks_in_a_row_hold_even_when_everything_was_done() -> None:
    hard = WeekOutcome(planned=2, done=2, feels=HARD)
    assert next_level(1, hard) == 2  # one hard week is fine
    assert next_level(1, hard, previous=hard) == 1
    assert "felt hard two weeks running" in weekly_step(1, hard, hard).reason
    mixed = WeekOutcome(planned=2, done=2, feels=(Feel.EASY, Feel.ABOUT_RIGHT))
    assert next_level(1, mixed, previous=hard) == 2
    assert level_from_history([hard, hard, hard]) == 1  # up, then held twice


def test_levels_are_bounded_in_one_place() -> None:
    import core.progression
    import core.sessions

    assert core.sessions.clamp_level is core.progression.clamp_level
    assert core.sessions.clamp_level(99) == MAX_LEVEL
    assert core.sessions.clamp_level(-99) == MIN_LEVEL
    top = weekly_step(MAX_LEVEL, CLEAN)
    assert top.level == MAX_LEVEL and "already the top one" in top.reason


def test_exercises_come_back_in_steps_after_a_pain_episode() -> None:
    knee = frozenset({BodyArea.KNEE_FRONT})
    steps = [return_after_pain(3, 2, knee, week) for week in range(6)]
    assert [s.level for s in steps] == [1, 1, 2, 3, 3, 3]
    assert [bool(s.avoid) for s in steps] == [True, False, False, False, False, False]
    assert [s.done for s in steps] == [False, False, False, True, True, True]
    assert all(s.note for s in steps)


@pytest.mark.parametrize("before", range(MIN_LEVEL, MAX_LEVEL))
def test_the_sunday_line_says_what_the_step_does_to_the_sessions(before: int) -> None:
    """The words of a step (a rep more, holds longer, an extra set) are what the doses do."""
    from core.exercises import BY_KEY
    from core.progression import what_changes
    from core.sessions import dose

    up = weekly_step(before, WeekOutcome(planned=2, done=2))
    assert up.level == before + 1 and what_changes(before, before + 1) in up.reason
    words = what_changes(before, before + 1)
    for exercise in BY_KEY.values():
        low, high = dose(exercise, before), dose(exercise, before + 1)
        if exercise.reps is not None and low.reps is not None and low.reps < 30:
            assert "a rep more" in words and high.reps == low.reps + 1
        if low.hold_seconds is not None and low.hold_seconds < 120:
            assert high.hold_seconds == low.hold_seconds + 5 and "holds 5 s longer" in words
        assert (high.sets > low.sets) == ("an extra set" in words)
    down = weekly_step(before + 1, WeekOutcome(planned=2, done=0))
    assert down.reason.startswith(f"Next week: one step back{what_changes(before + 1, before)} —")
