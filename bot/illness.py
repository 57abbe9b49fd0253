"""Being ill (docs/coaching.md, "Illness"): "I'm ill" typed or /pause illness stops the
strength and run reminders; each morning from the last ill day a check-in asks how the runner
feels, and nothing restarts until they say Better. The first week back is one step easier
(`bot.progress`).

The illness is a pause with reason "illness" (`bot.services.pause`); its spell (first day,
and the day they were better) is kept in the kv table under the runner's chat, so it is
exported and erased with the rest, and the week's outcome knows the week was ill even after
they are better.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel.ext.asyncio.session import AsyncSession
from telegram.ext import CallbackQueryHandler

from bot import prompts, services
from bot.illness_prompt import IllPress, length_keyboard
from bot.pain import INJURY
from bot.plans import ILLNESS_SPELL, illness_spell
from bot.runtime import App
from bot.turn import Turn, message_of, pressed, with_turn
from core.illness import Feeling, is_ill, read_feeling, read_illness
from storage import repo
from storage.tables import Runner

PROMPT = "illness"  # the open "how long?" question (bot.prompts)

ILL_PAUSED = (
    "Sorry you're unwell. Strength and run reminders are off{until}. Rest comes first: "
    "no training while you're ill."
)
ILL_UNTIL = " until {date}"
ILL_ASK_LENGTH = (
    "How long do you think? Tap one or type a day (e.g. friday). Each morning from then "
    "I'll ask how you feel before anything restarts."
)
ILL_CHECKIN_NOTE = "{date} morning I'll ask how you feel before anything restarts."
ILL_NOT_A_LENGTH = "I couldn't read that as a day or a number of days."
BETTER = (
    "Glad you're feeling better! Reminders are back from today. Your first full week back "
    "is one step easier, to come back gently."
)
STILL_ILL = "Take it easy. Reminders stay off; I'll ask again tomorrow morning."
ILL_WHILE_INJURED = (
    "Sorry you're unwell. Your reminders are already paused until you've been seen about "
    "your pain, and they stay paused. Rest comes first."
)
NOT_ILL = "Good to hear. Reminders are on as usual."


def reads_as_illness(turn: Turn, text: str) -> bool:
    """Plainly "I'm ill" (or the morning answer while ill): the illness reader may take it."""
    if not turn.runner.onboarded:
        return False
    if is_ill(turn.runner.pause_reason) and read_feeling(text) is not None:
        return True
    return read_illness(text, turn.today(), turn.runner.time_zone) is not None


async def take_typed(turn: Turn, text: str, prompt: str | None) -> bool:
    """A typed message outside any dialog that is about being ill: handled (True), or not
    (False: someone else's). The caller has already let the pain check read it."""
    if not turn.runner.onboarded:
        return False
    if prompt == PROMPT:
        await answer_length(turn, text)
        return True
    feeling = read_feeling(text)
    if feeling is not None and is_ill(turn.runner.pause_reason):
        await answer_feeling(turn, feeling)
        return True
    reading = read_illness(text, turn.today(), turn.runner.time_zone)
    if reading is None:
        return False
    await start(turn, reading.until)
    return True


async def start(turn: Turn, until: dt.date | None) -> None:
    """Stop the reminders for the illness and say until when (asking how long if not said).
    A pause for a pain sign that needs seeing stays as it is: Better must never lift it."""
    if turn.runner.pause_reason == INJURY:
        await turn.say(ILL_WHILE_INJURED)
        return
    await _pause(turn, until)
    if until is None:
        await turn.say(ILL_PAUSED.format(until=""))
        await turn.say(ILL_ASK_LENGTH, length_keyboard())
        await prompts.open_prompt(turn, PROMPT)
        return
    await _say_until(turn, until)


async def _pause(turn: Turn, until: dt.date | None) -> None:
    await services.pause(turn.db, turn.runner, until=until, reason="illness", now=turn.clock())
    spell = await illness_spell(turn.db, turn.runner)
    if spell is None or spell[1] is not None:  # a new illness (not a longer one)
        await _store_spell(turn.db, turn.runner, turn.today(), None)


async def _say_until(turn: Turn, until: dt.date) -> None:
    text = ILL_PAUSED.format(until=ILL_UNTIL.format(date=f"{until:%A %d %B}"))
    when = "Tomorrow" if until <= turn.today() else f"On {until:%A}"
    await turn.say(f"{text}\n{ILL_CHECKIN_NOTE.format(date=when)}")


async def answer_length(turn: Turn, text: str) -> None:
    """A typed answer to "how long?": "3 days", "friday", "not sure"."""
    said = text.strip().lower().rstrip(".!")
    if said in ("not sure", "no idea", "dunno", "don't know", "dont know"):
        await turn.say(ILL_CHECKIN_NOTE.format(date="Tomorrow"))
        return
    reading = read_illness(f"ill for {said}", turn.today(), turn.runner.time_zone)
    if reading is None or reading.until is None:
        reading = read_illness(f"ill until {said}", turn.today(), turn.runner.time_zone)
    if reading is None or reading.until is None:
        await turn.say(f"{ILL_NOT_A_LENGTH} {ILL_ASK_LENGTH}", length_keyboard())
        await prompts.open_prompt(turn, PROMPT)
        return
    await _pause(turn, reading.until)
    await _say_until(turn, reading.until)


async def answer_feeling(turn: Turn, feeling: Feeling) -> None:
    """Better: the plan resumes today. Still ill: reminders stay off, asked again tomorrow."""
    if not is_ill(turn.runner.pause_reason):
        await turn.say(NOT_ILL)
        return
    if feeling is Feeling.BETTER:
        await end_spell(turn)
        await services.resume(turn.db, turn.runner, now=turn.clock())
        await turn.say(BETTER)
        return
    tomorrow = turn.today() + dt.timedelta(days=1)
    await services.pause(turn.db, turn.runner, until=tomorrow, reason="illness", now=turn.clock())
    await turn.say(STILL_ILL)


@with_turn(needs_plan=True)
async def on_ill_button(turn: Turn) -> None:
    """A button of the check-in or of "how long?"."""
    query, press = pressed(turn, IllPress)
    if press is None:
        await turn.answer_query()
        return
    await turn.answer_query()
    message = message_of(query)
    if press.value in (Feeling.BETTER, Feeling.STILL_ILL):
        feeling = Feeling(press.value)
        if message is not None:
            await turn.close_prompt(
                message, "Better" if feeling is Feeling.BETTER else "Still ill"
            )
        await answer_feeling(turn, feeling)
        return
    await prompts.close_prompt(turn)
    if message is not None:
        await turn.close_prompt(message, "")
    if not is_ill(turn.runner.pause_reason):
        await turn.say(NOT_ILL)
        return
    if press.value.isdecimal():
        until = turn.today() + dt.timedelta(days=int(press.value) - 1)
        await _pause(turn, until)
        await _say_until(turn, until)
        return
    await turn.say(ILL_CHECKIN_NOTE.format(date="Tomorrow"))


async def end_spell(turn: Turn) -> None:
    """The illness is over from today (Better, /resume, or another pause taking its place):
    the weeks after it are no longer ill weeks."""
    if not is_ill(turn.runner.pause_reason):
        return
    spell = await illness_spell(turn.db, turn.runner)
    if spell is not None and spell[1] is None:
        await _store_spell(turn.db, turn.runner, spell[0], turn.today())


async def _store_spell(
    db: AsyncSession, runner: Runner, since: dt.date, better: dt.date | None
) -> None:
    value = {"since": since.isoformat(), "better": better.isoformat() if better else None}
    await repo.set_kv(db, namespace=ILLNESS_SPELL, key=str(runner.chat_id), value=value)


def register(app: App) -> None:
    """The check-in's and "how long?"'s buttons."""
    app.add_handler(CallbackQueryHandler(on_ill_button, pattern=IllPress.pattern))
