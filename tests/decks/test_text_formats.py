"""Text deck formats through the one importer: what each becomes, and how bad files are refused."""

from __future__ import annotations

import codecs

import pytest

from core.decks.formats.base import key_for_guid
from core.decks.importer import DeckImporter
from core.decks.model import card_key_for, make_card_id
from core.errors import DeckImportError
from tests.decks.samples import fixture, questions_and_answers, read

IMPORTER = DeckImporter()
SPANISH = [("hola", "hello"), ("adios", "goodbye")]


def _error(data: bytes, file_name: str = "cards.txt") -> str:
    with pytest.raises(DeckImportError) as caught:
        read(IMPORTER, data, file_name)
    return str(caught.value)


# --- Anki plain text --------------------------------------------------------------------------


def test_anki_notes_in_plain_text_follow_note_types_and_guids() -> None:
    result = read(IMPORTER, fixture("anki-notes.txt"))
    cloze = "Glorot initialisation keeps variance steady"
    assert questions_and_answers(result) == [
        ("What is MNIST?", "A dataset of handwritten digits"),
        ("Capital of France?", "Paris\non the Seine"),
        ("hola", "hello & welcome"),
        ("hello & welcome", "hola"),
        ("[...] initialisation keeps variance steady", cloze),
        ("Glorot initialisation keeps [a statistic] steady", cloze),
        ("Which picture?[image: cat.png]", "[sound: meow.mp3] a cat"),
    ]
    ids = [card.id for card in result.deck.cards]
    assert ids == [
        "demo:fixture-guid-0",
        "demo:fixture-guid-1",
        "demo:fixture-guid-2",
        "demo:fixture-guid-2.2",
        "demo:fixture-guid-3",
        "demo:fixture-guid-3.2",
        "demo:fixture-guid-4",
    ]
    assert result.deck.cards[0].tags == ("basic", "fixture")
    assert result.warnings == (
        "Demo: this file carries no images or sounds; cards name them "
        "([image: …], [sound: …]) or show [image] / [sound]",
    )


def test_anki_cards_in_plain_text_are_question_and_answer() -> None:
    result = read(IMPORTER, fixture("anki-cards.txt"))
    assert questions_and_answers(result)[:4] == [
        ("What is MNIST?", "A dataset of handwritten digits"),
        ("Capital of France?", "Paris on the Seine"),
        ("hola", "hello & welcome"),
        ("hello & welcome", "hola"),
    ]
    assert len(result.deck.cards) == 7


def test_anki_text_headers_for_columns_separator_and_fixed_tags() -> None:
    data = (
        b"#separator:Semicolon\n#html:false\n#tags:spanish\n#tags column:3\n#guid column:4\n"
        b"hola;hello <b>;greeting;AbC$1\nadios;goodbye;;\n"
    )
    result = read(IMPORTER, data)
    assert questions_and_answers(result) == [("hola", "hello <b>"), ("adios", "goodbye")]
    first, second = result.deck.cards
    assert first.id == make_card_id("demo", key_for_guid("AbC$1"))
    assert first.id != make_card_id("demo", "abc-1") and first.tags == ("spanish", "greeting")
    assert second.id == make_card_id("demo", card_key_for("adios"))


def test_guids_that_are_slugs_are_kept_and_others_hashed() -> None:
    assert key_for_guid("fixture-guid-0") == "fixture-guid-0"
    assert key_for_guid("fixture-guid-0", 2) == "fixture-guid-0.2"
    hashed = key_for_guid("Ab$c")
    assert hashed.startswith("g-") and len(hashed) == 18 and hashed == key_for_guid(" Ab$c ")
    assert hashed != key_for_guid("ab$c")
    assert key_for_guid("x" * 56) == "x" * 56 and len(key_for_guid("x" * 57)) == 18


