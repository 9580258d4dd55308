"""The baseline of bench_telegram.py: a bare python-telegram-bot echo handler.

It answers every message with its text and every button press with answerCallbackQuery, with
the quiz bot's update concurrency and no rate limiter, on PTB's own HTTP transport (httpx) with
quizbot's pool size, or with `aiohttp` on quizbot's transport. Run by the benchmark:
    python bench/echo_bot.py TOKEN BASE_URL [aiohttp]
"""

from __future__ import annotations

import sys
from pathlib import Path

from telegram import Update
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adapters.telegram.aiohttp_request import AiohttpRequest
from adapters.telegram.app import CONCURRENT_UPDATES, CONNECTION_POOL_SIZE


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_message is not None and update.effective_message.text:
        await update.effective_message.reply_text(update.effective_message.text)


async def press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer()


def main() -> None:
    token, base_url = sys.argv[1], sys.argv[2]
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(base_url)
        .job_queue(None)
        .concurrent_updates(CONCURRENT_UPDATES)
    )
    if sys.argv[3:] == ["aiohttp"]:
        builder = builder.request(AiohttpRequest(CONNECTION_POOL_SIZE))
        builder = builder.get_updates_request(AiohttpRequest(1))
    else:
        builder = builder.connection_pool_size(CONNECTION_POOL_SIZE)
    app = builder.build()
    app.add_handler(MessageHandler(filters.ALL, echo))
    app.add_handler(CallbackQueryHandler(press))
    app.run_polling(poll_interval=0.0, timeout=1)


if __name__ == "__main__":
    main()
