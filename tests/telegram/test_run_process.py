"""`quizbot run` as an operator starts it: a real process polling the fake Bot API, then SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from tests.telegram.fake_bot_api import FakeBotApi, TgChat, TgUser

ADA = TgUser(601, "Ada", "ada")


async def test_quizbot_run_answers_review_and_stops_cleanly_on_sigterm(
    fake_bot_api: FakeBotApi, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DISCORD_"))}
    env.update(
        TELEGRAM_BOT_TOKEN=fake_bot_api.token,
        TELEGRAM_BASE_URL=fake_bot_api.base_url,
        TELEGRAM_BASE_FILE_URL=fake_bot_api.base_file_url,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'q.db'}",
        LOG_LEVEL="DEBUG",
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
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
    assert fake_bot_api.token not in log
