"""One aiohttp server on a host and port, its routes added before it starts."""

from __future__ import annotations

import logging
import socket
from collections.abc import Awaitable, Callable

from aiohttp import web

__all__ = ["Handler", "HttpServer"]

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
# Telegram sends one Update per request, a few KB; a forged request gets no room to grow.
MAX_BODY = 1024 * 1024


class HttpServer:
    """Routes first (`add_get`, `add_post`), then `start`; `port` is the bound one (a port of 0
    picks a free one, for tests)."""

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self._app = web.Application(client_max_size=MAX_BODY)
        self._runner: web.AppRunner | None = None

    def add_get(self, path: str, handler: Handler) -> None:
        self._app.router.add_get(path, handler)

    def add_post(self, path: str, handler: Handler) -> None:
        self._app.router.add_post(path, handler)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def start(self) -> None:
        # No access log: a webhook request line is harmless, but a forged one's is noise.
        self._runner = web.AppRunner(self._app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET6 if ":" in self.host else socket.AF_INET)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self.host, self.port))
            self.port = sock.getsockname()[1]
            await web.SockSite(self._runner, sock).start()
        except BaseException:
            sock.close()
            await self.stop()
            raise
        log.info("HTTP server listening on %s:%d", self.host, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
