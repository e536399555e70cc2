"""What the query supplies: numbers (digits, words, percentages) and candidate spans."""

from __future__ import annotations

from gorilla_router.generation.constrained.evidence import mentions_any, names_in_query, number_affinity
from gorilla_router.generation.constrained.strings import place_suffix
from gorilla_router.generation.constrained.values import query_numbers, query_spans
from gorilla_router.specs import ApiSpec


def values(query: str) -> list[float]:
    return [n.value for n in query_numbers(query)]


def test_digits_with_thousands_separators_and_scales():
    assert values("net income of $1,000,000 and 2.5 million users") == [1_000_000, 2_500_000]


def test_spelled_out_numbers_become_digits():
    assert values("six pack of chips and eight pack of chocolate") == [6, 8]
    assert values("two hundred thousand dollars for twenty five years") == [200_000, 25]


def test_percentages_are_marked():
    rate = [n for n in query_numbers("an interest rate of 5% for 3 years") if n.percent]
    assert [(n.value, n.text) for n in rate] == [(5.0, "5%")]


def test_lone_article_is_not_the_number_one():
    assert values("find a coffee shop") == []


def test_spans_keep_inner_punctuation_and_quoted_text():
    spans = query_spans("Translate 'Hello, world!' into Spanish.")
    assert "Hello, world!" in spans
    assert "Spanish" in spans
    assert "Translate 'Hello" not in spans


def test_spans_never_start_or_end_with_function_words():
    spans = query_spans("Find a coffee shop near me with free Wi-Fi in San Francisco.")
    assert {"San Francisco", "Wi-Fi", "coffee shop"} <= set(spans)
    assert not [s for s in spans if s.split()[0].lower() in {"a", "in", "with", "near"}]
    assert "USD and EUR" not in query_spans("exchange rate between USD and EUR")


def test_place_suffix_keeps_the_qualifier_the_user_gave():
    assert place_suffix("weather for Paris, France for 5 days", "Paris") == ", France"
    assert place_suffix("weather for Paris, then London", "Paris") == ""
    assert place_suffix("book it in San Diego, California.", "San Diego") == ", California"


def test_number_affinity_uses_the_words_beside_each_number():
    query = "present value of a future cash flow of $5000 over a time period of 5 years"
    cash, years = query_numbers(query)
    assert number_affinity(query, cash, "future_cash_flow", "") > number_affinity(
        query, years, "future_cash_flow", ""
    )
    assert number_affinity(query, years, "time_period", "") > number_affinity(query, cash, "time_period", "")


def test_optional_names_spelled_out_in_the_query():
    query = "a hardware store in San Jose that's open on Sundays"
    assert names_in_query(query, ["open_on_sundays", "has_parking"]) == ["open_on_sundays"]


def test_mentions_any_compares_content_words():
    spec = ApiSpec(
        id="math.sqrt",
        name="sqrt",
        description="Square root of a number",
        kind="python",
        callable="math:sqrt",
    )
    assert mentions_any("what is the square root of 9", [spec])
    assert not mentions_any("tell me a joke", [spec])
