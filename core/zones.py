"""Time zones as people type them, read in one place for every command that takes one.

Accepted: an IANA name in any letter case ("europe/berlin" is saved as "Europe/Berlin"), "UTC"
or "GMT", and a fixed offset from UTC, "+05:30", "-3", "+0545", optionally after "UTC"/"GMT"
("UTC+5:30"), from -12:00 to +14:00, the offsets in use on Earth. An offset is saved as
"UTC+05:30" (Python's own name for it), zero as "UTC"; reading a saved name goes through the same
parser, so names saved by older versions ("Etc/GMT-3", "+05:30") still work.
"""

from __future__ import annotations

import re
from datetime import UTC, timedelta, timezone, tzinfo
from functools import cache, lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from core import texts
from core.errors import InvalidInput

__all__ = ["MAX_ZONE_CHARS", "parse_zone", "zone_name"]

MAX_ZONE_CHARS = 64  # the longest IANA name has 32; Discord's option allows 64
_SHOWN_CHARS = MAX_ZONE_CHARS  # of a refused text quoted back: longer is cut, with "…"
# "+5", "+05", "+5:30", "+05:30" or "+0530", optionally after "UTC" or "GMT".
_OFFSET = re.compile(
    r"(?:UTC|GMT)?\s*(?P<sign>[+-])(?:(?P<h>\d{1,2}):(?P<m>\d{2})|(?P<hh>\d{2})(?P<mm>\d{2})"
    r"|(?P<hours>\d{1,2}))",
    re.IGNORECASE,
)
_UTC_NAMES = frozenset({"utc", "gmt", "z"})
_EAST_MOST, _WEST_MOST = timedelta(hours=14), timedelta(hours=-12)


def zone_name(text: str) -> str:
    """The name to save for what was typed, or `InvalidInput` with the one refusal message."""
    return _parsed(text.strip() if text else "")[0]


def parse_zone(text: str) -> tzinfo:
    """The zone a typed or saved name means, or `InvalidInput`."""
    return _parsed(text.strip() if text else "")[1]


@lru_cache(maxsize=512)  # saved names are read on every review; a refusal is not cached
def _parsed(text: str) -> tuple[str, tzinfo]:
    if len(text) > MAX_ZONE_CHARS:
        raise _refusal(text)
    if text.casefold() in _UTC_NAMES:
        return "UTC", UTC
    offset = _OFFSET.fullmatch(text)
    if offset is not None:
        return _fixed(text, offset)
    name = _iana_names().get(text.casefold(), text)
    try:
        return name, ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # ValueError: "../x"; OSError: too long
        raise _refusal(text) from None


def _fixed(text: str, offset: re.Match[str]) -> tuple[str, tzinfo]:
    sign, hours = offset["sign"], int(offset["h"] or offset["hh"] or offset["hours"])
    minutes = int(offset["m"] or offset["mm"] or 0)
    delta = timedelta(hours=hours, minutes=minutes) * (-1 if sign == "-" else 1)
    if minutes > 59 or not _WEST_MOST <= delta <= _EAST_MOST:
        raise _refusal(text)
    if not delta:
        return "UTC", UTC
    zone = timezone(delta)
    return str(zone), zone  # "UTC+05:30"


@cache
def _iana_names() -> dict[str, str]:
    """Every IANA name by its case-folded spelling."""
    return {name.casefold(): name for name in available_timezones()}


def _refusal(text: str) -> InvalidInput:
    shown = text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 1] + "…"
    return InvalidInput(texts.BAD_ZONE.format(text=shown))
