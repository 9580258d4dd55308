"""Telegram throughput: the real `quizbot run` process against the fake Bot API, next to a bare
python-telegram-bot echo handler (bench/echo_bot.py) on the same fake in the same run.

Run: .venv/bin/python bench/bench_telegram.py [--users 200 --steps 10 --rounds 3]

USERS learners each make STEPS interactions; all users start at once and each sends its next
interaction as soon as the bot has answered the last one (as a person tapping through would).
Quiz bot: /review, then Show answer and a rating 4 in turn; an interaction ends with the bot's
call that completes it (the card sent, the answer edited in, the next card sent). Echo bot: a
message (ends with the echo) and a button press (ends with answerCallbackQuery), in turn. Both run
with the outbound rate limiter off (TELEGRAM_RATE_LIMIT=0) and the same update concurrency.
Prints interactions per second and p50/p99 latency (update delivered → completing call) per run,
and the quiz bot's rate as a share of the echo handler's. Only 127.0.0.1 is used.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.telegram.fake_bot_api import FakeBotApi, TgChat, TgUser  # noqa: E402
from tests.telegram.fake_bot_api_objects import Call  # noqa: E402

SHOW, RATE = "Show answer", "4"
WAIT_SECONDS = 60.0  # per interaction; a bot that never answers fails the run, not hangs it


@dataclass
class RunResult:
    name: str
    interactions: int
    seconds: float
    latencies: list[float]
    failures: int
    calls: int  # Bot API calls the bot made during the run (getUpdates not counted)
    bot_cpu: float  # CPU seconds of the bot process, start to stop
    fake_cpu: float  # CPU seconds of this process (the fake server and the users) in the run

    @property
    def rate(self) -> float:
        return self.interactions / self.seconds

    def line(self) -> str:
        ordered = sorted(self.latencies)
        p50 = statistics.median(ordered) * 1000
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000
        return (
            f"{self.name:<8} {self.rate:6.0f} interactions/s  p50 {p50:6.1f} ms  p99 {p99:6.1f} ms"
            f"  | {self.interactions} in {self.seconds:.2f} s, {self.failures} failed,"
            f" {self.calls / self.interactions:.1f} API calls each"
            f" ({self.calls / self.seconds:.0f}/s),"
            f" CPU s: bot {self.bot_cpu:.1f}, fake+users {self.fake_cpu:.1f}"
        )


class Completions:
    """Futures resolved when the bot makes the call that completes an interaction."""

    def __init__(self, fake: FakeBotApi) -> None:
        self._waiting: dict[tuple[str, str], asyncio.Future[float]] = {}
        fake.listeners.append(self._on_call)

    def expect(self, method: str, key: object) -> asyncio.Future[float]:
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._waiting[(method, str(key))] = future
        return future

    def _on_call(self, call: Call) -> None:
        params = call.params
        key = params.get("callback_query_id", params.get("chat_id"))
        future = self._waiting.pop((call.method, str(key)), None)
        if future is not None and not future.done():
            future.set_result(time.perf_counter())


def buttons(message: dict[str, Any]) -> dict[str, str]:
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return {b["text"]: b["callback_data"] for row in rows for b in row}


async def quiz_user(fake: FakeBotApi, done: Completions, user: TgUser, steps: int) -> list[float]:
    chat, latencies = TgChat(user.id), []
    for step in range(steps):
        if step == 0:
            future = done.expect("sendMessage", chat.id)
            fake.push_command(chat, user, "review")
        else:
            card = fake.sent_messages(chat.id)[-1]
            label, method = (SHOW, "editMessageText") if step % 2 else (RATE, "sendMessage")
            future = done.expect(method, chat.id)
            fake.press_button(chat, user, card["message_id"], buttons(card)[label])
        started = time.perf_counter()
        latencies.append(await asyncio.wait_for(future, WAIT_SECONDS) - started)
    return latencies


async def echo_user(fake: FakeBotApi, done: Completions, user: TgUser, steps: int) -> list[float]:
    chat, latencies = TgChat(user.id), []
    for step in range(steps):
        if step % 2 == 0:
            future = done.expect("sendMessage", chat.id)
            fake.push_message(chat, user, f"hello {step}")
        else:
            echoed = fake.sent_messages(chat.id)[-1]["message_id"]
            query_id = fake.press_button(chat, user, echoed, "echo", strict=False)
            future = done.expect("answerCallbackQuery", query_id)
        started = time.perf_counter()
        latencies.append(await asyncio.wait_for(future, WAIT_SECONDS) - started)
    return latencies


User = Callable[[FakeBotApi, Completions, TgUser, int], Any]


async def run(
    name: str, command: list[str], env: dict[str, str], user: User, args: Any
) -> RunResult:
    fake = FakeBotApi(max_poll_timeout=1.0)
    await fake.start()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    children_before = before.ru_utime + before.ru_stime
    log = tempfile.TemporaryFile()  # noqa: SIM115 (closed below, after the process is gone)
    full_env = os.environ | env | {"TELEGRAM_BOT_TOKEN": fake.token}
    full_env |= {"TELEGRAM_BASE_URL": fake.base_url, "TELEGRAM_BASE_FILE_URL": fake.base_file_url}
    process = subprocess.Popen(
        [arg.format(token=fake.token, base_url=fake.base_url) for arg in command],
        env=full_env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        await fake.wait_for("getUpdates", timeout=60)  # started and polling
        done = Completions(fake)
        users = [TgUser(10_000 + i, f"User{i}", f"user{i}") for i in range(args.users)]
        calls_before = len(fake.calls) - len(fake.calls_to("getUpdates"))
        started, cpu = time.perf_counter(), time.process_time()
        outcomes = await asyncio.gather(
            *(user(fake, done, u, args.steps) for u in users), return_exceptions=True
        )
        seconds, fake_cpu = time.perf_counter() - started, time.process_time() - cpu
        calls = len(fake.calls) - len(fake.calls_to("getUpdates")) - calls_before
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        await fake.stop()
    bot_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    bot_seconds = bot_cpu.ru_utime + bot_cpu.ru_stime - children_before
    failures = [o for o in outcomes if isinstance(o, BaseException)]
    if failures or fake.unexpected_violations():
        log.seek(0)
        print(log.read().decode(errors="replace")[-3000:], file=sys.stderr)
        print(fake.unexpected_violations()[:5], failures[:3], file=sys.stderr)
    log.close()
    latencies = [lat for o in outcomes if isinstance(o, list) for lat in o]
    return RunResult(
        name, len(latencies), seconds, latencies, len(failures), calls, bot_seconds, fake_cpu
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    quiet = {"LOG_LEVEL": "WARNING", "TELEGRAM_RATE_LIMIT": "0", "PYTHONUNBUFFERED": "1"}
    echo_cmd = [sys.executable, str(ROOT / "bench" / "echo_bot.py"), "{token}", "{base_url}"]
    quiz_cmd = [sys.executable, "-c", "from bot.cli import main; main()", "run"]
    if os.environ.get("BENCH_QUIZ_CMD"):  # e.g. the bot under cProfile
        quiz_cmd = os.environ["BENCH_QUIZ_CMD"].split()
    print(f"{args.users} users × {args.steps} interactions, {args.rounds} rounds, limiter off")
    rates: dict[str, list[float]] = {"echo": [], "echo-aio": [], "quizbot": []}
    for _ in range(args.rounds):
        results = [
            await run("echo", echo_cmd, quiet, echo_user, args),
            await run("echo-aio", [*echo_cmd, "aiohttp"], quiet, echo_user, args),
        ]
        with tempfile.TemporaryDirectory() as data:
            database = {"DATABASE_URL": f"sqlite+aiosqlite:///{data}/bench.db"}
            results.append(await run("quizbot", quiz_cmd, quiet | database, quiz_user, args))
        for result in results:
            print(result.line())
            rates[result.name].append(result.rate)
    quiz = statistics.median(rates["quizbot"])
    print(
        f"quizbot at {quiz / statistics.median(rates['echo']):.0%} of the bare echo handler's rate"
        f" (target ≥ 60%), {quiz / statistics.median(rates['echo-aio']):.0%} of the echo handler"
        " on quizbot's HTTP transport (medians)"
    )


if __name__ == "__main__":
    asyncio.run(main())
