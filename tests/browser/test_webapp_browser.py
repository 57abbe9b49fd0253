"""The Mini App in a real browser (issue 17): headless Chromium (Debian's `chromium`),
driven by Playwright's Python package, opens the page as Telegram would, with init data the
test signs in the URL fragment, on the real web server and Application behind the Bot API
stand-in. Telegram's script is blocked, as where it cannot load: the page reads
`tgWebAppData` and `tgWebAppThemeParams` from the fragment.

Screenshots at 360 px and 1,280 px go to tests/artifacts/ (printed), for a person to look at.
Run these alone with `.venv/bin/pytest -q tests/browser`; without Chromium they are skipped.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import quote

import pytest

from bot import texts
from bot.runtime import runtime
from bot.webapp.urls import PAGE_PATH
from tests.bot.conftest import Clock
from tests.bot.test_webapp_api import (
    PUBLIC,
    ROOMY_WEEK,
    RUNNER,
    Served,
    handed_on,
    logs,
    serve,
)

playwright_api = pytest.importorskip(
    "playwright.async_api", reason="Playwright is not installed (pip install -e '.[test]')"
)
CHROMIUM = os.environ.get("RUNCOACH_CHROMIUM", "/usr/bin/chromium")
if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
    pytest.skip(
        f"no Chromium at {CHROMIUM}: apt-get install -y chromium chromium-driver "
        "(or set RUNCOACH_CHROMIUM)",
        allow_module_level=True,
    )

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
MONDAY = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)  # London: 09:00, a strength day
THEME = {  # a dark Telegram theme, as tgWebAppThemeParams carries it
    "bg_color": "#17212b",
    "text_color": "#f5f5f5",
    "hint_color": "#708499",
    "link_color": "#6ab3f3",
    "button_color": "#5288c1",
    "button_text_color": "#ffffff",
    "secondary_bg_color": "#232e3c",
}


@pytest.fixture
def database_kind() -> str:
    """The browser tests run on SQLite only (the API tests cover PostgreSQL)."""
    return "sqlite"


@pytest.fixture
def clock() -> Clock:
    return Clock(dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC))  # a Friday: setup


@pytest.fixture
async def served(db_url: str, clock: Clock) -> AsyncIterator[Served]:
    async for one in serve(db_url, clock, public_url=PUBLIC):
        yield one


@pytest.fixture
async def browser() -> AsyncIterator[object]:
    async with playwright_api.async_playwright() as driver:
        chromium = await driver.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            yield chromium
        finally:
            await chromium.close()


def opened_as_telegram_does(served: Served, init_data: str) -> str:
    """The page's address with Telegram's launch parameters in the fragment."""
    fragment = "&".join(
        [
            "tgWebAppData=" + quote(init_data, safe=""),
            "tgWebAppVersion=8.0",
            "tgWebAppPlatform=tdesktop",
            "tgWebAppThemeParams=" + quote(json.dumps(THEME), safe=""),
        ]
    )
    return f"{served.base}{PAGE_PATH}#{fragment}"


async def new_page(browser: object, width: int) -> object:
    page = await browser.new_page(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
    # Telegram's script cannot load here (no internet, as in some clients' networks).
    await page.route("https://telegram.org/**", lambda route: route.abort())
    return page


async def test_the_runner_does_today_s_session_from_the_page(
    served: Served, browser: object
) -> None:
    await served.coach.onboard_typing(week=ROOMY_WEEK)
    served.clock.now = MONDAY
    state = (await served.week()).json()
    today = next(d for d in state["days"] if d["today"])
    later = next(d for d in state["days"] if d["session"] and d["moves"] and not d["today"])
    target = later["moves"][-1]
    await served.coach.send("/today")
    shown = served.coach.standin.last_message(RUNNER)
    page = await new_page(browser, 360)

    await page.goto(opened_as_telegram_does(served, served.init_data()))
    await page.wait_for_selector("#today")

    week = await page.inner_text("#week")
    assert all(d["line"] in week for d in state["days"])
    assert today["session"]["name"] in await page.inner_text("#today")
    background = await page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(23, 33, 43)"  # Telegram's theme colour, from the fragment
    first = today["session"]["exercises"][0]
    await page.locator(".exercise").first.get_by_role("button", name="Easier").click()
    assert first["easier"] in await page.locator(".exercise").first.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    narrow = ARTIFACTS / "miniapp-360.png"
    await page.screenshot(path=str(narrow), full_page=True)

    await page.click("#done")
    await page.wait_for_selector("#status")
    assert await page.inner_text("#status") == "✅ Done at 09:00."
    await runtime(served.coach.app).inbox.idle()
    assert await logs(served) == [(MONDAY.date(), "done")]
    assert shown["text"].startswith("✅ Done at 09:00.\nToday, Monday")
    assert texts.LOGGED_DONE in served.coach.texts()

    await page.click(f'.move[data-date="{later["date"]}"]')
    await page.click(f'.move-to[data-from="{later["date"]}"][data-to="{target["date"]}"]')
    # Waits without evaluating a string in the page (its Content-Security-Policy forbids it).
    await page.locator(f'li[data-date="{target["date"]}"]', has_text="💪").wait_for()
    assert "💪" not in await page.inner_text(f'li[data-date="{later["date"]}"]')
    await runtime(served.coach.app).inbox.idle()
    assert served.coach.last().startswith("Moved: ")
    after = (await served.week()).json()  # the database says what the page says
    assert next(d for d in after["days"] if d["date"] == target["date"])["session"]
    assert next(d for d in after["days"] if d["date"] == later["date"])["session"] is None

    await page.set_viewport_size({"width": 1280, "height": 900})
    wide = ARTIFACTS / "miniapp-1280.png"
    await page.screenshot(path=str(wide), full_page=True)
    print(f"\nMini App screenshots: {narrow} and {wide}")


async def test_forged_init_data_shows_the_error_page_and_changes_nothing(
    served: Served, browser: object
) -> None:
    await served.coach.onboard_typing(week=ROOMY_WEEK)
    served.clock.now = MONDAY
    before = [dict(m) for m in served.coach.standin.sent_to(RUNNER)]
    page = await new_page(browser, 360)
    forged = served.init_data(token="999999:" + "x" * 35)  # not this bot's token

    await page.goto(opened_as_telegram_does(served, forged))
    await page.wait_for_selector("#error")

    assert await page.inner_text("#error") == texts.WEBAPP_TEXTS["error_auth"]
    assert await page.locator("#done").count() == 0
    await runtime(served.coach.app).inbox.idle()
    assert await logs(served) == []
    assert await handed_on(served) == []
    assert served.coach.standin.sent_to(RUNNER) == before
    shot = ARTIFACTS / "miniapp-forged-360.png"
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(shot))
    print(f"\nMini App error page: {shot}")


async def test_with_telegram_s_script_the_page_reads_it_and_closes_after_pain(
    served: Served, browser: object
) -> None:
    """Where telegram-web-app.js loads, the page takes initData from Telegram.WebApp (no
    fragment here), and after Something hurts it closes: the pain check is in the chat."""
    await served.coach.onboard_typing(week=ROOMY_WEEK)
    served.clock.now = MONDAY
    page = await browser.new_page(viewport={"width": 360, "height": 900})  # type: ignore[attr-defined]
    init_data = json.dumps(served.init_data())
    telegram = (  # what the script provides that the page uses
        "window.Telegram = {WebApp: {initData: " + init_data + ", ready() {}, "
        "close() { document.body.dataset.closed = 'yes'; }}};"
    )
    await page.route(
        "https://telegram.org/**",
        lambda route: route.fulfill(body=telegram, content_type="text/javascript"),
    )

    await page.goto(f"{served.base}{PAGE_PATH}")
    await page.wait_for_selector("#today")
    await page.click("#pain")
    await page.wait_for_selector('body[data-closed="yes"]', state="attached")

    await runtime(served.coach.app).inbox.idle()
    asked = served.coach.last()
    await served.coach.send("/cancel")
    await served.coach.send("/pain")
    assert served.coach.last() == asked  # the pain check's first question, as /pain asks it
    assert await logs(served) == []
