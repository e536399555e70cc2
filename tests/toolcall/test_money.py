"""Money in a request: amounts with their currency, currency codes, and the smallest-unit conversion."""

from __future__ import annotations

import pytest

from gorilla_router.generation.grounding.money import (
    Money,
    currency_code_stated,
    currency_names_as_codes,
    in_minor_units,
    is_minor_unit_amount,
    money_in,
)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("create a payment intent for €49.90 for order #1042", (Money(49.9, "eur"),)),
        ("give the customer $5 back", (Money(5.0, "usd"),)),
        ("it costs 49,90 € here", (Money(49.9, "eur"),)),
        ("send 1,250 euros and 30 pounds", (Money(1250.0, "eur"), Money(30.0, "gbp"))),
        ("charge USD 12.50", (Money(12.5, "usd"),)),
        ("a tip of 50 cents", (Money(50.0, "cents"),)),
        ("order 5 items for table 12", ()),
        ("the flight was 12 hours", ()),
    ],
)
def test_amounts_count_only_next_to_a_currency(query: str, expected: tuple[Money, ...]) -> None:
    assert money_in(query) == expected


@pytest.mark.parametrize(
    ("value", "query", "stated"),
    [
        ("eur", "a payment of €49.90", True),
        ("EUR", "twenty euros", True),
        ("gbp", "ethereum prices in pounds", True),
        ("jpy", "how many yen", True),
        ("usd", "a payment of €49.90", False),
        ("eur", "a payment for order 12", False),
        ("euro", "in euros", False),
    ],
)
def test_a_currency_code_is_stated_by_its_sign_or_name(value: str, query: str, stated: bool) -> None:
    assert currency_code_stated(value, query) is stated


@pytest.mark.parametrize(
    ("value", "query", "expected"),
    [
        (4990, "€49.90", 4990),  # already in cents
        (49.9, "€49.90", 4990),  # major units, converted
        (5, "give the customer $5 back", 500),  # five dollars, not five cents
        (50, "a tip of 50 cents", 50),
        (500, "refund ¥500", 500),  # the yen has no minor unit
        (1999, "refund $5", None),  # not the stated amount in any unit
        (7, "order 7 burgers", None),  # not money
    ],
)
def test_minor_units(value: float, query: str, expected: int | None) -> None:
    assert in_minor_units(value, money_in(query)) == expected


def test_the_description_says_whether_an_amount_is_in_the_smallest_unit() -> None:
    assert is_minor_unit_amount({"description": "Amount in the smallest currency unit (cents for USD)."})
    assert not is_minor_unit_amount({"description": "How many items to order."})
    assert not is_minor_unit_amount({})


LOWER_CODES = {"type": "string", "description": "Comma-separated target currencies, e.g. 'usd,eur'."}
UPPER_CODES = {"type": "string", "description": "Comma-separated target currency codes, e.g. 'USD,GBP'."}
ISO_CODE = {"type": "string", "description": "Base currency, 3-letter ISO 4217 code."}
CODE_OR_NAME = {"type": "string", "description": "Currency code or name, e.g. 'eur', 'dollar'."}
FIELDS = {"type": "string", "description": "Comma-separated fields, e.g. 'name,currencies'."}


@pytest.mark.parametrize(
    ("value", "schema", "expected"),
    [
        ("eur,pound", LOWER_CODES, "eur,gbp"),  # in the case the description shows
        ("yen", UPPER_CODES, "JPY"),
        ("pounds", ISO_CODE, "GBP"),  # ISO codes are upper case
        ("eur,usd", LOWER_CODES, None),  # codes already
        ("dollar", CODE_OR_NAME, None),  # the parameter takes names too
        ("pound", FIELDS, None),  # not a currency parameter
        ("cents", LOWER_CODES, None),  # not a currency
    ],
)
def test_currency_names_become_codes_where_codes_are_taken(
    value: str, schema: dict, expected: str | None
) -> None:
    assert currency_names_as_codes(value, schema) == expected
