"""setWebhook as Telegram checks it: an HTTPS URL on port 443, 80, 88 or 8443, a secret token of
1–256 allowed characters, allowed_updates naming update types, 1–100 connections."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from tests.telegram.fake_bot_api_spec import ApiSpec

__all__ = ["WEBHOOK_PORTS", "Webhook", "webhook_problem"]

WEBHOOK_PORTS = (443, 80, 88, 8443)
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


@dataclass(frozen=True)
class Webhook:
    url: str
    secret_token: str | None
    allowed_updates: list[str] | None


def webhook_problem(spec: ApiSpec, params: dict[str, Any]) -> str | None:
    """Telegram's reason to refuse this setWebhook (after the spec's own checks), or None."""
    url = urlsplit(str(params["url"]))
    if url.scheme != "https" or not url.hostname:
        return "bad webhook: An HTTPS URL must be provided for webhook"
    if (url.port or 443) not in WEBHOOK_PORTS:
        return "bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443"
    secret = params.get("secret_token")
    if secret is not None and not _SECRET.fullmatch(str(secret)):
        return "secret token contains unallowed characters or has a wrong length"
    known = spec.field_names("Update") - {"update_id"}
    unknown = [kind for kind in params.get("allowed_updates") or [] if kind not in known]
    if unknown:
        return f"allowed_updates: unknown update type {unknown[0]!r}"
    connections = params.get("max_connections")
    if connections is not None and not 1 <= int(connections) <= 100:
        return "max_connections must be 1-100"
    return None
