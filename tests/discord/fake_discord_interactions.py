"""Interaction responses in the fake Discord: callbacks, @original, follow-ups.

Exactly one acknowledgement per interaction, within `ACK_WINDOW` seconds, with
`?with_response=1` as discord.py 2.7 sends it; follow-ups and edits only after it. A deferred
message (type 5) is filled by the first follow-up or an edit of @original, as on Discord.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from aiohttp import web

from tests.discord.fake_discord_channels import attachment_problems
from tests.discord.fake_discord_checks import EPHEMERAL, check_choices, check_message, check_modal
from tests.discord.fake_discord_wire import error_response, json_response, public

if TYPE_CHECKING:
    from tests.discord.fake_discord import FakeDiscord, Interaction, Sent

__all__ = ["ACK_WINDOW", "ALLOWED_CALLBACKS", "LOADING", "InteractionResponses"]

ACK_WINDOW = 3.0
# Which callback types answer which interaction types (Discord's interaction docs): 4 message,
# 5 deferred message, 6 deferred update, 7 update the component's message, 8 autocomplete, 9 modal.
# A modal submit (5) cannot be answered with another modal.
ALLOWED_CALLBACKS = {2: {4, 5, 9}, 3: {4, 5, 6, 7, 9}, 4: {8}, 5: {4, 5, 6, 7}}
LOADING = 1 << 7


class InteractionResponses:
    async def _callback(
        self: FakeDiscord, sent: Sent, interaction_id: str, token: str
    ) -> web.Response:
        interaction = self.interactions.get(int(interaction_id))
        if interaction is None or interaction.token != token:
            return self._refuse([f"callback for unknown interaction {interaction_id}"], 404)
        if sent.query.get("with_response") not in ("1", "true", "True"):
            self.violations.append("interaction callback without ?with_response=1")
        if interaction.acks:
            self.violations.append(f"interaction {interaction.id} acknowledged twice")
            return error_response(400, 40060, "Interaction has already been acknowledged.")
        late = asyncio.get_running_loop().time() - interaction.dispatched_at
        if late > ACK_WINDOW:
            self.violations.append(f"interaction {interaction.id} acknowledged after {late:.1f}s")
            return error_response(404, 10062, "Unknown interaction")
        kind = sent.body.get("type")
        data = sent.body.get("data") or {}
        if kind not in ALLOWED_CALLBACKS[interaction.kind]:
            return self._refuse(
                [f"callback type {kind} answers no interaction of type {interaction.kind}"]
            )
        if kind == 8 and (problems := check_choices(data)):
            return self._refuse(problems)
        if kind == 9:
            if problems := check_modal(data):
                return self._refuse(problems)
            interaction.modal = data
        if kind in (4, 7):
            problems = check_message(data, edit=kind == 7, files=sent.files)
            source = self.messages.get(interaction.source_message_id or 0) if kind == 7 else None
            problems += attachment_problems(source, data, sent.files)
            if problems:
                return self._refuse(problems)
        interaction.acks.append(kind)
        return json_response(self._apply_callback(interaction, kind, data, sent.files))

    def _apply_callback(
        self: FakeDiscord,
        interaction: Interaction,
        kind: int,
        data: dict[str, Any],
        files: dict[str, bytes],
    ) -> dict[str, Any]:
        answer: dict[str, Any] = {"id": str(interaction.id), "type": interaction.kind}
        message: dict[str, Any] | None = None
        if kind in (4, 5):
            flags = data.get("flags", 0) & EPHEMERAL
            message = self._create_message(interaction.channel, data, flags, files)
            message["interaction_token"] = interaction.token
            if kind == 5:
                message["flags"] |= LOADING  # loading
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
            result["resource"] = {"type": kind, "message": public(message)}
        return result

    async def _get_original(self: FakeDiscord, sent: Sent, token: str) -> web.Response:
        interaction = self.by_token.get(token)
        if interaction is None or interaction.original_id is None:
            return error_response(404, 10008, "Unknown Message")
        return json_response(public(self.messages[interaction.original_id]))

    async def _edit_original(self: FakeDiscord, sent: Sent, token: str) -> web.Response:
        interaction = self.by_token.get(token)
        if interaction is None or not interaction.acks:
            return self._refuse(["edit of @original before the interaction was acknowledged"], 404)
        target = interaction.original_id or interaction.source_message_id
        if target is None:
            return self._refuse(["edit of @original of an interaction with no message"], 404)
        message = self.messages[target]
        problems = check_message(sent.body, edit=True, files=sent.files)
        problems += attachment_problems(message, sent.body, sent.files)
        if problems:
            return self._refuse(problems)
        self._update_message(message, sent.body, sent.files)
        message["flags"] &= ~LOADING
        return json_response(public(message))

    async def _followup(self: FakeDiscord, sent: Sent, token: str) -> web.Response:
        interaction = self.by_token.get(token)
        if interaction is None or not interaction.acks:
            return self._refuse(["follow-up before the interaction was acknowledged"], 404)
        problems = check_message(sent.body, files=sent.files)
        problems += attachment_problems(None, sent.body, sent.files)
        if problems:
            return self._refuse(problems)
        if interaction.acks[0] == 5 and interaction.original_id is not None:
            original = self.messages[interaction.original_id]
            if original["flags"] & LOADING:
                # The first follow-up after a deferral fills the deferred message.
                self._update_message(original, sent.body, sent.files)
                original["flags"] &= ~LOADING
                return json_response(public(original))
        flags = sent.body.get("flags", 0) & EPHEMERAL
        message = self._create_message(interaction.channel, sent.body, flags, sent.files)
        interaction.followup_ids.append(int(message["id"]))
        return json_response(public(message))

    async def _edit_followup(
        self: FakeDiscord, sent: Sent, token: str, message_id: str
    ) -> web.Response:
        message = self.messages.get(int(message_id))
        if message is None:
            return error_response(404, 10008, "Unknown Message")
        problems = check_message(sent.body, edit=True, files=sent.files)
        problems += attachment_problems(message, sent.body, sent.files)
        if problems:
            return self._refuse(problems)
        self._update_message(message, sent.body, sent.files)
        return json_response(public(message))
