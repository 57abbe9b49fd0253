"""The illness reader is strict: plain illness with its length, nothing that belongs to the
pain check; and the mornings that ask how an ill runner feels."""

from __future__ import annotations

import datetime as dt

import pytest

from core.illness import (
    Feeling,
    checkin_day,
    ill_in_week,
    ill_weekdays,
    read_feeling,
    read_illness,
)
from core.models import DayKind, Profile, Weekday
from core.planner import plan_week, rest_while_ill
from core.symptoms import Recognised, read_symptoms
from tests.core.test_issue15_planner import WORKED
from tests.pain_messages import MESSAGES

MONDAY = dt.date(2026, 11, 30)
THU, FRI, SUN = (MONDAY + dt.timedelta(days=n) for n in (3, 4, 6))


@pytest.mark.parametrize(
    ("text", "until"),
    [
        ("I'm ill", None),
        ("I’m sick", None),
        ("got a cold", None),
        ("sick this week", SUN),
        ("flu, off until friday", FRI),
        ("ill till thursday", THU),
        ("ill for 2 days", MONDAY + dt.timedelta(days=1)),
        ("down with the flu for a few days", MONDAY + dt.timedelta(days=2)),
        ("Sorry coach, I've caught a nasty cold!", None),
    ],
)
def test_plain_illness_is_read_with_its_last_day(text, until):
    reading = read_illness(text, MONDAY, "Europe/London")
    assert reading is not None and reading.until == until


@pytest.mark.parametrize(
    "text",
    [
        "felt sick after the race",
        "sick and dizzy",
        "chest pain",
        "fever and calf swelling",
        "ill with a sore knee",
        "sick with a headache",
        "stomach bug",
        "ill until someday",
        "I'm not ill",  # "not" is not a filler word: left to whoever reads it next
        "ill till last monday",
        "done",
    ],
)
def test_anything_else_is_not_illness(text):
    assert read_illness(text, MONDAY, "Europe/London") is None


@pytest.mark.parametrize(("text", "kind", "tier", "flag"), MESSAGES)
def test_no_message_of_the_pain_table_that_the_pain_check_takes_reads_as_illness(
    text, kind, tier, flag
):
    # The bot reads illness only where the pain check found nothing or only a maybe; a
    # maybe is taken as illness only when it is plainly illness.
    if kind is not Recognised.NONE:
        assert read_illness(text, MONDAY) is None, text
    assert read_symptoms(text).kind is kind


def test_the_morning_answer():
    assert read_feeling("Better!") is Feeling.BETTER
    assert read_feeling("much better") is Feeling.BETTER
    assert read_feeling("still ill") is Feeling.STILL_ILL
    assert read_feeling("not yet") is Feeling.STILL_ILL
    assert read_feeling("better but my knee hurts") is None


def test_check_ins_from_the_last_ill_day_and_only_while_ill():
    assert not checkin_day("illness", THU, MONDAY + dt.timedelta(days=2))
    assert checkin_day("illness", THU, THU) and checkin_day("illness", THU, FRI)
    assert checkin_day("illness", None, MONDAY)
    assert not checkin_day("holiday", None, THU) and not checkin_day(None, None, THU)


def test_an_illness_counts_in_the_weeks_it_reached():
    assert ill_in_week(MONDAY, FRI, MONDAY)
    assert ill_in_week(MONDAY - dt.timedelta(days=2), None, MONDAY)
    assert not ill_in_week(MONDAY - dt.timedelta(days=5), MONDAY, MONDAY)  # better on Monday
    assert not ill_in_week(MONDAY + dt.timedelta(days=7), None, MONDAY)


def test_the_ill_days_of_a_week() -> None:
    monday = dt.date(2026, 11, 30)
    wed, fri = monday + dt.timedelta(days=2), monday + dt.timedelta(days=4)
    days = ill_weekdays
    # Still ill: every day from the first one on, nothing restarts before the check-in.
    assert days(wed, None, True, monday) == {Weekday.WED, Weekday.THU, Weekday.FRI,
                                              Weekday.SAT, Weekday.SUN}  # fmt: skip
    assert days(wed, fri, False, monday) == {Weekday.WED, Weekday.THU}  # better on Friday
    assert days(wed, fri, False, monday + dt.timedelta(weeks=1)) == frozenset()
    assert days(wed, None, False, monday) == frozenset()  # another pause took its place
    assert days(monday - dt.timedelta(days=3), None, True, monday) == set(Weekday)


def test_ill_days_lose_their_training_and_nothing_moves() -> None:
    plan = plan_week(Profile(sessions_per_week=2), WORKED, MONDAY)
    assert [d.weekday for d in plan.sessions] == [Weekday.WED, Weekday.SUN]
    ill = rest_while_ill(plan, frozenset({Weekday.TUE, Weekday.WED}))
    assert [d.weekday for d in ill.sessions] == [Weekday.SUN]  # Wednesday's is not moved
    assert ill.days[1].day.kind is DayKind.REST and ill.days[2].day.kind is DayKind.REST
    assert "unwell" in ill.days[2].reason
    assert ill.days[3:] == plan.days[3:]
    assert rest_while_ill(plan, frozenset()) == plan
