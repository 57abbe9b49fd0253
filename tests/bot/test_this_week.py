"""This week, not every week, through the real bot and the real reminder dispatcher on the
injected clock: Move from /today and the strength reminder (allowed and refused days, the
outbox after a move), /thisweek's changed runs, next week unchanged, /export holding it."""

from __future__ import annotations

import datetime as dt
import json

from bot import texts
from bot.reminders import dispatch_due
from storage import repo
from storage.tables import Reminder, runner_week
from tests.bot.conftest import Clock, Coach
from tests.bot.test_reminders import coach_at, onboard, rows_of

LONDON = "Europe/London"
# Thu and Fri easy, so Wednesday's session has two days it may move to this week.
MOVE_WEEK = (
    "Mon rest, Tue intervals 18:00, Wed easy 07:00, Thu easy 18:00, Fri easy 07:00, "
    "Sat long 08:00, Sun easy 09:00"
)
MON = dt.date(2026, 11, 30)
WED, FRI, SUN = MON + dt.timedelta(days=2), MON + dt.timedelta(days=4), MON + dt.timedelta(days=6)
NEXT_WED = WED + dt.timedelta(weeks=1)


def at(day: dt.date, hhmm: str) -> dt.datetime:  # London is on UTC in December
    return dt.datetime.combine(day, dt.time.fromisoformat(hhmm), tzinfo=dt.UTC)


def strength_rows(rows: list[Reminder], status: str = "pending") -> list[tuple[dt.date, str]]:
    return [
        (r.local_date, f"{r.due_at:%H:%M}")
        for r in rows
        if r.kind == "strength" and r.status == status
    ]


async def joined_monday(coach: Coach, clock: Clock, week: str = MOVE_WEEK) -> None:
    clock.now = at(MON, "06:00")
    await onboard(coach, 42, LONDON, week)


async def test_move_from_the_strength_reminder_moves_it_for_this_week_only(db_url):
    clock = Clock(at(MON, "06:00"))
    async with coach_at(db_url, clock) as coach:
        await joined_monday(coach, clock)
        usual = runner_week(await stored(coach))
        assert strength_rows(await rows_of(coach))[:2] == [(WED, "07:55"), (SUN, "09:55")]

        # Wednesday: the dispatcher sends the 07:55 strength reminder, with Move under it.
        await dispatch(coach, clock, at(WED, "06:30"))  # the morning message first
        await dispatch(coach, clock, at(WED, "07:55"))
        assert coach.last().startswith("💪 Time for")
        assert "📅 Move" in coach.labels()
        await coach.tap("📅 Move")
        offer = coach.last()
        assert offer.startswith("Move Wednesday's")
        assert coach.labels() == ["Thu 03", "Fri 04"]  # only the days the rules allow
        assert "Not Sat 05: Long run" in offer  # refused, with the reason
        assert "Not Sun 06: Sunday already has a session" in offer  # never two on one day
        assert "Mon 30, Tue 01: already past." in offer  # never onto a past day

        await coach.tap("Fri 04")
        assert coach.last().startswith("Moved: ") and "on Friday 04 this week" in coach.last()
        # The reminders follow: Wednesday's is gone, Friday's is due after its easy run.
        pending = strength_rows(await rows_of(coach))
        assert (WED, "07:55") not in pending
        assert pending[:2] == [(FRI, "07:55"), (SUN, "09:55")]
        assert (NEXT_WED, "07:55") in pending  # next week is the usual week again
        assert runner_week(await stored(coach)) == usual  # the usual week is unchanged

        await coach.send("/plan")
        plan = next(t for t in reversed(coach.texts()) if t.startswith("Your week from"))
        assert "💪" in line_of(plan, "Fri 04") and "💪" not in line_of(plan, "Wed 02")
        await coach.send("/week")
        following = next(t for t in reversed(coach.texts()) if t.startswith("Your week from"))
        assert "💪" in line_of(following, "Wed 09") and "💪" not in line_of(following, "Fri 11")

        # Friday: the moved session's reminder comes, the Wednesday one never did again.
        sent_before = len(coach.texts())
        await dispatch(coach, clock, at(FRI, "06:30"))
        await dispatch(coach, clock, at(FRI, "07:55"))
        new = coach.texts()[sent_before:]
        assert len([t for t in new if t.startswith("💪 Time for Strength A")]) == 1


