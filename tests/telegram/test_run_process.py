"""`quizbot run` as an operator starts it: a real process polling the fake Bot API, then SIGTERM.

On every way a start can go wrong, the process exits with a clear message, and the token (and
its secret part after the colon) shows nowhere in what it printed.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import socket
import sys
from pathlib import Path

from tests.telegram.fake_bot_api import FakeBotApi, TgChat, TgUser

ADA = TgUser(601, "Ada", "ada")
GROUP = TgChat(-1006010, "supergroup", "Study group")
WRONG_TOKEN = "987654321:WRONG-secret_that-the-server-refuses"


def bot_env(fake: FakeBotApi, tmp_path: Path, **overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DISCORD_"))}
    env.update(
        TELEGRAM_BOT_TOKEN=fake.token,
        TELEGRAM_BASE_URL=fake.base_url,
        TELEGRAM_BASE_FILE_URL=fake.base_file_url,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'q.db'}",
        LOG_LEVEL="DEBUG",
        COLUMNS="80",  # a narrow terminal: rich must not wrap a token apart either
    )
    env.update(overrides)
    return env


async def quizbot_run(env: dict[str, str], cwd: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=cwd, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


async def failed_start(env: dict[str, str], cwd: Path) -> tuple[int, str]:
    """Run a start that must fail on its own: its exit status and all it printed."""
    process = await quizbot_run(env, cwd)
    out, errors = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode is not None
    return process.returncode, out.decode() + errors.decode()


def assert_no_secret(log: str, token: str) -> None:
    assert token not in log and token.partition(":")[2] not in log, log
    assert "Unclosed" not in log, log


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_quizbot_run_answers_review_and_stops_cleanly_on_sigterm(
    fake_bot_api: FakeBotApi, tmp_path: Path
) -> None:
    process = await quizbot_run(bot_env(fake_bot_api, tmp_path), tmp_path)
    try:
        await fake_bot_api.wait_for("setMyCommands", timeout=30)
        fake_bot_api.push_command(TgChat(ADA.id), ADA, "/review")
        [call] = await fake_bot_api.wait_for("sendMessage", timeout=15)
        assert "What is MNIST an abbreviation of?" in call.params["text"]
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        out, errors = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 0, errors.decode()
    log = out.decode() + errors.decode()
    assert "Telegram bot is running" in log and "stopped" in log
    assert "DEBUG" in log  # the debug lines were there to leak the token, and did not
    assert_no_secret(log, fake_bot_api.token)


async def test_a_malformed_base_url_is_refused_by_name_before_anything_is_sent(
    fake_bot_api: FakeBotApi, tmp_path: Path
) -> None:
    env = bot_env(fake_bot_api, tmp_path, TELEGRAM_BASE_URL="http:///bot")
    status, log = await failed_start(env, tmp_path)
    assert status == 2 and "Traceback" not in log
    assert "TELEGRAM_BASE_URL" in log and "URL with a host" in log
    assert "Value error" not in log  # the validator's sentence, not pydantic's wrapping
    assert_no_secret(log, fake_bot_api.token)
    assert fake_bot_api.calls == []


async def test_an_unreachable_server_is_named_without_the_token(
    fake_bot_api: FakeBotApi, tmp_path: Path
) -> None:
    url = f"http://127.0.0.1:{closed_port()}/bot"
    status, log = await failed_start(
        bot_env(fake_bot_api, tmp_path, TELEGRAM_BASE_URL=url), tmp_path
    )
    assert status == 1 and "Traceback" not in log
    assert f"Cannot reach the Telegram Bot API at {url}" in log
    assert_no_secret(log, fake_bot_api.token)


async def test_a_refused_token_is_said_without_the_token(
    fake_bot_api: FakeBotApi, tmp_path: Path
) -> None:
    env = bot_env(fake_bot_api, tmp_path, TELEGRAM_BOT_TOKEN=WRONG_TOKEN)
    status, log = await failed_start(env, tmp_path)
    assert status == 1 and "Traceback" not in log
    assert "Telegram refused TELEGRAM_BOT_TOKEN" in log
    assert_no_secret(log, WRONG_TOKEN)


async def run_until(fake: FakeBotApi, env: dict[str, str], cwd: Path, method: str) -> str:
    """Start `quizbot run`, wait for the bot's first `method` call after the start, SIGTERM it;
    what it printed (it must have exited 0)."""
    before = len(fake.calls_to(method))
    process = await quizbot_run(env, cwd)
    try:
        await fake.wait_for(method, count=before + 1, timeout=30)
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        out, errors = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 0, errors.decode()
    return out.decode() + errors.decode()


def in_order(log: str, *lines: str) -> bool:
    return all(log.index(a) < log.index(b) for a, b in itertools.pairwise(lines))


async def test_the_scheduler_runs_before_the_bot_takes_updates_and_stops_after_it(
    fake_bot_api: FakeBotApi, tmp_path: Path
) -> None:
    fake, env = fake_bot_api, bot_env(fake_bot_api, tmp_path)
    fake.push_command(GROUP, ADA, "quiz", "2 60")
    await run_until(fake, env, tmp_path, "sendMessage")  # the quiz's first card
    # A restart resumes the quiz: its deadline is armed as the bot starts.
    log = await run_until(fake, env, tmp_path, "getUpdates")
    assert 'Added job "BotScheduler._run_deadline"' in log
    assert "tentatively" not in log
    assert in_order(
        log,
        "Scheduler started",
        "Application started",
        "Application.stop() complete",
        "Scheduler has been shut down",
    )


async def test_an_unreachable_redis_stops_the_run_saying_so_without_its_password(
    fake_bot_api: FakeBotApi, tmp_path: Path
) -> None:
    port = closed_port()
    redis = f"redis://:hunter2@127.0.0.1:{port}/0"
    status, log = await failed_start(bot_env(fake_bot_api, tmp_path, REDIS_URL=redis), tmp_path)
    assert status == 1 and "Traceback" not in log
    assert f"Cannot reach Redis at 127.0.0.1:{port} (REDIS_URL)" in log
    assert "hunter2" not in log
    assert_no_secret(log, fake_bot_api.token)
