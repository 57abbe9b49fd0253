"""Long polling that loses nothing: a batch of updates is stored before it is confirmed.

PTB's `run_polling` confirms a batch (by asking for the next offset) as soon as the batch
is in its in-memory queue, so a crash loses what was queued. Here the next `getUpdates`,
which confirms the batch before it, is only sent once the batch is committed to the inbox.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from typing import Any

from telegram import Update
from telegram.error import InvalidToken, NetworkError, TimedOut
from telegram.ext import Application

from bot.app import shut_down, start_up
from bot.runtime import runtime
from bot.web.serve import connection_cap
from bot.web.server import WebhookServer

log = logging.getLogger(__name__)
App = Application[Any, Any, Any, Any, Any, Any]
POLL_TIMEOUT = 30  # seconds Telegram holds a getUpdates open when there is nothing to send


async def poll(app: App, stop: asyncio.Event, *, hold: int = POLL_TIMEOUT) -> None:
    """Fetch, store, then confirm, until `stop` is set."""
    inbox = runtime(app).inbox
    assert inbox is not None
    offset: int | None = None
    backoff = 1.0
    while not stop.is_set():
        try:
            updates = await app.bot.get_updates(
                offset=offset,
                timeout=hold,
                read_timeout=hold + 10,
                allowed_updates=Update.ALL_TYPES,
            )
        except InvalidToken:
            raise
        except (NetworkError, TimedOut) as error:
            log.warning(
                "polling: Telegram unreachable (%s); trying again in %.0f s", error, backoff
            )
            await _wait(stop, backoff)
            backoff = min(backoff * 2, 60.0)
            continue
        backoff = 1.0
        if not updates:
            continue
        batch = [update.to_dict() for update in updates]
        stored_wait = 1.0
        while True:  # not confirmed until stored: Telegram keeps them meanwhile
            try:
                await inbox.accept_many(batch)
                break
            except Exception as error:
                log.error(
                    "polling: cannot store updates (%s); retrying in %.0f s", error, stored_wait
                )
                await _wait(stop, stored_wait)
                stored_wait = min(stored_wait * 2, 30.0)
                if stop.is_set():
                    return
        offset = max(update.update_id for update in updates) + 1


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)


async def serve_polling(
    app: App, *, stop: asyncio.Event | None = None, ready: asyncio.Event | None = None
) -> None:
    """Run the bot with long polling until SIGTERM or SIGINT (or `stop` is set); turns under
    way finish. With PUBLIC_URL set (or WEBHOOK_URL) the web server runs beside it on
    WEB_LISTEN:WEB_PORT, serving /health and the calendar feed, but no updates. `ready` is
    set once both are running."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    rt = runtime(app)
    inbox = rt.inbox
    assert inbox is not None
    settings = rt.settings
    web = None
    if settings.public_base_url:
        web = WebhookServer(app, max_connections=connection_cap(settings.web_max_connections))
    async with app:
        await start_up(app)
        await app.bot.delete_webhook()
        await app.start()
        await inbox.start()
        if web is not None:
            port = web.start(settings.web_listen, settings.web_port)
            log.info(
                "runcoach web server on %s:%s (/health, the calendar feed at %s)",
                settings.web_listen,
                port,
                settings.public_base_url,
            )
        log.info("runcoach polling for updates")
        if ready is not None:
            ready.set()
        poller = asyncio.create_task(poll(app, stop))
        stopped = asyncio.create_task(stop.wait())
        await asyncio.wait({poller, stopped}, return_when=asyncio.FIRST_COMPLETED)
        stop.set()
        log.info("runcoach stopping")
        if web is not None:
            await web.stop()
        if poller.done():
            poller.result()  # an invalid token ends the run with its own message
        else:
            poller.cancel()
        await inbox.stop()
        await app.stop()
    await shut_down(app)
