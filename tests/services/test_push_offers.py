"""A claim batch's offers, read for the whole batch (`core.reminders.offers`), are what reading
each push alone gives: the same decks and the same count within the same limits, on varied
pushes (a deck-bound one, an active deck, every visible deck, a group's, limits reached, new
cards only, a learner whose day is not the UTC day, suspended cards, an exam plan's limits)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from core.card_state import ReviewRecord, ReviewSource
from core.learners import Chat, LearnerSettings
from core.permissions import OPERATOR
from core.planning.limits import plan_limits
from core.planning.model import ExamPlan
from core.ports import UnitOfWork
from core.reminders.service import Push
from core.review.limits import daily_allowance, todays_counts
from core.scheduling.model import Rating, SchedulerKind
from tests.adapters import samples
from tests.conftest import Services

NOW = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
TODAY = date(2026, 11, 2)
BUNDLED = "neural-nets"
DEFAULTS = LearnerSettings()


async def offered_one_by_one(uow: UnitOfWork, push: Push) -> tuple[tuple[str, ...], int]:
    """What the tick offered before the batch reads: each push's own reads, in turn."""
    sub, chat = push.subscription, push.chat
    if sub.deck_id:
        deck_ids: tuple[str, ...] = (sub.deck_id,)
    elif chat.active_deck_id:
        deck_ids = (chat.active_deck_id,)
    else:
        deck_ids = tuple(deck.id for deck in await uow.decks.visible_in(sub.chat_id))
    learner = await uow.learners.get(sub.learner_id) if sub.learner_id else None
    if learner is None or not deck_ids:
        return deck_ids, 0
    limits = await plan_limits(uow, learner, NOW)  # as the review applies them
    counts = await todays_counts(uow, learner, NOW, limits)
    allowance = daily_allowance(learner.settings, counts, deck_ids, limits)
    due = await uow.card_states.due(learner.id, deck_ids, NOW, allowance.reviews_left)
    new = (
        await uow.card_states.unseen_card_ids(learner.id, allowance.new_decks, allowance.new_left)
        if allowance.new_left and allowance.new_decks
        else []
    )
    return deck_ids, min(len(due) + len(new), allowance.reviews_left)


def reviewed(learner_id: int, card_id: str, step: int, **fields: object) -> ReviewRecord:
    """A review of a bundled card today (step and source id `step`), `fields` replaced."""
    record = ReviewRecord(
        learner_id=learner_id, card_id=card_id, deck_id=BUNDLED, rating=Rating.GOOD,
        reviewed_at=NOW - timedelta(hours=1), review_day=TODAY, scheduler=SchedulerKind.FSRS,
        interval_days=1, source=ReviewSource.REVIEW, source_id=step, step=step, chat_id=None,
        first_review=False,
    )  # fmt: skip
    return replace(record, **fields)


class Learners:
    """Learners each with a private chat and a push due at NOW, set up as a test asks."""

    def __init__(self, services: Services, cards: list[str]) -> None:
        self.services = services
        self.cards = cards  # the bundled deck's card ids, in deck order

    async def add(
        self, name: str, settings: LearnerSettings = DEFAULTS, deck_id: str | None = None
    ) -> tuple[int, Chat]:
        learner = await self.services.learner(name)
        chat = await self.services.chat(name, group=False)
        async with self.services.store.unit_of_work() as uow:
            uow.learners.save_settings(learner.id, settings)
            await uow.commit()
        await self.services.reminders.subscribe(
            chat.id, learner.id, time(11, 30), "UTC", deck_id, role=OPERATOR
        )
        return learner.id, chat

    async def due(self, learner_id: int, count: int, *, later: int = 0) -> None:
        """`count` of the bundled deck's cards due (and `later` more due tomorrow)."""
        async with self.services.store.unit_of_work() as uow:
            for n, card_id in enumerate(self.cards[: count + later]):
                at = NOW - timedelta(hours=n + 1) if n < count else NOW + timedelta(days=1)
                uow.card_states.save(
                    samples.card_state(learner_id, card_id, due_at=at, deck_id=BUNDLED)
                )
            await uow.commit()

    async def log(self, *records: ReviewRecord) -> None:
        async with self.services.store.unit_of_work() as uow:
            for record in records:
                uow.reviews.append(record)
            await uow.commit()


