"""Leech buttons on Discord: "Add a hint" opens a modal (the bot reads no messages: no message
content intent), "Suspend card" answers privately. The modal's custom_id is the leech token, so a
submission is handled from the store alone, after a restart too."""

from __future__ import annotations

from typing import Any

import discord

from adapters.chat.services import ChatServices
from adapters.discord.identity import CAPABILITIES, identify
from adapters.discord.replies import answer, refuse, sentence
from core import texts
from core.errors import QuizbotError
from core.leeches.model import MAX_HINT_CHARS

__all__ = ["HINT_INPUT_ID", "LeechHandlers", "submitted_value"]

HINT_INPUT_ID = "hint"


class LeechHandlers:
    def __init__(self, services: ChatServices) -> None:
        self._services = services

    async def press(self, interaction: discord.Interaction, custom_id: str) -> None:
        learner, chat = await identify(self._services.store, interaction)
        try:
            result = await self._services.leeches.press(learner, custom_id, chat.id, CAPABILITIES)
        except QuizbotError as error:
            await refuse(interaction, str(error))
            return
        if isinstance(result, str):
            await refuse(interaction, result)  # only the learner sees what became of their card
            return
        await interaction.response.send_modal(_hint_modal(custom_id, result.current))

    async def submit(self, interaction: discord.Interaction, custom_id: str) -> None:
        """The hint modal's submission: save the hint, or say why not (privately)."""
        learner, _ = await identify(self._services.store, interaction)
        text = submitted_value(interaction.data or {}, HINT_INPUT_ID)
        try:
            saved = await self._services.leeches.hint_for(learner, custom_id, text)
        except QuizbotError as error:
            await refuse(interaction, str(error))
            return
        await answer(interaction, sentence(saved), ephemeral=True)


def _hint_modal(custom_id: str, current: str | None) -> discord.ui.Modal:
    modal = discord.ui.Modal(title=texts.HINT_MODAL_TITLE, custom_id=custom_id)
    modal.add_item(
        discord.ui.TextInput(
            label=texts.HINT_MODAL_LABEL,
            custom_id=HINT_INPUT_ID,
            style=discord.TextStyle.paragraph,
            max_length=MAX_HINT_CHARS,
            default=current,
        )
    )
    # Stopped before it is sent: discord.py keeps no view state; the submission is routed by
    # its custom_id (QuizbotClient.on_interaction).
    modal.stop()
    return modal


def submitted_value(data: Any, custom_id: str) -> str:
    """The value of the text input `custom_id` in a modal submission (rows of type 1, or
    labels of type 18 in Discord's newer layout); "" when absent."""
    stack = list(data.get("components") or [])
    while stack:
        component = stack.pop()
        if component.get("type") == 1:
            stack.extend(component.get("components") or [])
        elif component.get("type") == 18 and component.get("component"):
            stack.append(component["component"])
        elif component.get("custom_id") == custom_id:
            return str(component.get("value") or "")
    return ""
