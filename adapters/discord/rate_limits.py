"""Discord's 429s in the metrics.

discord.py waits out a 429 and sends the request again itself, so the bot's code never sees
one. An aiohttp `TraceConfig` on discord.py's own HTTP session (the `http_trace` option of
`discord.Client`, passed on to the session each login creates) sees every response, and
counts each with status 429 as the Telegram transport does. It runs in the request's own
task, so a 429 met while a push is sent also counts that push as retried.
"""

from __future__ import annotations

from types import SimpleNamespace

import aiohttp

from adapters.discord.identity import PLATFORM
from adapters.observability.metrics import Metrics

__all__ = ["rate_limit_trace"]

TOO_MANY_REQUESTS = 429


def rate_limit_trace(metrics: Metrics) -> aiohttp.TraceConfig:
    """A trace for discord.py's HTTP session that counts Discord's 429s in `metrics`."""

    async def on_request_end(
        session: aiohttp.ClientSession,
        context: SimpleNamespace,
        params: aiohttp.TraceRequestEndParams,
    ) -> None:
        if params.response.status == TOO_MANY_REQUESTS:
            metrics.saw_rate_limit(PLATFORM)

    trace = aiohttp.TraceConfig()
    trace.on_request_end.append(on_request_end)
    return trace
