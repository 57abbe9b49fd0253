"""Figure 3: process memory and time from start to ready, with 0 and with N runners.

Each measurement is a fresh `python -m bench.startup` child process, so RSS is that of a
process that did nothing else. "Ready" is what `runcoach run` does before it takes its first
update: build the Application, initialise it, bring the database to the newest schema, tell
Telegram the commands, and start the job queue (with the reminder dispatcher). The parent
times the child from spawning it to its "ready" line (interpreter start and imports
included); the child reports its resident set size at that moment.

Ceiling beside it: the same process where every runner gets one PTB `run_daily` job (their
07:00 morning message), as an app without the reminder outbox would schedule them at start.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import Figure, Row


def _child(url: str, mode: str) -> dict[str, Any]:
    imported = time.perf_counter()
    from zoneinfo import ZoneInfo

    import sqlalchemy as sa

    from bench.common import peak_rss_mb, rss_mb
    from bench.seed import SEVEN
    from bot.app import build_application, shut_down, start_up
    from bot.settings import Settings
    from bot.standin import TOKEN, BotApiStandIn
    from storage.db import make_engine
    from storage.tables import Runner

    imported = time.perf_counter() - imported

    async def morning(context: Any) -> None:  # what each per-runner job would do
        await context.bot.send_message(context.job.chat_id, "Good morning!")

    async def main() -> dict[str, Any]:
        begin = time.perf_counter()
        settings = Settings(database_url=url, _env_file=None)
        # A clock before the clustered 07:00: nothing is due while the process comes up.
        clock = lambda: SEVEN - dt.timedelta(hours=2)  # noqa: E731
        app = build_application(settings, token=TOKEN, request=BotApiStandIn(), clock=clock)
        await app.initialize()
        await start_up(app, migrate=True)
        jobs = 0
        if mode == "jobs":
            assert app.job_queue is not None
            engine = make_engine(url)
            async with engine.connect() as conn:
                result = await conn.stream(
                    sa.select(Runner.id, Runner.chat_id, Runner.time_zone, Runner.morning_time)  # type: ignore[call-overload]
                )
                async for runner_id, chat_id, zone, morning_time in result:
                    at = dt.time.fromisoformat(morning_time).replace(tzinfo=ZoneInfo(zone))
                    app.job_queue.run_daily(
                        morning, at, chat_id=chat_id, name=f"morning-{runner_id}"
                    )
                    jobs += 1
            await engine.dispose()
        await app.start()
        await asyncio.sleep(0)
        ready = time.perf_counter() - begin
        out = {
            "mode": mode,
            "imports_s": imported,
            "ready_s": ready,
            "rss_mb": rss_mb(),
            "peak_rss_mb": peak_rss_mb(),
            "jobs": jobs,
            "scheduled": len(app.job_queue.jobs()) if app.job_queue else 0,
        }
        print("READY " + json.dumps(out), flush=True)
        await app.stop()
        await app.shutdown()
        await shut_down(app)
        return out

    return asyncio.run(main())


def measure(url: str, mode: str, *, timeout: float = 240) -> dict[str, Any]:
    """Spawn a child, time it from spawn to its READY line, and return what it reported."""
    started = time.perf_counter()
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    child = subprocess.Popen(
        [sys.executable, "-m", "bench.startup", "--child", "--url", url, "--mode", mode],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert child.stdout is not None
    report: dict[str, Any] | None = None
    for line in child.stdout:
        if line.startswith("READY "):
            report = json.loads(line[len("READY ") :])
            report["start_to_ready_s"] = time.perf_counter() - started
            break
    if report is not None:
        child.kill()  # measured; its shutdown (100,000 jobs) is not part of the figure
    try:
        _, err = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        child.kill()
        _, err = child.communicate()
    if report is None:
        raise RuntimeError(f"the {mode} child never got ready: {err[-2000:]}")
    return report


def best(url: str, mode: str, repeats: int) -> dict[str, Any]:
    """The quickest of `repeats` start-ups (start-up time is noisy on a shared machine)."""
    runs = [measure(url, mode) for _ in range(repeats)]
    return min(runs, key=lambda r: r["start_to_ready_s"])


def run(empty_url: str, full_url: str, runners: int, *, repeats: int = 2) -> Figure:
    """The whole figure, one child after the other."""
    started = time.perf_counter()
    ours0 = best(empty_url, "ours", repeats)
    ours_n = best(full_url, "ours", repeats)
    jobs0 = best(empty_url, "jobs", repeats)
    jobs_n = measure(full_url, "jobs")  # slow by nature: once
    result = figure(ours0, ours_n, jobs0, jobs_n, runners)
    result.seconds = time.perf_counter() - started
    return result


def figure(
    ours0: dict[str, Any],
    ours_n: dict[str, Any],
    jobs0: dict[str, Any],
    jobs_n: dict[str, Any],
    runners: int,
) -> Figure:
    result = Figure(f"3. Memory and start-up (0 and {runners:,} runners)")
    grow = ours_n["rss_mb"] - ours0["rss_mb"]
    jobs_grow = jobs_n["rss_mb"] - jobs0["rss_mb"]
    # Growing with runners shows in what the process does after its imports (build, migrate,
    # start); interpreter start and imports vary by a few tenths of a second from run to run.
    slower = ours_n["ready_s"] - ours0["ready_s"]
    result.rows.append(
        Row(
            f"3 Memory growth, 0 → {runners:,} runners",
            grow,
            jobs_grow,
            "MB",
            "≤ 50 MB",
            grow <= 50,
            ceiling_label="one PTB run_daily job per runner",
            notes=f"RSS {ours0['rss_mb']:.0f} → {ours_n['rss_mb']:.0f} MB "
            f"(jobs: {jobs0['rss_mb']:.0f} → {jobs_n['rss_mb']:.0f} MB)",
        )
    )
    result.rows.append(
        Row(
            f"3 Start to ready, {runners:,} runners",
            ours_n["start_to_ready_s"],
            jobs_n["start_to_ready_s"],
            "s",
            "≤ 2 s, not growing",
            ours_n["start_to_ready_s"] <= 2 and slower <= 0.25,
            ceiling_label="one PTB run_daily job per runner",
            notes=f"0 runners: {ours0['start_to_ready_s']:.2f} s "
            f"(jobs: {jobs0['start_to_ready_s']:.2f} s); after imports "
            f"{ours0['ready_s']:.2f} → {ours_n['ready_s']:.2f} s",
        )
    )
    per_job_kb = jobs_grow * 1024 / runners if runners else 0.0
    per_job_us = (jobs_n["ready_s"] - jobs0["ready_s"]) / runners * 1e6 if runners else 0.0
    for name, r in (("ours, 0 runners", ours0), (f"ours, {runners:,} runners", ours_n)):
        result.details.append(
            f"3 {name}: start to ready {r['start_to_ready_s']:.2f} s (of which imports "
            f"{r['imports_s']:.2f} s, build + migrate + start {r['ready_s']:.2f} s), RSS "
            f"{r['rss_mb']:.0f} MB, {r['scheduled']} scheduled jobs."
        )
    result.details.append(
        f"3 ceiling, {runners:,} runners: {jobs_n['jobs']:,} run_daily jobs; start to ready "
        f"{jobs_n['start_to_ready_s']:.2f} s, RSS {jobs_n['rss_mb']:.0f} MB: about "
        f"{per_job_kb:.1f} KB and {per_job_us:.0f} µs of start-up per job."
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--url", required=True)
    parser.add_argument("--mode", choices=["ours", "jobs"], default="ours")
    args = parser.parse_args()
    _child(args.url, args.mode)


if __name__ == "__main__":
    main()
