"""Bundled TOML decks: the shipped files, the seed they were converted from, the strict validator,
and the id helpers that keep card ids stable."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.decks.bundled import parse_bundled_deck
from core.decks.model import (
    Card,
    Deck,
    card_key_for,
    is_valid_slug,
    make_card_id,
    slugify,
    tidy_text,
)
from core.errors import DeckFormatError, QuizbotError
from decks import bundled_deck_paths, bundled_decks, load_bundled_deck

REPO = Path(__file__).resolve().parents[2]
# The user's own deck page as given (seed 000_27aa01591113d307.txt), vendored beside the fixtures.
SEED = REPO / "tests/fixtures/decks/seed-neural-nets.txt"
NEURAL_NETS = REPO / "decks/neural-nets.toml"
RATING_WIDGET = ["How well did you know this?", "1", "Not at all", "2", "3", "4", "5", "Perfectly"]


# --- the seed round trip -------------------------------------------------------------------------


def _paragraphs(lines: list[str]) -> list[str]:
    text = "\n".join(lines)
    return [part.strip("\n") for part in _normalise(text).split("\n\n") if part.strip()]


def _normalise(text: str) -> str:
    """Trailing whitespace off every line, runs of blank lines down to one, no outer blank lines."""
    lines = [line.rstrip() for line in text.split("\n")]
    kept = [line for i, line in enumerate(lines) if line or (i > 0 and lines[i - 1])]
    return "\n".join(kept).strip("\n")


def _parse_seed(text: str) -> list[tuple[str, str, str]]:
    """(question, note, answer) per card. A card is: number, "Q", question paragraph, optional
    note paragraphs, "A", answer paragraphs, then the rating widget."""
    lines = text.split("\n")
    cards: list[tuple[str, str, str]] = []
    start = 0
    while "Q" in lines[start:]:
        q = lines.index("Q", start)
        assert lines[q - 1].strip() == str(len(cards) + 1), f"card number before line {q + 1}"
        a = lines.index("A", q)
        widget = lines.index(RATING_WIDGET[0], a)
        assert lines[widget : widget + len(RATING_WIDGET)] == RATING_WIDGET
        question, *note = _paragraphs(lines[q + 1 : a])
        cards.append((question, "\n\n".join(note), "\n\n".join(_paragraphs(lines[a + 1 : widget]))))
        start = widget + len(RATING_WIDGET)
    return cards


def test_neural_nets_deck_matches_its_seed_card_by_card() -> None:
    seed_text = SEED.read_text(encoding="utf-8")
    expected = _parse_seed(seed_text)
    assert "(12 cards)" in seed_text
    assert len(expected) == 12

    deck = load_bundled_deck(NEURAL_NETS)

    assert len(deck.cards) == len(expected)
    for number, (card, (question, note, answer)) in enumerate(
        zip(deck.cards, expected, strict=True), start=1
    ):
        assert _normalise(card.question) == question, f"card {number} question"
        assert _normalise(card.note) == note, f"card {number} note"
        assert _normalise(card.answer) == answer, f"card {number} answer"


def test_neural_nets_deck_keeps_formulas_and_layout() -> None:
    cards = {
        card.id.removeprefix("neural-nets:"): card for card in load_bundled_deck(NEURAL_NETS).cards
    }

    # Named escapes: these characters look like ASCII, and exactly them is the point.
    x, alpha, minus = (
        "\N{MATHEMATICAL ITALIC SMALL X}",
        "\N{MATHEMATICAL ITALIC SMALL ALPHA}",
        "\N{MINUS SIGN}",
    )
    glorot = "W \N{TILDE OPERATOR} U(±a), a = √(6 / (fan_in + fan_out))"
    assert glorot in cards["glorot-init"].answer.split("\n")
    assert (
        f"ELU({x})={x} if {x}≥0\nELU({x})={alpha}(exp({x}){minus}1) if {x}<0" in cards["elu"].answer
    )
    gru = "zt = \N{GREEK SMALL LETTER SIGMA}(Wz·xt + Uz·ht-1 + bz)"
    assert f"\n\n{gru}\n\n" in cards["gru-update-gate"].answer
    assert cards["attention-qkv"].answer == "Query\nKey\nValue"
    assert cards["attention-qkv"].question.split("\n") == [
        "What do Q, K and V stand for in the general definition of attention",
        "S = (Q KT) / √(dk)",
        "A = softmax(S)",
        "O = A V",
        "in the context of encoder-decoder transformers?",
    ]
    assert cards["rmsprop"].question.split("\n")[1] == (
        "network.compile(optimizer='rmsprop', metrics=['acc'], loss='binary_crossentropy')"
    )
    assert cards["lp-norms"].note == (
        "L1 and L2 are names for standard norms from analysis (L1 and L2 spaces), "
        "not “Loss” or “Lambda”."
    )
    assert cards["mnist"] == Card(
        "neural-nets:mnist",
        "What is MNIST an abbreviation of?",
        "Modified National Institute of Standards and Technology database",
    )


def test_neural_nets_deck_header_and_card_ids() -> None:
    deck = load_bundled_deck(NEURAL_NETS)

    assert (deck.id, deck.name) == ("neural-nets", "Neural nets and deep learning")
    assert deck.description
    assert [card.id for card in deck.cards] == [
        f"neural-nets:{key}"
        for key in (
            "mnist",
            "keras-none-batch",
            "glorot-init",
            "lp-norms",
            "dropout",
            "elu",
            "pre-activation-z",
            "sigma-prime",
            "rmsprop",
            "lstm-h-c",
            "gru-update-gate",
            "attention-qkv",
        )
    ]
    assert [card.note != "" for card in deck.cards].count(True) == 1


def test_every_bundled_deck_parses() -> None:
    paths = bundled_deck_paths()

    assert NEURAL_NETS in paths
    assert paths == sorted(paths)
    decks = bundled_decks()
    for path, deck in zip(paths, decks, strict=True):
        assert deck.id == path.stem, "a bundled deck file is named after its deck id"
        assert deck.cards
    assert len({deck.id for deck in decks}) == len(decks)


# --- the schema ----------------------------------------------------------------------------------

GOOD = """\
id = "demo"
name = "Demo deck"

