"""PTB's update processor, counting and timing every update it hands the handlers: the one
seam every Telegram update passes, polled or posted to the webhook."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import SimpleUpdateProcessor

from adapters.observability.metrics import Metrics
from adapters.telegram.identity import PLATFORM

__all__ = ["MeteredUpdateProcessor", "update_kind"]


class MeteredUpdateProcessor(SimpleUpdateProcessor):
    def __init__(self, max_concurrent_updates: int, metrics: Metrics) -> None:
        super().__init__(max_concurrent_updates)
        self._metrics = metrics

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        with self._metrics.handling(PLATFORM, update_kind(update)):
            await coroutine


def update_kind(update: object) -> str:
    """command, document, message, callback_query, or other (what no handler takes)."""
    if not isinstance(update, Update):
        return "other"
    if update.callback_query is not None:
        return "callback_query"
    message = update.message
    if message is None:
        return "other"
    if message.document is not None:
        return "document"
    if message.text is not None and message.text.startswith("/"):
        return "command"
    return "message"
