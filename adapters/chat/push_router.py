"""Daily pushes by platform: each running platform receives the claimed pushes of its own chats."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence

from adapters.chat.platform import PushReceiver
from core.reminders.service import Push

__all__ = ["PushRouter"]

log = logging.getLogger(__name__)


class PushRouter:
    """Groups claimed pushes by their chat's platform and hands each group to that platform.

    A push whose platform is not running here keeps its lease: a worker that runs that platform
    takes it once the lease ran out (until the grace window ends). It is logged with its chat.
    One platform's failure does not keep the others' pushes from going out.
    """

    def __init__(self, platforms: Iterable[PushReceiver]) -> None:
        self._platforms = {platform.name: platform for platform in platforms}

    async def deliver(self, pushes: Sequence[Push]) -> int:
        """Deliver `pushes`; how many went out on all platforms together."""
        by_platform: dict[str, list[Push]] = defaultdict(list)
        for push in pushes:
            by_platform[push.chat.platform].append(push)
        sent = 0
        for name, own in by_platform.items():
            platform = self._platforms.get(name)
            if platform is None:
                for push in own:
                    log.warning(
                        "daily push for chat %s not sent: %s is not running",
                        push.chat.id,
                        name,
                    )
                continue
            try:
                sent += await platform.deliver(own)
            except Exception:
                log.exception("daily pushes on %s failed (%d claimed)", name, len(own))
        return sent
