"""Where the Mini App is served, and its public address (none without PUBLIC_URL)."""

from __future__ import annotations

from bot.settings import Settings

PAGE_PATH = "/miniapp"
API_PATH = PAGE_PATH + "/api"


def week_app_url(settings: Settings) -> str | None:
    """The address Telegram opens for "My week" and "Open week": PUBLIC_URL and the page's
    path; None when PUBLIC_URL is not set (no menu button, no "Open week")."""
    if not settings.public_url:
        return None
    return settings.public_url.rstrip("/") + PAGE_PATH
