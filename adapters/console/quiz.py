"""The console review loop: Enter reveals, 1–5 rates, q quits. Works with piped stdin."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import replace

from rich.console import Console

from adapters.console.render import print_screen
from core.errors import QuizbotError
from core.learners import Learner
from core.review.service import ReviewService
from core.screens import Screen

__all__ = ["play_console"]

HELP = "Press Enter to show the answer, 1–5 to rate (1 = not at all, 5 = perfectly), q to quit."
ReadLine = Callable[[str], Awaitable[str | None]]


async def play_console(
    reviews: ReviewService,
    learner: Learner,
    chat_id: int,
    deck_ids: Sequence[str],
    read_line: ReadLine,
    console: Console,
    media: Mapping[str, str] | None = None,
) -> int:
    """Run one review until nothing is due or the learner quits; returns the cards rated.
    `media`: the decks' file names → their paths, shown beside the cards' media markers."""
    screen = await reviews.start(learner, chat_id, deck_ids)
    print_screen(console, screen, media=media)
    rated = 0
    while screen.buttons:
        prompt = "Rate 1–5 › " if screen.answer_shown else "Enter to show the answer › "
        line = await read_line(prompt)
        if line is None or line.strip().lower() in {"q", "quit", "exit"}:
            break
        token = _token_for(screen, line.strip())
        if token is None:
            console.print(HELP, style="yellow", highlight=False)
            continue
        try:
            result = await reviews.press(learner, token)
        except QuizbotError as error:
            console.print(str(error), style="yellow", highlight=False)
            continue
        if result.follow_up is None:  # revealed: the question is on screen already
            print_screen(console, _added(screen, result.updated), media=media)
            screen = result.updated
            continue
        rated += 1
        print_screen(console, Screen(result.updated.blocks[-1:]))  # "Rated 4/5 · next review …"
        screen = result.follow_up
        print_screen(console, screen, media=media)
    return rated


def _token_for(screen: Screen, entry: str) -> str | None:
    buttons = screen.buttons[0] if screen.buttons else ()
    if not screen.answer_shown:
        return buttons[0].action if entry in {"", "s", "show"} and buttons else None
    if entry in {"1", "2", "3", "4", "5"} and len(buttons) == 5:
        return buttons[int(entry) - 1].action
    return None


def _added(before: Screen, after: Screen) -> Screen:
    """`after` without the blocks `before` already showed."""
    shown = set(before.blocks)
    return replace(after, blocks=tuple(b for b in after.blocks if b not in shown))
