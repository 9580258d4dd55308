"""Learners and chats. `ensure` writes at once (through the writer), then reads back."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time
from typing import Any

from adapters.storage.sql.codec import bool_from_sql, bool_to_sql
from adapters.storage.sql.execution import Reader, Submitter, Write, rows_for_ids
from adapters.storage.sql.parameters import parameters_from_sql
from core.learners import Chat, Learner, LearnerSettings
from core.scheduling.model import SchedulerKind, SchedulerSettings

__all__ = ["SqlChatRepository", "SqlLearnerRepository"]

_LEARNER_COLUMNS = (
    "id, platform, platform_user_id, display_name, scheduler, desired_retention,"
    " maximum_interval_days, fuzz, time_zone, new_cards_per_day, max_reviews_per_day,"
    " day_start_minute, reviews_public, leech_threshold,"
    " (SELECT p.parameters FROM fsrs_parameters p WHERE p.learner_id = learners.id)"
)
_SETTINGS_ASSIGNMENTS = (
    "scheduler = ?, desired_retention = ?, maximum_interval_days = ?, fuzz = ?, time_zone = ?,"
    " new_cards_per_day = ?, max_reviews_per_day = ?, day_start_minute = ?, reviews_public = ?,"
    " leech_threshold = ?"
)
_INSERT_LEARNER = (
    "INSERT INTO learners (platform, platform_user_id, display_name, scheduler, desired_retention,"
    " maximum_interval_days, fuzz, time_zone, new_cards_per_day, max_reviews_per_day,"
    " day_start_minute, reviews_public, leech_threshold)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (platform, platform_user_id) DO UPDATE SET display_name = excluded.display_name"
)
_CHAT_COLUMNS = "id, platform, platform_chat_id, title, is_group, active_deck_id, community"
_INSERT_CHAT = (
    "INSERT INTO chats (platform, platform_chat_id, title, is_group, community)"
    " VALUES (?, ?, ?, ?, ?) ON CONFLICT (platform, platform_chat_id)"
    " DO UPDATE SET title = excluded.title, community = excluded.community"
)


def settings_to_sql(settings: LearnerSettings) -> tuple[object, ...]:
    day_start = settings.day_start
    if day_start.second or day_start.microsecond or day_start.tzinfo is not None:
        raise ValueError(f"day_start must be a whole local minute, got {day_start!r}")
    scheduler = settings.scheduler
    return (
        scheduler.kind.value,
        scheduler.desired_retention,
        scheduler.maximum_interval_days,
        bool_to_sql(scheduler.fuzz),
        settings.time_zone,
        settings.new_cards_per_day,
        settings.max_reviews_per_day,
        day_start.hour * 60 + day_start.minute,
        bool_to_sql(settings.reviews_public),
        settings.leech_threshold,
    )


def _learner(row: Any) -> Learner:
    scheduler = SchedulerSettings(
        kind=SchedulerKind(row[4]),
        desired_retention=row[5],
        maximum_interval_days=row[6],
        fuzz=bool_from_sql(row[7]),
        parameters=parameters_from_sql(row[14]),
    )
    settings = LearnerSettings(
        scheduler=scheduler,
        time_zone=row[8],
        new_cards_per_day=row[9],
        max_reviews_per_day=row[10],
        day_start=time(row[11] // 60, row[11] % 60),
        reviews_public=bool_from_sql(row[12]),
        leech_threshold=int(row[13]),
    )
    return Learner(
        id=row[0], platform=row[1], platform_user_id=row[2], display_name=row[3], settings=settings
    )


def _chat(row: Any) -> Chat:
    return Chat(
        id=row[0],
        platform=row[1],
        platform_chat_id=row[2],
        title=row[3],
        is_group=bool_from_sql(row[4]),
        active_deck_id=row[5],
        community=row[6],
    )


class SqlLearnerRepository:
    def __init__(self, reader: Reader, writer: Submitter, staged: list[Write]):
        self._reader = reader
        self._writer = writer
        self._staged = staged

    async def ensure(self, platform: str, platform_user_id: str, display_name: str) -> Learner:
        found = await self._find(platform, platform_user_id)
        if found is not None and found.display_name == display_name:
            return found  # the common case costs one read and no write
        params = (platform, platform_user_id, display_name, *settings_to_sql(LearnerSettings()))
        await self._writer.submit([Write(_INSERT_LEARNER, params)])
        learner = await self._find(platform, platform_user_id)
        if learner is None:
            raise RuntimeError(f"learner {platform}:{platform_user_id} vanished after its insert")
        return learner

    async def get(self, learner_id: int) -> Learner | None:
        rows = await self._reader.execute_fetchall(
            f"SELECT {_LEARNER_COLUMNS} FROM learners WHERE id = ?", (learner_id,)
        )
        return next((_learner(row) for row in rows), None)

    async def get_many(self, learner_ids: Sequence[int]) -> dict[int, Learner]:
        sql = f"SELECT {_LEARNER_COLUMNS} FROM learners WHERE id IN ({{ids}})"
        rows = await rows_for_ids(self._reader, sql, learner_ids)
        return {learner.id: learner for learner in map(_learner, rows)}

    def save_settings(self, learner_id: int, settings: LearnerSettings) -> None:
        self._staged.append(
            Write(
                f"UPDATE learners SET {_SETTINGS_ASSIGNMENTS} WHERE id = ?",
                (*settings_to_sql(settings), learner_id),
            )
        )

    async def _find(self, platform: str, platform_user_id: str) -> Learner | None:
        rows = await self._reader.execute_fetchall(
            f"SELECT {_LEARNER_COLUMNS} FROM learners WHERE platform = ? AND platform_user_id = ?",
            (platform, platform_user_id),
        )
        return next((_learner(row) for row in rows), None)


class SqlChatRepository:
    def __init__(self, reader: Reader, writer: Submitter, staged: list[Write]):
        self._reader = reader
        self._writer = writer
        self._staged = staged

    async def ensure(
        self,
        platform: str,
        platform_chat_id: str,
        title: str,
        is_group: bool,
        community: str | None = None,
    ) -> Chat:
        found = await self._find(platform, platform_chat_id)
        if found is not None and (found.title, found.community) == (title, community):
            return found
        params = (platform, platform_chat_id, title, bool_to_sql(is_group), community)
        await self._writer.submit([Write(_INSERT_CHAT, params)])
        chat = await self._find(platform, platform_chat_id)
        if chat is None:
            raise RuntimeError(f"chat {platform}:{platform_chat_id} vanished after its insert")
        return chat

    async def get(self, chat_id: int) -> Chat | None:
        rows = await self._reader.execute_fetchall(
            f"SELECT {_CHAT_COLUMNS} FROM chats WHERE id = ?", (chat_id,)
        )
        return next((_chat(row) for row in rows), None)

    async def get_many(self, chat_ids: Sequence[int]) -> dict[int, Chat]:
        sql = f"SELECT {_CHAT_COLUMNS} FROM chats WHERE id IN ({{ids}})"
        rows = await rows_for_ids(self._reader, sql, chat_ids)
        return {chat.id: chat for chat in map(_chat, rows)}

    async def in_community(self, platform: str, community: str) -> list[int]:
        rows = await self._reader.execute_fetchall(
            "SELECT id FROM chats WHERE platform = ? AND community = ? ORDER BY id",
            (platform, community),
        )
        return [int(row[0]) for row in rows]

    def set_active_deck(self, chat_id: int, deck_id: str | None) -> None:
        self._staged.append(
            Write("UPDATE chats SET active_deck_id = ? WHERE id = ?", (deck_id, chat_id))
        )

    async def _find(self, platform: str, platform_chat_id: str) -> Chat | None:
        rows = await self._reader.execute_fetchall(
            f"SELECT {_CHAT_COLUMNS} FROM chats WHERE platform = ? AND platform_chat_id = ?",
            (platform, platform_chat_id),
        )
        return next((_chat(row) for row in rows), None)
