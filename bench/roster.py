"""The coach's /roster for a club: N runners who share, each onboarded on the worked week,
joined 12 weeks ago and with every session done (the longest streak, so the most weeks
planned per runner: the worst case), timed through the real Application and the Bot API
stand-in (docs/coaching_mode.md, "The roster").

    python -m bench.roster [--runners 200] [--postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from bench.common import fresh_postgres
from bot.plans import plan_for
from core.planner import week_start_of
from storage import repo
from storage.db import upgrade
from storage.tables import Runner
from tests.bot.conftest import Clock, Coach

NOW = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)
COACH = 7


async def _seed(coach: Coach, runners: int) -> None:
    await coach.onboard_typing(42)
    await coach.send("/help", COACH)
    rt = coach.app.bot_data["runtime"]
    async with rt.sessions() as db, db.begin():
        model = await repo.get_runner(db, telegram_user_id=42)
        sam = await repo.get_runner(db, telegram_user_id=COACH)
        assert model is not None and sam is not None and sam.id is not None
        await repo.coaching.add_coach(db, telegram_user_id=COACH)
        data = model.model_dump(exclude={"id", "telegram_user_id", "chat_id", "created_at"})
        joined = NOW - dt.timedelta(weeks=12)
        for n in range(runners):
            runner = Runner(
                **data, telegram_user_id=10_000 + n, chat_id=10_000 + n, created_at=joined
            )
            await repo.save_runner(db, runner=runner)
            assert runner.id is not None
            await repo.coaching.share(db, runner_id=runner.id, coach_id=sam.id, now=NOW)
            for back in range(13):
                monday = week_start_of(NOW.date()) - dt.timedelta(weeks=back)
                for day in plan_for(runner, monday).sessions:
                    if day.date < NOW.date():
                        await repo.log_session(
                            db, runner_id=runner.id, day=day.date, session_name="S", status="done"
                        )


async def _run(url: str, runners: int, repeats: int) -> list[float]:
    async with Coach(url, Clock(NOW)) as coach:
        await _seed(coach, runners)
        took = []
        for _ in range(repeats):
            start = time.perf_counter()
            await coach.send("/roster", COACH)
            took.append(time.perf_counter() - start)
        assert f"({runners})" in coach.last(COACH).splitlines()[0]
    return took


async def _main(args: argparse.Namespace) -> None:
    if args.postgres:
        async with fresh_postgres() as url:
            took = await _run(url, args.runners, args.repeats)
    else:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{Path(folder) / 'roster.db'}"
            await upgrade(url)
            took = await _run(url, args.runners, args.repeats)
    kind = "PostgreSQL" if args.postgres else "SQLite"
    print(
        f"/roster, {args.runners} runners sharing, {kind}: median "
        f"{statistics.median(took) * 1000:.0f} ms, max {max(took) * 1000:.0f} ms "
        f"({args.repeats} runs)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.roster", description=__doc__)
    parser.add_argument("--runners", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--postgres", action="store_true")
    asyncio.run(_main(parser.parse_args()))


if __name__ == "__main__":
    main()
