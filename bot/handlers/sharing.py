"""The runner's side of coach mode: an invite link (`/start c_<token>`), the consent
(**Share** / **No thanks**), and /sharing with **Stop sharing** (docs/coaching_mode.md).

Nothing is shared before Share: opening a link only shows who the coach is and what they
would see. The invite is taken at Share, once, by the runner pressing it, and only after
that runner opened it (their open invite is kept in the kv table under their user id, so it
is exported and erased with them).
"""

from __future__ import annotations

import hashlib
import logging
import re

from telegram import InlineKeyboardMarkup
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot import keyboards, texts
from bot.coach_callbacks import SharePress, StopPress
from bot.coaching import is_coach
from bot.handlers.filters import PRIVATE
from bot.runtime import App, runtime
from bot.services import runner_id
from bot.turn import Turn, message_of, pressed, with_turn
from storage import repo
from storage.tables import CoachInvite, Runner

log = logging.getLogger(__name__)

INVITE = "coach-invite"  # kv namespace: the invite the runner opened, by user id
PAYLOAD = re.compile(r"^c_([A-Za-z0-9_-]{1,64})$")


def token_hash(token: str) -> str:
    """What is stored of an invite token: its SHA-256 (the token itself is never kept)."""
    return hashlib.sha256(token.encode()).hexdigest()


def coach_name(coach: Runner) -> str:
    return coach.first_name or "Your coach"


async def _open(turn: Turn, invite: CoachInvite | None) -> Runner | None:
    """The invite's coach, if the invite can still be taken and they are still a coach."""
    now = turn.clock()
    if invite is None or invite.used_at is not None or invite.revoked_at is not None:
        return None
    if invite.expires_at <= now:
        return None
    coach = await repo.get_runner_by_id(turn.db, runner_id=invite.runner_id)
    settings = runtime(turn.context).settings
    if coach is None or not await is_coach(turn.db, settings, coach.telegram_user_id):
        return None
    return coach


@with_turn()
async def on_invite(turn: Turn) -> None:
    """`/start c_<token>`: who the coach is and what they would see, with Share and No
    thanks; a guessed, used, expired or withdrawn token does nothing and says so."""
    text = turn.update.message.text if turn.update.message else None
    parts = (text or "").split(maxsplit=1)
    match = PAYLOAD.match(parts[1].strip()) if len(parts) == 2 else None
    invite = None
    if match is not None:
        invite = await repo.coaching.find_invite(turn.db, token_hash=token_hash(match[1]))
    coach = await _open(turn, invite)
    if coach is None or invite is None or invite.id is None:
        log.info("runner %s opened an invite that does not work", turn.runner.id)
        await turn.say(texts.INVITE_BAD)
        return
    me = runner_id(turn.runner)
    if coach.id == me:
        await turn.say(texts.INVITE_OWN)
        return
    name = coach_name(coach)
    if await repo.coaching.is_shared(turn.db, runner_id=me, coach_id=invite.runner_id):
        await turn.say(texts.INVITE_ALREADY.format(coach=name))
        return
    key = str(turn.runner.telegram_user_id)
    await repo.set_kv(turn.db, namespace=INVITE, key=key, value={"invite": invite.id})
    rows = [
        [
            (texts.SHARE, SharePress(True, invite.id).encode()),
            (texts.NO_THANKS, SharePress(False, invite.id).encode()),
        ]
    ]
    await turn.say(texts.CONSENT.format(coach=name), keyboards.markup(rows))


