"""/settings through the real Application and the fake Bot API."""

from __future__ import annotations

from core import texts
from core.personal.service import PersonalScheduleService
from tests.conftest import Services
from tests.review_history import log_synthetic_reviews
from tests.telegram.chat_harness import (
    ADA,
    BOB,
    GROUP,
    PRIVATE,
    after,
    buttons,
    learner_of,
    running,
)
from tests.telegram.fake_bot_api import FakeBotApi


async def test_settings_change_by_buttons_and_only_for_their_owner(
    fake_bot_api: FakeBotApi, services: Services
) -> None:
    fake = fake_bot_api
    async with running(fake, services):
        await after(fake, "sendMessage", lambda: fake.push_command(GROUP, ADA, "settings"))
        [menu] = fake.sent_messages(GROUP.id)
        assert "Settings of Ada" in menu["text"]
        choices = dict(buttons(menu))
        # Every member sees a group's messages: no choice of who sees one's reviews.
        assert texts.SETTINGS_EVERYONE not in choices and "Reviews in servers" not in menu["text"]

        refused = await after(
            fake,
            "answerCallbackQuery",
            lambda: fake.press_button(GROUP, BOB, menu["message_id"], choices["SM-2"]),
        )
        assert refused["text"] == "These are someone else's settings. Send /settings for your own."
        assert refused["show_alert"] is True

        edited = await after(
            fake,
            "editMessageText",
            lambda: fake.press_button(GROUP, ADA, menu["message_id"], choices["SM-2"]),
        )
        assert "Scheduler: SM-2" in edited["text"]
        assert "✓ SM-2" in dict(buttons(fake.sent_messages(GROUP.id)[0]))
        zone_page = await after(
            fake,
            "editMessageText",
            lambda: fake.press_button(GROUP, ADA, menu["message_id"], choices["Time zone…"]),
        )
        assert "Send /settings zone Area/City or an offset" in zone_page["text"]
        zones = dict(buttons(fake.sent_messages(GROUP.id)[0]))
        await after(
            fake,
            "editMessageText",
            lambda: fake.press_button(GROUP, ADA, menu["message_id"], zones["Asia/Tokyo"]),
        )
        typed = await after(
            fake, "sendMessage", lambda: fake.push_command(PRIVATE, ADA, "settings", "zone Nowhere")
        )
        assert typed["text"] == texts.BAD_ZONE.format(text="Nowhere")
    ada = await learner_of(services, ADA)
    assert ada.settings.scheduler.kind.value == "sm2"
    assert ada.settings.time_zone == "Asia/Tokyo"
    bob = await learner_of(services, BOB)
    assert bob.settings.scheduler.kind.value == "fsrs"


async def test_a_personal_schedule_is_reset_to_defaults_from_the_menu(
    fake_bot_api: FakeBotApi, services: Services
) -> None:
    fake = fake_bot_api
    ada = await learner_of(services, ADA)
    await log_synthetic_reviews(services.store, ada.id, 500)
    outcome = await PersonalScheduleService(services.store, services.clock).fit_now(ada)
    assert outcome is not None and outcome.row.fitted_on is not None
    fitted = outcome.row
    async with running(fake, services):
        await after(fake, "sendMessage", lambda: fake.push_command(PRIVATE, ADA, "settings"))
        [menu] = fake.sent_messages(PRIVATE.id)
        assert f"FSRS parameters: personal, fitted {fitted.fitted_on.isoformat()}" in menu["text"]
        choices = dict(buttons(menu))
        edited = await after(
            fake,
            "editMessageText",
            lambda: fake.press_button(
                PRIVATE, ADA, menu["message_id"], choices[texts.SETTINGS_DEFAULTS_BUTTON]
            ),
        )
        [answered] = fake.calls_to("answerCallbackQuery")
        assert answered.params["text"] == texts.SETTINGS_DEFAULTS_SET
        assert texts.SETTINGS_PERSONAL_OFF in edited["text"]
        await after(fake, "sendPhoto", lambda: fake.push_command(PRIVATE, ADA, "stats"))
        stats = fake.calls_to("sendMessage")[-1].params["text"]
        assert "Personal schedule: off, on the default parameters" in stats
    assert fake.violations == []
    reset = await learner_of(services, ADA)
    assert reset.settings.scheduler.parameters is None
