"""Daily pushes: the due query, DST days, far-east zones, restarts, double ticks and leases."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta

import pytest

from core.actions import START_REVIEW_TOKEN
from core.errors import InvalidInput, NotAllowed
from core.permissions import OPERATOR, ChatRole
from core.reminders.service import DEFAULT_LEASE, Push, parse_local_time
from core.screens import Button
from core.zones import parse_zone
from tests.committed_rows import committed_rows
from tests.conftest import Services


async def subscribe(services: Services, key: str, at: str, zone: str) -> int:
    chat = await services.chat(key, group=False)
    learner = await services.learner(key)
    await services.reminders.subscribe(
        chat.id, learner.id, parse_local_time(at), zone, "neural-nets", role=OPERATOR
    )
    return chat.id


async def pushed_at(services: Services, instant: datetime) -> list[int]:
    """Tick at `instant` and mark each push sent, as its delivery does once the platform took it."""
    services.clock.set(instant)
    pushes = await services.reminders.tick()
    for push in pushes:
        assert await services.reminders.mark_sent(push)
    return [p.subscription.chat_id for p in pushes]


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [
        (date(2026, 3, 28), 7),
        (date(2026, 3, 29), 6),
        (date(2026, 10, 24), 6),
        (date(2026, 10, 25), 7),
    ],
)
async def test_berlin_push_follows_dst(services: Services, day: date, utc_hour: int) -> None:
    services.clock.set(datetime(day.year, day.month, day.day, 0, 30, tzinfo=UTC))
    chat = await subscribe(services, "berlin", "08:00", "Europe/Berlin")
    minute_before = datetime(day.year, day.month, day.day, utc_hour - 1, 59, tzinfo=UTC)
    assert await pushed_at(services, minute_before) == []
    on_time = datetime(day.year, day.month, day.day, utc_hour, 0, tzinfo=UTC)
    assert await pushed_at(services, on_time) == [chat]
    assert await pushed_at(services, on_time.replace(minute=1)) == []  # a second tick: nothing


async def test_push_inside_spring_gap_goes_out_once(services: Services) -> None:
    services.clock.set(datetime(2026, 3, 28, 12, 0, tzinfo=UTC))
    chat = await subscribe(services, "gap", "02:30", "Europe/Berlin")  # 02:30 does not exist 29 Mar
    # 02:30 CET would be 01:30 UTC, which is 03:30 CEST: the push comes an hour after the gap.
    sent = [
        await pushed_at(services, datetime(2026, 3, 29, h, m, tzinfo=UTC))
        for h, m in [(0, 30), (1, 29), (1, 30), (2, 30)]
    ]
    assert sent == [[], [], [chat], []]


async def test_utc_plus_13_gets_its_push_on_the_previous_utc_date(services: Services) -> None:
    services.clock.set(datetime(2026, 11, 2, 0, 0, tzinfo=UTC))  # 13:00 on 2 Nov in Tonga
    chat = await subscribe(services, "tonga", "07:00", "Pacific/Tongatapu")
    assert await pushed_at(services, datetime(2026, 11, 2, 17, 59, tzinfo=UTC)) == []
    assert await pushed_at(services, datetime(2026, 11, 2, 18, 0, tzinfo=UTC)) == [
        chat
    ]  # 3 Nov 07:00
    tonga = await services.learner("tonga")  # ensure() finds the same learner again
    async with services.store.unit_of_work() as uow:
        sub = await uow.subscriptions.for_chat(chat, tonga.id)
    assert sub is not None
    assert sub.last_sent_day == date(2026, 11, 3)
    assert sub.next_push_at == datetime(2026, 11, 3, 18, 0, tzinfo=UTC)


async def test_missed_push_goes_out_once_within_grace_and_not_after(services: Services) -> None:
    services.clock.set(datetime(2026, 11, 2, 0, 0, tzinfo=UTC))
    late = await subscribe(services, "late", "08:00", "UTC")
    assert await pushed_at(services, datetime(2026, 11, 2, 9, 30, tzinfo=UTC)) == [
        late
    ]  # down 08:00–09:30
    assert (
        await pushed_at(services, datetime(2026, 11, 3, 11, 0, tzinfo=UTC)) == []
    )  # 3 h late: skipped
    assert await pushed_at(services, datetime(2026, 11, 4, 8, 0, tzinfo=UTC)) == [late]


async def test_due_count_and_unsubscribe(services: Services) -> None:
    services.clock.set(datetime(2026, 11, 2, 0, 0, tzinfo=UTC))
    chat = await subscribe(services, "count", "08:00", "UTC")
    services.clock.set(datetime(2026, 11, 2, 8, 0, tzinfo=UTC))
    [push] = await services.reminders.tick()
    assert push.due_count == 12  # 12 new cards, within the default 20 new per day
    learner = push.subscription.learner_id
    assert await services.reminders.unsubscribe(chat, learner, role=OPERATOR)
    assert not await services.reminders.unsubscribe(chat, learner, role=OPERATOR)
    assert await pushed_at(services, datetime(2026, 11, 3, 8, 0, tzinfo=UTC)) == []


@pytest.mark.parametrize("text", ["25:00", "8", "noon", "", "12:60"])
def test_bad_times_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput, match="is not a time"):
        parse_local_time(text)


@pytest.mark.parametrize(
    "text", ["Mars/Olympus", "+15:00", "", "../../etc/passwd", "Europe/" + "x" * 300]
)
def test_bad_zones_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput, match="is not a time zone"):
        parse_zone(text)


def test_offsets_and_names_parse() -> None:
    assert parse_zone("Europe/Berlin").utcoffset(datetime(2026, 7, 1)) is not None
    assert str(parse_zone("+05:30")) == "UTC+05:30"
    assert parse_local_time("7:05") == time(7, 5)


async def test_push_without_a_deck_counts_the_decks_the_chat_sees(services: Services) -> None:
    services.clock.set(datetime(2026, 11, 2, 0, 0, tzinfo=UTC))
    chat, learner = await services.chat("any", group=False), await services.learner("any")
    await services.reminders.subscribe(chat.id, learner.id, time(8, 0), "UTC", role=OPERATOR)
    services.clock.set(datetime(2026, 11, 2, 8, 0, tzinfo=UTC))
    [push] = await services.reminders.tick()
    assert (push.due_count, push.deck_ids) == (12, ("neural-nets",))


async def test_a_claimed_push_carries_its_chat_and_says_what_is_due(
    services: Services,
) -> None:
    services.clock.set(datetime(2026, 11, 2, 0, 0, tzinfo=UTC))
    private, learner = await services.chat("ann", group=False), await services.learner("ann")
    group = await services.chat("club", group=True)
    await services.reminders.subscribe(private.id, learner.id, time(8, 0), "UTC", role=OPERATOR)
    await services.reminders.subscribe(group.id, None, time(8, 0), "UTC", role=OPERATOR)
    services.clock.set(datetime(2026, 11, 2, 8, 0, tzinfo=UTC))
    pushes = {push.subscription.chat_id: push for push in await services.reminders.tick()}

    # The chat (and so its platform, which routes the push) comes with the claim.
    assert (pushes[private.id].chat, pushes[group.id].chat) == (private, group)
    assert pushes[private.id].deck_names == ("Neural nets and deep learning",)
    assert pushes[group.id].deck_names == ()  # a group's quiz names no deck in a message
    screen = services.reminders.screen(pushes[private.id])
    assert screen is not None
    assert screen.text == "12 cards are due in Neural nets and deep learning."
    [[button]] = screen.buttons
    assert button == Button("Start review", START_REVIEW_TOKEN, primary=True)
    # A group's push is a quiz, not a message.
    assert services.reminders.screen(pushes[group.id]) is None


async def test_a_groups_push_is_for_its_admins_and_a_learners_own_for_them(
    services: Services,
) -> None:
    group, learner = await services.chat("club", group=True), await services.learner("ann")
    member = ChatRole(in_group=True, admins="the admins")
    with pytest.raises(NotAllowed) as refused:
        await services.reminders.subscribe(group.id, None, time(8, 0), "UTC", role=member)
    assert str(refused.value) == "Only the admins can set the daily review here."
    with pytest.raises(NotAllowed):
        await services.reminders.unsubscribe(group.id, None, role=member)
    assert await services.reminders.current(group.id, None) is None
    own = await services.reminders.subscribe(group.id, learner.id, time(8, 0), "UTC", role=member)
    assert own.learner_id == learner.id


async def test_a_leased_push_not_marked_sent_goes_out_again_once_the_lease_ran_out(
    services: Services,
) -> None:
    """The worker that leased it died before the platform took it: another worker sends it."""
    services.clock.set(datetime(2026, 11, 2, 0, 0, tzinfo=UTC))
    chat = await subscribe(services, "ann", "08:00", "UTC")
    lease = timedelta(minutes=5)
    services.clock.set(datetime(2026, 11, 2, 8, 0, tzinfo=UTC))
    [leased] = await services.reminders.tick("dead", lease=lease)  # never marked sent
    services.clock.set(datetime(2026, 11, 2, 8, 4, tzinfo=UTC))
    assert await services.reminders.tick("other", lease=lease) == []  # the lease still holds
    services.clock.set(datetime(2026, 11, 2, 8, 5, tzinfo=UTC))
    [again] = await services.reminders.tick("other", lease=lease)
    assert again.subscription == leased.subscription and again.chat.id == chat
    assert await services.reminders.mark_sent(again)
    assert not await services.reminders.mark_sent(leased)  # the dead worker's claim moved on
    assert await pushed_at(services, datetime(2026, 11, 2, 8, 20, tzinfo=UTC)) == []
    assert await pushed_at(services, datetime(2026, 11, 3, 8, 0, tzinfo=UTC)) == [chat]


async def test_a_lease_that_outlives_the_grace_window_skips_the_push(services: Services) -> None:
    services.clock.set(datetime(2026, 11, 2, 0, 0, tzinfo=UTC))
    chat = await subscribe(services, "ann", "08:00", "UTC")
    services.clock.set(datetime(2026, 11, 2, 8, 0, tzinfo=UTC))
    assert len(await services.reminders.tick("dead")) == 1
    assert await pushed_at(services, datetime(2026, 11, 2, 10, 30, tzinfo=UTC)) == []  # skipped
    async with services.store.unit_of_work() as uow:
        sub = await uow.subscriptions.for_chat(chat, (await services.learner("ann")).id)
    assert sub is not None and sub.last_sent_day is None
    assert sub.next_push_at == datetime(2026, 11, 3, 8, 0, tzinfo=UTC)


async def test_two_workers_ticking_at_once_lease_each_push_to_one_of_them(
    services: Services,
) -> None:
    services.clock.set(datetime(2026, 11, 2, 0, 0, tzinfo=UTC))
    chats = {await subscribe(services, f"l{n}", "08:00", "UTC") for n in range(30)}
    services.clock.set(datetime(2026, 11, 2, 8, 0, tzinfo=UTC))
    batches = await asyncio.gather(*(services.reminders.tick(f"w{n}", limit=7) for n in range(6)))
    leased = [push.subscription.chat_id for batch in batches for push in batch]
    assert sorted(leased) == sorted(chats)  # 6 x 7 places for 30 pushes: each leased once


async def test_a_push_is_not_begun_after_half_its_lease(services: Services) -> None:
    """A slow batch's tail: sending it then could outlast the lease while another worker takes
    it, so it is left to the claim after the lease."""
    services.clock.set(datetime(2026, 11, 2, 0, 0, tzinfo=UTC))
    await subscribe(services, "ann", "08:00", "UTC")
    services.clock.set(datetime(2026, 11, 2, 8, 0, tzinfo=UTC))
    [push] = await services.reminders.tick("slow", lease=timedelta(minutes=4))
    services.clock.advance(seconds=119)
    assert services.reminders.may_send(push)
    services.clock.advance(seconds=1)
    assert not services.reminders.may_send(push)


async def test_a_crowded_minute_is_claimed_batch_after_batch_each_push_once(
    services: Services,
) -> None:
    """More pushes due in one minute than one claim leases: every one goes out in that tick,
    no batch larger than asked."""
    services.clock.set(datetime(2026, 11, 2, 0, 0, tzinfo=UTC))
    chats = [await subscribe(services, f"l{n}", "08:00", "UTC") for n in range(25)]
    services.clock.set(datetime(2026, 11, 2, 8, 0, 30, tzinfo=UTC))
    delivered: list[list[int]] = []

    async def deliver(pushes: list[Push]) -> None:
        delivered.append([push.subscription.chat_id for push in pushes])
        for push in pushes:
            assert await services.reminders.mark_sent(push)

    claimed = await services.reminders.deliver_due(deliver, "w", batch=10)
    assert [len(batch) for batch in delivered] == [10, 10, 5]
    assert sorted(chat for batch in delivered for chat in batch) == sorted(chats)
    assert claimed == 25
    assert await services.reminders.tick("w") == []  # all moved on to tomorrow


async def leased_by(services: Services, worker: str) -> int:
    """How many pushes `worker` holds leased (the store's own bookkeeping, read beside it)."""
    sql = f"SELECT count(*) FROM subscriptions WHERE lease_owner LIKE '{worker}#%'"
    ((count,),) = await asyncio.to_thread(committed_rows, services.store, sql)
    return int(count)


async def until_leased(services: Services, worker: str, count: int) -> int:
    """Wait (bounded) for `worker` to hold `count` leases; how many it holds then."""
    for _ in range(500):
        if (held := await leased_by(services, worker)) >= count:
            return held
        await asyncio.sleep(0.01)
    return await leased_by(services, worker)


async def test_the_next_batch_is_claimed_while_one_is_delivered_one_batch_ahead(
    services: Services,
) -> None:
    """The worker does not pause between batches to claim: while the first batch is sent the
    second is already leased to it, and no more than that (a third is left to other workers)."""
    services.clock.set(datetime(2026, 11, 2, 0, 0, tzinfo=UTC))
    chats = [await subscribe(services, f"l{n}", "08:00", "UTC") for n in range(25)]
    services.clock.set(datetime(2026, 11, 2, 8, 0, 30, tzinfo=UTC))
    delivered: list[int] = []
    while_first: list[int] = []

    async def deliver(pushes: list[Push]) -> None:
        if not delivered:
            while_first.append(await until_leased(services, "w", 20))
            while_first.append(len(await services.reminders.tick("other", limit=100)))
        for push in pushes:
            assert await services.reminders.mark_sent(push)
            delivered.append(push.subscription.chat_id)

    claimed = await services.reminders.deliver_due(deliver, "w", batch=10)
    assert while_first == [20, 5]  # two batches leased to w; the last 5 went to "other"
    assert claimed == 20 and len(delivered) == 20 == len(set(delivered))
    assert set(delivered) < set(chats)


async def test_a_failed_delivery_leaves_the_batch_claimed_ahead_leased(
    services: Services,
) -> None:
    """Like a worker stopped mid-batch: what it claimed ahead stays leased (sent by another
    worker once the lease ran out), and the failure reaches the tick's caller."""
    services.clock.set(datetime(2026, 11, 2, 0, 0, tzinfo=UTC))
    for n in range(15):
        await subscribe(services, f"l{n}", "08:00", "UTC")
    services.clock.set(datetime(2026, 11, 2, 8, 0, 30, tzinfo=UTC))

    async def deliver(pushes: list[Push]) -> None:
        await until_leased(services, "w", 15)
        raise RuntimeError("the platform failed")

    with pytest.raises(RuntimeError, match="the platform failed"):
        await services.reminders.deliver_due(deliver, "w", batch=10)
    assert await leased_by(services, "w") == 15
    assert await services.reminders.tick("other") == []  # within the lease: nobody else's
    services.clock.advance(seconds=DEFAULT_LEASE.total_seconds())
    assert len(await services.reminders.tick("other")) == 15


async def test_a_batch_of_only_missed_pushes_does_not_end_the_tick(services: Services) -> None:
    """The claim's first batch is all pushes missed beyond the grace (skipped, sending
    nothing): the tick claims on and still sends the ones due now."""
    services.clock.set(datetime(2026, 11, 2, 0, 0, tzinfo=UTC))
    missed = [await subscribe(services, f"m{n}", "03:00", "UTC") for n in range(3)]
    due = [await subscribe(services, f"d{n}", "08:00", "UTC") for n in range(2)]
    services.clock.set(datetime(2026, 11, 2, 8, 0, tzinfo=UTC))  # 03:00 is 5 h ago
    pushes = await services.reminders.tick("w", limit=3)
    assert sorted(push.subscription.chat_id for push in pushes) == sorted(due)
    for chat in missed:
        sub = await services.reminders.current(chat, None)
        assert sub is None or sub.last_sent_day is None
