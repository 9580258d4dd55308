"""Group quizzes as a service: every event is one unit of work on the stored quiz."""

from __future__ import annotations

from datetime import timedelta

from core import texts
from core.actions import Action, Subject, parse_token
from core.capabilities import BASIC_PLATFORM, PlatformCapabilities
from core.card_state import ReviewSource
from core.decks.model import Card
from core.errors import ConcurrencyConflict, InvalidInput, NotAllowed, NotFound, StaleAction
from core.learners import Chat, Learner
from core.leeches.model import leeches_of
from core.permissions import ChatAction, ChatRole, may, require
from core.ports import Clock, Randomness, Store, UnitOfWork
from core.quiz import machine
from core.quiz.effects import (
    ArmDeadline,
    CancelDeadline,
    CloseCard,
    EditCard,
    Notice,
    PostCard,
    PostSummary,
    QuizEffect,
    QuizUpdate,
    RefreshRatedCount,
)
from core.quiz.model import GroupQuiz, QuizEnd, QuizPhase, QuizRating
from core.quiz.rules import DAILY_CARDS, DAILY_SECONDS, QUIZ_CARDS, QUIZ_SECONDS
from core.quiz.screens import quiz_answer_screen, quiz_question_screen, quiz_summary_screen
from core.quiz.summary import summarize
from core.review.grading import grade
from core.scheduling.model import Rating
from core.screens import Screen

__all__ = ["QuizService"]

DAILY_MEMBER_WINDOW = timedelta(days=30)  # members: who reviewed in the chat this long ago
DAILY_HOST_ID = "daily-quiz"  # the pseudo-learner that "starts" the daily group quiz


