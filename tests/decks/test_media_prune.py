"""Media no deck names any more leave the store (issue 13): a replaced deck's files and those an
import left when its transaction failed, once an hour old; never a file a deck names, nor one an
import is about to name. On a real folder and a real SQLite file."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from adapters.media.folder import MediaFolder
from adapters.storage.sqlite.store import SqliteStore
from bot.wiring import deck_importer
from core.decks.media import PrunedMedia
from core.library import DeckLibrary
from core.permissions import OPERATOR
from tests.decks.samples import fixture
from tests.fakes import FakeClock

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def files_in(folder: MediaFolder) -> dict[str, int]:
    """Every file in the folder (temporary ones too): name → size."""
    return {p.name: p.stat().st_size for p in folder.root.rglob("*") if p.is_file()}


def written_at(folder: MediaFolder, content_id: str, when: datetime) -> None:
    os.utime(folder.location(content_id), (when.timestamp(), when.timestamp()))


async def test_a_replaced_decks_files_go_once_an_hour_old_and_named_ones_stay(
    store: SqliteStore, tmp_path: Path
) -> None:
    clock = FakeClock(NOW)
    folder = MediaFolder(tmp_path / "media")
    library = DeckLibrary(store, deck_importer(), clock=clock, media=folder)
    await library.import_deck(fixture("anki-media.apkg"), "Anatomy", None, "a.apkg", role=OPERATOR)
    await library.import_deck(fixture("genanki-media.apkg"), "Other", None, "o.apkg", role=OPERATOR)
    anatomy = {ref.content_id for ref in (await library.deck_media("anatomy")).values()}
    other = {ref.content_id for ref in (await library.deck_media("other")).values()}
    assert anatomy & other  # the heart: both decks name it
    # Anatomy replaced by a text deck of the same name: no deck names its files but the heart.
    await library.import_deck(b"question,answer\nA?,a\n", "Anatomy", None, "a.csv", role=OPERATOR)
    assert await library.deck_media("anatomy") == {}
    for content_id in files_in(folder):
        written_at(folder, content_id, NOW - timedelta(hours=2))
    # An import whose transaction failed left a file 30 minutes ago: too young to go yet.
    failed = folder.put(b"GIF89a of an import that failed")
    written_at(folder, failed, NOW - timedelta(minutes=30))
    sizes = files_in(folder)

    pruned = await library.prune_media()
    unused = anatomy - other
    assert pruned == PrunedMedia(len(unused), sum(sizes[c] for c in unused))
    assert set(files_in(folder)) == other | {failed}
    assert await library.media_files("other") != {}  # Other still shows its pictures

    clock.advance(hours=1)
    assert await library.prune_media() == PrunedMedia(1, sizes[failed])
    assert set(files_in(folder)) == other
    assert await library.prune_media() == PrunedMedia(0, 0)


def test_a_file_an_import_puts_again_is_not_pruned(tmp_path: Path) -> None:
    """An import reusing an unnamed file writes it (`put`) before its transaction names it: the
    put makes it young, so a prune meanwhile keeps it."""
    folder = MediaFolder(tmp_path / "media")
    reused, unused = folder.put(b"GIF89a reused"), folder.put(b"GIF89a unused")
    long_ago = datetime.now(UTC) - timedelta(days=3)
    for content_id in (reused, unused):
        written_at(folder, content_id, long_ago)
    assert folder.put(b"GIF89a reused") == reused  # the import, before its commit

    pruned = folder.prune(set(), datetime.now(UTC) - timedelta(hours=1))
    assert pruned.files == 1 and set(files_in(folder)) == {reused}
    assert folder.get(reused) == b"GIF89a reused"


def test_a_put_while_a_prune_has_the_file_aside_writes_it_anew(tmp_path: Path) -> None:
    """A prune moves a file aside before it deletes it; a put in that moment finds no file and
    writes it again, and a prune that stopped there (a crash) is finished by the next one."""
    folder = MediaFolder(tmp_path / "media")
    content_id = folder.put(b"GIF89a heart")
    written_at(folder, content_id, datetime.now(UTC) - timedelta(days=3))
    path = Path(folder.location(content_id))
    aside = path.with_name(".prune-" + content_id)
    os.rename(path, aside)  # where a prune stands between its rename and its last look

    assert folder.put(b"GIF89a heart") == content_id
    assert folder.get(content_id) == b"GIF89a heart"
    # The next prune: the leftover goes (the file is back), the young file stays.
    assert folder.prune({content_id}, datetime.now(UTC) - timedelta(hours=1)).files == 0
    assert set(files_in(folder)) == {content_id}

    # A leftover with no file in place goes back where it was, to be decided on again.
    os.rename(path, aside)
    assert folder.prune({content_id}, datetime.now(UTC)) == PrunedMedia(0, 0)
    assert folder.get(content_id) == b"GIF89a heart"


def test_temporary_files_a_crash_left_go_once_old(tmp_path: Path) -> None:
    folder = MediaFolder(tmp_path / "media")
    content_id = folder.put(b"GIF89a kept")
    path = Path(folder.location(content_id))
    stale, fresh = path.with_name(".part-stale"), path.with_name(".part-fresh")
    stale.write_bytes(b"half a file")
    fresh.write_bytes(b"being written")
    long_ago = (datetime.now(UTC) - timedelta(days=1)).timestamp()
    os.utime(stale, (long_ago, long_ago))

    folder.prune({content_id}, datetime.now(UTC) - timedelta(hours=1))
    assert set(files_in(folder)) == {content_id, ".part-fresh"}
