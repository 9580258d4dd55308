"""The deck content hash that lets a start-up skip saving unchanged bundled decks."""

from __future__ import annotations

from dataclasses import replace

from core.decks.content_hash import deck_content_hash
from core.decks.model import Card, Deck

DECK = Deck(
    "demo",
    "Demo",
    (Card("demo:a", "One?", "1", "a hint", ("x",)), Card("demo:b", "Two?", "2")),
    "About numbers",
)


def test_equal_decks_have_equal_hashes() -> None:
    copy = Deck(DECK.id, DECK.name, tuple(replace(card) for card in DECK.cards), DECK.description)
    assert deck_content_hash(copy) == deck_content_hash(DECK)
    assert len(deck_content_hash(DECK)) == 64


def test_every_stored_field_changes_the_hash() -> None:
    first, second = DECK.cards
    variants = [
        replace(DECK, name="Demo 2"),
        replace(DECK, description=""),
        replace(DECK, cards=(second, first)),
        replace(DECK, cards=(first,)),
        replace(DECK, cards=(replace(first, question="One!"), second)),
        replace(DECK, cards=(replace(first, answer="one"), second)),
        replace(DECK, cards=(replace(first, note=""), second)),
        replace(DECK, cards=(replace(first, tags=("x", "y")), second)),
        replace(DECK, cards=(replace(first, id="demo:c"), second)),
        Deck("demo-2", DECK.name, DECK.cards, DECK.description),
    ]
    hashes = {deck_content_hash(deck) for deck in [DECK, *variants]}
    assert len(hashes) == len(variants) + 1


def test_field_boundaries_are_part_of_the_hash() -> None:
    # "ab" + "" and "a" + "b" must not collide.
    left = replace(DECK, cards=(Card("demo:a", "One?", "ab", ""),))
    right = replace(DECK, cards=(Card("demo:a", "One?", "a", "b"),))
    assert deck_content_hash(left) != deck_content_hash(right)
