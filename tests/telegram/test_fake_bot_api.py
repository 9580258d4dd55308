"""The fake Bot API server, driven through the real python-telegram-bot `Bot`."""

from __future__ import annotations

import asyncio
import datetime as dtm

import pytest
from telegram import (
    Bot,
    BotCommand,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    InputMediaPhoto,
    Message,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    RetryAfter,
)
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes
from telegram.warnings import PTBUserWarning

from tests.telegram.fake_bot_api import FakeBotApi, TgChat, TgUser
from tests.telegram.fake_bot_api_photos import png as make_png

ADA = TgUser(501, "Ada", "ada")
CHAT = TgChat(501)
HTML = ParseMode.HTML


def keyboard(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(d, callback_data=d) for d in data]])


async def test_get_me_answers_the_bot_user(bot: Bot, fake_bot_api: FakeBotApi) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (123456789, "quizbot_test_bot", True)
    assert [call.method for call in fake_bot_api.calls] == ["getMe", "getMe"]


async def test_unknown_token_is_unauthorized(fake_bot_api: FakeBotApi) -> None:
    stranger = Bot("42:wrong", base_url=fake_bot_api.base_url)
    try:
        with pytest.raises(InvalidToken, match="rejected by the server"):
            await stranger.initialize()
    finally:
        await stranger.shutdown()
    assert fake_bot_api.calls == []


async def test_send_message_with_valid_html_is_recorded(bot: Bot, fake_bot_api: FakeBotApi) -> None:
    sent = await bot.send_message(CHAT.id, "<b>x &lt; y</b> √σ", parse_mode=HTML)
    assert (sent.message_id, sent.text, sent.chat.id) == (1, "x < y √σ", CHAT.id)
    assert sent.text_html == "<b>x &lt; y</b> √σ"
    call = fake_bot_api.calls_to("sendMessage")[0]
    assert call.params == {"chat_id": 501, "text": "<b>x &lt; y</b> √σ", "parse_mode": "HTML"}
    assert [m["text"] for m in fake_bot_api.sent_messages(CHAT.id)] == ["x < y √σ"]


async def test_unescaped_less_than_cannot_be_parsed(bot: Bot, fake_bot_api: FakeBotApi) -> None:
    fake_bot_api.expect_violation("can't parse entities")
    with pytest.raises(BadRequest, match="Can't parse entities"):
        await bot.send_message(CHAT.id, "a < b", parse_mode=HTML)
    assert fake_bot_api.violations == [
        'sendMessage: Bad Request: can\'t parse entities: unescaped "<" or malformed tag '
        "at byte offset 2"
    ]
    assert fake_bot_api.sent_messages(CHAT.id) == []


@pytest.mark.parametrize("text", ["<b>open", "<b>x</i>", "<div>x</div>", "a & b", "a > b"])
async def test_invalid_html_is_refused(bot: Bot, fake_bot_api: FakeBotApi, text: str) -> None:
    fake_bot_api.expect_violation("can't parse entities")
    with pytest.raises(BadRequest, match="Can't parse entities"):
        await bot.send_message(CHAT.id, text, parse_mode=HTML)
    assert len(fake_bot_api.violations) == 1


async def test_text_limit_counts_visible_characters(bot: Bot, fake_bot_api: FakeBotApi) -> None:
    fake_bot_api.expect_violation("message is too long")
    await bot.send_message(CHAT.id, "<b>" + "x" * 4096 + "</b>", parse_mode=HTML)
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(CHAT.id, "x" * 4097)
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(CHAT.id, "𝑥" * 2049)  # 4098 UTF-16 units
    assert fake_bot_api.violations == ["sendMessage: Bad Request: message is too long"] * 2
    assert len(fake_bot_api.sent_messages(CHAT.id)) == 1


async def test_unknown_parameter_is_a_violation(bot: Bot, fake_bot_api: FakeBotApi) -> None:
    fake_bot_api.expect_violation("unknown parameter")
    with pytest.raises(BadRequest, match='Unknown parameter "bogus"'):
        await bot.send_message(CHAT.id, "hi", api_kwargs={"bogus": 1})
    assert fake_bot_api.violations == ['sendMessage: Bad Request: unknown parameter "bogus"']


