"""The call grammar walked by CallDecoder, driven by a scripted chooser (no model)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gorilla_router.generation.constrained.decoder import CallDecoder, DecodeOptions
from gorilla_router.generation.constrained.testing import ScriptedChooser
from tests.generation_local.conftest import SQRT, WEATHER, python_spec


def decode(target, query, specs, **options):
    chooser = ScriptedChooser(target, bias=options.pop("bias", {}))
    return CallDecoder(chooser, DecodeOptions(**options)).decode("", query, specs)


def test_writes_the_call_the_model_prefers():
    result = decode(" math.sqrt(x=3342398)", "what is the square root of 3342398", [SQRT, WEATHER])
    assert result.call is not None
    assert result.call.to_source() == "math.sqrt(x=3342398)"
    assert result.call.arguments == {"x": 3342398}


def test_an_api_outside_the_candidates_cannot_be_written():
    result = decode(" os.system(cmd='rm -rf /')", "run os.system rm -rf", [SQRT, WEATHER])
    assert result.call is None or result.call.api_id in {"math.sqrt", "weather.forecast"}


def test_no_call_needs_a_margin_when_the_query_mentions_a_candidate():
    near_tie = decode(" none()", "square root please", [SQRT], bias={" math.sqrt(": 16.0})
    assert near_tie.call is not None  # none() won by less than the margin
    clear = decode(" none()", "tell me a joke", [SQRT])
    assert clear.call is None


def test_numbers_come_from_the_query_and_words_become_digits():
    # The script asks for 7, which the query never states: the decoder can only offer "five".
    result = decode(' weather.forecast(location="Oslo", days=7)', "weather in Oslo for five days", [WEATHER])
    assert result.call is not None
    assert result.call.arguments["days"] == 5


def test_string_is_a_span_of_the_query_with_its_place_qualifier():
    result = decode(' weather.forecast(location="Paris")', "Weather in Paris, France please", [WEATHER])
    assert result.call is not None
    assert result.call.arguments == {"location": "Paris, France"}


def test_enum_gives_one_value_and_optional_arguments_may_be_left_out():
    target = ' weather.forecast(location="Oslo", units="fahrenheit")'
    result = decode(target, "Oslo weather in fahrenheit", [WEATHER])
    assert result.call is not None
    assert result.call.arguments == {"location": "Oslo", "units": "fahrenheit"}


def test_percentages_are_rates_for_numbers_and_never_counts():
    spec = python_spec(
        "loan.pay",
        "Loan payment",
        {"rate": {"type": "number"}, "years": {"type": "integer"}},
        ["rate", "years"],
    )
    result = decode(" loan.pay(rate=0.05, years=3)", "a loan at 5% for 3 years", [spec])
    assert result.call is not None
    assert result.call.arguments == {"rate": 0.05, "years": 3}


def test_free_digits_when_the_query_states_no_number():
    result = decode(" math.sqrt(x=16)", "square root of a number", [SQRT])
    assert result.call is not None
    assert result.call.arguments == {"x": 16}


def test_arrays_of_enum_values_and_objects_follow_their_schema():
    spec = python_spec(
        "hotel.search",
        "Find hotels",
        {
            "amenities": {"type": "array", "items": {"type": "string", "enum": ["Pool", "Gym", "Spa"]}},
            "guests": {
                "type": "object",
                "properties": {"adults": {"type": "integer"}},
                "required": ["adults"],
            },
            "pets": {"type": "boolean"},
        },
        ["amenities", "guests", "pets"],
    )
    target = ' hotel.search(amenities=["Pool", "Gym"], guests={"adults": 2}, pets=False)'
    result = decode(target, "a hotel with pool and gym for 2 adults, no pets", [spec])
    assert result.call is not None
    assert result.call.arguments == {"amenities": ["Pool", "Gym"], "guests": {"adults": 2}, "pets": False}


def test_required_arguments_are_always_written():
    result = decode(" weather.forecast()", "weather please in Oslo", [WEATHER])
    assert result.call is not None
    assert "location" in result.call.arguments


@settings(max_examples=40, deadline=None)
@given(st.text(min_size=0, max_size=40))
def test_whatever_the_model_wants_the_output_is_a_candidate_or_nothing(target):
    result = decode(target, f"please {target}", [SQRT, WEATHER])
    if result.call is not None:
        assert result.call.api_id in {"math.sqrt", "weather.forecast"}
        assert set(result.call.arguments) <= set(
            (result.call.api_id == "math.sqrt" and ["x"]) or WEATHER.properties
        )


def test_free_strings_variant_writes_what_the_model_wants():
    result = decode(
        ' weather.forecast(location="Nowhere Land")', "weather in Oslo", [WEATHER], query_strings=False
    )
    assert result.call is not None
    assert result.call.arguments == {"location": "Nowhere Land"}


def test_choose_needs_options():
    with pytest.raises(ValueError, match="at least one option"):
        ScriptedChooser("x").choose("", [])


def test_a_query_without_usable_words_falls_back_to_free_text():
    result = decode(' weather.forecast(location="Oslo")', "?!", [WEATHER])
    assert result.call is not None
    assert result.call.arguments == {"location": "Oslo"}


def test_quoted_text_competes_with_the_word_by_word_pick():
    spec = python_spec("lyrics.find", "Find lyrics", {"song": {"type": "string"}}, ["song"])
    result = decode(' lyrics.find(song="Shape of You")', "lyrics of the song 'Shape of You' please", [spec])
    assert result.call is not None
    assert result.call.arguments == {"song": "Shape of You"}


def test_no_candidates_means_no_call():
    assert decode(" math.sqrt(x=1)", "anything", []).call is None


def test_an_optional_enum_the_query_names_is_written_with_that_value():
    spec = python_spec(
        "restaurant.find",
        "Find restaurants",
        {"city": {"type": "string"}, "cuisine": {"type": "string", "enum": ["Vegan", "Italian", "Mexican"]}},
        ["city"],
    )
    # The script would close the call after the city; the query names a cuisine the schema accepts.
    result = decode(' restaurant.find(city="Austin")', "a vegan place in Austin", [spec])
    assert result.call is not None
    assert result.call.arguments == {"city": "Austin", "cuisine": "Vegan"}
