"""Grounding: stated values kept, conversions recorded, invented optional values dropped, missing asked."""

from __future__ import annotations

import pytest

from gorilla_router.generation.grounding import Grounding, ground_call
from gorilla_router.generation.grounding.evidence import RequestEvidence
from gorilla_router.generation.grounding.values import ground_value, invents_digits
from gorilla_router.specs import ApiCall
from gorilla_router.zoo import ApiZoo

ZOO = ApiZoo.bundled()


def ground(query: str, api_id: str, **arguments):
    return ground_call(query, ApiCall(api_id=api_id, arguments=arguments), ZOO.get(api_id))


@pytest.mark.parametrize(
    ("query", "value", "expected"),
    [
        ("weather in Paris", "Paris", Grounding.STATED),
        ("weather in paris", "PARIS", Grounding.STATED),
        ("I'd like three tacos", "taco", Grounding.STATED),
        ("what is a large language model", "Large_language_model", Grounding.STATED),
        ("holidays in Japan", "JP", Grounding.CONVERTED),
        ("convert 100 US dollars", "usd", Grounding.CONVERTED),
        ("next hours of weather in Madrid", "Madrid,ES", Grounding.CONVERTED),
        ("rates in Japanese yen", "JPY", Grounding.CONVERTED),
        ("flights to Great Britain", "GB", Grounding.CONVERTED),
        ("show the HN profile of dang", "pg", Grounding.INVENTED),  # p…g spread over three words
        ("show the HN profile of dang", "pd", Grounding.INVENTED),  # no word may be skipped
        ("refund the payment in full", "duplicate", Grounding.INVENTED),
        ("refund the payment in full", "pi_123", Grounding.INVENTED),
        # symbols only: stated as written, converted where each is named in words
        ("truncate it to 30 chars with an ellipsis", "...", Grounding.CONVERTED),
        ("indent each line by four spaces", "    ", Grounding.CONVERTED),
        ("split the line on tabs", "\t", Grounding.CONVERTED),
        ("join the names with a comma and a space", ", ", Grounding.CONVERTED),
        ('split "a;b" on ";"', ";", Grounding.STATED),
        ("truncate it to 30 chars", "...", Grounding.INVENTED),
        ("split the words", " ", Grounding.INVENTED),  # white space is everywhere: it must be named
        # a comma-separated list of codes: each item on its own
        ("euro rates against the dollar, pound and swiss franc", "USD,GBP,CHF", Grounding.CONVERTED),
        ("euro rates against the dollar and the pound", "USD,JPY", Grounding.INVENTED),
        ("the capital and population of Germany", "name,capital,population", Grounding.INVENTED),
    ],
)
def test_strings(query: str, value: str, expected: Grounding) -> None:
    assert ground_value("p", value, {"type": "string"}, RequestEvidence.of(query)) is expected


@pytest.mark.parametrize(
    ("query", "value", "expected"),
    [
        ("square root of 3342398", 3342398, Grounding.STATED),
        ("order five burgers", 5, Grounding.STATED),
        ("a dozen eggs", 12, Grounding.STATED),
        ("twenty five people", 25, Grounding.STATED),
        ("a budget of 5k", 5000, Grounding.STATED),
        ("tip 20% of the bill", 0.2, Grounding.STATED),
        ("1,250 euros", 1250, Grounding.STATED),
        ("refund it in full", 1999, Grounding.INVENTED),
    ],
)
def test_numbers(query: str, value: float, expected: Grounding) -> None:
    assert ground_value("n", value, {"type": "number"}, RequestEvidence.of(query)) is expected


def test_lists_are_grounded_element_by_element() -> None:
    evidence = RequestEvidence.of("order five burgers and six chicken wings from McDonald's")
    assert ground_value("items", ["burger", "chicken wings"], {"type": "array"}, evidence) is Grounding.STATED
    assert ground_value("items", ["burger", "fries"], {"type": "array"}, evidence) is Grounding.INVENTED


def test_invented_optional_values_are_dropped_for_a_write_api() -> None:
    grounded = ground(
        "refund payment pi_3MtwBwLkdIwHu7ix28a3tqPa in full",
        "stripe.refunds.create",
        payment_intent="pi_3MtwBwLkdIwHu7ix28a3tqPa",
        amount=1999,
        reason="duplicate",
    )
    assert grounded.call.arguments == {"payment_intent": "pi_3MtwBwLkdIwHu7ix28a3tqPa"}
    assert grounded.dropped == {"amount": 1999, "reason": "duplicate"}
    assert grounded.missing == []


