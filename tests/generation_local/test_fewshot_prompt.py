"""The few-shot prompt for base models: candidates' own examples, or one synthesized from the schema."""

from __future__ import annotations

import pytest

from gorilla_router.errors import GenerationError
from gorilla_router.generation.prompts import get_prompt_format
from gorilla_router.generation.prompts.fewshot import FewShotFormat, signature, synthesized_example
from tests.generation_local.conftest import SQRT, WEATHER, candidates


def test_registered_under_its_name():
    assert isinstance(get_prompt_format("fewshot"), FewShotFormat)


def test_user_block_lists_candidates_and_their_examples_and_ends_in_call():
    head, tail = FewShotFormat().render_parts("rain in Oslo?", candidates(WEATHER, SQRT))
    assert "none()" in head  # the demonstrations show the no-call answer
    assert tail.startswith("Functions:\nweather.forecast(location: str, days: int = None")
    assert 'Call: weather.forecast(location="Rome", days=3)' in tail
    assert "Request: Square root of a number.\nCall: math.sqrt(x=1.5)" in tail  # synthesized
    assert tail.endswith("Request: rain in Oslo?\nCall:")


def test_the_fixed_head_is_identical_for_every_request():
    fmt = FewShotFormat()
    assert fmt.render_parts("a", candidates(SQRT))[0] == fmt.render_parts("b", candidates(WEATHER))[0]


def test_signature_shows_enums_and_optional_parameters():
    assert '"celsius" | "fahrenheit" = None' in signature(WEATHER)


def test_synthesized_example_uses_required_arguments_only():
    assert synthesized_example(WEATHER) == (WEATHER.description, 'weather.forecast(location="text")')


def test_parse_reads_the_first_line_and_none():
    fmt = FewShotFormat()
    assert fmt.parse(" none()\nRequest: x", candidates(SQRT)) == []
    calls = fmt.parse(" math.sqrt(x=9)\nRequest: more", candidates(SQRT))
    assert calls[0].arguments == {"x": 9}
    with pytest.raises(GenerationError):
        fmt.parse(" os.system('ls')", candidates(SQRT))
