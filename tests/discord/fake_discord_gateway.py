"""The fake Discord gateway: one websocket session speaking opcodes the way Discord does.

HELLO on connect, IDENTIFY checked (token, no privileged intents, a shard within its count),
READY then one GUILD_CREATE per guild of the session's shard, heartbeats acknowledged,
dispatches numbered. A session identifies as shard `[id, count]` (without one: `[0, 1]`) and,
as on Discord, receives the events of the guilds with `(guild_id >> 22) % count == id` (DMs go
to shard 0). Frames are compressed the way the
client asked in the query string: discord.py 2.7 asks `zstd-stream` when `zstandard` is
installed (one zstd frame over the whole connection, flushed per message) and `zlib-stream`
otherwise (one zlib stream, each message ending with the Z_SYNC_FLUSH suffix 00 00 ff ff).
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable
from typing import Any

import zstandard
from aiohttp import WSMsgType, web

__all__ = ["PRIVILEGED_INTENTS", "GatewaySession", "shard_of"]

HELLO, HEARTBEAT, IDENTIFY, DISPATCH, HEARTBEAT_ACK = 10, 1, 2, 0, 11
PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15)  # members, presences, message content
AUTHENTICATION_FAILED = 4004
DISALLOWED_INTENTS = 4014
INVALID_SHARD = 4010

# Builds READY and GUILD_CREATE for a session of shard (id, count).
ReadyPayloads = Callable[[tuple[int, int]], list[tuple[str, dict[str, Any]]]]


def shard_of(guild_id: int | None, shard_count: int) -> int:
    """The shard Discord sends a guild's events to; a DM's (no guild) go to shard 0."""
    return 0 if guild_id is None else (guild_id >> 22) % shard_count


class _Framing:
    def __init__(self, compress: str | None) -> None:
        self.kind = compress
        self._zlib = zlib.compressobj()
        self._zstd = zstandard.ZstdCompressor().compressobj()

    def encode(self, text: str) -> bytes | str:
        data = text.encode()
        if self.kind == "zlib-stream":
            return self._zlib.compress(data) + self._zlib.flush(zlib.Z_SYNC_FLUSH)
        if self.kind == "zstd-stream":
            return self._zstd.compress(data) + self._zstd.flush(zstandard.COMPRESSOBJ_FLUSH_BLOCK)
        return text


class GatewaySession:
    """One connected client (one shard). `ready_payloads` builds READY and GUILD_CREATE for the
    session's shard."""

    def __init__(
        self,
        ws: web.WebSocketResponse,
        compress: str | None,
        token: str,
        ready_payloads: ReadyPayloads,
        violation: Callable[[str], None],
    ) -> None:
        self.ws = ws
        self.framing = _Framing(compress)
        self.token = token
        self.ready_payloads = ready_payloads
        self.violation = violation
        self.sequence = 0
        self.identified = False
        self.intents: int | None = None
        self.shard: tuple[int, int] = (0, 1)  # (id, count), as identified

    async def send(self, op: int, data: Any, event: str | None = None) -> None:
        payload: dict[str, Any] = {"op": op, "d": data, "s": None, "t": event}
        if op == DISPATCH:
            self.sequence += 1
            payload["s"] = self.sequence
        frame = self.framing.encode(json.dumps(payload))
        if isinstance(frame, bytes):
            await self.ws.send_bytes(frame)
        else:
            await self.ws.send_str(frame)

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        await self.send(DISPATCH, data, event)

    def serves(self, guild_id: int | None) -> bool:
        """Whether Discord sends this guild's events (a DM's, for None) to this session."""
        shard_id, shard_count = self.shard
        return self.identified and shard_of(guild_id, shard_count) == shard_id

    async def serve(self) -> None:
        await self.send(HELLO, {"heartbeat_interval": 41_250})
        async for message in self.ws:
            if message.type is not WSMsgType.TEXT and message.type is not WSMsgType.BINARY:
                break
            raw = message.data if message.type is WSMsgType.TEXT else message.data.decode()
            frame = json.loads(raw)
            op = frame.get("op")
            if op == HEARTBEAT:
                await self.send(HEARTBEAT_ACK, None)
            elif op == IDENTIFY:
                await self._identify(frame["d"])
            else:
                self.violation(f"gateway: unexpected opcode {op} from the client")

    async def _identify(self, data: dict[str, Any]) -> None:
        if data.get("token") != self.token:
            await self.ws.close(code=AUTHENTICATION_FAILED, message=b"Authentication failed.")
            return
        intents = int(data.get("intents", 0))
        self.intents = intents
        if intents & PRIVILEGED_INTENTS:
            await self.ws.close(code=DISALLOWED_INTENTS, message=b"Disallowed intent(s).")
            return
        shard_id, shard_count = data.get("shard", (0, 1))
        if not 0 <= shard_id < shard_count:
            await self.ws.close(code=INVALID_SHARD, message=b"Invalid shard.")
            return
        self.shard = (shard_id, shard_count)
        self.identified = True
        for event, payload in self.ready_payloads(self.shard):
            await self.dispatch(event, payload)
