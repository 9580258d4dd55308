"""Autocomplete for IANA time zone names (for /remind and /settings)."""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones

from discord import app_commands

__all__ = ["zone_choices"]

MAX_CHOICES = 25  # Discord shows at most 25 autocomplete choices


@cache
def _zones() -> tuple[str, ...]:
    return tuple(sorted(available_timezones()))


def zone_choices(typed: str) -> list[app_commands.Choice[str]]:
    """The first zones whose name contains what was typed (case-insensitive)."""
    wanted = typed.strip().casefold()
    found = [zone for zone in _zones() if wanted in zone.casefold()]
    return [app_commands.Choice(name=zone, value=zone) for zone in found[:MAX_CHOICES]]
