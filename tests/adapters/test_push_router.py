"""The push router: each running platform receives only the claimed pushes of its own chats."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime, time

import pytest

from adapters.chat.push_router import PushRouter
from core.learners import Chat
from core.reminders.model import Subscription
from core.reminders.service import Push

NOON = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)


def push(chat_id: int, platform: str) -> Push:
    chat = Chat(chat_id, platform, str(1000 + chat_id), f"chat {chat_id}", is_group=False)
    subscription = Subscription(chat_id, chat_id, 7, time(12, 0), "UTC", NOON, None, 2)
    return Push(subscription, chat, 3, ("geo",), deck_names=("Geography",))


class RecordingPlatform:
    """A platform that delivers everything it is handed (or fails, when told to)."""

    def __init__(self, name: str, *, fails: bool = False) -> None:
        self.name = name
        self.received: list[list[Push]] = []
        self._fails = fails

    async def deliver(self, pushes: Sequence[Push]) -> int:
        self.received.append(list(pushes))
        if self._fails:
            raise RuntimeError("the platform is down")
        return len(pushes)


async def test_each_platform_receives_only_its_own_chats_pushes_once() -> None:
    telegram, discord = RecordingPlatform("telegram"), RecordingPlatform("discord")
    pushes = [push(1, "telegram"), push(2, "discord"), push(3, "telegram")]
    sent = await PushRouter([telegram, discord]).deliver(pushes)
    assert sent == 3
    assert telegram.received == [[pushes[0], pushes[2]]]
    assert discord.received == [[pushes[1]]]


async def test_a_platform_with_no_pushes_is_not_called() -> None:
    telegram, discord = RecordingPlatform("telegram"), RecordingPlatform("discord")
    assert await PushRouter([telegram, discord]).deliver([push(1, "discord")]) == 1
    assert telegram.received == []


async def test_a_push_for_a_platform_that_is_not_running_is_logged_with_its_chat(
    caplog: pytest.LogCaptureFixture,
) -> None:
    telegram = RecordingPlatform("telegram")
    stranded = push(2, "discord")
    with caplog.at_level(logging.WARNING, logger="adapters.chat.push_router"):
        sent = await PushRouter([telegram]).deliver([push(1, "telegram"), stranded])
    assert sent == 1
    [record] = caplog.records
    assert record.levelno == logging.WARNING
    assert record.getMessage() == "daily push for chat 2 not sent: discord is not running"


async def test_one_platform_failing_does_not_keep_the_others_pushes_back(
    caplog: pytest.LogCaptureFixture,
) -> None:
    broken, discord = RecordingPlatform("telegram", fails=True), RecordingPlatform("discord")
    with caplog.at_level(logging.ERROR, logger="adapters.chat.push_router"):
        sent = await PushRouter([broken, discord]).deliver(
            [push(1, "telegram"), push(2, "discord")]
        )
    assert sent == 1
    assert discord.received == [[push(2, "discord")]]
    assert "daily pushes on telegram failed (1 claimed)" in caplog.text
