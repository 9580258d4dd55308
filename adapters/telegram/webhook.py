"""Telegram's webhook: updates arrive as HTTP POSTs to the bot's own server instead of polling,
so several workers can sit behind one load balancer (getUpdates allows one consumer per token).

Served on aiohttp, as PTB's custom-webhook example does: PTB's `Updater.start_webhook` needs
tornado and owns its server, while the bot's server also serves `/healthz` and `/metrics`. A
request whose `X-Telegram-Bot-Api-Secret-Token` is missing (401) or wrong (403) is refused
before anything reads its body: no handler runs, nothing is stored or sent.

Stopping leaves the webhook set: every worker behind the URL shares it, so one worker's stop
must not cut the others off. Running without the webhook (polling) deletes it.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Update

from adapters.telegram.lifecycle import started
from adapters.telegram.updates_request import readable_updates

if TYPE_CHECKING:  # app.py starts the bot through `webhook`: a run-time import would be a cycle
    from adapters.telegram.app import AnyApplication

__all__ = ["ALLOWED_UPDATES", "SECRET_HEADER", "WebhookConfig", "WebhookReceiver", "webhook"]

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Exactly the update types the handlers take (a test checks them against the handlers):
# commands, uploads (messages) and button presses.
ALLOWED_UPDATES = ("message", "callback_query")


@dataclass(frozen=True, slots=True)
class WebhookConfig:
    """The public URL Telegram posts to, and the secret it sends with every request."""

    url: str
    secret: str

    def __repr__(self) -> str:
        return f"WebhookConfig(url={self.url!r})"  # never the secret

    @property
    def path(self) -> str:
        """Where the bot's server takes the POSTs: the URL's path (a load balancer forwards it
        as it is)."""
        return urlsplit(self.url).path or "/"


class WebhookReceiver:
    """The aiohttp handler of the webhook path: checks the secret, hands the update to the
    application's queue (handled as a polled one is) and answers at once."""

    def __init__(self, app: AnyApplication, secret: str) -> None:
        self._app = app
        self._secret = secret.encode()

    async def handle(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER)
        if given is None:
            return web.Response(status=401, text="secret token missing")
        if not hmac.compare_digest(given.encode(), self._secret):
            return web.Response(status=403, text="wrong secret token")
        if not self._app.running:
            return web.Response(status=503, text="not running")  # Telegram sends it again
        try:
            payload = json.loads(await request.read())
        except ValueError:
            return web.Response(status=400, text="the body is not JSON")
        if not isinstance(payload, dict):
            return web.Response(status=400, text="the body is not a JSON object")
        # An update PTB cannot read is skipped with one log line (as when polling): answering
        # an error would make Telegram send it again and again. Decoded once when it reads.
        try:
            update = Update.de_json(payload, self._app.bot)
        except Exception:
            [readable] = readable_updates([payload])
            try:
                update = Update.de_json(readable, self._app.bot)
            except Exception:  # not even an update id: nothing to skip past, nothing to handle
                log.warning("webhook: a request without a readable update was ignored")
                return web.Response(status=400, text="not an update")
        await self._app.update_queue.put(update)
        return web.Response(status=200)


@asynccontextmanager
async def webhook(app: AnyApplication, config: WebhookConfig) -> AsyncIterator[AnyApplication]:
    """Start the application and register the webhook (URL, secret, allowed updates); stop the
    application on exit and leave the webhook to the other workers."""
    async with started(app):
        await app.bot.set_webhook(
            url=config.url,
            secret_token=config.secret,
            allowed_updates=list(ALLOWED_UPDATES),
        )
        log.info("Telegram webhook set to %s", config.url)
        yield app
