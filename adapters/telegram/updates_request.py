"""Long polling that skips an update python-telegram-bot cannot read, instead of retrying it.

PTB decodes a whole getUpdates batch at once; one update it cannot read (an older self-hosted
Bot API server sends a poll without `allows_revoting`) makes every getUpdates fail before the
offset moves, so the bot fetched the same batch forever and served nobody. The bot here
(`TolerantBot`) lets PTB decode the batch, once, as usual; only when that fails does it take
the batch its transport kept (`UpdatesRequest`) and try each update alone: one that fails
becomes an empty update with its id, which no handler takes, so the offset moves past it.
(Trying each update alone first decoded every update twice: see README, Benchmarks.)
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ExtBot
from telegram.request import BaseRequest, RequestData

from adapters.telegram.aiohttp_request import AiohttpRequest

__all__ = ["TolerantBot", "UpdatesRequest", "readable_updates"]

log = logging.getLogger(__name__)


class UpdatesRequest(AiohttpRequest):
    """The `get_updates_request` of the bot (PTB sends only getUpdates through it, one at a
    time); keeps the last batch for `TolerantBot`."""

    last_batch: list[Any] | None = None

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
        self.last_batch = result if isinstance(result, list) else None
        return result


class _BotLog(logging.LoggerAdapter):  # type: ignore[type-arg]
    """PTB's bot log without the dump of a batch it could not decode: that holds the users'
    messages, and `TolerantBot` deals with the batch (logging each update it skips)."""

    def critical(self, msg: object, *args: Any, **kwargs: Any) -> None:
        if not (isinstance(msg, str) and msg.startswith("Error while parsing updates")):
            super().critical(msg, *args, **kwargs)


class TolerantBot(ExtBot[None]):
    """PTB's bot, with getUpdates going through `updates` and surviving an unreadable update."""

    _LOGGER = _BotLog(logging.getLogger("telegram.ext.ExtBot"))  # type: ignore[assignment]

    def __init__(self, token: str, *, updates: UpdatesRequest, **kwargs: Any) -> None:
        super().__init__(token, get_updates_request=updates, **kwargs)
        self._updates = updates

    async def get_updates(self, *args: Any, **kwargs: Any) -> tuple[Update, ...]:
        try:
            return await super().get_updates(*args, **kwargs)
        except TelegramError:
            raise  # the request failed: PTB's polling waits and tries again
        except Exception:  # PTB could not decode the batch (and logged it): update by update
            batch = self._updates.last_batch
            if batch is None:
                raise
            updates = tuple(Update.de_json(update, self) for update in readable_updates(batch))
            for update in updates:
                self.insert_callback_data(update)
            return updates


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
