"""`quizbot run --webhook` as an operator starts it: one HTTP server for the webhook, /healthz
and /metrics; updates posted with the secret are answered, forged ones refused; the secret shows
nowhere in what the process printed (at DEBUG, where PTB logs each call's parameters)."""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

import aiohttp

from tests.telegram.fake_bot_api import FakeBotApi, TgChat
from tests.telegram.test_run_process import ADA, assert_no_secret, bot_env, closed_port
from tests.telegram.webhook_harness import SECRET

WEBHOOK_URL = "https://quizbot.example.org/hooks/telegram"


async def test_quizbot_run_webhook_serves_updates_health_and_metrics(
    fake_bot_api: FakeBotApi, tmp_path: Path
) -> None:
    port = closed_port()
    env = bot_env(
        fake_bot_api,
        tmp_path,
        TELEGRAM_WEBHOOK_URL=WEBHOOK_URL,
        TELEGRAM_WEBHOOK_SECRET=SECRET,
        TELEGRAM_WEBHOOK_LISTEN="127.0.0.1",
        TELEGRAM_WEBHOOK_PORT=str(port),
        QUIZBOT_HTTP_HOST="127.0.0.1",
        QUIZBOT_HTTP_PORT=str(port),
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", "--webhook", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        [registered] = await fake_bot_api.wait_for("setWebhook", timeout=30)
        assert registered.params["url"] == WEBHOOK_URL
        async with aiohttp.ClientSession() as session:
            async with session.get(f"{base}/healthz") as response:
                assert response.status == 200
                assert await response.json() == {"status": "ok", "store": "ok", "telegram": "ok"}
            forged = fake_bot_api.push_command(TgChat(ADA.id), ADA, "/review")
            endpoint = f"{base}/hooks/telegram"
            assert await fake_bot_api.post_to_webhook(forged, endpoint, secret=None) == 401
            update = fake_bot_api.push_command(TgChat(ADA.id), ADA, "/review")
            assert await fake_bot_api.post_to_webhook(update, endpoint) == 200
            [call] = await fake_bot_api.wait_for("sendMessage", timeout=15)
            assert "What is MNIST an abbreviation of?" in call.params["text"]
            async with session.get(f"{base}/metrics") as response:
                metrics = await response.text()
        assert 'quizbot_updates_handled_total{kind="command",platform="telegram"} 1.0' in metrics
        assert fake_bot_api.calls_to("getUpdates") == []
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        out, errors = await asyncio.wait_for(process.communicate(), timeout=30)
    log = out.decode() + errors.decode()
    assert process.returncode == 0, log
    assert fake_bot_api.calls_to("deleteWebhook") == []
    assert SECRET not in log, log
    assert "secret_token" in log  # PTB's DEBUG line of the setWebhook call was there, redacted
    assert_no_secret(log, fake_bot_api.token)


async def test_webhook_without_its_url_stops_with_a_clear_message(
    fake_bot_api: FakeBotApi, tmp_path: Path
) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", "--webhook", cwd=tmp_path,
        env=bot_env(fake_bot_api, tmp_path),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, errors = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 2
    assert "--webhook needs TELEGRAM_WEBHOOK_URL" in " ".join((out + errors).decode().split())
    assert fake_bot_api.calls == []
