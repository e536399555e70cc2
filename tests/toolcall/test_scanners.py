"""Where free JSON values end: pure rules, no model."""

from __future__ import annotations

import pytest

from gorilla_router.generation.toolcall.scanners import (
    JsonValueScanner,
    NumberScanner,
    OpeningScanner,
    StringScanner,
)


def feed_all(scanner, pieces):
    for piece in pieces:
        kept = scanner.feed(piece)
        if kept is not None:
            return kept
    return None


def test_string_ends_at_the_first_unescaped_quote() -> None:
    assert feed_all(StringScanner(), ["Par", "is", '",']) == ""
    scanner = StringScanner()
    assert scanner.feed('say \\"hi') is None
    assert scanner.feed('\\" now"}') == '\\" now'


def test_string_refuses_new_lines() -> None:
    assert not StringScanner().allows("a\nb")
    assert StringScanner().allows("abc")


def test_number_allows_digits_and_ends_at_a_separator() -> None:
    scanner = NumberScanner()
    assert scanner.allows(" 12")
    assert scanner.allows(".5")
    assert scanner.allows(",")
    assert not scanner.allows("12a")
    assert not scanner.allows("five")
    assert scanner.feed(" 12") is None
    assert scanner.feed("}}") == ""


@pytest.mark.parametrize(
    ("pieces", "bound", "expected"),
    [
        ([" -", "0", ".", "1", "2", "3", "4"], 2, " -0.12"),  # ends at the second decimal
        ([" 4", "9", ".", "9", "0", "}}"], 2, " 49.90"),  # reaches the bound: complete there
        ([" 1", ".", "5", "}}"], 2, " 1.5"),  # a terminator first: not kept
        ([" 12", ".3456", "7"], 3, " 12.345"),  # a piece of several digits is cut
        ([" 1", ".", "2", "e", "-", "1", "0", "1", ","], 1, " 1.2"),  # bound reached before the exponent
        ([" 1", "e", "-", "1", "0", "1", ","], 1, " 1e-101"),  # no point, no bound on exponent digits
        ([" -", "0", ".", "1", "2", "3", "4", "}"], None, " -0.1234"),  # None: unbounded
        ([" 1700000000", ","], 2, " 1700000000"),  # integers are never cut
    ],
)
def test_number_ends_at_its_decimal_bound(pieces: list[str], bound: int | None, expected: str) -> None:
    scanner, text = NumberScanner(bound), ""
    for piece in pieces:
        kept = scanner.feed(piece)
        if kept is not None:
            text += kept
            break
        text += piece
    else:
        pytest.fail("the number never ended")
    assert text == expected


def test_json_value_balances_brackets_and_ignores_brackets_in_strings() -> None:
    assert feed_all(JsonValueScanner(), [' ["Mc', "Don", "ald's\"", "]}"]) == "]"
    assert feed_all(JsonValueScanner(), [' {"a": "]"', ", ", '"b": [1, 2]}', ", x"]) == '"b": [1, 2]}'
    assert feed_all(JsonValueScanner(), [" true", ","]) == ""


def test_json_value_opened_by_the_schema_ends_when_that_bracket_closes() -> None:
    scanner = JsonValueScanner("[")
    assert scanner.feed("1, [2") is None
    assert scanner.feed(", 3]") is None
    assert scanner.feed("], ") == "]"
    assert feed_all(JsonValueScanner("{"), ['"a": "}"', "}}"]) == "}"


@pytest.mark.parametrize("piece", [' "', ' "[', ' "/', '"#', ' "\\\\'])
def test_a_string_opens_with_a_quote_token_that_may_carry_its_start(piece: str) -> None:
    assert OpeningScanner('"').allows(piece)


@pytest.mark.parametrize("piece", [" [", "x", '  "', ' ""', ' "a"', ' "\n'])
def test_a_string_never_opens_otherwise_nor_ends_in_its_opening_token(piece: str) -> None:
    assert not OpeningScanner('"').allows(piece)


@pytest.mark.parametrize(
    ("opener", "items", "piece", "allowed"),
    [
        ("[", None, ' ["', True),
        ("[", None, " [", True),
        ("[", None, " []", False),
        ("[", None, ' "', False),
        ("{", None, ' {"', True),
        ("{", None, " {}", False),
        ("[", None, " [[", True),
        ("[", "number", " [[", False),  # an array's opening token must start an item of its type
        ("[", "number", " [1", True),
        ("[", "number", ' ["', False),
        ("[", "string", ' ["', True),
        ("[", "string", " [1", False),
        ("[", "array", " [[", True),
        ("[", ["number", "string"], ' ["', True),
        ("[", ["number", "string"], " [{", False),
        ("[", ["number", "mystery"], " [{", True),  # an unknown type constrains nothing
    ],
)
def test_arrays_and_objects_open_with_their_bracket(
    opener: str, items: str | None, piece: str, allowed: bool
) -> None:
    assert OpeningScanner(opener, items).allows(piece) is allowed


def test_only_quotes_and_brackets_open_a_value() -> None:
    with pytest.raises(ValueError, match="opening"):
        OpeningScanner("(")


def test_the_body_scanner_goes_on_from_what_the_opening_token_holds() -> None:
    assert feed_all(OpeningScanner('"').body(' "[1'), [", 2", ']"}']) == "]"
    assert feed_all(OpeningScanner('"').body(' "\\'), ['"x', '"']) == ""  # the opening's escape carries on
    assert feed_all(OpeningScanner("[").body(' ["'), ['heads", "tails"', "]}"]) == "]"
