"""/stats, /decks, /deck use (autocomplete) and /deck import through discord.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from adapters.discord import texts
from adapters.discord.render import escape
from core import texts as core_texts
from core.decks.csv_import import MAX_IMPORT_BYTES
from tests.conftest import Services
from tests.discord.fake_discord import FakeDiscord
from tests.discord.fake_discord_payloads import MANAGE_GUILD, MEMBER_PERMISSIONS, DcChannel
from tests.discord.fake_discord_users import Upload
from tests.discord.harness import (
    ADA,
    BOB,
    GENERAL,
    STUDY,
    buttons,
    core_chat_id,
    learner_of,
    running,
    table_counts,
    use_deck,
)
from tests.stats_history import ADVICE, TABLE_ROW_FOUR, log_overrated_fours

EPHEMERAL = 64
MANAGER = MEMBER_PERMISSIONS | MANAGE_GUILD
FIXTURES = Path(__file__).parents[1] / "fixtures" / "decks"
BUNDLED = "Neural nets and deep learning"


async def review_one_card(fake: FakeDiscord, user: Any, where: DcChannel = GENERAL) -> None:
    question = await fake.response(await fake.slash(user, "review", where))
    show = dict(buttons(question))[core_texts.SHOW_ANSWER]
    answer = await fake.response(await fake.press(user, int(question["id"]), show))
    rate = await fake.press(user, int(answer["id"]), dict(buttons(answer))["4"])
    await fake.followups(rate, 1)


async def test_stats_in_a_server_show_figures_chart_and_leaderboard_privately(
    fake_discord: FakeDiscord, services: Services
) -> None:
    await use_deck(services, GENERAL, b"question,answer\nA?,a\nB?,b\n")
    async with running(fake_discord, services):
        await review_one_card(fake_discord, ADA)
        await review_one_card(fake_discord, BOB, STUDY)  # another channel of the same server
        services.clock.advance(minutes=1)
        interaction = await fake_discord.slash(ADA, "stats", GENERAL)
        reply = await fake_discord.response(interaction)
    assert interaction.acks == [5]  # deferred: the chart takes a moment
    assert reply["flags"] & EPHEMERAL
    stats, ratings, board = reply["embeds"]
    assert stats["title"] == "Your stats"
    assert ratings["title"] == "How your ratings hold up"
    assert stats["image"]["url"] == "attachment://stats.png"
    assert board["title"] == "Most reviews in the last 7 days"
    assert "Ada" in board["description"] and "Bob" in board["description"]
    (png,) = reply["files"].values()
    assert png.startswith(b"\x89PNG")
    assert [a["filename"] for a in reply["attachments"]] == ["stats.png"]


async def test_stats_in_a_dm_have_no_leaderboard(
    fake_discord: FakeDiscord, services: Services
) -> None:
    dm = fake_discord.dm_channel(ADA)
    async with running(fake_discord, services):
        reply = await fake_discord.response(await fake_discord.slash(ADA, "stats", dm))
    assert not reply["flags"] & EPHEMERAL
    assert [e["title"] for e in reply["embeds"]] == ["Your stats", "How your ratings hold up"]


async def test_stats_show_how_the_ratings_hold_up_and_the_advice(
    fake_discord: FakeDiscord, services: Services
) -> None:
    ada = await learner_of(services, ADA)
    await log_overrated_fours(services.store, ada.id, services.clock.now())
    dm = fake_discord.dm_channel(ADA)
    async with running(fake_discord, services):
        reply = await fake_discord.response(await fake_discord.slash(ADA, "stats", dm))
    _, ratings = reply["embeds"]
    assert ratings["title"] == "How your ratings hold up"
    lines = ratings["description"].split("\n")
    # Monospace, a code span a line, so the columns line up.
    assert lines[:6] == [
        "`Rated  Reviews  Recalled  Predicted`",
        "`    1        0         –          –`",
        "`    2        0         –          –`",
        "`    3        0         –          –`",
        f"`{TABLE_ROW_FOUR}`",
        "`    5        0         –          –`",
    ]
    assert lines[-1] == escape(ADVICE)


async def test_decks_lists_the_decks_here(fake_discord: FakeDiscord, services: Services) -> None:
    async with running(fake_discord, services):
        reply = await fake_discord.response(await fake_discord.slash(ADA, "decks", GENERAL))
    assert f"**{BUNDLED}**" in reply["content"]
    assert reply["flags"] & EPHEMERAL


async def test_deck_names_autocomplete_and_a_manager_chooses_one(
    fake_discord: FakeDiscord, services: Services
) -> None:
    await use_deck(services, GENERAL, b"question,answer\nA?,a\n", name="Spanish verbs")
    async with running(fake_discord, services):
        choices = await fake_discord.autocomplete(ADA, "deck use", GENERAL, "name", "neural")
        assert [c["name"] for c in choices] == [BUNDLED]
        interaction = await fake_discord.slash(
            ADA, "deck use", GENERAL, permissions=MANAGER, name=choices[0]["value"]
        )
        reply = await fake_discord.response(interaction)
        listing = await fake_discord.response(await fake_discord.slash(ADA, "decks", GENERAL))
    assert reply["content"] == f"Now studying “{BUNDLED}”. Send /review to start."
    assert f"{core_texts.DECK_ACTIVE_MARK}**{BUNDLED}**" in listing["content"]


async def test_only_managers_choose_the_deck_in_a_server(
    fake_discord: FakeDiscord, services: Services
) -> None:
    async with running(fake_discord, services):
        interaction = await fake_discord.slash(ADA, "deck use", GENERAL, name=BUNDLED)
        refusal = await fake_discord.response(interaction)
        dm = fake_discord.dm_channel(ADA)
        mine = await fake_discord.response(
            await fake_discord.slash(ADA, "deck use", dm, name=BUNDLED)
        )
    assert refusal["content"] == "Only members with Manage Server can change the deck here."
    assert refusal["flags"] & EPHEMERAL
    assert mine["content"] == f"Now studying “{BUNDLED}”. Send /review to start."


async def test_an_unknown_deck_is_refused(fake_discord: FakeDiscord, services: Services) -> None:
    async with running(fake_discord, services):
        interaction = await fake_discord.slash(
            ADA, "deck use", GENERAL, permissions=MANAGER, name="Klingon"
        )
        refusal = await fake_discord.response(interaction)
    assert refusal["content"] == core_texts.UNKNOWN_DECK.format(name="Klingon")


async def test_a_manager_imports_a_csv_attachment(
    fake_discord: FakeDiscord, services: Services
) -> None:
    csv = Upload("capitals.csv", b"question,answer\nFrance?,Paris\nPeru?,Lima\n")
    async with running(fake_discord, services):
        interaction = await fake_discord.slash(
            ADA, "deck import", GENERAL, permissions=MANAGER, file=csv
        )
        reply = await fake_discord.response(interaction)
    assert reply["content"] == "Imported 2 cards into “capitals”."
    visible = await services.library.visible(await core_chat_id(services, GENERAL))
    assert "capitals" in [deck.name for deck in visible]


async def test_a_tsv_attachment_with_a_chosen_name(
    fake_discord: FakeDiscord, services: Services
) -> None:
    dm = fake_discord.dm_channel(ADA)
    tsv = Upload("export.tsv", b"question\tanswer\nHund?\tdog\n")
    async with running(fake_discord, services):
        interaction = await fake_discord.slash(ADA, "deck import", dm, file=tsv, name="German")
        reply = await fake_discord.response(interaction)
    assert reply["content"] == "Imported 1 card into “German”."
    assert fake_discord.downloads  # fetched from the attachment's URL


async def test_a_bad_file_writes_nothing(fake_discord: FakeDiscord, services: Services) -> None:
    before = table_counts(services)
    bad = Upload("bad.csv", b"\xff\xfe\x00not text at all\x00")
    async with running(fake_discord, services):
        interaction = await fake_discord.slash(
            ADA, "deck import", GENERAL, permissions=MANAGER, file=bad
        )
        reply = await fake_discord.response(interaction)
    assert reply["content"]
    assert table_counts(services) == before


async def test_imports_are_refused_before_any_download(
    fake_discord: FakeDiscord, services: Services
) -> None:
    huge = Upload("huge.csv", b"q,a\n", size=MAX_IMPORT_BYTES + 1)
    async with running(fake_discord, services):
        replies = [
            await fake_discord.response(
                await fake_discord.slash(ADA, "deck import", GENERAL, permissions=perms, file=f)
            )
            for perms, f in (
                (MEMBER_PERMISSIONS, Upload("a.csv", b"q,a\n")),
                (MANAGER, huge),
                (MANAGER, Upload("deck.pdf", b"%PDF")),
            )
        ]
    assert [r["content"] for r in replies] == [
        "Only members with Manage Server can import decks here.",
        core_texts.file_too_big(MAX_IMPORT_BYTES + 1, MAX_IMPORT_BYTES),
        escape(texts.WRONG_FILE_KIND),  # its parentheses escaped: shown as typed
    ]
    assert fake_discord.downloads == []


async def test_an_anki_package_imports_too(fake_discord: FakeDiscord, services: Services) -> None:
    package = FIXTURES / "genanki-legacy.apkg"
    dm = fake_discord.dm_channel(ADA)
    async with running(fake_discord, services):
        interaction = await fake_discord.slash(
            ADA, "deck import", dm, file=Upload(package.name, package.read_bytes()), name="Anki"
        )
        reply = await fake_discord.response(interaction)
    assert reply["content"].startswith("Imported 4 cards into “Anki”.")


async def test_what_someone_typed_is_quoted_literally_and_split_in_refusals(
    fake_discord: FakeDiscord, services: Services
) -> None:
    typed = "**Klingon** <@1> _x_"
    async with running(fake_discord, services):
        unknown = await fake_discord.response(
            await fake_discord.slash(ADA, "deck use", GENERAL, permissions=MANAGER, name=typed)
        )
        interaction = await fake_discord.slash(ADA, "remind", GENERAL, time="9" * 3000)
        first = await fake_discord.response(interaction)
        rest = await fake_discord.followups(interaction, 1)
    assert unknown["content"] == core_texts.UNKNOWN_DECK.format(
        name=r"\*\*Klingon\*\* \<@1\> \_x\_"
    )
    parts = [first, *rest]
    assert all(len(part["content"]) <= 2000 and part["flags"] & EPHEMERAL for part in parts)
    assert "".join(part["content"] for part in parts).count("9") == 3000


async def test_a_long_deck_list_is_split_and_keeps_its_hint(
    fake_discord: FakeDiscord, services: Services
) -> None:
    for number in range(40):
        await use_deck(
            services, GENERAL, b"question,answer\nA?,a\n", name=f"{number:02} " + "_" * 90
        )
    async with running(fake_discord, services):
        interaction = await fake_discord.slash(ADA, "decks", GENERAL)
        first = await fake_discord.response(interaction)
        await fake_discord.wait_until(
            lambda: any(
                texts.DECKS_HINT in fake_discord.messages[i]["content"]
                for i in interaction.followup_ids
            )
        )
        rest = [fake_discord.messages[i] for i in interaction.followup_ids]
    parts = [first["content"], *(message["content"] for message in rest)]
    assert all(len(part) <= 2000 for part in parts)
    assert parts[0].startswith(f"**{texts.DECKS_HEADING}**")
    assert parts[-1].endswith(texts.DECKS_HINT)
    assert sum(part.count(" · 1 card\n") + part.endswith(" · 1 card") for part in parts) == 40
