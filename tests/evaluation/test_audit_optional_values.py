"""The optional-value audit grades what the router kept by grounding's own test."""

from __future__ import annotations

from gorilla_router.zoo import ApiZoo
from tests.evaluation.conftest import load_benchmark

audit_optional_values = load_benchmark("audit_optional_values")


def test_stated_converted_and_invented_values_are_told_apart() -> None:
    rows = [
        {  # q and units stated, lang invented (every parameter of this API is optional)
            "query": "weather in Paris in metric units",
            "got": ["openweathermap.current(q='Paris', units='metric', lang='de')"],
        },
        {"query": "holidays in Japan", "got": ["nager.holidays.next(countryCode='JP')"]},  # required: skipped
        {"query": "not a call", "got": ["not python at all ("]},  # unreadable answers are skipped
    ]
    grades, invented = audit_optional_values.audit(rows, ApiZoo.bundled())
    assert grades == {"stated": 2, "invented": 1}
    assert invented == ["'weather in Paris in metric units': openweathermap.current lang='de'"]
