"""What Discord refuses, checked on everything the bot sends to the fake server.

Each check returns the problems it found as sentences; the server records them as violations
and answers 400 as Discord would, so a test can never pass on a payload Discord would refuse.
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = [
    "MAX_ATTACHMENT_BYTES",
    "MAX_REQUEST_BYTES",
    "TOO_LARGE",
    "check_choices",
    "check_commands",
    "check_message",
    "check_modal",
]

MAX_CONTENT = 2000
MAX_EMBEDS = 10
MAX_EMBED_TOTAL = 6000
MAX_DESCRIPTION = 4096
MAX_TITLE = 256
MAX_FIELDS = 25
MAX_ROWS = 5
MAX_BUTTONS_PER_ROW = 5
MAX_CUSTOM_ID = 100
MAX_LABEL = 80
MAX_ATTACHMENTS = 10
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024  # one file, on a server without boosts
MAX_REQUEST_BYTES = 25 * 1024 * 1024  # one request's body, files and all
# Discord's answer (413, code 40005) to an upload over either limit; a problem starting so is it.
TOO_LARGE = "Request entity too large"
_FILE_PART = re.compile(r"files\[(\d+)\]")
_COMMAND_NAME = re.compile(r"^[-_a-z0-9]{1,32}$")
EPHEMERAL = 1 << 6


def check_message(
    body: dict[str, Any], *, edit: bool = False, files: dict[str, bytes] | None = None
) -> list[str]:
    """Problems with a message create/edit body (JSON or the multipart `payload_json`) and the
    files uploaded with it."""
    problems = _check_files(body, files or {})
    content = body.get("content")
    if content is not None and len(content) > MAX_CONTENT:
        problems.append(f"content is {len(content)} characters; Discord allows {MAX_CONTENT}")
    embeds = body.get("embeds") or []
    problems += _check_embeds(embeds)
    problems += _check_components(body.get("components") or [])
    has_text = bool(content) or bool(embeds)
    if not edit and not has_text and not body.get("attachments") and not body.get("components"):
        problems.append("a message needs content, embeds, components or files")
    if has_text:
        mentions = body.get("allowed_mentions")
        if mentions is None:
            problems.append("allowed_mentions is missing: card text could ping people")
        elif mentions.get("parse") or mentions.get("users") or mentions.get("roles"):
            problems.append(f"allowed_mentions lets text ping: {mentions}")
    return problems


def _check_files(body: dict[str, Any], files: dict[str, bytes]) -> list[str]:
    """Each upload a `files[n]` part described in `attachments` by id n; sizes and count
    within Discord's limits; every `attachment://name` of an embed one of the message's files."""
    problems: list[str] = []
    described = {str(a.get("id")): a for a in body.get("attachments") or []}
    if len(files) > MAX_ATTACHMENTS:
        problems.append(f"{len(files)} files; Discord allows {MAX_ATTACHMENTS} a message")
    for name, data in files.items():
        part = _FILE_PART.fullmatch(name)
        if part is None or part.group(1) not in described:
            problems.append(f"file part {name!r} is not described in attachments")
        if len(data) > MAX_ATTACHMENT_BYTES:
            problems.append(f"{TOO_LARGE}: file {name!r} is {len(data)} bytes; the limit is 10 MiB")
    body_size = sum(map(len, files.values())) + len(json.dumps(body))
    if body_size > MAX_REQUEST_BYTES:
        problems.append(f"{TOO_LARGE}: the request is {body_size} bytes; the limit is 25 MiB")
    names = {a.get("filename") for a in described.values()}
    for embed in body.get("embeds") or []:
        for key in ("image", "thumbnail"):
            url = (embed.get(key) or {}).get("url", "")
            if url.startswith("attachment://") and url.removeprefix("attachment://") not in names:
                problems.append(f"embed {key} {url} names no attachment of the message")
    return problems


def _check_embeds(embeds: list[dict[str, Any]]) -> list[str]:
    problems: list[str] = []
    if len(embeds) > MAX_EMBEDS:
        problems.append(f"{len(embeds)} embeds; Discord allows {MAX_EMBEDS}")
    total = 0
    for embed in embeds:
        description = embed.get("description") or ""
        title = embed.get("title") or ""
        fields = embed.get("fields") or []
        if len(description) > MAX_DESCRIPTION:
            problems.append(f"embed description is {len(description)} characters")
        if len(title) > MAX_TITLE:
            problems.append(f"embed title is {len(title)} characters")
        if len(fields) > MAX_FIELDS:
            problems.append(f"embed has {len(fields)} fields")
        for item in fields:
            if not item.get("name") or not item.get("value"):
                problems.append(f"embed field needs a name and a value: {item}")
            if len(item.get("name", "")) > 256 or len(item.get("value", "")) > 1024:
                problems.append(f"embed field too long: {item.get('name')!r}")
        footer = (embed.get("footer") or {}).get("text") or ""
        total += len(description) + len(title) + len(footer)
        total += sum(len(f.get("name", "")) + len(f.get("value", "")) for f in fields)
    if total > MAX_EMBED_TOTAL:
        problems.append(f"embeds hold {total} characters; Discord allows {MAX_EMBED_TOTAL}")
    return problems


def _check_components(rows: list[dict[str, Any]]) -> list[str]:
    problems: list[str] = []
    if len(rows) > MAX_ROWS:
        problems.append(f"{len(rows)} component rows; Discord allows {MAX_ROWS}")
    seen: set[str] = set()
    for row in rows:
        if row.get("type") != 1:
            problems.append(f"top-level component is not an action row: {row}")
            continue
        items = row.get("components") or []
        if not items:
            problems.append("an action row is empty")
        buttons = [item for item in items if item.get("type") == 2]
        if len(buttons) > MAX_BUTTONS_PER_ROW:
            problems.append(f"{len(buttons)} buttons in a row; Discord allows 5")
        if len(buttons) != len(items) and len(items) != 1:
            problems.append("a select menu must be alone in its row")
        for item in items:
            custom_id = item.get("custom_id")
            if item.get("type") == 2 and item.get("style") == 5:
                continue  # link buttons carry a url, not a custom_id
            if not custom_id or len(custom_id) > MAX_CUSTOM_ID:
                problems.append(f"custom_id must be 1–{MAX_CUSTOM_ID} characters: {custom_id!r}")
            elif custom_id in seen:
                problems.append(f"custom_id {custom_id!r} repeats in one message")
            seen.add(custom_id or "")
            if len(item.get("label") or "") > MAX_LABEL:
                problems.append(f"button label over {MAX_LABEL} characters")
            if item.get("type") == 3 and not 1 <= len(item.get("options") or []) <= 25:
                problems.append("a select menu needs 1–25 options")
    return problems


MODAL_TITLE, TEXT_INPUT_LABEL, TEXT_INPUT_MAX = 45, 45, 4000


def check_modal(data: dict[str, Any]) -> list[str]:
    """A modal callback's data as Discord validates it: custom_id 1–100, title 1–45, 1–5 rows of
    one text input each (custom_id 1–100, label 1–45, style 1 or 2, lengths within 0–4000)."""
    problems: list[str] = []
    custom_id, title = data.get("custom_id") or "", data.get("title") or ""
    if not 1 <= len(custom_id) <= MAX_CUSTOM_ID:
        problems.append(f"modal custom_id must be 1–{MAX_CUSTOM_ID} characters: {custom_id!r}")
    if not 1 <= len(title) <= MODAL_TITLE:
        problems.append(f"modal title must be 1–{MODAL_TITLE} characters: {title!r}")
    rows = data.get("components") or []
    if not 1 <= len(rows) <= 5:
        problems.append(f"a modal needs 1–5 components, got {len(rows)}")
    for row in rows:
        items = row.get("components") or []
        if row.get("type") != 1 or len(items) != 1 or items[0].get("type") != 4:
            problems.append(f"a modal row holds exactly one text input: {row}")
            continue
        problems += _check_text_input(items[0])
    return problems


def _check_text_input(item: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    if not 1 <= len(item.get("custom_id") or "") <= MAX_CUSTOM_ID:
        problems.append(f"text input custom_id must be 1–{MAX_CUSTOM_ID} characters")
    if not 1 <= len(item.get("label") or "") <= TEXT_INPUT_LABEL:
        problems.append(f"text input label must be 1–{TEXT_INPUT_LABEL} characters: {item}")
    if item.get("style") not in (1, 2):
        problems.append(f"text input style must be 1 or 2: {item.get('style')!r}")
    low, high = item.get("min_length", 0), item.get("max_length", TEXT_INPUT_MAX)
    if not 0 <= low <= TEXT_INPUT_MAX or not 1 <= high <= TEXT_INPUT_MAX or low > high:
        problems.append(f"text input lengths must be within 0–{TEXT_INPUT_MAX}: {low}–{high}")
    if len(item.get("value") or "") > high or len(item.get("placeholder") or "") > 100:
        problems.append("text input value over max_length or placeholder over 100 characters")
    return problems


def check_choices(data: dict[str, Any]) -> list[str]:
    """Problems with an autocomplete answer: at most 25 choices, names and values ≤ 100."""
    choices = data.get("choices")
    if not isinstance(choices, list):
        return ["an autocomplete answer needs a list of choices"]
    problems = [f"{len(choices)} choices; Discord allows 25"] if len(choices) > 25 else []
    for choice in choices:
        name, value = choice.get("name", ""), choice.get("value")
        if not 1 <= len(name) <= 100 or (isinstance(value, str) and len(value) > 100):
            problems.append(f"choice name or value too long: {name!r}")
    return problems


def check_commands(commands: list[dict[str, Any]]) -> list[str]:
    """Problems with an application command bulk overwrite."""
    problems: list[str] = []
    if len(commands) > 100:
        problems.append(f"{len(commands)} commands; Discord allows 100")
    for command in commands:
        problems += _check_command(command, command.get("name", "?"))
    return problems


def _check_command(command: dict[str, Any], where: str) -> list[str]:
    problems: list[str] = []
    name = command.get("name", "")
    if not _COMMAND_NAME.match(name):
        problems.append(f"command name {name!r} is not 1–32 lowercase characters")
    description = command.get("description", "")
    if command.get("type", 1) == 1 and not 1 <= len(description) <= 100:
        problems.append(f"{where}: description must be 1–100 characters")
    options = command.get("options") or []
    if len(options) > 25:
        problems.append(f"{where}: {len(options)} options; Discord allows 25")
    required_seen_optional = False
    for option in options:
        if option.get("type") in (1, 2):
            problems += _check_command(option, f"{where} {option.get('name')}")
            continue
        if len(option.get("choices") or []) > 25:
            problems.append(f"{where}: option {option.get('name')} has over 25 choices")
        if option.get("required"):
            if required_seen_optional:
                problems.append(f"{where}: a required option follows an optional one")
        else:
            required_seen_optional = True
        problems += [
            f"{where}: option {p}"
            for p in _check_command({**option, "type": 1, "options": []}, where)
            if "name" in p or "description" in p
        ]
    return problems
