"""/remind: set, show or stop the chat's daily review push."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from adapters.chat.services import ChatServices
from adapters.telegram import texts
from adapters.telegram.identity import chat_role, identify
from core import texts as core_texts
from core.errors import QuizbotError
from core.learners import Learner
from core.reminders.model import Subscription
from core.reminders.service import parse_local_time
from core.zones import zone_name

__all__ = ["RemindHandlers", "describe"]

OFF = "off"
# "No daily review is set", with an example as commands are typed here.
_NONE_SET = texts.COMMAND_NAMES.fill(core_texts.REMIND_NONE)


class RemindHandlers:
    """`/remind HH:MM [zone]`, `/remind off` and `/remind` (show the current setting)."""

    def __init__(self, services: ChatServices) -> None:
        self._services = services

    async def remind(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        learner, chat = await identify(self._services.store, update)
        reminders, message = self._services.reminders, update.effective_message
        if chat is None or message is None:
            return
        # In a group the push is the group's; in private it is the learner's own.
        learner_id = None if chat.is_group else learner.id
        args = context.args or []
        if not args:
            await message.reply_text(describe(await reminders.current(chat.id, learner_id)))
            return
        role = await chat_role(context.bot, update)
        try:
            if args[0].lower() == OFF:
                removed = await reminders.unsubscribe(chat.id, learner_id, role=role)
                await message.reply_text(core_texts.REMIND_OFF if removed else _NONE_SET)
                return
            at, zone = parse_local_time(args[0]), zone_name(_zone_text(args[1:], learner))
            subscription = await reminders.subscribe(chat.id, learner_id, at, zone, role=role)
        except QuizbotError as error:
            await message.reply_text(str(error))
            return
        await message.reply_text(describe(subscription))


def describe(subscription: Subscription | None) -> str:
    """The current setting in one sentence."""
    if subscription is None:
        return _NONE_SET
    at = subscription.local_time.strftime("%H:%M")
    return texts.REMIND_AT.format(time=at, zone=subscription.time_zone or "UTC")


def _zone_text(words: list[str], learner: Learner) -> str:
    """The zone as typed (offsets may contain a space), else the learner's saved zone."""
    return " ".join(words) if words else learner.settings.time_zone or "UTC"
