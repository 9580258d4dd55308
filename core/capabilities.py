"""What a chat platform can do, as data its adapter hands the core.

The core offers a feature where the platform has the capability for it and never asks which
platform it is talking to, so a third platform states its capabilities instead of being named
in core logic. How the platform spells its commands comes along (`commands`), for the core
sentences that name one.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.commands import PLAIN_COMMANDS, CommandNames

__all__ = ["BASIC_PLATFORM", "PlatformCapabilities"]


@dataclass(frozen=True, slots=True)
class PlatformCapabilities:
    """Facts about a platform that change what the core offers; each defaults to "cannot"
    (and the commands to plain `/name argument` ones)."""

    # A message in a shared chat that only its recipient sees (Discord's ephemeral replies), so a
    # learner may choose whether the channel sees their reviews.
    private_replies: bool = False
    commands: CommandNames = PLAIN_COMMANDS


BASIC_PLATFORM = PlatformCapabilities()  # a platform that reports no capability
