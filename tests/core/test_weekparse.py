"""The week typed in one message: what a runner types, what the coach understands."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.models import Day, DayKind, Week, Weekday
from core.weekparse import (
    EXAMPLE_WEEK,
    WeekParseError,
    format_week,
    parse_day,
    parse_day_kind,
    parse_minutes,
    parse_time,
    parse_week,
    parse_weekday,
)

MON, TUE, WED, THU, FRI, SAT, SUN = Weekday
T = dt.time


def week(**days: Day) -> Week:
    """A week from keyword days (mon=..., tue=...), the rest rest days."""
    names = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    unknown = set(days) - set(names)
    assert not unknown, unknown
    return Week(days=tuple(days.get(n, Day()) for n in names))


def d(kind: DayKind, start: dt.time | None = None, minutes: int | None = None) -> Day:
    return Day(kind=kind, start=start, minutes=minutes)


ACCEPTANCE = (
    "Mon rest, Tue intervals 18:00, Wed easy 07:00, Thu tempo 18:00, Fri rest, Sat long 08:00, "
    "Sun easy 09:00"
)
ACCEPTANCE_WEEK = week(
    tue=d(DayKind.INTERVALS, T(18)),
    wed=d(DayKind.EASY, T(7)),
    thu=d(DayKind.TEMPO, T(18)),
    sat=d(DayKind.LONG, T(8)),
    sun=d(DayKind.EASY, T(9)),
)


def test_acceptance_week_parses_exactly() -> None:
    assert parse_week(ACCEPTANCE) == ACCEPTANCE_WEEK


def test_acceptance_week_prints_back_as_typed() -> None:
    assert format_week(ACCEPTANCE_WEEK) == ACCEPTANCE


def test_product_example_week() -> None:
    parsed = parse_week(
        "Mon rest, Tue intervals 18:00, Wed easy 7am, Thu tempo 18:00, Fri rest, "
        "Sat long run 08:00, Sun easy 9:00"
    )
    assert parsed == ACCEPTANCE_WEEK


def test_example_week_is_readable() -> None:
    assert parse_week(EXAMPLE_WEEK) == ACCEPTANCE_WEEK


def test_brief_example_with_off_day() -> None:
    parsed = parse_week(
        "Mon rest, Tue intervals 18:00, Wed easy 7am, Thu tempo 6pm, Fri off, "
        "Sat long run 08:00, Sun easy 9:00"
    )
    assert parsed[FRI] == Day(kind=DayKind.OFF)
    assert parsed[MON] == Day(kind=DayKind.REST)
    assert parsed[THU] == d(DayKind.TEMPO, T(18))


# What runners actually type, one fragment each: (text, weekday, expected day).
SPELLINGS = [
    ("Mon rest", MON, d(DayKind.REST)),
    ("monday: rest day", MON, d(DayKind.REST)),
    ("MON - nothing", MON, d(DayKind.REST)),
    ("Fri -", FRI, d(DayKind.REST)),
    ("fri: none", FRI, d(DayKind.REST)),
    ("Fri off", FRI, d(DayKind.OFF)),
    ("Fri. day off", FRI, d(DayKind.OFF)),
    ("friday no run", FRI, d(DayKind.OFF)),
    ("Tue intervals 18:00", TUE, d(DayKind.INTERVALS, T(18))),
    ("tues. track 18.00", TUE, d(DayKind.INTERVALS, T(18))),
    ("Tuesday: speed @ 6pm", TUE, d(DayKind.INTERVALS, T(18))),
    ("Tue - reps 6 pm", TUE, d(DayKind.INTERVALS, T(18))),
    ("tu fartlek 6:30pm", TUE, d(DayKind.INTERVALS, T(18, 30))),
    ("Tue intervals 6p.m.", TUE, d(DayKind.INTERVALS, T(18))),
    ("Wed easy 7am", WED, d(DayKind.EASY, T(7))),
    ("weds easy run 7:30", WED, d(DayKind.EASY, T(7, 30))),
    ("Wednesday jog at 07:30am", WED, d(DayKind.EASY, T(7, 30))),
    ("wed run 45min", WED, d(DayKind.EASY, None, 45)),
    ("Wed easy 45 min", WED, d(DayKind.EASY, None, 45)),
    ("Wed easy 45'", WED, d(DayKind.EASY, None, 45)),
    ("Thu tempo 6pm", THU, d(DayKind.TEMPO, T(18))),
    ("thur threshold 18:00", THU, d(DayKind.TEMPO, T(18))),
    ("Thurs: tempo run noon", THU, d(DayKind.TEMPO, T(12))),
    ("THURSDAY Threshold 12:15", THU, d(DayKind.TEMPO, T(12, 15))),
    ("Thu hills 18:00", THU, d(DayKind.HILLS, T(18))),
    ("thu hill repeats 7am", THU, d(DayKind.HILLS, T(7))),
    ("Sat long run 08:00", SAT, d(DayKind.LONG, T(8))),
    ("sat: LSR 8am 1h30", SAT, d(DayKind.LONG, T(8), 90)),
    ("Sat long 1.5h", SAT, d(DayKind.LONG, None, 90)),
    ("Saturday long 2 hours", SAT, d(DayKind.LONG, None, 120)),
    ("sat long 90 minutes", SAT, d(DayKind.LONG, None, 90)),
    ("Sat long 1h", SAT, d(DayKind.LONG, None, 60)),
    ("Sat parkrun race 9am", SAT, d(DayKind.RACE, T(9))),
    ("sun race", SUN, d(DayKind.RACE)),
    ("Sun easy 9:00", SUN, d(DayKind.EASY, T(9))),
    ("Sun recovery jog 10am", SUN, d(DayKind.RECOVERY, T(10))),
    ("sun recovery", SUN, d(DayKind.RECOVERY)),
    ("Sun swim 7am", SUN, d(DayKind.CROSS, T(7))),
    ("Sun cross-training", SUN, d(DayKind.CROSS)),
    ("sun bike 1h", SUN, d(DayKind.CROSS, None, 60)),
    ("Sun cycling", SUN, d(DayKind.CROSS)),
    ("sun yoga 18:00", SUN, d(DayKind.CROSS, T(18))),
    ("Sun spin", SUN, d(DayKind.CROSS)),
    ("Sun elliptical 30min", SUN, d(DayKind.CROSS, None, 30)),
    ("Mon easy 18:00-18:45", MON, d(DayKind.EASY, T(18), 45)),
    ("Mon easy 7am to 8am", MON, d(DayKind.EASY, T(7), 60)),
    ("Mon 7am easy", MON, d(DayKind.EASY, T(7))),
    ("mon:easy", MON, d(DayKind.EASY)),
    ("Mon midnight easy", MON, d(DayKind.EASY, T(0))),
    ("Mon easy 12am", MON, d(DayKind.EASY, T(0))),
    ("Mon easy 12pm", MON, d(DayKind.EASY, T(12))),
    ("Mon long 1:30h", MON, d(DayKind.LONG, None, 90)),
]


@pytest.mark.parametrize(("text", "weekday", "expected"), SPELLINGS, ids=[s[0] for s in SPELLINGS])
def test_real_world_spellings(text: str, weekday: Weekday, expected: Day) -> None:
    parsed = parse_week(text)
    assert parsed[weekday] == expected
    others = [parsed[w] for w in Weekday if w != weekday]
    assert others == [Day()] * 6, "days left out are rest days"


@pytest.mark.parametrize(
    "text",
    [
        "Mon rest; Tue intervals 18:00; Wed easy 07:00; Thu tempo 18:00; Fri rest; Sat long 08:00;"
        " Sun easy 09:00",
        "Mon rest\nTue intervals 18:00\nWed easy 07:00\nThu tempo 18:00\nFri rest\n"
        "Sat long 08:00\nSun easy 09:00\n",
        "Mon rest / Tue intervals 18:00 / Wed easy 07:00 / Thu tempo 18:00 / Fri rest / "
        "Sat long 08:00 / Sun easy 09:00",
        "Mon rest | Tue intervals 18:00 | Wed easy 07:00 | Thu tempo 18:00 | Fri rest | "
        "Sat long 08:00 | Sun easy 09:00",
        "Mon rest, Tue intervals 18:00, Wed easy 07:00, Thu tempo 18:00, Fri rest, "
        "Sat long 08:00 and Sun easy 09:00",
        "- Mon: rest\n- Tue: intervals 18:00\n- Wed: easy 07:00\n- Thu: tempo 18:00\n"
        "- Fri: rest\n- Sat: long 08:00\n- Sun: easy 09:00",
        "Tue intervals 18:00, Wed easy 07:00, Thu tempo 18:00, Sat long 08:00, Sun easy 09:00",
        "Mon rest. Tue intervals 18:00. Wed easy 7am. Thu tempo 6pm. Fri rest. Sat long 8am. "
        "Sun easy 9am.",
        "Sun easy 09:00, Sat long 08:00, Thu tempo 18:00, Wed easy 07:00, Tue intervals 18:00",
        "Tue intervals 18:00 Wed easy 07:00 Thu tempo 18:00 Sat long 08:00 Sun easy 09:00",
        "  mon REST ,,tue Intervals 18:00,  wed Easy 07:00 , thu Tempo 18:00,"
        "sat Long 08:00, sun Easy 09:00,  ",
        "Mon rest, Tue – intervals 18:00, Wed — easy 07:00, Thu tempo 18:00, Sat long 08:00, "
        "Sun easy 09:00",
    ],
    ids=[
        "semicolons",
        "new lines",
        "slashes",
        "pipes",
        "and",
        "bullets",
        "rest days left out",
        "sentences",
        "any order",
        "no separators",
        "messy spacing and case",
        "dashes",
    ],
)
def test_separators_and_layouts(text: str) -> None:
    assert parse_week(text) == ACCEPTANCE_WEEK


def test_day_lists_and_ranges() -> None:
    assert parse_week("Mon-Fri easy 7am") == week(
        **{n: d(DayKind.EASY, T(7)) for n in ("mon", "tue", "wed", "thu", "fri")}
    )
    assert parse_week("weekdays easy, weekend long") == parse_week(
        "Mon to Fri easy, Sat and Sun long"
    )
    assert parse_week("Mon & Wed easy 6pm, Sat long") == week(
        mon=d(DayKind.EASY, T(18)), wed=d(DayKind.EASY, T(18)), sat=d(DayKind.LONG)
    )
    assert parse_week("Mon/Thu hills") == week(mon=d(DayKind.HILLS), thu=d(DayKind.HILLS))
    assert parse_week("Sat - Mon cross") == week(
        sat=d(DayKind.CROSS), sun=d(DayKind.CROSS), mon=d(DayKind.CROSS)
    )


def test_rest_and_off_stay_different() -> None:
    parsed = parse_week("Mon rest, Fri off")
    assert parsed[MON].kind is DayKind.REST
    assert parsed[FRI].kind is DayKind.OFF


# Each kind of bad input: (text, the part the runner is shown, words the message must contain).
BAD = [
    ("Tusday intervals 18:00", "Tusday intervals 18:00", ["day", "tusday", "Tuesday"]),
    ("Mon rest, Fryday off", "Fryday off", ["day", "fryday"]),
    ("Tue intervalz 18:00", "Tue intervalz 18:00", ["run type", "intervalz", '"intervals"']),
    ("Mon rest, Wed bouldering", "Wed bouldering", ["run type", "bouldering"]),
    ("Tue intervals 25:00", "Tue intervals 25:00", ["25:00", "23"]),
    ("Wed easy 7:75", "Wed easy 7:75", ["7:75", "59"]),
    ("Thu tempo 13pm", "Thu tempo 13pm", ["13pm", "1 to 12"]),
    ("Mon rest, Tue easy, Tue intervals", "Tue intervals", ["Tuesday", "twice", "Tue easy"]),
    ("weekdays easy, Wed tempo", "Wed tempo", ["Wednesday", "twice"]),
    ("Tue intervals, 18:00", "18:00", ["time", "no day"]),
    ("hello", "hello", ["day"]),
    ("Mon rest, easy 7am", "easy 7am", ["time", "no day"]),
    ("Tue 18:00", "Tue 18:00", ["Tuesday", "18:00", "run type"]),
    ("Tue 45min", "Tue 45min", ["Tuesday", "length", "run type"]),
    ("Mon", "Mon", ["Monday", "run type"]),
    ("Mon, Tue intervals", "Mon", ["Monday", "run type"]),
    ("Fri rest 18:00", "Fri rest 18:00", ["rest day", "no start time"]),
    ("Fri off 1h", "Fri off 1h", ["no start time or length"]),
    ("Sat long 20km", "Sat long 20km", ["distance", "20km"]),
    ("Tue intervals 400m", "Tue intervals 400m", ["distance", "400m"]),
    ("Tue intervals 1800", "Tue intervals 1800", ["1800", "18:00"]),
    ("Wed easy at 7", "Wed easy at 7", ['"7"', "6pm"]),
    ("Wed easy morning", "Wed easy morning", ["morning", "clock time"]),
    ("Wed easy 7am 6pm", "Wed easy 7am 6pm", ["more than one start time"]),
    ("Wed easy 45min 1h", "Wed easy 45min 1h", ["two lengths"]),
    ("Wed easy 2min", "Wed easy 2min", ["too short"]),
    ("Sat long 11h", "Sat long 11h", ["more than 10 hours"]),
    ("Mon easy 19:00-18:00", "Mon easy 19:00-18:00", ["ends before it starts"]),
    ("Sat parkrun 9am", "Sat parkrun 9am", ["parkrun", "race"]),
    ("Mon gym", "Mon gym", ["strength"]),
]


@pytest.mark.parametrize(("text", "part", "words"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_names_the_part(text: str, part: str, words: list[str]) -> None:
    with pytest.raises(WeekParseError) as caught:
        parse_week(text)
    error = caught.value
    assert error.part == part
    message = str(error)
    assert f'"{part}"' in message
    for word in words:
        assert word in message
    assert EXAMPLE_WEEK in message, "every error shows an example week"


@pytest.mark.parametrize("text", ["", "   ", "\n\n", ", ; ,"])
def test_empty_text(text: str) -> None:
    with pytest.raises(WeekParseError) as caught:
        parse_week(text)
    assert caught.value.part == ""
    assert "didn't get any days" in str(caught.value)
    assert EXAMPLE_WEEK in str(caught.value)


def test_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="intervalz"):
        parse_week("Tue intervalz")


def test_distinct_messages_for_distinct_problems() -> None:
    problems = set()
    for text, _, _ in BAD:
        with pytest.raises(WeekParseError) as caught:
            parse_week(text)
        problems.add(caught.value.problem.split('"')[0][:25])
    assert len(problems) >= 15


# Helpers for the day-by-day onboarding.


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mon", MON),
        ("monday", MON),
        ("Tues.", TUE),
        ("weds", WED),
        ("Thur:", THU),
        ("thurs", THU),
        ("FRIDAY", FRI),
        ("sat", SAT),
        ("Sun", SUN),
        ("funday", None),
        ("t", None),
        ("Mon-Fri", None),
        ("", None),
    ],
)
def test_parse_weekday(text: str, expected: Weekday | None) -> None:
    assert parse_weekday(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Long run", DayKind.LONG),
        ("LSR", DayKind.LONG),
        ("track", DayKind.INTERVALS),
        ("Hill repeats", DayKind.HILLS),
        ("threshold", DayKind.TEMPO),
        ("jog", DayKind.EASY),
        ("recovery jog", DayKind.RECOVERY),
        ("parkrun race", DayKind.RACE),
        ("swim", DayKind.CROSS),
        ("rest day", DayKind.REST),
        ("-", DayKind.REST),
        ("day off", DayKind.OFF),
        ("no run (not a full rest day)", DayKind.OFF),
        ("cross-training", DayKind.CROSS),
        ("hill session", DayKind.HILLS),
        ("intervalz", None),
        ("parkrun", None),
        ("", None),
    ],
)
def test_parse_day_kind(text: str, expected: DayKind | None) -> None:
    assert parse_day_kind(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("18:00", T(18)),
        ("18.00", T(18)),
        ("1800", T(18)),
        ("0700", T(7)),
        ("7:30", T(7, 30)),
        ("7am", T(7)),
        ("6 pm", T(18)),
        ("7:30am", T(7, 30)),
        ("6:45 P.M.", T(18, 45)),
        ("noon", T(12)),
        ("at 18:00", T(18)),
        ("7", None),
        ("easy", None),
        ("", None),
    ],
)
def test_parse_time(text: str, expected: dt.time | None) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["25:00", "7:75", "13pm", "0am", "2400", "24:00"])
def test_parse_time_impossible(text: str) -> None:
    with pytest.raises(WeekParseError) as caught:
        parse_time(text)
    assert caught.value.part == text
    assert "isn't a time of day" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("45min", 45),
        ("45 min", 45),
        ("45'", 45),
        ("1h", 60),
        ("1h30", 90),
        ("1.5h", 90),
        ("90 minutes", 90),
        ("1 hour 15 min", 75),
        ("45", None),
        ("easy", None),
    ],
)
def test_parse_minutes(text: str, expected: int | None) -> None:
    assert parse_minutes(text) == expected


def test_parse_day_without_day_name() -> None:
    assert parse_day("easy 7am") == d(DayKind.EASY, T(7))
    assert parse_day("long run 08:00 1h30") == d(DayKind.LONG, T(8), 90)
    assert parse_day("rest") == Day()
    with pytest.raises(WeekParseError, match="intervalz"):
        parse_day("intervalz")
    with pytest.raises(WeekParseError):
        parse_day("")


def test_format_week_is_one_line_monday_first() -> None:
    text = format_week(
        week(wed=d(DayKind.EASY, T(7), 45), fri=d(DayKind.OFF), sun=d(DayKind.CROSS, T(18, 5)))
    )
    assert text == (
        "Mon rest, Tue rest, Wed easy 07:00 45min, Thu rest, Fri off, Sat rest, Sun cross 18:05"
    )


# Properties.

_RUN_OR_CROSS = [k for k in DayKind if k not in (DayKind.REST, DayKind.OFF)]
_times = st.builds(dt.time, st.integers(0, 23), st.integers(0, 59))
_active_days = st.builds(
    Day,
    kind=st.sampled_from(_RUN_OR_CROSS),
    start=st.none() | _times,
    minutes=st.none() | st.integers(5, 600),
)
_quiet_days = st.builds(Day, kind=st.sampled_from([DayKind.REST, DayKind.OFF]))
_weeks = st.builds(
    lambda days: Week(days=tuple(days)),
    st.lists(_active_days | _quiet_days, min_size=7, max_size=7),
)


@given(_weeks)
def test_round_trip(w: Week) -> None:
    assert parse_week(format_week(w)) == w


_junk_alphabet = st.sampled_from(
    [
        *"monteuwdhfrisaty0123456789 :.,;-/|'h\n&+@()",
        *(
            "am",
            "pm",
            "min",
            "rest",
            "easy",
            "long run",
            "Tue",
            "Sat",
            "18:00",
            "7am",
            "\u0130",
            "²",
        ),
    ]
)


@settings(max_examples=300)
@given(st.text() | st.lists(_junk_alphabet, max_size=30).map("".join))
def test_junk_only_ever_raises_week_parse_error(text: str) -> None:
    try:
        result = parse_week(text)
    except WeekParseError as error:
        assert isinstance(error.part, str)
        assert str(error)
    else:
        assert isinstance(result, Week)


@settings(max_examples=200)
@given(st.text() | st.lists(_junk_alphabet, max_size=8).map("".join))
def test_helpers_on_junk(text: str) -> None:
    parse_weekday(text)
    parse_day_kind(text)
    for helper in (parse_time, parse_minutes, parse_day):
        with contextlib.suppress(WeekParseError):
            helper(text)
