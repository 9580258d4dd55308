"""Cards with formulas through the real discord.py stack (issue 13): a formula Unicode shows
joins the text; one it cannot is drawn and attached as a PNG to the message with the buttons,
which the presses edit in place (its attachment replaced by the new screen's)."""

from __future__ import annotations

from adapters.formula_image import png_size
from core import texts
from tests.conftest import Services
from tests.discord.fake_discord import FakeDiscord
from tests.discord.harness import ADA, GENERAL, buttons, running, use_deck

NESTED = rb"What is \(\frac{\frac{1}{2}}{3}\)?"
ANSWER = rb"\(1/6\), as \(a = \sqrt{6/(n_{in}+n_{out})}\)"
DECK = b'question,answer\n"' + NESTED + b'","' + ANSWER + b'"\n'


def custom_id(message: dict[str, object], label: str) -> str:
    return dict(buttons(message))[label]


def pictures(fake: FakeDiscord, message_id: str) -> list[bytes]:
    return list(fake.messages[int(message_id)]["files"].values())


async def test_a_formula_is_attached_as_a_png_to_the_message_rated(
    fake_discord: FakeDiscord, services: Services
) -> None:
    await use_deck(services, GENERAL, DECK)
    async with running(fake_discord, services):
        question = await fake_discord.response(await fake_discord.slash(ADA, "review", GENERAL))
        assert "What is" in question["content"] and "frac" not in question["content"]
        assert [a["filename"] for a in question["attachments"]] == ["formula-1.png"]
        [png] = pictures(fake_discord, question["id"])
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        width, height = png_size(png)
        assert 20 < width < 400 and 40 < height < 400

        reveal = await fake_discord.press(
            ADA, int(question["id"]), custom_id(question, texts.SHOW_ANSWER)
        )
        answer = await fake_discord.response(reveal)
        assert reveal.acks == [7]  # updated in place, the picture with it
        assert answer["id"] == question["id"]
        assert r"1/6, as a = √\(6/\(nᵢₙ+nₒᵤₜ\)\)" in answer["content"]  # markdown-escaped
        assert [a["filename"] for a in answer["attachments"]] == ["formula-1.png"]
        assert pictures(fake_discord, answer["id"]) == [png]
        assert [label for label, _ in buttons(answer)] == ["1", "2", "3", "4", "5"]
    assert fake_discord.violations == []
