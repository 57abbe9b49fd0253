"""`GET /health`'s database check: a probe row written and committed within a deadline.

200 only when the database takes writes: a read-only, full or unreachable database answers
503 (docs/architecture.md, "One web server").
"""

from __future__ import annotations

import asyncio
import logging

from bot.logs import Throttled, one_line
from bot.runtime import runtime
from bot.web.updates import App, log
from storage import repo

HEALTH_TIMEOUT = 3.0  # s for the whole database check, connect included (deploy/README.md, D)
HEALTH_REUSE = 1.0  # s an answer of /health is reused: at most one probe write a second


def database_state(error: BaseException) -> str:
    """What a failed probe write says about the database: read-only, full or unreachable."""
    cause = getattr(error, "orig", None) or error
    code = getattr(cause, "sqlite_errorcode", None)
    if isinstance(code, int):
        if code & 0xFF == 8:  # SQLITE_READONLY: read-only file, folder or file system
            return "read-only"
        if code & 0xFF == 13:  # SQLITE_FULL
            return "full"
    sqlstate = getattr(cause, "sqlstate", None)
    if sqlstate == "25006":  # read_only_sql_transaction: a standby, or a read-only setting
        return "read-only"
    if sqlstate == "53100":  # disk_full
        return "full"
    return "unreachable"


class HealthProbe:
    """Answers "can the database take a write now?", at most one probe write a second."""

    def __init__(
        self,
        app: App,
        throttled: Throttled,
        *,
        timeout: float = HEALTH_TIMEOUT,
        reuse: float = HEALTH_REUSE,
    ) -> None:
        self.app = app
        self.throttled = throttled
        self.timeout = timeout
        self.reuse = reuse
        self._probe: asyncio.Task[str] | None = None
        self._health: tuple[float, str] | None = None  # (loop time, state) of the last answer

    async def database(self) -> str:
        """ok, or why the database takes no writes now: unreachable, read-only or full.

        One probe at a time, and one answer reused for `reuse` seconds. The probe runs in its
        own task: when it has no answer within `timeout` it is cancelled and left to unwind
        by itself, so no hung connect or rollback can hold the answer back.
        """
        loop = asyncio.get_running_loop()
        if self._health is not None and loop.time() - self._health[0] < self.reuse:
            return self._health[1]
        deadline = loop.time() + self.timeout
        while True:
            if self._probe is None or self._probe.done():
                self._probe = asyncio.ensure_future(self._write_probe())
            probe = self._probe
            await asyncio.wait({probe}, timeout=max(0.0, deadline - loop.time()))
            if probe.done() and not probe.cancelled():
                state = probe.result()
                break
            if not probe.done() or loop.time() >= deadline:
                probe.cancel()
                state = "unreachable"
                self.throttled.log(
                    "health",
                    logging.ERROR,
                    "health: database unreachable: no answer within %.1f s",
                    self.timeout,
                )
                break
            # A probe that an earlier request gave up on has just unwound: try afresh.
        previous = self._health[1] if self._health else "ok"
        if state == "ok" and previous != "ok":
            log.warning("health: database ok again")
        self._health = (loop.time(), state)
        return state

    async def stop(self) -> None:
        """Cancel a probe still under way, and give it a second to unwind."""
        if self._probe is not None and not self._probe.done():
            self._probe.cancel()
            await asyncio.wait({self._probe}, timeout=1)

    async def _write_probe(self) -> str:
        rt = runtime(self.app)
        try:
            # As every writer does (on SQLite, the one writer's turn comes in order).
            async with rt.locks.transaction() as session:
                await repo.set_kv(
                    session, namespace="health", key="probe", value=rt.clock().isoformat()
                )
        except Exception as error:  # whatever it is, the database takes no writes now
            state = database_state(error)
            self.throttled.log(
                "health", logging.ERROR, "health: database %s: %s", state, one_line(error)
            )
            return state
        return "ok"
