"""A small fake Telegram Bot API server (aiohttp, 127.0.0.1) for tests through real PTB.

Point python-telegram-bot at `fake.base_url` / `fake.base_file_url`. Every call is checked
against api.min.json (unknown method, missing or unknown parameter) and validated the way
Telegram does (HTML entities, 4096-character text, 1–64-byte callback data); what the bot
sent wrongly lands in `fake.violations`. Tests inject updates (`push_message`,
`push_command`, `press_button`, `push_document`, `push_raw_update`) and failures (`fail_next`,
`rate_limit_next`, `refuse_file_ids`), and wait for the bot's answer with
`await fake.wait_for(method)`. Every multipart upload is counted in `fake.uploads`. After a 429
the fake, like Telegram, refuses (as a violation) a retry to the same chat before `retry_after`.
Once the bot called setWebhook (checked as Telegram does), getUpdates answers 409 and tests
deliver updates by `post_to_webhook`, as Telegram POSTs them (or as a forger would).

With `enforce_flood_limits` it answers 429 to messages beyond Telegram's rates
(`fake_bot_api_flood`), counted in `fake.flood.refusals`.
"""

from __future__ import annotations

import asyncio
import itertools
import math
import socket
from collections import defaultdict, deque
from collections.abc import Callable
from typing import Any

import aiohttp
from aiohttp import web

from tests.telegram.fake_bot_api_flood import FloodControl
from tests.telegram.fake_bot_api_methods import BotApiState, Violation
from tests.telegram.fake_bot_api_objects import ApiError, Call, TgChat, TgUser, Upload
from tests.telegram.fake_bot_api_spec import load_spec

__all__ = ["REGISTERED", "TOKEN", "FakeBotApi", "TgChat", "TgUser"]

TOKEN = "123456789:TEST-token_for-the-fake-bot-api"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# `post_to_webhook`'s default: send the secret the bot registered, as Telegram does.
REGISTERED = "registered secret"


