"""The log's redaction: a token never shows, whole or its secret part, in a line or a traceback."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
from pydantic import SecretStr

import bot.cli
import bot.logs
from bot.logs import configure_logging, redact

TOKEN = "123456789:AAH-secret_part-of-the-token"
SECRET = TOKEN.partition(":")[2]


@pytest.fixture
def printed() -> Iterator[io.StringIO]:
    """Logging as the CLI sets it up; what its handler prints."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    configure_logging("DEBUG", [SecretStr(TOKEN), None])
    [handler] = root.handlers
    buffer = io.StringIO()
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(buffer)
    try:
        yield buffer
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        logging.captureWarnings(False)
        bot.logs._secrets.clear()


def test_lines_and_tracebacks_are_redacted(printed: io.StringIO) -> None:
    log = logging.getLogger("quizbot.test")
    log.debug("calling http://127.0.0.1/bot%s/getMe", TOKEN)
    log.info("only the secret: %s", SECRET)
    try:
        raise ValueError(f"http:///bot{TOKEN}/getMe")
    except ValueError:
        log.exception("failed")
    text = printed.getvalue()
    assert "getMe" in text and "failed" in text and "ValueError" in text
    assert TOKEN not in text and SECRET not in text
    assert text.count("[secret]") == 3  # the two lines and the exception


def test_messages_shown_to_the_operator_are_redacted_too(printed: io.StringIO) -> None:
    assert (
        redact(f"Cannot reach http://x/bot{TOKEN}/getMe")
        == "Cannot reach http://x/bot[secret]/getMe"
    )


def test_a_line_that_cannot_be_formatted_is_not_dumped_raw(
    printed: io.StringIO, capsys: pytest.CaptureFixture[str]
) -> None:
    [handler] = [
        h for h in logging.getLogger().handlers if isinstance(h, bot.logs._RedactingHandler)
    ]
    record = logging.makeLogRecord({"msg": "two %s %s", "args": (TOKEN,)})  # one argument short
    handler.handle(record)
    assert "Logging error" in capsys.readouterr().err
    assert TOKEN not in printed.getvalue()


def test_the_webhook_secret_is_redacted_from_the_log(
    monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    secret = "webhook-secret_0123456789abcdef"
    monkeypatch.setenv("TELEGRAM_WEBHOOK_URL", "https://bot.example.org/telegram")
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", secret)
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        bot.cli._settings()  # what every command reads, and the redaction it sets up
        assert redact(f"header X-Telegram-Bot-Api-Secret-Token: {secret}") == (
            "header X-Telegram-Bot-Api-Secret-Token: [secret]"
        )
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        logging.captureWarnings(False)
        bot.logs._secrets.clear()
