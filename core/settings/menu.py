"""The settings menu: a screen of choices and the short tokens its buttons carry.

A token names whose settings it changes and the one value it sets, e.g. ``s.k3.ret.90`` or
``s.k3.page.zone``. Pressing an old menu sets exactly the value its label says, so menus need no
version; a press on another learner's menu is refused by the service.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum

from core import texts
from core.actions import MAX_TOKEN_BYTES, MAX_TOKEN_NUMBER, SETTINGS_PREFIX, base36
from core.capabilities import BASIC_PLATFORM, PlatformCapabilities
from core.errors import StaleAction
from core.learners import Learner, LearnerSettings
from core.leeches.model import MAX_LEECH_LAPSES, MIN_LEECH_LAPSES
from core.personal.model import PersonalParameters
from core.scheduling.model import SchedulerKind
from core.screens import Block, Button, Screen, Style

__all__ = [
    "COMMON_ZONES",
    "FIT_DEFAULTS",
    "FIT_NOW",
    "NEW_PER_DAY_CHOICES",
    "RETENTION_CHOICES",
    "MenuPage",
    "SettingsChoice",
    "apply_choice",
    "parse_choice",
    "settings_screen",
]

RETENTION_CHOICES = (80, 85, 90, 95)  # percent
NEW_PER_DAY_CHOICES = (5, 10, 20, 30, 50)  # one row: Discord allows 5 buttons a row
# The zones offered as buttons; any other IANA zone can be typed.
COMMON_ZONES = (
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Moscow",
    "Asia/Kolkata",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Sydney",
    "America/Sao_Paulo",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
)
_TOKEN = re.compile(
    re.escape(SETTINGS_PREFIX)
    + r"([0-9a-z]{1,13})\.(sch|ret|new|zone|pub|page|fit|sus|res)\.([0-9a-z]{1,8})"
)
_MARK = "✓ "


# The "fit" field's values: fit the learner's own FSRS parameters now, or go back to defaults.
FIT_NOW = "1"
FIT_DEFAULTS = "0"


class MenuPage(StrEnum):
    MAIN = "main"
    ZONE = "zone"


@dataclass(frozen=True, slots=True)
class SettingsChoice:
    """A decoded button: whose settings, which field ("page" for navigation), which value."""

    learner_id: int
    field: str
    value: str

    def encode(self) -> str:
        token = f"{SETTINGS_PREFIX}{base36(self.learner_id)}.{self.field}.{self.value}"
        assert len(token.encode()) <= MAX_TOKEN_BYTES
        return token


def parse_choice(data: str) -> SettingsChoice:
    match = _TOKEN.fullmatch(data or "")
    if match is None:
        raise StaleAction(texts.SETTINGS_UNKNOWN)
    learner, field, value = match.groups()
    if int(learner, 36) > MAX_TOKEN_NUMBER:  # forged: learner ids are 64-bit
        raise StaleAction(texts.SETTINGS_UNKNOWN)
    return SettingsChoice(int(learner, 36), field, value)


def apply_choice(settings: LearnerSettings, choice: SettingsChoice) -> LearnerSettings:
    """The settings with the choice applied; an unknown value is a StaleAction (forged press)."""
    value = choice.value
    if choice.field == "sch" and value in {kind.value for kind in SchedulerKind}:
        scheduler = replace(settings.scheduler, kind=SchedulerKind(value))
        return replace(settings, scheduler=scheduler)
    if choice.field == "ret" and value.isdecimal() and int(value) in RETENTION_CHOICES:
        scheduler = replace(settings.scheduler, desired_retention=int(value) / 100)
        return replace(settings, scheduler=scheduler)
    if choice.field == "new" and value.isdecimal() and int(value) in NEW_PER_DAY_CHOICES:
        return replace(settings, new_cards_per_day=int(value))
    if choice.field == "zone" and value.isdecimal() and int(value) < len(COMMON_ZONES):
        return replace(settings, time_zone=COMMON_ZONES[int(value)])
    if choice.field == "pub" and value in {"0", "1"}:
        return replace(settings, reviews_public=value == "1")
    raise StaleAction(texts.SETTINGS_UNKNOWN)


def settings_screen(
    learner: Learner,
    page: MenuPage = MenuPage.MAIN,
    note: str = "",
    capabilities: PlatformCapabilities = BASIC_PLATFORM,
    personal: PersonalParameters | None = None,
    suspended: int = 0,
) -> Screen:
    """The menu; who sees the learner's reviews is offered where the platform can keep them
    private (`capabilities.private_replies`). `personal`: the learner's fitted parameters;
    `suspended`: how many cards they suspended (a button to their page when any)."""
    settings = learner.settings
    retention = round(settings.scheduler.desired_retention * 100)
    blocks = [
        Block(texts.SETTINGS_FOR.format(name=learner.display_name), Style.BOLD),
        Block(
            "\n".join(
                (
                    texts.SETTINGS_SCHEDULER.format(
                        kind=texts.SCHEDULER_NAMES[settings.scheduler.kind.value]
                    ),
                    texts.SETTINGS_RETENTION.format(percent=retention),
                    _personal_line(personal),
                    texts.SETTINGS_NEW_PER_DAY.format(count=settings.new_cards_per_day),
                    texts.SETTINGS_ZONE.format(zone=settings.time_zone),
                    capabilities.commands.fill(
                        texts.SETTINGS_LEECH,
                        lapses=settings.leech_threshold,
                        low=MIN_LEECH_LAPSES,
                        high=MAX_LEECH_LAPSES,
                    ),
                    *_reviews_seen(learner, capabilities),
                )
            )
        ),
    ]
    if note:
        blocks.append(Block(note, Style.MUTED))

    def button(label: str, field: str, value: str, current: bool = False) -> Button:
        return Button(
            _MARK + label if current else label, SettingsChoice(learner.id, field, value).encode()
        )

    if page is MenuPage.ZONE:
        blocks.append(Block(capabilities.commands.fill(texts.SETTINGS_ZONE_HINT), Style.MUTED))
        zones = [
            button(zone, "zone", str(i), zone == settings.time_zone)
            for i, zone in enumerate(COMMON_ZONES)
        ]
        rows = [tuple(zones[i : i + 3]) for i in range(0, len(zones), 3)]  # ≤ 5 rows in all
        rows.append((button(texts.SETTINGS_BACK, "page", MenuPage.MAIN.value),))
        return Screen(tuple(blocks), tuple(rows))
    schedulers = tuple(
        button(
            texts.SCHEDULER_NAMES[kind.value], "sch", kind.value, kind is settings.scheduler.kind
        )
        for kind in SchedulerKind
    )
    rows = [
        (
            *schedulers,
            button(texts.SETTINGS_FIT_BUTTON, "fit", FIT_NOW),
            button(texts.SETTINGS_DEFAULTS_BUTTON, "fit", FIT_DEFAULTS),
        ),
        tuple(button(f"{p}%", "ret", str(p), p == retention) for p in RETENTION_CHOICES),
        tuple(
            button(f"{n}/day", "new", str(n), n == settings.new_cards_per_day)
            for n in NEW_PER_DAY_CHOICES
        ),
        (
            button(texts.SETTINGS_ZONE_BUTTON, "page", MenuPage.ZONE.value),
            *(
                [button(texts.SETTINGS_SUSPENDED_BUTTON.format(count=suspended), "sus", "0")]
                if suspended
                else []
            ),
        ),
    ]
    if capabilities.private_replies:
        public = settings.reviews_public
        rows.insert(
            3,
            (
                button(texts.SETTINGS_ONLY_ME, "pub", "0", not public),
                button(texts.SETTINGS_EVERYONE, "pub", "1", public),
            ),
        )
    return Screen(tuple(blocks), tuple(rows))


def _personal_line(personal: PersonalParameters | None) -> str:
    if personal is not None and personal.fitted_on is not None:
        return texts.SETTINGS_PERSONAL.format(
            day=personal.fitted_on.isoformat(),
            reviews=texts.plural(personal.reviews_used, "review"),
        )
    if personal is not None and not personal.enabled:
        return texts.SETTINGS_PERSONAL_OFF
    return texts.SETTINGS_PERSONAL_DEFAULT


def _reviews_seen(learner: Learner, capabilities: PlatformCapabilities) -> tuple[str, ...]:
    if not capabilities.private_replies:
        return ()
    who = (
        texts.SETTINGS_REVIEWS_PUBLIC
        if learner.settings.reviews_public
        else texts.SETTINGS_REVIEWS_PRIVATE
    )
    return (texts.SETTINGS_REVIEWS_SEEN.format(who=who),)
