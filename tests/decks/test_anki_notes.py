"""Anki note types rendered as Anki does: templates, conditional sections, cloze numbers."""

from __future__ import annotations

import time

from core.decks.formats.anki_notes import (
    AnkiNote,
    AnkiNoteType,
    note_drafts,
    note_type_by_name,
    render_template,
)
from core.decks.formats.base import CardDraft, key_for_guid
from core.decks.formats.cloze import cloze_answer, cloze_numbers, cloze_question

CLOZE = AnkiNoteType(
    "Cloze",
    True,
    ("Text", "Back Extra"),
    (("{{cloze:Text}}", "{{cloze:Text}}<br>\n{{Back Extra}}"),),
)


def _qa(drafts: list[CardDraft]) -> list[tuple[str, str, str | None]]:
    return [(draft.question, draft.answer, draft.key) for draft in drafts]


def test_cloze_cards_follow_the_package_cards_and_show_back_extra() -> None:
    note = AnkiNote(
        "note 1",
        "G",
        ("{{c1::Paris}} is in {{c2::France::country}}", "<i>capital</i>"),
        ("geo",),
        ordinals=(0, 1),
    )
    assert _qa(list(note_drafts(CLOZE, note))) == [
        ("[...] is in France", "Paris is in France\ncapital", key_for_guid("G")),
        ("Paris is in [country]", "Paris is in France\ncapital", key_for_guid("G", 2)),
    ]


def test_templates_with_sections_filters_and_type_in_boxes() -> None:
    values = {"Front": "hola", "Back": "hello", "Hint": "", "Extra": "informal"}
    template = (
        "{{Front}}{{#Hint}} ({{hint:Hint}}){{/Hint}}{{^Extra}} none{{/Extra}}"
        "{{#Extra}} [{{text:Extra}}]{{/Extra}}{{type:Back}}{{Missing}}"
    )
    assert render_template(template, values) == "hola [informal]"


def test_answer_drops_the_front_side_and_everything_before_the_answer_rule() -> None:
    note_type = AnkiNoteType(
        "Basic",
        False,
        ("Front", "Back"),
        (("{{Front}}", "{{FrontSide}}<hr id=answer>{{Back}}"),),
    )
    note = AnkiNote("note 1", None, ("hola", "hello<br>hi"), ())
    assert _qa(list(note_drafts(note_type, note))) == [("hola", "hello\nhi", None)]


def test_note_types_known_only_by_name() -> None:
    fields = ("hola", "hello", "y")
    note = AnkiNote("line 2", "k", fields, ())
    optional = note_type_by_name("Basic (optional reversed card)", 3)
    assert _qa(list(note_drafts(optional, note))) == [
        ("hola", "hello", "k"),
        ("hello", "hola", "k.2"),
    ]
    no_reverse = AnkiNote("line 3", "m", ("hola", "hello", ""), ())
    assert _qa(list(note_drafts(optional, no_reverse))) == [("hola", "hello", "m")]
    cloze = note_type_by_name("Cloze (custom)", 2)
    note = AnkiNote("line 4", None, ("{{c2::a}} {{c1::b}}", "extra"), ())
    assert _qa(list(note_drafts(cloze, note))) == [
        ("a [...]", "a b\nextra", None),
        ("[...] b", "a b\nextra", None),
    ]


def test_nested_and_unclosed_clozes_read_as_anki_reads_them() -> None:
    text = "{{c1::Paris {{c2::France::country}}}} and {{c3::open"
    assert cloze_numbers(text) == [1, 2]
    assert cloze_question(text, 1) == "[...] and {{c3::open"
    assert cloze_question(text, 2) == "Paris [country] and {{c3::open"
    assert cloze_answer(text) == "Paris France and {{c3::open"


def test_crafted_fields_and_templates_take_linear_time() -> None:
    """A regular expression took cubic time on unclosed clozes and quadratic time on unclosed
    sections; a crafted package could stall the bot."""
    unclosed = "{{c1::" * 20_000
    crafted_template = "{{#Front}}" * 20_000 + "{" * 100_000 + "{{cloze:Text}}"
    started = time.perf_counter()
    assert cloze_numbers(unclosed) == []
    assert cloze_question(unclosed, 1) == unclosed
    rendered = render_template(crafted_template, {"Front": "x", "Text": "{{c1::a}}"}, cloze=1)
    assert rendered.endswith("{" * 100_000 + "[...]")
    assert time.perf_counter() - started < 1.0
