"""Webhook mode: a small HTTP server that takes Telegram's updates and reports health.

Our own server rather than PTB's `run_webhook`, for two reasons: the secret-token header is
compared in constant time (`hmac.compare_digest`; PTB compares with `!=`), and it also serves
`GET /health` for load balancers and operators.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import socket
from typing import Any

import sqlalchemy as sa
from telegram import Update
from telegram.ext import Application
from tornado.httpserver import HTTPServer
from tornado.web import Application as WebApp
from tornado.web import RequestHandler

from bot.app import runtime_of

log = logging.getLogger(__name__)
App = Application[Any, Any, Any, Any, Any, Any]
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1_000_000


class _UpdateHandler(RequestHandler):
    def initialize(self, app: App, secret: str) -> None:
        self.bot_app = app
        self.secret = secret.encode()

    async def post(self) -> None:
        given = (self.request.headers.get(SECRET_HEADER) or "").encode()
        if not hmac.compare_digest(given, self.secret):
            log.warning(
                "webhook: request without the right secret from %s", self.request.remote_ip
            )
            self.set_status(403)
            return
        try:
            data = json.loads(self.request.body)
            update = Update.de_json(data, self.bot_app.bot)
        except (ValueError, TypeError, KeyError) as error:
            log.warning("webhook: unreadable update: %s", error)
            self.set_status(400)
            return
        await self.bot_app.update_queue.put(update)
        self.set_status(200)


class _HealthHandler(RequestHandler):
    def initialize(self, app: App) -> None:
        self.bot_app = app

    async def get(self) -> None:
        rt = runtime_of(self.bot_app)
        database = "ok"
        try:
            async with rt.engine.connect() as connection:
                await asyncio.wait_for(connection.execute(sa.text("SELECT 1")), timeout=5)
        except Exception as error:  # any failure means "not reachable" to the operator
            log.error("health: database unreachable: %s", error)
            database = "unreachable"
        tick = rt.last_dispatch
        body = {
            "status": "ok" if database == "ok" else "degraded",
            "database": database,
            "dispatcher_last_tick": tick.isoformat() if tick else None,
            "dispatcher_seconds_since_tick": (
                round((rt.clock() - tick).total_seconds(), 1) if tick else None
            ),
        }
        self.set_status(200 if database == "ok" else 503)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body))


class WebhookServer:
    """Serves POST `path` (Telegram's updates) and GET /health on one port."""

    def __init__(self, app: App, *, path: str, secret: str) -> None:
        web = WebApp(
            [
                (path, _UpdateHandler, {"app": app, "secret": secret}),
                ("/health", _HealthHandler, {"app": app}),
            ]
        )
        self._server = HTTPServer(web, max_body_size=MAX_BODY)
        self.port = 0

    def start(self, host: str, port: int) -> int:
        """Listen; returns the port (useful with port 0)."""
        sockets = self._bind(host, port)
        self._server.add_sockets(sockets)
        self.port = sockets[0].getsockname()[1]
        return self.port

    @staticmethod
    def _bind(host: str, port: int) -> list[socket.socket]:
        from tornado.netutil import bind_sockets

        return bind_sockets(port, address=host, family=socket.AF_INET)

    async def stop(self) -> None:
        self._server.stop()
        await self._server.close_all_connections()


async def serve_webhook(
    app: App, *, url: str, path: str, secret: str, host: str, port: int
) -> None:
    """Run the bot in webhook mode until SIGTERM or SIGINT."""
    import signal

    from telegram import Update as TgUpdate

    from bot.app import shut_down, start_up

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    server = WebhookServer(app, path=path, secret=secret)
    async with app:
        await start_up(app)
        await app.start()
        bound = server.start(host, port)
        await app.bot.set_webhook(url, secret_token=secret, allowed_updates=TgUpdate.ALL_TYPES)
        log.info("runcoach listening for webhooks on %s:%s%s", host, bound, path)
        await stop.wait()
        log.info("runcoach stopping")
        await server.stop()
        await app.stop()
    await shut_down(app)
