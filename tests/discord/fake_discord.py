"""A small fake Discord REST + gateway server (aiohttp, 127.0.0.1) for tests through discord.py.

Point discord.py's `Route.BASE` at `fake.api_base`; `GET /gateway/bot` names the fake gateway.
Tests act as Discord users (`slash`, `press`, `autocomplete`) and read what the bot answered
(`response`, `followups`, `messages_in`). Everything the bot sends is validated as Discord
would (`fake_discord_checks`); problems land in `fake.violations`, and every interaction must
be acknowledged exactly once within 3 seconds. Failures are injected with `fail_next`.
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

from tests.discord.fake_discord_checks import EPHEMERAL, check_commands, check_message
from tests.discord.fake_discord_gateway import GatewaySession
from tests.discord.fake_discord_payloads import (
    BOT_ID,
    DcChannel,
    DcGuild,
    DcUser,
    Snowflakes,
    channel_payload,
    guild_payload,
    member_payload,
    message_payload,
    user_payload,
)
from tests.discord.fake_discord_users import FakeDiscordUsers

__all__ = ["TOKEN", "FakeDiscord", "Interaction", "Sent"]

TOKEN = "MTAw.fake-discord.bot-token-for-tests"
ACK_WINDOW = 3.0
JSON = {"Content-Type": "application/json"}  # exactly this: discord.py compares the string
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


class FakeDiscord(FakeDiscordUsers):
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
        self._failures: deque[tuple[str, re.Pattern[str], int, dict[str, Any]]] = deque()
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # --- lifecycle -----------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application(client_max_size=30 * 1024 * 1024)
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

    # --- test controls ---------------------------------------------------------------------

    def fail_next(
        self, method: str, path: str, status: int, body: dict[str, Any] | None = None
    ) -> None:
        """Answer the next `method` call whose path matches the `path` regex with an error."""
        self._failures.append((method, re.compile(path), status, body or {}))

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

    def _ready_payloads(self) -> list[tuple[str, dict[str, Any]]]:
        ready = {
            "v": 10,
            "user": user_payload(self.bot),
            "guilds": [{"id": str(g), "unavailable": True} for g in self.guilds],
            "session_id": secrets.token_hex(8),
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(self.application_id), "flags": 0},
        }
        creates = [
            ("GUILD_CREATE", guild_payload(g, self.bot, self._channels_of(g)))
            for g in self.guilds.values()
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
        sessions = [s for s in self.sessions if s.identified]
        if not sessions:
            raise AssertionError(f"no identified gateway session to dispatch {event} to")
        for session in sessions:
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
                return _error(401, 0, "401: Unauthorized")
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
                return _error(status, body.get("code", 0), body.get("message", "failure"))
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
        return _error(404, 0, "404: Not Found")

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
            ("PATCH", r"/channels/(\d+)/messages/(\d+)", self._edit_channel_message),
        ]

    async def _get_me(self, sent: Sent) -> web.Response:
        return _json(user_payload(self.bot))

    async def _gateway_bot(self, sent: Sent) -> web.Response:
        limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
        return _json({"url": self.gateway_url, "shards": 1, "session_start_limit": limit})

    async def _application(self, sent: Sent) -> web.Response:
        return _json(
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
        return _json(stored)

    # --- interaction responses ---------------------------------------------------------------

    async def _callback(self, sent: Sent, interaction_id: str, token: str) -> web.Response:
        interaction = self.interactions.get(int(interaction_id))
        if interaction is None or interaction.token != token:
            return self._refuse([f"callback for unknown interaction {interaction_id}"], 404)
        if sent.query.get("with_response") not in ("1", "true", "True"):
            self.violations.append("interaction callback without ?with_response=1")
        if interaction.acks:
            self.violations.append(f"interaction {interaction.id} acknowledged twice")
            return _error(400, 40060, "Interaction has already been acknowledged.")
        late = asyncio.get_running_loop().time() - interaction.dispatched_at
        if late > ACK_WINDOW:
            self.violations.append(f"interaction {interaction.id} acknowledged after {late:.1f}s")
            return _error(404, 10062, "Unknown interaction")
        kind = sent.body.get("type")
        data = sent.body.get("data") or {}
        if kind in (4, 7):
            problems = check_message(data, edit=kind == 7)
            if problems:
                return self._refuse(problems)
        interaction.acks.append(kind)
        return _json(self._apply_callback(interaction, kind, data, sent.files))

    def _apply_callback(
        self, interaction: Interaction, kind: int, data: dict[str, Any], files: dict[str, bytes]
    ) -> dict[str, Any]:
        answer: dict[str, Any] = {"id": str(interaction.id), "type": interaction.kind}
        message: dict[str, Any] | None = None
        if kind in (4, 5):
            flags = data.get("flags", 0) & EPHEMERAL
            message = self._create_message(interaction.channel, data, flags, files)
            message["interaction_token"] = interaction.token
            if kind == 5:
                message["flags"] |= 1 << 7  # loading
            interaction.original_id = int(message["id"])
            answer.update(
                response_message_id=message["id"],
                response_message_loading=kind == 5,
                response_message_ephemeral=bool(flags),
            )
        elif kind in (6, 7) and interaction.source_message_id is not None:
            message = self.messages[interaction.source_message_id]
            if kind == 7:
                self._update_message(message, data, files)
            answer["response_message_id"] = message["id"]
        elif kind == 8:
            interaction.choices = data.get("choices", [])
        result: dict[str, Any] = {"interaction": answer}
        if message is not None and kind in (4, 5, 7):
            result["resource"] = {"type": kind, "message": _public(message)}
        return result

    async def _get_original(self, sent: Sent, token: str) -> web.Response:
        interaction = self.by_token.get(token)
        if interaction is None or interaction.original_id is None:
            return _error(404, 10008, "Unknown Message")
        return _json(_public(self.messages[interaction.original_id]))

    async def _edit_original(self, sent: Sent, token: str) -> web.Response:
        interaction = self.by_token.get(token)
        if interaction is None or not interaction.acks:
            return self._refuse(["edit of @original before the interaction was acknowledged"], 404)
        target = interaction.original_id or interaction.source_message_id
        if target is None:
            return self._refuse(["edit of @original of an interaction with no message"], 404)
        problems = check_message(sent.body, edit=True)
        if problems:
            return self._refuse(problems)
        message = self.messages[target]
        self._update_message(message, sent.body, sent.files)
        message["flags"] &= ~(1 << 7)
        return _json(_public(message))

    async def _followup(self, sent: Sent, token: str) -> web.Response:
        interaction = self.by_token.get(token)
        if interaction is None or not interaction.acks:
            return self._refuse(["follow-up before the interaction was acknowledged"], 404)
        problems = check_message(sent.body)
        if problems:
            return self._refuse(problems)
        if interaction.acks[0] == 5 and interaction.original_id is not None:
            original = self.messages[interaction.original_id]
            if original["flags"] & (1 << 7):
                # The first follow-up after a deferral fills the deferred message.
                self._update_message(original, sent.body, sent.files)
                original["flags"] &= ~(1 << 7)
                return _json(_public(original))
        flags = sent.body.get("flags", 0) & EPHEMERAL
        message = self._create_message(interaction.channel, sent.body, flags, sent.files)
        interaction.followup_ids.append(int(message["id"]))
        return _json(_public(message))

    async def _edit_followup(self, sent: Sent, token: str, message_id: str) -> web.Response:
        message = self.messages.get(int(message_id))
        if message is None:
            return _error(404, 10008, "Unknown Message")
        problems = check_message(sent.body, edit=True)
        if problems:
            return self._refuse(problems)
        self._update_message(message, sent.body, sent.files)
        return _json(_public(message))

    # --- channels and DMs -------------------------------------------------------------------

    async def _open_dm(self, sent: Sent) -> web.Response:
        recipient = int(sent.body.get("recipient_id", 0))
        user = self.users.get(recipient)
        if user is None:
            return _error(400, 50033, "Invalid Recipients")
        return _json(channel_payload(self.dm_channel(user)))

    async def _channel_message(self, sent: Sent, channel_id: str) -> web.Response:
        channel = self.channels.get(int(channel_id))
        if channel is None:
            return _error(404, 10003, "Unknown Channel")
        if channel.recipient is not None and channel.recipient.id in self.closed_dms:
            return _error(403, 50007, "Cannot send messages to this user")
        problems = check_message(sent.body)
        if problems:
            return self._refuse(problems)
        return _json(_public(self._create_message(channel, sent.body, 0, sent.files)))

    async def _edit_channel_message(
        self, sent: Sent, channel_id: str, message_id: str
    ) -> web.Response:
        message = self.messages.get(int(message_id))
        if message is None or message["channel_id"] != channel_id:
            return _error(404, 10008, "Unknown Message")
        problems = check_message(sent.body, edit=True)
        if problems:
            return self._refuse(problems)
        self._update_message(message, sent.body, sent.files)
        return _json(_public(message))

    async def _download(self, request: web.Request) -> web.Response:
        self.downloads.append(int(request.match_info["id"]))
        data = self.uploads.get(int(request.match_info["id"]))
        if data is None:
            return web.Response(status=404)
        return web.Response(body=data, content_type="application/octet-stream")

    # --- messages --------------------------------------------------------------------------

    def _create_message(
        self, channel: DcChannel, body: dict[str, Any], flags: int, files: dict[str, bytes]
    ) -> dict[str, Any]:
        message_id = self.ids.next()
        message = message_payload(
            message_id, channel, self.bot, body, flags=flags, attachments=_attachments(body, files)
        )
        message["files"] = files
        self.messages[message_id] = message
        return message

    def _update_message(
        self, message: dict[str, Any], body: dict[str, Any], files: dict[str, bytes]
    ) -> None:
        for key in ("content", "embeds", "components"):
            if key in body:
                message[key] = body[key] or ([] if key != "content" else "")
        if "attachments" in body or files:
            message["attachments"] = _attachments(body, files)
            message["files"] = files
        message["edited_timestamp"] = message["timestamp"]

    def _refuse(self, problems: list[str], status: int = 400) -> web.Response:
        self.violations.extend(problems)
        return _error(status, 50035, "; ".join(problems))

    # --- used by FakeDiscordUsers ----------------------------------------------------------

    def _member_or_user(self, user: DcUser, channel: DcChannel, permissions: int) -> dict[str, Any]:
        if channel.guild_id is None:
            return {"user": user_payload(user)}
        return {"member": member_payload(user, permissions)}


def _attachments(body: dict[str, Any], files: dict[str, bytes]) -> list[dict[str, Any]]:
    named = {str(a.get("id")): a for a in body.get("attachments") or []}
    out = []
    for index, (key, data) in enumerate(files.items()):
        described = named.get(str(index), {})
        out.append(
            {
                "id": str(10**17 + index),
                "filename": described.get("filename", key),
                "size": len(data),
                "url": f"https://cdn.invalid/{key}",
                "proxy_url": f"https://cdn.invalid/{key}",
            }
        )
    return out


def _public(message: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in message.items() if k not in ("files", "interaction_token")}


def _json(payload: Any, status: int = 200) -> web.Response:
    return web.Response(status=status, body=json.dumps(payload), headers=JSON)


def _error(status: int, code: int, message: str) -> web.Response:
    return _json({"code": code, "message": message}, status)


__all__ += ["BOT", "DcChannel", "DcGuild", "DcUser", "channel_payload"]
