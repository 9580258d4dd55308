"""Settings from the environment and `.env`: the example file works as it is; tokens stay secret."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.settings import Settings

EXAMPLE = Path(__file__).parents[2] / ".env.example"
VARIABLES = [
    line.split("=", 1)[0]
    for line in EXAMPLE.read_text().splitlines()
    if line and not line.startswith("#")
]


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_example_file_copied_as_it_is_gives_the_defaults(clean_env: Path) -> None:
    shutil.copy(EXAMPLE, clean_env / ".env")
    settings = Settings()
    assert settings.configured_platforms == []
    assert settings.database_url == f"sqlite+aiosqlite:///{clean_env}/data/quizbot/quizbot.db"
    assert settings.telegram_rate_limit == 30
    assert settings.discord_gateway_url is None and settings.discord_dev_guild_id is None
    assert settings.media_folder() == clean_env / "data" / "quizbot" / "media"


def test_tokens_never_show_in_the_settings_text(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:very-secret")
    settings = Settings()
    assert settings.configured_platforms == ["telegram"]
    assert "very-secret" not in repr(settings) and "very-secret" not in str(settings)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("TELEGRAM_BASE_URL", "http:///bot"),
        ("TELEGRAM_BASE_URL", "api.telegram.org/bot"),
        ("TELEGRAM_BASE_FILE_URL", "ftp://files.example/file/bot"),
        ("DISCORD_API_BASE_URL", "https://:443/api"),
        ("DISCORD_API_BASE_URL", "http://example.com:99999/api"),
        ("DISCORD_GATEWAY_URL", "https://gateway.discord.gg"),
        ("DISCORD_GATEWAY_URL", "wss://"),
    ],
)
def test_a_url_setting_without_a_scheme_and_host_is_refused_by_name(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValidationError) as caught:
        Settings()
    [error] = caught.value.errors()
    assert error["loc"] == (variable.lower(),)
    assert "URL with a host, like" in error["msg"]


def test_good_url_settings_are_kept(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BASE_URL", "http://127.0.0.1:8081/bot")
    monkeypatch.setenv("DISCORD_GATEWAY_URL", "ws://127.0.0.1:9000")
    settings = Settings()
    assert settings.telegram_base_url == "http://127.0.0.1:8081/bot"
    assert settings.discord_gateway_url == "ws://127.0.0.1:9000"


WEBHOOK_SECRET = "webhook-secret_0123456789abcdef"


def test_the_webhook_and_http_settings(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_WEBHOOK_URL", "https://bot.example.org/telegram")
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", WEBHOOK_SECRET)
    monkeypatch.setenv("TELEGRAM_WEBHOOK_PORT", "8081")
    monkeypatch.setenv("QUIZBOT_HTTP_PORT", "9100")
    settings = Settings()
    assert settings.telegram_webhook_url == "https://bot.example.org/telegram"
    assert settings.telegram_webhook_listen == "0.0.0.0" and settings.telegram_webhook_port == 8081
    assert settings.quizbot_http_port == 9100 and settings.quizbot_http_host == "0.0.0.0"
    assert WEBHOOK_SECRET not in repr(settings)


@pytest.mark.parametrize(
    ("variable", "value", "reason"),
    [
        ("TELEGRAM_WEBHOOK_URL", "http://bot.example.org/telegram", "https:// URL with a host"),
        ("TELEGRAM_WEBHOOK_URL", "quizbot.test/hook", "https:// URL with a host"),
        ("TELEGRAM_WEBHOOK_SECRET", "short", "16–256 characters"),
        ("TELEGRAM_WEBHOOK_SECRET", "with spaces in the secret", "16–256 characters"),
        ("QUIZBOT_HTTP_PORT", "70000", "less than or equal to 65535"),
    ],
)
def test_a_bad_webhook_or_http_setting_is_refused_by_name(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, variable: str, value: str, reason: str
) -> None:
    monkeypatch.setenv("TELEGRAM_WEBHOOK_URL", "https://bot.example.org/telegram")
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", WEBHOOK_SECRET)
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValidationError) as caught:
        Settings()
    [error] = caught.value.errors()
    assert error["loc"] == (variable.lower(),)
    assert reason in error["msg"]
    assert value not in error["msg"]


def test_a_webhook_url_without_its_secret_is_refused(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TELEGRAM_WEBHOOK_URL", "https://bot.example.org/telegram")
    with pytest.raises(ValidationError, match="TELEGRAM_WEBHOOK_URL needs TELEGRAM_WEBHOOK_SECRET"):
        Settings()


def test_redis_and_shard_settings_are_read(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REDIS_URL", "redis://:s3cret@127.0.0.1:6379/0")
    monkeypatch.setenv("DISCORD_SHARD_COUNT", "4")
    monkeypatch.setenv("DISCORD_SHARD_IDS", "0, 2")
    settings = Settings()
    assert settings.redis_url is not None
    assert settings.redis_url.get_secret_value() == "redis://:s3cret@127.0.0.1:6379/0"
    assert "s3cret" not in repr(settings)
    assert settings.discord_shard_count == 4 and settings.discord_shard_ids == (0, 2)


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"REDIS_URL": "127.0.0.1:6379"}, "URL with a host, like redis://"),
        ({"DISCORD_SHARD_IDS": "0,1"}, "DISCORD_SHARD_IDS needs DISCORD_SHARD_COUNT"),
        ({"DISCORD_SHARD_COUNT": "2", "DISCORD_SHARD_IDS": "0,2"}, "between 0 and 1"),
        ({"DISCORD_SHARD_COUNT": "2", "DISCORD_SHARD_IDS": "zero"}, "separated by commas"),
        ({"DISCORD_SHARD_COUNT": "2", "DISCORD_SHARD_IDS": "1,1"}, "each shard once"),
    ],
)
def test_bad_redis_or_shard_settings_are_refused_saying_why(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], message: str
) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError) as caught:
        Settings()
    assert message in str(caught.value)


def test_media_goes_beside_the_sqlite_file_or_in_the_data_dir_for_postgresql(
    clean_env: Path,
) -> None:
    assert Settings(database_url="sqlite+aiosqlite:////srv/q/q.db").media_folder() == Path(
        "/srv/q/media"
    )
    postgres = Settings(database_url="postgresql+asyncpg://u@h:5432/q")
    assert postgres.media_folder() == clean_env / "data" / "quizbot" / "media"
    assert Settings(media_dir=Path("/srv/media")).media_folder() == Path("/srv/media")
