"""Group quizzes and their ratings. A partial unique index keeps one unfinished quiz
per chat, so a second one fails its commit as a conflict."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from adapters.storage.sql.codec import (
    instant_from_sql,
    instant_to_sql,
    placeholders,
    strings_from_sql,
    strings_to_sql,
)
from adapters.storage.sql.dialect import Dialect
from adapters.storage.sql.execution import Reader, Write
from core.quiz.model import GroupQuiz, QuizEnd, QuizPhase, QuizRating
from core.scheduling.model import Rating

__all__ = ["SqlQuizRepository"]

_QUIZ_COLUMNS = (
    "id, chat_id, deck_id, starter_id, card_ids, position, phase, seconds_per_card, deadline_at,"
    " version, started_at, ended_at, end_reason, message_ref"
)
_INSERT_QUIZ = f"INSERT INTO quizzes ({_QUIZ_COLUMNS}) VALUES ({placeholders(14)})"
_UPDATE_QUIZ = (
    "UPDATE quizzes SET chat_id = ?, deck_id = ?, starter_id = ?, card_ids = ?, position = ?,"
    " phase = ?, seconds_per_card = ?, deadline_at = ?, version = ?, started_at = ?,"
    " ended_at = ?, end_reason = ?, message_ref = ? WHERE id = ? AND version = ?"
)
# Always changes exactly one row, inserted or replaced, so it can be checked (and batched).
# Only while the quiz is still at the version the member rated: a rating that arrives after the
# card closed must not land unseen (its card's ratings were already applied).
_UPSERT_RATING = (
    "INSERT INTO quiz_ratings (quiz_id, position, learner_id, rating, rated_at)"
    " SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM quizzes WHERE id = ? AND version = ?)"
    " ON CONFLICT (quiz_id, position, learner_id)"
    " DO UPDATE SET rating = excluded.rating, rated_at = excluded.rated_at"
)


def _optional_instant(value: int | None) -> datetime | None:
    return None if value is None else instant_from_sql(value)


def _quiz_values(quiz: GroupQuiz) -> tuple[object, ...]:
    return (
        quiz.chat_id, quiz.deck_id, quiz.starter_id, strings_to_sql(quiz.card_ids), quiz.position,
        quiz.phase.value, quiz.seconds_per_card,
        None if quiz.deadline_at is None else instant_to_sql(quiz.deadline_at), quiz.version,
        instant_to_sql(quiz.started_at),
        None if quiz.ended_at is None else instant_to_sql(quiz.ended_at),
        None if quiz.end_reason is None else quiz.end_reason.value, quiz.message_ref,
    )  # fmt: skip


def _quiz(row: Any) -> GroupQuiz:
    return GroupQuiz(
        id=row[0], chat_id=row[1], deck_id=row[2], starter_id=row[3],
        card_ids=strings_from_sql(row[4]), position=row[5], phase=QuizPhase(row[6]),
        seconds_per_card=row[7], deadline_at=_optional_instant(row[8]), version=row[9],
        started_at=instant_from_sql(row[10]), ended_at=_optional_instant(row[11]),
        end_reason=None if row[12] is None else QuizEnd(row[12]), message_ref=row[13],
    )  # fmt: skip


def _rating(row: Any) -> QuizRating:
    return QuizRating(
        quiz_id=row[0],
        position=row[1],
        learner_id=row[2],
        rating=Rating(row[3]),
        rated_at=instant_from_sql(row[4]),
    )


class SqlQuizRepository:
    def __init__(self, reader: Reader, staged: list[Write], dialect: Dialect) -> None:
        self._reader = reader
        self._staged = staged
        self._move_deadline = (
            f"UPDATE quizzes SET deadline_at = {dialect.least}(deadline_at, ?)"
            " WHERE id = ? AND version = ?"
        )

    async def get(self, quiz_id: int) -> GroupQuiz | None:
        rows = await self._reader.execute_fetchall(
            f"SELECT {_QUIZ_COLUMNS} FROM quizzes WHERE id = ?", (quiz_id,)
        )
        return next((_quiz(row) for row in rows), None)

    async def unfinished_in(self, chat_id: int) -> GroupQuiz | None:
        rows = await self._reader.execute_fetchall(
            f"SELECT {_QUIZ_COLUMNS} FROM quizzes WHERE chat_id = ? AND phase <> 'finished'",
            (chat_id,),
        )
        return next((_quiz(row) for row in rows), None)

    async def unfinished(self) -> list[GroupQuiz]:
        rows = await self._reader.execute_fetchall(
            f"SELECT {_QUIZ_COLUMNS} FROM quizzes WHERE phase <> 'finished' ORDER BY started_at, id"
        )
        return [_quiz(row) for row in rows]

    async def ratings(self, quiz_id: int) -> list[QuizRating]:
        rows = await self._reader.execute_fetchall(
            "SELECT quiz_id, position, learner_id, rating, rated_at FROM quiz_ratings"
            " WHERE quiz_id = ? ORDER BY position, rated_at, learner_id",
            (quiz_id,),
        )
        return [_rating(row) for row in rows]

    def save(self, quiz: GroupQuiz) -> None:
        if quiz.version == 1:
            self._staged.append(Write(_INSERT_QUIZ, (quiz.id, *_quiz_values(quiz)), 1))
        else:
            params = (*_quiz_values(quiz), quiz.id, quiz.version - 1)
            self._staged.append(Write(_UPDATE_QUIZ, params, 1))

    def set_message_ref(self, quiz_id: int, message_ref: str) -> None:
        self._staged.append(
            Write("UPDATE quizzes SET message_ref = ? WHERE id = ?", (message_ref, quiz_id))
        )

    def move_deadline(self, quiz_id: int, version: int, deadline_at: datetime) -> None:
        # The least: two ratings closing the card at once keep the earlier deadline.
        self._staged.append(
            Write(self._move_deadline, (instant_to_sql(deadline_at), quiz_id, version))
        )

    def save_rating(self, rating: QuizRating, quiz_version: int) -> None:
        params = (
            rating.quiz_id,
            rating.position,
            rating.learner_id,
            int(rating.rating),
            instant_to_sql(rating.rated_at),
            rating.quiz_id,
            quiz_version,
        )
        self._staged.append(Write(_UPSERT_RATING, params, 1))
