"""CSV/TSV import: what a spreadsheet export becomes, and how bad files are refused by row."""

from __future__ import annotations

import pytest

from core.decks.csv_import import parse_csv_deck
from core.decks.model import Card, Deck, ImportResult, card_key_for, make_card_id
from core.errors import DeckImportError, QuizbotError

NOT_UTF8 = "cards.csv: the file is not UTF-8 text; save it as CSV UTF-8 and try again"


def _import(data: bytes, max_bytes: int | None = None) -> ImportResult:
    if max_bytes is None:
        return parse_csv_deck(data, deck_id="demo", deck_name="Demo", source="cards.csv")
    return parse_csv_deck(
        data, deck_id="demo", deck_name="Demo", source="cards.csv", max_bytes=max_bytes
    )


def _error(data: bytes, max_bytes: int | None = None) -> str:
    with pytest.raises(DeckImportError) as caught:
        _import(data, max_bytes)
    return str(caught.value)


def _card(question: str, answer: str, tags: tuple[str, ...] = ()) -> Card:
    return Card(make_card_id("demo", card_key_for(question)), question, answer, tags=tags)


def _qa(result: ImportResult) -> list[tuple[str, str]]:
    return [(card.question, card.answer) for card in result.deck.cards]


TWO_CARDS = [("What is 2+2?", "4"), ("Capital of France?", "Paris")]


# --- good files ----------------------------------------------------------------------------------


def test_comma_file_with_header() -> None:
    result = _import(b"question,answer\nWhat is 2+2?,4\nCapital of France?,Paris\n")

    assert result == ImportResult(
        Deck("demo", "Demo", (_card("What is 2+2?", "4"), _card("Capital of France?", "Paris"))),
        (),
    )


def test_comma_file_without_header() -> None:
    assert _qa(_import(b"What is 2+2?,4\nCapital of France?,Paris\n")) == TWO_CARDS


@pytest.mark.parametrize(
    "header",
    [b"Question,Answer", b"FRONT,back", b"term,definition", b"question,answer,tags", b" q,a "],
)
def test_header_names(header: bytes) -> None:
    result = _import(header + b"\nWhat is 2+2?,4\nCapital of France?,Paris\n")

    expected = TWO_CARDS if header != b" q,a " else [("q", "a"), *TWO_CARDS]
    assert _qa(result) == expected


def test_tab_separated_keeps_commas_and_splits_tags() -> None:
    data = "question\tanswer\ttags\nWhat is a, b?\ta pair\tmath, basics  pairs,math\n"

    result = _import(data.encode())

    assert result.deck.cards == (_card("What is a, b?", "a pair", ("math", "basics", "pairs")),)


def test_semicolon_separated() -> None:
    data = "Frage?;Antwort\nWhat is a, b?;a pair\nWas ist 1,5 + 1?;2,5\n"

    assert _qa(_import(data.encode())) == [
        ("Frage?", "Antwort"),
        ("What is a, b?", "a pair"),
        ("Was ist 1,5 + 1?", "2,5"),
    ]


def test_later_rows_settle_the_delimiter() -> None:
    data = b"What is x, y?;a pair\nWhat is z?;a letter\n"

    assert _qa(_import(data)) == [("What is x, y?", "a pair"), ("What is z?", "a letter")]


def test_comma_wins_a_tie_with_semicolon() -> None:
    assert _qa(_import(b"What is x; y?,answer\n")) == [("What is x; y?", "answer")]


def test_a_header_with_columns_quizbot_has_no_use_for_ignores_them_and_says_so() -> None:
    result = _import(b"Question,Answer,Category,Notes\nq,a,Biology,a note\n")

    assert result.deck.cards == (Card(make_card_id("demo", card_key_for("q")), "q", "a", "a note"),)
    assert any("“Category”" in warning for warning in result.warnings)


def test_a_first_row_that_does_not_start_with_known_names_is_a_card() -> None:
    result = _import(b"hola,hello,greetings\nq,a\n")

    assert _qa(result) == [("hola", "hello"), ("q", "a")]


def test_utf8_bom_and_crlf() -> None:
    data = "\ufeffquestion,answer\r\nCafé?,Crème\r\n".encode()

    assert _qa(_import(data)) == [("Café?", "Crème")]


def test_quoted_fields_with_newlines_commas_and_quotes() -> None:
    data = (
        b"question,answer,tags\n"
        b'"What does this print?\n'
        b'print(1, 2)","1 2",python\n'
        b'"Say ""hi"", please",hi\n'
        b'"  indented first line  ","  a  \n  b  ",\n'
    )

    assert _import(data).deck.cards == (
        _card("What does this print?\nprint(1, 2)", "1 2", ("python",)),
        _card('Say "hi", please', "hi"),
        _card("indented first line", "a\n  b"),
    )


def test_blank_lines_and_empty_trailing_cells_are_skipped() -> None:
    data = b"\nWhat is 2+2?,4,,\n\n , ,\n\nCapital of France?,Paris,\n\n"

    assert _qa(_import(data)) == TWO_CARDS


