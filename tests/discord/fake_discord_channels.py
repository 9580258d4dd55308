"""Channels, DMs and messages in the fake Discord: create, edit, attachments, closed DMs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from tests.discord.fake_discord_checks import check_message
from tests.discord.fake_discord_payloads import DcChannel, channel_payload, message_payload
from tests.discord.fake_discord_wire import error_response, json_response, public

if TYPE_CHECKING:
    from tests.discord.fake_discord import FakeDiscord, Sent

__all__ = ["ChannelMessages"]


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
        if problems:
            return self._refuse(problems)
        return json_response(public(self._create_message(channel, sent.body, 0, sent.files)))

    async def _edit_channel_message(
        self: FakeDiscord, sent: Sent, channel_id: str, message_id: str
    ) -> web.Response:
        message = self.messages.get(int(message_id))
        if message is None or message["channel_id"] != channel_id:
            return error_response(404, 10008, "Unknown Message")
        problems = check_message(sent.body, edit=True, files=sent.files)
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
        message = message_payload(
            message_id, channel, self.bot, body, flags=flags, attachments=_attachments(body, files)
        )
        message["files"] = files
        self.messages[message_id] = message
        return message

    def _update_message(
        self: FakeDiscord, message: dict[str, Any], body: dict[str, Any], files: dict[str, bytes]
    ) -> None:
        for key in ("content", "embeds", "components"):
            if key in body:
                message[key] = body[key] or ([] if key != "content" else "")
        if "attachments" in body or files:
            message["attachments"] = _attachments(body, files)
            message["files"] = files
        message["edited_timestamp"] = message["timestamp"]

    def _refuse(self: FakeDiscord, problems: list[str], status: int = 400) -> web.Response:
        self.violations.extend(problems)
        return error_response(status, 50035, "; ".join(problems))


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
