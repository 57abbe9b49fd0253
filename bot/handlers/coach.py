"""The coach's side of coach mode: /coach (an invite link), /roster (every runner who
shares, coloured, red first, paged) with a runner's detail, and /note on a runner's week
(docs/coaching_mode.md). Everything here is for coaches only, and every press is checked
against the presser's own links: a forged press for another coach's runner changes nothing.
Each view of a runner's data writes a row of the share log.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import keyboards, texts
from bot.coach_callbacks import InvitePress, RosterPress
from bot.coaching import digest_off, is_coach, set_digest
from bot.handlers.filters import PRIVATE
from bot.handlers.sharing import token_hash
from bot.pictures.roster import roster_photo
from bot.roster import detail, roster_facts
from bot.runtime import App, runtime
from bot.services import runner_id
from bot.turn import Turn, message_of, pressed, with_turn
from core.areas import area_label
from core.coaching import (
    PAGE_SIZE,
    Colour,
    PainMark,
    RosterFacts,
    colour,
    page_of,
    pages,
    sort_roster,
)
from core.planner import week_start_of
from storage import repo

log = logging.getLogger(__name__)

INVITE_DAYS = 7
NOTE_LIMIT = 300
Buttons = list[list[tuple[str, str]]]


async def _coach(turn: Turn) -> bool:
    """True for a coach; anyone else is told it is for coaches, and nothing more."""
    settings = runtime(turn.context).settings
    if await is_coach(turn.db, settings, turn.runner.telegram_user_id):
        return True
    await turn.answer_query(texts.COACH_ONLY)
    if turn.update.callback_query is None:
        await turn.say(texts.COACH_ONLY)
    return False


def _pain(mark: PainMark | None) -> str:
    if mark is None:
        return texts.ROSTER_NO_PAIN
    return texts.ROSTER_PAIN.format(
        score=mark.score, area=area_label(mark.area).lower(), day=mark.day
    )


# --- /coach --------------------------------------------------------------------------------


async def _new_invite(turn: Turn) -> None:
    coach = turn.runner
    now = turn.clock()
    token = secrets.token_urlsafe(16)
    await repo.coaching.add_invite(
        turn.db,
        coach_id=runner_id(coach),
        token_hash=token_hash(token),
        now=now,
        expires_at=now + dt.timedelta(days=INVITE_DAYS),
    )
    count = len(await repo.coaching.roster(turn.db, coach_id=runner_id(coach)))
    link = f"https://t.me/{turn.context.bot.username}?start=c_{token}"
    rows = [
        [
            (texts.COACH_ANOTHER, InvitePress("new").encode()),
            (texts.COACH_WITHDRAW, InvitePress("withdraw").encode()),
        ],
        [
            (texts.COACH_DIGEST_TURN_ON, InvitePress("digest-on").encode())
            if await digest_off(turn.db, coach)
            else (texts.COACH_DIGEST_TURN_OFF, InvitePress("digest-off").encode())
        ],
    ]
    text = texts.COACH_INVITE.format(link=link, days=INVITE_DAYS, count=count)
    await turn.say(text, keyboards.markup(rows))


@with_turn()
async def on_coach(turn: Turn) -> None:
    """A new invite link (single-use, 7 days), and how many runners share."""
    if await _coach(turn):
        await _new_invite(turn)


@with_turn()
async def on_invite_button(turn: Turn) -> None:
    _, press = pressed(turn, InvitePress)
    if not await _coach(turn):
        return
    if press is None:
        await turn.answer_query(texts.STALE_BUTTON)
        return
    await turn.answer_query()
    if press.action == "new":
        await _new_invite(turn)
        return
    if press.action in ("digest-on", "digest-off"):
        on = press.action == "digest-on"
        settings = runtime(turn.context).settings
        await set_digest(turn.db, settings, turn.runner, on=on, now=turn.clock())
        await turn.say(texts.COACH_DIGEST_IS_ON if on else texts.COACH_DIGEST_IS_OFF)
        return
    count = await repo.coaching.revoke_invites(
        turn.db, coach_id=runner_id(turn.runner), now=turn.clock()
    )
    await turn.say(texts.COACH_WITHDRAWN.format(count=count, s="" if count == 1 else "s"))


# --- /roster -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RosterPage:
    """One page of the roster: the runners on it (red first), its heading and its lines."""

    page: int
    count: int
    shown: list[tuple[Colour, RosterFacts]]
    head: str
    lines: list[str]

    @property
    def has_next(self) -> bool:
        return (self.page + 1) * PAGE_SIZE < self.count


async def _roster_page(turn: Turn, page: int, *, what: str) -> RosterPage | None:
    """The roster's page `page` (clamped); the runners on it are logged as seen (`what`).
    None when nobody shares with the coach."""
    coach = turn.runner
    now = turn.clock()
    rows = sort_roster(await roster_facts(turn.db, coach, now), now.date())
    if not rows:
        return None
    page, first, end = page_of(len(rows), page)
    shown = rows[first:end]
    head = texts.ROSTER_HEAD.format(count=len(rows), page=page + 1, pages=pages(len(rows)))
    lines = [
        texts.ROSTER_LINE.format(
            dot=dot.dot,
            name=facts.name,
            done=facts.done,
            planned=facts.planned,
            streak=facts.streak,
            pain=_pain(facts.last_pain),
        )
        for dot, facts in shown
    ]
    await repo.coaching.log_shared(
        turn.db, runner_ids=[f.runner_id for _, f in shown], coach=coach, what=what, now=now
    )
    return RosterPage(page, len(rows), shown, head, lines)


async def _roster(turn: Turn, page: int) -> tuple[str, Buttons]:
    """The roster's page: its text and buttons; the runners shown are logged as seen."""
    found = await _roster_page(turn, page, what="roster")
    if found is None:
        return texts.ROSTER_EMPTY, []
    buttons: Buttons = []
    names = [(f"{d.dot} {f.name}", RosterPress("d", f.runner_id).encode()) for d, f in found.shown]
    buttons += [names[i : i + 2] for i in range(0, len(names), 2)]
    nav = []
    if found.page > 0:
        nav.append((texts.ROSTER_PREVIOUS, RosterPress("p", found.page - 1).encode()))
    nav.append((texts.ROSTER_PICTURE_BUTTON, RosterPress("g", found.page).encode()))
    if found.has_next:
        nav.append((texts.ROSTER_NEXT, RosterPress("p", found.page + 1).encode()))
    buttons.append(nav)
    return "\n".join([found.head, *found.lines, "", texts.ROSTER_FOOT]), buttons


