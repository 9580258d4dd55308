"""The getUpdates transport: an update python-telegram-bot cannot read is skipped, not retried.

PTB decodes a whole getUpdates batch at once; one update it cannot read (an older self-hosted
Bot API server sends a poll without `allows_revoting`) makes every getUpdates fail before the
offset moves, so the bot fetched the same batch forever and served nobody. Here each update is
tried on its own first; one that fails becomes an empty update with its id, which no handler
takes, so the offset moves past it.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.request import BaseRequest, RequestData

from adapters.telegram.aiohttp_request import AiohttpRequest

__all__ = ["UpdatesRequest", "readable_updates"]

log = logging.getLogger(__name__)


class UpdatesRequest(AiohttpRequest):
    """The `get_updates_request` of the bot (PTB sends only getUpdates through it)."""

    async def post(
        self,
        url: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> Any:
        result = await super().post(
            url,
            request_data,
            read_timeout=read_timeout,
            write_timeout=write_timeout,
            connect_timeout=connect_timeout,
            pool_timeout=pool_timeout,
        )
        return readable_updates(result) if isinstance(result, list) else result


def readable_updates(updates: list[Any]) -> list[Any]:
    """`updates`, each one PTB cannot decode replaced by `{"update_id": …}` and logged once."""
    return [_readable(update) for update in updates]


def _readable(update: Any) -> Any:
    update_id = update.get("update_id") if isinstance(update, dict) else None
    if not isinstance(update_id, int):
        return update  # nothing to skip past: PTB reports it as it is
    try:
        Update.de_json(update)
    except Exception as error:  # anything PTB's decoding raises: the update is unreadable
        log.warning(
            "skipped update %d: python-telegram-bot cannot read it (%s: %s)",
            update_id,
            type(error).__name__,
            error,
        )
        return {"update_id": update_id}
    return update
