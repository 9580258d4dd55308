"""Sharding: the bot runs the shards it is given (DISCORD_SHARD_COUNT, DISCORD_SHARD_IDS) or as
many as `GET /gateway/bot` recommends, and each server's interactions, which Discord sends to
the shard `(guild_id >> 22) % shard_count`, are answered there."""

from __future__ import annotations

from core import texts
from tests.conftest import Services
from tests.discord.fake_discord import FakeDiscord
from tests.discord.fake_discord_gateway import shard_of
from tests.discord.fake_discord_payloads import DcChannel
from tests.discord.harness import ADA, BOB, buttons, running, use_deck

CARDS = b"question,answer\nCapital of France?,Paris\nCapital of Peru?,Lima\n"
# (guild_id >> 22) % 2: the first server is on shard 0, the second on shard 1.
ON_SHARD_0 = DcChannel((1000 << 22) + 101, (1000 << 22) + 1)
ON_SHARD_1 = DcChannel((1001 << 22) + 101, (1001 << 22) + 1)
INTERACTION = "INTERACTION_CREATE"


def add_two_servers(fake: FakeDiscord) -> None:
    """The two servers; and two shards may identify at once (else the second waits 5 s)."""
    fake.max_concurrency = 2
    for channel in (ON_SHARD_0, ON_SHARD_1):
        assert channel.guild_id is not None
        fake.add_guild(channel.guild_id, f"Server {channel.guild_id}", (channel.id,))


async def review_question(fake: FakeDiscord, channel: DcChannel) -> str:
    start = await fake.slash(ADA if channel is ON_SHARD_0 else BOB, "review", channel)
    question = await fake.response(start)
    assert [label for label, _ in buttons(question)] == [texts.SHOW_ANSWER]
    return str(question["content"])


async def test_two_shards_in_one_process_each_answer_their_servers(
    fake_discord: FakeDiscord, services: Services
) -> None:
    fake = fake_discord
    add_two_servers(fake)
    for channel in (ON_SHARD_0, ON_SHARD_1):
        await use_deck(services, channel, CARDS)
    async with running(fake, services, shard_count=2) as client:
        assert sorted(s.shard for s in fake.sessions) == [(0, 2), (1, 2)]
        assert client.get_guild(ON_SHARD_1.guild_id or 0) is not None
        for channel in (ON_SHARD_0, ON_SHARD_1):
            assert "Capital of" in await review_question(fake, channel)
    interactions = [shard for event, shard in fake.dispatched if event == INTERACTION]
    assert interactions == [(0, 2), (1, 2)]


async def test_two_workers_with_a_shard_each_answer_their_servers(
    fake_discord: FakeDiscord, services: Services
) -> None:
    """Two clients (as two `quizbot run` processes: DISCORD_SHARD_IDS=0 and =1) on one store."""
    fake = fake_discord
    add_two_servers(fake)
    for channel in (ON_SHARD_0, ON_SHARD_1):
        await use_deck(services, channel, CARDS)
    async with (
        running(fake, services, shard_count=2, shard_ids=[0]) as first,
        running(fake, services, shard_count=2, shard_ids=[1]) as second,
    ):
        for shard, client in enumerate((first, second)):
            on_shard = {g for g in fake.guilds if shard_of(g, 2) == shard}
            assert {g.id for g in client.guilds} == on_shard  # READY: only its shard's servers
        assert ON_SHARD_0.guild_id in {g.id for g in first.guilds}
        assert ON_SHARD_1.guild_id in {g.id for g in second.guilds}
        for channel in (ON_SHARD_0, ON_SHARD_1):
            assert "Capital of" in await review_question(fake, channel)
    interactions = [shard for event, shard in fake.dispatched if event == INTERACTION]
    assert interactions == [(0, 2), (1, 2)]


async def test_without_a_shard_count_the_bot_runs_what_discord_recommends(
    fake_discord: FakeDiscord, services: Services
) -> None:
    fake = fake_discord
    fake.recommended_shards = 2
    add_two_servers(fake)
    async with running(fake, services) as client:
        assert client.shard_count == 2
        assert sorted(s.shard for s in fake.sessions) == [(0, 2), (1, 2)]
        assert len(fake.calls("GET", "/gateway/bot")) == 1