class FakeBotApi:
    def __init__(self, token: str = TOKEN, *, max_poll_timeout: float = 1.0) -> None:
        self.token = token
        self.spec = load_spec()
        bot = TgUser(int(token.split(":")[0]), "Quizbot", "quizbot_test_bot", is_bot=True)
        self.state = BotApiState(self.spec, bot, max_poll_timeout)
        self.calls: list[Call] = []
        # Called with each call once it is answered (a benchmark's clock, for one).
        self.listeners: list[Callable[[Call], None]] = []
        self.violations: list[str] = []
        self.expected_violations: list[str] = []
        self._failures: defaultdict[str, deque[ApiError]] = defaultdict(deque)
        # (method, chat_id) -> loop time before which Telegram asked not to be called again
        self._flood_waits: dict[tuple[str, str], float] = {}
        self.flood: FloodControl | None = None  # Telegram's rates, when a test enforces them
        self._called = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self._query_ids = itertools.count(4_000_000_001)
        self.port = 0

    # --- lifecycle -----------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
            await web.SockSite(self._runner, sock).start()
        except BaseException:
            sock.close()
            await self.stop()
            raise

    async def stop(self) -> None:
        self.state.closing = True
        self.state.new_update.set()  # release a pending long poll at once
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    @property
    def bot_user(self) -> TgUser:
        return self.state.bot

    # --- what users do -------------------------------------------------------------------

    def push_message(
        self, chat: TgChat | int, user: TgUser, text: str, *, reply_to: int | None = None
    ) -> dict[str, Any]:
        """A text message; `reply_to` makes it a reply to that message of the chat."""
        target = _chat(chat)
        extra = {}
        if reply_to is not None:
            extra["reply_to_message"] = dict(self.state.message(target.id, reply_to))
        message = self.state.user_message(target, user, text=text, **extra)
        return self.state.add_update("message", message)

    def push_command(
        self, chat: TgChat | int, user: TgUser, command: str, args: str = ""
    ) -> dict[str, Any]:
        head = "/" + command.lstrip("/")
        text = f"{head} {args}".rstrip()
        entity = {"type": "bot_command", "offset": 0, "length": len(head)}
        message = self.state.user_message(_chat(chat), user, text=text, entities=[entity])
        return self.state.add_update("message", message)

    def push_raw_update(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        """An update exactly as given (one the bot may not be able to read, for one)."""
        return self.state.add_update(kind, payload)

    def push_document(
        self,
        chat: TgChat | int,
        user: TgUser,
        file_name: str,
        content: bytes,
        mime_type: str = "text/plain",
    ) -> dict[str, Any]:
        stored = self.state.store_file(content, "documents", file_name)
        document = stored.to_dict() | {"file_name": file_name, "mime_type": mime_type}
        del document["file_path"]
        message = self.state.user_message(_chat(chat), user, document=document)
        return self.state.add_update("message", message)

    def press_button(
        self, chat: TgChat | int, user: TgUser, message_id: int, data: str, *, strict: bool = True
    ) -> str:
        """A press on a button of a message the bot sent; returns the callback query id.

        With `strict`, `data` must be on the message's current keyboard, as in a real client.
        """
        target = _chat(chat)
        message = self.state.message(target.id, message_id)
        buttons = [
            b for row in message.get("reply_markup", {}).get("inline_keyboard", []) for b in row
        ]
        if strict and data not in [b.get("callback_data") for b in buttons]:
            raise ValueError(f"no button with callback_data {data!r} on message {message_id}")
        self.state.users[user.id] = user
        query_id = str(next(self._query_ids))
        query = {
            "id": query_id,
            "from": user.to_dict(),
            "message": dict(message),
            "chat_instance": str(target.id),
            "data": data,
        }
        self.state.open_queries.add(query_id)
        self.state.add_update("callback_query", query)
        return query_id

    async def post_to_webhook(
        self, update: dict[str, Any], to: str, *, secret: str | None = REGISTERED
    ) -> int:
        """POST `update` (one `push_*` made) to the bot's server at `to`, where the load balancer
        forwards the webhook URL; the HTTP status it answered.

        With the default `secret` the fake acts as Telegram: the webhook must be set, and the
        update of a type it allows, sent with the registered secret; any other `secret` (None:
        no header) is a forger's request.
        """
        self.state.updates = [u for u in self.state.updates if u is not update]
        headers = {}
        if secret == REGISTERED:
            webhook = self.state.webhook
            if webhook is None:
                raise AssertionError("the bot set no webhook: Telegram would not post to it")
            kinds = set(update) - {"update_id"}
            if webhook.allowed_updates and not kinds <= set(webhook.allowed_updates):
                raise AssertionError(f"Telegram does not post {kinds} to this webhook")
            secret = webhook.secret_token
        if secret is not None:
            headers[SECRET_HEADER] = secret
        async with (
            aiohttp.ClientSession() as session,
            session.post(to, json=update, headers=headers) as response,
        ):
            return response.status

    def refuse_file_ids(self, *file_ids: str) -> None:
        """Telegram no longer takes these file_ids (an expired file reference, or ids another
        bot was given): sending by one answers 400 "wrong file identifier/HTTP URL specified"."""
        for file_id in file_ids:
            self.state.files.pop(file_id, None)

    def set_admins(self, chat_id: int, admins: list[TgUser]) -> None:
        self.state.admins[chat_id] = list(admins)

    def block(self, chat_id: int) -> None:
        """The user blocked the bot: sending to this chat answers 403 from now on."""
        self.state.blocked.add(chat_id)

    # --- failures and expectations -------------------------------------------------------

    def fail_next(
        self, method: str, status: int, description: str, retry_after: int | None = None
    ) -> None:
        self._failures[method.lower()].append(ApiError(status, description, retry_after))

    def rate_limit_next(self, method: str, count: int, retry_after: int = 1) -> None:
        """The next `count` calls of `method` answer 429, asking to wait `retry_after` seconds."""
        for _ in range(count):
            description = f"Too Many Requests: retry after {retry_after}"
            self.fail_next(method, 429, description, retry_after=retry_after)

    def enforce_flood_limits(self, flood: FloodControl | None = None) -> FloodControl:
        """From now on, answer 429 to messages beyond Telegram's rates (or `flood`'s)."""
        self.flood = flood or FloodControl()
        return self.flood

    def expect_violation(self, fragment: str) -> None:
        """Mark violations containing `fragment` as intended by the test."""
        self.expected_violations.append(fragment)

    def unexpected_violations(self) -> list[str]:
        return [v for v in self.violations if not any(f in v for f in self.expected_violations)]

    # --- what the bot did ----------------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method.lower() == method.lower()]

    def sent_messages(self, chat_id: int) -> list[dict[str, Any]]:
        """Messages the bot sent to a chat, as they are now (edits applied), oldest first."""
        messages = self.state.messages.get(chat_id, {}).values()
        return [dict(m) for m in messages if m["from"]["id"] == self.state.bot.id]

    @property
    def uploads(self) -> list[Upload]:
        return list(self.state.uploads)

    async def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Wait until the bot has called `method` at least `count` times (answered, too)."""

        def done() -> bool:
            return len(self.calls_to(method)) >= count

        async with self._called:
            try:
                await asyncio.wait_for(self._called.wait_for(done), timeout)
            except TimeoutError:
                made = [call.method for call in self.calls]
                raise AssertionError(f"{method} called < {count} times; calls: {made}") from None
        return self.calls_to(method)

    # --- HTTP ----------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(ApiError(401, "Unauthorized").payload(), status=401)
        name = request.match_info["method"]
        method = self.spec.method_name(name) or name
        params, files = await self._read(request, method)
        call = Call(method, params, files)
        self.calls.append(call)
        try:
            result = await self._answer(method, params)
            response = web.json_response({"ok": True, "result": result})
        except ApiError as error:
            if isinstance(error, Violation):
                self.violations.append(f"{method}: {error.description}")
            response = web.json_response(error.payload(), status=error.status)
        for listener in self.listeners:
            listener(call)
        async with self._called:
            self._called.notify_all()
        return response

    async def _answer(self, method: str, params: dict[str, Any]) -> Any:
        problem = self.spec.check(method, params)
        if problem is not None:
            raise Violation(problem.status, problem.description)
        now = asyncio.get_running_loop().time()
        flood_key = (method, str(params.get("chat_id")))
        wait = self._flood_waits.get(flood_key, now) - now
        if wait > 0:
            raise Violation(
                429, f"Too Many Requests: retried {wait:.2f} s before retry_after", math.ceil(wait)
            )
        failures = self._failures[method.lower()]
        if failures:
            failure = failures.popleft()
            if failure.status == 429 and failure.retry_after is not None:
                self._flood_waits[flood_key] = now + failure.retry_after
            raise failure
        if self.flood is not None:
            media = params.get("media") if method == "sendMediaGroup" else None
            count = len(media) if isinstance(media, list) and media else 1
            retry_after = self.flood.check(method, params.get("chat_id"), now, count)
            if retry_after is not None:
                raise ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after)
        if method == "getUpdates":
            return await self.state.get_updates(params)
        handler = self.state.methods().get(method)
        if handler is None:
            raise Violation(501, f"Not Implemented: the fake does not serve {method}")
        return handler(params)

    async def _read(
        self, request: web.Request, method: str
    ) -> tuple[dict[str, Any], dict[str, Upload]]:
        if request.content_type == "application/json":
            body = await request.json() if request.can_read_body else {}
            return dict(body), {}
        form = await request.post() if request.can_read_body else request.query
        raw: dict[str, str] = {}
        files: dict[str, Upload] = {}
        for key, value in form.items():
            if isinstance(value, web.FileField):
                files[key] = Upload(value.filename, value.file.read())
            else:
                raw[key] = str(value)
        params = self.spec.decode(method, raw)
        # A file part named like a parameter is its value; others are attach:// targets.
        params.update({k: v for k, v in files.items() if k in self.spec.parameter_names(method)})
        if isinstance(params.get("media"), list):  # sendMediaGroup: items name parts attach://x
            params["media"] = [_attached(item, files) for item in params["media"]]
        return params, files

    async def _download(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.Response(status=401, text="Unauthorized")
        path = request.match_info["path"]
        for stored in self.state.files.values():
            if stored.file_path == path:
                return web.Response(body=stored.content)
        return web.Response(status=404, text="Not Found")


def _attached(item: Any, files: dict[str, Upload]) -> Any:
    """A media group item with its `attach://name` replaced by the uploaded part (Telegram
    refuses a name no part has)."""
    if not isinstance(item, dict) or not str(item.get("media", "")).startswith("attach://"):
        return item
    name = str(item["media"]).removeprefix("attach://")
    if name not in files:
        raise web.HTTPBadRequest(text=f"no file part {name!r} for attach://{name}")
    return item | {"media": files[name]}


def _chat(chat: TgChat | int) -> TgChat:
    return chat if isinstance(chat, TgChat) else TgChat(chat)
