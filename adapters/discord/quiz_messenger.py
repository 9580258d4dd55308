"""How a group quiz shows on Discord: embeds in the channel, edited in place.

Plain channel messages, so they stay editable after the 15 minutes an interaction token lives;
a press on the card message is answered by editing it through the interaction. A card's pictures,
sounds and drawn formulas are attached to its question (what Discord's limits leave out is named
in the text); a reveal that brings files the question did not have (the answer's own, a picture a
cloze hid) attaches the answer's files in their place, keeping those the message already has.
"""

from __future__ import annotations

from typing import Any

import discord

from adapters.chat.quiz_media import quiz_card_media, revealed_media
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

    async def send(self, where: str, screen: Screen) -> str:
        # The card's files go on its first message; edits without `attachments` keep them.
        shown = await quiz_card_media(self._library, screen)
        attached = media_attachments(shown.items)  # what does not fit is named in the text
        files = attached.files()
        sent = []
        for number, message in enumerate(render_embed_messages(attached.noted(shown.screen))):
            extra = {"files": files} if number == 0 and files else {}
            sent.append(await self._channel(where).send(**embed_message(message), **extra))
        return str(sent[-1].id)

    async def edit(
        self,
        where: str,
        handle: str,
        screen: Screen,
        pressed: discord.Interaction | None,
        replaces: Screen | None = None,
    ) -> str | None:
        shown, added = await revealed_media(self._library, screen, replaces)
        # Without `attachments` an edit keeps the question's files. With new ones the list is
        # the answer's: what the message has already stays, only the rest goes up.
        current = await self._attachments(where, handle, pressed) if added else []
        attached = media_attachments(shown.items, current)
        extra: dict[str, Any] = {"attachments": attached.attachments()} if added else {}
        first, *rest = render_embed_messages(attached.noted(shown.screen))
        if pressed is not None and not pressed.response.is_done():
            await pressed.response.edit_message(**embed_message(first), **extra)
        else:
            await self._message(where, handle).edit(**embed_message(first), **extra)
        last = None
        for part in rest:  # a long answer: the buttons move to the new last message
            last = await self._channel(where).send(**embed_message(part))
        return None if last is None else str(last.id)

    async def _attachments(
        self, where: str, handle: str, pressed: discord.Interaction | None
    ) -> list[discord.Attachment]:
        """What the card message has attached: on the pressed message, else (a deadline's
        reveal) fetched, one read rather than uploading the question's files again."""
        if pressed is not None and pressed.message is not None:
            return list(pressed.message.attachments)
        try:
            return list((await self._message(where, handle).fetch()).attachments)
        except discord.NotFound:
            return []  # gone: the edit that follows says so

    async def refresh(self, where: str, handle: str, screen: Screen) -> None:
        """Refresh the count on the card's last message (the one with the buttons): a long
        answer's earlier messages are unchanged and nothing is posted again."""
        shown = await quiz_card_media(self._library, screen)
        last = render_embed_messages(media_attachments(shown.items).noted(shown.screen))[-1]
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
