"""Who is acting and where: Telegram users and chats as core learners and chats."""

from __future__ import annotations

from telegram import Bot, ChatMember, Update

from adapters.telegram.texts import COMMAND_NAMES
from core.capabilities import PlatformCapabilities
from core.learners import Chat, Learner
from core.permissions import ChatRole
from core.ports import Store

__all__ = ["ADMINS", "CAPABILITIES", "PLATFORM", "chat_role", "identify"]

PLATFORM = "telegram"
# Every member of a group sees every message the bot sends there.
CAPABILITIES = PlatformCapabilities(private_replies=False, commands=COMMAND_NAMES)
_GROUP_TYPES = frozenset({"group", "supergroup"})
_MANAGERS = frozenset({ChatMember.ADMINISTRATOR, ChatMember.OWNER})
ADMINS = "the group's admins"  # how refusals name them


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


async def chat_role(bot: Bot, update: Update, *, ask_admin: bool = True) -> ChatRole:
    """The sender's standing in the update's chat, for the core's rules (`core.permissions`).

    A group admin is its creator, an administrator, or an anonymous admin (posting as the group
    itself); Telegram has no separate moderators. Asking costs a getChatMember call, so a press
    that needs no rights (a quiz rating) passes `ask_admin=False` and is taken as a member's.
    """
    user, chat = update.effective_user, update.effective_chat
    in_group = chat is not None and chat.type in _GROUP_TYPES
    if not in_group or not ask_admin or user is None or chat is None:
        return ChatRole(in_group=in_group, admins=ADMINS)
    message = update.effective_message
    if message is not None and message.sender_chat is not None:
        # An anonymous admin posts as the group itself (its user is @GroupAnonymousBot).
        is_admin = message.sender_chat.id == chat.id
    else:
        is_admin = (await bot.get_chat_member(chat.id, user.id)).status in _MANAGERS
    return ChatRole(in_group=True, is_admin=is_admin, admins=ADMINS)
