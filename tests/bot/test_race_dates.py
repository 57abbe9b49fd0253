"""Race dates by zone, through the real setup (issue 14): "05/01/2027" is 1 May in New York
and 5 January in Berlin, echoed to confirm when both readings are races to come, and "no" or
"not yet" means no date. Before the time-zone question, the date is read day first and the echo
says so; "no" then takes the other reading."""

from __future__ import annotations

import datetime as dt

import pytest

from storage import repo
from storage.tables import runner_profile
from tests.bot.conftest import WORKED_WEEK, Coach

WEEK_Q = "Now your usual running week"
REST = (WORKED_WEEK, "2", "25", "after runs", "none")


def setup_in(zone: str) -> tuple[str, ...]:
    """The whole setup, training for a marathon on 1 June 2027, in `zone`."""
    return ("/start", "marathon", "2027-06-01", *REST, zone, "none", "yes")


async def race_date(coach: Coach) -> dt.date | None:
    async with coach.app.bot_data["runtime"].sessions() as db:
        runner = await repo.get_runner(db, telegram_user_id=42)
        assert runner is not None
        return runner_profile(runner).race_date


async def finish_setup(coach: Coach) -> None:
    for answer in (*REST, "UTC", "none", "yes"):
        await coach.send(answer)


@pytest.mark.parametrize(
    ("zone", "read", "other", "order", "stored"),
    [
        ("America/New_York", "Saturday 01 May 2027", "05 January", "month", dt.date(2027, 5, 1)),
        ("Europe/Berlin", "Tuesday 05 January 2027", "01 May", "day", dt.date(2027, 1, 5)),
    ],
)
async def test_the_zone_decides_day_or_month_first(coach: Coach, zone, read, other, order, stored):
    for answer in setup_in(zone):
        await coach.send(answer)
    await coach.send("/settings")
    await coach.tap("Race date")
    await coach.send("05/01/2027")
    echo = coach.last()
    assert echo.startswith(f"Just to be sure: {read}?")
    assert f"no if you meant {other}" in echo
    assert f"I read 05/01/2027 {order} first, as dates are written in {zone}" in echo
    await coach.send("yes")
    assert await race_date(coach) == stored


async def test_an_edit_at_the_summary_reads_the_date_in_the_zone_answered(coach: Coach):
    for answer in setup_in("America/New_York")[:-1]:
        await coach.send(answer)
    await coach.tap("✏️ Edit")
    await coach.tap("Race date")
    await coach.send("05/01/2027")
    assert coach.last().startswith("Just to be sure: Saturday 01 May 2027?")
    await coach.send("yep")
    assert "01 May 2027" in coach.last()  # the summary again
    await coach.send("confirm")
    assert await race_date(coach) == dt.date(2027, 5, 1)


@pytest.mark.parametrize(
    ("answer", "stored"), [("yes", dt.date(2027, 1, 5)), ("no", dt.date(2027, 5, 1))]
)
async def test_before_the_zone_is_known_the_echo_says_how_it_was_read(
    coach: Coach, answer, stored
):
    await coach.send("/start")
    await coach.send("marathon")
    await coach.send("05/01/2027")
    echo = coach.last()
    assert echo.startswith("Just to be sure: Tuesday 05 January 2027?")
    assert "day first" in echo and "don't know your time zone yet" in echo
    await coach.send(answer)  # "no": the other way round, not "type it again"
    assert coach.last().startswith(WEEK_Q)
    await finish_setup(coach)
    assert await race_date(coach) == stored


@pytest.mark.parametrize("answer", ["no", "not yet", "No date yet", "dunno"])
async def test_no_or_not_yet_means_no_race_date(coach: Coach, answer):
    await coach.send("/start")
    await coach.send("half")
    await coach.send(answer)
    assert coach.last().startswith(WEEK_Q)
    await finish_setup(coach)
    assert await race_date(coach) is None


@pytest.mark.parametrize(
    ("zone", "typed", "stored"),
    [
        ("America/New_York", "13/01/2027", dt.date(2027, 1, 13)),  # only one way is a date
        ("Europe/Berlin", "01/13/2027", dt.date(2027, 1, 13)),
        ("America/New_York", "25 April 2027", dt.date(2027, 4, 25)),
        ("Europe/Berlin", "2027-05-01", dt.date(2027, 5, 1)),
    ],
)
async def test_unambiguous_dates_need_no_echo(coach: Coach, zone, typed, stored):
    for answer in setup_in(zone):
        await coach.send(answer)
    await coach.send("/settings")
    await coach.tap("Race date")
    await coach.send(typed)
    assert not any("Just to be sure" in t for t in coach.texts()[-3:])
    assert await race_date(coach) == stored


@pytest.mark.parametrize(
    ("zone", "stored", "said"),
    [
        # 27 November 2026 today: one reading of 11/12/2026 has already passed.
        ("Europe/Berlin", dt.date(2026, 12, 11), None),
        ("America/New_York", dt.date(2026, 12, 11), "the other way round it has already passed"),
    ],
)
async def test_when_one_reading_has_passed_the_other_is_taken(coach: Coach, zone, stored, said):
    for answer in setup_in(zone):
        await coach.send(answer)
    await coach.send("/settings")
    await coach.tap("Race date")
    seen = len(coach.texts())
    await coach.send("11/12/2026")
    replies = "\n".join(coach.texts()[seen:])
    assert "Just to be sure" not in replies
    if said is not None:
        assert said in replies
    assert await race_date(coach) == stored
