"""Settings, read once from the environment and `.env`. Tokens are secrets: never printed."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationInfo, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

__all__ = ["Settings", "default_database_url"]

HTTP = ("http", "https")
WEBSOCKET = ("ws", "wss")
# Telegram allows 1–256 of these; fewer than 16 would be guessable, and too short to redact.
_WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{16,256}")
REDIS = ("redis", "rediss", "unix")


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "quizbot"


def default_database_url() -> str:
    return f"sqlite+aiosqlite:///{_default_data_dir() / 'quizbot.db'}"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr | None = None
    telegram_base_url: str = "https://api.telegram.org/bot"
    telegram_base_file_url: str = "https://api.telegram.org/file/bot"
    telegram_rate_limit: float = Field(default=30.0, ge=0)  # messages/s overall; 0 = no limiter
    # Webhook mode (`quizbot run --webhook`, or whenever the URL is set): Telegram posts to the
    # public URL; the bot listens on the address and port (behind a TLS-terminating proxy).
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: SecretStr | None = None
    telegram_webhook_listen: str = "0.0.0.0"
    telegram_webhook_port: int = Field(default=8443, ge=0, le=65535)
    redis_url: SecretStr | None = None  # Telegram's limits shared by workers; may hold a password
    discord_bot_token: SecretStr | None = None
    discord_api_base_url: str = "https://discord.com/api/v10"
    discord_gateway_url: str | None = None  # default: what GET /gateway/bot answers
    discord_dev_guild_id: int | None = None  # sync slash commands to this guild only
    discord_shard_count: int | None = Field(default=None, ge=1)  # None: as Discord recommends
    # This process's shards, "0,1" (not JSON); None: all of them.
    discord_shard_ids: Annotated[tuple[int, ...] | None, NoDecode] = None
    database_url: str = Field(default_factory=default_database_url)
    # Imported pictures and sounds; None: `media` beside the SQLite file (PostgreSQL: the data dir).
    media_dir: Path | None = None
    log_level: str = "INFO"
    # /healthz and /metrics (unset: not served); the webhook's server when the ports are equal.
    quizbot_http_port: int | None = Field(default=None, ge=0, le=65535)
    quizbot_http_host: str = "0.0.0.0"
    # Several workers on one PostgreSQL: each names itself in its push leases (default host:pid);
    # a lease not finished within QUIZBOT_PUSH_LEASE_SECONDS goes to another worker.
    quizbot_worker_id: str | None = None
    quizbot_push_lease_seconds: float = Field(default=300.0, gt=0)
    quizbot_push_tick_seconds: float | None = Field(default=None, gt=0)  # None: each minute's :00

    @field_validator(
        "telegram_bot_token",
        "telegram_webhook_url",
        "telegram_webhook_secret",
        "quizbot_http_port",
        "discord_bot_token",
        "discord_gateway_url",
        "discord_dev_guild_id",
        "redis_url",
        "discord_shard_count",
        "discord_shard_ids",
        "quizbot_worker_id",
        "quizbot_push_tick_seconds",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("telegram_base_url", "telegram_base_file_url", "discord_api_base_url")
    @classmethod
    def _http_url(cls, value: str, info: ValidationInfo) -> str:
        return _checked_url(value, HTTP, cls.model_fields[str(info.field_name)].default)

    @field_validator("telegram_webhook_url")
    @classmethod
    def _webhook_url(cls, value: str | None) -> str | None:
        # Telegram posts only to HTTPS.
        return (
            None
            if value is None
            else _checked_url(value, ("https",), "https://bot.example.org/telegram")
        )

    @field_validator("telegram_webhook_secret")
    @classmethod
    def _webhook_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _WEBHOOK_SECRET.fullmatch(value.get_secret_value()):
            raise ValueError("must be 16–256 characters of A–Z, a–z, 0–9, _ and -")
        return value

    @model_validator(mode="after")
    def _webhook_has_secret(self) -> Settings:
        if self.telegram_webhook_url is not None and self.telegram_webhook_secret is None:
            raise ValueError(
                "TELEGRAM_WEBHOOK_URL needs TELEGRAM_WEBHOOK_SECRET: without it anyone could "
                "post updates to the bot"
            )
        return self

    @field_validator("discord_gateway_url")
    @classmethod
    def _websocket_url(cls, value: str | None) -> str | None:
        return None if value is None else _checked_url(value, WEBSOCKET, "wss://gateway.discord.gg")

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        example = "redis://127.0.0.1:6379/0"
        checked = value.get_secret_value().strip()
        if urlsplit(checked).scheme.lower() != "unix":
            checked = _checked_url(checked, REDIS, example)
        return SecretStr(checked)

    @field_validator("discord_shard_ids", mode="before")
    @classmethod
    def _shard_list(cls, value: object) -> object:
        """ "0,1" (the environment's spelling) is shards 0 and 1; empty is unset."""
        if not isinstance(value, str):
            return value
        if not value.strip():
            return None
        try:
            return tuple(int(part) for part in value.split(",") if part.strip())
        except ValueError:
            raise ValueError('must be shard numbers separated by commas, like "0,1"') from None

    @model_validator(mode="after")
    def _shards_within_count(self) -> Settings:
        ids = self.discord_shard_ids
        if ids is None:
            return self
        if self.discord_shard_count is None:
            raise ValueError("DISCORD_SHARD_IDS needs DISCORD_SHARD_COUNT")
        if not ids or len(set(ids)) != len(ids):
            raise ValueError("DISCORD_SHARD_IDS must name each shard once")
        if any(not 0 <= shard < self.discord_shard_count for shard in ids):
            raise ValueError(
                f"DISCORD_SHARD_IDS must be between 0 and {self.discord_shard_count - 1}"
                " (DISCORD_SHARD_COUNT - 1)"
            )
        return self

    @field_validator("database_url", mode="before")
    @classmethod
    def _blank_is_default(cls, value: object) -> object:
        # `.env.example` copied as it is leaves DATABASE_URL empty: that means the default.
        return default_database_url() if isinstance(value, str) and not value.strip() else value

    def media_folder(self) -> Path:
        """Where media files go: MEDIA_DIR, else beside the SQLite file or in the data dir."""
        from adapters.storage.sqlite.connection import is_sqlite_url, sqlite_path

        if self.media_dir is not None:
            return self.media_dir
        if is_sqlite_url(self.database_url):
            return sqlite_path(self.database_url).parent / "media"
        return _default_data_dir() / "media"

    @field_validator("media_dir", mode="before")
    @classmethod
    def _blank_media_dir_is_default(cls, value: object) -> object:
        # An empty MEDIA_DIR (.env.example as it is) means the default, not the current folder.
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return level

    @property
    def configured_platforms(self) -> list[str]:
        platforms = []
        if self.telegram_bot_token is not None:
            platforms.append("telegram")
        if self.discord_bot_token is not None:
            platforms.append("discord")
        return platforms


def _checked_url(value: str, schemes: tuple[str, ...], example: str) -> str:
    """`value` when it is a URL of one of `schemes` with a host; the error names neither the
    value (a mistyped URL may hold a token) nor more than the fix."""
    wanted = " or ".join(f"{scheme}://" for scheme in schemes)
    problem = f"must be a {wanted} URL with a host, like {example}"
    try:
        parts = urlsplit(value.strip())
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number in range
    except ValueError:
        raise ValueError(problem) from None
    if parts.scheme.lower() not in schemes or not parts.hostname:
        raise ValueError(problem)
    return value.strip()
