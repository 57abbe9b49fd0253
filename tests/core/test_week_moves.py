"""Moving runs in the usual week by typing (docs/understanding.md, "Moves"): what each message
reads as, what is never a move, and the week a move gives."""

from __future__ import annotations

import datetime as dt

import pytest

from core.models import Day, DayKind, Week, Weekday
from core.weekread import Move, MoveRefused, apply_move, read_move

L, T, IV, E = DayKind.LONG, DayKind.TEMPO, DayKind.INTERVALS, DayKind.EASY
MON, TUE, WED, THU, FRI, SAT, SUN = tuple(Weekday)

READINGS = [
    ("move long run to sunday", Move(kind=L, target=SUN)),
    ("long run on sunday", Move(kind=L, target=SUN)),
    ("Move Long Run To Sunday!", Move(kind=L, target=SUN)),
    ("move lnog run to sunday", Move(kind=L, target=SUN)),
    ("lnog run on sunday", Move(kind=L, target=SUN)),
    ("long run to sun", Move(kind=L, target=SUN)),
    ("put my long run on sunday", Move(kind=L, target=SUN)),
    ("please move the long run to sunday", Move(kind=L, target=SUN)),
    ("can you move my long run to sunday", Move(kind=L, target=SUN)),
    ("shift long run to friday", Move(kind=L, target=FRI)),
    ("swap tue and thu", Move(source=TUE, target=THU, swap=True)),
    ("swap tuesday with thursday", Move(source=TUE, target=THU, swap=True)),
    ("switch wed and sat", Move(source=WED, target=SAT, swap=True)),
    ("move thursday's tempo to friday", Move(kind=T, source=THU, target=FRI)),
    ("move thrusday's tempo to friday", Move(kind=T, source=THU, target=FRI)),
    ("move thursday tempo to friday", Move(kind=T, source=THU, target=FRI)),
    ("move the tempo from thrusday to friday", Move(kind=T, source=THU, target=FRI)),
    ("tempo to friday", Move(kind=T, target=FRI)),
    ("move my intervals to wednesday", Move(kind=IV, target=WED)),
    ("move saturday to sunday", Move(source=SAT, target=SUN)),
    ("move easy run from wed to mon", Move(kind=E, source=WED, target=MON)),
]

NOT_MOVES = [
    "sore knee after the long run",
    "my knee hurts, move long run to sunday",  # pain first: the pain check reads it
    "calf pain on the long run to sunday",
    "tempo at 6",
    "Mon easy 7am, Wed rest, Sun rest",
    "Fri tempo",
    "tempo on friday",  # a day typed, not a move
    "sun long run",
    "Sat long run 08:00",
    "move long run to 6pm",
    "move long run to sunday at 9am",  # a time too: the week reader's job
    "long run",
    "keep",
    "easy 5k on sunday",
    "move it",
    "swap",
    "day by day",
]


@pytest.mark.parametrize(("typed", "expected"), READINGS, ids=[t for t, _ in READINGS])
def test_a_typed_move_is_read(typed: str, expected: Move):
    assert read_move(typed) == expected


@pytest.mark.parametrize("typed", NOT_MOVES)
def test_other_messages_are_not_moves(typed: str):
    assert read_move(typed) is None


def test_there_are_enough_cases():
    assert len(READINGS) >= 15 and len(NOT_MOVES) >= 10


WORKED = Week(
    days=(
        Day(kind=DayKind.REST),
        Day(kind=IV, start=dt.time(18)),
        Day(kind=E, start=dt.time(7)),
        Day(kind=T, start=dt.time(18)),
        Day(kind=DayKind.REST),
        Day(kind=L, start=dt.time(8)),
        Day(kind=E, start=dt.time(9)),
    )
)


def test_moving_the_long_run_to_sunday():
    moved = apply_move(WORKED, Move(kind=L, target=SUN))
    assert moved.week[SUN] == Day(kind=L, start=dt.time(8))
    assert moved.week[SAT].kind is DayKind.REST
    assert moved.week.days[:5] == WORKED.days[:5]  # the other days are kept
    assert moved.said.startswith(
        "Moved your long run from Saturday to Sunday; Saturday is now a rest day."
    )
    assert "easy run" in moved.said  # Sunday's easy run is replaced, and it says so


def test_swapping_two_days_keeps_their_times():
    moved = apply_move(WORKED, Move(source=TUE, target=THU, swap=True))
    assert moved.week[TUE] == WORKED[THU] and moved.week[THU] == WORKED[TUE]
    assert moved.said.startswith("Swapped Tuesday and Thursday")


def test_moving_a_named_days_run():
    moved = apply_move(WORKED, Move(kind=T, source=THU, target=FRI))
    assert moved.week[FRI] == Day(kind=T, start=dt.time(18))
    assert moved.week[THU].kind is DayKind.REST
    assert "Thursday is now a rest day" in moved.said


@pytest.mark.parametrize(
    ("move", "why"),
    [
        (Move(kind=DayKind.HILLS, target=SUN), "There's no hill session in your week"),
        (Move(kind=L, target=SAT), "already on Saturday"),
        (Move(kind=E, target=MON), "which one?"),  # easy on Wednesday and Sunday
        (Move(kind=T, source=TUE, target=FRI), "not a tempo"),
        (Move(source=MON, target=FRI), "no run to move"),
        (Move(source=MON, target=FRI, swap=True), "same already"),
        (Move(source=TUE, target=TUE, swap=True), "same day"),
    ],
)
def test_an_impossible_move_says_why(move: Move, why: str):
    with pytest.raises(MoveRefused, match=why):
        apply_move(WORKED, move)
