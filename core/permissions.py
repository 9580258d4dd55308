"""Who may do what in a chat: the core's rules over facts each platform reports.

An adapter states, once per update, the acting person's standing where they act (`ChatRole`);
services ask `require` before a chat-wide change. In a private chat its one member may change
everything; in a group, changing what the whole chat gets (its deck, its decks, its daily push)
is for admins, and moving someone else's quiz on is for moderators (admins included). A
refusal that names a command writes it as the platform spells it (`core.commands.CommandNames`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from core import texts
from core.commands import PLAIN_COMMANDS, CommandNames
from core.errors import NotAllowed

__all__ = ["OPERATOR", "ChatAction", "ChatRole", "groups_only", "may", "refusal", "require"]


class ChatAction(Enum):
    CHOOSE_DECK = "choose deck"
    IMPORT_DECK = "import deck"
    SET_CHAT_PUSH = "set chat push"  # the chat's own daily push, not a learner's
    START_QUIZ = "start quiz"
    MODERATE_QUIZ = "moderate quiz"  # show, next or stop a quiz someone else started


@dataclass(frozen=True, slots=True)
class ChatRole:
    """Platform facts about the acting person in the chat where they act.

    `is_admin`: may manage the chat (Telegram: creator, administrator or anonymous admin;
    Discord: Manage Server). `is_moderator`: may moderate what happens in it (Discord: Manage
    Messages); admins moderate too. `admins` is how the platform names its admins, for refusals.
    """

    in_group: bool
    is_admin: bool = False
    is_moderator: bool = False
    admins: str = "admins"


# quizbot itself and the person at its command line: they own every chat.
OPERATOR = ChatRole(in_group=False, is_admin=True, is_moderator=True)

_FOR_ADMINS = {
    ChatAction.CHOOSE_DECK: texts.ONLY_ADMINS_CHOOSE,
    ChatAction.IMPORT_DECK: texts.ONLY_ADMINS_IMPORT,
    ChatAction.SET_CHAT_PUSH: texts.ONLY_ADMINS_REMIND,
}
_GROUPS_ONLY = {ChatAction.START_QUIZ: texts.QUIZ_ONLY_IN_GROUPS}


def groups_only(action: ChatAction) -> bool:
    """Whether the action exists only in groups (platforms may hide it elsewhere)."""
    return action in _GROUPS_ONLY


def refusal(
    role: ChatRole, action: ChatAction, commands: CommandNames = PLAIN_COMMANDS
) -> str | None:
    """Why `role` may not do `action`, or None when it may; commands named as in `commands`."""
    if action in _GROUPS_ONLY:
        return None if role.in_group else commands.fill(_GROUPS_ONLY[action])
    if not role.in_group or role.is_admin:
        return None
    if action is ChatAction.MODERATE_QUIZ:
        return None if role.is_moderator else texts.QUIZ_ONLY_MODERATORS
    return _FOR_ADMINS[action].format(admins=role.admins)


def may(role: ChatRole, action: ChatAction) -> bool:
    return refusal(role, action) is None


def require(role: ChatRole, action: ChatAction, commands: CommandNames = PLAIN_COMMANDS) -> None:
    """Raise `NotAllowed` with the reason when `role` may not do `action`."""
    reason = refusal(role, action, commands)
    if reason is not None:
        raise NotAllowed(reason)
