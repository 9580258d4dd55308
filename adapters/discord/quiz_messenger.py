"""How a group quiz shows on Discord: embeds in the channel, edited in place.

Plain channel messages, so they stay editable after the 15 minutes an interaction token lives;
a press on the card message is answered by editing it through the interaction.
"""

from __future__ import annotations

import discord

from adapters.card_media import CardMedia, card_media
from adapters.discord.identity import PLATFORM
from adapters.discord.render import render_embed_messages
from adapters.discord.replies import embed_message, media_attachments
from core.library import DeckLibrary
from core.screens import Screen

__all__ = ["DiscordQuizMessenger"]


class DiscordQuizMessenger:
    platform = PLATFORM

    def __init__(self, client: discord.Client, library: DeckLibrary | None = None) -> None:
        self._client = client
        self._library = library

    async def _with_media(self, screen: Screen) -> CardMedia:
        if self._library is None:
            return CardMedia(screen, ())
        return await card_media(self._library, screen)

    async def send(self, where: str, screen: Screen) -> str:
        # The card's files go on its first message; edits without `attachments` keep them.
        shown = await self._with_media(screen)
        attached = media_attachments(shown.items)  # what does not fit is named in the text
        files = attached.files()
        sent = []
        for number, message in enumerate(render_embed_messages(attached.noted(shown.screen))):
            extra = {"files": files} if number == 0 and files else {}
            sent.append(await self._channel(where).send(**embed_message(message), **extra))
        return str(sent[-1].id)

    async def edit(
        self, where: str, handle: str, screen: Screen, pressed: discord.Interaction | None
    ) -> str | None:
        screen = (await self._with_media(screen)).screen  # its files are on the card already
        first, *rest = render_embed_messages(screen)
        if pressed is not None and not pressed.response.is_done():
            await pressed.response.edit_message(**embed_message(first))
        else:
            await self._message(where, handle).edit(**embed_message(first))
        last = None
        for part in rest:  # a long answer: the buttons move to the new last message
            last = await self._channel(where).send(**embed_message(part))
        return None if last is None else str(last.id)

    async def refresh(self, where: str, handle: str, screen: Screen) -> None:
        """Refresh the count on the card's last message (the one with the buttons): a long
        answer's earlier messages are unchanged and nothing is posted again."""
        last = render_embed_messages((await self._with_media(screen)).screen)[-1]
        await self._message(where, handle).edit(**embed_message(last))

    async def clear_buttons(
        self, where: str, handle: str, pressed: discord.Interaction | None
    ) -> None:
        if pressed is not None and not pressed.response.is_done():
            await pressed.response.edit_message(view=None)
        else:
            await self._message(where, handle).edit(view=None)

    async def tell(self, pressed: discord.Interaction, text: str) -> None:
        await pressed.response.send_message(text, ephemeral=True)

    def _channel(self, where: str) -> discord.PartialMessageable:
        return self._client.get_partial_messageable(int(where))

    def _message(self, where: str, handle: str) -> discord.PartialMessage:
        return self._channel(where).get_partial_message(int(handle))
