"""Settings, read once from the environment and `.env`. Tokens are secrets: never printed."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "default_database_url"]

HTTP = ("http", "https")
WEBSOCKET = ("ws", "wss")


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
    discord_bot_token: SecretStr | None = None
    discord_api_base_url: str = "https://discord.com/api/v10"
    discord_gateway_url: str | None = None  # default: what GET /gateway/bot answers
    discord_dev_guild_id: int | None = None  # sync slash commands to this guild only
    database_url: str = Field(default_factory=default_database_url)
    log_level: str = "INFO"
    # Several workers on one PostgreSQL: each names itself in its push leases (default host:pid);
    # a lease not finished within QUIZBOT_PUSH_LEASE_SECONDS goes to another worker.
    quizbot_worker_id: str | None = None
    quizbot_push_lease_seconds: float = Field(default=300.0, gt=0)
    quizbot_push_tick_seconds: float | None = Field(default=None, gt=0)  # None: each minute's :00

    @field_validator(
        "telegram_bot_token",
        "discord_bot_token",
        "discord_gateway_url",
        "discord_dev_guild_id",
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

    @field_validator("discord_gateway_url")
    @classmethod
    def _websocket_url(cls, value: str | None) -> str | None:
        return None if value is None else _checked_url(value, WEBSOCKET, "wss://gateway.discord.gg")

    @field_validator("database_url", mode="before")
    @classmethod
    def _blank_is_default(cls, value: object) -> object:
        # `.env.example` copied as it is leaves DATABASE_URL empty: that means the default.
        return default_database_url() if isinstance(value, str) and not value.strip() else value

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
