"""Channels, DMs and messages in the fake Discord: create, edit, attachments, closed DMs.

A message's attachments follow Discord's rule for edits: those a PATCH lists stay (by id), new
ones come from its upload parts, the others go; an upload Discord would find too large is
refused with 413 (code 40005) as Discord does."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from tests.discord.fake_discord_checks import TOO_LARGE, check_message
from tests.discord.fake_discord_payloads import DcChannel, channel_payload, message_payload
from tests.discord.fake_discord_wire import error_response, json_response, public

if TYPE_CHECKING:
    from tests.discord.fake_discord import FakeDiscord, Sent

__all__ = ["ChannelMessages", "attachment_problems"]


class ChannelMessages:
    async def _open_dm(self: FakeDiscord, sent: Sent) -> web.Response:
        recipient = int(sent.body.get("recipient_id", 0))
        user = self.users.get(recipient)
        if user is None:
            return error_response(400, 50033, "Invalid Recipients")
        return json_response(channel_payload(self.dm_channel(user)))

    async def _channel_message(self: FakeDiscord, sent: Sent, channel_id: str) -> web.Response:
        channel = self.channels.get(int(channel_id))
        if channel is None:
            return error_response(404, 10003, "Unknown Channel")
        if channel.recipient is not None and channel.recipient.id in self.closed_dms:
            return error_response(403, 50007, "Cannot send messages to this user")
        problems = check_message(sent.body, files=sent.files)
        problems += attachment_problems(None, sent.body, sent.files)
        if problems:
            return self._refuse(problems)
        return json_response(public(self._create_message(channel, sent.body, 0, sent.files)))

    async def _get_channel_message(
        self: FakeDiscord, sent: Sent, channel_id: str, message_id: str
    ) -> web.Response:
        message = self.messages.get(int(message_id))
        if message is None or message["channel_id"] != channel_id:
            return error_response(404, 10008, "Unknown Message")
        return json_response(public(message))

    async def _edit_channel_message(
        self: FakeDiscord, sent: Sent, channel_id: str, message_id: str
    ) -> web.Response:
        message = self.messages.get(int(message_id))
        if message is None or message["channel_id"] != channel_id:
            return error_response(404, 10008, "Unknown Message")
        problems = check_message(sent.body, edit=True, files=sent.files)
        problems += attachment_problems(message, sent.body, sent.files)
        if problems:
            return self._refuse(problems)
        self._update_message(message, sent.body, sent.files)
        return json_response(public(message))

    async def _download(self: FakeDiscord, request: web.Request) -> web.Response:
        self.downloads.append(int(request.match_info["id"]))
        data = self.uploads.get(int(request.match_info["id"]))
        if data is None:
            return web.Response(status=404)
        return web.Response(body=data, content_type="application/octet-stream")

    def _create_message(
        self: FakeDiscord,
        channel: DcChannel,
        body: dict[str, Any],
        flags: int,
        files: dict[str, bytes],
    ) -> dict[str, Any]:
        message_id = self.ids.next()
        message = message_payload(message_id, channel, self.bot, body, flags=flags)
        message["files"] = {}
        self._apply_attachments(message, body, files)
        self.messages[message_id] = message
        return message

    def _update_message(
        self: FakeDiscord, message: dict[str, Any], body: dict[str, Any], files: dict[str, bytes]
    ) -> None:
        for key in ("content", "embeds", "components"):
            if key in body:
                message[key] = body[key] or ([] if key != "content" else "")
        self._apply_attachments(message, body, files)
        message["edited_timestamp"] = message["timestamp"]

    def _apply_attachments(
        self: FakeDiscord, message: dict[str, Any], body: dict[str, Any], files: dict[str, bytes]
    ) -> None:
        """Discord's rule (API v10): with `attachments` in the body the message has exactly the
        ones it lists, kept ones by their id and new ones by the upload part `files[id]`; without
        it, it keeps what it had. Checked first by `attachment_problems`."""
        if "attachments" not in body:
            return
        current = {a["id"]: a for a in message.get("attachments") or []}
        attachments, kept_files = [], {}
        for item in body["attachments"]:
            ident = str(item.get("id"))
            data = files.get(f"files[{ident}]")
            if data is None:
                attachments.append(current[ident])
                kept_files[ident] = message["files"][ident]
                continue
            new_id = str(self.ids.next())
            filename = item.get("filename", ident)
            url = f"https://cdn.invalid/attachments/{new_id}/{filename}"
            attachments.append(
                {
                    "id": new_id,
                    "filename": filename,
                    "size": len(data),
                    "url": url,
                    "proxy_url": url,
                }
            )
            kept_files[new_id] = data
        message["attachments"] = attachments
        message["files"] = kept_files

    def _refuse(self: FakeDiscord, problems: list[str], status: int = 400) -> web.Response:
        self.violations.extend(problems)
        if any(problem.startswith(TOO_LARGE) for problem in problems):
            return error_response(413, 40005, TOO_LARGE)
        return error_response(status, 50035, "; ".join(problems))


def attachment_problems(
    message: dict[str, Any] | None, body: dict[str, Any], files: dict[str, bytes]
) -> list[str]:
    """Each entry of `attachments` names an upload of this request (`files[id]`) or, in an edit
    of `message`, one of its attachments to keep; Discord refuses any other."""
    current = {a["id"] for a in (message or {}).get("attachments") or []}
    return [
        f"attachment {item.get('id')!r} is neither an upload of this request nor the message's"
        for item in body.get("attachments") or []
        if f"files[{item.get('id')}]" not in files and str(item.get("id")) not in current
    ]