def test_repeated_questions_keep_the_first_and_warn() -> None:
    data = b"question,answer\nWhat is 2+2?,4\nCapital of France?,Paris\n what IS  2+2? ,four\n"

    result = _import(data)

    assert _qa(result) == TWO_CARDS
    assert result.warnings == ("cards.csv row 4: same question as row 2; skipped",)


def test_many_repeats_are_summed_up() -> None:
    data = b"q,a\n" + b"q,again\n" * 13

    result = _import(data)

    assert _qa(result) == [("q", "a")]
    assert result.warnings == (
        *(f"cards.csv row {row}: same question as row 1; skipped" for row in range(2, 12)),
        "cards.csv: 3 more repeated questions skipped",
    )


def test_ids_are_stable_across_imports_and_row_order() -> None:
    rows = [f"Question {n}?,Answer {n}\n".encode() for n in range(50)]

    first = _import(b"".join(rows)).deck
    again = _import(b"".join(rows)).deck
    reordered = _import(b"question,answer\n" + b"".join(reversed(rows))).deck

    assert first == again
    assert {card.question: card.id for card in reordered.cards} == {
        card.question: card.id for card in first.cards
    }
    assert first.cards[7].id == make_card_id("demo", card_key_for("Question 7?"))


def test_caps_allow_exactly_the_limit() -> None:
    assert _import(b"q," + b"x" * 10_000 + b"\n").deck.cards[0].answer == "x" * 10_000
    many = b"".join(f"q{n},a\n".encode() for n in range(20_000))
    assert len(_import(many).deck.cards) == 20_000


# --- bad files -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data", [b"", b"\n\n  \n", b"\xef\xbb\xbf", b"question,answer\n", b"Front;Back"]
)
def test_no_cards(data: bytes) -> None:
    assert _error(data) == "cards.csv: the file has no cards"


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)) * 100,
        "question,answer\nCafé,Crème\n".encode("latin-1"),
        "question,answer\n".encode("utf-16"),
        b"question,answer\nq,a\x00\n",
        b"q,a\x01\x02\x03\n",
    ],
)
def test_not_utf8_text(data: bytes) -> None:
    assert _error(data) == NOT_UTF8


def test_size_is_checked_before_anything_else() -> None:
    # Invalid UTF-8 throughout: only the size check can produce this message.
    assert _error(b"\xff" * (10 * 1024 * 1024)) == (
        "cards.csv: the file is 10.0 MB; the limit is 5 MB"
    )
    assert _error(b"q,a\n" * 384, max_bytes=1024) == (
        "cards.csv: the file is 1.5 KB; the limit is 1 KB"
    )
    assert _error(b"q,a\n" * 25, max_bytes=99) == (
        "cards.csv: the file is 100 bytes; the limit is 99 bytes"
    )


def test_wrong_column_count_names_the_row() -> None:
    data = b"question,answer\nq1,a1\nq2,a2,tags,extra,more\nq3,a3\n"

    assert _error(data) == "cards.csv row 3: expected 2 or 3 columns, found 5"
    assert _error(b"q1,a1\njust one column\n") == (
        "cards.csv row 2: expected 2 or 3 columns, found 1"
    )


def test_missing_answer_or_question_names_the_row() -> None:
    data = b"question,answer\nq1,a1\n\nq2,a2\n\n\nq3,   \nq4,a4\n"

    assert _error(data) == "cards.csv row 7: no answer"
    assert _error(b"q1,a1\n,a2\n") == "cards.csv row 2: no question"


def test_rows_count_lines_of_multiline_records() -> None:
    data = b'question,answer\n"multi\nline\nquestion",answer\nno answer here\n'

    assert _error(data) == "cards.csv row 5: expected 2 or 3 columns, found 1"


def test_overlong_fields_name_the_row() -> None:
    assert _error(b"q,a\nq2," + b"x" * 10_001 + b"\n") == (
        "cards.csv row 2: a field has 10,001 characters; the limit is 10,000"
    )
    # Past the csv module's own field limit the reader fails; the message stays the same kind.
    assert _error(b'q,a\nq2,"' + b"x" * 200_000 + b'"\n') == (
        "cards.csv row 2: a field is longer than 10,000 characters"
    )


def test_broken_quotes_name_the_row() -> None:
    message = 'a quoted field is not closed properly (write a quote inside one as "")'

    assert _error(b'q,a\nq2,"a"b\n') == f"cards.csv row 2: {message}"
    assert _error(b'q,a\nq2,a2\n"q3,a3\nq4,a4\n') == f"cards.csv row 3: {message}"


def test_too_many_cards() -> None:
    data = b"".join(f"q{n},a\n".encode() for n in range(20_001))

    assert _error(data) == "cards.csv: the file has more than 20,000 cards"


def test_errors_are_user_safe_quizbot_errors_and_bad_arguments_are_bugs() -> None:
    assert issubclass(DeckImportError, QuizbotError)
    with pytest.raises(ValueError):
        parse_csv_deck(b"q,a\n", deck_id="Not A Slug", deck_name="Demo", source="x.csv")
    with pytest.raises(ValueError):
        parse_csv_deck(b"q,a\n", deck_id="demo", deck_name="  ", source="x.csv")
