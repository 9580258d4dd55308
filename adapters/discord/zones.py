"""Autocomplete for time zones (for /remind and /settings): IANA names, and what was typed
when the core reads it as a zone ("+05:30" offers "UTC+05:30")."""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones

from discord import app_commands

from core.errors import InvalidInput
from core.zones import zone_name

__all__ = ["zone_choices"]

MAX_CHOICES = 25  # Discord shows at most 25 autocomplete choices


@cache
def _zones() -> tuple[str, ...]:
    return tuple(sorted(available_timezones()))


def zone_choices(typed: str) -> list[app_commands.Choice[str]]:
    """The zone the typed text names, if any, then the first zones whose name contains it
    (case-insensitive)."""
    wanted = typed.strip().casefold()
    found = [zone for zone in _zones() if wanted in zone.casefold()]
    try:
        named = zone_name(typed)
    except InvalidInput:
        named = None
    if named is not None and wanted:
        found = [named, *(zone for zone in found if zone != named)]
    return [app_commands.Choice(name=zone, value=zone) for zone in found[:MAX_CHOICES]]
