"""A Python module's public functions → ApiSpec, from signatures, type hints and docstrings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from gorilla_router.errors import UsageError
from gorilla_router.zoo import validate_specs
from gorilla_router.zoo.importers import ImportReport, import_python_module, spec_from_callable
from gorilla_router.zoo.importers.docstrings import parse_docstring


@pytest.fixture(scope="module")
def report() -> Iterator[ImportReport]:
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(Path(__file__).resolve().parent / "fixtures"))
        yield import_python_module("zoo_sample_functions")


def test_public_functions_only(report: ImportReport) -> None:
    assert [s.id for s in report.specs] == [
        "zoo_sample_functions.convert_temperature",
        "zoo_sample_functions.delete_reminder",
        "zoo_sample_functions.order_food",
        "zoo_sample_functions.tolerant",
    ]
    assert report.seen == 5
    assert [str(s) for s in report.skipped] == [
        "zoo_sample_functions: needs_object: zoo_sample_functions:needs_object: required parameter 'thing': "
        "type Opaque has no JSON representation"
    ]
    pairs = [("module", spec) for spec in report.specs]
    assert validate_specs(pairs) == []  # the callables import while the fixture folder is on sys.path


def test_google_docstring_hints_and_defaults(report: ImportReport) -> None:
    spec = report.specs[0]
    assert spec.callable == "zoo_sample_functions:convert_temperature"
    assert spec.description == "Convert a temperature between unit systems."
    assert spec.required == ["value"]
    assert spec.properties == {
        "value": {"type": "number", "description": "The temperature to convert."},
        "unit": {"enum": ["metric", "imperial"], "description": "Target unit system."},
        "precision": {
            "type": ["integer", "null"],
            "description": "Digits to round to, or None to keep all.",
            "default": None,
        },
    }
    assert spec.side_effects == "none"
    assert spec.requirements == []


def test_numpy_docstring_and_containers(report: ImportReport) -> None:
    spec = report.specs[2]
    assert spec.properties["items"] == {
        "type": "array",
        "items": {"type": "string"},
        "description": "What to order.",
    }
    assert spec.properties["note"] == {"type": "string", "default": ""}
    assert spec.side_effects == "write"


def test_literals_dates_and_destructive_names(report: ImportReport) -> None:
    spec = report.specs[1]
    assert spec.properties["mode"] == {"enum": ["soft", "hard"], "default": "soft"}
    assert spec.properties["when"] == {"type": ["string", "null"], "format": "date", "default": None}
    assert spec.side_effects == "destructive"


def test_what_cannot_be_represented_is_noted(report: ImportReport) -> None:
    notes = [n.reason for n in report.notes if n.entry == "tolerant"]
    assert notes == [
        "optional parameter 'extra' left out: type Opaque has no JSON representation",
        "*args cannot be described as named parameters; left out",
        "**kwargs cannot be described as named parameters; left out",
    ]
    assert report.specs[3].properties == {"name": {"type": "string", "description": "who to greet"}}


def test_single_callable_with_custom_id_and_errors() -> None:
    spec = spec_from_callable("textwrap:shorten", api_id="text.shorten")
    assert (spec.id, spec.callable) == ("text.shorten", "textwrap:shorten")
    assert spec.properties["width"] == {}
    with pytest.raises(UsageError, match=r"is not 'package\.module:qualname'"):
        spec_from_callable("textwrap.shorten")
    with pytest.raises(UsageError, match="cannot import module 'no_such_module_xyz'"):
        spec_from_callable("no_such_module_xyz:f")
    with pytest.raises(UsageError, match="has no attribute 'nope'"):
        spec_from_callable("textwrap:nope")
    with pytest.raises(UsageError, match="is a int, not a callable"):
        spec_from_callable("sys:maxsize")


def test_sphinx_docstring() -> None:
    assert parse_docstring("Do it.\n\n:param int x: the x\n:param y: the y\n:returns: z") == (
        "Do it.",
        {"x": "the x", "y": "the y"},
    )
