"""The `ChatServices` a test's platform runs with: every service, on the test's store."""

from __future__ import annotations

from adapters.chat.services import ChatServices
from adapters.observability.metrics import Metrics
from adapters.scheduling import BotScheduler
from core.leeches.service import LeechService
from core.personal.service import PersonalScheduleService
from core.planning.service import PlanService
from core.ports import Deadlines
from core.settings.service import SettingsService
from core.stats.service import StatsService
from tests.conftest import Services

__all__ = ["chat_services"]


def chat_services(
    services: Services, *, deadlines: Deadlines | None = None, metrics: Metrics | None = None
) -> ChatServices:
    """As `bot.wiring.chat_services` builds them; quiz deadlines go to `deadlines`, else to a
    scheduler that is never started (a deadline runs only when the test runs it); counted in
    `metrics` when given."""
    return ChatServices(
        store=services.store,
        library=services.library,
        reviews=services.reviews,
        stats=StatsService(services.store, services.clock),
        reminders=services.reminders,
        quizzes=services.quizzes,
        deadlines=deadlines if deadlines is not None else BotScheduler(services.clock),
        settings=SettingsService(
            services.store, PersonalScheduleService(services.store, services.clock)
        ),
        metrics=metrics or Metrics(),
        leeches=LeechService(services.store, services.clock),
        plans=PlanService(services.store, services.clock, services.library),
    )