[[cards]]
id = "one"
question = "What is one?"
answer = "1"

[[cards]]
question = "What is two?  "
answer = '''

  2
  two   \n
'''
note = "a hint"
tags = ["numbers", "small"]
"""


def _error(text: str) -> str:
    with pytest.raises(DeckFormatError) as caught:
        parse_bundled_deck(text, "demo.toml")
    return str(caught.value)


def test_parse_keeps_inner_lines_and_derives_missing_keys() -> None:
    deck = parse_bundled_deck(GOOD, "demo.toml")

    assert deck == Deck(
        id="demo",
        name="Demo deck",
        cards=(
            Card("demo:one", "What is one?", "1"),
            Card(
                f"demo:{card_key_for('What is two?')}",
                "What is two?",
                "  2\n  two",
                note="a hint",
                tags=("numbers", "small"),
            ),
        ),
    )


def test_broken_toml_names_the_line() -> None:
    text = GOOD.replace('answer = "1"', 'answer = "1')

    assert _error(text) == "demo.toml line 7: invalid TOML: Illegal character '\\n'"


def test_unknown_deck_key_names_the_line() -> None:
    text = GOOD.replace('name = "Demo deck"\n', 'name = "Demo deck"\nauthor = "me"\n')

    assert _error(text) == (
        "demo.toml line 3: the deck has an unknown key 'author' "
        "(expected: id, name, description, cards)"
    )


def test_unknown_card_key_names_the_line() -> None:
    text = GOOD.replace('note = "a hint"', 'hint = "a hint"')

    assert _error(text) == (
        "demo.toml line 17: card 2 has an unknown key 'hint' "
        "(expected: id, question, answer, note, tags)"
    )


def test_missing_answer_names_the_card_header() -> None:
    text = GOOD.replace('answer = "1"\n', "")

    assert _error(text) == "demo.toml line 4: card 1 has no answer"


def test_blank_question_names_its_line() -> None:
    text = GOOD.replace('"What is two?  "', '"   "')

    assert _error(text) == "demo.toml line 10: card 2 has no question"


def test_duplicate_card_id_names_the_line() -> None:
    text = GOOD.replace('question = "What is two?  "', 'id = "one"\nquestion = "What is two?"')

    assert _error(text) == "demo.toml line 10: card 2 has the id 'one', already used by card 1"


def test_duplicate_question_ignores_case_and_spacing() -> None:
    text = GOOD.replace('"What is two?  "', '"what  is ONE?"')

    assert _error(text) == "demo.toml line 10: card 2 repeats the question of card 1"


def test_wrong_types_name_the_line() -> None:
    assert _error(GOOD.replace('["numbers", "small"]', '"numbers"')) == (
        "demo.toml line 18: card 2: tags must be a list of words without spaces or commas"
    )
    assert _error(GOOD.replace('answer = "1"', "answer = 1")) == (
        "demo.toml line 7: card 1: answer must be a string"
    )


def test_bad_ids_are_refused() -> None:
    assert _error(GOOD.replace('id = "demo"', 'id = "Demo Deck"')) == (
        "demo.toml line 1: the deck id 'Demo Deck' is not valid: use a-z, 0-9, '-', '.' or '_', "
        "start with a letter or digit, at most 64 characters"
    )
    assert _error(GOOD.replace('id = "one"', 'id = "one:two"')).startswith(
        "demo.toml line 5: card 1 has the id 'one:two', which is not valid"
    )
    assert _error(GOOD.replace('id = "demo"\n', "")) == "demo.toml line 1: the deck has no id"


def test_a_deck_needs_cards_written_as_tables() -> None:
    assert _error('id = "demo"\nname = "Demo"\n') == "demo.toml line 1: the deck has no cards"
    inline = 'id = "demo"\nname = "Demo"\ncards = [{question = "q", answer = "a"}]\n'
    assert _error(inline) == "demo.toml line 3: write each card as a [[cards]] table"


def test_lookalikes_inside_a_multiline_string_are_text() -> None:
    header = GOOD.replace("  two   \n", "[[cards]]\n").replace('note = "a hint"', 'noot = "x"')
    key = GOOD.replace("  two   \n", "tags = []\n").replace('["numbers", "small"]', "3")

    assert _error(header) == (
        "demo.toml line 17: card 2 has an unknown key 'noot' "
        "(expected: id, question, answer, note, tags)"
    )
    assert _error(key) == (
        "demo.toml line 18: card 2: tags must be a list of words without spaces or commas"
    )


def test_load_names_the_file(tmp_path: Path) -> None:
    good = tmp_path / "demo.toml"
    good.write_text(GOOD, encoding="utf-8")
    bad = tmp_path / "latin.toml"
    bad.write_bytes('id = "caf\u00e9"\n'.encode("latin-1"))

    assert load_bundled_deck(good) == parse_bundled_deck(GOOD, "demo.toml")
    with pytest.raises(DeckFormatError, match=r"^latin\.toml: the file is not UTF-8 text$"):
        load_bundled_deck(bad)
    assert issubclass(DeckFormatError, QuizbotError)


# --- ids and text --------------------------------------------------------------------------------


def test_card_key_is_pinned_and_ignores_case_and_whitespace() -> None:
    # Pinned: changing the key function would orphan every learner's progress.
    assert card_key_for("What is MNIST an abbreviation of?") == "3ae5a4ceb537"
    assert card_key_for("  what is  MNIST\nan abbreviation OF? ") == "3ae5a4ceb537"
    assert card_key_for("What is MNIST?") != "3ae5a4ceb537"
    assert make_card_id("neural-nets", "mnist") == "neural-nets:mnist"


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Neural nets and deep learning", "neural-nets-and-deep-learning"),
        ("  Café & Crème brûlée!! ", "cafe-creme-brulee"),
        ("日本語", "deck"),
        ("", "deck"),
        ("a" * 63 + " b", "a" * 63),
    ],
)
def test_slugify(name: str, slug: str) -> None:
    assert slugify(name) == slug
    assert is_valid_slug(slugify(name))


def test_valid_slugs() -> None:
    assert [is_valid_slug(s) for s in ("neural-nets", "v1.2_x", "a" * 64)] == [True] * 3
    assert [is_valid_slug(s) for s in ("", "-x", "Caps", "a:b", "a b", "a" * 65)] == [False] * 6


def test_tidy_text_keeps_inner_lines() -> None:
    assert (
        tidy_text("\n \n  code:\r\n    x = 1   \n\n\n  done \n\n")
        == "  code:\n    x = 1\n\n\n  done"
    )


def test_model_refuses_broken_invariants() -> None:
    card = Card("d:a", "q", "a")
    with pytest.raises(ValueError):
        Deck("Not a slug", "Name", ())
    with pytest.raises(ValueError):
        Deck("d", "Name", (card, card))
    with pytest.raises(ValueError):
        Card("d:b", "q", "")
