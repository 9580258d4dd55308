"""The fake Bot API's state and its methods: chats' messages, updates, files, callback queries.

Each method takes decoded params and returns the `result` Telegram would, or raises ApiError
with Telegram's status and description. Errors the bot's code caused by sending something
Telegram refuses (bad HTML, over-long text, bad callback data) are marked as violations.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable
from typing import Any

from tests.telegram.fake_bot_api_html import EntityParseError, ParsedText, parse_html, utf16_len
from tests.telegram.fake_bot_api_objects import ApiError, StoredFile, TgChat, TgUser, Upload
from tests.telegram.fake_bot_api_photos import photo_size
from tests.telegram.fake_bot_api_spec import ApiSpec
from tests.telegram.fake_bot_api_webhook import Webhook, webhook_problem

__all__ = ["BotApiState", "Violation"]

MAX_TEXT = 4096
MAX_CAPTION = 1024
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"


class Violation(ApiError):
    """A request the real Bot API refuses because the bot sent something invalid."""


class BotApiState:
    def __init__(self, spec: ApiSpec, bot: TgUser, max_poll_timeout: float) -> None:
        self.spec = spec
        self.bot = bot
        self.max_poll_timeout = max_poll_timeout
        self.messages: dict[int, dict[int, dict[str, Any]]] = {}
        self.files: dict[str, StoredFile] = {}
        self.uploads: list[Upload] = []
        self.commands: list[dict[str, Any]] = []
        self.admins: dict[int, list[TgUser]] = {}
        self.users: dict[int, TgUser] = {}
        self.blocked: set[int] = set()
        self.updates: list[dict[str, Any]] = []
        self.open_queries: set[str] = set()
        self.new_update = asyncio.Event()
        self.closing = False
        self.webhook: Webhook | None = None
        self._poller: object | None = None  # the getUpdates request being served
        self._ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count[int]] = {}

    # --- things that happen on the user's side ------------------------------------------

    def add_update(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        update = {"update_id": next(self._ids), kind: payload}
        self.updates.append(update)
        self.new_update.set()
        return update

    def user_message(self, chat: TgChat, user: TgUser, **content: Any) -> dict[str, Any]:
        self.users[user.id] = user
        return self._store(chat, {"from": user.to_dict(), **content})

    def store_file(self, content: bytes, path_prefix: str, name: str) -> StoredFile:
        number = next(self._ids)
        stored = StoredFile(
            f"file-{number}", f"u{number}", f"{path_prefix}/{number}-{name}", content
        )
        self.files[stored.file_id] = stored
        return stored

    def message(self, chat_id: int, message_id: int) -> dict[str, Any]:
        message = self.messages.get(chat_id, {}).get(message_id)
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        return message

    # --- the Bot API methods ------------------------------------------------------------

    def methods(self) -> dict[str, Callable[[dict[str, Any]], Any]]:
        return {
            "getMe": lambda p: self.bot.to_dict() | {"can_join_groups": True},
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getMyCommands": lambda p: self.commands,
            "setMyCommands": self._set_my_commands,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageCaption": self._edit_message_caption,
            "editMessageReplyMarkup": self._edit_reply_markup,
            "answerCallbackQuery": self._answer_callback_query,
            "sendPhoto": lambda p: self._send_file(p, "photo"),
            "sendDocument": lambda p: self._send_file(p, "document"),
            "sendAudio": lambda p: self._send_file(p, "audio"),
            "sendVoice": lambda p: self._send_file(p, "voice"),
            "sendMediaGroup": self._send_media_group,
            "getFile": self._get_file,
            "getChatMember": self._get_chat_member,
            "getChatAdministrators": lambda p: [
                self._admin(user) for user in self.admins.get(int(p["chat_id"]), [])
            ],
            "deleteMessage": self._delete_message,
        }

    def _set_webhook(self, params: dict[str, Any]) -> bool:
        problem = webhook_problem(self.spec, params)
        if problem is not None:
            raise Violation(400, f"Bad Request: {problem}")
        self.webhook = Webhook(
            params["url"], params.get("secret_token"), params.get("allowed_updates")
        )
        return True

    def _delete_webhook(self, params: dict[str, Any]) -> bool:
        self.webhook = None
        return True

    @property
    def polled(self) -> bool:
        """Whether a getUpdates request is waiting for updates now."""
        return self._poller is not None

    async def get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = min(float(params.get("timeout") or 0), self.max_poll_timeout)
        allowed = params.get("allowed_updates") or None
        # As Telegram: a newer request ends the older one with 409 and is served itself.
        poller = self._poller = object()
        self.new_update.set()
        if offset > 0:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        elif offset < 0:
            self.updates = self.updates[offset:]
        try:
            deadline = asyncio.get_running_loop().time() + timeout
            while not (ready := self._pending(allowed)) and not self.closing:
                if self._poller is not poller:
                    raise ApiError(409, "Conflict: terminated by other getUpdates request")
                remaining = deadline - asyncio.get_running_loop().time()
                if remaining <= 0:
                    break
                self.new_update.clear()
                try:
                    await asyncio.wait_for(self.new_update.wait(), remaining)
                except TimeoutError:
                    break
            return ready[:limit]
        finally:
            if self._poller is poller:
                self._poller = None

    def _pending(self, allowed: list[str] | None) -> list[dict[str, Any]]:
        return [
            u for u in self.updates if allowed is None or set(u) - {"update_id"} <= set(allowed)
        ]

    def _set_my_commands(self, params: dict[str, Any]) -> bool:
        self.commands = list(params["commands"])
        return True

    def _send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._target(params)
        parsed = _parse(params, "text", MAX_TEXT)
        content = _text_content(parsed)
        return self._store(chat, {"from": self.bot.to_dict(), **content, **_markup(params)})

    def _edit_message_text(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._editable(params)
        if "text" not in message:
            raise Violation(400, "Bad Request: there is no text in the message to edit")
        parsed = _parse(params, "text", MAX_TEXT)
        content = _text_content(parsed)
        return self._apply_edit(message, content | _markup(params))

    def _edit_message_caption(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._editable(params)
        if "text" in message:
            raise Violation(400, "Bad Request: there is no caption in the message to edit")
        parsed = _parse(params, "caption", MAX_CAPTION, optional=True)
        content: dict[str, Any] = {"caption": parsed.text, "caption_entities": parsed.entities}
        return self._apply_edit(message, content | _markup(params))

    def _edit_reply_markup(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._editable(params)
        return self._apply_edit(message, _markup(params))

    def _apply_edit(self, message: dict[str, Any], content: dict[str, Any]) -> dict[str, Any]:
        new = {k: v for k, v in message.items() if k not in ("reply_markup", "edit_date")}
        new.update(content)
        new = {k: v for k, v in new.items() if v or k not in ("caption", "caption_entities")}
        if _comparable(new) == _comparable(message):
            raise ApiError(400, NOT_MODIFIED)
        new["edit_date"] = int(time.time())
        message.clear()
        message.update(new)
        return dict(message)

    def _answer_callback_query(self, params: dict[str, Any]) -> bool:
        query_id = str(params["callback_query_id"])
        if query_id not in self.open_queries:
            raise ApiError(400, QUERY_TOO_OLD)
        self.open_queries.remove(query_id)
        return True

    def _send_file(self, params: dict[str, Any], kind: str) -> dict[str, Any]:
        chat = self._target(params)
        parsed = _parse(params, "caption", MAX_CAPTION, optional=True)
        value = params[kind]
        size = (640, 480)
        if isinstance(value, Upload):
            if kind == "photo":
                try:
                    size = photo_size(value.content)
                except ValueError as refused:
                    raise Violation(400, str(refused)) from None
            self.uploads.append(value)
            stored = self.store_file(value.content, f"{kind}s", value.filename)
        elif isinstance(value, str) and value in self.files:
            stored = self.files[value]
        else:
            raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        meta = stored.to_dict()
        del meta["file_path"]
        media: Any = [meta | {"width": size[0], "height": size[1]}] if kind == "photo" else meta
        if kind == "document":
            media["file_name"] = getattr(value, "filename", "document")
        if kind in ("audio", "voice"):
            media["duration"] = 1  # Telegram reads it from the file; the fake need not
            if kind == "audio" and isinstance(value, Upload):
                media["file_name"] = value.filename
        content: dict[str, Any] = {kind: media}
        if parsed.text:
            content["caption"] = parsed.text
            if parsed.entities:
                content["caption_entities"] = parsed.entities
        return self._store(chat, {"from": self.bot.to_dict(), **content, **_markup(params)})

    def _send_media_group(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Telegram's rules: 2–10 items, photos and videos together or audios or documents
        alone, each caption at most 1,024 characters, no keyboard on an album."""
        items = params.get("media")
        if not isinstance(items, list) or not 2 <= len(items) <= 10:
            raise Violation(400, "Bad Request: wrong number of media specified (2-10)")
        kinds = {str(item.get("type")) for item in items}
        if not (kinds <= {"photo", "video"} or kinds in ({"audio"}, {"document"})):
            raise Violation(400, f"Bad Request: media of types {sorted(kinds)} can't be mixed")
        for item in items:  # all checked before any is sent: an album is sent whole or not
            _parse(item, "caption", MAX_CAPTION, optional=True)
            media = item.get("media")
            if not isinstance(media, Upload) and str(media) not in self.files:
                raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        group = f"group-{next(self._ids)}"
        messages = []
        for item in items:
            kind = str(item["type"])
            single = {"chat_id": params["chat_id"], kind: item["media"]}
            single |= {k: item[k] for k in ("caption", "parse_mode") if k in item}
            messages.append(self._send_file(single, kind) | {"media_group_id": group})
            self.messages[int(params["chat_id"])][messages[-1]["message_id"]]["media_group_id"] = (
                group
            )
        return messages

    def _get_file(self, params: dict[str, Any]) -> dict[str, Any]:
        stored = self.files.get(str(params["file_id"]))
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        return stored.to_dict()

    def _get_chat_member(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id, user_id = int(params["chat_id"]), int(params["user_id"])
        admins = {user.id: user for user in self.admins.get(chat_id, [])}
        if user_id in admins:
            return self._admin(admins[user_id])
        user = self.bot if user_id == self.bot.id else self.users.get(user_id)
        if user is None:
            return {"status": "left", "user": TgUser(user_id, f"User {user_id}").to_dict()}
        return {"status": "member", "user": user.to_dict()}

    def _admin(self, user: TgUser) -> dict[str, Any]:
        member: dict[str, Any] = {"status": "administrator", "user": user.to_dict()}
        for name, types in self.spec.required_fields("ChatMemberAdministrator").items():
            if types == ["Boolean"]:
                member[name] = name != "is_anonymous"
        return member

    def _delete_message(self, params: dict[str, Any]) -> bool:
        chat_messages = self.messages.get(int(params["chat_id"]), {})
        if chat_messages.pop(int(params["message_id"]), None) is None:
            raise ApiError(400, "Bad Request: message to delete not found")
        return True

    # --- helpers -------------------------------------------------------------------------

    def _target(self, params: dict[str, Any]) -> TgChat:
        chat_id = params["chat_id"]
        if not isinstance(chat_id, int):
            raise ApiError(400, "Bad Request: chat not found")
        if chat_id in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return TgChat(chat_id)

    def _editable(self, params: dict[str, Any]) -> dict[str, Any]:
        if params.get("inline_message_id"):
            raise Violation(400, "Bad Request: the fake does not support inline messages")
        if "chat_id" not in params or "message_id" not in params:
            raise Violation(400, "Bad Request: chat_id and message_id are required")
        return self.message(int(params["chat_id"]), int(params["message_id"]))

    def _store(self, chat: TgChat, content: dict[str, Any]) -> dict[str, Any]:
        counter = self._message_ids.setdefault(chat.id, itertools.count(1))
        message = {
            "message_id": next(counter),
            "date": int(time.time()),
            "chat": chat.to_dict(),
            **content,
        }
        self.messages.setdefault(chat.id, {})[message["message_id"]] = message
        return dict(message)


def _parse(params: dict[str, Any], key: str, limit: int, *, optional: bool = False) -> ParsedText:
    """Entity parsing and length check as Telegram does them, for text or caption."""
    source = params.get(key)
    if source is None and optional:
        return ParsedText("")
    mode = (params.get("parse_mode") or "").lower()
    if mode == "html":
        try:
            parsed = parse_html(str(source))
        except EntityParseError as error:
            raise Violation(400, f"Bad Request: can't parse entities: {error}") from error
    elif mode:
        raise Violation(400, f"Bad Request: the fake supports parse_mode HTML only, not {mode}")
    else:
        parsed = ParsedText(str(source), list(params.get("entities") or []))
    if not parsed.text.strip() and not optional:
        raise Violation(400, f"Bad Request: message {key} is empty")
    if utf16_len(parsed.text) > limit:
        what = "message is too long" if key == "text" else "message caption is too long"
        raise Violation(400, f"Bad Request: {what}")
    return parsed


def _text_content(parsed: ParsedText) -> dict[str, Any]:
    content: dict[str, Any] = {"text": parsed.text}
    if parsed.entities:
        content["entities"] = parsed.entities
    return content


def _markup(params: dict[str, Any]) -> dict[str, Any]:
    markup = params.get("reply_markup")
    if not markup:
        return {}
    for row in markup.get("inline_keyboard", []):
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode("utf-8")) <= 64:
                raise Violation(400, "Bad Request: BUTTON_DATA_INVALID")
    if "force_reply" in markup:
        # Bot API ForceReply: force_reply must be True; a placeholder is 1-64 characters.
        placeholder = markup.get("input_field_placeholder")
        if markup["force_reply"] is not True or (
            placeholder is not None and not 1 <= len(placeholder) <= 64
        ):
            raise Violation(400, "Bad Request: can't parse reply keyboard markup JSON object")
        # Telegram's Message.reply_markup is only ever an inline keyboard: kept aside here.
        return {"sent_force_reply": markup}
    return {"reply_markup": markup} if "inline_keyboard" in markup else {}


def _comparable(message: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(
        message.get(key)
        for key in ("text", "entities", "caption", "caption_entities", "reply_markup")
    )