async def test_missing_required_parameter_is_a_violation(
    bot: Bot, fake_bot_api: FakeBotApi
) -> None:
    fake_bot_api.expect_violation("is required")
    with pytest.raises(BadRequest, match="text"), pytest.warns(PTBUserWarning):
        await bot.do_api_request("sendMessage", api_kwargs={"chat_id": CHAT.id})
    assert fake_bot_api.violations == ['sendMessage: Bad Request: parameter "text" is required']


async def test_unknown_method_is_not_found(bot: Bot, fake_bot_api: FakeBotApi) -> None:
    fake_bot_api.expect_violation("method not found")
    # PTB turns the 404 of do_api_request into EndPointNotFound.
    with pytest.raises(EndPointNotFound, match="sendTelepathy"):
        await bot.do_api_request("sendTelepathy", api_kwargs={"chat_id": CHAT.id})
    assert fake_bot_api.violations == ["sendTelepathy: Not Found: method not found"]
    assert fake_bot_api.calls_to("sendTelepathy")[0].params == {"chat_id": 501}


async def test_unknown_field_of_a_button_is_a_violation(bot: Bot, fake_bot_api: FakeBotApi) -> None:
    fake_bot_api.expect_violation("unknown field")
    markup = {"inline_keyboard": [[{"text": "1", "callback_date": "x"}]]}
    with pytest.raises(BadRequest, match="callback_date"), pytest.warns(PTBUserWarning):
        await bot.do_api_request(
            "sendMessage", api_kwargs={"chat_id": CHAT.id, "text": "q", "reply_markup": markup}
        )
    assert len(fake_bot_api.violations) == 1


async def test_edit_with_identical_content_is_not_modified(
    bot: Bot, fake_bot_api: FakeBotApi
) -> None:
    sent = await bot.send_message(CHAT.id, "<b>Q</b>", parse_mode=HTML, reply_markup=keyboard("a"))
    edited = await bot.edit_message_text(
        "<b>Q</b> A", CHAT.id, sent.message_id, parse_mode=HTML, reply_markup=keyboard("a")
    )
    assert isinstance(edited, Message)
    assert edited.text == "Q A"
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text(
            "<b>Q</b> A", CHAT.id, sent.message_id, parse_mode=HTML, reply_markup=keyboard("a")
        )
    await bot.edit_message_reply_markup(CHAT.id, sent.message_id, reply_markup=keyboard("b"))
    [message] = fake_bot_api.sent_messages(CHAT.id)
    assert message["text"] == "Q A"
    assert message["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "b"
    assert fake_bot_api.violations == []


async def test_callback_data_over_64_bytes_is_refused(bot: Bot, fake_bot_api: FakeBotApi) -> None:
    fake_bot_api.expect_violation("BUTTON_DATA_INVALID")
    await bot.send_message(CHAT.id, "ok", reply_markup=keyboard("x" * 64))
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(CHAT.id, "q", reply_markup=keyboard("x" * 65))
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(CHAT.id, "q", reply_markup=keyboard("é" * 33))  # 66 bytes
    assert fake_bot_api.violations == ["sendMessage: Bad Request: BUTTON_DATA_INVALID"] * 2


async def test_injected_429_is_retry_after(
    bot: Bot, fake_bot_api: FakeBotApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")  # PTB 22 warns on the int form of retry_after
    fake_bot_api.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(CHAT.id, "hi")
    assert caught.value.retry_after == dtm.timedelta(seconds=1)
    sent = await bot.send_message(CHAT.id + 1, "hi")  # only the next call fails
    assert sent.message_id == 1
    # Asking again sooner than retry_after is refused, as Telegram would, and marked.
    fake_bot_api.expect_violation("before retry_after")
    with pytest.raises(RetryAfter):
        await bot.send_message(CHAT.id, "hi")
    assert [v.split(":")[0] for v in fake_bot_api.violations] == ["sendMessage"]


async def test_injected_403_is_forbidden(bot: Bot, fake_bot_api: FakeBotApi) -> None:
    fake_bot_api.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(CHAT.id, "hi")
    fake_bot_api.block(CHAT.id)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(CHAT.id, "hi")
    assert fake_bot_api.sent_messages(CHAT.id) == []


async def test_get_updates_returns_a_pushed_command_once(
    bot: Bot, fake_bot_api: FakeBotApi
) -> None:
    pushed = fake_bot_api.push_command(CHAT, ADA, "review", "neural-nets")
    [update] = await bot.get_updates(timeout=1)
    assert update.update_id == pushed["update_id"]
    assert update.message.text == "/review neural-nets"
    assert update.message.from_user.id == ADA.id
    assert update.message.parse_entities(["bot_command"]) == {update.message.entities[0]: "/review"}
    assert await bot.get_updates(offset=update.update_id + 1, timeout=0) == ()


async def test_long_poll_waits_for_a_pushed_message(bot: Bot, fake_bot_api: FakeBotApi) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=1))
    await asyncio.sleep(0.05)
    fake_bot_api.push_message(CHAT, ADA, "hello")
    [update] = await asyncio.wait_for(poll, 2)
    assert update.message.text == "hello"


