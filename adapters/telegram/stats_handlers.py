"""/stats: the learner's figures with how their ratings hold up, the chart, and in a group the
chat's weekly leaderboard."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from adapters.chat.services import ChatServices
from adapters.stats_chart import render_chart_async
from adapters.telegram.identity import identify
from adapters.telegram.outgoing import say, send_all
from adapters.telegram.render import render_screen
from core.errors import QuizbotError
from core.stats.screens import leaderboard_screen, stats_and_calibration_screen

__all__ = ["StatsHandlers"]


class StatsHandlers:
    def __init__(self, services: ChatServices) -> None:
        self._services = services

    async def stats(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        learner, chat = await identify(self._services.store, update)
        service = self._services.stats
        if chat is None or update.effective_chat is None:
            return
        where = update.effective_chat.id
        try:
            deck_ids = await self._services.library.active_deck_ids(chat.id)
            figures = await service.for_learner(learner, deck_ids)
            board = await service.leaderboard(chat.id) if chat.is_group else None
        except QuizbotError as error:
            await say(context.bot, where, str(error))
            return
        # One message: the calibration table (monospace) follows the figures under its heading.
        await send_all(context.bot, where, render_screen(stats_and_calibration_screen(figures)))
        await context.bot.send_photo(where, photo=await render_chart_async(figures))
        if board is not None:
            await send_all(context.bot, where, render_screen(leaderboard_screen(board)))