async def test_move_under_today_and_a_stale_offer(db_url):
    clock = Clock(at(MON, "06:00"))
    async with coach_at(db_url, clock) as coach:
        await joined_monday(coach, clock)
        clock.now = at(WED, "06:00")
        await coach.send("/today")
        assert "📅 Move" in coach.labels()
        await coach.tap("📅 Move")
        await coach.tap("📅 Move")  # asked twice: two offers on screen
        first, second = [
            m["message_id"]
            for m in coach.standin.sent_to(42)
            if m.get("text", "").startswith("Move Wednesday's")
        ][-2:]
        await coach.deliver(coach.standin.press(42, first, "mv:2026-12-02:2026-12-03"))
        assert "on Thursday 03 this week" in coach.last()
        # The older offer is out of date: Wednesday has no session to move any more.
        await coach.deliver(coach.standin.press(42, second, "mv:2026-12-02:2026-12-04"))
        assert coach.last() == "There's no strength session on that day any more."
        assert strength_rows(await rows_of(coach))[:1] == [(WED + dt.timedelta(days=1), "18:55")]


async def test_a_session_with_no_day_to_go_to_says_why_for_each_day(db_url):
    clock = Clock(at(MON, "06:00"))
    week = (
        "Mon rest, Tue intervals 18:00, Wed easy 07:00, Thu tempo 18:00, Fri rest, "
        "Sat long 08:00, Sun easy 09:00"
    )
    async with coach_at(db_url, clock) as coach:
        await joined_monday(coach, clock, week)
        clock.now = at(WED, "06:00")
        await coach.send("/today")
        await coach.tap("📅 Move")
        offer = coach.last()
        assert "can't move to another day this week" in offer
        assert "Not Thu 03: Tempo run: hard days stay free of strength" in offer
        assert "📅 Move" not in coach.labels() and coach.labels() == []
        assert strength_rows(await rows_of(coach))[0] == (WED, "07:55")  # nothing moved


async def dispatch(coach: Coach, clock: Clock, now: dt.datetime) -> None:
    clock.now = now
    for _ in range(3):  # as the job does, until nothing more is due
        await dispatch_due(coach.app, now=now)


def line_of(overview: str, day: str) -> str:
    return next(line for line in overview.splitlines() if line.startswith(day))


async def stored(coach: Coach):  # type: ignore[no-untyped-def]
    async with coach.app.bot_data["runtime"].sessions() as db:
        runner = await repo.get_runner(db, telegram_user_id=42)
        assert runner is not None
        return runner


async def export_of(coach: Coach) -> dict[str, object]:
    await coach.send("/export")
    data = coach.standin.documents[-1]["data"]
    return json.loads(data)  # type: ignore[no-any-return]


# --- this week's runs in one message -----------------------------------------------------------

WORKED = (
    "Mon rest, Tue intervals 18:00, Wed easy 07:00, Thu tempo 18:00, Fri rest, Sat long 08:00, "
    "Sun easy 09:00"
)


def overview(coach: Coach) -> str:
    return next(t for t in reversed(coach.texts()) if t.startswith("Your week from"))


async def changes_of(coach: Coach, monday: dt.date = MON):  # type: ignore[no-untyped-def]
    runner = await stored(coach)
    async with coach.app.bot_data["runtime"].sessions() as db:
        assert runner.id is not None
        return await repo.get_week_changes(db, runner_id=runner.id, week_start=monday)


async def test_this_weeks_runs_change_in_one_message_and_next_week_is_usual(db_url):
    clock = Clock(at(MON, "06:00"))
    async with coach_at(db_url, clock) as coach:
        await joined_monday(coach, clock, WORKED)
        usual = runner_week(await stored(coach))
        clock.now = at(MON + dt.timedelta(days=1), "09:00")
        await coach.send("/thisweek")
        assert coach.last().startswith("What's different about your runs this week?")
        await coach.send("Thu tempo is on Fri, no long run")
        reply = coach.texts()[-2]
        assert "This week your tempo run moves from Thursday to Friday" in reply
        assert "No long run on Saturday this week." in reply
        assert "Strength this week:" in reply or "Your strength days stay" in reply
        assert reply.endswith("Next week is your usual week again.")
        assert coach.last().startswith("Your week from")
        # The changed week's strength days a tap away, as under /plan.
        days = [label for label in coach.labels() if label != "🖼 Picture"]
        assert days and all(label.startswith("💪 ") for label in days)

        await coach.send("/plan")
        this_week = overview(coach)
        assert line_of(this_week, "Thu 03").startswith("Thu 03 · rest")
        assert line_of(this_week, "Fri 04").startswith("Fri 04 · tempo run 18:00")
        assert line_of(this_week, "Sat 05").startswith("Sat 05 · rest")
        await coach.send("/week")
        next_week = overview(coach)
        assert line_of(next_week, "Thu 10").startswith("Thu 10 · tempo run 18:00")
        assert line_of(next_week, "Sat 12").startswith("Sat 12 · long run 08:00")
        assert runner_week(await stored(coach)) == usual  # /settings' week is untouched

        # The reminders follow this week's plan; next week's are the usual ones.
        pending = strength_rows(await rows_of(coach))
        plan_days = [d.date for d in (await this_weeks_plan(coach)).sessions]
        assert [d for d, _ in pending if d <= SUN] == [d for d in plan_days if d > MON]
        assert (NEXT_WED, "07:55") in pending

        data = await export_of(coach)
        [row] = data["week_changes"]  # type: ignore[index]
        assert row["week_start"] == MON.isoformat()
        assert {day[0] for day in row["changes"]["days"]} == {3, 4, 5}


