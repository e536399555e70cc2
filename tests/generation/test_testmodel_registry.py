"""TestModel (the fake backend shipped for tests) and load_backend (backend strings)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from gorilla_router.errors import (
    BackendError,
    ConfigError,
    GenerationError,
    MissingDependencyError,
    UnknownBackendError,
)
from gorilla_router.generation import ModelBackend, TestModel, load_backend
from gorilla_router.generation.registry import BACKENDS, BackendEntry, split_openai_target
from gorilla_router.generation.testing import placeholder_call
from gorilla_router.specs import ApiCall, Candidate

from .conftest import make_spec


def test_default_answer_is_top_candidates_first_example(candidates: list[Candidate]) -> None:
    model = TestModel()
    (call,) = model.generate("coffee with wifi", list(reversed(candidates)))
    assert call.to_source() == "coffee_shop.find_nearby(location='Boston, MA', amenities=['Wi-Fi'])"
    assert model.requests == [("coffee with wifi", ["weather.current", "coffee_shop.find_nearby"])]
    assert "<<question>>coffee with wifi" in model.prompts[0]
    assert model.generate("anything", []) == []
    assert isinstance(model, ModelBackend)


def test_default_without_examples_fills_required_parameters() -> None:
    spec = make_spec(
        "booking.create",
        {
            "city": {"type": "string"},
            "nights": {"type": "integer", "default": 1},
            "room": {"type": "string", "enum": ["single", "double"]},
            "guests": {"type": "integer"},
            "note": {"type": "string"},
        },
        ["city", "nights", "room", "guests"],
    )
    (call,) = TestModel().generate("book", [Candidate(spec=spec, score=1.0, rank=1)])
    assert call.arguments == {"city": "", "nights": 1, "room": "single", "guests": 0}
    assert call == placeholder_call(spec)
    assert call.raw == "booking.create(city='', nights=1, room='single', guests=0)"


def test_scripted_outputs_go_through_parser_and_checks(candidates: list[Candidate]) -> None:
    model = TestModel(
        outputs=[
            "weather.current(location='Paris')",
            ApiCall(api_id="weather_current", arguments={"location": "Rome"}),
            [ApiCall(api_id="weather.current"), ApiCall(api_id="coffee_shop.find_nearby")],
            "uber.ride(loc='x')",
            BackendError("scripted failure"),
        ]
    )
    assert [c.to_source() for c in model.generate("q", candidates)] == ["weather.current(location='Paris')"]
    (rome,) = model.generate("q", candidates)
    assert rome.api_id == "weather.current"
    assert rome.raw == "weather_current(location='Rome')"
    assert len(model.generate("q", candidates)) == 2
    with pytest.raises(GenerationError, match=r"uber\.ride"):
        model.generate("q", candidates)
    with pytest.raises(BackendError, match="scripted failure"):
        model.generate("q", candidates)
    assert model.remaining == 0
    with pytest.raises(BackendError, match="ran out of scripted outputs"):
        model.generate("q", candidates)
    assert len(model.prompts) == 6


def test_function_answers_and_prompt_format_choice(candidates: list[Candidate]) -> None:
    model = TestModel(
        function=lambda query, cands: f"{cands[-1].spec.id}(location={query!r})", prompt_format="apibench"
    )
    (call,) = model.generate("Oslo", candidates)
    assert call.to_source() == "weather.current(location='Oslo')"
    assert model.prompts[0].startswith("###USER: Oslo")
    with pytest.raises(ValueError, match="not both"):
        TestModel(outputs=[], function=lambda q, c: "")


def test_load_backend_strings(monkeypatch: pytest.MonkeyPatch) -> None:
    assert isinstance(load_backend("test"), TestModel)
    assert isinstance(load_backend(" TEST "), TestModel)
    ready = TestModel()
    assert load_backend(ready) is ready
    assert load_backend("test", prompt_format="chat_tools").prompt_format.name == "chat_tools"  # type: ignore[attr-defined]
    monkeypatch.setitem(
        BACKENDS, "embedded", BackendEntry("gorilla_router.generation.testing", "TestModel", "none")
    )
    assert isinstance(load_backend(None), TestModel)


@pytest.mark.parametrize(
    ("spec", "error", "fragment"),
    [
        ("tset", UnknownBackendError, "Did you mean 'test'"),
        ("opnai:gpt-4o", UnknownBackendError, "Did you mean 'openai:"),
        ("gpt-4o-mini", UnknownBackendError, "write 'openai:gpt-4o-mini'"),
        ("transformers", ConfigError, "needs a model after ':'"),
        ("openai:", ConfigError, "needs a model after ':'"),
        ("test:something", ConfigError, "takes no target"),
        ("openai:model@ftp://host", ConfigError, "cannot read the base URL"),
    ],
)
def test_load_backend_errors(spec: str, error: type[Exception], fragment: str) -> None:
    with pytest.raises(error, match=fragment.replace("(", r"\(")):
        load_backend(spec)


def test_load_backend_rejects_non_backends() -> None:
    with pytest.raises(UnknownBackendError, match="got int"):
        load_backend(42)  # type: ignore[arg-type]


def test_missing_optional_dependency_names_pip_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = tmp_path / "grouter_needs_missing_dep.py"
    module.write_text(textwrap.dedent("import grouter_package_that_is_not_installed\n"), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    entry = BackendEntry(
        "grouter_needs_missing_dep", "Backend", "optional", install="pip install 'gorilla-router[x]'"
    )
    monkeypatch.setitem(BACKENDS, "needsdep", entry)
    with pytest.raises(
        MissingDependencyError, match=r"grouter_package_that_is_not_installed.*gorilla-router\[x\]"
    ):
        load_backend("needsdep")
    monkeypatch.setitem(BACKENDS, "ghost", BackendEntry("grouter_no_such_module", "X", "none"))
    with pytest.raises(UnknownBackendError, match="not part of this installation"):
        load_backend("ghost")


def test_split_openai_target() -> None:
    assert split_openai_target("gpt-4o") == ("gpt-4o", None)
    assert split_openai_target("gorilla-openfunctions-v2@http://gpu:8000/v1") == (
        "gorilla-openfunctions-v2",
        "http://gpu:8000/v1",
    )
