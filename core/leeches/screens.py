"""The hint prompt: what the bot asks after "Add a hint", with the learner's current hint."""

from __future__ import annotations

from core import texts
from core.actions import LeechAction, LeechToken
from core.leeches.service import HintAsked
from core.screens import Block, Button, Screen, Style

__all__ = ["hint_prompt_screen"]


def hint_prompt_screen(asked: HintAsked, *, with_cancel: bool = True) -> Screen:
    """The prompt; `with_cancel` adds a Cancel button (a platform that asks with a reply form
    instead of buttons leaves it out)."""
    blocks = [Block(asked.prompt)]
    if asked.current:
        blocks.append(Block(texts.HINT_LABEL.format(hint=asked.current), Style.MUTED))
    if not with_cancel:
        return Screen(tuple(blocks))
    cancel = Button(texts.LEECH_CANCEL_BUTTON, LeechToken(LeechAction.CANCEL, 0, 0).encode())
    return Screen(tuple(blocks), ((cancel,),))