async def test_batch_offers_equal_each_push_read_alone(services: Services) -> None:
    services.clock.set(NOW - timedelta(hours=1))
    async with services.store.unit_of_work() as uow:
        cards = [card.id for card in await uow.decks.cards(BUNDLED)]
    people = Learners(services, cards)
    few_new = LearnerSettings(new_cards_per_day=3)

    bound, _ = await people.add("bound", few_new, deck_id=BUNDLED)
    await people.due(bound, 5, later=3)
    await people.log(reviewed(bound, cards[0], 0, first_review=True))

    _, active_chat = await people.add("active", few_new)
    async with services.store.unit_of_work() as uow:
        uow.decks.save(samples.deck("own", "x", "y", "z", name="Own"), active_chat.id)
        uow.chats.set_active_deck(active_chat.id, "own")
        await uow.commit()

    everything, all_chat = await people.add("all", LearnerSettings(new_cards_per_day=50))
    async with services.store.unit_of_work() as uow:
        uow.decks.save(samples.deck("mine", "m", "n", name="Mine"), all_chat.id)
        await uow.commit()
    await people.due(everything, 4)

    maxed, _ = await people.add("maxed", LearnerSettings(max_reviews_per_day=3))
    await people.due(maxed, 6)
    await people.log(*(reviewed(maxed, cards[n], n) for n in range(3)))

    no_new, _ = await people.add("no-new", LearnerSettings(new_cards_per_day=2))
    await people.due(no_new, 4)
    await people.log(*(reviewed(no_new, cards[n], n, first_review=True) for n in range(2)))

    # 04:00 in Los Angeles, before a 05:00 day start: the learner's day is still 1 November.
    west_settings = LearnerSettings(
        time_zone="America/Los_Angeles", day_start=time(5, 0), max_reviews_per_day=10
    )
    west, _ = await people.add("west", west_settings)
    await people.due(west, 8)
    yesterday = TODAY - timedelta(days=1)
    await people.log(
        *(reviewed(west, cards[n], n, review_day=yesterday) for n in range(4)),
        *(reviewed(west, cards[n], 10 + n) for n in range(5)),  # another day
    )

    paused, _ = await people.add("paused", LearnerSettings(new_cards_per_day=0))
    await people.due(paused, 3)
    async with services.store.unit_of_work() as uow:
        uow.card_flags.suspend(paused, cards[1], NOW - timedelta(days=1))
        await uow.commit()

    # An exam plan of 6 new cards a day on the deck, over the learner's own 1: 2 taken today.
    planned, _ = await people.add("planned", LearnerSettings(new_cards_per_day=1), BUNDLED)
    await people.due(planned, 2)
    await people.log(*(reviewed(planned, cards[n], n, first_review=True) for n in range(2)))
    async with services.store.unit_of_work() as uow:
        uow.exam_plans.save(ExamPlan(planned, BUNDLED, TODAY + timedelta(days=30), 6, 0.9, 90))
        await uow.commit()

    group = await services.chat("group", group=True)
    await services.reminders.subscribe(group.id, None, time(11, 30), "UTC", role=OPERATOR)

    services.clock.set(NOW)
    pushes = await services.reminders.tick(limit=500)

    names = {push.chat.platform_chat_id: push for push in pushes}
    assert len(pushes) == 9 == len(names)
    async with services.store.unit_of_work() as uow:
        for push in pushes:
            assert (push.deck_ids, push.due_count) == await offered_one_by_one(uow, push), push
    assert {name: push.due_count for name, push in names.items()} == {
        "bound": 5 + 2,  # due, and the 2 new cards left of 3 a day
        "active": 3,  # new cards only, of the active deck
        "all": 4 + min(50, len(cards) - 4 + 2),  # due, and the other cards of both decks new
        "maxed": 0,  # reviews a day reached
        "no-new": 4,  # new cards a day reached: the due ones only
        "west": 10 - 4,  # yesterday's UTC-day reviews are its today's
        "paused": 2,  # one of three suspended
        "planned": 2 + 4,  # due, and the plan's 6 new cards a day less the 2 taken
        "group": 0,  # a group's push is a quiz: no count
    }
    assert names["all"].deck_ids == ("mine", BUNDLED)  # by name, as the chat sees them
    assert names["active"].deck_ids == ("own",) and names["group"].deck_ids == (BUNDLED,)


async def test_claims_marked_together_move_on_except_the_one_that_changed(
    services: Services,
) -> None:
    services.clock.set(NOW - timedelta(hours=1))
    chats = [await services.chat(f"g{n}", group=True) for n in range(4)]
    for chat in chats:
        await services.reminders.subscribe(chat.id, None, time(11, 30), "UTC", role=OPERATOR)
    services.clock.set(NOW)
    pushes = await services.reminders.tick(limit=10)
    # Meanwhile one chat chose another time and one unsubscribed: their claims are stale.
    await services.reminders.subscribe(chats[1].id, None, time(18, 0), "UTC", role=OPERATOR)
    await services.reminders.unsubscribe(chats[2].id, None, role=OPERATOR)
    by_chat = {push.chat.id: push for push in pushes}
    moved = await services.reminders.mark_sent_many([by_chat[chat.id] for chat in chats])
    assert moved == [True, False, False, True]
    async with services.store.unit_of_work() as uow:
        subs = [await uow.subscriptions.for_chat(chat.id, None) for chat in chats]
    assert subs[2] is None
    assert [sub.last_sent_day if sub else None for sub in subs] == [TODAY, None, None, TODAY]
    assert subs[1] is not None and subs[1].local_time == time(18, 0)  # not overwritten
    assert await services.reminders.mark_sent_many([]) == []
    assert await services.reminders.tick(limit=10) == []  # nothing left due or leased
