"""Clozes over pictures (issue 13), from a package Anki wrote (`anki-image-cloze.apkg`): a
deletion beside a picture, a deletion of the picture itself, one inside its alt text and one in
a picture's label field."""

from __future__ import annotations

from bot.wiring import deck_importer
from core.decks.formats.anki_notes import AnkiNote, note_drafts, note_type_by_name
from core.decks.formats.image_alt import show_clozed_alt_text
from tests.decks.samples import fixture, questions_and_answers, read

IMPORTER = deck_importer()


def test_clozes_over_pictures_hide_the_deletion_and_keep_the_picture_where_it_shows() -> None:
    result = read(IMPORTER, fixture("anki-image-cloze.apkg"), "anki-image-cloze.apkg")
    assert questions_and_answers(result) == [
        ("[...] is the bone shown [image: leg.png]", "Femur is the bone shown [image: leg.png]"),
        # The picture is the deletion: the question has no picture, the answer has it.
        ("The kneecap looks like [...]", "The kneecap looks like [image: knee.png]"),
        # The deletion was in the alt text, which no chat shows: it follows the picture.
        ("[image: leg.png] [...] the shin bone", "[image: leg.png] Tibia the shin bone"),
        ("[image: arm.png]\n[...], upper arm", "[image: arm.png]\nHumerus, upper arm"),
    ]
    assert [file.name for file in result.media] == ["leg.png", "knee.png", "arm.png"]
    assert result.warnings == ()


def cards(html: str) -> list[tuple[str, str]]:
    """The cards of a Cloze note whose Text is `html`."""
    note = AnkiNote("line 1", "g", (html, ""), ())
    return [(d.question, d.answer) for d in note_drafts(note_type_by_name("Cloze", 2), note)]


def test_a_deletion_in_an_alt_text_follows_its_picture_in_any_quoting() -> None:
    for html in (
        '<img src="a.png" alt="{{c1::Tibia}}"> bone',
        "<IMG ALT='{{c1::Tibia}}' src=a.png> bone",
        "<img alt={{c1::Tibia}} src=a.png> bone",
        '<img src=a.png alt="{{c1::Tibia}}"/> bone',  # self-closing: the source stays "a.png"
    ):
        assert cards(html) == [("[image: a.png] [...] bone", "[image: a.png] Tibia bone")], html
    assert cards('<img src="a.png" alt="{{c1::A &amp; B}}">') == [
        ("[image: a.png] [...]", "[image: a.png] A & B")
    ]


def test_an_alt_text_without_a_deletion_stays_unseen() -> None:
    html = '<img src="a.png" alt="a femur"> {{c1::Femur}}'
    assert show_clozed_alt_text(html) == html
    assert cards(html) == [("[image: a.png] [...]", "[image: a.png] Femur")]


def test_a_cloze_around_a_picture_with_a_hint_shows_the_hint() -> None:
    html = 'Which bone? {{c1::<img src="femur.png">::thigh}}'
    assert cards(html) == [("Which bone? [thigh]", "Which bone? [image: femur.png]")]
