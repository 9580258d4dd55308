"""The bot's HTTP servers: Telegram's webhook on its listen address and port, `/healthz` and
`/metrics` on QUIZBOT_HTTP_PORT; one server when both are on the same address and port."""

from __future__ import annotations

from collections.abc import Sequence

from adapters.chat.platform import ChatPlatform
from adapters.http.server import HttpServer
from adapters.observability.health import HealthCheck, Pingable, metrics_handler
from adapters.observability.metrics import Metrics
from adapters.telegram.app import TelegramBot
from bot.settings import Settings

__all__ = ["http_servers"]


def http_servers(
    settings: Settings, store: Pingable, platforms: Sequence[ChatPlatform], metrics: Metrics
) -> list[HttpServer]:
    """The servers to start before the bots (none when neither is configured)."""
    servers: dict[tuple[str, int], HttpServer] = {}

    def server(host: str, port: int) -> HttpServer:
        return servers.setdefault((host, port), HttpServer(host, port))

    for platform in platforms:
        if isinstance(platform, TelegramBot) and platform.webhook and platform.receiver:
            webhook = server(settings.telegram_webhook_listen, settings.telegram_webhook_port)
            webhook.add_post(platform.webhook.path, platform.receiver.handle)
    if settings.quizbot_http_port is not None:
        health = server(settings.quizbot_http_host, settings.quizbot_http_port)
        health.add_get("/healthz", HealthCheck(store, platforms).handle)
        health.add_get("/metrics", metrics_handler(metrics))
    return list(servers.values())