async def test_pressed_button_is_a_callback_query_answered_once(
    bot: Bot, fake_bot_api: FakeBotApi
) -> None:
    sent = await bot.send_message(CHAT.id, "Q", reply_markup=keyboard("r.1.1.show"))
    query_id = fake_bot_api.press_button(CHAT, ADA, sent.message_id, "r.1.1.show")
    [update] = await bot.get_updates(timeout=1)
    query = update.callback_query
    assert isinstance(query, CallbackQuery)
    assert (query.id, query.data, query.from_user.id) == (query_id, "r.1.1.show", ADA.id)
    assert query.message.message_id == sent.message_id
    assert await query.answer() is True
    with pytest.raises(BadRequest, match="Query is too old"):
        await query.answer()
    with pytest.raises(ValueError, match="no button"):
        fake_bot_api.press_button(CHAT, ADA, sent.message_id, "forged")


async def test_pushed_document_downloads_with_the_same_bytes(
    bot: Bot, fake_bot_api: FakeBotApi
) -> None:
    content = "question,answer\n√4,2\n".encode()
    fake_bot_api.push_document(CHAT, ADA, "deck.csv", content, "text/csv")
    [update] = await bot.get_updates(timeout=1)
    document = update.message.document
    assert (document.file_name, document.file_size) == ("deck.csv", len(content))
    file = await bot.get_file(document.file_id)
    assert bytes(await file.download_as_bytearray()) == content
    with pytest.raises(BadRequest, match="Invalid file_id"):
        await bot.get_file("nope")


async def test_send_photo_records_the_uploaded_bytes(bot: Bot, fake_bot_api: FakeBotApi) -> None:
    png = make_png(40, 30)
    sent = await bot.send_photo(CHAT.id, png, caption="<i>streak</i>", parse_mode=HTML)
    assert sent.caption == "streak"
    assert (sent.photo[-1].width, sent.photo[-1].height) == (40, 30)
    assert [upload.content for upload in fake_bot_api.uploads] == [png]
    [call] = fake_bot_api.calls_to("sendPhoto")
    assert call.files["photo"].content == png
    assert await bot.get_file(sent.photo[-1].file_id) is not None


@pytest.mark.parametrize(
    ("photo", "error"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "Image_process_failed"),  # a header only
        (b"not an image at all", "Image_process_failed"),
        (make_png(2100, 100), "Photo_invalid_dimensions"),  # sides more than 20 times apart
    ],
)
async def test_send_photo_refuses_what_telegram_cannot_show(
    bot: Bot, fake_bot_api: FakeBotApi, photo: bytes, error: str
) -> None:
    fake_bot_api.expect_violation(error.upper())
    with pytest.raises(BadRequest, match=error):
        await bot.send_photo(CHAT.id, photo)
    assert fake_bot_api.sent_messages(CHAT.id) == []


async def test_send_photo_refuses_a_caption_over_1024(bot: Bot, fake_bot_api: FakeBotApi) -> None:
    fake_bot_api.expect_violation("caption is too long")
    with pytest.raises(BadRequest, match="caption is too long"):
        await bot.send_photo(CHAT.id, make_png(10, 10), caption="x" * 1025)
    assert fake_bot_api.sent_messages(CHAT.id) == []


