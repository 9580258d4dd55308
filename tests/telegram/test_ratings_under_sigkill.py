"""A `quizbot run` process SIGKILLed in the middle of a burst of ratings, then another started on
the same database (SQLite file, or a fresh PostgreSQL database): every rating the bot answered
(the user saw the press acknowledged) is stored, none twice, none that was never pressed.

Twenty learners review at once, each pressing Show answer and then 4 on card after card; the
kill comes once 60 ratings were pressed. The second worker takes the updates the first had not
confirmed (the fake Bot API keeps them, as Telegram does), so a press may be handled twice: the
review's idempotency must keep it once.
"""

from __future__ import annotations

import asyncio
import signal
from collections import Counter
from contextlib import suppress
from pathlib import Path
from typing import Any

import pytest

from core import texts
from tests.committed_rows import committed_rows
from tests.telegram.fake_bot_api import FakeBotApi, TgChat, TgUser
from tests.telegram.test_run_process import bot_env, quizbot_run

LEARNERS = [TgUser(810_000 + n, f"Learner{n}", f"learner{n}") for n in range(20)]
ROUNDS = 10  # of the bundled deck's 12 new cards: each rating is on a card of its own
KILL_AFTER = 60


def keyboard(message: dict[str, Any]) -> dict[str, str]:
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return {b["text"]: b["callback_data"] for row in rows for b in row}


async def eventually(check: Any, timeout: float = 10.0) -> Any:
    """`check()`'s first truthy answer, polled; TimeoutError when none comes in time."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not (found := check()):
        if loop.time() > deadline:
            raise TimeoutError
        await asyncio.sleep(0.05)
    return found


async def review(fake: FakeBotApi, user: TgUser, pressed: list[tuple[int, str]]) -> None:
    """One learner: /review, then Show answer and 4 on each card; each rating's query id is
    appended to `pressed` as it is pressed."""
    chat = TgChat(user.id)
    fake.push_command(chat, user, "review")
    question = await eventually(lambda: fake.sent_messages(chat.id)[-1:])
    message = question[0]
    for _ in range(ROUNDS):
        mid = message["message_id"]
        fake.press_button(chat, user, mid, keyboard(message)[texts.SHOW_ANSWER])
        shown = await eventually(
            lambda: "4" in keyboard(m := fake.state.message(chat.id, mid)) and m  # noqa: B023
        )
        sent_before = len(fake.sent_messages(chat.id))
        pressed.append((user.id, fake.press_button(chat, user, mid, keyboard(shown)["4"])))
        following = await eventually(
            lambda: fake.sent_messages(chat.id)[sent_before:]  # noqa: B023
        )
        message = following[-1]
        if texts.SHOW_ANSWER not in keyboard(message):
            return  # nothing more due today


async def quiet(fake: FakeBotApi, seconds: float, timeout: float) -> None:
    """Wait until the fake saw no call but polls for `seconds` (bounded by `timeout`)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        busy = len([c for c in fake.calls if c.method != "getUpdates"])
        await asyncio.sleep(seconds)
        if len([c for c in fake.calls if c.method != "getUpdates"]) == busy:
            return


def stored_reviews(database_url: str, db_path: Path) -> list[tuple[str, str]]:
    sql = (
        "SELECT l.platform_user_id, r.card_id FROM review_log r"
        " JOIN learners l ON l.id = r.learner_id"
    )
    where = database_url if database_url.startswith("postgresql") else db_path
    return [(str(user), str(card)) for user, card in committed_rows(where, sql)]


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
async def test_every_acknowledged_rating_is_stored_once_across_a_sigkill(
    fake_bot_api: FakeBotApi, tmp_path: Path, request: pytest.FixtureRequest, backend: str
) -> None:
    fake, db_path = fake_bot_api, tmp_path / "q.db"
    database_url = (
        request.getfixturevalue("fresh_postgres_url")
        if backend == "postgres"
        else f"sqlite+aiosqlite:///{db_path}"
    )
    env = bot_env(fake, tmp_path, DATABASE_URL=database_url, LOG_LEVEL="INFO")
    first = await quizbot_run(env, tmp_path)
    pressed: list[tuple[int, str]] = []
    learners: list[asyncio.Task[None]] = []
    try:
        await fake.wait_for("setMyCommands", timeout=30)
        learners = [asyncio.create_task(review(fake, user, pressed)) for user in LEARNERS]
        await eventually(lambda: len(pressed) >= KILL_AFTER, timeout=30)
        first.send_signal(signal.SIGKILL)
        await first.wait()
    finally:
        if first.returncode is None:
            first.kill()
        await first.communicate()
        for task in learners:
            task.cancel()
        for task in learners:
            with suppress(asyncio.CancelledError, TimeoutError):
                await task
    assert first.returncode == -signal.SIGKILL
    second = await quizbot_run(env, tmp_path)
    try:
        await fake.wait_for("setMyCommands", count=2, timeout=30)
        await quiet(fake, seconds=2, timeout=20)  # the leftover updates handled
    finally:
        if second.returncode is None:
            second.send_signal(signal.SIGTERM)
        _, errors = await asyncio.wait_for(second.communicate(), timeout=30)
    assert second.returncode == 0, errors.decode()

    rating_queries = {query: user for user, query in pressed}
    answered = {
        str(call.params["callback_query_id"])
        for call in fake.calls_to("answerCallbackQuery")
        if str(call.params["callback_query_id"]) in rating_queries
    }
    stored = stored_reviews(database_url, db_path)
    assert len(stored) == len(set(stored)), "a rating stored twice"
    per_learner = Counter(user for user, _ in stored)
    acknowledged = Counter(str(rating_queries[query]) for query in answered)
    pressed_by = Counter(str(user) for user, _ in pressed)
    assert len(pressed) >= KILL_AFTER and answered
    for user in LEARNERS:
        key = str(user.id)
        # Answered ⇒ stored; stored ⇒ pressed (each press is on a card of its own).
        assert acknowledged[key] <= per_learner[key] <= pressed_by[key], key
