"""The numbered migration scheme both backends follow: files `NNNN_name.sql` in a backend's
`migrations` folder, recorded in a `schema_version` table; each SQLite file has a PostgreSQL twin
with the same number and name. A database migrated by newer code is refused."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

from adapters.storage.sql.errors import DatabaseTooNew

__all__ = ["DatabaseTooNew", "Migration", "known_migrations", "refuse_newer"]

_FILE_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str  # the file name without `.sql`, e.g. "0001_initial"
    sql: str


def known_migrations(package: str) -> list[Migration]:
    """The migrations shipped in `package`'s `migrations` folder, in version order."""
    folder = resources.files(package).joinpath("migrations")
    found: list[Migration] = []
    for entry in folder.iterdir():
        match = _FILE_NAME.match(entry.name)
        if match is None:
            continue
        found.append(
            Migration(
                int(match.group(1)), entry.name.removesuffix(".sql"), entry.read_text("utf-8")
            )
        )
    found.sort(key=lambda migration: migration.version)
    versions = [migration.version for migration in found]
    if len(set(versions)) != len(versions):
        raise RuntimeError(f"two migration files share a version number: {versions}")
    return found


def refuse_newer(current: int, migrations: list[Migration]) -> None:
    """Raise DatabaseTooNew when the database is past the last migration this code knows."""
    latest_known = max((migration.version for migration in migrations), default=0)
    if current > latest_known:
        raise DatabaseTooNew(
            f"the database is at schema version {current}, but this quizbot only knows up to"
            f" {latest_known}: upgrade quizbot (or point it at another database)"
        )
