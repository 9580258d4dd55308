"""Who is acting and where: Telegram users and chats as core learners and chats."""

from __future__ import annotations

from telegram import Bot, ChatMember, Update

from adapters.telegram.texts import COMMAND_NAMES
from core.capabilities import PlatformCapabilities
from core.learners import Chat, Learner
from core.ports import Store

__all__ = ["CAPABILITIES", "PLATFORM", "identify", "may_manage"]

PLATFORM = "telegram"
# Every member of a group sees every message the bot sends there.
CAPABILITIES = PlatformCapabilities(private_replies=False, commands=COMMAND_NAMES)
_GROUP_TYPES = frozenset({"group", "supergroup"})
_MANAGERS = frozenset({ChatMember.ADMINISTRATOR, ChatMember.OWNER})


async def identify(store: Store, update: Update) -> tuple[Learner, Chat | None]:
    """Find or create the learner behind the update and, when there is one, its chat."""
    user, chat = update.effective_user, update.effective_chat
    if user is None:
        raise ValueError("an update without a user cannot be attributed to a learner")
    async with store.unit_of_work() as uow:
        learner = await uow.learners.ensure(PLATFORM, str(user.id), user.full_name)
        if chat is None:
            return learner, None
        title = chat.title or user.full_name
        known = await uow.chats.ensure(PLATFORM, str(chat.id), title, chat.type in _GROUP_TYPES)
    return learner, known


async def may_manage(bot: Bot, update: Update) -> bool:
    """Whether the user may change the chat's decks: anyone in private, admins in groups."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return False
    if chat.type not in _GROUP_TYPES:
        return True
    message = update.effective_message
    if message is not None and message.sender_chat is not None:
        # An anonymous admin posts as the group itself (its user is @GroupAnonymousBot).
        return message.sender_chat.id == chat.id
    member = await bot.get_chat_member(chat.id, user.id)
    return member.status in _MANAGERS
