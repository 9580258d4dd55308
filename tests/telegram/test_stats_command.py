"""/stats through the real Application and the fake Bot API: text, PNG chart, leaderboard."""

from __future__ import annotations

from adapters.telegram.render import render_screen
from core.stats.screens import leaderboard_screen, stats_and_calibration_screen
from core.stats.service import StatsService
from tests.conftest import Services
from tests.stats_history import ADVICE, TABLE_ROW_FOUR, log_overrated_fours
from tests.telegram.chat_harness import (
    ADA,
    GROUP,
    PRIVATE,
    after,
    buttons,
    core_chat_id,
    learner_of,
    running,
)
from tests.telegram.fake_bot_api import FakeBotApi

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


async def test_stats_in_private_sends_the_figures_and_the_chart(
    fake_bot_api: FakeBotApi, services: Services
) -> None:
    fake = fake_bot_api
    async with running(fake, services):
        await after(fake, "sendPhoto", lambda: fake.push_command(PRIVATE, ADA, "stats"))
    chat_id = await core_chat_id(services, PRIVATE)
    figures = await StatsService(services.store, services.clock).for_learner(
        await learner_of(services, ADA), await services.library.active_deck_ids(chat_id)
    )
    [text] = fake.calls_to("sendMessage")
    assert [text.params["text"]] == [
        m.text for m in render_screen(stats_and_calibration_screen(figures))
    ]
    assert text.params["parse_mode"] == "HTML"
    [chart] = fake.uploads
    assert chart.content.startswith(PNG_SIGNATURE)
    assert fake.violations == []


async def test_stats_in_a_group_adds_the_weekly_leaderboard(
    fake_bot_api: FakeBotApi, services: Services
) -> None:
    fake = fake_bot_api
    async with running(fake, services):
        # One rated card in the group, through the bot, so the leaderboard has Ada on it.
        await after(fake, "sendMessage", lambda: fake.push_command(GROUP, ADA, "review"))
        question = fake.sent_messages(GROUP.id)[-1]
        [(_, show)] = buttons(question)
        mid = question["message_id"]
        await after(fake, "editMessageText", lambda: fake.press_button(GROUP, ADA, mid, show))
        shown = fake.sent_messages(GROUP.id)[-1]
        rate = dict(buttons(shown))["4"]
        await after(
            fake, "sendMessage", lambda: fake.press_button(GROUP, ADA, shown["message_id"], rate)
        )
        services.clock.advance(minutes=1)  # the leaderboard's window ends before "now"
        sent = len(fake.calls_to("sendMessage"))
        fake.push_command(GROUP, ADA, "stats")
        await fake.wait_for("sendMessage", count=sent + 2)
    board = await StatsService(services.store, services.clock).leaderboard(
        await core_chat_id(services, GROUP), 7
    )
    assert [entry.display_name for entry in board.entries] == ["Ada"]
    *_, figures, leaders = fake.calls_to("sendMessage")
    assert figures.params["text"].startswith("<b>Your stats</b>")
    assert [leaders.params["text"]] == [m.text for m in render_screen(leaderboard_screen(board))]
    assert len(fake.calls_to("sendPhoto")) == 1
    assert fake.uploads[0].content.startswith(PNG_SIGNATURE)
    assert fake.violations == []


async def test_stats_show_how_the_ratings_hold_up_and_the_advice(
    fake_bot_api: FakeBotApi, services: Services
) -> None:
    fake = fake_bot_api
    ada = await learner_of(services, ADA)
    await log_overrated_fours(services.store, ada.id, services.clock.now())
    async with running(fake, services):
        await after(fake, "sendPhoto", lambda: fake.push_command(PRIVATE, ADA, "stats"))
    [text] = fake.calls_to("sendMessage")
    html = text.params["text"]
    assert html.startswith("<b>Your stats</b>")
    assert (
        "\n\n<b>How your ratings hold up</b>\n\n<code>Rated  Reviews  Recalled  Predicted\n" in html
    )
    assert f"\n{TABLE_ROW_FOUR}\n" in html
    assert html.endswith(f"\n\n{ADVICE}")
    assert fake.violations == []
