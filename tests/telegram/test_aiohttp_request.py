"""The aiohttp transport maps failures to PTB's errors (the happy paths run in every other test)."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from aiohttp import web
from telegram.error import NetworkError, TimedOut

from adapters.telegram.aiohttp_request import AiohttpRequest


@pytest_asyncio.fixture
async def slow_server() -> AsyncIterator[str]:
    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(2)
        return web.json_response({"ok": True, "result": True})

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", slow)
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}/bot1:x/getMe"
    finally:
        await runner.cleanup()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_a_slow_answer_times_out_and_a_refused_connection_is_a_network_error(
    slow_server: str,
) -> None:
    request = AiohttpRequest(read_timeout=0.1)
    await request.initialize()
    try:
        with pytest.raises(TimedOut):
            await request.do_request(slow_server, "POST")
        with pytest.raises(NetworkError, match="aiohttp"):
            await request.do_request(f"http://127.0.0.1:{closed_port()}/bot1:x/getMe", "POST")
    finally:
        await request.shutdown()


async def test_it_must_be_initialized_first() -> None:
    with pytest.raises(RuntimeError, match="not initialized"):
        await AiohttpRequest().do_request("http://127.0.0.1:1/", "POST")


async def test_a_network_error_does_not_quote_the_token_of_the_url() -> None:
    request = AiohttpRequest()
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as caught:
            await request.do_request("http:///bot123456:AAH-secret_part/getMe", "POST")
    finally:
        await request.shutdown()
    assert "InvalidUrlClientError" in caught.value.message
    assert "AAH-secret_part" not in caught.value.message and caught.value.__cause__ is None


async def test_a_network_error_keeps_the_host_and_port_it_could_not_reach() -> None:
    request = AiohttpRequest()
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as caught:
            await request.do_request("http://127.0.0.1:9/bot123456:AAH-secret_part/getMe", "POST")
    finally:
        await request.shutdown()
    assert "127.0.0.1:9" in caught.value.message  # it read "127.0.0. ssl:default"
    assert "AAH-secret_part" not in caught.value.message