async def test_a_photo_has_its_caption_edited_not_its_text(
    bot: Bot, fake_bot_api: FakeBotApi
) -> None:
    sent = await bot.send_photo(CHAT.id, make_png(10, 10), caption="question")
    fake_bot_api.expect_violation("in the message to edit")
    with pytest.raises(BadRequest, match="no text in the message"):
        await bot.edit_message_text("answer", CHAT.id, sent.message_id)
    edited = await bot.edit_message_caption(
        CHAT.id, sent.message_id, caption="<b>answer</b>", parse_mode=HTML
    )
    assert isinstance(edited, Message)
    assert edited.caption == "answer"
    with pytest.raises(BadRequest, match="not modified"):
        await bot.edit_message_caption(
            CHAT.id, sent.message_id, caption="<b>answer</b>", parse_mode=HTML
        )
    text = await bot.send_message(CHAT.id, "text")
    with pytest.raises(BadRequest, match="no caption in the message"):
        await bot.edit_message_caption(CHAT.id, text.message_id, caption="x")


async def test_send_document_and_chat_admins(bot: Bot, fake_bot_api: FakeBotApi) -> None:
    group = -100123
    fake_bot_api.set_admins(group, [ADA])
    sent = await bot.send_document(group, b"a,b\n", filename="export.csv")
    assert sent.document.file_name == "export.csv"
    [admin] = await bot.get_chat_administrators(group)
    assert (admin.status, admin.user.id) == ("administrator", ADA.id)
    member = await bot.get_chat_member(group, 777)
    assert member.status == "left"
    assert await bot.delete_message(group, sent.message_id) is True
    assert fake_bot_api.sent_messages(group) == []


async def test_wait_for_sees_calls_and_commands_round_trip(
    bot: Bot, fake_bot_api: FakeBotApi
) -> None:
    task = asyncio.create_task(bot.set_my_commands([BotCommand("review", "Review")]))
    [call] = await fake_bot_api.wait_for("setMyCommands", timeout=2)
    assert await task is True
    assert call.params["commands"] == [{"command": "review", "description": "Review"}]
    assert [c.command for c in await bot.get_my_commands()] == ["review"]
    with pytest.raises(AssertionError, match="deleteMessage called < 1 times"):
        await fake_bot_api.wait_for("deleteMessage", timeout=0.05)


async def test_a_polling_application_answers_a_command(fake_bot_api: FakeBotApi) -> None:
    async def review(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat is not None
        await context.bot.send_message(update.effective_chat.id, "<b>Q</b>", parse_mode=HTML)

    app = (
        ApplicationBuilder()
        .token(fake_bot_api.token)
        .base_url(fake_bot_api.base_url)
        .base_file_url(fake_bot_api.base_file_url)
        .job_queue(None)
        .build()
    )
    app.add_handler(CommandHandler("review", review))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=dtm.timedelta(seconds=1))
        fake_bot_api.push_command(CHAT, ADA, "review")
        [call] = await fake_bot_api.wait_for("sendMessage")
        await app.updater.stop()
        await app.stop()
    assert call.params["text"] == "<b>Q</b>"
    assert [m["text"] for m in fake_bot_api.sent_messages(CHAT.id)] == ["Q"]
    assert fake_bot_api.calls_to("deleteWebhook")


async def test_a_newer_get_updates_ends_the_older_with_409(
    bot: Bot, fake_bot_api: FakeBotApi
) -> None:
    older = asyncio.create_task(bot.get_updates(timeout=5))
    while not fake_bot_api.state.polled:
        await asyncio.sleep(0.01)
    # A second process polling the same token (one Bot polls one request at a time).
    async with Bot(fake_bot_api.token, base_url=fake_bot_api.base_url) as other:
        newer = asyncio.create_task(other.get_updates(timeout=5))
        with pytest.raises(Conflict, match="terminated by other getUpdates request"):
            await older
        fake_bot_api.push_message(CHAT, ADA, "hello")
        [update] = await newer
    assert update.message is not None and update.message.text == "hello"


