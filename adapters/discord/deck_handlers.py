"""/decks, /deck use NAME (with autocomplete) and /deck import FILE over `DeckLibrary`.

Who may change or import a channel's deck is the core's rule (`core.permissions`).
"""

from __future__ import annotations

from pathlib import PurePosixPath

import discord
from discord import app_commands

from adapters.chat.services import ChatServices
from adapters.discord import texts
from adapters.discord.identity import chat_role, identify, in_guild
from adapters.discord.render import OutgoingMessage, escape, pack_lines, render_screen
from adapters.discord.replies import answer, refuse, replace, sentence
from core import texts as core_texts
from core.decks.history_offers import history_offer_screen
from core.decks.importer import DECK_FILE_EXTENSIONS
from core.errors import QuizbotError
from core.permissions import ChatAction, refusal
from core.ports import DeckInfo
from core.screens import Block, Screen, Style

__all__ = ["MAX_CHOICES", "DeckHandlers"]

MAX_CHOICES = 25  # Discord shows at most 25 autocomplete choices
DECK_FILES = tuple(f".{extension}" for extension in DECK_FILE_EXTENSIONS)


class DeckHandlers:
    def __init__(self, services: ChatServices) -> None:
        self._services = services

    async def decks(self, interaction: discord.Interaction) -> None:
        _, chat = await identify(self._services.store, interaction)
        decks = await self._services.library.visible(chat.id)
        await answer(
            interaction,
            _deck_list(decks, chat.active_deck_id),
            ephemeral=in_guild(interaction),
        )

    async def use(self, interaction: discord.Interaction, name: str) -> None:
        _, chat = await identify(self._services.store, interaction)
        try:
            deck = await self._services.library.find(name, chat.id)
            await self._services.library.set_active(chat.id, deck.id, role=chat_role(interaction))
        except QuizbotError as error:
            await refuse(interaction, str(error))
            return
        chosen = texts.COMMAND_NAMES.fill(core_texts.DECK_CHOSEN, name=deck.name)
        await answer(interaction, sentence(chosen), ephemeral=False)

    async def deck_names(
        self, interaction: discord.Interaction, typed: str
    ) -> list[app_commands.Choice[str]]:
        """Decks whose name contains what was typed; the value is the deck id (≤ 64 chars)."""
        _, chat = await identify(self._services.store, interaction)
        wanted = typed.strip().casefold()
        decks = await self._services.library.visible(chat.id)
        found = [deck for deck in decks if wanted in deck.name.casefold()]
        return [
            app_commands.Choice(name=deck.name[:100], value=deck.id) for deck in found[:MAX_CHOICES]
        ]

    async def import_file(
        self, interaction: discord.Interaction, file: discord.Attachment, name: str | None
    ) -> None:
        learner, chat = await identify(self._services.store, interaction)
        role = chat_role(interaction)
        if (refused := refusal(role, ChatAction.IMPORT_DECK)) is not None:
            await refuse(interaction, refused)  # before downloading
            return
        if not file.filename.lower().endswith(DECK_FILES):
            await refuse(interaction, texts.WRONG_FILE_KIND)
            return
        limit = self._services.library.importer.max_bytes_for(file.filename)
        if file.size > limit:  # refused before downloading
            await refuse(interaction, core_texts.file_too_big(file.size, limit))
            return
        await interaction.response.defer(thinking=True)
        data = await file.read()
        deck_name = name or PurePosixPath(file.filename).stem
        try:
            summary = await self._services.library.import_deck(
                data, deck_name, chat.id, file.filename, role=role, offer_history_to=learner
            )
        except QuizbotError as error:
            await refuse(interaction, str(error))
            return
        done = core_texts.IMPORTED.format(
            cards=core_texts.plural(summary.deck.card_count, "card"), name=summary.deck.name
        )
        blocks = [Block(done), *(Block(w, Style.MUTED) for w in summary.warnings)]
        await answer(interaction, render_screen(Screen(tuple(blocks))), ephemeral=False)
        if summary.history_offer is not None:  # the uploader's alone: only they see it
            offer = history_offer_screen(summary.history_offer)
            await answer(interaction, render_screen(offer), ephemeral=True)

    async def history_press(self, interaction: discord.Interaction, custom_id: str) -> None:
        """ "Add your Anki review history?": for the uploader only (the core checks)."""
        learner, _ = await identify(self._services.store, interaction)
        try:
            counts = await self._services.library.add_offered_history(learner, custom_id)
        except QuizbotError as error:
            await refuse(interaction, str(error))
            return
        await replace(interaction, sentence(core_texts.history_text(counts)), ephemeral=True)


def _deck_list(decks: list[DeckInfo], active_id: str | None) -> list[OutgoingMessage]:
    if not decks:
        return render_screen(Screen((Block(core_texts.NO_DECKS, Style.MUTED),)))
    lines = [
        texts.DECK_LINE.format(
            mark=core_texts.DECK_ACTIVE_MARK if deck.id == active_id else "",
            name=escape(deck.name),
            cards=core_texts.plural(deck.card_count, "card"),
        )
        for deck in decks
    ]
    heading, hint = f"**{texts.DECKS_HEADING}**", texts.DECKS_HINT
    return [OutgoingMessage(part) for part in pack_lines([heading, *lines, "", hint])]
