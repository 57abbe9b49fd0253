"""Where the Mini App is served, and its public address (none without PUBLIC_URL)."""

from __future__ import annotations

from bot.settings import Settings

PAGE_PATH = "/miniapp"
API_PATH = PAGE_PATH + "/api"


def week_app_url(settings: Settings) -> str | None:
    """The address Telegram opens for "My week" and "Open week": PUBLIC_URL and the page's
    path (PUBLIC_URL defaults to WEBHOOK_URL); None without a public https address: no menu
    button, no "Open week" (Telegram opens Mini Apps only over https, so a plain-http
    PUBLIC_URL on a loopback address serves the calendar feed but not the Mini App)."""
    base = settings.public_base_url
    if base is None or not base.startswith("https://"):
        return None
    return base.rstrip("/") + PAGE_PATH
