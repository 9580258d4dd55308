"""Logging set-up: the level from settings, and secrets kept out of every line."""

from __future__ import annotations

import logging

from pydantic import SecretStr

__all__ = ["configure_logging"]

# httpx logs every request URL at INFO, and Telegram's URLs carry the bot token.
_CHATTY = ("httpx", "httpcore")


class _Redact(logging.Filter):
    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if any(secret in message for secret in self._secrets):
            for secret in self._secrets:
                message = message.replace(secret, "[secret]")
            record.msg, record.args = message, None
        return True


def configure_logging(level: str, secrets: list[SecretStr | None]) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(_Redact([s.get_secret_value() for s in secrets if s is not None]))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    for name in _CHATTY:
        logging.getLogger(name).setLevel(logging.WARNING)
