"""The `runcoach` command: plan, chat, run, db, coach."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import logging
import sys
from collections.abc import Iterator, Sequence
from typing import Any

from pydantic import ValidationError
from telegram.error import InvalidToken, NetworkError

from bot import texts
from bot.app import build_application
from bot.chat import chat
from bot.coaching import coach_command
from bot.logs import configure_logging, safe_url
from bot.polling import serve_polling
from bot.render import render_overview, render_plan
from bot.settings import Settings, SettingsError
from bot.web import serve_webhook
from core.models import BodyArea, Equipment, Goal, PlacementPreference, Profile
from core.planner import plan_week, week_start_of
from core.weekparse import WeekParseError, parse_week
from storage.db import DatabaseInUse, lock_sqlite_file, upgrade_sync

log = logging.getLogger("runcoach")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2027-04-25") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="runcoach", description="A Telegram coach that fits strength into a runner's week."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    plan = commands.add_parser(
        "plan",
        help="print the strength plan for a week: an overview, or --full with the reasons",
        description="Print this week's plan for a runner's usual week, typed in one line: "
        "a line a day, or with --full every session's exercises and the reasons.",
    )
    plan.add_argument("week", help='e.g. "Mon rest, Tue intervals 18:00, Wed easy 7am, ..."')
    plan.add_argument("--sessions", type=int, default=2, help="strength sessions a week (2-4)")
    plan.add_argument("--minutes", type=int, default=25, help="minutes per session (10-90)")
    plan.add_argument("--race", type=_date, help="race date, YYYY-MM-DD")
    plan.add_argument(
        "--goal", choices=[g.value for g in Goal], default=None, help="race distance"
    )
    plan.add_argument(
        "--equipment",
        nargs="+",
        choices=[e.value for e in Equipment],
        default=[Equipment.NONE.value],
        help="what you can train with",
    )
    plan.add_argument(
        "--prefer",
        choices=[p.value for p in PlacementPreference],
        default=PlacementPreference.EITHER.value,
        help="after easy runs, on days without a run, or either",
    )
    plan.add_argument(
        "--niggles",
        nargs="*",
        choices=[a.value for a in BodyArea],
        default=[],
        help="sore areas to keep load off",
    )
    plan.add_argument("--week-of", type=_date, help="any date in the week to plan (default today)")
    plan.add_argument(
        "--full", action="store_true", help="the whole week: exercises, notes and reasons"
    )

    chat_parser = commands.add_parser(
        "chat",
        help="try the whole coach in the terminal (no token needed)",
        description="The coach in your terminal: the same conversation as on Telegram, "
        "reminders included (they appear when due while the chat is open).",
    )
    chat_parser.add_argument(
        "--name", default="", help="what the coach calls you (default: no name)"
    )
    run = commands.add_parser(
        "run",
        help="run the bot on Telegram (long polling, or --webhook)",
        description="Run the bot on Telegram. Needs TELEGRAM_BOT_TOKEN.",
    )
    run.add_argument(
        "--webhook",
        action="store_true",
        help="receive updates by webhook (needs WEBHOOK_URL and WEBHOOK_SECRET)",
    )
    coach = commands.add_parser(
        "coach",
        help="name coaches (coach and physio mode)",
        description="Name, remove or list coaches. Removing one ends every runner's link to them.",
    )
    coach.add_argument(
        "coach_action", choices=["add", "remove", "list"], metavar="add|remove|list"
    )
    coach.add_argument("telegram_id", type=int, nargs="?", help="the coach's Telegram user id")
    db = commands.add_parser("db", help="database maintenance", description="Database schema.")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_commands.add_parser("upgrade", help="bring the database to the newest schema")
    return parser


def _plan(args: argparse.Namespace) -> int:
    try:
        week = parse_week(args.week)
    except WeekParseError as error:
        print(error, file=sys.stderr)
        return 2
    try:
        profile = Profile(
            goal=Goal(args.goal) if args.goal else Goal.NONE,
            race_date=args.race,
            sessions_per_week=args.sessions,
            minutes=args.minutes,
            placement=PlacementPreference(args.prefer),
            equipment=frozenset(Equipment(e) for e in args.equipment),
            niggles=frozenset(BodyArea(a) for a in args.niggles),
        )
    except ValidationError as error:
        problems = "; ".join(
            f"--{'-'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()
        )
        print(
            f"runcoach plan: {problems.replace('sessions-per-week', 'sessions')}", file=sys.stderr
        )
        return 2
    start = week_start_of(args.week_of or dt.date.today())
    plan = plan_week(profile, week, start)
    if args.full:
        print("\n\n".join(render_plan(plan)))
    else:
        print(render_overview(plan, full_shortfall=True, hint=texts.CLI_FULL_HINT))
    return 0


def _settings() -> Settings:
    try:
        return Settings()
    except ValidationError as error:
        first = error.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "a setting"
        raise SettingsError(f"{name}: {first['msg']}") from None


def _chat(name: str) -> int:
    settings = _settings()
    configure_logging(settings.log_level, quiet=True)
    with _only_process(settings):
        return asyncio.run(chat(settings, name=name))


@contextlib.contextmanager
def _only_process(settings: Settings) -> Iterator[None]:
    """Refuse to start beside another process on the same SQLite file."""
    try:
        handle = lock_sqlite_file(settings.db_url)
    except DatabaseInUse as error:
        raise SettingsError(str(error)) from None
    try:
        yield
    finally:
        if handle is not None:
            handle.close()


def _run(args: argparse.Namespace) -> int:
    settings = _settings()
    token = settings.require_token()
    hook = settings.require_webhook() if args.webhook else None
    configure_logging(settings.log_level)
    app = build_application(settings, token=token)
    # Nothing is logged before the Bot API has answered (`start_up`): a run that cannot
    # start ends with its one line below and nothing else.
    try:
        with _only_process(settings):
            return _serve(app, settings, hook)
    except InvalidToken:
        print(
            "runcoach: the Bot API rejected TELEGRAM_BOT_TOKEN (revoked or mistyped?). "
            "Get the current token from @BotFather.",
            file=sys.stderr,
        )
        return 2
    except NetworkError as error:
        print(
            f"runcoach: cannot reach the Bot API at {settings.telegram_base_url} ({error}). "
            "Check the network, or TELEGRAM_BASE_URL if you use your own Bot API server.",
            file=sys.stderr,
        )
        return 1


def _serve(app: Any, settings: Settings, hook: tuple[str, str] | None) -> int:
    if hook is not None:
        url, secret = hook
        asyncio.run(
            serve_webhook(
                app,
                url=url,
                path=settings.webhook_path,
                secret=secret,
                host=settings.webhook_listen,
                port=settings.webhook_port,
            )
        )
    else:
        asyncio.run(serve_polling(app))
    return 0


def _db(args: argparse.Namespace) -> int:
    settings = _settings()
    upgrade_sync(settings.db_url)
    print(f"Database {safe_url(settings.db_url)} is at the newest schema.")
    return 0


def _coach(args: argparse.Namespace) -> int:
    if args.coach_action != "list" and args.telegram_id is None:
        print("runcoach coach: add and remove need the coach's Telegram user id", file=sys.stderr)
        return 2
    settings = _settings()
    upgrade_sync(settings.db_url)
    print(asyncio.run(coach_command(settings, args.coach_action, args.telegram_id)))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "plan":
            return _plan(args)
        if args.command == "chat":
            return _chat(args.name)
        if args.command == "run":
            return _run(args)
        if args.command == "db":
            return _db(args)
        if args.command == "coach":
            return _coach(args)
    except SettingsError as error:
        print(f"runcoach: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 2  # pragma: no cover - argparse rejects unknown commands
