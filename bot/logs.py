"""Logging set-up: the level from settings, and secrets kept out of every line and traceback."""

from __future__ import annotations

import logging
import sys

from pydantic import SecretStr

__all__ = ["configure_logging", "redact"]

# httpx logs every request URL at INFO, and Telegram's URLs carry the bot token.
_CHATTY = ("httpx", "httpcore")
# Shorter fragments are not secrets worth hiding, and hiding them would garble every line.
_MIN_SECRET = 8
REDACTED = "[secret]"

_secrets: list[str] = []


def redact(text: str) -> str:
    """`text` without the configured tokens, nor a Telegram token's secret part after ':'."""
    for secret in _secrets:
        text = text.replace(secret, REDACTED)
    return text


def _fragments(token: str) -> list[str]:
    """The token, and the part after the colon of a Telegram token ("123456:AA…")."""
    parts = [token, token.partition(":")[2]]
    return [part for part in parts if len(part) >= _MIN_SECRET]


class _RedactingFormatter(logging.Formatter):
    """Redacts the whole formatted record: message, arguments, traceback and stack."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class _RedactingHandler(logging.StreamHandler):  # type: ignore[type-arg]
    def handleError(self, record: logging.LogRecord) -> None:
        # The default prints the record's raw message and arguments, which may hold a token.
        sys.stderr.write(f"--- Logging error in {record.name} (details withheld) ---\n")


def configure_logging(level: str, secrets: list[SecretStr | None]) -> None:
    tokens = [s.get_secret_value() for s in secrets if s is not None]
    # Longest first, so a token is hidden whole before its secret part is looked for.
    _secrets[:] = sorted({f for t in tokens for f in _fragments(t)}, key=len, reverse=True)
    handler = _RedactingHandler()
    handler.setFormatter(_RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    logging.captureWarnings(True)  # warnings go through the same redaction
    for name in _CHATTY:
        logging.getLogger(name).setLevel(logging.WARNING)
