"""The Mini App's page: server-rendered HTML with every text from `bot.texts`, a small plain
script (`static/app.js`) and a style sheet (`static/app.css`); no build step."""

from __future__ import annotations

import html
import json

from bot import texts
from bot.webapp.urls import API_PATH, PAGE_PATH

# Telegram's script sets Telegram.WebApp (initData, themeParams, close) and the --tg-theme-*
# colours. Where it cannot load, the page reads the same from the URL fragment.
TELEGRAM_SCRIPT = "https://telegram.org/js/telegram-web-app.js"

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="{base}/app.css">
<script src="{telegram}"></script>
</head>
<body data-api="{api}" data-state="loading">
<main id="app"><p class="hint" id="loading">{loading}</p></main>
<script type="application/json" id="texts">{texts}</script>
<script src="{base}/app.js"></script>
</body>
</html>
"""


def render_page() -> str:
    """The page, its texts in a JSON block the script reads (never executed)."""
    words = texts.WEBAPP_TEXTS
    # Inside <script> only "</" could end the block early.
    blob = json.dumps(words, ensure_ascii=False).replace("</", "<\\/")
    return PAGE.format(
        title=html.escape(words["title"]),
        loading=html.escape(words["loading"]),
        base=PAGE_PATH,
        api=API_PATH,
        telegram=TELEGRAM_SCRIPT,
        texts=blob,
    )
