"""Importing a deck of pictures: 2,000 cards, each with its own small PNG, made with genanki.

Run: .venv/bin/python bench/bench_media.py [--cards 2000]

The import runs in a fresh child process (so its peak memory is its own) on a fresh SQLite file
and media folder, as `quizbot deck import` does: read the package, sniff every referenced file,
write the files content-addressed, store the deck and its media list in one transaction. Prints
the time and the child's peak resident memory (ru_maxrss). Target: under 10 s and under 300 MB.
Not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import genanki  # type: ignore[import-untyped]
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adapters.media.folder import MediaFolder
from adapters.storage.sqlite.store import SqliteStore
from bot.wiring import deck_importer
from core.library import DeckLibrary
from core.permissions import OPERATOR


def image_package(cards: int, folder: Path) -> Path:
    """A genanki package of `cards` notes, note n showing picture n (a distinct 16×16 PNG)."""
    deck = genanki.Deck(2_059_400_200, "Pictures")
    paths = []
    for number in range(cards):
        path = folder / f"picture-{number}.png"
        out = io.BytesIO()
        colour = (number % 256, number // 256 % 256, 128)
        Image.new("RGB", (16, 16), colour).save(out, "PNG")
        path.write_bytes(out.getvalue())
        paths.append(str(path))
        fields = [f'Which structure is this?<img src="{path.name}">', f"Structure {number}"]
        deck.add_note(genanki.Note(genanki.BASIC_MODEL, fields, guid=f"pic-{number}"))
    package = folder / "pictures.apkg"
    genanki.Package(deck, media_files=paths).write_to_file(str(package))
    return package


async def _import(package: Path, folder: Path) -> dict[str, float]:
    data = package.read_bytes()
    store = await SqliteStore.open(folder / "bench.db")
    media = MediaFolder(folder / "media")
    library = DeckLibrary(store, deck_importer(), media=media)
    try:
        started = time.perf_counter()
        summary = await library.import_deck(data, "Pictures", None, package.name, role=OPERATOR)
        seconds = time.perf_counter() - started
        files = len(await library.deck_media(summary.deck.id))
    finally:
        await store.close()
    return {
        "cards": summary.deck.card_count,
        "files": files,
        "bytes": len(data),
        "seconds": seconds,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=2_000)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        with tempfile.TemporaryDirectory() as folder:
            print(json.dumps(asyncio.run(_import(args.child, Path(folder)))))
        return
    with tempfile.TemporaryDirectory() as folder:
        package = image_package(args.cards, Path(folder))
        command = [sys.executable, __file__, "--child", str(package)]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    result = json.loads(output)
    print(
        f"{result['cards']:,.0f} cards, {result['files']:,.0f} pictures, "
        f"{result['bytes'] / 1024 / 1024:.1f} MB package: imported in {result['seconds']:.2f} s, "
        f"peak RSS {result['max_rss_mb']:.0f} MB (targets: < 10 s, < 300 MB)"
    )


if __name__ == "__main__":
    main()
