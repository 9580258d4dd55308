"""What every chat platform's builder returns, so the composition root runs them all alike."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from core.reminders.service import Push

__all__ = ["ChatPlatform", "PushReceiver", "StartupError"]


class StartupError(Exception):
    """A bot could not start (bad token, server unreachable); the message names no secret."""


@runtime_checkable
class PushReceiver(Protocol):
    """Delivers the claimed daily pushes of the chats on one platform."""

    @property
    def name(self) -> str:
        """The platform's name as chats carry it (`Chat.platform`)."""
        ...

    async def deliver(self, pushes: Sequence[Push]) -> int:
        """Deliver `pushes` (all of this platform's chats); how many went out."""
        ...


@runtime_checkable
class ChatPlatform(PushReceiver, Protocol):
    """One platform's bot, built with every service: start it, wait, stop it, hand it pushes."""

    async def start(self) -> None:
        """Connect and answer users; a refused token or unreachable server is `StartupError`."""
        ...

    async def ended(self) -> None:
        """Return when the connection ends by itself (raising what ended it); a platform that
        reconnects on its own waits until it is stopped."""
        ...

    async def stop(self) -> None:
        """Stop answering and disconnect; the store stays open."""
        ...

    def connected(self) -> bool:
        """Taking updates now (for `/healthz`)."""
        ...

    async def sweep_deadlines(self) -> int:
        """Act on this platform's quiz deadlines nobody handled (a worker died with the timer);
        how many this worker moved on (`QuizEffectExecutor.sweep`)."""
        ...
