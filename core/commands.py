"""How a platform spells the commands that core sentences name, as data its adapter supplies.

Core texts say `{review}` or `{stop_quiz}`; each adapter hands its `CommandNames` (Telegram's
`/stop`, Discord's `/quiz stop`) and `fill` writes them in, so no adapter patches a sentence.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

__all__ = ["PLAIN_COMMANDS", "CommandNames"]


@dataclass(frozen=True, slots=True)
class CommandNames:
    """What a person types for each command a core sentence names."""

    review: str  # start reviewing
    stop_quiz: str  # stop the chat's group quiz
    settings: str  # open one's settings menu
    settings_zone: str  # set a time zone: followed directly by the zone
    settings_leech: str  # set the leech threshold: followed directly by the number
    remind_example: str  # a complete daily-push command, 08:00 in Europe/Berlin
    plan_example: str  # a complete exam-plan command: deck, date, target
    plan_off: str  # end one's exam plans

    def fill(self, template: str, **values: object) -> str:
        """`template` with the command placeholders and `values` filled in."""
        return template.format(**asdict(self), **values)


# The names on a platform whose commands are words after a slash, their arguments by position.
PLAIN_COMMANDS = CommandNames(
    review="/review",
    stop_quiz="/stop",
    settings="/settings",
    settings_zone="/settings zone ",
    settings_leech="/settings leech ",
    remind_example="/remind 08:00 Europe/Berlin",
    plan_example="/plan DECK 2027-06-30 90",
    plan_off="/plan off",
)
