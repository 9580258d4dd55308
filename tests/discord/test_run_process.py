"""`quizbot run` with a Discord token, as an operator starts it, against the fake Discord."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from tests.committed_rows import committed_rows
from tests.discord.fake_discord import FakeDiscord
from tests.discord.fake_discord_gateway import AUTHENTICATION_FAILED
from tests.discord.harness import ADA, GENERAL
from tests.telegram.fake_bot_api import FakeBotApi, TgChat, TgUser

ADA_TG = TgUser(601, "Ada", "ada")


def _env(fake: FakeDiscord, tmp_path: Path, token: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DISCORD_"))}
    env.update(
        DISCORD_BOT_TOKEN=token,
        DISCORD_API_BASE_URL=fake.api_base,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'q.db'}",
        LOG_LEVEL="DEBUG",
    )
    return env


async def _quizbot_run(env: dict[str, str], cwd: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=cwd, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


async def test_quizbot_run_answers_review_and_stops_cleanly_on_sigterm(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    process = await _quizbot_run(_env(fake_discord, tmp_path, fake_discord.token), tmp_path)
    try:
        await fake_discord.wait_until(lambda: None in fake_discord.commands, timeout=30)
        await fake_discord.wait_ready(timeout=30)
        interaction = await fake_discord.slash(ADA, "review", GENERAL)
        question = await fake_discord.response(interaction)
        assert "What is MNIST an abbreviation of?" in question["content"]
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        out, errors = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 0, errors.decode()
    log = out.decode() + errors.decode()
    assert "Discord bot is running" in log and "stopped" in log
    assert fake_discord.token not in log


async def test_a_bad_token_is_a_clear_startup_error(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    process = await _quizbot_run(_env(fake_discord, tmp_path, "not-the-token"), tmp_path)
    out, errors = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 1
    assert "Discord refused DISCORD_BOT_TOKEN" in errors.decode()
    assert "not-the-token" not in out.decode() + errors.decode()


async def test_a_connection_discord_ends_for_good_stops_the_run_with_a_clear_error(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    process = await _quizbot_run(_env(fake_discord, tmp_path, fake_discord.token), tmp_path)
    try:
        assert process.stderr is not None
        while b"bot is running" not in await asyncio.wait_for(process.stderr.readline(), 30):
            pass
        # 4004: the token was reset while the bot ran; discord.py does not reconnect.
        await fake_discord.sessions[-1].ws.close(
            code=AUTHENTICATION_FAILED, message=b"Authentication failed."
        )
        _, errors = await asyncio.wait_for(process.communicate(), timeout=30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 1
    assert "The Discord connection ended" in errors.decode()
    assert "Traceback" not in errors.decode()


async def test_an_unreachable_discord_is_a_clear_startup_error(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    env = _env(fake_discord, tmp_path, fake_discord.token)
    env["DISCORD_API_BASE_URL"] = "http://127.0.0.1:9/api/v10"  # nothing listens there
    process = await _quizbot_run(env, tmp_path)
    _, errors = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 1
    assert "Cannot reach Discord at http://127.0.0.1:9/api/v10" in errors.decode()


async def test_telegram_and_discord_run_together_over_one_store(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    telegram = FakeBotApi()
    await telegram.start()
    env = _env(fake_discord, tmp_path, fake_discord.token)
    env.update(
        TELEGRAM_BOT_TOKEN=telegram.token,
        TELEGRAM_BASE_URL=telegram.base_url,
        TELEGRAM_BASE_FILE_URL=telegram.base_file_url,
    )
    process = await _quizbot_run(env, tmp_path)
    try:
        await fake_discord.wait_ready(timeout=30)
        await telegram.wait_for("setMyCommands", timeout=30)
        question = await fake_discord.response(await fake_discord.slash(ADA, "review", GENERAL))
        telegram.push_command(TgChat(ADA_TG.id), ADA_TG, "/review")
        [call] = await telegram.wait_for("sendMessage", timeout=15)
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        out, errors = await asyncio.wait_for(process.communicate(), timeout=30)
        await telegram.stop()
    assert process.returncode == 0, errors.decode()
    assert "MNIST" in question["content"] and "MNIST" in call.params["text"]
    log = out.decode() + errors.decode()
    assert "Telegram and Discord bot is running" in log
    assert not telegram.unexpected_violations()
    platforms = {
        row[0] for row in committed_rows(tmp_path / "q.db", "SELECT platform FROM learners")
    }
    assert {"telegram", "discord"} <= platforms


async def test_quizbot_run_runs_the_shards_it_is_given(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    """DISCORD_SHARD_COUNT=2, DISCORD_SHARD_IDS=1: this process is shard 1 of 2 (where the
    test server's guild is) and answers its interactions."""
    assert ((GENERAL.guild_id or 0) >> 22) % 2 == 1
    env = _env(fake_discord, tmp_path, fake_discord.token)
    env.update(DISCORD_SHARD_COUNT="2", DISCORD_SHARD_IDS="1")
    process = await _quizbot_run(env, tmp_path)
    try:
        await fake_discord.wait_ready(timeout=30)
        assert [s.shard for s in fake_discord.sessions] == [(1, 2)]
        interaction = await fake_discord.slash(ADA, "review", GENERAL)
        question = await fake_discord.response(interaction)
        assert "What is MNIST an abbreviation of?" in question["content"]
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        out, errors = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 0, errors.decode()
    assert "gateway shards [1] of 2" in out.decode() + errors.decode()