def test_an_invented_required_value_of_a_write_api_becomes_needs_input() -> None:
    grounded = ground("refund the payment in full", "stripe.refunds.create", payment_intent="pi_123abc")
    assert [m.parameter for m in grounded.missing] == ["payment_intent"]
    assert "payment_intent" not in grounded.call.arguments


def test_a_required_parameter_left_out_becomes_needs_input() -> None:
    grounded = ground(
        "post on slack that the build is green", "slack.chat.post_message", text="the build is green"
    )
    assert [m.parameter for m in grounded.missing] == ["channel"]
    assert grounded.missing[0].expected.startswith("string")


def test_a_read_api_keeps_a_derived_required_value_but_records_it() -> None:
    grounded = ground(
        "find all email addresses in 'ann@example.com or bob@test.org'",
        "re.findall",
        pattern=r"[\w.+-]+@[\w-]+\.[\w.]+",
        string="ann@example.com or bob@test.org",
    )
    assert grounded.missing == []
    assert "pattern" in grounded.call.conversions


def test_a_read_api_asks_for_a_placeholder_id() -> None:
    grounded = ground("what is the status of my food order", "uber.eat.order_status", order_id="12345")
    assert [m.parameter for m in grounded.missing] == ["order_id"]


def test_a_read_api_asks_for_an_identifier_made_of_digits_the_request_never_gave() -> None:
    """An id whose parameter is not called one (``isbn``): its digits are the model's invention."""
    grounded = ground("find me a book about gardening", "openlibrary.books.by_isbn", isbn="978-0-14-032872-1")
    assert [m.parameter for m in grounded.missing] == ["isbn"]
    stated = ground("the book with ISBN 9780140328721", "openlibrary.books.by_isbn", isbn="9780140328721")
    assert stated.missing == []


@pytest.mark.parametrize(
    ("query", "value", "invents"),
    [
        ("find me a book about gardening", "978-0-14-032872-1", True),
        ("github repos about llama with more than 5000 stars", "llama stars:>5000", False),
        ("what's on my calendar on 2025-05-02", "2025-05-02T00:00:00Z", False),
        ("the 1,500 latest posts", "limit:1500", False),  # the request's number, written without a comma
        ("order 12 pizzas", "order 12", False),  # two digits are too few to be an identifier
        ("weather in Paris", "Paris", False),
    ],
)
def test_invented_digit_runs(query: str, value: str, invents: bool) -> None:
    assert invents_digits(value, RequestEvidence.of(query)) is invents


@pytest.mark.parametrize(
    ("query", "value", "invents"),
    [
        ("deciles of 30, 85, 110 thousand", [30, 85, 1100000000], True),
        ("deciles of 30, 85, 110 thousand", [30, 85, 110], False),
        ("deciles of 30, 85, 110 thousand", [30, 85, 110000], False),  # "110 thousand" is 110000
        ("the square root of 3342398", 3342398, False),
        ("leap years from 1901 through 2000", 2001, False),  # arithmetic on the request's numbers
        ("3 random numbers between 100 and 200", [117, 154, 199], False),
        ("the square root of a big number", 3342398, True),
        ("was 1900 a leap year", 1900.0, False),
        ("coordinates 45.46, 9.19", 45.46, False),  # no run of three digits
        ("pick 6 of 1 to 10", [1, 2, 10], False),  # two digits are too few to be an identifier
        ("is it true", True, False),
    ],
)
def test_invented_numbers(query: str, value: object, invents: bool) -> None:
    assert invents_digits(value, RequestEvidence.of(query)) is invents


def test_a_read_api_asks_for_a_list_holding_a_number_the_request_never_gave() -> None:
    query = "deciles of these salaries: 30, 35, 42, 48, 51, 55, 60, 72, 85, 110 thousand"
    salaries = [30, 35, 42, 48, 51, 55, 60, 72, 85]
    invented = ground(query, "statistics.quantiles", data=[*salaries, 1100000000], n=10)
    assert [m.parameter for m in invented.missing] == ["data"]
    stated = ground(query, "statistics.quantiles", data=[*salaries, 110], n=10)
    assert stated.missing == []


