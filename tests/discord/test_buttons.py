"""Every button press is acknowledged exactly once, whatever its handler does."""

from __future__ import annotations

import discord

from adapters.discord.replies import ButtonRows
from core.actions import Route, deck_token
from core.screens import Button
from tests.conftest import Services
from tests.discord.fake_discord import FakeDiscord
from tests.discord.harness import ADA, GENERAL, running


async def test_a_press_its_handler_leaves_unanswered_is_still_acknowledged(
    fake_discord: FakeDiscord, services: Services
) -> None:
    async with running(fake_discord, services) as client:

        async def answers_nothing(interaction: discord.Interaction, custom_id: str) -> None:
            return None

        client.press_routes.add(Route.DECK, answers_nothing)  # a route Discord leaves free
        channel = client.get_partial_messageable(GENERAL.id)
        token = deck_token("silent")
        sent = await channel.send("Try me", view=ButtonRows([[Button("Go", token)]]))
        press = await fake_discord.press(ADA, sent.id, token)
        await fake_discord.wait_until(lambda: bool(press.acks))
    assert press.acks == [6]  # a deferred update: nothing shown, nothing failed