async def _roster_picture(turn: Turn, page: int) -> None:
    """The roster's page as a picture, with the page's lines as its caption."""
    found = await _roster_page(turn, page, what="roster picture")
    if found is None:
        await turn.say(texts.ROSTER_EMPTY)
        return
    pains = [_pain(facts.last_pain) for _, facts in found.shown]
    try:
        photo = await roster_photo(
            found.shown, pains, found.lines, title=found.head, page=found.page
        )
    except Exception:  # a drawing that fails says so; the roster in words is right there
        log.exception("roster picture for coach %s failed", turn.runner.id)
        await turn.say(texts.PICTURE_SENDING_FAILED)
        return
    await turn.send_photo(photo.data, filename=photo.filename, caption=photo.caption)


@with_turn()
async def on_roster(turn: Turn) -> None:
    """Every runner who shares with the coach: red first, 10 a page."""
    if not await _coach(turn):
        return
    text, buttons = await _roster(turn, 0)
    await turn.say(text, keyboards.markup(buttons) if buttons else None)


async def _detail(turn: Turn, about: int) -> None:
    coach = turn.runner
    runner = await repo.get_runner_by_id(turn.db, runner_id=about)
    if runner is None:
        await turn.say(texts.NOT_YOUR_RUNNER)
        return
    now = turn.clock()
    facts = await roster_facts(turn.db, coach, now, only=about)
    weeks, pains = await detail(turn.db, runner, now)
    dot = colour(facts[0], now.date()).dot if facts else Colour.GREEN.dot
    lines = [f"{dot} {runner.first_name or f'Runner {about}'}", "", texts.DETAIL_WEEKS]
    lines += [
        texts.DETAIL_WEEK.format(monday=w.monday, done=w.done, planned=w.planned) for w in weeks
    ]
    lines += ["", texts.DETAIL_PAINS]
    for p in pains:
        tier = f" ({texts.COACH_TIERS.get(p.tier, p.tier)})" if p.tier else ""
        lines.append(
            texts.DETAIL_PAIN.format(
                day=p.day, score=p.score, area=area_label(p.area).lower(), tier=tier
            )
        )
    if not pains:
        lines.append(texts.DETAIL_NO_PAIN)
    lines += ["", texts.DETAIL_NOTE.format(id=about)]
    await repo.coaching.log_shared(
        turn.db, runner_ids=[about], coach=coach, what="detail", now=now
    )
    await turn.say("\n".join(lines))