def test_conversions_are_recorded() -> None:
    grounded = ground(
        "public holidays in Japan in 2025", "nager.holidays.public", year=2025, countryCode="JP"
    )
    assert grounded.call.arguments == {"year": 2025, "countryCode": "JP"}
    assert set(grounded.call.conversions) == {"countryCode"}


@pytest.mark.parametrize("written", [4990, 49.9])
def test_an_amount_in_the_smallest_unit_is_the_stated_amount_in_cents(written: float) -> None:
    grounded = ground(
        "create a payment intent for €49.90 for order #1042",
        "stripe.payment_intents.create",
        amount=written,
        currency="eur",
        description="Order #1042",
    )
    assert grounded.missing == []
    assert grounded.call.arguments == {"amount": 4990, "currency": "eur", "description": "Order #1042"}
    assert {"amount", "currency"} <= set(grounded.call.conversions)


def test_five_dollars_back_is_500_cents_not_five() -> None:
    grounded = ground(
        "give the customer $5 back from pi_1Gt0Rb2eZvKYlo2C",
        "stripe.refunds.create",
        payment_intent="pi_1Gt0Rb2eZvKYlo2C",
        amount=5,
    )
    assert grounded.call.arguments == {"payment_intent": "pi_1Gt0Rb2eZvKYlo2C", "amount": 500}


def test_an_amount_the_request_does_not_state_is_still_refused_for_a_write_api() -> None:
    grounded = ground(
        "create a payment intent for order #1042",
        "stripe.payment_intents.create",
        amount=1999,
        currency="usd",
    )
    assert {m.parameter for m in grounded.missing} == {"amount", "currency"}


def test_the_documented_default_of_a_required_parameter_is_not_an_invention() -> None:
    grounded = ground(
        "cancel the meeting with id 0ad7rr3bmsfj8nmk2hj2r0o8hs",
        "googlecalendar.events.delete",
        calendarId="primary",
        eventId="0ad7rr3bmsfj8nmk2hj2r0o8hs",
    )
    assert grounded.missing == []
    assert grounded.call.arguments["calendarId"] == "primary"
    other = ground(
        "cancel the meeting with id 0ad7rr3bmsfj8nmk2hj2r0o8hs",
        "googlecalendar.events.delete",
        calendarId="team@example.com",
        eventId="0ad7rr3bmsfj8nmk2hj2r0o8hs",
    )
    assert [m.parameter for m in other.missing] == ["calendarId"]


RIDE = {
    "start_latitude": 40.758,
    "start_longitude": -73.9855,
    "end_latitude": 40.6413,
    "end_longitude": -73.7781,
}


def test_an_article_is_no_reason_to_write_an_optional_count() -> None:
    route = "from 40.758,-73.9855 to 40.6413,-73.7781"
    ride = ground(f"price estimate for a ride {route}", "uber.ride.estimate_price", **RIDE, seat_count=1)
    assert ride.dropped == {"seat_count": 1}
    stated = ground(f"price for 1 seat {route}", "uber.ride.estimate_price", **RIDE, seat_count=1)
    assert stated.call.arguments["seat_count"] == 1
    # a required count said as an article stays: "a chicken burrito" is one
    order = ground(
        "I'd like a chicken burrito and three tacos from Chipotle",
        "uber.eat.order",
        restaurants=["Chipotle"],
        items=["chicken burrito", "taco"],
        quantities=[1, 3],
    )
    assert order.call.arguments["quantities"] == [1, 3]
    assert not order.missing


def test_an_optional_number_already_used_by_another_argument_is_dropped() -> None:
    product = ground("the product of 1.5, 2 and 8", "math.prod", iterable=[1.5, 2, 8], start=1.5)
    assert product.call.arguments == {"iterable": [1.5, 2, 8]}
    assert product.dropped == {"start": 1.5}
    twice = ground("the product of 2 and 8, starting from 2", "math.prod", iterable=[2, 8], start=2)
    assert twice.call.arguments["start"] == 2  # written twice: both uses are stated


