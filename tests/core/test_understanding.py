"""What a runner types, and what the coach reads or asks next: one table per kind of answer.

Every row is a typed input with the expected reading or the expected follow-up question. The
week rows go through `read_week` (and `answer_problem` where a reply follows), the button rows
through `match_option` / `read_equipment`, the date rows through `read_date`.
"""

from __future__ import annotations

import datetime as dt

import pytest

from core.answers import Option, match_option, read_equipment, read_number, yes_no
from core.areas import parse_areas
from core.dates import DateParseError, day_first, read_date
from core.fuzzy import guess
from core.models import BodyArea, DayKind, Equipment

K = DayKind


# --- buttons ----------------------------------------------------------------------------------

SESSIONS = [Option(str(n), str(n), number=n) for n in (2, 3, 4)]
MINUTES = [Option(str(m), f"{m} min", number=m) for m in (15, 20, 25, 30, 40)]
CONFIRM = [Option("yes", "Yes, erase", ("erase",), yes=True), Option("no", "Keep", yes=False)]
RACE_DATE = [Option("nodate", "No date yet", ("not sure", "dunno"), yes=False)]
PLACEMENT = [
    Option("after-runs", "After easy runs", ("after runs", "post run")),
    Option("off-days", "On days without a run", ("off days", "non-running days")),
    Option("either", "Either", ("any", "don't mind")),
]
KINDS = [
    Option(k.value, label, ())
    for k, label in [
        (K.REST, "Rest"),
        (K.EASY, "Easy"),
        (K.LONG, "Long run"),
        (K.INTERVALS, "Intervals"),
        (K.TEMPO, "Tempo"),
    ]
]
OPTIONS = {
    "sessions": SESSIONS,
    "minutes": MINUTES,
    "confirm": CONFIRM,
    "race date": RACE_DATE,
    "placement": PLACEMENT,
    "kinds": KINDS,
}
# (question, typed, the option's value, or "?value" for a "did you mean" only, or None)
BUTTONS = [
    ("sessions", "two please", "2"),
    ("sessions", "3", "3"),
    ("sessions", "Four sessions a week", "4"),
    ("sessions", "5", "?4"),
    ("minutes", "about 20 mins", "20"),
    ("minutes", "20ish", "20"),
    ("minutes", "twenty-five", "25"),
    ("minutes", "half an hour", "30"),
    ("minutes", "~40", "40"),
    ("minutes", "22", "?20"),
    ("minutes", "90", None),
    ("confirm", "yes", "yes"),
    ("confirm", "yep", "yes"),
    ("confirm", "sure", "yes"),
    ("confirm", "no", "no"),
    ("confirm", "nope", "no"),
    ("confirm", "erase", "yes"),
    ("race date", "not yet", "nodate"),
    ("race date", "no", "nodate"),
    ("placement", "after esay runs", "after-runs"),
    ("placement", "Eitehr", "either"),
    ("placement", "ON DAYS WITHOUT A RUN", "off-days"),
    ("placement", "blah", None),
    ("kinds", "Intervls", "intervals"),
    ("kinds", "lnog run", "long"),
    ("kinds", "tmpo", "tempo"),
    ("kinds", "intrvls", "?intervals"),
]


@pytest.mark.parametrize(("question", "typed", "expected"), BUTTONS)
def test_button_rows(question: str, typed: str, expected: str | None) -> None:
    answer = match_option(typed, OPTIONS[question])
    if expected is None:
        assert answer.option is None
        assert answer.suggestion is None
    elif expected.startswith("?"):
        assert answer.option is None
        assert answer.suggestion is not None
        assert answer.suggestion.value == expected[1:]
    else:
        assert answer.option is not None
        assert answer.option.value == expected


