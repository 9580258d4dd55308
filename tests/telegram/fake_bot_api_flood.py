"""Telegram's flood control, as the fake Bot API enforces it when a test asks.

Telegram lets a bot send about 30 messages a second in all, one a second to a private chat and
20 a minute to a group, tolerating short bursts; beyond that it answers 429 with `retry_after`.
Modelled as token buckets on the server's clock: a message (a call that posts or edits one)
takes a token from the bot's bucket and its chat's, or is refused with the wait until both
have one (whole seconds, at least 1, as Telegram says it). An album (sendMediaGroup) is as many
messages as it has items, as Telegram counts it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

__all__ = ["FloodControl", "TokenBucket"]

_MESSAGE_PREFIXES = ("send", "edit", "copy", "forward")


@dataclass
class TokenBucket:
    per_second: float
    burst: float
    tokens: float = -1.0  # full until first used
    at: float = 0.0

    def level(self, now: float) -> float:
        if self.tokens < 0:
            return self.burst
        return min(self.burst, self.tokens + (now - self.at) * self.per_second)

    def take(self, now: float, count: int = 1) -> None:
        self.tokens, self.at = self.level(now) - count, now

    def wait(self, now: float, count: int = 1) -> float:
        return max(0.0, (count - self.level(now)) / self.per_second)


@dataclass
class FloodControl:
    """The limits, per second (a group's 20 a minute is 1/3 s); bursts as Telegram tolerates."""

    overall: tuple[float, float] = (30, 30)
    private_chat: tuple[float, float] = (1, 3)
    group: tuple[float, float] = (20 / 60, 20)
    refusals: list[str] = field(default_factory=list)  # one line per 429 answered
    accepted: int = 0  # messages let through
    _bot: TokenBucket | None = None
    _chats: dict[str, TokenBucket] = field(default_factory=dict)

    def check(self, method: str, chat_id: object, now: float, count: int = 1) -> int | None:
        """None when the call may go (its `count` messages' tokens taken), else the
        retry_after to answer."""
        if chat_id is None or not method.startswith(_MESSAGE_PREFIXES):
            return None
        chat = str(chat_id)
        if self._bot is None:
            self._bot = TokenBucket(*self.overall)
        kind = self.group if chat.startswith(("-", "@")) else self.private_chat
        bucket = self._chats.setdefault(chat, TokenBucket(*kind))
        wait = max(self._bot.wait(now, count), bucket.wait(now, count))
        if wait > 0:
            which = "the bot" if self._bot.wait(now, count) > 0 else f"chat {chat}"
            self.refusals.append(f"{method} to {chat}: {which} over its limit")
            return max(1, math.ceil(wait))
        self._bot.take(now, count)
        bucket.take(now, count)
        self.accepted += count
        return None
