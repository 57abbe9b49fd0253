"""Progression: clean weeks move the runner up, pain or missed sessions move them back."""

from __future__ import annotations

import pydantic
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.progression import WeekOutcome, level_from_history, next_level, week_streak

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
