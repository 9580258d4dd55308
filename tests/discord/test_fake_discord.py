"""The fake Discord itself: it must refuse what Discord refuses, or the other tests prove little."""

from __future__ import annotations

import asyncio
import io
import json
import zlib
from typing import Any

import aiohttp
import discord
import pytest

from core import texts
from tests.conftest import Services
from tests.discord.fake_discord import ACK_WINDOW, TOKEN, FakeDiscord, Interaction
from tests.discord.fake_discord_checks import (
    TOO_LARGE,
    check_choices,
    check_commands,
    check_message,
)
from tests.discord.fake_discord_gateway import _Framing
from tests.discord.harness import ADA, GENERAL, buttons, review_rows, running, use_deck

NONE = {"parse": []}


def button(custom_id: str) -> dict[str, Any]:
    return {"type": 2, "style": 2, "label": "x", "custom_id": custom_id}


def rows(*counts: int) -> list[dict[str, Any]]:
    return [
        {"type": 1, "components": [button(f"b{r}.{i}") for i in range(n)]}
        for r, n in enumerate(counts)
    ]


def test_a_valid_message_passes() -> None:
    body = {"content": "x" * 2000, "allowed_mentions": NONE, "components": rows(5, 5, 5, 5, 5)}
    assert check_message(body) == []


def hi(components: list[dict[str, Any]]) -> dict[str, Any]:
    return {"content": "hi", "allowed_mentions": NONE, "components": components}


def one_row(*items: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"type": 1, "components": list(items)}]


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({"content": "x" * 2001, "allowed_mentions": NONE}, "2001 characters"),
        ({"content": "hi"}, "allowed_mentions is missing"),
        ({"content": "hi", "allowed_mentions": {"parse": ["everyone"]}}, "lets text ping"),
        (hi(rows(6)), "6 buttons"),
        (hi(rows(1, 1, 1, 1, 1, 1)), "6 component rows"),
        (hi(one_row(button("x" * 101))), "custom_id"),
        (hi(one_row(button("a"), button("a"))), "repeats"),
        ({"embeds": [{"description": "x" * 4097}], "allowed_mentions": NONE}, "description"),
        ({}, "needs content"),
    ],
)
def test_what_discord_refuses_is_a_violation(body: dict[str, Any], problem: str) -> None:
    assert any(problem in found for found in check_message(body))


def with_image(url: str, filename: str = "formula.png") -> dict[str, Any]:
    return {
        "embeds": [{"description": "card", "image": {"url": url}}],
        "attachments": [{"id": 0, "filename": filename}],
        "allowed_mentions": NONE,
    }


def test_an_embed_showing_its_attachment_passes() -> None:
    body = with_image("attachment://formula.png")
    assert check_message(body, files={"files[0]": b"\x89PNG"}) == []


@pytest.mark.parametrize(
    ("body", "files", "problem"),
    [
        (with_image("attachment://other.png"), {"files[0]": b"png"}, "names no attachment"),
        (with_image("attachment://formula.png"), {"file": b"png"}, "not described"),
        (
            with_image("attachment://formula.png"),
            {"files[0]": b"x" * (10 * 1024 * 1024 + 1)},
            "10 MiB",
        ),
        (
            {
                "content": "hi",
                "allowed_mentions": NONE,
                "attachments": [{"id": n, "filename": f"{n}.png"} for n in range(11)],
            },
            {f"files[{n}]": b"png" for n in range(11)},
            "11 files",
        ),
    ],
)
def test_what_discord_refuses_in_uploads_is_a_violation(
    body: dict[str, Any], files: dict[str, bytes], problem: str
) -> None:
    assert any(problem in found for found in check_message(body, files=files))


def test_autocomplete_answers_are_checked() -> None:
    assert check_choices({"choices": [{"name": "Spanish", "value": "c1.spanish"}]}) == []
    assert check_choices({"choices": [{"name": "x", "value": "x"}] * 26})
    assert check_choices({"choices": [{"name": "x" * 101, "value": "x"}]})


