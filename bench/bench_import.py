"""Deck import speed and peak memory: a 20,000-card Anki package and a 20,000-row CSV.

Run: .venv/bin/python bench/bench_import.py [--cards 20000]

Each import runs in a fresh child process (so peak memory is that import's alone) on a fresh
SQLite file: read + parse + check the file, then store the whole deck in one transaction, as
`quizbot deck import` does. Prints cards per second for the whole import and for the parse alone,
the child's peak resident memory (ru_maxrss) and Python's peak allocations (tracemalloc) during
the import. Target: 20,000 cards in under 3 s and under 200 MB. Not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adapters.deckfiles import deck_to_apkg
from adapters.storage.sqlite.store import SqliteStore
from bot.wiring import deck_importer
from core.decks.export import deck_to_csv
from core.decks.model import Card, Deck
from core.library import DeckLibrary
from core.permissions import OPERATOR


def sample_deck(cards: int) -> Deck:
    """Cards of realistic length: a sentence of a question, a few lines of answer, two tags."""
    return Deck(
        "bench",
        "Bench",
        tuple(
            Card(
                f"bench:n{number}",
                f"Question {number}: what does term {number} mean in chapter {number % 40}?",
                f"Term {number} means the {number}th thing.\nIt is used in chapter "
                f"{number % 40}, where it is compared with term {number + 1}.",
                tags=(f"chapter-{number % 40}", "bench"),
            )
            for number in range(cards)
        ),
    )


async def _import(path: Path, database: Path, trace: bool) -> dict[str, float]:
    data = path.read_bytes()
    store = await SqliteStore.open(database)
    library = DeckLibrary(store, deck_importer())
    try:
        if trace:  # tracemalloc slows Python several times over: a separate run
            tracemalloc.start()
        started = time.perf_counter()
        parsed = library.importer.read(
            data, file_name=path.name, deck_id="parse-only", deck_name="P", source="P"
        )
        parse_seconds = time.perf_counter() - started
        started = time.perf_counter()
        summary = await library.import_deck(data, "Bench", None, path.name, role=OPERATOR)
        seconds = time.perf_counter() - started
        traced_peak = tracemalloc.get_traced_memory()[1] if trace else 0
        tracemalloc.stop()
    finally:
        await store.close()
    assert summary.deck.card_count == len(parsed.deck.cards)
    return {
        "cards": summary.deck.card_count,
        "bytes": len(data),
        "seconds": seconds,
        "parse_seconds": parse_seconds,
        "traced_peak_mb": traced_peak / 1024 / 1024,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def child(path: Path, trace: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        print(json.dumps(asyncio.run(_import(path, Path(folder) / "bench.db", trace))))


def run_child(path: Path, *flags: str) -> dict[str, float]:
    command = [sys.executable, __file__, "--child", str(path), *flags]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    result: dict[str, float] = json.loads(output)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=20_000)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.trace)
        return
    deck = sample_deck(args.cards)
    with tempfile.TemporaryDirectory() as folder:
        files = {"Anki package (.apkg)": Path(folder) / "bench.apkg", "CSV": Path(folder) / "b.csv"}
        files["Anki package (.apkg)"].write_bytes(deck_to_apkg(deck))
        files["CSV"].write_bytes(deck_to_csv(deck))
        print(
            f"{'file':22} {'cards':>6} {'size':>8} {'import':>8} {'cards/s':>8} "
            f"{'parse':>7} {'peak RSS':>9} {'py peak':>8}"
        )
        for label, path in files.items():
            timed, traced = run_child(path), run_child(path, "--trace")
            size = timed["bytes"] / 1024 / 1024
            print(
                f"{label:22} {timed['cards']:>6,.0f} {size:>6.1f}MB "
                f"{timed['seconds']:>7.2f}s {timed['cards'] / timed['seconds']:>8,.0f} "
                f"{timed['parse_seconds']:>6.2f}s {timed['max_rss_mb']:>7.0f}MB "
                f"{traced['traced_peak_mb']:>6.0f}MB"
            )
        print(
            "import: read + parse + store in one transaction, as `quizbot deck import`; "
            "parse: the importer alone;\npeak RSS: the whole child process; "
            "py peak: tracemalloc during parse + import (a separate run)"
        )


if __name__ == "__main__":
    main()