@pytest.mark.parametrize(
    ("query", "value", "recombined"),
    [
        # the model's compositions of words said elsewhere in the request
        ("file a bug in acme/webapp: crash when uploading a PNG", "Upload a PNG file.", True),
        ("an all-day event 'Company offsite' on my calendar for 2025-06-20", "Event for 2025-06-20", True),
        ("the weather in Paris and the news of Rome", "Rome weather", True),
        # spans of the request, with at most one word between the value's words
        ("file a bug in acme/webapp: crash when uploading a PNG", "crash when uploading a PNG", False),
        ("tell the team that lunch is at noon", "Lunch is at noon!", False),
        ("the weather in Paris and the news of Rome", "weather Paris", False),
        ("search for books about gorilla conservation", "gorilla conservation", False),
        # one word, or a list of codes, is not a composition
        ("daily GBP/USD rates", "USD,GBP", False),
        ("the weather in Paris", "Paris", False),
    ],
)
def test_recombined_words(query: str, value: str, recombined: bool) -> None:
    from gorilla_router.generation.grounding.values import recombines_words

    assert recombines_words(value, RequestEvidence.of(query)) is recombined


def test_an_optional_text_composed_of_scattered_words_is_dropped() -> None:
    issue = ground(
        "file a bug in acme/webapp: crash when uploading a PNG, label it bug",
        "github.issues.create",
        owner="acme",
        repo="webapp",
        title="Crash when uploading a PNG",
        body="Upload a PNG file.",
    )
    assert issue.dropped == {"body": "Upload a PNG file."}
    assert issue.call.arguments["title"] == "Crash when uploading a PNG"  # a span: kept
    assert "body" not in issue.supported
    assert "title" in issue.supported


def test_words_cut_off_by_an_ellipsis_were_copied_from_a_shortened_description() -> None:
    evidence = RequestEvidence.of("show public and private Slack channels")
    copied = "public_channel, private_channel, m..."
    assert ground_value("types", copied, {"type": "string"}, evidence) is Grounding.INVENTED
    said = RequestEvidence.of("shorten it to 'Hello wor...'")
    assert ground_value("text", "Hello wor...", {"type": "string"}, said) is Grounding.STATED


def test_supported_names_the_values_the_request_gives() -> None:
    grounded = ground("what is the status of my food order", "uber.eat.order_status", order_id="12345")
    assert grounded.supported == frozenset()  # a placeholder id: asked for, not supported
    stated = ground("status of uber eats order ord_91b2", "uber.eat.order_status", order_id="ord_91b2")
    assert stated.supported == {"order_id"}


def test_a_write_apis_required_text_composed_of_scattered_words_is_asked_for() -> None:
    composed = ground(
        "file a bug in acme/webapp: crash when uploading a PNG",
        "github.issues.create",
        owner="acme",
        repo="webapp",
        title="Upload a PNG file",
    )
    assert [m.parameter for m in composed.missing] == ["title"]
    said = ground(
        "file a bug in acme/webapp: crash when uploading a PNG",
        "github.issues.create",
        owner="acme",
        repo="webapp",
        title="Crash when uploading a PNG",
    )
    assert said.missing == []


@pytest.mark.parametrize(
    ("query", "value", "expected"),
    [
        ("the astronomy picture on 2021-12-25", "2021-12-25", Grounding.STATED),
        ("the astronomy picture on 2021-12-25", "2021-01-01", Grounding.INVENTED),  # its digits, not it
        ("rates on 12/25/2021", "2021-12-25", Grounding.STATED),  # the same day in another form
        ("an all-day event on 2025-06-20", "2025-06-21", Grounding.CONVERTED),  # a range's exclusive end
        ("rates for the week after 2021-12-25", "2021-12-31", Grounding.CONVERTED),  # a time word
    ],
)
def test_a_date_is_stated_only_as_a_date(query: str, value: str, expected: Grounding) -> None:
    assert ground_value("date", value, {"type": "string"}, RequestEvidence.of(query)) is expected


def test_an_optional_date_made_of_a_stated_date_s_digits_is_dropped() -> None:
    grounded = ground(
        "what was the astronomy picture on 2021-12-25",
        "nasa.apod",
        date="2021-12-25",
        start_date="2021-01-01",
        end_date="2021-12-31",
    )
    assert grounded.call.arguments == {"date": "2021-12-25"}
    assert set(grounded.dropped) == {"start_date", "end_date"}
