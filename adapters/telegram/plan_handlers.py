"""/plan DECK YYYY-MM-DD [target%]: an exam plan for a deck; /plan off ends it; /plan shows it."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from adapters.chat.services import ChatServices
from adapters.telegram import texts
from adapters.telegram.identity import identify
from adapters.telegram.outgoing import say, send_all
from adapters.telegram.render import render_screen
from core import texts as core_texts
from core.errors import InvalidInput, QuizbotError
from core.planning.service import OFF, parse_exam_day, parse_target

__all__ = ["PlanHandlers", "split_plan_args"]


class PlanHandlers:
    def __init__(self, services: ChatServices) -> None:
        self._services = services

    async def plan(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        learner, chat = await identify(self._services.store, update)
        plans, where = self._services.plans, update.effective_chat
        if chat is None or where is None:
            return
        args = context.args or []
        try:
            if not args:
                screen = await plans.current(learner, chat.id, texts.COMMAND_NAMES)
            elif [a.lower() for a in args] == [OFF]:
                await say(context.bot, where.id, await plans.end(learner))
                return
            else:
                deck, day, target = split_plan_args(args)
                exam_day, goal = parse_exam_day(day), parse_target(target)
                screen = await plans.make(
                    learner, deck, chat.id, exam_day, goal, texts.COMMAND_NAMES
                )
        except QuizbotError as error:
            await say(context.bot, where.id, str(error))
            return
        await send_all(context.bot, where.id, render_screen(screen))


def split_plan_args(args: list[str]) -> tuple[str, str, str | None]:
    """(deck name, date, target) from `DECK… DATE [TARGET]`; a deck name may have spaces."""
    if len(args) >= 3 and not _looks_like_date(args[-1]) and _looks_like_date(args[-2]):
        return " ".join(args[:-2]), args[-2], args[-1]
    if len(args) >= 2:
        return " ".join(args[:-1]), args[-1], None
    raise InvalidInput(texts.COMMAND_NAMES.fill(core_texts.PLAN_USAGE))


def _looks_like_date(word: str) -> bool:
    return word.count("-") == 2
