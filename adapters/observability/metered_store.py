"""A `Store` that counts the ratings each committed unit of work recorded.

Every rating, from a review or a group quiz, on any platform, is one review-log record appended
in a unit of work: counting commits here covers them all in one place, and a unit refused as a
conflict (a double press) counts nothing.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Self

from adapters.observability.metrics import Metrics
from core.card_state import ReviewRecord
from core.ports import ReviewLogRepository, Store, UnitOfWork

__all__ = ["MeteredStore"]


class MeteredStore:
    """`store`, its units of work counting their review-log appends once committed; every other
    attribute (`ping`, `close`, a backend's own) is the wrapped store's."""

    def __init__(self, store: Store, metrics: Metrics) -> None:
        self._store = store
        self._metrics = metrics

    @property
    def wrapped(self) -> Store:
        return self._store

    def unit_of_work(self) -> UnitOfWork:
        return _MeteredUnitOfWork(self._store.unit_of_work(), self._metrics)  # type: ignore[return-value]

    async def close(self) -> None:
        await self._store.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


class _CountingReviews:
    def __init__(self, reviews: ReviewLogRepository) -> None:
        self._reviews = reviews
        self.staged = 0

    def append(self, record: ReviewRecord) -> None:
        self._reviews.append(record)
        self.staged += 1

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reviews, name)


class _MeteredUnitOfWork:
    def __init__(self, uow: UnitOfWork, metrics: Metrics) -> None:
        self._uow = uow
        self._metrics = metrics
        self.reviews = _CountingReviews(uow.reviews)

    async def commit(self) -> None:
        await self._uow.commit()
        if self.reviews.staged:
            self._metrics.ratings.inc(self.reviews.staged)
            self.reviews.staged = 0

    async def __aenter__(self) -> Self:
        await self._uow.__aenter__()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._uow.__aexit__(exc_type, exc, tb)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._uow, name)
