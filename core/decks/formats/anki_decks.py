"""Several Anki decks in one file (an .apkg of a deck with subdecks, a whole-collection .colpkg,
a plain-text export with a deck column) become the one quizbot deck the learner named: each card
is tagged with its Anki deck and the import summary names the decks merged."""

from __future__ import annotations

from collections import Counter

from core.decks.model import distinct_slug

__all__ = ["anki_deck_tag", "merged_decks_notice"]

_MAX_LISTED_DECKS = 10


def anki_deck_tag(deck: str) -> str:
    """The tag for cards of an Anki deck: "Spanish::Verbs" -> "spanish-verbs"."""
    return distinct_slug(deck.replace("::", " "))


def merged_decks_notice(card_decks: Counter[str], source: str) -> tuple[str, ...]:
    """A line for the import summary when the cards come from several Anki decks."""
    if len(card_decks) < 2:
        return ()
    listed = [f"{deck} ({count:,})" for deck, count in sorted(card_decks.items())]
    if len(listed) > _MAX_LISTED_DECKS:
        listed[_MAX_LISTED_DECKS:] = [f"{len(listed) - _MAX_LISTED_DECKS:,} more"]
    return (
        f"{source}: the file holds {len(card_decks):,} Anki decks, merged into this deck: "
        f"{', '.join(listed)}; each card is tagged with its Anki deck (e.g. "
        f"{anki_deck_tag(min(card_decks))}); export a single deck from Anki to import it alone",
    )
