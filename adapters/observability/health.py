"""`/healthz` and `/metrics` as aiohttp handlers.

`/healthz` answers 200 when the store answers a ping and every platform is connected, else 503;
its small JSON body says which part is down, so a load balancer drains a worker that cannot
serve and an operator sees why.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol

from aiohttp import web

from adapters.observability.metrics import CONTENT_TYPE, Metrics

__all__ = ["Connected", "HealthCheck", "Pingable", "metrics_handler"]

log = logging.getLogger(__name__)

# A ping slower than this counts as down: a health check must answer before the prober gives up.
PING_TIMEOUT = 2.0


class Pingable(Protocol):
    async def ping(self) -> None: ...


class Connected(Protocol):
    @property
    def name(self) -> str: ...

    def connected(self) -> bool: ...


class HealthCheck:
    def __init__(self, store: Pingable, platforms: Sequence[Connected]) -> None:
        self._store = store
        self._platforms = platforms

    async def report(self) -> dict[str, str]:
        """ "ok" or "down" for the store and each platform."""
        parts = {"store": "ok" if await self._store_answers() else "down"}
        for platform in self._platforms:
            parts[platform.name] = "ok" if platform.connected() else "down"
        return parts

    async def handle(self, request: web.Request) -> web.Response:
        parts = await self.report()
        healthy = all(state == "ok" for state in parts.values())
        body = {"status": "ok" if healthy else "down", **parts}
        return web.json_response(body, status=200 if healthy else 503)

    async def _store_answers(self) -> bool:
        try:
            await asyncio.wait_for(self._store.ping(), PING_TIMEOUT)
        except Exception as error:  # any failure means not reachable; the reason goes to the log
            log.warning("health check: the store did not answer: %s", type(error).__name__)
            return False
        return True


def metrics_handler(metrics: Metrics) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def handle(request: web.Request) -> web.Response:
        response = web.Response(body=metrics.exposition())
        response.headers["Content-Type"] = CONTENT_TYPE
        return response

    return handle
