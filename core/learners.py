"""Learners (people who rate cards) and chats (where they study), with their settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time, tzinfo

from core.leeches.model import DEFAULT_LEECH_LAPSES
from core.scheduling.days import DEFAULT_DAY_START
from core.scheduling.model import SchedulerSettings
from core.zones import parse_zone

__all__ = ["Chat", "Learner", "LearnerSettings"]


@dataclass(frozen=True, slots=True)
class LearnerSettings:
    """A learner's study preferences; defaults are what a new learner gets."""

    scheduler: SchedulerSettings = field(default_factory=SchedulerSettings)
    time_zone: str = "UTC"  # as `core.zones.zone_name` saves it
    new_cards_per_day: int = 20
    max_reviews_per_day: int = 200
    day_start: time = DEFAULT_DAY_START
    reviews_public: bool = False  # Discord servers: reviews visible to the channel, not only me
    leech_threshold: int = DEFAULT_LEECH_LAPSES  # lapses that make a card a leech (core.leeches)

    @property
    def zone(self) -> tzinfo:
        return parse_zone(self.time_zone)


@dataclass(frozen=True, slots=True)
class Learner:
    """One person on one platform; identified by (platform, platform_user_id)."""

    id: int
    platform: str
    platform_user_id: str
    display_name: str
    settings: LearnerSettings = field(default_factory=LearnerSettings)


@dataclass(frozen=True, slots=True)
class Chat:
    """A private chat, group or channel on one platform.

    Identified by (platform, platform_chat_id).
    """

    id: int
    platform: str
    platform_chat_id: str
    title: str
    is_group: bool
    active_deck_id: str | None = None
    community: str | None = None  # e.g. a Discord channel's server: leaderboards count it whole