async def test_change_this_week_under_plan_asks_again_after_a_bad_answer(db_url):
    clock = Clock(at(MON, "06:00"))
    async with coach_at(db_url, clock) as coach:
        await joined_monday(coach, clock, WORKED)
        await coach.send("/plan")
        await coach.tap("✏️ Change this week")
        question = coach.last()
        assert question.startswith("What's different about your runs this week?")
        await coach.send("hello there")
        assert coach.texts()[-2].startswith("I couldn't read that as a change")
        assert coach.last().startswith("Tell me again in one message")
        assert await changes_of(coach) is None  # nothing changed
        await coach.send("no easy run")  # two of them: which one?
        assert coach.texts()[-2].startswith("You have an easy run on Wed and Sun")
        await coach.send("no Sunday easy run")
        assert "No easy run on Sunday this week." in coach.texts()[-2]
        changes = await changes_of(coach)
        assert changes is not None and [int(w) for w, _ in changes.days] == [6]


async def test_thisweek_with_the_change_given_at_once(db_url):
    clock = Clock(at(MON, "06:00"))
    async with coach_at(db_url, clock) as coach:
        await joined_monday(coach, clock, WORKED)
        await coach.send("/thisweek sat easy 8am")
        assert "Saturday this week: easy 08:00." in coach.texts()[-2]
        await coach.send("/plan")
        assert line_of(overview(coach), "Sat 05").startswith("Sat 05 · easy run 08:00")


async def test_pain_and_this_week_alone_are_never_a_week_change(db_url):
    clock = Clock(at(MON, "06:00"))
    async with coach_at(db_url, clock) as coach:
        await joined_monday(coach, clock, WORKED)
        await coach.send("this week")
        await coach.send("busy this week")
        assert coach.texts()[-2:] == [texts.NOT_UNDERSTOOD] * 2
        assert await changes_of(coach) is None
        await coach.send("sore calf, no long run this week")  # typed: the pain check, first
        assert texts.PAIN_START in coach.texts()[-3:]
        assert await changes_of(coach) is None
        await coach.send("/cancel")
        await coach.send("/thisweek")
        await coach.send("sore calf this week, no long run")  # the pain check, first
        assert texts.PAIN_START in coach.texts()[-3:]
        assert await changes_of(coach) is None
        await coach.send("/cancel")  # leaves the pain check
        await coach.send("/thisweek felt sick after the race")
        assert await changes_of(coach) is None
        assert "This week" not in coach.last() and "Next week is your usual" not in coach.last()


async def test_this_weeks_runs_change_typed_with_no_question_open(db_url):
    """ "this week Thu tempo is on Fri" and "no long run this week", typed as they come,
    change this week as /thisweek's answer would; next week and the usual week stay."""
    clock = Clock(at(MON, "06:00"))
    async with coach_at(db_url, clock) as coach:
        await joined_monday(coach, clock, WORKED)
        usual = runner_week(await stored(coach))
        clock.now = at(MON + dt.timedelta(days=1), "09:00")
        await coach.send("this week Thu tempo is on Fri")
        assert "This week your tempo run moves from Thursday to Friday" in coach.texts()[-2]
        assert coach.texts()[-2].endswith("Next week is your usual week again.")
        await coach.send("No long run this week!")
        assert "No long run on Saturday this week." in coach.texts()[-2]
        this_week = overview(coach)
        assert line_of(this_week, "Fri 04").startswith("Fri 04 · tempo run 18:00")
        assert line_of(this_week, "Sat 05").startswith("Sat 05 · rest")
        changes = await changes_of(coach)
        assert changes is not None and {int(w) for w, _ in changes.days} == {3, 4, 5}
        await coach.send("no hills this week")  # a run the week does not have: it says so
        assert coach.texts()[-2] == "There's no hill session in this week to drop."
        assert coach.last().startswith("Tell me again in one message")
        await coach.send("/week")
        assert line_of(overview(coach), "Sat 12").startswith("Sat 12 · long run 08:00")
        assert runner_week(await stored(coach)) == usual
        # This week's strength reminders follow this week's plan.
        pending = [d for d, _ in strength_rows(await rows_of(coach)) if d <= SUN]
        assert pending and pending == [
            d.date for d in (await this_weeks_plan(coach)).sessions if d.date > MON
        ]


