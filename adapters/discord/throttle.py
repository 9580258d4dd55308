"""Coalesced message refreshes: at most one edit per interval for each key, the latest wins.

Discord allows about five edits of a channel's messages per five seconds; a quiz card that many
members rate at once would queue an edit per rating. Here they collapse into one per interval.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

import discord

__all__ = ["ThrottledEdits"]

log = logging.getLogger(__name__)

Edit = Callable[[], Awaitable[None]]


class ThrottledEdits:
    def __init__(self, interval: float) -> None:
        self._interval = interval
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
        except discord.HTTPException:
            log.warning("a throttled refresh of %s failed", key, exc_info=True)