def test_command_names_and_descriptions_are_checked() -> None:
    assert check_commands([{"name": "review", "description": "Review", "type": 1}]) == []
    assert check_commands([{"name": "Review!", "description": "x", "type": 1}])
    assert check_commands([{"name": "review", "description": "", "type": 1}])


def test_zlib_stream_frames_end_with_the_sync_flush_suffix() -> None:
    framing = _Framing("zlib-stream")
    inflate = zlib.decompressobj()
    for text in ('{"op": 10}', '{"op": 11}'):
        frame = framing.encode(text)
        assert isinstance(frame, bytes) and frame.endswith(b"\x00\x00\xff\xff")
        assert inflate.decompress(frame).decode() == text


async def test_json_answers_carry_exactly_application_json(fake_discord: FakeDiscord) -> None:
    headers = {"Authorization": f"Bot {TOKEN}"}
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{fake_discord.api_base}/users/@me", headers=headers) as answer:
            assert answer.headers["Content-Type"] == "application/json"
        async with session.get(f"{fake_discord.api_base}/users/@me") as answer:
            assert answer.status == 401


async def test_the_client_speaks_zstd_stream_to_the_gateway(
    fake_discord: FakeDiscord, services: Services
) -> None:
    async with running(fake_discord, services):
        (session,) = fake_discord.sessions
        assert session.framing.kind == "zstd-stream"  # zstandard is installed
        assert session.intents is not None and session.intents & (1 << 0)  # guilds


async def test_a_second_or_late_acknowledgement_is_refused(fake_discord: FakeDiscord) -> None:
    loop_time = asyncio.get_running_loop().time()
    fresh = Interaction(1, "fresh", 2, ADA, GENERAL, loop_time)
    late = Interaction(2, "late", 2, ADA, GENERAL, loop_time - ACK_WINDOW - 1)
    for interaction in (fresh, late):
        fake_discord.interactions[interaction.id] = interaction
        fake_discord.by_token[interaction.token] = interaction
    body = {"type": 4, "data": {"content": "hi", "allowed_mentions": NONE}}
    statuses = []
    async with aiohttp.ClientSession() as session:
        for interaction in (fresh, fresh, late):
            url = f"{fake_discord.api_base}/interactions/{interaction.id}/{interaction.token}"
            async with session.post(f"{url}/callback?with_response=1", json=body) as answer:
                statuses.append((answer.status, json.loads(await answer.read()).get("code")))
    assert statuses[1:] == [(400, 40060), (404, 10062)]
    assert len(fake_discord.violations) == 2
    fake_discord.violations.clear()
    late.acks.append(4)  # settled: the fixture checks every interaction was acknowledged


async def test_an_interaction_nobody_answers_fails_the_test(fake_discord: FakeDiscord) -> None:
    ignored = Interaction(4, "ignored", 3, ADA, GENERAL, asyncio.get_running_loop().time())
    fake_discord.interactions[ignored.id] = ignored
    assert fake_discord.problems() == ["interaction 4 never acknowledged"]
    ignored.acks.append(6)  # settled: the fixture's own check is what was shown above
    assert fake_discord.problems() == []


async def test_an_update_cannot_answer_a_slash_command(fake_discord: FakeDiscord) -> None:
    command = Interaction(3, "cmd", 2, ADA, GENERAL, asyncio.get_running_loop().time())
    fake_discord.interactions[command.id] = command
    fake_discord.by_token[command.token] = command
    body = {"type": 7, "data": {"content": "hi", "allowed_mentions": NONE}}
    url = f"{fake_discord.api_base}/interactions/3/cmd/callback?with_response=1"
    async with aiohttp.ClientSession() as session, session.post(url, json=body) as answer:
        assert answer.status == 400
    assert fake_discord.violations == ["callback type 7 answers no interaction of type 2"]
    fake_discord.violations.clear()
    command.acks.append(4)