@with_turn()
async def on_roster_button(turn: Turn) -> None:
    """A page of the roster, or a runner's detail: only for a runner who shares with the
    coach pressing it."""
    query, press = pressed(turn, RosterPress)
    if not await _coach(turn):
        return
    if press is None:
        await turn.answer_query(texts.STALE_BUTTON)
        return
    coach_id = runner_id(turn.runner)
    if press.what == "d":
        if not await repo.coaching.is_shared(turn.db, runner_id=press.value, coach_id=coach_id):
            log.warning(
                "coach %s pressed for runner %s, who does not share", coach_id, press.value
            )
            await turn.answer_query(texts.NOT_YOUR_RUNNER)
            return
        await turn.answer_query()
        await _detail(turn, press.value)
        return
    await turn.answer_query()
    if press.what == "g":
        await _roster_picture(turn, press.value)
        return
    text, buttons = await _roster(turn, press.value)
    message = message_of(query)
    markup = keyboards.markup(buttons) if buttons else None
    if message is not None:
        await turn.edit(message, text, markup)
    else:
        await turn.say(text, markup)


# --- /note ---------------------------------------------------------------------------------


@with_turn()
async def on_note(turn: Turn) -> None:
    """`/note <runner> <text>`: the coach's note on the runner's week, seen in their /plan."""
    if not await _coach(turn):
        return
    text = turn.update.message.text if turn.update.message else ""
    parts = (text or "").split(maxsplit=2)
    if len(parts) < 3 or not parts[1].isdigit() or not parts[2].strip():
        await turn.say(texts.NOTE_USAGE)
        return
    about, note = int(parts[1][:12]), " ".join(parts[2].split())
    if len(note) > NOTE_LIMIT:
        await turn.say(texts.NOTE_TOO_LONG.format(limit=NOTE_LIMIT))
        return
    coach_id = runner_id(turn.runner)
    runner = await repo.get_runner_by_id(turn.db, runner_id=about)
    shared = await repo.coaching.is_shared(turn.db, runner_id=about, coach_id=coach_id)
    if runner is None or not shared:
        await turn.say(texts.NOT_YOUR_RUNNER)
        return
    monday = week_start_of(turn.clock().astimezone(ZoneInfo(runner.time_zone)).date())
    await repo.coaching.set_note(
        turn.db, runner_id=about, coach_id=coach_id, week_start=monday, text=note, now=turn.clock()
    )
    name = runner.first_name or f"Runner {about}"
    await turn.say(texts.NOTE_SAVED.format(name=name, monday=monday))


def register(app: App) -> None:
    """/coach, /roster, /note and their buttons."""
    app.add_handler(CommandHandler("coach", on_coach, filters=PRIVATE))
    app.add_handler(CommandHandler("roster", on_roster, filters=PRIVATE))
    app.add_handler(CommandHandler("note", on_note, filters=PRIVATE))
    app.add_handler(CallbackQueryHandler(on_invite_button, pattern=InvitePress.pattern))
    app.add_handler(CallbackQueryHandler(on_roster_button, pattern=RosterPress.pattern))
