"""This week's runs typed in one message (docs/coaching.md, "This week"): what each message
changes, what it asks, and what is never read as a change (pain, symptoms, "this week")."""

from __future__ import annotations

import datetime as dt

import pytest

from core.models import Day, DayKind, Weekday
from core.thisweek import NOT_A_CHANGE, read_this_week
from core.weekread import read_week

USUAL = read_week(
    "Mon rest, Tue intervals 18:00, Wed easy 07:00, Thu tempo 18:00, Fri rest, Sat long 08:00, "
    "Sun easy 09:00"
).week()
MON, TUE, WED, THU, FRI, SAT, SUN = tuple(Weekday)
REST = Day(kind=DayKind.REST)
TEMPO = Day(kind=DayKind.TEMPO, start=dt.time(18, 0))

CHANGES = [
    ("Thu tempo is on Fri", ((THU, REST), (FRI, TEMPO))),
    ("this week Thu tempo is on Fri", ((THU, REST), (FRI, TEMPO))),
    ("Thrusday tempo goes to friday this week", ((THU, REST), (FRI, TEMPO))),
    ("move thursday's tempo to friday", ((THU, REST), (FRI, TEMPO))),
    ("no long run this week", ((SAT, REST),)),
    ("skip the long run", ((SAT, REST),)),
    ("no run on thursday", ((THU, REST),)),
    ("this week sat easy 8am", ((SAT, Day(kind=DayKind.EASY, start=dt.time(8, 0))),)),
    (
        "Thu tempo is on Fri and no long run",
        ((THU, REST), (FRI, TEMPO), (SAT, REST)),
    ),
    (
        "swap tue and thu",
        ((TUE, TEMPO), (THU, Day(kind=DayKind.INTERVALS, start=dt.time(18, 0)))),
    ),
]


@pytest.mark.parametrize(("typed", "changed"), CHANGES)
def test_a_change_typed_in_one_message_gives_this_weeks_runs(typed, changed):
    reading = read_this_week(typed, USUAL)
    assert reading is not None and reading.question is None, reading
    assert reading.changed_days(USUAL) == changed
    assert reading.said  # one sentence per change


def test_the_reply_says_what_changed():
    reading = read_this_week("Thu tempo is on Fri, no long run", USUAL)
    assert reading is not None
    assert reading.said == (
        "This week your tempo run moves from Thursday to Friday; Thursday is now a rest day.",
        "No long run on Saturday this week.",
    )


@pytest.mark.parametrize(
    ("typed", "question"),
    [
        ("no easy run", "You have an easy run on Wed and Sun this week: which one is off?"),
        ("no hills", "There's no hill session in this week to drop."),
        ("long run to saturday", "Your long run is already on Saturday."),
        ("hello there", NOT_A_CHANGE),
        ("tight schedule this week", NOT_A_CHANGE),
    ],
)
def test_what_cannot_be_read_asks_and_changes_nothing(typed, question):
    reading = read_this_week(typed, USUAL)
    assert reading is not None and reading.question is not None
    assert reading.question.startswith(question)
    assert reading.changed_days(USUAL) == ()


@pytest.mark.parametrize(
    "typed",
    [
        "this week",
        "This week!",
        "sore calf this week",
        "felt sick after the race",
        "my knee hurts, no long run this week",
        "no long run this week, achilles pain",
    ],
)
def test_pain_symptoms_and_this_week_alone_are_never_a_change(typed):
    assert read_this_week(typed, USUAL) is None


def test_a_second_message_builds_on_the_first():
    first = read_this_week("no long run", USUAL)
    assert first is not None
    second = read_this_week("Thu tempo is on Fri", first.week)
    assert second is not None
    assert second.changed_days(USUAL) == ((THU, REST), (FRI, TEMPO), (SAT, REST))