EQ = Equipment
EQUIPMENT = [
    ("no equipment", {EQ.NONE}),
    ("nothing really, just my body", {EQ.NONE}),
    ("dumbbells and a band", {EQ.DUMBBELLS, EQ.BAND}),
    ("a kettlebell", {EQ.DUMBBELLS}),
    ("I have some resistance bands", {EQ.BAND}),
    ("pull up bar + gym", {EQ.PULLUP_BAR, EQ.GYM}),
    ("dumbels", {EQ.DUMBBELLS}),
    ("bodyweight and a band", {EQ.BAND}),
    ("a trampoline", None),
]


@pytest.mark.parametrize(("typed", "expected"), EQUIPMENT)
def test_equipment_rows(typed: str, expected: set[Equipment] | None) -> None:
    found = read_equipment(typed)
    assert found == (frozenset(expected) if expected is not None else None)


def test_numbers_and_yes_no() -> None:
    assert read_number("about 20 mins") is not None
    assert read_number("2 or 3") is None
    assert yes_no("yes please") is True
    assert yes_no("not yet") is False
    assert yes_no("no equipment") is None
    assert yes_no("maybe") is None


def test_area_typos() -> None:
    assert guess("achiles", ["achilles", "calf"]) is not None
    assert parse_areas("achilles") == {BodyArea.ACHILLES}


# --- dates ------------------------------------------------------------------------------------

TODAY = dt.date(2026, 11, 30)  # a Monday
NY, LONDON, SYDNEY = "America/New_York", "Europe/London", "Australia/Sydney"
# (typed, zone, the date read, whether to echo it to confirm)
DATES = [
    ("05/01/2027", NY, dt.date(2027, 5, 1), True),
    ("05/01/2027", LONDON, dt.date(2027, 1, 5), True),
    ("05/01/2027", SYDNEY, dt.date(2027, 1, 5), True),
    ("13/01/2027", NY, dt.date(2027, 1, 13), False),
    ("12/25", NY, dt.date(2026, 12, 25), False),
    ("25/12", LONDON, dt.date(2026, 12, 25), False),
    ("2027-05-01", NY, dt.date(2027, 5, 1), False),
    ("15 march", LONDON, dt.date(2027, 3, 15), False),
    ("March 15th", NY, dt.date(2027, 3, 15), False),
    ("15 febuary 2027", LONDON, dt.date(2027, 2, 15), False),
    ("next friday", LONDON, dt.date(2026, 12, 4), True),
    ("friday", LONDON, dt.date(2026, 12, 4), False),
    ("next monday", LONDON, dt.date(2026, 12, 7), False),
    ("in 2 weeks", LONDON, dt.date(2026, 12, 14), False),
    ("in two weeks", NY, dt.date(2026, 12, 14), False),
    ("in 10 days", NY, dt.date(2026, 12, 10), False),
    ("in a month", NY, dt.date(2026, 12, 30), False),
    ("tomorrow", NY, dt.date(2026, 12, 1), False),
    ("until 1 dec", LONDON, dt.date(2026, 12, 1), False),
    ("29 nov", LONDON, dt.date(2027, 11, 29), False),
]


@pytest.mark.parametrize(("typed", "zone", "expected", "ambiguous"), DATES)
def test_date_rows(typed: str, zone: str, expected: dt.date, ambiguous: bool) -> None:
    reading = read_date(typed, TODAY, zone)
    assert reading.date == expected
    assert reading.ambiguous is ambiguous
    if ambiguous:
        assert reading.alternative is not None and reading.alternative != expected


@pytest.mark.parametrize("typed", ["hello", "5", "32/01/2027", "in 500 weeks", "", "30 feb"])
def test_dates_refused(typed: str) -> None:
    with pytest.raises(DateParseError):
        read_date(typed, TODAY, LONDON)


def test_day_first_by_zone() -> None:
    assert not day_first(NY)
    assert not day_first("America/Los_Angeles")
    assert day_first(LONDON)
    assert day_first(SYDNEY)
    assert day_first("Asia/Tokyo")
    assert day_first(None)


def test_at_least_sixty_typed_inputs() -> None:
    rows = len(BUTTONS) + len(EQUIPMENT) + len(DATES)
    assert rows >= 50