@pytest.mark.parametrize(
    ("columns", "row"),
    [
        ("Back\tFront", "hello\thola"),
        ("Tags\tFront\tBack", "greeting spanish\thola\thello"),
        ("Answer\tQuestion\tTags", "hello\thola\tgreeting spanish"),
        ("Source\tBack\ttags", "hola\thello\tgreeting spanish"),  # unknown: by position
        ("front\tBACK\tNote\tTags", "hola\thello\tinformal\tgreeting spanish"),
    ],
)
def test_anki_text_columns_header_maps_fields_by_name(columns: str, row: str) -> None:
    """`#columns:` was accepted but not used: `Back<tab>Front` swapped question and answer."""
    data = f"#separator:tab\n#html:false\n#columns:{columns}\n{row}\n".encode()
    result = read(IMPORTER, data)
    assert questions_and_answers(result) == [("hola", "hello")]
    if "ags" in columns:
        assert result.deck.cards[0].tags == ("greeting", "spanish")
    if "Note" in columns:
        assert result.deck.cards[0].note == "informal"


def test_anki_text_reads_as_anki_does_headers_comments_and_a_tags_column() -> None:
    """Header keys in any case, `#` rows as comments, and a Basic note's third column as its
    tags (Anki's default mapping): each was read as a card or dropped before."""
    data = (
        b"#Separator:Semicolon\n#HTML:false\n# made by hand\n"
        b"hola;hello;greeting spanish\n# chapter 2\nadios;goodbye\n"
    )
    result = read(IMPORTER, data)
    assert questions_and_answers(result) == [("hola", "hello"), ("adios", "goodbye")]
    assert [card.tags for card in result.deck.cards] == [("greeting", "spanish"), ()]
    custom = b"#separator:tab\n#notetype:Vocab\nhola\thello\tinformal\n"
    assert read(IMPORTER, custom).deck.cards[0].tags == ()  # fields unknown: no guess
    broken = b'#separator:tab\n# a comment\nq\ta\n# another\n"x\ty\n'
    assert _error(broken) == (
        'Demo line 5: a quoted field is not closed properly (write a quote inside one as "")'
    )


def test_anki_text_with_several_decks_tags_cards_and_says_so() -> None:
    data = (
        b"#separator:tab\n#html:false\n#deck column:1\n"
        b"Spanish\thola\thello\nSpanish::Verbs\tcomer\tto eat\nSpanish\tadios\tbye\n"
    )
    result = read(IMPORTER, data)
    assert [card.tags for card in result.deck.cards] == [
        ("spanish",),
        ("spanish-verbs",),
        ("spanish",),
    ]
    assert result.warnings == (
        "Demo: the file holds 2 Anki decks, merged into this deck: Spanish (2), "
        "Spanish::Verbs (1); each card is tagged with its Anki deck (e.g. spanish); "
        "export a single deck from Anki to import it alone",
    )
    one_deck = read(IMPORTER, fixture("anki-notes.txt"))
    assert one_deck.deck.cards[0].tags == ("basic", "fixture")


def test_anki_text_bad_column_header_names_the_line() -> None:
    assert _error(b"#separator:tab\n#guid column:first\nq\ta\n") == (
        "Demo line 1: “#guid column:first” should name a column number"
    )


# --- Quizlet, site text, Markdown, JSON -------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"hola\thello\nadios\tgoodbye\n",
        b"hola\thello;adios\tgoodbye;",
        b"hola,hello;adios,goodbye",
        b"hola - hello\r\nadios - goodbye\r\n",
        b'hola\t"hello"\nadios\tgoodbye',
        b"hola | hello\nadios | goodbye",
        b"hola::hello|adios::goodbye|",
        b"hola \xe2\x86\x92 hello\n\nadios \xe2\x86\x92 goodbye\n",
        b"hola\thello;" * 1 + b"adios\tgoodbye;" + b"x" * 5000 + b"\ty;",
    ],
)
def test_quizlet_exports_with_their_separators(data: bytes) -> None:
    qa = questions_and_answers(read(IMPORTER, data, "Quizlet.txt"))
    assert [q for q, _ in qa][:2] == ["hola", "adios"]
    assert [a.strip('"') for _, a in qa][:2] == ["hello", "goodbye"]


def test_quizlet_multi_line_definitions_between_blank_lines() -> None:
    data = b"hola - hello\nhi\n\nadios - goodbye\n"
    assert questions_and_answers(read(IMPORTER, data, "q.txt")) == [
        ("hola", "hello\nhi"),
        ("adios", "goodbye"),
    ]


