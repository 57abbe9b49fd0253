"""`runcoach chat`: the whole coach in the terminal, no token, no network.

The same Application and handlers as on Telegram run behind the in-process Bot API stand-in.
Bot messages are printed as they would read on a phone; buttons are numbered, and typing a
number presses one. Anything else is sent as a message. /quit or end of input leaves.

The reminder jobs run as they do on Telegram, on the same outbox and the chat's clock (the
real one unless a test injects another), so snoozes, post-run reminders and morning messages
appear in the terminal when they are due. A file the coach sends (/export) is written into
the data folder.
"""

from __future__ import annotations

import asyncio
import re
import sys
from pathlib import Path
from typing import Any, TextIO

from bot.app import build_application, shut_down, start_up
from bot.runtime import App, Clock, utc_now
from bot.settings import Settings
from bot.standin import TOKEN, BotApiStandIn

Keyboard = list[list[tuple[str, str | None]]]
CHAT_ID = 1  # the terminal runner: one private chat whose user id equals the chat id
WIDTH = 72


class Terminal:
    """Prints what the runner would see and remembers the buttons on screen."""

    def __init__(self, out: TextIO, standin: BotApiStandIn, folder: Path) -> None:
        self.out = out
        self.standin = standin
        self.folder = folder  # where the files the coach sends are written
        self.reading = False  # the runner's prompt is on screen: print it again after a message
        # (message_id, callback_data, label) of the buttons on screen, numbered from 1
        self.buttons: list[tuple[int, str, str]] = []

    def on_event(self, event: str, message: dict[str, Any]) -> None:
        if message.get("chat", {}).get("id") != CHAT_ID:
            return
        keyboard = BotApiStandIn.buttons(message)
        if event == "sent":
            if "text" in message:
                text = message["text"]
            elif "photo" in message:
                text = self.save_file(message, self.standin.photos)
            else:
                text = self.save_file(message, self.standin.documents)
            self.show(text, keyboard, message["message_id"])
        elif event == "edited" and keyboard:  # a multi-select toggled: show the new buttons
            self.show_buttons(keyboard, message["message_id"])

    def show(self, text: str, keyboard: Keyboard, message_id: int) -> None:
        print(file=self.out)
        for i, line in enumerate(text.splitlines() or [""]):
            print(("coach ▸ " if i == 0 else "        ") + line, file=self.out)
        if keyboard:
            self.show_buttons(keyboard, message_id)
        if self.reading:  # a reminder came while the runner was typing
            self.out.write("\nyou ▸ ")
        self.out.flush()

    def save_file(self, message: dict[str, Any], sent_files: list[dict[str, Any]]) -> str:
        """Write a file the coach sent (a document, or a photo: /export, the week picture)
        into the data folder; its caption and the line that says where."""
        sent = next((d for d in sent_files if d["message_id"] == message["message_id"]), None)
        caption = message.get("caption", "")
        if sent is None:
            return caption or "(a file)"
        self.folder.mkdir(parents=True, exist_ok=True)
        path = (self.folder / Path(sent["filename"]).name).resolve()
        path.write_bytes(sent["data"])
        return f"{caption}\nSaved to {path}".lstrip()

    def choose(self, typed: str) -> tuple[int, str] | None:
        """The button a typed line presses: one whose label it is, else the one it numbers."""
        for message_id, data, label in self.buttons:
            if typed.lower() in (label.lower(), _plain(label)):
                return message_id, data
        if typed.isdigit() and 1 <= int(typed) <= len(self.buttons):
            message_id, data, _ = self.buttons[int(typed) - 1]
            return message_id, data
        return None

    def show_buttons(self, keyboard: Keyboard, message_id: int) -> None:
        self.buttons = []
        for row in keyboard:
            cells = []
            for label, data in row:
                if data is None:
                    continue
                self.buttons.append((message_id, data, label))
                cells.append(f"[{len(self.buttons)}] {label}")
            print("        " + "  ".join(cells), file=self.out)
        self.out.flush()


def _plain(label: str) -> str:
    """A label without its emoji: "⏰ Snooze" is typed "snooze"."""
    return re.sub(r"^\W+", "", label).lower()


async def chat(
    settings: Settings,
    *,
    stdin: TextIO = sys.stdin,
    out: TextIO = sys.stdout,
    clock: Clock = utc_now,
    name: str = "",
) -> int:
    """Run the terminal chat until /quit or end of input.

    `name` is what the coach calls the runner (none: "Hi there!"); `clock` is the time the
    coach and its reminder jobs believe it is.
    """
    standin = BotApiStandIn()
    app = build_application(settings, token=TOKEN, request=standin, clock=clock)
    terminal = Terminal(out, standin, settings.data_dir)
    standin.add_listener(terminal.on_event)
    standin.bind(app)
    print(
        "runcoach in your terminal. Type as you would on Telegram; a number presses that "
        "button; /quit leaves.",
        file=out,
    )
    async with app:
        await start_up(app)
        await app.start()  # the job queue: the reminder dispatcher, as on Telegram
        try:
            return await _converse(app, standin, terminal, name.strip(), stdin, out)
        finally:
            await app.stop()
            await shut_down(app)


async def _converse(
    app: App, standin: BotApiStandIn, terminal: Terminal, name: str, stdin: TextIO, out: TextIO
) -> int:
    """Read the runner's lines and hand them to the bot until /quit or end of input."""
    await app.process_update(standin.text_update(CHAT_ID, "/start", CHAT_ID, name))
    while True:
        terminal.reading = True
        try:
            line = await asyncio.to_thread(_read_line, stdin, out)
        finally:
            terminal.reading = False
        if line is None or line.strip() in ("/quit", "/exit"):
            print("\nBye! Your answers are saved; `runcoach chat` carries on.", file=out)
            return 0
        text = line.strip()
        if not text:
            continue
        choice = terminal.choose(text)
        update = None
        if choice is not None:
            message_id, data = choice
            try:
                update = standin.press(CHAT_ID, message_id, data, CHAT_ID, first_name=name)
            except (LookupError, ValueError):
                if text.isdigit():  # a number presses a button, and those are gone
                    print("coach ▸ (those buttons are gone; type your answer)", file=out)
                    continue
                # a button's label typed after its buttons went: a message, as on Telegram
        if update is None:
            update = standin.text_update(CHAT_ID, text, CHAT_ID, name)
        await app.process_update(update)


def _read_line(stdin: TextIO, out: TextIO) -> str | None:
    out.write("\nyou ▸ ")
    out.flush()
    line = stdin.readline()
    if not line:
        return None
    if not stdin.isatty():
        out.write(line if line.endswith("\n") else line + "\n")  # echo piped input
    return line
