"""Coalesced message refreshes: at most one edit per interval for each key, the latest wins.

Chat platforms limit edits (Telegram about 20 messages a minute in a group, Discord about five
edits per five seconds in a channel); a quiz card that many members rate at once would otherwise
queue an edit per rating. The quiz effect executor applies a rated-count refresh with this.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

__all__ = ["ThrottledEdits"]

log = logging.getLogger(__name__)

Edit = Callable[[], Awaitable[None]]


class ThrottledEdits:
    """A refresh requested within `interval` seconds of the last one waits for the rest of it;
    requests made meanwhile replace the waiting one, so only the newest text is sent."""

    def __init__(self, interval: float, platform_errors: tuple[type[Exception], ...]) -> None:
        self._interval = interval
        self._platform_errors = platform_errors  # a failed refresh is logged, not raised
        self._latest: dict[int, Edit] = {}
        self._waiting: dict[int, asyncio.Task[None]] = {}
        self._last_sent: dict[int, float] = {}

    def request(self, key: int, edit: Edit) -> None:
        self._latest[key] = edit
        if key not in self._waiting:
            self._waiting[key] = asyncio.get_running_loop().create_task(self._flush(key))

    def cancel(self, key: int) -> None:
        """Drop a waiting refresh (the message moved on); the key starts afresh."""
        self._latest.pop(key, None)
        self._last_sent.pop(key, None)
        task = self._waiting.pop(key, None)
        if task is not None and task is not asyncio.current_task():
            task.cancel()

    async def aclose(self) -> None:
        """Cancel every waiting refresh and wait for them to go."""
        tasks = list(self._waiting.values())
        self._waiting.clear()
        self._latest.clear()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _flush(self, key: int) -> None:
        loop = asyncio.get_running_loop()
        wait = self._last_sent.get(key, -self._interval) + self._interval - loop.time()
        if wait > 0:
            await asyncio.sleep(wait)
        self._waiting.pop(key, None)
        edit = self._latest.pop(key, None)
        if edit is None:
            return
        self._last_sent[key] = loop.time()
        try:
            await edit()
        except self._platform_errors:
            log.warning("a throttled refresh of %s failed", key, exc_info=True)