def test_flashcard_site_text_drops_numbers_markers_and_rating_widget() -> None:
    result = read(IMPORTER, fixture("site-export.txt"))
    assert len(result.deck.cards) == 12
    first = result.deck.cards[0]
    assert (first.question, first.answer) == (
        "What is MNIST an abbreviation of?",
        "Modified National Institute of Standards and Technology database",
    )
    for card in result.deck.cards:
        assert "How well did you know this?" not in card.answer
        assert "Perfectly" not in card.answer and not card.answer.endswith("\n1")
    assert result.deck.cards[2].answer.startswith("A weight initialization method")
    assert "fan-out = number of neurons in the current layer" in result.deck.cards[2].answer


def test_flashcard_site_text_says_when_cards_went_missing() -> None:
    """A card whose "Q" line was lost in copying vanished into the card before, silently."""
    seed = fixture("site-export.txt").decode()
    assert read(IMPORTER, seed.encode()).warnings == ()
    lost_q = seed.replace("\n2\nQ\n", "\n2\n", 1).encode()
    result = read(IMPORTER, lost_q)
    assert len(result.deck.cards) == 11
    assert result.warnings == (
        "Demo: the page says 12 cards but 11 were found; a card without its “Q” line is "
        "missing or part of the card before it",
    )


def test_markdown_headings_with_sections_as_tags() -> None:
    data = b"# Spanish\n\n## Greetings\n\n### hola\nhello\n\n### adios\ngoodbye\n"
    result = read(IMPORTER, data, "spanish.md")
    assert questions_and_answers(result) == SPANISH
    assert result.deck.cards[0].tags == ("greetings",)


def test_markdown_question_and_answer_lines() -> None:
    data = b"# Spanish\n\nQ: hola\nA: hello\n\n**Q:** adios\n**A:** goodbye\nsee you\n"
    result = read(IMPORTER, data, "notes.txt")
    assert questions_and_answers(result) == [("hola", "hello"), ("adios", "goodbye\nsee you")]


def test_markdown_missing_answer_names_the_line() -> None:
    assert _error(b"## hola\nhello\n\n## adios\n\n", "s.md") == "Demo line 4: no answer"


@pytest.mark.parametrize(
    "data",
    [
        b'[{"question": "hola", "answer": "hello", "tags": ["es"]}, {"front": "adios", '
        b'"back": "goodbye"}]',
        b'{"name": "x", "cards": [{"term": "hola", "definition": "hello", "tags": "es"},'
        b' {"question": "adios", "answer": "goodbye"}]}',
    ],
)
def test_json_lists_of_cards(data: bytes) -> None:
    result = read(IMPORTER, data, "deck.json")
    assert questions_and_answers(result) == SPANISH
    assert result.deck.cards[0].tags == ("es",)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'[{"question": "hola"}]', "Demo card 1: no answer"),
        (b'[{"question": "hola", "answer": ["x"]}]', "Demo card 1: answer must be text"),
        (b'{"cards": 3}', 'Demo: expected a list of cards or an object with "cards"'),
        (b'[{"question": "q", "answer": "a",', "Demo line 1: invalid JSON: Expecting "),
    ],
)
def test_bad_json_names_the_card(data: bytes, message: str) -> None:
    assert _error(data, "deck.json").startswith(message)


def test_a_bundled_toml_deck_imports_with_its_card_keys() -> None:
    data = b'id = "x"\nname = "X"\n[[cards]]\nid = "k1"\nquestion = "hola"\nanswer = "hello"\n'
    assert [card.id for card in read(IMPORTER, data, "x.toml").deck.cards] == ["demo:k1"]


def test_csv_header_may_carry_ids_and_notes() -> None:
    data = b"question,answer,tags,id,note\nhola,hello,es,k1,informal\nadios,goodbye\n"
    cards = read(IMPORTER, data, "x.csv").deck.cards
    assert [(c.id, c.note, c.tags) for c in cards] == [
        ("demo:k1", "informal", ("es",)),
        (make_card_id("demo", card_key_for("adios")), "", ()),
    ]


