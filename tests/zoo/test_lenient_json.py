"""Element-by-element decoding of damaged JSON lists."""

from __future__ import annotations

import pytest

from gorilla_router.zoo.importers.lenient_json import LenientJsonError, read_json_list


def test_strict_json_passes_through() -> None:
    elements, notes = read_json_list('[{"a": 1}, 2]')
    assert [e.value for e in elements] == [{"a": 1}, 2]
    assert notes == []
    assert all(not e.repairs and e.error is None for e in elements)


def test_trailing_and_missing_commas_are_repaired() -> None:
    text = '[\n {"a": 1, "b": [1, 2,],},\n {"c": "x"\n "d": true}\n {"e": null}\n]'
    elements, notes = read_json_list(text)
    assert [e.value for e in elements] == [{"a": 1, "b": [1, 2]}, {"c": "x", "d": True}, {"e": None}]
    assert elements[0].repairs == ["removed a trailing comma at line 2", "removed a trailing comma at line 2"]
    assert elements[1].repairs == ["inserted a missing comma at line 4"]
    assert notes == ["not strict JSON; decoded element by element (3 elements)"]


def test_cut_off_string_is_closed_at_the_line_end() -> None:
    elements, _ = read_json_list('[\n {"name": "cut here\n },\n {"ok": 1}\n]')
    assert elements[0].value == {"name": "cut here"}
    assert elements[0].repairs == ["closed a string cut off at line 2"]
    assert elements[1].value == {"ok": 1}


def test_damage_stays_local() -> None:
    elements, _ = read_json_list('[{"a": 1}, {"b": @@}, {"c": 3},]')
    assert elements[0].value == {"a": 1}
    assert elements[1].error is not None
    assert "not valid JSON even after repair" in elements[1].error
    assert elements[2].value == {"c": 3}


def test_nested_unclosed_list_is_flattened() -> None:
    elements, _ = read_json_list('[{"a": 1},\n [\n {"b": 2},\n [ {"c": 3}\n]')
    assert [e.value for e in elements] == [{"a": 1}, {"b": 2}, {"c": 3}]
    assert elements[1].repairs[0].startswith("taken from a list nested inside")


def test_not_a_list_at_all() -> None:
    with pytest.raises(LenientJsonError, match="expected a JSON list"):
        read_json_list('{"a": 1}')
    with pytest.raises(LenientJsonError, match="does not start with"):
        read_json_list("garbage, {")
