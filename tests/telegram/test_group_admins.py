"""Who may manage a group: admins, anonymous admins (posting as the group), nobody else; and the
outbound rate limiter setting."""

from __future__ import annotations

from telegram.ext import AIORateLimiter

from adapters.telegram.app import build_bot
from core import texts
from tests.chat_services import chat_services
from tests.conftest import Services
from tests.telegram.chat_harness import ADA, BOB, GROUP, after, buttons, running
from tests.telegram.fake_bot_api import FakeBotApi, TgChat, TgUser

ANONYMOUS = TgUser(1087968824, "Group", "GroupAnonymousBot", is_bot=True)
CHANNEL = TgChat(-1009999, "channel", "Linked channel")
REFUSED = "Only the group's admins can set the daily review here."


def command_as(fake: FakeBotApi, sender_chat: TgChat, text: str) -> None:
    """A command posted on behalf of a chat (an anonymous admin, or a linked channel)."""
    head = text.split()[0]
    entity = {"type": "bot_command", "offset": 0, "length": len(head)}
    message = fake.state.user_message(
        GROUP, ANONYMOUS, text=text, entities=[entity], sender_chat=sender_chat.to_dict()
    )
    fake.state.add_update("message", message)


async def test_an_anonymous_admin_manages_the_group_and_a_channel_does_not(
    fake_bot_api: FakeBotApi, services: Services
) -> None:
    fake = fake_bot_api
    fake.set_admins(GROUP.id, [ADA])
    async with running(fake, services):
        said = await after(fake, "sendMessage", lambda: command_as(fake, GROUP, "/remind 08:00"))
        assert said["text"] == "Daily review at 08:00 UTC."
        said = await after(fake, "sendMessage", lambda: command_as(fake, CHANNEL, "/remind off"))
        assert said["text"] == REFUSED
        said = await after(
            fake, "sendMessage", lambda: fake.push_command(GROUP, BOB, "remind", "off")
        )
        assert said["text"] == REFUSED


async def test_pressing_the_current_setting_again_is_quietly_harmless(
    fake_bot_api: FakeBotApi, services: Services
) -> None:
    fake = fake_bot_api
    async with running(fake, services):
        await after(fake, "sendMessage", lambda: fake.push_command(GROUP, ADA, "settings"))
        [menu] = fake.sent_messages(GROUP.id)
        fsrs = dict(buttons(menu))["✓ FSRS"]
        fake.expect_violation("message is not modified")
        answered = await after(
            fake,
            "answerCallbackQuery",
            lambda: fake.press_button(GROUP, ADA, menu["message_id"], fsrs),
        )
        assert answered.get("text") == texts.SETTINGS_SAVED
        await fake.wait_for("editMessageText")
    # Telegram refused the identical edit; the bot said nothing more about it.
    assert [m["text"] for m in fake.sent_messages(GROUP.id)][1:] == []
    assert all(c.params.get("text") != texts.SOMETHING_WENT_WRONG for c in fake.calls)


def test_the_rate_limit_setting_throttles_or_only_retries(services: Services) -> None:
    core = chat_services(services)
    limited = build_bot("1:x", core, rate_limit=30).application.bot.rate_limiter
    unlimited = build_bot("1:x", core, rate_limit=0).application.bot.rate_limiter
    # A limiter either way: it is what retries a 429 (tests/telegram/test_rate_limits.py).
    assert isinstance(limited, AIORateLimiter) and isinstance(unlimited, AIORateLimiter)
    assert limited._base_limiter is not None and unlimited._base_limiter is None
