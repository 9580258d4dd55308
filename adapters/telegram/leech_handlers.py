"""Leech buttons and the hint the learner sends next: in a private chat their next text message,
in a group a reply to the bot's prompt (ForceReply; privacy mode delivers replies to the bot)."""

from __future__ import annotations

import html

from telegram import ForceReply, Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from adapters.chat.services import ChatServices
from adapters.telegram.identity import CAPABILITIES, identify
from adapters.telegram.outgoing import HTML, send_all
from adapters.telegram.render import render_screen, render_text
from core.errors import QuizbotError
from core.leeches.screens import hint_prompt_screen
from core.leeches.service import HintAsked

__all__ = ["LeechHandlers"]


class LeechHandlers:
    def __init__(self, services: ChatServices) -> None:
        self._services = services

    async def press(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Add a hint, suspend the card, or cancel the hint prompt."""
        query, where = update.callback_query, update.effective_chat
        if query is None or where is None:
            return
        learner, chat = await identify(self._services.store, update)
        chat_id = chat.id if chat is not None else None
        try:
            result = await self._services.leeches.press(
                learner, query.data or "", chat_id, CAPABILITIES
            )
        except QuizbotError as error:
            await query.answer(str(error), show_alert=True)
            return
        await query.answer()
        if isinstance(result, str):
            await context.bot.send_message(where.id, result)
        elif where.type == ChatType.PRIVATE:
            await send_all(context.bot, where.id, render_screen(hint_prompt_screen(result)))
        else:
            await self._ask_in_group(update, context, result)

    async def _ask_in_group(
        self, update: Update, context: ContextTypes.DEFAULT_TYPE, asked: HintAsked
    ) -> None:
        """A prompt the learner answers by replying: ForceReply, selective to the mention."""
        user, where = update.effective_user, update.effective_chat
        assert user is not None and where is not None
        mention = f'<a href="tg://user?id={user.id}">{html.escape(user.first_name)}</a>'
        (text,) = render_text(hint_prompt_screen(asked, with_cancel=False).blocks)
        await context.bot.send_message(
            where.id,
            f"{mention}: {text}",
            parse_mode=HTML,
            reply_markup=ForceReply(selective=True),
        )

    async def private_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A text message in a private chat: the hint, if the bot asked for one."""
        await self._message(update)

    async def group_reply(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A reply in a group: the hint, if it answers the bot's prompt."""
        message = update.effective_message
        replied = message.reply_to_message if message is not None else None
        author = replied.from_user if replied is not None else None
        if author is None or author.id != context.bot.id:
            return
        await self._message(update)

    async def _message(self, update: Update) -> None:
        message = update.effective_message
        if message is None or message.text is None:
            return
        learner, chat = await identify(self._services.store, update)
        if chat is None:
            return
        answer = await self._services.leeches.message(learner, chat.id, message.text)
        if answer is not None:
            await message.reply_text(answer)
