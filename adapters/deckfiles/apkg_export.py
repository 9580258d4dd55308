"""A deck as an Anki package (genanki): one note per card with Front, Back and Note fields (the
note shows under the answer in Anki), the card key as the note's GUID, so importing the package
again gives the same cards and ids. Media markers become Anki's `<img src>` / `[sound:…]` again
and the files go into the package under their names in its `media` map (never as paths)."""

from __future__ import annotations

import hashlib
import html
import io
import json
import re
import zipfile
from collections.abc import Mapping

import genanki  # type: ignore[import-untyped]

from core.decks.formats.anki_notes import NOTE_FIELD
from core.decks.model import Deck, card_key_of

__all__ = ["deck_to_apkg"]

_MARKER = re.compile(r"\[(image|sound): ([^\]\n]+)\]")

_MODEL = genanki.Model(
    1_731_000_002,  # fixed, so Anki sees one note type however often decks are exported
    "Basic with note (quizbot)",
    fields=[{"name": "Front"}, {"name": "Back"}, {"name": NOTE_FIELD}],
    templates=[
        {
            "name": "Card 1",
            "qfmt": "{{Front}}",
            "afmt": (
                "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}"
                "{{#Note}}<br><br><i>{{Note}}</i>{{/Note}}"
            ),
        }
    ],
)


def deck_to_apkg(
    deck: Deck, timestamp: float | None = None, media: Mapping[str, bytes] | None = None
) -> bytes:
    """The package's bytes; `timestamp` fixes note and card times (for reproducible files);
    `media`: the deck's files by the names its cards' markers use."""
    anki_deck = genanki.Deck(_anki_id(deck.id), deck.name, description=deck.description)
    for card in deck.cards:
        note = genanki.Note(
            model=_MODEL,
            fields=[_html(card.question), _html(card.answer), _html(card.note)],
            tags=list(card.tags),
            guid=card_key_of(card.id),
        )
        anki_deck.add_note(note)
    out = io.BytesIO()
    genanki.Package(anki_deck).write_to_file(out, timestamp=timestamp)
    return _with_media(out.getvalue(), media) if media else out.getvalue()


def _with_media(package: bytes, media: Mapping[str, bytes]) -> bytes:
    """genanki's package with `media` as members "0", "1", … and their names in `media`:
    genanki only takes files on disk named as in the deck, and a name is never made a path."""
    source = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != "media":
                target.writestr(info, source.read(info))
        names = sorted(media)
        target.writestr("media", json.dumps({str(i): name for i, name in enumerate(names)}))
        for i, name in enumerate(names):
            target.writestr(str(i), media[name])
    return out.getvalue()


def _html(text: str) -> str:
    escaped = html.escape(text, quote=False).replace("\n", "<br>")
    return _MARKER.sub(_anki_media, escaped)


def _anki_media(match: re.Match[str]) -> str:
    kind, name = match.groups()  # `name` is HTML-escaped already, but for its quotes
    if kind == "image":
        return f'<img src="{name.replace(chr(34), "&quot;")}">'
    return f"[sound:{html.unescape(name)}]"


def _anki_id(deck_id: str) -> int:
    # Anki deck ids are positive 63-bit integers; a hash keeps them stable per deck.
    return int.from_bytes(hashlib.sha256(deck_id.encode()).digest()[:7], "big") + 1
