"""What a group quiz's event asks the chat to do, as plain data, in the order to do it.

`QuizService` decides; a platform applies them (`adapters/chat/quiz_effects.py`) without inferring
anything from their shape. The card message is the quiz's current message (`GroupQuiz.message_ref`,
or the pressed one).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.learners import Chat
from core.quiz.model import GroupQuiz
from core.screens import Screen

__all__ = [
    "ArmDeadline",
    "CancelDeadline",
    "CloseCard",
    "EditCard",
    "Notice",
    "PostCard",
    "PostSummary",
    "QuizEffect",
    "QuizUpdate",
    "RefreshRatedCount",
]


@dataclass(frozen=True, slots=True)
class PostCard:
    """Send a new card; its message becomes the quiz's current message."""

    screen: Screen


@dataclass(frozen=True, slots=True)
class PostSummary:
    """Send the finished quiz's summary (nothing to edit later)."""

    screen: Screen


@dataclass(frozen=True, slots=True)
class EditCard:
    """Show `screen` in the card message in place (the answer of the card on show). `replaces`
    is what the message showed until now (the question), so a platform can send the pictures
    and sounds only the new screen has (an answer's own, or a picture a cloze hid)."""

    screen: Screen
    replaces: Screen | None = None


@dataclass(frozen=True, slots=True)
class RefreshRatedCount:
    """Only the "N rated" line of the card changed: refresh it when the platform's limits allow."""

    screen: Screen


@dataclass(frozen=True, slots=True)
class CloseCard:
    """Take the buttons off the card message: no more presses on a closed card."""


@dataclass(frozen=True, slots=True)
class ArmDeadline:
    """Move the quiz on at `at` unless it has left `version` by then (arming again replaces)."""

    quiz_id: int
    version: int
    at: datetime


@dataclass(frozen=True, slots=True)
class CancelDeadline:
    quiz_id: int


@dataclass(frozen=True, slots=True)
class Notice:
    """Answer the member who pressed, privately (only they see it)."""

    text: str


QuizEffect = (
    PostCard
    | PostSummary
    | EditCard
    | RefreshRatedCount
    | CloseCard
    | ArmDeadline
    | CancelDeadline
    | Notice
)


@dataclass(frozen=True, slots=True)
class QuizUpdate:
    """The quiz after an event, the chat it runs in, and what to do there, in order."""

    quiz: GroupQuiz
    chat: Chat
    effects: tuple[QuizEffect, ...] = ()
