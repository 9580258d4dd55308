"""Show and change a learner's study settings: one unit of work per press."""

from __future__ import annotations

from dataclasses import dataclass, replace

from core import texts
from core.capabilities import BASIC_PLATFORM, PlatformCapabilities
from core.errors import NotAllowed, StaleAction
from core.learners import Learner
from core.ports import Store
from core.screens import Screen
from core.settings.menu import MenuPage, apply_choice, parse_choice, settings_screen
from core.zones import zone_name

__all__ = ["SettingsChange", "SettingsService"]


@dataclass(frozen=True, slots=True)
class SettingsChange:
    """The menu to show after a press, and a short notice for the presser."""

    screen: Screen
    notice: str | None = None


class SettingsService:
    def __init__(self, store: Store) -> None:
        self._store = store

    async def menu(
        self, learner: Learner, capabilities: PlatformCapabilities = BASIC_PLATFORM
    ) -> Screen:
        """The learner's menu, offering what the platform's `capabilities` allow."""
        async with self._store.unit_of_work() as uow:
            current = await uow.learners.get(learner.id) or learner
        return settings_screen(current, capabilities=capabilities)

    async def press(
        self, learner: Learner, data: str, capabilities: PlatformCapabilities = BASIC_PLATFORM
    ) -> SettingsChange:
        """A menu button: navigate, or set one value. Only the menu's owner may press it."""
        choice = parse_choice(data)
        if choice.learner_id != learner.id:
            raise NotAllowed(capabilities.commands.fill(texts.SETTINGS_NOT_YOURS))
        async with self._store.unit_of_work() as uow:
            current = await uow.learners.get(learner.id)
            if current is None:
                raise StaleAction(texts.SETTINGS_UNKNOWN)
            if choice.field == "page":
                try:
                    page = MenuPage(choice.value)
                except ValueError:
                    raise StaleAction(texts.SETTINGS_UNKNOWN) from None
                return SettingsChange(settings_screen(current, page, capabilities=capabilities))
            changed = replace(current, settings=apply_choice(current.settings, choice))
            uow.learners.save_settings(learner.id, changed.settings)
            await uow.commit()
        page = MenuPage.ZONE if choice.field == "zone" else MenuPage.MAIN
        screen = settings_screen(changed, page, capabilities=capabilities)
        return SettingsChange(screen, texts.SETTINGS_SAVED)

    async def set_zone(self, learner: Learner, text: str) -> str:
        """`/settings zone Area/City` or `+05:30`: any zone `core.zones` reads, not only the
        menu's."""
        name = zone_name(text)
        async with self._store.unit_of_work() as uow:
            current = await uow.learners.get(learner.id) or learner
            uow.learners.save_settings(learner.id, replace(current.settings, time_zone=name))
            await uow.commit()
        return texts.SETTINGS_ZONE_SET.format(zone=name)