@with_turn()
async def on_share_button(turn: Turn) -> None:
    """Share takes the invite (once) and links the runner pressing it; No thanks shares
    nothing. Only the invite this runner opened counts: a forged press does nothing."""
    query, press = pressed(turn, SharePress)
    message = message_of(query)
    key = str(turn.runner.telegram_user_id)
    opened = await repo.get_kv(turn.db, namespace=INVITE, key=key)
    mine = (
        isinstance(opened, dict) and press is not None and opened.get("invite") == press.invite_id
    )
    if press is None or not mine:
        await turn.answer_query(texts.STALE_BUTTON)
        return
    await turn.answer_query()
    await repo.delete_kv(turn.db, namespace=INVITE, key=key)
    invite = await repo.coaching.get_invite(turn.db, invite_id=press.invite_id)
    coach = await _open(turn, invite)
    if coach is None or coach.id is None:
        await turn.close_prompt(message, texts.NO_THANKS if not press.share else "")
        await turn.say(texts.SHARE_STALE if press.share else texts.NOT_SHARED.format(coach="them"))
        return
    name = coach_name(coach)
    if not press.share:
        await turn.close_prompt(message, texts.NO_THANKS)
        await turn.say(texts.NOT_SHARED.format(coach=name))
        return
    now = turn.clock()
    if not await repo.coaching.use_invite(turn.db, invite_id=press.invite_id, now=now):
        await turn.close_prompt(message, "")
        await turn.say(texts.SHARE_STALE)
        return
    me = runner_id(turn.runner)
    await repo.coaching.share(turn.db, runner_id=me, coach_id=coach.id, now=now)
    await repo.coaching.log_shared(
        turn.db,
        runner_ids=[me],
        coach=coach,
        what="shared: plan, adherence, pain reports",
        now=now,
    )
    log.info("runner %s shares with coach %s", me, coach.id)
    await turn.close_prompt(message, texts.SHARE)
    await turn.say(texts.SHARED.format(coach=name))


def _sharing_buttons(coaches: list[Runner]) -> InlineKeyboardMarkup:
    return keyboards.markup(
        [
            [(texts.STOP_SHARING.format(coach=coach_name(c)), StopPress(c.id or 0).encode())]
            for c in coaches
        ]
    )


@with_turn()
async def on_sharing(turn: Turn) -> None:
    """The coaches the runner shares with, a Stop sharing button for each."""
    coaches = list(await repo.coaching.coaches_of(turn.db, runner_id=runner_id(turn.runner)))
    if not coaches:
        await turn.say(texts.SHARING_NONE)
        return
    lines = "\n".join(f"• {coach_name(c)}" for c in coaches)
    await turn.say(texts.SHARING_LIST.format(coaches=lines), _sharing_buttons(coaches))


@with_turn()
async def on_stop_button(turn: Turn) -> None:
    """Stop sharing with one coach: only the presser's own link can end."""
    query, press = pressed(turn, StopPress)
    if press is None:
        await turn.answer_query(texts.STALE_BUTTON)
        return
    await turn.answer_query()
    me = runner_id(turn.runner)
    coach = await repo.get_runner_by_id(turn.db, runner_id=press.coach_id)
    ended = await repo.coaching.stop_sharing(turn.db, runner_id=me, coach_id=press.coach_id)
    if not ended or coach is None:
        await turn.say(texts.NOT_SHARING)
        return
    now = turn.clock()
    await repo.coaching.log_shared(
        turn.db, runner_ids=[me], coach=coach, what="stopped sharing", now=now
    )
    log.info("runner %s stopped sharing with coach %s", me, coach.id)
    name = coach_name(coach)
    message = message_of(query)
    left = list(await repo.coaching.coaches_of(turn.db, runner_id=me))
    if message is not None:
        if left:
            lines = "\n".join(f"• {coach_name(c)}" for c in left)
            await turn.edit(
                message, texts.SHARING_LIST.format(coaches=lines), _sharing_buttons(left)
            )
        else:
            await turn.edit(message, texts.SHARING_NONE, None)
    await turn.say(texts.STOPPED_SHARING.format(coach=name))


def register(app: App) -> None:
    """The invite's /start (before setup's own /start), the consent, /sharing."""
    invite = PRIVATE & filters.Regex(r"^/start(@\w+)?\s+c_")
    app.add_handler(CommandHandler("start", on_invite, filters=invite))
    app.add_handler(CallbackQueryHandler(on_share_button, pattern=SharePress.pattern))
    app.add_handler(CommandHandler("sharing", on_sharing, filters=PRIVATE))
    app.add_handler(CallbackQueryHandler(on_stop_button, pattern=StopPress.pattern))
