"""A small fake Discord REST + gateway server (aiohttp, 127.0.0.1) for tests through discord.py.

Point discord.py's `Route.BASE` at `fake.api_base`; `GET /gateway/bot` names the fake gateway.
Tests act as Discord users (`slash`, `press`, `autocomplete`) and read what the bot answered
(`response`, `followups`, `messages_in`, `uploads_of`). Everything the bot sends is validated
as Discord would (`fake_discord_checks`: an upload over the limits is refused with 413, code
40005, and an edit's `attachments` must name uploads or the message's own); problems land in
`fake.violations`, and every interaction must be acknowledged exactly once within 3 seconds.
Failures are injected with `fail_next`.

The server is split by concern: the gateway (`fake_discord_gateway`), interaction responses
(`fake_discord_interactions`), channels and messages (`fake_discord_channels`), what users do
(`fake_discord_users`), payload shapes (`fake_discord_payloads`) and the checks.
"""

from __future__ import annotations

import asyncio
import json
import re
import secrets
import socket
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.discord.fake_discord_channels import ChannelMessages
from tests.discord.fake_discord_checks import check_commands
from tests.discord.fake_discord_gateway import GatewaySession, shard_of
from tests.discord.fake_discord_interactions import ACK_WINDOW, InteractionResponses
from tests.discord.fake_discord_payloads import (
    BOT_ID,
    DcChannel,
    DcGuild,
    DcUser,
    Snowflakes,
    guild_payload,
    member_payload,
    user_payload,
)
from tests.discord.fake_discord_users import FakeDiscordUsers
from tests.discord.fake_discord_wire import JSON, error_response, json_response

__all__ = [
    "ACK_WINDOW",
    "BOT",
    "TOKEN",
    "DcChannel",
    "DcGuild",
    "DcUser",
    "FakeDiscord",
    "Interaction",
    "Sent",
]

TOKEN = "MTAw.fake-discord.bot-token-for-tests"
BOT = DcUser(BOT_ID, "Quizbot", bot=True)


@dataclass
class Sent:
    """One REST call the bot made."""

    method: str
    path: str
    query: dict[str, str]
    body: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)


@dataclass
class Interaction:
    """An interaction the fake dispatched, and what the bot did with it."""

    id: int
    token: str
    kind: int
    user: DcUser
    channel: DcChannel
    dispatched_at: float
    acks: list[int] = field(default_factory=list)  # callback types, in order
    original_id: int | None = None
    followup_ids: list[int] = field(default_factory=list)
    choices: list[dict[str, Any]] | None = None  # an autocomplete answer
    source_message_id: int | None = None  # the message whose component was used
    modal: dict[str, Any] | None = None  # the modal the bot answered with (callback type 9)


