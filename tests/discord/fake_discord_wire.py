"""HTTP answers as Discord gives them: JSON with exactly `Content-Type: application/json`."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

__all__ = ["JSON", "error_response", "json_response", "public"]

JSON = {"Content-Type": "application/json"}  # exactly this: discord.py compares the string


def json_response(payload: Any, status: int = 200) -> web.Response:
    return web.Response(status=status, body=json.dumps(payload), headers=JSON)


def error_response(status: int, code: int, message: str) -> web.Response:
    return json_response({"code": code, "message": message}, status)


def public(message: dict[str, Any]) -> dict[str, Any]:
    """A stored message as Discord returns it (without the fake's own bookkeeping)."""
    return {k: v for k, v in message.items() if k not in ("files", "interaction_token")}
