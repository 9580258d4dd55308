"""/settings: a learner's scheduler, retention, new cards per day and time zone, by buttons; the
leech threshold typed."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from adapters.chat.services import ChatServices
from adapters.telegram.identity import CAPABILITIES, identify
from adapters.telegram.outgoing import HTML, edit_in_place, say, send_all
from adapters.telegram.render import render_screen
from core.errors import QuizbotError
from core.settings.service import SettingsService

__all__ = ["SettingsHandlers"]

ZONE = "zone"
LEECH = "leech"


class SettingsHandlers:
    """`/settings` shows the menu; `/settings zone Area/City` (or `+05:30`) sets any zone;
    `/settings leech N` the leech threshold."""

    def __init__(self, services: ChatServices, settings: SettingsService) -> None:
        self._services = services
        self._settings = settings

    async def settings(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        learner, _ = await identify(self._services.store, update)
        if update.effective_chat is None:
            return
        where, args = update.effective_chat.id, context.args or []
        if args and args[0].lower() in (ZONE, LEECH):
            typed = " ".join(args[1:])
            try:
                if args[0].lower() == ZONE:
                    said = await self._settings.set_zone(learner, typed)
                else:
                    said = await self._settings.set_leech_threshold(learner, typed, CAPABILITIES)
            except QuizbotError as error:
                said = str(error)
            await say(context.bot, where, said)
            return
        menu = await self._settings.menu(learner, CAPABILITIES)
        await send_all(context.bot, where, render_screen(menu))

    async def press(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None:
            return
        learner, _ = await identify(self._services.store, update)
        try:
            change = await self._settings.press(learner, query.data or "", CAPABILITIES)
        except QuizbotError as error:
            await query.answer(str(error), show_alert=True)
            return
        await query.answer(change.notice)
        [message] = render_screen(change.screen)  # the menu is short: one message
        await edit_in_place(
            query.edit_message_text(
                message.text, parse_mode=HTML, reply_markup=message.reply_markup
            )
        )
