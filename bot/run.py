"""`quizbot run`: the bots whose tokens are set, in one event loop over one store and scheduler."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
from collections.abc import Iterable, Sequence
from contextlib import AsyncExitStack
from datetime import timedelta

from adapters.chat.platform import ChatPlatform, PushReceiver, StartupError
from adapters.chat.push_router import PushRouter
from adapters.chat.services import ChatServices
from adapters.discord.app import build_bot as build_discord_bot
from adapters.observability.metrics import Metrics
from adapters.scheduling import BotScheduler, Job
from adapters.telegram.app import build_bot as build_telegram_bot
from adapters.telegram.webhook import WebhookConfig
from bot.http import http_servers
from bot.settings import Settings
from bot.wiring import App, chat_services, open_app
from core.library import DeckLibrary
from core.personal.service import PersonalScheduleService
from core.reminders.service import DEFAULT_LEASE, Push, ReminderService

__all__ = ["StartupError", "daily_pushes", "hourly_job", "overdue_deadlines", "run_bots"]

log = logging.getLogger(__name__)

# What one worker sends a second (Telegram's overall limit), and the most one claim leases.
SEND_RATE = 30
MAX_PUSH_BATCH = 500


def push_batch(lease: timedelta) -> int:
    """How many pushes one claim leases: what the worker sends in an eighth of the lease (a
    batch claimed ahead waits for the one before it to go out, and both are sent well before
    a push's send-by, half the lease), at most MAX_PUSH_BATCH, at least one."""
    return max(1, min(MAX_PUSH_BATCH, int(SEND_RATE * lease.total_seconds() / 8)))


async def run_bots(settings: Settings) -> None:
    """Run until SIGINT or SIGTERM (or a platform's connection ends), then stop cleanly.

    The scheduler starts before the bots take updates (a deadline a handler or a resumed quiz
    arms is scheduled at once) and stops after they stopped; the minutely tick runs only while
    every bot is up (a push claimed for a bot still connecting, or stopping, would be lost).
    """
    if not settings.configured_platforms:
        raise ValueError("run_bots needs a bot token")  # the CLI checks this first
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with open_app(settings, metrics=Metrics()) as quiz:
        scheduler = BotScheduler(quiz.clock)
        scheduler.start()
        scheduler.every_hour(hourly_job(quiz.personal, quiz.library))
        try:
            await _serve(settings, quiz, scheduler, stop)
        finally:
            await scheduler.shutdown()
    log.info("stopped")


async def _serve(
    settings: Settings, quiz: App, scheduler: BotScheduler, stop: asyncio.Event
) -> None:
    """Start the HTTP servers and the configured bots, tick while they run, and stop them (the
    servers last: a webhook request meanwhile is answered 503, and Telegram sends it again)."""
    platforms = _platforms(settings, chat_services(quiz, scheduler))
    async with AsyncExitStack() as bots:
        for server in http_servers(settings, quiz.store, platforms, quiz.metrics):  # type: ignore[arg-type]
            await server.start()
            bots.push_async_callback(server.stop)
        for platform in platforms:
            await platform.start()  # a StartupError stops the ones already started
            bots.push_async_callback(platform.stop)
        tick = settings.quizbot_push_tick_seconds
        jobs = minutely_tick(
            quiz.reminders,
            quiz.library,
            platforms,
            worker=settings.quizbot_worker_id or f"{socket.gethostname()}:{os.getpid()}",
            lease=timedelta(seconds=settings.quizbot_push_lease_seconds),
        )
        scheduler.every_minute(jobs, interval=None if tick is None else timedelta(seconds=tick))
        try:
            names = " and ".join(p.capitalize() for p in settings.configured_platforms)
            log.info("%s bot is running; stop it with Ctrl-C or SIGTERM", names)
            await _until(stop, platforms)
        finally:
            scheduler.stop_ticking()


def _platforms(settings: Settings, services: ChatServices) -> list[ChatPlatform]:
    """A bot for each platform whose token is set."""
    platforms: list[ChatPlatform] = []
    if settings.telegram_bot_token is not None:
        telegram = build_telegram_bot(
            settings.telegram_bot_token.get_secret_value(),
            services,
            base_url=settings.telegram_base_url,
            base_file_url=settings.telegram_base_file_url,
            rate_limit=settings.telegram_rate_limit,
            webhook=_webhook(settings),
            redis_url=settings.redis_url.get_secret_value() if settings.redis_url else None,
        )
        platforms.append(telegram)
    if settings.discord_bot_token is not None:
        discord = build_discord_bot(
            settings.discord_bot_token.get_secret_value(),
            services,
            api_base_url=settings.discord_api_base_url,
            gateway_url=settings.discord_gateway_url,
            dev_guild_id=settings.discord_dev_guild_id,
            shard_count=settings.discord_shard_count,
            shard_ids=settings.discord_shard_ids,
        )
        platforms.append(discord)
    return platforms


def _webhook(settings: Settings) -> WebhookConfig | None:
    """Webhook mode whenever TELEGRAM_WEBHOOK_URL is set (the settings require its secret)."""
    url, secret = settings.telegram_webhook_url, settings.telegram_webhook_secret
    if url is None or secret is None:
        return None
    return WebhookConfig(url, secret.get_secret_value())


async def _until(stop: asyncio.Event, platforms: Sequence[ChatPlatform]) -> None:
    """Wait for a stop signal; a platform whose connection ends on its own ends the run too
    (with the `StartupError` saying what ended it)."""
    waiting: set[asyncio.Task[object]] = {asyncio.create_task(stop.wait())}
    waiting |= {asyncio.create_task(platform.ended()) for platform in platforms}
    done, pending = await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    errors = [error for task in done if (error := task.exception()) is not None]
    if errors:
        raise errors[0]


def minutely_tick(
    reminders: ReminderService,
    library: DeckLibrary,
    platforms: Sequence[ChatPlatform],
    *,
    worker: str = "worker",
    lease: timedelta = DEFAULT_LEASE,
) -> Job:
    """What the scheduler runs each minute, one job after the other: the daily pushes, the
    quiz deadlines nobody acted on, and the history offers past their hour."""
    return _in_turn(
        daily_pushes(reminders, platforms, worker=worker, lease=lease),
        overdue_deadlines(platforms),
        expired_history_offers(library),
    )


def hourly_job(personal: PersonalScheduleService, library: DeckLibrary) -> Job:
    """What the scheduler runs each hour: the weekly refits of learners' schedules (the hourly
    sweep spreads them), then the media files no deck names any more, once an hour old."""
    return _in_turn(personal.refit_job, library.prune_media_job)


def daily_pushes(
    reminders: ReminderService,
    platforms: Iterable[PushReceiver],
    *,
    worker: str = "worker",
    lease: timedelta = DEFAULT_LEASE,
) -> Job:
    """The minutely tick: lease the pushes due now for this worker and route each to the
    platform its chat is on, which marks each sent once it went out. Each batch is what this
    worker sends in an eighth of its lease (`push_batch`); the next is claimed while it goes
    out, until every push due this minute is leased."""
    router = PushRouter(platforms)

    batch = push_batch(lease)

    async def deliver(pushes: list[Push]) -> None:
        sent = await router.deliver(pushes)
        log.info("daily pushes: %d claimed, %d delivered", len(pushes), sent)

    async def tick() -> None:
        await reminders.deliver_due(deliver, worker, lease=lease, batch=batch)

    return tick


def overdue_deadlines(platforms: Iterable[ChatPlatform]) -> Job:
    """Quiz deadlines nobody acted on (the worker whose timer it was died): each platform's
    sweep moves them on, one worker per deadline (the quiz version's compare-and-set)."""
    platforms = list(platforms)

    async def sweep() -> None:
        for platform in platforms:
            try:
                acted = await platform.sweep_deadlines()
            except Exception:
                log.exception("the sweep of overdue quiz deadlines on %s failed", platform.name)
                continue
            if acted:
                log.info("overdue quiz deadlines on %s: %d moved on", platform.name, acted)

    return sweep


def expired_history_offers(library: DeckLibrary) -> Job:
    """Anki history offers over an hour old (the files their uploaders did not take): dropped
    each minute, by any worker (deleting what another already deleted changes nothing)."""
    return library.drop_expired_offers


def _in_turn(*jobs: Job) -> Job:
    """One run of `jobs`, one after the other; one job's failure does not skip the next."""

    async def tick() -> None:
        for job in jobs:
            try:
                await job()
            except Exception:
                log.exception("a scheduled job failed")

    return tick
