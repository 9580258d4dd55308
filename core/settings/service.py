"""Show and change a learner's study settings: one unit of work per press."""

from __future__ import annotations

from dataclasses import dataclass, replace

from core import texts
from core.capabilities import BASIC_PLATFORM, PlatformCapabilities
from core.errors import NotAllowed, StaleAction
from core.learners import Learner
from core.leeches.model import leech_threshold
from core.personal.service import PersonalScheduleService
from core.ports import Store
from core.scheduling.fit import MIN_REVIEWS_TO_FIT
from core.screens import Screen
from core.settings.menu import (
    FIT_DEFAULTS,
    FIT_NOW,
    MenuPage,
    SettingsChoice,
    apply_choice,
    parse_choice,
    settings_screen,
)
from core.settings.suspended import CARDS_PER_PAGE, card_key, suspended_screen
from core.zones import zone_name

__all__ = ["SettingsChange", "SettingsService"]


@dataclass(frozen=True, slots=True)
class SettingsChange:
    """The menu to show after a press, and a short notice for the presser."""

    screen: Screen
    notice: str | None = None


class SettingsService:
    def __init__(self, store: Store, personal: PersonalScheduleService) -> None:
        self._store = store
        self._personal = personal

    async def menu(
        self, learner: Learner, capabilities: PlatformCapabilities = BASIC_PLATFORM
    ) -> Screen:
        """The learner's menu, offering what the platform's `capabilities` allow."""
        async with self._store.unit_of_work() as uow:
            current = await uow.learners.get(learner.id) or learner
            personal = await uow.parameters.get(learner.id)
            suspended = await uow.card_flags.suspended_count(learner.id)
        return settings_screen(
            current, capabilities=capabilities, personal=personal, suspended=suspended
        )

    async def press(
        self, learner: Learner, data: str, capabilities: PlatformCapabilities = BASIC_PLATFORM
    ) -> SettingsChange:
        """A menu button: navigate, or set one value. Only the menu's owner may press it."""
        choice = parse_choice(data)
        if choice.learner_id != learner.id:
            raise NotAllowed(capabilities.commands.fill(texts.SETTINGS_NOT_YOURS))
        if choice.field == "fit":
            return await self._fit(learner, choice.value, capabilities)
        if choice.field in ("sus", "res"):
            return await self._suspended(learner, choice)
        personal = await self._personal.status(learner.id)
        async with self._store.unit_of_work() as uow:
            current = await uow.learners.get(learner.id)
            if current is None:
                raise StaleAction(texts.SETTINGS_UNKNOWN)
            suspended = await uow.card_flags.suspended_count(learner.id)
            if choice.field == "page":
                try:
                    page = MenuPage(choice.value)
                except ValueError:
                    raise StaleAction(texts.SETTINGS_UNKNOWN) from None
                screen = settings_screen(
                    current, page, capabilities=capabilities, personal=personal, suspended=suspended
                )
                return SettingsChange(screen)
            changed = replace(current, settings=apply_choice(current.settings, choice))
            uow.learners.save_settings(learner.id, changed.settings)
            await uow.commit()
        page = MenuPage.ZONE if choice.field == "zone" else MenuPage.MAIN
        screen = settings_screen(
            changed, page, capabilities=capabilities, personal=personal, suspended=suspended
        )
        return SettingsChange(screen, texts.SETTINGS_SAVED)

    async def _suspended(self, learner: Learner, choice: SettingsChoice) -> SettingsChange:
        """The suspended cards' page (`sus`: which page), or restore one (`res`: its key)."""
        async with self._store.unit_of_work() as uow:
            cards = await uow.card_flags.suspended(learner.id)
            if choice.field == "sus":
                return SettingsChange(suspended_screen(learner, cards, int(choice.value, 36)))
            index = next(
                (i for i, card in enumerate(cards) if card_key(card.card_id) == choice.value), None
            )
            if index is None:
                raise StaleAction(texts.CARD_NOT_SUSPENDED)
            restored = cards.pop(index)
            uow.card_flags.restore(learner.id, restored.card_id)
            await uow.commit()
        note = texts.CARD_RESTORED.format(question=restored.question)
        page = index // CARDS_PER_PAGE
        return SettingsChange(suspended_screen(learner, cards, page, note), note)

    async def _fit(
        self, learner: Learner, value: str, capabilities: PlatformCapabilities
    ) -> SettingsChange:
        """Fit the learner's own parameters now, or reset them to the defaults."""
        kept = False
        if value == FIT_NOW:
            outcome = await self._personal.fit_now(learner)
            row = outcome.row if outcome is not None else None
            kept = outcome is not None and outcome.kept_previous
        elif value == FIT_DEFAULTS:
            row = await self._personal.reset(learner)
        else:
            raise StaleAction(texts.SETTINGS_UNKNOWN)
        async with self._store.unit_of_work() as uow:
            current = await uow.learners.get(learner.id) or learner
            reviews = await uow.stats.review_total(learner.id)
        if row is None:
            notice = texts.SETTINGS_FIT_BUSY
            row = await self._personal.status(learner.id)
        elif not row.enabled:
            notice = texts.SETTINGS_DEFAULTS_SET
        elif kept:
            notice = texts.fit_kept(reviews, personal=row.parameters is not None)
        elif row.parameters is None:
            needed = max(MIN_REVIEWS_TO_FIT - reviews, 0)
            notice = texts.SETTINGS_FIT_TOO_FEW.format(needed=texts.plural(needed, "review"))
        else:
            notice = texts.SETTINGS_FITTED.format(reviews=texts.plural(row.reviews_used, "review"))
        screen = settings_screen(current, capabilities=capabilities, personal=row)
        return SettingsChange(screen, notice)

    async def set_zone(self, learner: Learner, text: str) -> str:
        """`/settings zone Area/City` or `+05:30`: any zone `core.zones` reads, not only the
        menu's."""
        name = zone_name(text)
        async with self._store.unit_of_work() as uow:
            current = await uow.learners.get(learner.id) or learner
            uow.learners.save_settings(learner.id, replace(current.settings, time_zone=name))
            await uow.commit()
        return texts.SETTINGS_ZONE_SET.format(zone=name)

    async def set_leech_threshold(
        self, learner: Learner, text: str, capabilities: PlatformCapabilities = BASIC_PLATFORM
    ) -> str:
        """`/settings leech N`: the lapses that make a card a leech; a number outside the range,
        or no number, is refused with the reason and changes nothing."""
        lapses = leech_threshold(text, capabilities.commands)
        async with self._store.unit_of_work() as uow:
            current = await uow.learners.get(learner.id) or learner
            changed = replace(current.settings, leech_threshold=lapses)
            uow.learners.save_settings(learner.id, changed)
            await uow.commit()
        return texts.LEECH_THRESHOLD_SET.format(lapses=lapses)