class QuizService:
    """Each event answers with a `QuizUpdate`: the quiz, its chat, and the effects to apply
    there in order (`core/quiz/effects.py`); the ratings and the quiz are saved already."""

    def __init__(self, store: Store, clock: Clock, randomness: Randomness) -> None:
        self._store = store
        self._clock = clock
        self._random = randomness

    async def start(
        self,
        chat: Chat,
        starter: Learner,
        deck_id: str,
        cards: int = QUIZ_CARDS.default,
        seconds: int = QUIZ_SECONDS.default,
        *,
        capabilities: PlatformCapabilities = BASIC_PLATFORM,
    ) -> QuizUpdate:
        """A quiz in a group chat; refusals name the platform's commands (`capabilities`)."""
        commands = capabilities.commands
        require(ChatRole(in_group=chat.is_group), ChatAction.START_QUIZ, commands)
        if cards not in QUIZ_CARDS:
            raise InvalidInput(
                texts.QUIZ_CARD_COUNT.format(min=QUIZ_CARDS.low, max=QUIZ_CARDS.high)
            )
        if seconds not in QUIZ_SECONDS:
            raise InvalidInput(
                texts.QUIZ_SECONDS.format(min=QUIZ_SECONDS.low, max=QUIZ_SECONDS.high)
            )
        try:
            async with self._store.unit_of_work() as uow:
                if await uow.quizzes.unfinished_in(chat.id) is not None:
                    raise NotAllowed(commands.fill(texts.QUIZ_ALREADY_RUNNING))
                deck = await uow.decks.get(deck_id)
                if deck is None:
                    raise NotFound(texts.UNKNOWN_DECK.format(name=deck_id))
                card_ids = [card.id for card in await uow.decks.cards(deck_id)]
                if not card_ids:
                    raise NotFound(texts.QUIZ_EMPTY_DECK.format(name=deck.name))
                self._random.shuffle(card_ids)
                update = await self._begin(uow, chat, starter, deck_id, card_ids[:cards], seconds)
                await uow.commit()
        except ConcurrencyConflict:
            raise NotAllowed(commands.fill(texts.QUIZ_ALREADY_RUNNING)) from None
        return update

    async def start_daily(
        self, chat: Chat, deck_id: str, cards: int = DAILY_CARDS, seconds: int = DAILY_SECONDS
    ) -> QuizUpdate | None:
        """The group's daily push: a short quiz of the cards its members (who reviewed here in the
        last 30 days) have due, most shared first, topped up with the deck's other cards. None
        when a quiz is already running or the deck is empty. Its host is the timer: admins can
        move it on or stop it."""
        now = self._clock.now()
        try:
            async with self._store.unit_of_work() as uow:
                if await uow.quizzes.unfinished_in(chat.id) is not None:
                    return None
                deck_cards = [card.id for card in await uow.decks.cards(deck_id)]
                if not deck_cards:
                    return None
                members = await uow.stats.review_counts_in(
                    [chat.id], now - DAILY_MEMBER_WINDOW, now
                )
                due_for: dict[str, int] = {}
                for member in members:
                    for state in await uow.card_states.due(
                        member.learner_id, [deck_id], now, cards
                    ):
                        due_for[state.card_id] = due_for.get(state.card_id, 0) + 1
                self._random.shuffle(deck_cards)
                # Cards due for the most members first; the shuffle breaks ties.
                chosen = sorted(due_for, key=lambda card_id: -due_for[card_id])[:cards]
                chosen += [c for c in deck_cards if c not in due_for][: cards - len(chosen)]
                host = await uow.learners.ensure(chat.platform, DAILY_HOST_ID, texts.DAILY_HOST)
                update = await self._begin(uow, chat, host, deck_id, chosen, seconds)
                await uow.commit()
        except ConcurrencyConflict:
            return None  # a member started a quiz at the same moment
        return update

    async def _begin(
        self,
        uow: UnitOfWork,
        chat: Chat,
        starter: Learner,
        deck_id: str,
        card_ids: list[str],
        seconds: int,
    ) -> QuizUpdate:
        quiz = machine.begin(
            self._random.new_id(),
            chat.id,
            deck_id,
            starter.id,
            card_ids,
            seconds,
            self._clock.now(),
        )
        uow.quizzes.save(quiz)
        return QuizUpdate(quiz, chat, (PostCard(await self._question(uow, quiz)), _timer(quiz)))

    async def press(self, learner: Learner, token_data: str, *, role: ChatRole) -> QuizUpdate:
        """A quiz button: show answer / next (starter or admin), rate 1–5 (anyone)."""
        token = parse_token(token_data)
        if token.subject is not Subject.QUIZ:
            raise StaleAction(texts.OLD_BUTTON)
        try:
            async with self._store.unit_of_work() as uow:
                quiz = await uow.quizzes.get(token.subject_id)
                if quiz is None or quiz.version != token.version:
                    raise StaleAction(
                        texts.QUIZ_RATING_CLOSED if token.action.rating else texts.OLD_BUTTON
                    )
                chat = await self._chat(uow, quiz)
                if (rating := token.action.rating) is not None:
                    update = await self._rate(uow, quiz, chat, learner, Rating(rating))
                elif token.action in (Action.SHOW, Action.NEXT, Action.STOP):
                    await self._require_starter(uow, quiz, learner, role, token.action)
                    update = await self._transition(uow, quiz, chat, token.action)
                else:
                    raise StaleAction(texts.OLD_BUTTON)
                await uow.commit()
        except ConcurrencyConflict:
            # The card closed (timer or starter) while this press was on its way.
            closed = texts.QUIZ_RATING_CLOSED if token.action.rating else texts.OLD_BUTTON
            raise StaleAction(closed) from None
        return update

    async def stop(self, chat: Chat, learner: Learner, *, role: ChatRole) -> QuizUpdate:
        async with self._store.unit_of_work() as uow:
            quiz = await uow.quizzes.unfinished_in(chat.id)
            if quiz is None:
                raise NotFound(texts.QUIZ_NONE_RUNNING)
            await self._require_starter(uow, quiz, learner, role, Action.STOP)
            update = await self._transition(uow, quiz, chat, Action.STOP)
            await uow.commit()
        return update

    async def on_deadline(self, quiz_id: int, version: int) -> QuizUpdate | None:
        """The timer armed for (quiz_id, version) fired; None when the quiz has moved on."""
        try:
            async with self._store.unit_of_work() as uow:
                quiz = await uow.quizzes.get(quiz_id)
                if quiz is None or quiz.version != version or quiz.phase is QuizPhase.FINISHED:
                    return None
                action = Action.SHOW if quiz.phase is QuizPhase.QUESTION else Action.NEXT
                chat = await self._chat(uow, quiz)
                update = await self._transition(uow, quiz, chat, action)
                await uow.commit()
        except ConcurrencyConflict:
            return None  # a press moved the quiz on at the same moment
        return update

    async def recover(
        self, platform: str | None = None, grace: timedelta = timedelta(minutes=2)
    ) -> list[QuizUpdate]:
        """At start-up: quizzes whose deadline is ahead (or only just passed) resume; the others
        end with a message, their ratings so far applied. `platform` limits it to that
        platform's chats, so each adapter recovers (and reports) its own quizzes."""
        now = self._clock.now()
        async with self._store.unit_of_work() as uow:
            unfinished = [
                (quiz, chat)
                for quiz in await uow.quizzes.unfinished()
                if (chat := await uow.chats.get(quiz.chat_id)) is not None
                and platform in (None, chat.platform)
            ]
        updates = []
        for quiz, chat in unfinished:
            if quiz.deadline_at is not None and quiz.deadline_at + grace >= now:
                updates.append(QuizUpdate(quiz, chat, (_timer(quiz),)))
                continue
            async with self._store.unit_of_work() as uow:
                update = await self._end(uow, quiz, chat, QuizEnd.RESTARTED)
                await uow.commit()
            updates.append(update)
        return updates

    async def overdue(
        self, platform: str, slack: timedelta = timedelta(seconds=30)
    ) -> list[tuple[int, int]]:
        """(quiz id, version) of the platform's running quizzes whose deadline passed more than
        `slack` ago: their timer was armed in a worker that died, or not at all. Any worker's
        sweep hands them to `on_deadline`, whose compare-and-set on the version lets exactly one
        worker act on each."""
        now = self._clock.now()
        async with self._store.unit_of_work() as uow:
            return [
                (quiz.id, quiz.version)
                for quiz in await uow.quizzes.unfinished()
                if quiz.deadline_at is not None
                and quiz.deadline_at + slack < now
                and (chat := await uow.chats.get(quiz.chat_id)) is not None
                and chat.platform == platform
            ]

    async def abandon(self, quiz_id: int) -> None:
        """End a quiz that could not be shown (the bot was removed from the chat): no summary."""
        async with self._store.unit_of_work() as uow:
            quiz = await uow.quizzes.get(quiz_id)
            if quiz is None or quiz.phase is QuizPhase.FINISHED:
                return
            uow.quizzes.save(machine.finish(quiz, QuizEnd.STOPPED, self._clock.now()))
            await uow.commit()

    async def set_message_ref(self, quiz_id: int, message_ref: str) -> None:
        """Remember the platform's handle of the quiz's current message, once it is sent (after
        the event's unit of work: the handle exists only then)."""
        async with self._store.unit_of_work() as uow:
            uow.quizzes.set_message_ref(quiz_id, message_ref)
            await uow.commit()

    async def _transition(
        self, uow: UnitOfWork, quiz: GroupQuiz, chat: Chat, action: Action
    ) -> QuizUpdate:
        now = self._clock.now()
        if action is Action.STOP:
            return await self._end(uow, quiz, chat, QuizEnd.STOPPED)
        if action is Action.SHOW:
            if quiz.phase is not QuizPhase.QUESTION:
                raise StaleAction(texts.ALREADY_SHOWN)
            shown = machine.reveal(quiz, now)
            uow.quizzes.save(shown)
            card = await self._card(uow, shown)
            answer = EditCard(quiz_answer_screen(shown, card, 0), await self._question(uow, quiz))
            return QuizUpdate(shown, chat, (answer, _timer(shown)))
        if quiz.phase is not QuizPhase.ANSWER:
            raise StaleAction(texts.OLD_BUTTON)
        lapses = await self._apply_ratings(uow, quiz)
        moved = machine.advance(quiz, now)
        uow.quizzes.save(moved)
        post: QuizEffect = (
            PostSummary(await self._summary(uow, moved, (quiz.card_ids[quiz.position], lapses)))
            if moved.phase is QuizPhase.FINISHED
            else PostCard(await self._question(uow, moved))
        )
        return QuizUpdate(moved, chat, (CloseCard(), post, _timer(moved)))

    async def _end(
        self, uow: UnitOfWork, quiz: GroupQuiz, chat: Chat, reason: QuizEnd
    ) -> QuizUpdate:
        lapses = await self._apply_ratings(uow, quiz) if quiz.phase is QuizPhase.ANSWER else {}
        ended = machine.finish(quiz, reason, self._clock.now())
        uow.quizzes.save(ended)
        closing = (quiz.card_ids[quiz.position], lapses)
        summary = PostSummary(await self._summary(uow, ended, closing))
        return QuizUpdate(ended, chat, (CloseCard(), summary, _timer(ended)))

    async def _rate(
        self, uow: UnitOfWork, quiz: GroupQuiz, chat: Chat, learner: Learner, rating: Rating
    ) -> QuizUpdate:
        if quiz.phase is not QuizPhase.ANSWER:
            raise StaleAction(texts.QUIZ_RATING_CLOSED)
        now = self._clock.now()
        given = QuizRating(quiz.id, quiz.position, learner.id, rating, now)
        uow.quizzes.save_rating(given, quiz.version)
        # The staged rating is not visible yet: it joins the stored ones, replacing the
        # member's earlier rating of this card.
        ratings = [
            r
            for r in await uow.quizzes.ratings(quiz.id)
            if (r.position, r.learner_id) != (quiz.position, learner.id)
        ]
        ratings.append(given)
        hurried = machine.hurry(quiz, ratings, now)
        moved = hurried.deadline_at != quiz.deadline_at
        if moved and hurried.deadline_at is not None:
            uow.quizzes.move_deadline(quiz.id, quiz.version, hurried.deadline_at)
        count = sum(r.position == quiz.position for r in ratings)
        card = await self._card(uow, hurried)
        effects: tuple[QuizEffect, ...] = (
            Notice(texts.QUIZ_RATED.format(rating=int(rating))),
            RefreshRatedCount(quiz_answer_screen(hurried, card, count)),
        )
        # The timer stays as it is, unless everyone has rated and brought it forward.
        return QuizUpdate(hurried, chat, effects + ((_timer(hurried),) if moved else ()))

    async def _apply_ratings(self, uow: UnitOfWork, quiz: GroupQuiz) -> dict[int, int]:
        """Each member's rating of the closing card updates their own schedule, once; each
        rater's lapses on it now (the staged states are not read back by the summary)."""
        ratings = [r for r in await uow.quizzes.ratings(quiz.id) if r.position == quiz.position]
        lapses: dict[int, int] = {}
        if not ratings:
            return lapses
        members = await uow.learners.get_many([r.learner_id for r in ratings])
        card_id = quiz.card_ids[quiz.position]
        for rating in ratings:
            member = members.get(rating.learner_id)
            if member is None:
                continue
            previous = await uow.card_states.get(member.id, card_id)
            graded = grade(
                member,
                card_id,
                quiz.deck_id,
                previous,
                rating.rating,
                rating.rated_at,
                self._random.random(),
                source=ReviewSource.QUIZ,
                source_id=quiz.id,
                step=quiz.position,
                chat_id=quiz.chat_id,
            )
            uow.card_states.save(graded.state)
            uow.reviews.append(graded.record)
            lapses[member.id] = graded.state.memory.lapses
        return lapses

    async def _require_starter(
        self, uow: UnitOfWork, quiz: GroupQuiz, learner: Learner, role: ChatRole, action: Action
    ) -> None:
        if learner.id != quiz.starter_id and not may(role, ChatAction.MODERATE_QUIZ):
            starter = await uow.learners.get(quiz.starter_id)
            name = starter.display_name if starter else "the starter"
            refusal = {
                Action.SHOW: texts.QUIZ_ONLY_STARTER_SHOW,
                Action.NEXT: texts.QUIZ_ONLY_STARTER_NEXT,
            }.get(action, texts.QUIZ_ONLY_STARTER_STOP)
            raise NotAllowed(refusal.format(starter=name))

    async def _question(self, uow: UnitOfWork, quiz: GroupQuiz) -> Screen:
        starter = await uow.learners.get(quiz.starter_id)
        card = await self._card(uow, quiz)
        return quiz_question_screen(quiz, card, starter.display_name if starter else "the starter")

    async def _summary(
        self, uow: UnitOfWork, quiz: GroupQuiz, closing: tuple[str, dict[int, int]] | None = None
    ) -> Screen:
        """The summary; `closing`: the card closed in this unit and each rater's lapses on it
        now (staged, so the lapses query cannot see them)."""
        ratings = [r for r in await uow.quizzes.ratings(quiz.id) if r.position <= quiz.position]
        members = await uow.learners.get_many(sorted({r.learner_id for r in ratings}))
        cards = await uow.decks.cards_by_id(sorted({quiz.card_ids[r.position] for r in ratings}))
        # Each member's cards are leeches by their own threshold.
        thresholds = {i: m.settings.leech_threshold for i, m in members.items()}
        lowest = min(thresholds.values(), default=0)
        lapses = await uow.card_flags.lapses(sorted(members), sorted(cards), lowest)
        if closing is not None and closing[0] in cards:
            card_id, now_lapsed = closing
            lapses.update({(member, card_id): n for member, n in now_lapsed.items()})
        leeches = leeches_of(lapses, thresholds)
        summary = summarize(
            quiz,
            ratings,
            {i: m.display_name for i, m in members.items()},
            {i: c.question for i, c in cards.items()},
            leeches=sorted(leeches, key=lambda card_id: (-leeches[card_id], card_id)),
            leech_thresholds=sorted(set(thresholds.values())),
        )
        return quiz_summary_screen(quiz, summary)

    @staticmethod
    async def _chat(uow: UnitOfWork, quiz: GroupQuiz) -> Chat:
        chat = await uow.chats.get(quiz.chat_id)
        if chat is None:  # the store's foreign key forbids it
            raise NotFound(texts.OLD_BUTTON)
        return chat

    @staticmethod
    async def _card(uow: UnitOfWork, quiz: GroupQuiz) -> Card:
        card_id = quiz.current_card_id
        cards = await uow.decks.cards_by_id([card_id] if card_id else [])
        if card_id is None or card_id not in cards:
            raise NotFound(texts.OLD_BUTTON)
        return cards[card_id]


def _timer(quiz: GroupQuiz) -> ArmDeadline | CancelDeadline:
    """The quiz's timer as it now stands: armed for its version, or cancelled once finished."""
    if quiz.phase is QuizPhase.FINISHED or quiz.deadline_at is None:
        return CancelDeadline(quiz.id)
    return ArmDeadline(quiz.id, quiz.version, quiz.deadline_at)