class FakeDiscord(FakeDiscordUsers, InteractionResponses, ChannelMessages):
    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.ids = Snowflakes()
        self.bot = BOT
        self.application_id = BOT_ID
        self.users: dict[int, DcUser] = {}
        self.sent: list[Sent] = []
        self.violations: list[str] = []
        self.guilds: dict[int, DcGuild] = {}
        self.channels: dict[int, DcChannel] = {}
        self.messages: dict[int, dict[str, Any]] = {}
        self.interactions: dict[int, Interaction] = {}
        self.by_token: dict[str, Interaction] = {}
        self.commands: dict[int | None, list[dict[str, Any]]] = {}
        self.uploads: dict[int, bytes] = {}
        self.downloads: list[int] = []
        self.closed_dms: set[int] = set()
        self.sessions: list[GatewaySession] = []
        self.recommended_shards = 1  # what GET /gateway/bot answers
        self.max_concurrency = 1  # shards that may identify at once, as GET /gateway/bot says
        self.dispatched: list[tuple[str, tuple[int, int]]] = []  # (event, (shard id, count))
        self._failures: deque[tuple[str, re.Pattern[str], int, dict[str, Any]]] = deque()
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # --- lifecycle -----------------------------------------------------------------------

    async def start(self) -> None:
        # Above Discord's 25 MiB, so an over-large upload gets Discord's 413, not aiohttp's.
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self._gateway)
        app.router.add_get("/attachments/{id}/{name}", self._download)
        app.router.add_route("*", "/api/v10/{path:.+}", self._rest)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()

    async def stop(self) -> None:
        for session in self.sessions:
            await session.ws.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    def unacknowledged(self) -> list[Interaction]:
        return [i for i in self.interactions.values() if not i.acks]

    def problems(self) -> list[str]:
        """Everything Discord would have refused, and every interaction never acknowledged
        (its user saw "This interaction failed"); the fixture fails the test on any."""
        unanswered = [f"interaction {i.id} never acknowledged" for i in self.unacknowledged()]
        return self.violations + unanswered

    # --- test controls ---------------------------------------------------------------------

    def fail_next(
        self, method: str, path: str, status: int, body: dict[str, Any] | None = None
    ) -> None:
        """Answer the next `method` call whose path matches the `path` regex with an error."""
        self._failures.append((method, re.compile(path), status, body or {}))

    def uploads_of(self, data: bytes) -> int:
        """How many file parts of the bot's requests carried exactly these bytes."""
        return sum(part == data for sent in self.sent for part in sent.files.values())

    def calls(self, method: str, path: str) -> list[Sent]:
        pattern = re.compile(path)
        return [s for s in self.sent if s.method == method and pattern.fullmatch(s.path)]

    async def wait_until(self, condition: Any, timeout: float = 5.0) -> Any:
        """Wait until `condition()` is truthy (checked on every call the bot makes)."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(condition), timeout)
        return condition()

    async def _note_change(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # --- guild and channel setup -----------------------------------------------------------

    def add_guild(self, guild_id: int, name: str, channel_ids: tuple[int, ...]) -> DcGuild:
        guild = DcGuild(guild_id, name, channel_ids)
        self.guilds[guild_id] = guild
        for channel_id in channel_ids:
            self.channels[channel_id] = DcChannel(channel_id, guild_id)
        return guild

    def dm_channel(self, user: DcUser) -> DcChannel:
        for channel in self.channels.values():
            if channel.recipient == user:
                return channel
        channel = DcChannel(self.ids.next(), recipient=user)
        self.channels[channel.id] = channel
        return channel

    def _ready_payloads(self, shard: tuple[int, int]) -> list[tuple[str, dict[str, Any]]]:
        guilds = [g for g in self.guilds.values() if shard_of(g.id, shard[1]) == shard[0]]
        ready = {
            "v": 10,
            "user": user_payload(self.bot),
            "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
            "session_id": secrets.token_hex(8),
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(self.application_id), "flags": 0},
            "shard": list(shard),
        }
        creates = [
            ("GUILD_CREATE", guild_payload(g, self.bot, self._channels_of(g))) for g in guilds
        ]
        return [("READY", ready), *creates]

    def _channels_of(self, guild: DcGuild) -> list[DcChannel]:
        return [self.channels[c] for c in guild.channel_ids]

    # --- gateway -----------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        if request.query.get("v") != "10" or request.query.get("encoding") != "json":
            self.violations.append(f"gateway asked with {dict(request.query)}")
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        session = GatewaySession(
            ws,
            request.query.get("compress"),
            self.token,
            self._ready_payloads,
            self.violations.append,
        )
        self.sessions.append(session)
        try:
            await session.serve()
        finally:
            self.sessions.remove(session)
            await self._note_change()
        return ws

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send an event to the session of its guild's shard, as Discord does."""
        guild_id = int(data["guild_id"]) if data.get("guild_id") else None
        sessions = [s for s in self.sessions if s.serves(guild_id)]
        if not sessions:
            raise AssertionError(f"no identified gateway session of {event}'s shard")
        for session in sessions:
            self.dispatched.append((event, session.shard))
            await session.dispatch(event, data)

    async def wait_ready(self, timeout: float = 5.0) -> None:
        """Wait until a client has identified on the gateway (and had READY)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not any(s.identified for s in self.sessions):
            if loop.time() > deadline:
                raise TimeoutError("no client identified on the gateway")
            await asyncio.sleep(0.02)

    # --- REST ----------------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["path"]
        body, files = await self._read_body(request)
        sent = Sent(request.method, path, dict(request.query), body, files)
        self.sent.append(sent)
        try:
            # Interaction callbacks and webhooks authenticate by the token in their path.
            by_path = path.startswith(("/interactions/", "/webhooks/"))
            if not by_path and request.headers.get("Authorization") != f"Bot {self.token}":
                return error_response(401, 0, "401: Unauthorized")
            failure = self._take_failure(request.method, path)
            if failure is not None:
                return failure
            return await self._route(sent)
        finally:
            await self._note_change()

    def _take_failure(self, method: str, path: str) -> web.Response | None:
        for failure in list(self._failures):
            wanted, pattern, status, body = failure
            if wanted == method and pattern.fullmatch(path):
                self._failures.remove(failure)
                if status == 429:
                    # Via marks a response from Discord, not Cloudflare: discord.py retries it.
                    payload = {"message": "You are being rate limited.", "global": False, **body}
                    headers = {**JSON, "Via": "1.1 google", "Retry-After": "1"}
                    return web.Response(status=429, body=json.dumps(payload), headers=headers)
                return error_response(status, body.get("code", 0), body.get("message", "failure"))
        return None

    async def _read_body(self, request: web.Request) -> tuple[dict[str, Any], dict[str, bytes]]:
        if request.content_type == "multipart/form-data":
            files: dict[str, bytes] = {}
            body: dict[str, Any] = {}
            reader = await request.multipart()
            async for part in reader:
                if part.name == "payload_json":
                    body = json.loads(await part.text())  # type: ignore[union-attr]
                elif part.name:
                    files[part.name] = bytes(await part.read())  # type: ignore[union-attr]
            return body, files
        raw = await request.read()
        if not raw:
            return {}, {}
        if request.headers.get("Content-Type") != "application/json":
            self.violations.append(f"{request.method} {request.path}: body is not JSON")
        return json.loads(raw), {}

    async def _route(self, sent: Sent) -> web.Response:
        for method, pattern, handler in self._routes():
            match = re.fullmatch(pattern, sent.path)
            if method == sent.method and match:
                return await handler(sent, *match.groups())
        self.violations.append(f"unexpected call {sent.method} {sent.path}")
        return error_response(404, 0, "404: Not Found")

    def _routes(self) -> list[tuple[str, str, Any]]:
        app = str(self.application_id)
        return [
            ("GET", r"/users/@me", self._get_me),
            ("GET", r"/gateway/bot", self._gateway_bot),
            ("GET", r"/oauth2/applications/@me", self._application),
            ("PUT", rf"/applications/{app}/commands", self._put_commands),
            ("PUT", rf"/applications/{app}/guilds/(\d+)/commands", self._put_commands),
            ("POST", r"/interactions/(\d+)/([^/]+)/callback", self._callback),
            ("GET", rf"/webhooks/{app}/([^/]+)/messages/@original", self._get_original),
            ("PATCH", rf"/webhooks/{app}/([^/]+)/messages/@original", self._edit_original),
            ("POST", rf"/webhooks/{app}/([^/]+)", self._followup),
            ("PATCH", rf"/webhooks/{app}/([^/]+)/messages/(\d+)", self._edit_followup),
            ("POST", r"/users/@me/channels", self._open_dm),
            ("POST", r"/channels/(\d+)/messages", self._channel_message),
            ("GET", r"/channels/(\d+)/messages/(\d+)", self._get_channel_message),
            ("PATCH", r"/channels/(\d+)/messages/(\d+)", self._edit_channel_message),
        ]

    async def _get_me(self, sent: Sent) -> web.Response:
        return json_response(user_payload(self.bot))

    async def _gateway_bot(self, sent: Sent) -> web.Response:
        limit = {
            "total": 1000,
            "remaining": 999,
            "reset_after": 0,
            "max_concurrency": self.max_concurrency,
        }
        shards = self.recommended_shards
        return json_response(
            {"url": self.gateway_url, "shards": shards, "session_start_limit": limit}
        )

    async def _application(self, sent: Sent) -> web.Response:
        return json_response(
            {
                "id": str(self.application_id),
                "name": "Quizbot",
                "description": "",
                "icon": None,
                "bot_public": False,
                "bot_require_code_grant": False,
                "owner": user_payload(DcUser(1, "Owner")),
                "verify_key": "0" * 64,
                "flags": 0,
                "team": None,
            }
        )

    async def _put_commands(self, sent: Sent, guild: str | None = None) -> web.Response:
        commands = sent.body if isinstance(sent.body, list) else []
        problems = check_commands(commands)
        if problems:
            return self._refuse(problems)
        guild_id = int(guild) if guild else None
        stored = [
            {**c, "id": str(self.ids.next()), "application_id": str(self.application_id)}
            for c in commands
        ]
        if guild_id is not None:
            for command in stored:
                command["guild_id"] = str(guild_id)
        self.commands[guild_id] = stored
        return json_response(stored)

    # --- used by FakeDiscordUsers ----------------------------------------------------------

    def _member_or_user(self, user: DcUser, channel: DcChannel, permissions: int) -> dict[str, Any]:
        if channel.guild_id is None:
            return {"user": user_payload(user)}
        return {"member": member_payload(user, permissions)}
