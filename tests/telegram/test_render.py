"""Rendering neutral screens as Telegram HTML messages, checked by the fake's strict parser."""

from __future__ import annotations

import html

import pytest
from telegram import Bot, InlineKeyboardMarkup
from telegram.constants import ParseMode

from adapters.telegram.render import (
    OutgoingMessage,
    render_keyboard,
    render_screen,
    render_text,
    utf16_len,
)
from core.actions import Action, ActionToken, Subject
from core.review.screens import card_blocks, rating_buttons
from core.screens import Block, Button, Screen, Style
from decks import bundled_decks
from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.fake_bot_api_html import parse_html

TRICKY = "<b>bold?</b> & *stars* _under_ [brackets] `tick` &amp; √ σ 𝑥 ℎ 𝜎(𝑧ℎ𝑖)"


def visible(message: OutgoingMessage) -> str:
    """What a user sees: the fake's strict parser fails on any invalid HTML."""
    return parse_html(message.text).text


def token(action: Action) -> str:
    return ActionToken(Subject.REVIEW, 7, 3, action).encode()


def test_card_text_appears_literally() -> None:
    screen = Screen((Block(TRICKY, Style.BOLD), Block(TRICKY), Block(TRICKY, Style.CODE)))
    [message] = render_screen(screen)
    assert visible(message) == screen.text
    assert message.text.count("&amp;amp;") == 3  # escaped once, not twice and not zero times
    assert message.reply_markup is None


def test_styles_map_to_tags_and_blocks_join_with_a_blank_line() -> None:
    blocks = [Block(f"{style}", style) for style in Style]
    assert render_text(blocks) == [
        "plain\n\n<b>bold</b>\n\n<i>italic</i>\n\n<code>code</code>\n\n<i>muted</i>"
        "\n\n<code>formula</code>"  # a formula not drawn shows its LaTeX source as code
    ]


def test_a_multi_line_block_keeps_one_pair_of_tags() -> None:
    assert render_text([Block("a <1>\nb & c", Style.BOLD)]) == ["<b>a &lt;1&gt;\nb &amp; c</b>"]


def test_every_seed_card_round_trips() -> None:
    cards = [card for deck in bundled_decks() for card in deck.cards]
    assert cards
    for card in cards:
        screen = Screen((*card_blocks(card), Block(card.answer)))
        assert [visible(m) for m in render_screen(screen)] == [screen.text]
        assert html.unescape(render_screen(screen)[0].text).count("√") == screen.text.count("√")


def test_rating_buttons_are_one_row_labelled_1_to_5() -> None:
    screen = Screen((Block("Q"),), rating_buttons(token))
    [message] = render_screen(screen)
    assert isinstance(message.reply_markup, InlineKeyboardMarkup)
    [row] = message.reply_markup.inline_keyboard
    assert [b.text for b in row] == ["1", "2", "3", "4", "5"]
    assert [b.callback_data for b in row] == [f"r.7.3.rate{r}" for r in range(1, 6)]


def test_callback_data_over_64_bytes_raises() -> None:
    render_keyboard([[Button("ok", "x" * 64)]])
    with pytest.raises(ValueError, match="got 65"):
        render_keyboard([[Button("too long", "x" * 65)]])
    with pytest.raises(ValueError, match="got 66"):
        render_keyboard([[Button("bytes, not characters", "é" * 33)]])
    with pytest.raises(ValueError, match="got 0"):
        render_keyboard([[Button("empty", "")]])


def test_a_5000_character_answer_splits_into_two_messages() -> None:
    answer = "\n".join(f"{i:04d} " + "a<&" * 31 for i in range(50))  # 50 lines of 98
    assert len(answer) == 4949
    show = rating_buttons(token)
    screen = Screen((Block("Question?", Style.BOLD), Block(answer)), show)
    first, second = render_screen(screen)
    assert first.reply_markup is None
    assert second.reply_markup == render_keyboard(show)
    assert all(utf16_len(visible(m)) <= 4096 for m in (first, second))
    assert visible(first) + "\n" + visible(second) == screen.text  # split at a line boundary
    assert visible(second).startswith("00")


def test_a_line_over_the_limit_is_cut_hard() -> None:
    line = "&" * 5000
    parts = render_text([Block(line, Style.ITALIC)])
    assert [utf16_len(parse_html(p).text) for p in parts] == [4096, 904]
    assert parts[0] == "<i>" + "&amp;" * 4096 + "</i>"
    assert "".join(parse_html(p).text for p in parts) == line


def test_a_cut_never_splits_a_surrogate_pair() -> None:
    line = "a" + "𝑥" * 3000  # 6001 UTF-16 units
    parts = render_text([Block(line)])
    texts = [parse_html(p).text for p in parts]
    assert [utf16_len(t) for t in texts] == [4095, 1906]
    assert "".join(texts) == line


def test_a_styled_block_split_across_parts_is_reopened() -> None:
    lines = ["x" * 1000] * 6
    parts = render_text([Block("head"), Block("\n".join(lines), Style.BOLD)], limit=4096)
    assert parts == [
        "head\n\n<b>" + "\n".join(lines[:4]) + "</b>",
        "<b>" + "\n".join(lines[4:]) + "</b>",
    ]
    assert all(parse_html(p).entities[-1]["type"] == "bold" for p in parts)


def test_small_limits_pack_lines_greedily() -> None:
    blocks = [Block("ab\ncd"), Block("ef", Style.CODE)]
    assert render_text(blocks, limit=5) == ["ab\ncd", "<code>ef</code>"]
    assert render_text(blocks, limit=1) == ["a", "b", "c", "d", "<code>e</code>", "<code>f</code>"]


def test_an_empty_screen_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="visible text"):
        render_screen(Screen(()))


async def test_rendered_messages_pass_the_fake_bot_api(bot: Bot, fake_bot_api: FakeBotApi) -> None:
    answer = "\n".join(["√(6 / (fan_in + fan_out)) <b> & *_[]"] * 150)
    screen = Screen((Block("Q <i>", Style.BOLD), Block(answer)), rating_buttons(token))
    for message in render_screen(screen):
        await bot.send_message(
            501, message.text, parse_mode=ParseMode.HTML, reply_markup=message.reply_markup
        )
    sent = fake_bot_api.sent_messages(501)
    assert len(sent) == 2
    assert "\n".join(m["text"] for m in sent) == screen.text
    assert ["reply_markup" in m for m in sent] == [False, True]
    assert fake_bot_api.violations == []
