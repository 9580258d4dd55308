"""Run the Discord client inside an event loop the caller owns: log in, connect, close.

`Client.run` owns the loop; the composition root shares one loop between platforms, so it
logs in (which runs `setup_hook`: gateway address, command sync) and keeps the gateway
connection in a task of its own.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import discord

__all__ = ["connected"]


@asynccontextmanager
async def connected(
    client: discord.Client, token: str, *, ready_timeout: float = 60.0
) -> AsyncIterator[asyncio.Task[None]]:
    """Logged in and connected (READY seen); yields the connection task; closes on exit.

    Raises what login raises (`discord.LoginFailure` for a bad token, `aiohttp` errors for an
    unreachable server) and what ends the connection before READY.
    """
    try:
        await client.login(token)
        connection = asyncio.create_task(client.connect(reconnect=True), name="discord-gateway")
        ready = asyncio.create_task(client.wait_until_ready())
        await asyncio.wait(
            {connection, ready}, timeout=ready_timeout, return_when=asyncio.FIRST_COMPLETED
        )
        ready.cancel()
        if connection.done():
            connection.result()  # raises what ended it
            raise ConnectionError("the Discord gateway closed before READY")
        if not client.is_ready():
            raise TimeoutError(f"Discord sent no READY within {ready_timeout:g} s")
    except BaseException:
        await client.close()
        raise
    try:
        yield connection
    finally:
        await client.close()
        # What ended the connection is for its watcher to report (the caller got the task);
        # re-raised here it would replace the caller's own error on the way out.
        done, _ = await asyncio.wait({connection}, timeout=10)
        if not done:
            connection.cancel()
        elif not connection.cancelled():
            connection.exception()  # retrieved: asyncio does not log it as never retrieved
