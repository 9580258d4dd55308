"""The real Application in webhook mode, its receiver on an HTTP server on 127.0.0.1, against the
fake Bot API (which posts updates to it as Telegram does: `FakeBotApi.post_to_webhook`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from adapters.http.server import HttpServer
from adapters.observability.metrics import Metrics
from adapters.telegram.app import TelegramBot, build_bot
from adapters.telegram.webhook import WebhookConfig
from tests.chat_services import chat_services
from tests.conftest import Services
from tests.telegram.fake_bot_api import FakeBotApi

__all__ = ["SECRET", "WEBHOOK_URL", "WebhookBot", "webhook_bot"]

SECRET = "webhook-secret_0123456789abcdef"
WEBHOOK_URL = "https://quizbot.example.org/telegram/updates"


@dataclass(frozen=True)
class WebhookBot:
    bot: TelegramBot
    server: HttpServer
    metrics: Metrics

    @property
    def endpoint(self) -> str:
        """Where the load balancer forwards WEBHOOK_URL: this worker's listener."""
        return f"{self.server.url}/telegram/updates"


@asynccontextmanager
async def webhook_bot(
    fake: FakeBotApi, services: Services, metrics: Metrics | None = None
) -> AsyncIterator[WebhookBot]:
    metrics = metrics or Metrics()
    bot = build_bot(
        fake.token,
        chat_services(services, metrics=metrics),
        base_url=fake.base_url,
        base_file_url=fake.base_file_url,
        webhook=WebhookConfig(WEBHOOK_URL, SECRET),
    )
    assert bot.webhook is not None and bot.receiver is not None
    server = HttpServer("127.0.0.1", 0)
    server.add_post(bot.webhook.path, bot.receiver.handle)
    await server.start()
    try:
        await bot.start()
        try:
            yield WebhookBot(bot, server, metrics)
        finally:
            await bot.stop()
    finally:
        await server.stop()
