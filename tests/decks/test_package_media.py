"""The pictures and sounds of Anki packages: kept when cards name them, checked by content."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from bot.wiring import deck_importer
from core.decks.media import MAX_MEDIA_BYTES, MAX_MEDIA_FILES, sniff_media_type
from core.errors import DeckImportError
from tests.decks.samples import fixture, questions_and_answers, read

IMPORTER = deck_importer()


def test_a_current_anki_package_keeps_the_pictures_and_sounds_its_cards_name() -> None:
    result = read(IMPORTER, fixture("anki-media.apkg"), "anki-media.apkg")
    assert questions_and_answers(result) == [
        ("Which organ?\n[image: heart.png]", "The heart"),
        ("Say hello", "hola [sound: hola.mp3]"),
        ("Left and right[image: left.png][image: right.png]", "Lungs"),
        ("[image: heart.png] pumps [...]", "[image: heart.png] pumps blood\n[sound: lub.wav]"),
    ]
    assert {file.name: file.media_type for file in result.media} == {
        "heart.png": "image/png",
        "hola.mp3": "audio/mpeg",
        "left.png": "image/png",
        "right.png": "image/png",
        "lub.wav": "audio/wav",
    }
    assert result.warnings == ()  # Anki exports only the files its cards use


def test_a_legacy_genanki_package_keeps_its_media_and_names_the_unreferenced() -> None:
    result = read(IMPORTER, fixture("genanki-media.apkg"), "x.apkg")
    assert {file.name: file.media_type for file in result.media} == {
        "heart.png": "image/png",
        "hola.mp3": "audio/mpeg",
    }
    assert result.warnings == ("Demo: 1 media file no card refers to left out: unused.png",)


def test_a_file_the_cards_name_but_the_package_lacks_is_named_in_the_summary() -> None:
    result = read(IMPORTER, fixture("genanki-missing-media.apkg"), "x.apkg")
    assert [file.name for file in result.media] == ["heart.png"]
    assert result.warnings == ("Demo: the cards refer to 1 media file the package lacks: hola.mp3",)


def test_a_png_that_is_really_a_zip_refuses_the_package_naming_the_file() -> None:
    with pytest.raises(DeckImportError, match=r"'heart\.png' is not a PNG, JPEG, GIF or WebP"):
        read(IMPORTER, fixture("genanki-lying-media.apkg"), "x.apkg")


def _with_media(files: dict[str, bytes], names: list[str]) -> bytes:
    """genanki-missing-media.apkg's collection with another media map and files."""
    source = zipfile.ZipFile(io.BytesIO(fixture("genanki-missing-media.apkg")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as package:
        package.writestr("collection.anki2", source.read("collection.anki2"))
        package.writestr("media", json.dumps({str(i): name for i, name in enumerate(names)}))
        for i, name in enumerate(names):
            package.writestr(str(i), files[name])
    return out.getvalue()


def test_an_svg_picture_is_refused_as_it_can_carry_scripts() -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    data = _with_media({"heart.png": svg}, ["heart.png"])
    with pytest.raises(DeckImportError, match=r"'heart\.png' is not a PNG"):
        read(IMPORTER, data, "x.apkg")
    assert sniff_media_type(svg) is None


def test_a_file_over_the_size_limit_is_refused_naming_it() -> None:
    big = b"\x89PNG\r\n\x1a\n" + bytes(MAX_MEDIA_BYTES)
    data = _with_media({"heart.png": big}, ["heart.png"])
    with pytest.raises(DeckImportError, match=r"'heart\.png' is larger than 10 MB"):
        read(IMPORTER, data, "x.apkg")


def test_more_referenced_files_than_the_limit_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("adapters.deckfiles.package_media.MAX_MEDIA_FILES", 0)
    with pytest.raises(DeckImportError, match="refer to 1 media file; the limit is 0"):
        read(IMPORTER, fixture("genanki-missing-media.apkg"), "x.apkg")
    assert MAX_MEDIA_FILES == 2_000


@pytest.mark.parametrize(
    ("head", "media_type"),
    [
        (b"\x89PNG\r\n\x1a\n", "image/png"),
        (b"\xff\xd8\xff\xe0", "image/jpeg"),
        (b"GIF89a", "image/gif"),
        (b"RIFF\0\0\0\0WEBPVP8 ", "image/webp"),
        (b"RIFF\0\0\0\0WAVEfmt ", "audio/wav"),
        (b"OggS\0", "audio/ogg"),
        (b"ID3\3", "audio/mpeg"),
        (b"\0\0\0\x20ftypM4A ", "audio/mp4"),
        (b"PK\3\4", None),
        (b"#!/bin/sh\n", None),
        (b"<?xml version='1.0'?><svg", None),
    ],
)
def test_types_are_sniffed_from_the_content(head: bytes, media_type: str | None) -> None:
    assert sniff_media_type(head + bytes(16)) == media_type
