"""Thin Telegram handlers: parse the update, call one core service, render, map errors."""

from __future__ import annotations

import asyncio
import logging

from telegram import CallbackQuery, Update
from telegram.error import RetryAfter, TelegramError
from telegram.ext import ContextTypes

from adapters.card_media import card_media
from adapters.chat.services import ChatServices
from adapters.telegram import texts
from adapters.telegram.identity import identify
from adapters.telegram.outgoing import replace_screen, retry_after_seconds, send_screen
from adapters.telegram.sent_media import SentMedia
from core import texts as core_texts
from core.errors import QuizbotError

__all__ = ["ChatServices", "ReviewHandlers"]

log = logging.getLogger(__name__)


class ReviewHandlers:
    """One method per Telegram update kind the bot understands."""

    def __init__(self, services: ChatServices, sent_media: SentMedia) -> None:
        self._services = services
        self._sent_media = sent_media

    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._reply_plain(update, texts.welcome_text())

    async def help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._reply_plain(update, texts.help_text())

    async def review(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._start_review(update, context)

    async def start_review_press(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The "Start review" button of a daily push: the same as sending /review."""
        if update.callback_query is None:
            return
        await update.callback_query.answer()
        await self._start_review(update, context)

    async def _start_review(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        learner, chat = await identify(self._services.store, update)
        if chat is None or update.effective_chat is None:
            return  # commands always come in a chat; nothing to answer otherwise
        try:
            deck_ids = await self._services.library.active_deck_ids(chat.id)
            screen = await self._services.reviews.start(learner, chat.id, deck_ids)
        except QuizbotError as error:
            await context.bot.send_message(update.effective_chat.id, str(error))
            return
        shown = await card_media(self._services.library, screen)
        memory = self._sent_media
        await send_screen(context.bot, update.effective_chat.id, shown.screen, shown.items, memory)

    async def review_press(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None:
            return
        learner, _ = await identify(self._services.store, update)
        try:
            result = await self._services.reviews.press(learner, query.data or "")
        except QuizbotError as error:
            await query.answer(str(error), show_alert=True)
            return
        await query.answer()
        chat_id = _chat_id_of(query)
        updated = await card_media(self._services.library, result.updated)
        memory = self._sent_media
        await replace_screen(context.bot, query, chat_id, updated.screen, updated.items, memory)
        if result.follow_up is not None:
            follow_up = await card_media(self._services.library, result.follow_up)
            await send_screen(context.bot, chat_id, follow_up.screen, follow_up.items, memory)

    async def unknown_press(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.callback_query is not None:
            await update.callback_query.answer(core_texts.NOT_MY_BUTTON, show_alert=True)

    async def error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log an unexpected exception with what it was handling; tell the user kindly."""
        where = _describe(update)
        log.error("unhandled error while handling %s", where, exc_info=context.error)
        if not isinstance(update, Update):
            return
        query, chat = update.callback_query, update.effective_chat
        if isinstance(context.error, RetryAfter):
            # Still rate-limited after the retries: telling the user sooner would be refused too.
            await asyncio.sleep(retry_after_seconds(context.error))
        try:
            if query is not None:
                try:
                    await query.answer(core_texts.SOMETHING_WENT_WRONG, show_alert=True)
                    return
                except TelegramError:
                    # Usually answered already, before the failure; say it in the chat instead.
                    log.info("callback query of %s was answered before the error", where)
            if chat is not None:
                await context.bot.send_message(chat.id, core_texts.SOMETHING_WENT_WRONG)
        except TelegramError:
            log.warning("could not tell the user about the error in %s", where, exc_info=True)

    async def _reply_plain(self, update: Update, text: str) -> None:
        await identify(self._services.store, update)
        if update.effective_message is not None:
            await update.effective_message.reply_text(text)


def _chat_id_of(query: CallbackQuery) -> int:
    if query.message is None:
        raise ValueError("a review press without its message cannot be answered in place")
    return query.message.chat.id


def _describe(update: object) -> str:
    """Update id, chat and user ids — enough to find it in the logs, nothing secret."""
    if not isinstance(update, Update):
        return repr(type(update).__name__)
    chat = update.effective_chat.id if update.effective_chat else None
    user = update.effective_user.id if update.effective_user else None
    return f"update {update.update_id} (chat {chat}, user {user})"