@pytest.mark.parametrize(
    ("url", "extra", "refusal"),
    [
        ("http://bot.example.org/hook", {}, "An HTTPS URL must be provided"),
        ("https://bot.example.org:8080/hook", {}, "only on ports 80, 88, 443 or 8443"),
        ("https://bot.example.org/hook", {"secret_token": "has spaces"}, "secret token"),
        ("https://bot.example.org/hook", {"allowed_updates": ["messages"]}, "'messages'"),
        ("https://bot.example.org/hook", {"max_connections": 101}, "max_connections"),
    ],
)
async def test_set_webhook_is_checked_as_telegram_does(
    fake_bot_api: FakeBotApi, bot: Bot, url: str, extra: dict[str, object], refusal: str
) -> None:
    fake_bot_api.expect_violation(refusal)
    with pytest.raises(BadRequest):
        await bot.set_webhook(url, **extra)  # type: ignore[arg-type]
    assert fake_bot_api.state.webhook is None


async def test_get_updates_conflicts_while_a_webhook_is_set(
    fake_bot_api: FakeBotApi, bot: Bot
) -> None:
    assert await bot.set_webhook(
        "https://bot.example.org/hook", secret_token="s3cret", allowed_updates=["message"]
    )
    fake_bot_api.push_message(CHAT, ADA, "hello")
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()
    assert await bot.delete_webhook()
    [update] = await bot.get_updates()
    assert update.message is not None and update.message.text == "hello"


async def test_send_media_group_takes_two_to_ten_items_and_reuses_file_ids(
    bot: Bot, fake_bot_api: FakeBotApi
) -> None:
    first = await bot.send_photo(CHAT.id, make_png(10, 10))
    album = [InputMediaPhoto(first.photo[-1].file_id), InputMediaPhoto(make_png(20, 20))]
    sent = await bot.send_media_group(CHAT.id, album)
    assert len(sent) == 2 and sent[0].media_group_id == sent[1].media_group_id
    assert sent[0].photo[-1].file_id == first.photo[-1].file_id  # reused, not uploaded again
    assert len(fake_bot_api.state.uploads) == 2
    fake_bot_api.expect_violation("wrong number of media")
    with pytest.raises(BadRequest, match="Wrong number of media"):
        await bot.send_media_group(CHAT.id, [InputMediaPhoto(make_png(10, 10))] * 11)


async def test_send_media_group_refuses_a_long_caption_and_sends_nothing(
    bot: Bot, fake_bot_api: FakeBotApi
) -> None:
    album = [InputMediaPhoto(make_png(10, 10)), InputMediaPhoto(make_png(10, 10), "x" * 1025)]
    fake_bot_api.expect_violation("caption is too long")
    with pytest.raises(BadRequest, match="caption is too long"):
        await bot.send_media_group(CHAT.id, album)
    assert fake_bot_api.sent_messages(CHAT.id) == []


async def test_send_audio_and_voice_keep_a_file_id(bot: Bot, fake_bot_api: FakeBotApi) -> None:
    audio = await bot.send_audio(CHAT.id, InputFile(b"ID3 sound", filename="hola.mp3"))
    assert audio.audio is not None and audio.audio.file_name == "hola.mp3"
    again = await bot.send_audio(CHAT.id, audio.audio.file_id)
    assert again.audio is not None and again.audio.file_id == audio.audio.file_id
    voice = await bot.send_voice(CHAT.id, b"OggS voice")
    assert voice.voice is not None and len(fake_bot_api.state.uploads) == 2


async def test_an_album_counts_against_a_groups_limit_as_its_pictures(
    bot: Bot, fake_bot_api: FakeBotApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Telegram counts an album as its items: two albums of ten fill a group's 20 a minute.
    monkeypatch.setenv("PTB_TIMEDELTA", "true")  # PTB 22 warns on the int form of retry_after
    flood = fake_bot_api.enforce_flood_limits()
    group = TgChat(-100777, "supergroup")
    album = [InputMediaPhoto(make_png(10, 10)) for _ in range(10)]
    await bot.send_media_group(group.id, album)
    await bot.send_media_group(group.id, album)
    with pytest.raises(RetryAfter):
        await bot.send_message(group.id, "one more")
    assert flood.accepted == 20 and len(flood.refusals) == 1
