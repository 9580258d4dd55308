"""PostgreSQL database URLs and the asyncpg pool behind a store."""

from __future__ import annotations

import asyncio

import asyncpg

from adapters.storage.sql.errors import DatabaseUnreachable

__all__ = ["asyncpg_dsn", "connect", "create_pool", "is_postgres_url"]

_SCHEMES = ("postgresql+asyncpg://", "postgresql://", "postgres://")


def is_postgres_url(database_url: str) -> bool:
    return database_url.startswith(_SCHEMES)


def asyncpg_dsn(database_url: str) -> str:
    """The URL as asyncpg takes it: SQLAlchemy's `postgresql+asyncpg://` names the driver too."""
    if database_url.startswith("postgresql+asyncpg://"):
        return "postgresql://" + database_url.removeprefix("postgresql+asyncpg://")
    if not is_postgres_url(database_url):
        raise ValueError("expected a postgresql://user@host:port/database URL")
    return database_url


async def connect(database_url: str) -> asyncpg.Connection:
    try:
        return await asyncpg.connect(asyncpg_dsn(database_url))
    except _UNREACHABLE as error:
        raise _unreachable(error) from error


async def create_pool(database_url: str, *, max_size: int = 10) -> asyncpg.Pool:
    try:
        pool = await asyncpg.create_pool(asyncpg_dsn(database_url), min_size=1, max_size=max_size)
    except _UNREACHABLE as error:
        raise _unreachable(error) from error
    assert pool is not None  # None only when created without awaiting
    return pool


# A server that is down, a wrong port, an unknown database or user: the operator's to fix.
_UNREACHABLE = (
    OSError,
    asyncio.TimeoutError,
    asyncpg.InvalidCatalogNameError,
    asyncpg.InvalidAuthorizationSpecificationError,
    asyncpg.InvalidPasswordError,
)


def _unreachable(error: BaseException) -> DatabaseUnreachable:
    # asyncpg's messages name the host, port, database or user, never the password.
    return DatabaseUnreachable(f"cannot open the PostgreSQL database of DATABASE_URL: {error}")