# --- decoding and garbage ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"hola,hello\nadios,goodbye\n",
        codecs.BOM_UTF8 + b"hola,hello\nadios,goodbye\n",
        "hola,hello\nadios,goodbye\n".encode("utf-16"),
        codecs.BOM_UTF16_BE + "hola,hello\nadios,goodbye\n".encode("utf-16-be"),
    ],
)
def test_utf8_and_utf16_with_bom(data: bytes) -> None:
    assert questions_and_answers(read(IMPORTER, data, "x.csv")) == SPANISH


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Demo: the file is empty; it has no cards"),
        (b"\xff\xfe\xfd garbage", "Demo: the file is not UTF-8 text (nor UTF-16 with a byte"),
        ("hola,hello".encode("latin-1") + b"\xe9", "Demo: the file is not UTF-8 text"),
        (b"q,a\x00\x01\x02", "Demo: the file holds binary data, not text"),
        (b"PK\x03\x04rest", "Demo: a zip archive is not a deck file I can read"),
        (b" \n\n", "Demo: the file has no cards"),
    ],
)
def test_unreadable_files_get_a_clear_error(data: bytes, message: str) -> None:
    assert _error(data).startswith(message)


def test_repeated_questions_across_formats_are_merged_with_a_warning() -> None:
    result = read(IMPORTER, b"hola\thello\nHola \thi\n", "x.txt")
    assert questions_and_answers(result) == [("hola", "hello")]
    assert result.warnings == ("Demo line 2: same question as line 1; skipped",)


def test_a_file_name_hint_breaks_ties_only() -> None:
    data = b"hola\thello\nadios\tgoodbye\n"
    # Both CSV and Quizlet read this; the name decides, and both give the same cards.
    assert read(IMPORTER, data, "a.tsv") == read(IMPORTER, data, "a.txt")
    # A JSON body wins over a misleading name.
    json = b'[{"question": "hola", "answer": "hello"}]'
    assert questions_and_answers(read(IMPORTER, json, "a.csv")) == [("hola", "hello")]


@pytest.mark.parametrize(
    ("name", "count", "first"),
    [
        ("spreadsheet.csv", 3, ("What is MNIST?", "A dataset of handwritten digits")),
        ("quizlet-default.txt", 3, ("perro", "dog")),
        ("quizlet-custom.txt", 3, ("perro", "dog")),
        (
            "notes.md",
            3,
            (
                "What is MNIST an abbreviation of?",
                "Modified National Institute of Standards and Technology database",
            ),
        ),
        (
            "qa-notes.md",
            2,
            (
                "What is MNIST an abbreviation of?",
                "Modified National Institute of Standards and Technology database",
            ),
        ),
        ("deck.json", 3, ("perro", "dog")),
        ("bundled.toml", 2, ("perro", "dog")),
        ("utf16.csv", 2, ("perro", "dog")),
        (
            "site-export.txt",
            12,
            (
                "What is MNIST an abbreviation of?",
                "Modified National Institute of Standards and Technology database",
            ),
        ),
        ("anki-notes.txt", 7, ("What is MNIST?", "A dataset of handwritten digits")),
        ("anki-cards.txt", 7, ("What is MNIST?", "A dataset of handwritten digits")),
    ],
)
def test_every_text_fixture_imports(name: str, count: int, first: tuple[str, str]) -> None:
    result = read(IMPORTER, fixture(name), name)
    assert len(result.deck.cards) == count
    assert questions_and_answers(result)[0] == first


def test_fixture_details() -> None:
    csv_cards = read(IMPORTER, fixture("spreadsheet.csv"), "s.csv").deck.cards
    assert csv_cards[1].question == 'What does "None" mean in (None, 784)?'
    assert csv_cards[1].answer == "The batch size,\nleft open until run time"
    assert csv_cards[1].tags == ("keras", "shapes")
    md = read(IMPORTER, fixture("notes.md"), "n.md").deck.cards
    assert [card.tags for card in md] == [("datasets",), ("datasets",), ("training",)]
    json_cards = read(IMPORTER, fixture("deck.json"), "d.json").deck.cards
    assert json_cards[1].tags == ("animals", "pets")
    assert (json_cards[2].id, json_cards[2].note) == ("demo:bird", "also: ave")
    toml_cards = read(IMPORTER, fixture("bundled.toml"), "b.toml").deck.cards
    assert toml_cards[0].id == "demo:perro" and toml_cards[1].answer == "cat\n(also: felino)"