async def this_weeks_plan(coach: Coach):  # type: ignore[no-untyped-def]
    from bot.plans import week_plan

    runner = await stored(coach)
    async with coach.app.bot_data["runtime"].sessions() as db:
        return await week_plan(db, runner, MON)


async def test_a_session_already_done_stays_where_it_is(db_url):
    clock = Clock(at(MON, "06:00"))
    async with coach_at(db_url, clock) as coach:
        await joined_monday(coach, clock)
        await dispatch(coach, clock, at(WED, "06:30"))
        await dispatch(coach, clock, at(WED, "07:55"))
        reminder = coach.standin.last_message(42)["message_id"]
        clock.now = at(WED, "08:40")
        await coach.tap("✅ Done")
        # Move on the same reminder, after Done: nothing to move.
        await coach.deliver(coach.standin.press(42, reminder, "mv:2026-12-02"))
        assert coach.last() == "That session is already done at 08:40, so it stays where it is."
        assert await changes_of(coach) is None


# --- Move in a part week (the runner joined mid-week) -------------------------------------------

# Joined on Tuesday: the first week is Tue to Sun and holds Thursday and Sunday (the whole week
# would hold Monday and Thursday), so Sunday already has a session in the runner's plan.
PART_WEEK = (
    "Mon easy 07:00, Tue rest, Wed tempo 18:00, Thu easy 18:00, Fri easy 07:00, "
    "Sat easy 09:00, Sun easy 09:00"
)
TUE, THU = MON + dt.timedelta(days=1), MON + dt.timedelta(days=3)


async def test_move_in_a_part_week_offers_only_what_the_plan_takes_and_claims_only_what_moved(
    db_url,
):
    clock = Clock(at(TUE, "09:00"))
    async with coach_at(db_url, clock) as coach:
        await onboard(coach, 42, LONDON, PART_WEEK)
        usual = runner_week(await stored(coach))
        assert strength_rows(await rows_of(coach))[:2] == [(THU, "18:55"), (SUN, "09:55")]

        clock.now = at(THU, "09:00")
        await coach.send("/today")
        await coach.tap("📅 Move")
        offer = coach.last()
        assert offer.startswith("Move Thursday's")
        # Sunday holds this week's other session: never offered, and said why.
        assert "Sun 06" not in coach.labels()
        assert "Not Sun 06: Sunday already has a session" in offer

        # A press for Sunday anyway (as the Mini App sends it): refused, nothing claimed.
        await press_as_the_mini_app(coach, "mv:2026-12-03:2026-12-06")
        said = "\n".join(coach.texts()[-3:])
        assert "instead of Thursday" not in said and "Moved" not in said
        assert strength_rows(await rows_of(coach))[:2] == [(THU, "18:55"), (SUN, "09:55")]

        # Friday is free: the week then holds exactly Friday's and Sunday's sessions.
        assert "Fri 04" in coach.labels()
        await coach.tap("Fri 04")
        assert coach.last().startswith("Moved: ") and "instead of Thursday" in coach.last()
        assert strength_rows(await rows_of(coach))[:2] == [(FRI, "07:55"), (SUN, "09:55")]
        await coach.send("/plan")
        plan = overview(coach)
        assert "💪" in line_of(plan, "Fri 04") and "💪" in line_of(plan, "Sun 06")
        assert "💪" not in line_of(plan, "Thu 03")
        assert runner_week(await stored(coach)) == usual  # the usual week is unchanged


async def test_the_mini_apps_move_offers_the_same_days_in_a_part_week(db_url):
    from bot.webapp.week import week_state

    clock = Clock(at(TUE, "09:00"))
    async with coach_at(db_url, clock) as coach:
        await onboard(coach, 42, LONDON, PART_WEEK)
        runner = await stored(coach)
        async with coach.app.bot_data["runtime"].sessions() as db:
            state = await week_state(db, runner, now=at(THU, "09:00"))
        thursday = next(d for d in state["days"] if d["date"] == THU.isoformat())
        assert [m["label"] for m in thursday["moves"]] == ["Fri 04"]


async def press_as_the_mini_app(coach: Coach, data: str) -> None:
    """A button's data as the Mini App's action route hands it to the inbox (no message of
    Telegram's: bot/webapp/routes.py), whatever buttons the chat shows."""
    inbox = coach.app.bot_data["runtime"].inbox
    await inbox.accept(
        {
            "update_id": 900_001,
            "callback_query": {
                "id": "webapp-900001",
                "from": {"id": 42, "is_bot": False, "first_name": "Runner"},
                "chat_instance": "webapp",
                "data": data,
                "message": {"message_id": 0, "date": 0, "chat": {"id": 42, "type": "private"}},
            },
        }
    )
    await inbox.idle()
