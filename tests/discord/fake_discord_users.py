"""What Discord users do in the fake: run slash commands, press buttons, type for autocomplete.

Each action dispatches an INTERACTION_CREATE over the gateway, shaped like Discord's, for a
command the bot synced (name and options are checked against it) or a component on a message
the bot sent. The answer is read back with `response`, `followups` and `choices`.
"""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tests.discord.fake_discord_payloads import (
    MEMBER_PERMISSIONS,
    DcChannel,
    DcUser,
    channel_payload,
)

if TYPE_CHECKING:
    from tests.discord.fake_discord import FakeDiscord, Interaction

__all__ = ["FakeDiscordUsers", "Upload"]

APPLICATION_COMMAND, COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 2, 3, 4, 5
_OPTION_TYPES = {str: 3, int: 4, bool: 5}
ATTACHMENT = 11


@dataclass(frozen=True, slots=True)
class Upload:
    """A file a user attaches to a command option."""

    filename: str
    data: bytes
    size: int | None = None  # what Discord reports; defaults to len(data)


class FakeDiscordUsers:
    users: dict[int, DcUser]

    def add_user(self: FakeDiscord, user: DcUser) -> DcUser:
        self.users[user.id] = user
        return user

    async def slash(
        self: FakeDiscord,
        user: DcUser,
        command: str,
        where: DcChannel,
        /,
        *,
        permissions: int = MEMBER_PERMISSIONS,
        **options: Any,
    ) -> Interaction:
        """Run `/command` (sub-commands as "deck import") with `options` as the user."""
        data = self._command_data(command, where, options, focused=None)
        return await self._interact(APPLICATION_COMMAND, user, where, data, permissions)

    async def autocomplete(
        self: FakeDiscord, user: DcUser, command: str, channel: DcChannel, focused: str, text: str
    ) -> list[dict[str, Any]]:
        """Type `text` into the `focused` option; the choices the bot offered."""
        data = self._command_data(command, channel, {focused: text}, focused=focused)
        interaction = await self._interact(AUTOCOMPLETE, user, channel, data, MEMBER_PERMISSIONS)
        await self.wait_until(lambda: interaction.choices is not None)
        return interaction.choices or []

    async def press(
        self: FakeDiscord,
        user: DcUser,
        message_id: int,
        custom_id: str,
        *,
        permissions: int = MEMBER_PERMISSIONS,
    ) -> Interaction:
        """Press the button `custom_id` on a message the bot sent."""
        message = self.messages[message_id]
        ids = [c.get("custom_id") for row in message["components"] for c in row["components"]]
        if custom_id not in ids:
            raise AssertionError(f"no button {custom_id!r} on message {message_id}: {ids}")
        channel = self.channels[int(message["channel_id"])]
        data = {"custom_id": custom_id, "component_type": 2}
        return await self._interact(
            COMPONENT, user, channel, data, permissions, message_id=message_id
        )

    async def submit_modal(
        self: FakeDiscord, opened: Interaction, values: dict[str, str]
    ) -> Interaction:
        """Fill in and submit the modal the bot opened in answer to `opened`, as its user.

        Discord's client enforces the inputs' lengths and `required`: a value it would not let
        the user submit is an AssertionError here.
        """
        await self.wait_until(lambda: opened.modal is not None)
        modal = opened.modal
        assert modal is not None
        rows = []
        for row in modal["components"]:
            (item,) = row["components"]
            value = values.get(item["custom_id"], item.get("value", ""))
            low, high = item.get("min_length", 0), item.get("max_length", 4000)
            if item.get("required", True) and not value:
                raise AssertionError(f"Discord requires a value for {item['custom_id']!r}")
            if value and not low <= len(value) <= high:
                raise AssertionError(f"Discord allows {low}–{high} characters, got {len(value)}")
            rows.append(
                {
                    "type": 1,
                    "components": [{"type": 4, "custom_id": item["custom_id"], "value": value}],
                }
            )
        data = {"custom_id": modal["custom_id"], "components": rows}
        return await self._interact(
            MODAL_SUBMIT,
            opened.user,
            opened.channel,
            data,
            MEMBER_PERMISSIONS,
            message_id=opened.source_message_id,
        )

    # --- reading answers ---------------------------------------------------------------------

    async def response(self: FakeDiscord, interaction: Interaction) -> dict[str, Any]:
        """The message the interaction answered with or updated, once it has its content."""

        def done() -> bool:
            if not interaction.acks:
                return False
            target = interaction.original_id or interaction.source_message_id
            return target is not None and not self.messages[target]["flags"] & (1 << 7)

        await self.wait_until(done)
        target = interaction.original_id or interaction.source_message_id
        assert target is not None
        return self.messages[target]

    async def followups(
        self: FakeDiscord, interaction: Interaction, count: int
    ) -> list[dict[str, Any]]:
        await self.wait_until(lambda: len(interaction.followup_ids) >= count)
        return [self.messages[i] for i in interaction.followup_ids]

    def messages_in(self: FakeDiscord, channel: DcChannel) -> list[dict[str, Any]]:
        return [m for m in self.messages.values() if m["channel_id"] == str(channel.id)]

    # --- building interactions ---------------------------------------------------------------

    async def _interact(
        self: FakeDiscord,
        kind: int,
        user: DcUser,
        channel: DcChannel,
        data: dict[str, Any],
        permissions: int,
        *,
        message_id: int | None = None,
    ) -> Interaction:
        from tests.discord.fake_discord import Interaction

        self.add_user(user)
        loop = asyncio.get_running_loop()
        interaction = Interaction(
            self.ids.next(), secrets.token_urlsafe(24), kind, user, channel, loop.time()
        )
        interaction.source_message_id = message_id
        self.interactions[interaction.id] = interaction
        self.by_token[interaction.token] = interaction
        payload: dict[str, Any] = {
            "id": str(interaction.id),
            "application_id": str(self.application_id),
            "type": kind,
            "data": data,
            "channel": channel_payload(channel),
            "channel_id": str(channel.id),
            "token": interaction.token,
            "version": 1,
            "app_permissions": str(MEMBER_PERMISSIONS),
            "locale": "en-US",
            "entitlements": [],
            "attachment_size_limit": 10 * 1024 * 1024,
            "context": 0 if channel.guild_id else 1,
            **self._member_or_user(user, channel, permissions),
        }
        if channel.guild_id is not None:
            payload["guild_id"] = str(channel.guild_id)
            payload["guild_locale"] = "en-US"
            payload["authorizing_integration_owners"] = {"0": str(channel.guild_id)}
        else:
            payload["authorizing_integration_owners"] = {"1": str(user.id)}
        if message_id is not None:
            message = self.messages[message_id]
            payload["message"] = {k: v for k, v in message.items() if k != "files"}
        await self.dispatch("INTERACTION_CREATE", payload)
        return interaction

    def _command_data(
        self: FakeDiscord,
        command: str,
        channel: DcChannel,
        options: dict[str, Any],
        focused: str | None,
    ) -> dict[str, Any]:
        name, *path = command.split()
        synced = self.commands.get(None, []) + self.commands.get(channel.guild_id, [])
        found = next((c for c in synced if c["name"] == name), None)
        if found is None:
            raise AssertionError(f"/{name} was not synced: {[c['name'] for c in synced]}")
        declared = found
        for sub in path:
            declared = next(
                (o for o in declared.get("options", []) if o["name"] == sub and o["type"] == 1),
                {},
            )
            if not declared:
                raise AssertionError(f"/{command}: no sub-command {sub!r}")
        resolved: dict[str, Any] = {}
        values = []
        for key, value in options.items():
            option = next((o for o in declared.get("options", []) if o["name"] == key), None)
            if option is None:
                raise AssertionError(f"/{command} has no option {key!r}")
            if key != focused:
                _check_bounds(command, option, value)
            if option["type"] == ATTACHMENT:
                value = self._attach(value, resolved)
            entry: dict[str, Any] = {"name": key, "type": option["type"], "value": value}
            if key == focused:
                entry["focused"] = True
            values.append(entry)
        for option in declared.get("options", []):
            if option.get("required") and option["name"] not in options:
                raise AssertionError(f"/{command} needs option {option['name']!r}")
        for sub in reversed(path):
            values = [{"name": sub, "type": 1, "options": values}]
        data = {"id": found["id"], "name": name, "type": 1, "options": values}
        if resolved:
            data["resolved"] = resolved
        if found.get("guild_id"):
            data["guild_id"] = found["guild_id"]
        return data

    def _attach(self: FakeDiscord, upload: Upload, resolved: dict[str, Any]) -> str:
        attachment_id = self.ids.next()
        self.uploads[attachment_id] = upload.data
        url = f"http://127.0.0.1:{self.port}/attachments/{attachment_id}/{upload.filename}"
        resolved.setdefault("attachments", {})[str(attachment_id)] = {
            "id": str(attachment_id),
            "filename": upload.filename,
            "size": upload.size if upload.size is not None else len(upload.data),
            "url": url,
            "proxy_url": url,
            "content_type": "text/csv",
        }
        return str(attachment_id)


def _check_bounds(command: str, option: dict[str, Any], value: Any) -> None:
    """Discord's client and server refuse a value outside the option's declared bounds."""
    name, kind = option["name"], option["type"]
    shortest, longest = option.get("min_length", 0), option.get("max_length", 6000)
    if kind == 3 and not shortest <= len(value) <= longest:
        raise AssertionError(f"/{command} {name}: Discord refuses {len(value)} characters")
    low, high = option.get("min_value", -(2**53)), option.get("max_value", 2**53)
    if kind == 4 and not low <= value <= high:
        raise AssertionError(f"/{command} {name}: Discord refuses {value}")
