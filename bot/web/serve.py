"""`runcoach run --webhook`: the web server, the inbox and the Application, until a signal."""

from __future__ import annotations

import asyncio
import contextlib

from bot.app import shut_down, start_up
from bot.runtime import runtime
from bot.web.server import WebhookServer
from bot.web.updates import Accept, App, log

FD_RESERVE = 100  # open files kept for the database, the Bot API, logs and the event loop


def connection_cap(wanted: int, reserve: int = FD_RESERVE) -> int:
    """`wanted` connections, or fewer if this process may not open that many files.

    The soft RLIMIT_NOFILE is first raised as far as needed (up to the hard limit).
    """
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    need = wanted + reserve
    unlimited = resource.RLIM_INFINITY
    if soft != unlimited and soft < need:
        raised = need if hard == unlimited else min(need, hard)
        if raised > soft:
            with contextlib.suppress(ValueError, OSError):
                resource.setrlimit(resource.RLIMIT_NOFILE, (raised, hard))
                soft = raised
    if soft == unlimited or soft >= need:
        return wanted
    cap = max(1, soft - reserve)
    log.warning(
        "WEB_MAX_CONNECTIONS=%d needs %d open files, but this process may open %d: "
        "serving at most %d connections (raise LimitNOFILE or ulimit -n)",
        wanted,
        need,
        soft,
        cap,
    )
    return cap


async def serve_webhook(
    app: App,
    *,
    url: str,
    path: str,
    secret: str,
    host: str,
    port: int,
    accept: Accept | None = None,
) -> None:
    """Run the bot in webhook mode until SIGTERM or SIGINT. Each update is stored in the
    inbox (or given to `accept`) before Telegram gets its 200; turns under way finish."""
    import signal

    from telegram import Update as TgUpdate

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    inbox = runtime(app).inbox
    assert inbox is not None
    cap = connection_cap(runtime(app).settings.web_max_connections)
    server = WebhookServer(
        app, path=path, secret=secret, accept=accept or inbox.accept, max_connections=cap
    )
    async with app:
        await start_up(app)
        await app.start()
        await inbox.start()
        bound = server.start(host, port)
        await app.bot.set_webhook(url, secret_token=secret, allowed_updates=TgUpdate.ALL_TYPES)
        log.info("runcoach listening for webhooks on %s:%s%s", host, bound, path)
        await stop.wait()
        log.info("runcoach stopping")
        await server.stop()
        await inbox.stop()
        await app.stop()
    await shut_down(app)
