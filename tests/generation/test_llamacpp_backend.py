"""The in-process llama.cpp backend with GBNF-constrained calls, on the packaged Gemma 3 270M GGUF."""

from __future__ import annotations

import importlib.util

import pytest

from gorilla_router.errors import ConfigError
from gorilla_router.generation import load_backend, parse_calls
from gorilla_router.generation.gbnf import call_grammar
from gorilla_router.specs import Candidate

from .conftest import make_spec

needs_llama = pytest.mark.skipif(
    importlib.util.find_spec("llama_cpp") is None,
    reason="llama-cpp-python is not installed: pip install 'gorilla-router[llamacpp]'",
)


def test_missing_gguf_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="no GGUF file"):
        load_backend("llamacpp:/nonexistent/model.gguf")


def test_grammar_lists_only_candidates_and_their_parameters(candidates: list[Candidate]) -> None:
    grammar = call_grammar([c.spec for c in candidates], no_call="none()", prefix=" ")
    assert grammar.startswith('root ::= " " ( c0-call | c1-call | "none()" )')
    assert '"coffee_shop.find_nearby("' in grammar
    assert '"weather.current("' in grammar
    assert '"location="' in grammar
    assert '"\\"celsius\\"" | "\\"fahrenheit\\""' in grammar
    with pytest.raises(ValueError, match="at least one candidate"):
        call_grammar([])


@pytest.fixture(scope="module")
def llama_backend() -> object:
    if importlib.util.find_spec("llama_cpp") is None:
        pytest.skip("llama-cpp-python is not installed: pip install 'gorilla-router[llamacpp]'")
    return load_backend("llamacpp:embedded", max_new_tokens=24)


@needs_llama
def test_every_schema_shape_compiles() -> None:
    from llama_cpp import LlamaGrammar

    spec = make_spec(
        "shapes.all",
        {
            "s": {"type": "string"},
            "i": {"type": "integer"},
            "n": {"type": "number"},
            "b": {"type": "boolean"},
            "e": {"type": "integer", "enum": [1, 2]},
            "a": {"type": "array", "items": {"type": "string", "enum": ["x", "y"]}},
            "o": {"type": "object", "properties": {"k": {"type": "string"}}},
            "u": {"type": ["string", "null"]},
            "free": {},
        },
        ["s", "e"],
    )
    LlamaGrammar.from_string(
        call_grammar([spec, make_spec("noargs.ping", {})], no_call="none()"), verbose=False
    )


@pytest.mark.slow
@needs_llama
def test_constrained_call_names_only_a_candidate(llama_backend: object, candidates: list[Candidate]) -> None:
    from gorilla_router.generation.llamacpp_backend import LlamaCppBackend

    assert isinstance(llama_backend, LlamaCppBackend)
    backend = LlamaCppBackend("embedded", max_new_tokens=24, allow_no_call=False)
    (call,) = backend.generate("What is the weather in Paris, France in celsius?", candidates)
    spec = next(c.spec for c in candidates if c.spec.id == call.api_id)  # StopIteration if not a candidate
    assert set(call.arguments) <= set(spec.properties)
    assert set(spec.required) <= set(call.arguments)
    assert parse_calls(call.raw, candidates) == [call]


def test_query_values_restrict_strings_and_numbers(candidates: list[Candidate]) -> None:
    from gorilla_router.generation.gbnf import query_spans

    assert query_spans("Weather in Paris, France?")[:2] == ["Weather in Paris, France", "Weather in Paris"]
    assert "Paris, France" in query_spans("Weather in Paris, France?")
    spec = make_spec(
        "trip.plan", {"city": {"type": "string"}, "days": {"type": "integer"}, "budget": {"type": "number"}}
    )
    grammar = call_grammar([spec], query="Plan 3 days in Rome for 1,250.5 euros")
    assert 'qspan-3 ::= "in" | "in " qspan-4' in grammar
    assert 'qspan-5 ::= "for" | "for " qspan-6' in grammar
    assert 'qspan-6 ::= "1,250.5" | "1,250.5 " qspan-7' in grammar
    assert 'qint ::= "3"' in grammar
    assert 'qnum ::= "3" | "1250.5"' in grammar
    for typed in ('"city=" qstr', '"days=" qint', '"budget=" qnum'):
        assert typed in grammar
    assert '"city=" str' in call_grammar([spec])
