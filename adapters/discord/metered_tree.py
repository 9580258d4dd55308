"""The command tree, counting and timing every slash command and autocomplete it handles: with
`ActionButton.callback` (presses), the seams every Discord interaction passes."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from adapters.discord.identity import PLATFORM
from adapters.observability.metrics import Metrics

__all__ = ["MeteredCommandTree"]


class MeteredCommandTree(app_commands.CommandTree[Any]):
    def __init__(self, client: discord.Client, metrics: Metrics) -> None:
        super().__init__(client)
        self._metrics = metrics

    async def _call(self, interaction: discord.Interaction[Any]) -> None:
        # discord.py's one entry for commands and autocomplete (the tree's own, not public).
        with self._metrics.handling(PLATFORM, interaction.type.name):
            await super()._call(interaction)
