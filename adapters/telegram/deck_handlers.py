"""Choosing a chat's deck (/decks, /deck NAME, deck buttons) and importing deck files."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePosixPath

from telegram import Update
from telegram.ext import ContextTypes, filters

from adapters.chat.services import ChatServices
from adapters.telegram import texts
from adapters.telegram.identity import chat_role, identify
from adapters.telegram.outgoing import HTML, say, send_all
from adapters.telegram.render import render_screen
from core import texts as core_texts
from core.actions import deck_token
from core.decks.history_offers import history_offer_screen
from core.decks.importer import DECK_FILE_EXTENSIONS
from core.errors import QuizbotError
from core.permissions import ChatAction, refusal
from core.ports import DeckInfo
from core.screens import Block, Button, Screen, Style

__all__ = ["DECK_FILES", "DeckHandlers", "deck_picker"]

# Documents offered to the importer, which detects the format from the content.
DECK_FILES: filters.BaseFilter = filters.Document.FileExtension(DECK_FILE_EXTENSIONS[0])
for _extension in DECK_FILE_EXTENSIONS[1:]:
    DECK_FILES |= filters.Document.FileExtension(_extension)  # case-insensitive


def deck_picker(decks: Sequence[DeckInfo], active_id: str | None, note: str = "") -> Screen:
    """The decks as one button each, the active one ticked; `note` follows the heading."""
    if not decks:
        return Screen((Block(core_texts.NO_DECKS, Style.MUTED),))
    blocks = [Block(texts.DECKS_HEADING, Style.BOLD)] + ([Block(note)] if note else [])
    buttons = tuple((Button(_label(deck, active_id), deck_token(deck.id)),) for deck in decks)
    return Screen(tuple(blocks), buttons)


def _label(deck: DeckInfo, active_id: str | None) -> str:
    return (core_texts.DECK_ACTIVE_MARK if deck.id == active_id else "") + deck.name


class DeckHandlers:
    """Thin handlers over `DeckLibrary`; changing decks in a group is for its admins."""

    def __init__(self, services: ChatServices) -> None:
        self._services = services

    async def decks(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        _, chat = await identify(self._services.store, update)
        if chat is None or update.effective_chat is None:
            return
        decks = await self._services.library.visible(chat.id)
        screen = deck_picker(decks, chat.active_deck_id)
        await send_all(context.bot, update.effective_chat.id, render_screen(screen))

    async def deck(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        _, chat = await identify(self._services.store, update)
        if chat is None or update.effective_chat is None:
            return
        where, name = update.effective_chat.id, " ".join(context.args or ())
        if not name:
            await say(context.bot, where, texts.DECK_USAGE)
            return
        role = await chat_role(context.bot, update)
        try:
            deck = await self._services.library.find(name, chat.id)
            await self._services.library.set_active(chat.id, deck.id, role=role)
        except QuizbotError as error:
            await say(context.bot, where, str(error))
            return
        await say(
            context.bot, where, texts.COMMAND_NAMES.fill(core_texts.DECK_CHOSEN, name=deck.name)
        )

    async def deck_press(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        _, chat = await identify(self._services.store, update)
        if query is None or chat is None:
            return
        decks = await self._services.library.visible(chat.id)
        chosen = next((deck for deck in decks if deck_token(deck.id) == query.data), None)
        if chosen is None:
            await query.answer(texts.DECK_NOT_HERE, show_alert=True)
            return
        try:
            role = await chat_role(context.bot, update)
            await self._services.library.set_active(chat.id, chosen.id, role=role)
        except QuizbotError as error:
            await query.answer(str(error), show_alert=True)
            return
        await query.answer()
        if chosen.id == chat.active_deck_id:
            return  # already shown as chosen; an identical edit is refused by Telegram
        note = texts.COMMAND_NAMES.fill(core_texts.DECK_CHOSEN, name=chosen.name)
        [message] = render_screen(deck_picker(decks, chosen.id, note))
        await query.edit_message_text(
            message.text, parse_mode=HTML, reply_markup=message.reply_markup
        )

    async def import_document(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        learner, chat = await identify(self._services.store, update)
        message = update.effective_message
        if chat is None or message is None or message.document is None:
            return
        document, where = message.document, message.chat_id
        role = await chat_role(context.bot, update)
        if (refused := refusal(role, ChatAction.IMPORT_DECK)) is not None:
            await say(context.bot, where, refused)  # before downloading
            return
        file_name = document.file_name or ""
        limit = self._services.library.importer.max_bytes_for(file_name)
        if (document.file_size or 0) > limit:  # refuse before downloading
            await say(context.bot, where, core_texts.file_too_big(document.file_size or 0, limit))
            return
        data = bytes(await (await document.get_file()).download_as_bytearray())
        name = PurePosixPath(file_name).stem
        try:
            summary = await self._services.library.import_deck(
                data, name, chat.id, file_name, role=role, offer_history_to=learner
            )
        except QuizbotError as error:
            await say(context.bot, where, str(error))
            return
        done = core_texts.IMPORTED.format(
            cards=core_texts.plural(summary.deck.card_count, "card"), name=summary.deck.name
        )
        await say(context.bot, where, done, muted=summary.warnings)
        if summary.history_offer is not None:
            offer = history_offer_screen(summary.history_offer)
            await send_all(context.bot, where, render_screen(offer))

    async def history_press(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """ "Add your Anki review history?": for the uploader only (the core checks)."""
        query = update.callback_query
        if query is None:
            return
        learner, _ = await identify(self._services.store, update)
        try:
            counts = await self._services.library.add_offered_history(learner, query.data or "")
        except QuizbotError as error:
            await query.answer(str(error), show_alert=True)
            return
        await query.answer()
        [message] = render_screen(Screen((Block(core_texts.history_text(counts)),)))
        await query.edit_message_text(message.text, parse_mode=HTML)

    async def import_hint(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.effective_chat is not None:
            await say(context.bot, update.effective_chat.id, texts.IMPORT_HINT)
