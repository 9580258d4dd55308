"""/deck import of an Anki package with review history, through discord.py and the fake Discord:
the uploader alone is asked (an ephemeral message) whether to add their history, by a button."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.discord.render import escape
from core import texts
from tests.committed_rows import committed_rows
from tests.conftest import Services
from tests.decks.samples import fixture
from tests.discord.fake_discord import FakeDiscord
from tests.discord.fake_discord_payloads import MANAGE_GUILD, MEMBER_PERMISSIONS
from tests.discord.fake_discord_users import Upload
from tests.discord.harness import ADA, BOB, GENERAL, buttons, running

EPHEMERAL = 64
MANAGER = MEMBER_PERMISSIONS | MANAGE_GUILD
AFTER = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def _anki_reviews(services: Services) -> list[tuple[object, ...]]:
    return committed_rows(
        services.store,
        "SELECT l.platform_user_id, count(*) FROM review_log r"
        " JOIN learners l ON l.id = r.learner_id WHERE r.source = 'anki' GROUP BY 1",
    )


async def test_the_uploader_adds_their_history_by_the_button(
    fake_discord: FakeDiscord, services: Services
) -> None:
    services.clock.set(AFTER)
    package = Upload("History.apkg", fixture("anki-history.apkg"))
    async with running(fake_discord, services):
        upload = await fake_discord.slash(
            ADA, "deck import", GENERAL, permissions=MANAGER, file=package
        )
        done = await fake_discord.response(upload)
        [offer] = await fake_discord.followups(upload, 1)
        assert done["content"] == "Imported 5 cards into “History”."
        assert offer["content"] == texts.HISTORY_OFFER and offer["flags"] & EPHEMERAL
        [(label, token)] = buttons(offer)
        assert label == texts.HISTORY_OFFER_BUTTON
        assert _anki_reviews(services) == []
        # Someone else's press (were they to see it) is refused: the history is the uploader's.
        bob = await fake_discord.response(await fake_discord.press(BOB, int(offer["id"]), token))
        assert bob["content"] == texts.NOT_MY_BUTTON and bob["flags"] & EPHEMERAL
        added = await fake_discord.response(await fake_discord.press(ADA, int(offer["id"]), token))
    assert added["content"] == escape(  # parentheses escaped: Discord markdown
        "Anki history: 5 reviews added (0 already there), 3 card states added (0 already there)."
    )
    assert buttons(added) == []
    assert _anki_reviews(services) == [(str(ADA.id), 5)]