async def test_a_429_with_via_is_retried_and_nothing_is_lost(
    fake_discord: FakeDiscord, services: Services
) -> None:
    await use_deck(services, GENERAL, b"question,answer\nA?,a\nB?,b\n")
    async with running(fake_discord, services):
        question = await fake_discord.response(await fake_discord.slash(ADA, "review", GENERAL))
        show = dict(buttons(question))[texts.SHOW_ANSWER]
        answer = await fake_discord.response(
            await fake_discord.press(ADA, int(question["id"]), show)
        )
        fake_discord.fail_next("POST", r"/webhooks/\d+/[^/]+", 429, {"retry_after": 0.05})
        rate = await fake_discord.press(ADA, int(answer["id"]), dict(buttons(answer))["3"])
        (next_card,) = await fake_discord.followups(rate, 1)
    assert len(fake_discord.calls("POST", r"/webhooks/\d+/[^/]+")) == 2  # refused, then retried
    assert [label for label, _ in buttons(next_card)] == [texts.SHOW_ANSWER]
    assert review_rows(services) == 1


def test_the_fake_checks_modals_as_discord_does() -> None:
    from tests.discord.fake_discord_checks import check_modal

    field = {"type": 4, "custom_id": "hint", "label": "Hint", "style": 2, "max_length": 300}
    good = {
        "custom_id": "l.hint.1.2",
        "title": "T",
        "components": [{"type": 1, "components": [field]}],
    }
    assert check_modal(good) == []
    bad_field = {**field, "label": "x" * 46, "max_length": 4001, "style": 3}
    bad = {
        "custom_id": "x" * 101,
        "title": "t" * 46,
        "components": [{"type": 1, "components": [bad_field]}],
    }
    problems = check_modal(bad)
    assert len(problems) == 5, problems
    assert check_modal({**good, "components": []}) != []


async def test_an_upload_over_discords_limits_is_refused_with_413(
    fake_discord: FakeDiscord, services: Services
) -> None:
    mib = 1024 * 1024
    async with running(fake_discord, services) as client:
        channel = client.get_partial_messageable(GENERAL.id)
        too_big = [discord.File(io.BytesIO(b"x" * (10 * mib + 1)), filename="leg.png")]
        together = [discord.File(io.BytesIO(b"x" * 9 * mib), filename=f"{n}.png") for n in "abc"]
        for files in (too_big, together):
            with pytest.raises(discord.HTTPException) as refused:
                await channel.send("card", files=files)
            assert (refused.value.status, refused.value.code) == (413, 40005)
    assert [v.split(":")[0] for v in fake_discord.violations] == [TOO_LARGE, TOO_LARGE]
    fake_discord.violations.clear()


async def test_an_edit_keeps_the_attachments_it_lists_and_only_the_messages_own(
    fake_discord: FakeDiscord, services: Services
) -> None:
    async with running(fake_discord, services) as client:
        channel = client.get_partial_messageable(GENERAL.id)
        files = [
            discord.File(io.BytesIO(data), filename=f"{data.decode()}.png") for data in (b"a", b"b")
        ]
        first = await channel.send("card", files=files)
        other = await channel.send("other", file=discord.File(io.BytesIO(b"c"), filename="c.png"))
        edited = await first.edit(
            attachments=[first.attachments[1], discord.File(io.BytesIO(b"d"), filename="d.png")]
        )
        assert [a.filename for a in edited.attachments] == ["b.png", "d.png"]
        assert edited.attachments[0].id == first.attachments[1].id
        assert list(fake_discord.messages[first.id]["files"].values()) == [b"b", b"d"]
        assert [fake_discord.uploads_of(data) for data in (b"a", b"b", b"d")] == [1, 1, 1]
        with pytest.raises(discord.HTTPException) as refused:
            await first.edit(attachments=[other.attachments[0]])  # not this message's
        assert refused.value.status == 400
        unchanged = await first.edit(content="no attachments listed: all kept")
        assert [a.filename for a in unchanged.attachments] == ["b.png", "d.png"]
    assert len(fake_discord.violations) == 1 and "neither" in fake_discord.violations[0]
    fake_discord.violations.clear()
