"""What the request states that no call uses yet (the evidence for another call)."""

from __future__ import annotations

import pytest

from gorilla_router.generation.toolcall.coverage import joins_parts, uncovered_mentions


def test_numbers_left_over() -> None:
    request = "convert 30 degrees and 90 degrees to radians"
    assert uncovered_mentions(request, [{"x": 30}]) == ["90"]
    assert uncovered_mentions(request, [{"x": 30}, {"x": 90.0}]) == []


def test_numbers_inside_values_count_as_used() -> None:
    assert uncovered_mentions("events on 2025-06-20", [{"start": {"date": "2025-06-20"}}]) == []
    assert uncovered_mentions("sum 1,250 and 3.5", [{"seq": [1250, 3.5]}]) == []
    assert uncovered_mentions("refund pi_3 of 12.50", [{"id": "pi_3", "amount": "12.5"}]) == []


def test_quoted_text_left_over() -> None:
    request = "unescape 'a &lt; b' and escape '<b>bold</b>' for html"
    assert uncovered_mentions(request, [{"s": "a &lt; b"}]) == ["<b>bold</b>"]
    assert uncovered_mentions(request, [{"s": "a &lt; b"}, {"s": "<b>bold</b>"}]) == []


def test_numbers_inside_quotes_go_with_their_quote() -> None:
    request = "extract every number from 'order 12 items at 3.50 each'"
    assert uncovered_mentions(request, [{"string": "order 12 items at 3.50 each"}]) == []


def test_apostrophes_are_not_quotes() -> None:
    assert uncovered_mentions("I don't want order ord_91b2 anymore, it's late", [{"id": "ord_91b2"}]) == []


def test_a_leftover_of_a_kind_no_call_uses_is_no_evidence() -> None:
    assert uncovered_mentions("was 2000-02-29 a weekend", [{"day": "29"}]) == []
    assert uncovered_mentions("fuzzy match 'Berln' against Berlin, Bern", [{"name": "Berlin"}]) == []
    assert uncovered_mentions("issue #7 of octocat/hello-world: thanks", [{"owner": "octocat"}]) == []


def test_dates_are_one_mention() -> None:
    request = "flights on 2025-06-20 and on 2025-07-01"
    assert uncovered_mentions(request, [{"date": "2025-06-20"}]) == ["2025-07-01"]
    assert uncovered_mentions(request, [{"date": "2025-06-20"}, {"date": "2025-07-01"}]) == []


@pytest.mark.parametrize(
    ("request_text", "joined"),
    [
        ("weather in Paris and in Rome", True),
        ("order a pizza, then track it", True),
        ("both the yen and the rupee", True),
        ("log 8 & log 16", True),
        ("give me a new random unique id", False),
        ("list US federal holidays for 2024", False),
        ("what does the brand Andersen sell", False),  # "and" inside a word is not a join
        ("extract every number from 'order 12 items at 3.50 each, total 42'", False),  # one quoted value
        ('escape "it\'s; rm -rf" for the shell', False),
        ("what parameters are in utm_source=news&utm_medium=email", False),
        ("what does caf&eacute; say", False),
        ("hash 'abc' and 'def'", True),  # joined between the quotes
        ("fish & chips", True),
        ("   ", True),
    ],
)
def test_joins_parts_reads_the_words_that_join_several_requests(request_text: str, joined: bool) -> None:
    assert joins_parts(request_text) is joined
