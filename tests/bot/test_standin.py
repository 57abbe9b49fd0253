"""The Bot API stand-in drives a real PTB Application the way Telegram would."""

from __future__ import annotations

import asyncio
import io
import warnings
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.standin import TOKEN, BotApiStandIn, RateLimits

RUNNER = 42
ASK_DAYS, ASK_LONG_RUN = range(2)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("3 days", callback_data="days:3")],
            [InlineKeyboardButton("4 days", callback_data="days:4")],
        ]
    )
    assert update.message is not None
    await update.message.reply_text("How many days do you run?", reply_markup=keyboard)
    return ASK_DAYS


async def pick_days(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    days = query.data.split(":")[1]
    await query.edit_message_text(
        f"<b>{days}</b> days. Which day is your long run?", parse_mode="HTML"
    )
    return ASK_LONG_RUN


async def long_run(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    assert update.message is not None
    await update.message.reply_text("Saved.")
    return ConversationHandler.END


async def ping(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_chat is not None
    await context.bot.send_message(update.effective_chat.id, "pong")


def build(standin: BotApiStandIn) -> Application[Any, Any, Any, Any, Any, Any]:
    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .request(standin)
        .get_updates_request(standin)
        .updater(None)
        .build()
    )
    app.add_handler(CommandHandler("ping", ping))
    # Buttons inside a per-chat conversation are deliberate here; PTB warns about that choice.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "If 'per_message=False'", PTBUserWarning)
        onboarding = ConversationHandler(
            entry_points=[CommandHandler("start", start)],
            states={
                ASK_DAYS: [CallbackQueryHandler(pick_days, pattern=r"^days:")],
                ASK_LONG_RUN: [MessageHandler(filters.TEXT & ~filters.COMMAND, long_run)],
            },
            fallbacks=[],
            per_message=False,
        )
    app.add_handler(onboarding)
    standin.bind(app)
    return app


@pytest.fixture(autouse=True)
def timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    # Without it, PTB 22.2+ warns when anything reads RetryAfter.retry_after (warnings are errors).
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


@pytest.fixture
def standin() -> BotApiStandIn:
    return BotApiStandIn()


@pytest.fixture
async def app(
    standin: BotApiStandIn,
) -> AsyncIterator[Application[Any, Any, Any, Any, Any, Any]]:
    application = build(standin)
    async with application:
        yield application


async def test_get_me_identifies_the_test_bot(
    app: Application[Any, Any, Any, Any, Any, Any], standin: BotApiStandIn
) -> None:
    assert app.bot.username == "runcoach_test_bot"
    assert app.bot.id == 1000
    assert standin.calls[0][0] == "getMe"


async def test_command_reply_is_in_the_transcript(
    app: Application[Any, Any, Any, Any, Any, Any], standin: BotApiStandIn
) -> None:
    await app.process_update(standin.text_update(RUNNER, "/ping"))

    assert [m["text"] for m in standin.sent_to(RUNNER)] == ["pong"]
    assert standin.calls_to("sendMessage") == [{"chat_id": RUNNER, "text": "pong"}]


async def test_command_with_bot_mention_in_a_group(
    app: Application[Any, Any, Any, Any, Any, Any], standin: BotApiStandIn
) -> None:
    group = -500
    await app.process_update(
        standin.text_update(group, "/ping@runcoach_test_bot", user_id=7, chat_type="group")
    )

    assert standin.last_message(group)["text"] == "pong"
    assert standin.last_message(group)["chat"]["type"] == "group"


async def test_conversation_with_buttons_and_edit(
    app: Application[Any, Any, Any, Any, Any, Any], standin: BotApiStandIn
) -> None:
    await app.process_update(standin.text_update(RUNNER, "/start"))
    question = standin.last_message(RUNNER)
    assert standin.buttons(question) == [[("3 days", "days:3")], [("4 days", "days:4")]]

    await app.process_update(standin.press(RUNNER, question["message_id"], "days:4"))

    assert len(standin.calls_to("answerCallbackQuery")) == 1
    assert len(standin.answered_callbacks) == 1
    edited = standin.last_message(RUNNER)
    assert edited["message_id"] == question["message_id"]
    # HTML is rendered to what the runner reads; the edit without a keyboard removes it.
    assert edited["text"] == "4 days. Which day is your long run?"
    assert edited["entities"] == [{"type": "bold", "offset": 0, "length": 1}]
    assert standin.buttons(edited) == []
    assert "edit_date" in edited

    await app.process_update(standin.text_update(RUNNER, "Sunday"))
    assert [m["text"] for m in standin.sent_to(RUNNER)][-1] == "Saved."


async def test_tap_finds_a_button_by_its_label(
    app: Application[Any, Any, Any, Any, Any, Any], standin: BotApiStandIn
) -> None:
    await app.process_update(standin.text_update(RUNNER, "/start"))
    await app.process_update(standin.tap(RUNNER, "3 days"))

    assert standin.last_message(RUNNER)["text"].startswith("3 days")


async def test_pressing_a_button_that_is_not_there_is_a_test_error(
    app: Application[Any, Any, Any, Any, Any, Any], standin: BotApiStandIn
) -> None:
    await app.process_update(standin.text_update(RUNNER, "/start"))
    message_id = standin.last_message(RUNNER)["message_id"]

    with pytest.raises(ValueError, match="no button"):
        standin.press(RUNNER, message_id, "days:9")
    with pytest.raises(LookupError):
        standin.press(RUNNER, 999, "days:3")


async def test_message_ids_increase_per_chat_across_both_sides(
    app: Application[Any, Any, Any, Any, Any, Any], standin: BotApiStandIn
) -> None:
    first = standin.text_update(RUNNER, "/ping")
    await app.process_update(first)
    await app.process_update(standin.text_update(RUNNER + 1, "/ping"))
    second = standin.text_update(RUNNER, "/ping")
    await app.process_update(second)

    assert first.message is not None and second.message is not None
    ids = [first.message.message_id] + [m["message_id"] for m in standin.sent_to(RUNNER)]
    ids.insert(2, second.message.message_id)
    assert ids == [1, 2, 3, 4]
    assert standin.last_message(RUNNER + 1)["message_id"] == 2
    assert second.update_id > first.update_id


async def test_edit_and_delete_errors_match_telegram(
    app: Application[Any, Any, Any, Any, Any, Any], standin: BotApiStandIn
) -> None:
    sent = await app.bot.send_message(RUNNER, "hi")

    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await app.bot.edit_message_text("hi", chat_id=RUNNER, message_id=sent.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await app.bot.edit_message_text("x", chat_id=RUNNER, message_id=99)

    markup = InlineKeyboardMarkup.from_button(InlineKeyboardButton("ok", callback_data="ok"))
    edited = await app.bot.edit_message_reply_markup(
        chat_id=RUNNER, message_id=sent.message_id, reply_markup=markup
    )
    assert not isinstance(edited, bool)
    assert edited.reply_markup == markup
    assert standin.buttons(standin.last_message(RUNNER)) == [[("ok", "ok")]]

    assert await app.bot.delete_message(RUNNER, sent.message_id)
    assert standin.sent_to(RUNNER) == []
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await app.bot.delete_message(RUNNER, sent.message_id)


async def test_bad_html_and_long_callback_data_are_rejected(
    app: Application[Any, Any, Any, Any, Any, Any], standin: BotApiStandIn
) -> None:
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await app.bot.send_message(RUNNER, "I <3 intervals", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await app.bot.send_message(RUNNER, "<b>unclosed", parse_mode="HTML")
    button = InlineKeyboardButton("x", callback_data="y" * 65)
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await app.bot.send_message(RUNNER, "x", reply_markup=InlineKeyboardMarkup([[button]]))

    sent = await app.bot.send_message(
        RUNNER, 'I &lt;3 <a href="https://x.org/?a=1&amp;b=2">🏃 runs</a>', parse_mode="HTML"
    )
    assert sent.text == "I <3 🏃 runs"
    assert standin.last_message(RUNNER)["entities"] == [
        {"type": "text_link", "url": "https://x.org/?a=1&b=2", "offset": 5, "length": 7}
    ]


async def test_unknown_method_is_a_bad_request(
    app: Application[Any, Any, Any, Any, Any, Any], standin: BotApiStandIn
) -> None:
    with pytest.raises(BadRequest, match=r"(?i)method not found"):
        await app.bot.send_poll(RUNNER, "Which?", ["a", "b"])


async def test_commands_webhook_and_misc_methods(
    app: Application[Any, Any, Any, Any, Any, Any], standin: BotApiStandIn
) -> None:
    bot = app.bot
    assert await bot.set_my_commands([("start", "Set up your plan"), ("pain", "Report pain")])
    assert [c.command for c in await bot.get_my_commands()] == ["start", "pain"]
    assert await bot.delete_my_commands()
    assert await bot.get_my_commands() == ()

    assert await bot.set_webhook("https://example.org/hook")
    assert (await bot.get_webhook_info()).url == "https://example.org/hook"
    with pytest.raises(Conflict):
        await bot.get_updates()
    assert await bot.delete_webhook()
    assert (await bot.get_webhook_info()).url == ""

    assert await bot.send_chat_action(RUNNER, "typing")
    assert await bot.log_out()
    assert await bot.close()


async def test_send_document_stores_the_uploaded_bytes(
    app: Application[Any, Any, Any, Any, Any, Any], standin: BotApiStandIn
) -> None:
    payload = b"week,session\n1,strength A\n"
    message = await app.bot.send_document(
        RUNNER, io.BytesIO(payload), filename="plan.csv", caption="Your plan"
    )

    assert message.document is not None
    assert message.document.file_name == "plan.csv"
    assert message.caption == "Your plan"
    (stored,) = standin.documents
    assert stored["data"] == payload
    assert stored["filename"] == "plan.csv"
    assert stored["mime_type"] == "text/csv"
    assert standin.last_message(RUNNER)["document"]["file_size"] == len(payload)


@pytest.mark.parametrize(
    ("kind", "error"),
    [
        ("forbidden", Forbidden),
        ("server_error", NetworkError),
        ("timeout_before", NetworkError),
        ("connect_timeout", TimedOut),
    ],
)
async def test_faults_before_delivery_raise_ptb_errors_and_deliver_nothing(
    app: Application[Any, Any, Any, Any, Any, Any],
    standin: BotApiStandIn,
    kind: Any,
    error: type[Exception],
) -> None:
    standin.fail_next("sendMessage", chat_id=RUNNER, kind=kind)

    with pytest.raises(error):
        await app.bot.send_message(RUNNER, "Strength today")

    assert standin.sent_to(RUNNER) == []
    await app.bot.send_message(RUNNER, "Strength today")
    assert len(standin.sent_to(RUNNER)) == 1


async def test_retry_after_carries_the_wait(
    app: Application[Any, Any, Any, Any, Any, Any],
    standin: BotApiStandIn,
) -> None:
    standin.fail_next("sendMessage", kind="retry_after", retry_after=7)

    with pytest.raises(RetryAfter) as caught:
        await app.bot.send_message(RUNNER, "Strength today")

    assert caught.value.retry_after == timedelta(seconds=7)
    assert standin.rejected_429 == 1
    assert standin.sent_to(RUNNER) == []


async def test_fault_for_one_chat_leaves_others_alone(
    app: Application[Any, Any, Any, Any, Any, Any], standin: BotApiStandIn
) -> None:
    standin.fail_next("sendMessage", chat_id=RUNNER, kind="forbidden", times=2)

    await app.bot.send_message(RUNNER + 1, "ok")
    for _ in range(2):
        with pytest.raises(Forbidden, match="blocked by the user"):
            await app.bot.send_message(RUNNER, "no")
    await app.bot.send_message(RUNNER, "ok again")

    assert [m["text"] for m in standin.sent_to(RUNNER)] == ["ok again"]


async def test_timeout_after_delivers_then_raises(
    app: Application[Any, Any, Any, Any, Any, Any], standin: BotApiStandIn
) -> None:
    standin.fail_next("sendMessage", kind="timeout_after")

    with pytest.raises(TimedOut) as caught:
        await app.bot.send_message(RUNNER, "Strength today")

    # Like HTTPXRequest: a read timeout, so the sender can tell it may have been delivered.
    assert isinstance(caught.value.__cause__, httpx.ReadTimeout)
    assert [m["text"] for m in standin.sent_to(RUNNER)] == ["Strength today"]


async def test_timeout_before_looks_like_a_connect_error(
    app: Application[Any, Any, Any, Any, Any, Any], standin: BotApiStandIn
) -> None:
    standin.fail_next("sendMessage", kind="timeout_before")

    with pytest.raises(NetworkError) as caught:
        await app.bot.send_message(RUNNER, "x")

    assert not isinstance(caught.value, TimedOut)
    assert isinstance(caught.value.__cause__, httpx.ConnectError)


async def test_chat_migrated_gives_the_new_id(
    app: Application[Any, Any, Any, Any, Any, Any], standin: BotApiStandIn
) -> None:
    group = -4001
    standin.fail_next("sendMessage", chat_id=group, kind="chat_migrated")

    with pytest.raises(ChatMigrated) as caught:
        await app.bot.send_message(group, "Club run")

    assert caught.value.new_chat_id == -1004001
    await app.bot.send_message(caught.value.new_chat_id, "Club run")
    assert standin.last_message(-1004001)["chat"]["type"] == "supergroup"


async def test_blocked_runner_stays_blocked(
    app: Application[Any, Any, Any, Any, Any, Any], standin: BotApiStandIn
) -> None:
    standin.block(RUNNER)
    for _ in range(2):
        with pytest.raises(Forbidden):
            await app.bot.send_message(RUNNER, "x")
    standin.unblock(RUNNER)
    await app.bot.send_message(RUNNER, "welcome back")


async def test_fail_next_rejects_unknown_kinds(standin: BotApiStandIn) -> None:
    with pytest.raises(ValueError, match="unknown fault kind"):
        standin.fail_next("sendMessage", kind="gremlins")  # type: ignore[arg-type]


async def test_rate_limit_per_chat_with_a_fake_clock(
    app: Application[Any, Any, Any, Any, Any, Any],
    standin: BotApiStandIn,
) -> None:
    now = [100.0]
    standin.rate_limits = RateLimits(clock=lambda: now[0])

    await app.bot.send_message(RUNNER, "one")
    with pytest.raises(RetryAfter) as caught:
        await app.bot.send_message(RUNNER, "two")
    assert caught.value.retry_after == timedelta(seconds=1)
    await app.bot.send_message(RUNNER + 1, "other chat is fine")

    now[0] += 1.0
    await app.bot.send_message(RUNNER, "two")

    assert standin.rejected_429 == 1
    assert [m["text"] for m in standin.sent_to(RUNNER)] == ["one", "two"]


async def test_rate_limit_total_per_second(
    app: Application[Any, Any, Any, Any, Any, Any], standin: BotApiStandIn
) -> None:
    now = [0.0]
    standin.rate_limits = RateLimits(total_per_second=30, clock=lambda: now[0])

    for chat_id in range(1, 31):
        await app.bot.send_message(chat_id, "reminder")
    with pytest.raises(RetryAfter) as caught:
        await app.bot.send_message(31, "reminder")
    assert caught.value.retry_after == timedelta(seconds=1)  # the 30 slots free up after 1 s
    now[0] = 0.5
    with pytest.raises(RetryAfter):
        await app.bot.send_message(32, "reminder")
    now[0] = 1.0
    await app.bot.send_message(31, "reminder")

    assert standin.rejected_429 == 2


async def test_get_updates_returns_queued_and_honours_offset(
    app: Application[Any, Any, Any, Any, Any, Any], standin: BotApiStandIn
) -> None:
    standin.queue_update(standin.text_update_data(RUNNER, "/ping"))
    standin.queue_update(standin.text_update_data(RUNNER, "hello"))

    updates = await app.bot.get_updates()
    assert [u.message.text for u in updates if u.message] == ["/ping", "hello"]
    assert updates[0].get_bot() is app.bot

    again = await app.bot.get_updates(offset=updates[0].update_id + 1)
    assert [u.update_id for u in again] == [updates[1].update_id]

    assert await app.bot.get_updates(offset=updates[1].update_id + 1) == ()
    assert await app.bot.get_updates(offset=updates[0].update_id) == ()


async def test_get_updates_can_fail_like_telegram(
    app: Application[Any, Any, Any, Any, Any, Any], standin: BotApiStandIn
) -> None:
    standin.queue_update(standin.text_update_data(RUNNER, "hello"))
    standin.fail_next("getUpdates", kind="server_error")

    with pytest.raises(NetworkError, match="Bad Gateway"):
        await app.bot.get_updates()
    assert len(await app.bot.get_updates()) == 1


async def test_polling_through_the_stand_in(standin: BotApiStandIn) -> None:
    app = ApplicationBuilder().token(TOKEN).request(standin).get_updates_request(standin).build()
    app.add_handler(CommandHandler("ping", ping))
    standin.queue_update(standin.text_update_data(RUNNER, "/ping"))

    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=5)
        replied = False
        for _ in range(200):
            if standin.sent_to(RUNNER):
                replied = True
                break
            await _tick()
        # A runner writes while the bot is long-polling: the poll wakes at once.
        standin.queue_update(standin.text_update_data(RUNNER, "/ping"))
        for _ in range(200):
            if len(standin.sent_to(RUNNER)) == 2:
                break
            await _tick()
        await app.updater.stop()
        await app.stop()

    assert replied
    assert [m["text"] for m in standin.sent_to(RUNNER)] == ["pong", "pong"]
    assert "deleteWebhook" in [name for name, _ in standin.calls]
    # The final getUpdates confirmed both updates, so a restart would not see them again.
    assert await app.bot.get_updates() == ()


async def _tick() -> None:
    await asyncio.sleep(0.01)


async def test_listener_sees_sends_and_edits(
    app: Application[Any, Any, Any, Any, Any, Any], standin: BotApiStandIn
) -> None:
    events: list[tuple[str, str]] = []
    standin.add_listener(lambda event, message: events.append((event, message.get("text", ""))))

    sent = await app.bot.send_message(RUNNER, "a")
    await app.bot.edit_message_text("b", chat_id=RUNNER, message_id=sent.message_id)
    await app.bot.delete_message(RUNNER, sent.message_id)

    assert events == [("sent", "a"), ("edited", "b"), ("deleted", "b")]


async def test_updates_need_a_bound_bot() -> None:
    with pytest.raises(RuntimeError, match="bind"):
        BotApiStandIn().text_update(RUNNER, "hi")