def test_a_card_without_its_separator_is_named() -> None:
    data = b"hola - hello\nadios - bye\n\nperro - dog\npez - fish\ngato\n"
    assert _error(data, "words.txt") == "Demo line 6: no answer"
    assert _error(b"a\tb;c\td;e\tf;g\th;i;", "q.txt") == "Demo card 5: no answer"
    blocks = b"hola - hello\nhi\n\n\n\nadios - bye\n\nperro - dog\n\npez - fish\n\ngato\n"
    assert _error(blocks, "q.txt") == "Demo line 12: no answer"


def test_text_that_fits_no_format_gets_the_csv_reader_s_row_message() -> None:
    assert _error(b"hola,hello\nadios,bye\nperro,dog\ngato\nfoo\n", "w.txt") == (
        "Demo row 4: expected 2 or 3 columns, found 1"
    )


def test_a_csv_header_outweighs_what_its_fields_look_like() -> None:
    # A quoted field with a Markdown heading, and a TSV with a header row: still spreadsheets.
    markdownish = b'question,answer\n"**bold?**\n# heading?",ok\n'
    assert questions_and_answers(read(IMPORTER, markdownish, "")) == [
        ("**bold?**\n# heading?", "ok")
    ]
    tsv = b"question\tanswer\nHund?\tdog\n"
    assert questions_and_answers(read(IMPORTER, tsv, "export.tsv")) == [("Hund?", "dog")]


@pytest.mark.parametrize(
    ("data", "file_name", "message"),
    [
        (b'[{"question": 1' + b"0" * 5000 + b', "answer": "x"}]', "d.json", "invalid JSON"),
        (
            b'id = "x"\nname = "X"\n[[cards]]\nid = "k"\nquestion = 1' + b"0" * 5000 + b"\n",
            "d.toml",
            "invalid TOML",
        ),
        (b"[[cards]]\nquestion = " + b"[" * 100_000, "d.toml", "invalid TOML"),
    ],
)
def test_numbers_too_long_and_nesting_too_deep_are_import_errors(
    data: bytes, file_name: str, message: str
) -> None:
    """Python refuses integers of over 4,300 digits with a ValueError, which escaped."""
    assert _error(data, file_name).startswith(f"Demo: {message}")


def test_json_nan_and_infinity_are_not_cards() -> None:
    """Python's json reads NaN and Infinity: a card "nan" → "inf" was imported."""
    data = b'[{"question": NaN, "answer": Infinity}]'
    assert _error(data, "d.json") == "Demo: invalid JSON: NaN is not a JSON value"


def test_a_card_keyed_by_its_question_keeps_its_id_now_that_markers_name_files() -> None:
    # Before media was kept, `<img src="cat.png">` read as `[image]`, and the id hashed that: a
    # re-import of the same file must give the same id, or the learner's progress is lost.
    data = b'#separator:tab\n#html:true\nWhich animal? <img src="cat.png"> [sound:meow.mp3]\tcat\n'
    (card,) = read(IMPORTER, data).deck.cards
    assert card.question == "Which animal? [image: cat.png] [sound: meow.mp3]"
    assert card.id == make_card_id("demo", card_key_for("Which animal? [image] [sound]"))


def test_questions_that_differ_only_by_their_picture_are_two_cards() -> None:
    # The id ignores a marker's file name (above), but "same question" must not: an anatomy deck
    # asks "Which structure is this?" over a different picture on every card.
    data = (
        b"#separator:tab\n#html:true\n#guid column:3\n"
        b'Which structure is this? <img src="a.png">\tAorta\tg-aorta\n'
        b'Which structure is this? <img src="b.png">\tBicuspid valve\tg-bicuspid\n'
    )
    result = read(IMPORTER, data)
    assert [c.answer for c in result.deck.cards] == ["Aorta", "Bicuspid valve"]
