"""Who may do what: every chat action for admins, moderators and members, in groups and alone."""

from __future__ import annotations

from dataclasses import replace

import pytest

from core.commands import PLAIN_COMMANDS
from core.errors import NotAllowed
from core.permissions import OPERATOR, ChatAction, ChatRole, groups_only, may, refusal, require

MEMBER = ChatRole(in_group=True, admins="the admins")
MODERATOR = ChatRole(in_group=True, is_moderator=True, admins="the admins")
ADMIN = ChatRole(in_group=True, is_admin=True, admins="the admins")
ALONE = ChatRole(in_group=False, admins="the admins")  # a private chat's one member

# action: who may, of MEMBER, MODERATOR, ADMIN, ALONE
EXPECTED = {
    ChatAction.CHOOSE_DECK: (False, False, True, True),
    ChatAction.IMPORT_DECK: (False, False, True, True),
    ChatAction.SET_CHAT_PUSH: (False, False, True, True),
    ChatAction.START_QUIZ: (True, True, True, False),
    ChatAction.MODERATE_QUIZ: (False, True, True, True),
}
ROLES = (MEMBER, MODERATOR, ADMIN, ALONE)


def test_every_action_has_a_rule() -> None:
    assert set(EXPECTED) == set(ChatAction)


@pytest.mark.parametrize("action", list(ChatAction))
def test_who_may_do_each_action(action: ChatAction) -> None:
    assert tuple(may(role, action) for role in ROLES) == EXPECTED[action]
    assert may(OPERATOR, action) is not groups_only(action)


@pytest.mark.parametrize(
    ("action", "reason"),
    [
        (ChatAction.CHOOSE_DECK, "Only the admins can change the deck here."),
        (ChatAction.IMPORT_DECK, "Only the admins can import decks here."),
        (ChatAction.SET_CHAT_PUSH, "Only the admins can set the daily review here."),
        (ChatAction.MODERATE_QUIZ, "Only the quiz's starter or a moderator can do that."),
    ],
)
def test_a_member_is_told_who_may_in_the_platforms_words(action: ChatAction, reason: str) -> None:
    assert refusal(MEMBER, action) == reason
    with pytest.raises(NotAllowed) as refused:
        require(MEMBER, action)
    assert str(refused.value) == reason


def test_a_quiz_outside_a_group_is_refused_whoever_asks() -> None:
    reason = "Group quizzes run in groups. Use /review here."
    assert refusal(ALONE, ChatAction.START_QUIZ) == refusal(OPERATOR, ChatAction.START_QUIZ)
    assert refusal(ALONE, ChatAction.START_QUIZ) == reason
    require(MEMBER, ChatAction.START_QUIZ)  # anyone in a group may start one
    # The command it names is written as the platform spells it.
    bang = replace(PLAIN_COMMANDS, review="!review")
    said = refusal(ALONE, ChatAction.START_QUIZ, bang)
    assert said == "Group quizzes run in groups. Use !review here."


def test_only_quizzes_are_for_groups_only() -> None:
    assert [action for action in ChatAction if groups_only(action)] == [ChatAction.START_QUIZ]
