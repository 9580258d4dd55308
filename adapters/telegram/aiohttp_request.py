"""python-telegram-bot's HTTP transport on aiohttp instead of its default httpx.

Under load the bot's CPU went mostly to httpx/httpcore/anyio (httpcore re-scans its connection
pool on every request and response); aiohttp's C-accelerated client does the same Bot API call
for a fraction of that (bench/bench_telegram.py). aiohttp is already a dependency of discord.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

__all__ = ["AiohttpRequest"]

# A Bot API URL carries the token ("…/bot123456:AA…/getMe"); aiohttp's errors quote the URL.
# At least 8 secret characters after the colon, so a host and port ("127.0.0.1:9 ssl…") in the
# same error text stays readable.
_TOKEN_IN_URL = re.compile(r"\d+:[A-Za-z0-9_-]{8,}")

# PTB marks "use the request's default" with DefaultValue instances (its class is private).
_DefaultValue = type(BaseRequest.DEFAULT_NONE)


class AiohttpRequest(BaseRequest):
    """A `BaseRequest` with one `aiohttp.ClientSession` and a bounded connection pool.

    Timeouts follow PTB's meaning: connect (including the wait for a pooled connection) and read;
    aiohttp has no separate write timeout, so a slow upload is bounded by the read timeout.
    """

    def __init__(
        self,
        connection_pool_size: int = 16,
        read_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        on_rate_limited: Callable[[], None] | None = None,
    ) -> None:
        self._on_rate_limited = on_rate_limited  # told of each 429 (the limiter retries it)
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size)
            self._session = aiohttp.ClientSession(
                connector=connector, headers={"User-Agent": self.USER_AGENT}
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        read = self._read_timeout if isinstance(read_timeout, _DefaultValue) else read_timeout
        connect = (
            self._connect_timeout if isinstance(connect_timeout, _DefaultValue) else connect_timeout
        )
        pool = self._pool_timeout if isinstance(pool_timeout, _DefaultValue) else pool_timeout
        timeout = aiohttp.ClientTimeout(
            total=None,
            connect=None if connect is None or pool is None else connect + pool,
            sock_connect=connect,
            sock_read=read,
        )
        try:
            async with self._session.request(
                method, url, data=_body(request_data), timeout=timeout
            ) as response:
                if response.status == 429 and self._on_rate_limited is not None:
                    self._on_rate_limited()
                return response.status, await response.read()
        except TimeoutError as error:
            raise TimedOut from error
        except aiohttp.ClientError as error:
            # Not chained: the aiohttp error would carry the URL, and the token with it.
            raise NetworkError(_without_token(f"aiohttp.{type(error).__name__}: {error}")) from None


def _without_token(text: str) -> str:
    return _TOKEN_IN_URL.sub("[token]", text)


def _body(request_data: RequestData | None) -> aiohttp.FormData | dict[str, str] | None:
    """Form fields as PTB encodes them (JSON values); multipart when there are files."""
    if request_data is None:
        return None
    fields = request_data.json_parameters
    files = request_data.multipart_data
    if not files:
        return fields
    form = aiohttp.FormData()
    for name, value in fields.items():
        form.add_field(name, value)
    for name, (filename, content, mime_type) in files.items():
        form.add_field(name, content, filename=filename, content_type=mime_type)
    return form
