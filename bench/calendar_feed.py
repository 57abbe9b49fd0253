"""The calendar feed's cost per request (not part of `python -m bench`'s table).

    .venv/bin/python -m bench.calendar_feed [--requests N]

One onboarded runner on a fresh SQLite file, the real web server on a local port, httpx
fetching the feed: the cached answer (the plan unchanged: one query), the rebuilt one (the
plan changed before each request: the query, the build, the stamps written) and a 304. The
rate limit is set wide for the run. Prints the median and p95 per request in milliseconds.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import tempfile
import time
from pathlib import Path

import httpx

from bench.common import fresh_sqlite, percentile
from bot.app import build_application, shut_down, start_up
from bot.runtime import runtime
from bot.settings import Settings
from bot.standin import TOKEN, BotApiStandIn
from bot.web.feed import TokenBucket
from bot.web.server import WebhookServer
from storage import repo

SETUP = (
    "/start",
    "no race",
    "Mon rest, Tue intervals 18:00, Wed easy 07:00, Thu tempo 18:00, Fri rest, "
    "Sat long 08:00, Sun easy 09:00",
    "2",
    "25",
    "after runs",
    "none",
    "Europe/London",
    "none",
    "yes",
)


async def measure(requests: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = await fresh_sqlite(Path(folder) / "feed.sqlite3")
        standin = BotApiStandIn()
        settings = Settings(database_url=url, rate_limit_per_second=0, _env_file=None)  # type: ignore[call-arg]
        app = build_application(settings, token=TOKEN, request=standin)
        standin.bind(app)
        await app.initialize()
        await start_up(app, migrate=False)
        inbox = runtime(app).inbox
        assert inbox is not None
        server = WebhookServer(app)
        server.feed.bucket = TokenBucket(burst=10**9)
        port = server.start("127.0.0.1", 0)
        settings.public_url = f"http://127.0.0.1:{port}"

        async def say(text: str) -> None:
            await inbox.accept(standin.text_update(42, text, 42).to_dict())
            await inbox.idle()

        for answer in SETUP:
            await say(answer)
        await say("/calendar")
        text = standin.sent_to(42)[-1].get("text", "")
        found = re.search(r"(/calendar/[A-Za-z0-9_-]+\.ics)", text)
        assert found
        path = found.group(1)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            first = await client.get(path)
            assert first.status_code == 200
            etag = first.headers["ETag"]

            async def timed(fetch: object, n: int) -> list[float]:
                times = []
                for _ in range(n):
                    began = time.perf_counter()
                    await fetch()  # type: ignore[operator]
                    times.append((time.perf_counter() - began) * 1000)
                return times

            async def cached() -> None:
                assert (await client.get(path)).status_code == 200

            async def not_modified() -> None:
                answer = await client.get(path, headers={"If-None-Match": etag})
                assert answer.status_code == 304

            delay = [15]

            async def rebuilt() -> None:
                delay[0] = 45 if delay[0] == 15 else 15  # every session after a run moves
                async with runtime(app).locks.transaction() as db:
                    runner = await repo.get_runner(db, telegram_user_id=42)
                    assert runner is not None
                    runner.delay_minutes = delay[0]
                    db.add(runner)
                began = time.perf_counter()
                assert (await client.get(path)).status_code == 200
                rebuild_times.append((time.perf_counter() - began) * 1000)

            rebuild_times: list[float] = []
            figures = {
                "cached 200": await timed(cached, requests),
                "304": await timed(not_modified, requests),
            }
            for _ in range(max(10, requests // 10)):
                await rebuilt()
            figures["rebuilt 200 (plan changed)"] = rebuild_times
        print(f"feed of {len(first.content)} bytes; {requests} requests each")
        for name, values in figures.items():
            print(
                f"{name:28} median {percentile(values, 50):6.2f} ms   "
                f"p95 {percentile(values, 95):6.2f} ms   (n={len(values)})"
            )
        await server.stop()
        await app.shutdown()
        await shut_down(app)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=500)
    asyncio.run(measure(parser.parse_args().requests))


if __name__ == "__main__":
    main()
