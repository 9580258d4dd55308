"""Anki notes as cards: the note type decides question and answer, as Anki itself renders them.

Standard note types render their card templates (`{{Front}}`, `{{#Field}}…{{/Field}}`, filters such
as `{{text:Back}}`); the answer is what the answer template shows after `<hr id=answer>`, without
the question. Cloze notes give one card per cloze number: the question shows that deletion as
`[...]` (or `[hint]`), the answer the full text. A field named `Note` (as quizbot's own export
writes) becomes the card's note instead of part of its answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from core.decks.formats.base import CardDraft, key_for_guid
from core.decks.formats.cloze import cloze_answer, cloze_numbers, cloze_question
from core.decks.formats.html_text import html_to_text
from core.decks.formats.image_alt import show_clozed_alt_text

__all__ = [
    "NOTE_FIELD",
    "AnkiNote",
    "AnkiNoteType",
    "cloze_numbers",
    "note_drafts",
    "note_type_by_name",
]

NOTE_FIELD = "Note"

# A tag holds no braces: a scan from each "{{" stops at the next brace, so crafted templates
# ("{{{{…", unclosed sections) cost linear time, not quadratic.
_TAG = re.compile(r"\{\{([^{}]*)\}\}")
_ANSWER_RULE = re.compile(r"<hr id=['\"]?answer['\"]?\s*/?>", re.IGNORECASE)
_CLOZE_FIELD = re.compile(r"\{\{[^{}]*cloze:\s*([^{}]+?)\s*\}\}")


@dataclass(frozen=True, slots=True)
class AnkiNoteType:
    name: str
    is_cloze: bool
    field_names: tuple[str, ...]
    templates: tuple[tuple[str, str], ...]  # (question format, answer format) by card ordinal


@dataclass(frozen=True, slots=True)
class AnkiNote:
    where: str  # "note 4", "line 7"
    guid: str | None  # None: the card key comes from the question
    fields: tuple[str, ...]  # HTML
    tags: tuple[str, ...]
    ordinals: Sequence[int] | None = None  # the note's cards (0-based); None: as Anki would make
    type_id: int = 0  # the note type's id in a package
    note: str = ""  # the cards' quizbot note (from a field named `Note`)


def note_type_by_name(name: str, field_count: int) -> AnkiNoteType:
    """A stand-in for a note type known only by name (plain-text exports): cloze types cloze
    the first field, "reversed" types add a back-to-front card, others show field 1 → field 2."""
    names = tuple(f"Field{number}" for number in range(1, max(field_count, 2) + 1))
    forward = ("{{Field1}}", "{{Field2}}")
    if "cloze" in name.casefold():
        answer = "{{cloze:Field1}}{{#Field2}}<br>{{Field2}}{{/Field2}}"  # with "Back Extra"
        return AnkiNoteType(name, True, names, (("{{cloze:Field1}}", answer),))
    if "reverse" in name.casefold():
        optional = "optional" in name.casefold() and field_count >= 3
        reverse = ("{{#Field3}}{{Field2}}{{/Field3}}" if optional else "{{Field2}}", "{{Field1}}")
        return AnkiNoteType(name, False, names, (forward, reverse))
    return AnkiNoteType(name, False, names, (forward,))


def note_drafts(note_type: AnkiNoteType, note: AnkiNote) -> Iterator[CardDraft]:
    """The cards of one note, keyed by its GUID (card N of a note gets key "GUID.N")."""
    values = dict(zip(note_type.field_names, note.fields, strict=False))
    note_text = html_to_text(values.pop(NOTE_FIELD, ""))
    if note_text:
        note = replace(note, note=note_text)
    if note_type.is_cloze:
        yield from _cloze_drafts(note_type, note, values)
        return
    ordinals = note.ordinals if note.ordinals is not None else range(len(note_type.templates))
    for ordinal in ordinals:
        if not 0 <= ordinal < len(note_type.templates):
            continue
        question_format, answer_format = note_type.templates[ordinal]
        question = html_to_text(render_template(question_format, values))
        if note.ordinals is None and not question:
            continue  # Anki makes no card whose question is empty
        yield _draft(note, ordinal + 1, question, _answer(answer_format, values))


def _cloze_drafts(
    note_type: AnkiNoteType, note: AnkiNote, values: dict[str, str]
) -> Iterator[CardDraft]:
    """One card per cloze number; a cloze note type has one template for all of them."""
    if not note_type.templates:
        return
    question_format, answer_format = note_type.templates[0]
    text = values.get(_cloze_field(note_type), "")
    numbers = (
        [ordinal + 1 for ordinal in note.ordinals]
        if note.ordinals is not None
        else cloze_numbers(text)
    )
    answer = _answer(answer_format, values)
    for number in numbers:
        question = html_to_text(render_template(question_format, values, cloze=number))
        yield _draft(note, number, question, answer)


def _answer(answer_format: str, values: dict[str, str]) -> str:
    """The answer side without the question: `{{FrontSide}}` and all before the answer rule."""
    rendered = render_template(answer_format, {**values, "FrontSide": ""})
    return html_to_text(_ANSWER_RULE.split(rendered, maxsplit=1)[-1])


def _draft(note: AnkiNote, number: int, question: str, answer: str) -> CardDraft:
    key = None if note.guid is None else key_for_guid(note.guid, number)
    where = note.where if number == 1 else f"{note.where} (card {number})"
    return CardDraft(where, question, answer, note.tags, key, note.note)


def render_template(template: str, values: dict[str, str], cloze: int | None = None) -> str:
    """Anki's template language, enough for question and answer text: fields, filters and
    conditional sections; type-in boxes and unknown fields render as nothing. `{{cloze:F}}`
    hides deletion `cloze` of F, or shows the full text when `cloze` is None.

    One pass with a stack of open sections; an unclosed section shows its content."""
    out: list[str] = []
    sections: list[tuple[str, bool]] = []  # (field name, shown) of each open section
    hidden = 0  # how many open sections are hidden
    position = 0
    for tag in _TAG.finditer(template):
        if not hidden:
            out.append(template[position : tag.start()])
        position = tag.end()
        content = tag.group(1).strip()
        if content[:1] in ("#", "^"):
            name = content[1:].strip()
            filled = bool(html_to_text(values.get(name, "")))
            shown = filled == (content[0] == "#")
            sections.append((name, shown))
            hidden += not shown
        elif content[:1] == "/":
            name = content[1:].strip()
            if any(open_name == name for open_name, _ in sections):
                while sections:
                    open_name, shown = sections.pop()
                    hidden -= not shown
                    if open_name == name:
                        break
        elif not hidden:
            out.append(_field(content, values, cloze))
    if not hidden:
        out.append(template[position:])
    return "".join(out)


def _field(tag: str, values: dict[str, str], cloze: int | None) -> str:
    *filters, name = (part.strip() for part in tag.split(":"))
    if "type" in filters or tag.startswith(("#", "^", "/", "!")):
        return ""
    if "cloze" in filters:
        text = show_clozed_alt_text(values.get(name, ""))
        return cloze_answer(text) if cloze is None else cloze_question(text, cloze)
    return values.get(name, "")


def _cloze_field(note_type: AnkiNoteType) -> str:
    for question_format, _ in note_type.templates:
        found = _CLOZE_FIELD.search(question_format)
        if found:
            return found.group(1)
    return note_type.field_names[0] if note_type.field_names else ""
