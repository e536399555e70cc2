"""ApiZoo: all-or-nothing loading with every problem listed, lookup, fingerprint, atomic save."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gorilla_router.errors import SpecError, UsageError
from gorilla_router.specs import ApiSpec
from gorilla_router.zoo import ApiZoo, UnknownApiError

Factory = Callable[..., dict[str, Any]]


def test_loads_a_folder_and_skips_schema_json(fixtures_dir: Path) -> None:
    folder = fixtures_dir / "zoo_ok"
    zoo = ApiZoo.load(folder)
    assert sorted(zoo.ids) == ["math.sqrt", "shop.orders.cancel", "shop.orders.get"]
    assert len(zoo) == 3
    assert "math.sqrt" in zoo
    assert "math.cbrt" not in zoo
    assert zoo.source_of("shop.orders.get") == folder / "rest_shop.json"
    assert [spec.id for spec in zoo] == zoo.ids


def test_schema_json_in_a_folder_is_not_an_entry_file(
    write_zoo: Callable[..., Path], make_python_entry: Factory
) -> None:
    path = write_zoo("python_math.json", [make_python_entry()])
    (path.parent / "schema.json").write_text('{"type": "object"}', encoding="utf-8")
    assert ApiZoo.load(path.parent).ids == ["math.sqrt"]


def test_every_problem_is_listed_and_nothing_loads(
    write_zoo: Callable[..., Path], make_python_entry: Factory, make_rest_entry: Factory
) -> None:
    write_zoo("a.json", [make_python_entry(), make_rest_entry(colour="red"), 7])
    write_zoo("b.json", [make_python_entry()])
    write_zoo("c.json", "[{")
    write_zoo("d.json", {"not": "a list"})
    folder = write_zoo("e.json", [make_rest_entry(id="shop.orders.list", path="/v1/{shop}")]).parent
    with pytest.raises(SpecError) as caught:
        ApiZoo.load(folder)
    lines = [str(problem) for problem in caught.value.problems]
    assert f"{folder / 'a.json'}: shop.orders.get: colour: unknown field" in lines[0]
    assert any(
        line.startswith(f"{folder / 'a.json'}: #2: <entry>: an entry must be a JSON object") for line in lines
    )
    assert any(
        f"{folder / 'b.json'}: math.sqrt: id: duplicate id: already defined in" in line for line in lines
    )
    assert any(f"{folder / 'c.json'}: <file>: <json>: not valid JSON at line 1" in line for line in lines)
    assert any(
        f"{folder / 'd.json'}: <file>: <json>: a provider file must be a JSON list" in line for line in lines
    )
    assert any(
        f"{folder / 'e.json'}: shop.orders.list: path: path parameters not declared in parameters: shop"
        in line
        for line in lines
    )
    assert len(lines) == 6
    assert "6 problem(s)" in str(caught.value)


def test_kind_rules_are_reported_on_the_field_to_edit(
    write_zoo: Callable[..., Path], make_python_entry: Factory, make_rest_entry: Factory
) -> None:
    """The kind rules are field types, so each line names the field itself, not ``<entry>``."""
    no_callable = {k: v for k, v in make_python_entry().items() if k != "callable"}
    mixed = make_python_entry(id="math.cbrt", method="GET")
    folder = write_zoo(
        "a.json", [no_callable, mixed, make_rest_entry(callable="shop:get", base_url="ftp://x")]
    )
    with pytest.raises(SpecError) as caught:
        ApiZoo.load(folder.parent)
    lines = sorted(str(problem).removeprefix(f"{folder}: ") for problem in caught.value.problems)
    assert lines == [
        "math.cbrt: method: not part of this kind of spec; remove it or change 'kind'",
        "math.sqrt: callable: required field is missing",
        "shop.orders.get: base_url: String should match pattern '^https?://'",
        "shop.orders.get: callable: not part of this kind of spec; remove it or change 'kind'",
    ]


def test_missing_path_is_a_problem(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="no such file or folder"):
        ApiZoo.load(tmp_path / "absent")
    with pytest.raises(UsageError):
        ApiZoo.load()


def test_duplicate_ids_in_memory_raise(make_python_entry: Factory) -> None:
    spec = ApiSpec.model_validate(make_python_entry())
    with pytest.raises(SpecError, match="duplicate id"):
        ApiZoo([spec, spec])


def test_get_suggests_close_ids(fixtures_dir: Path) -> None:
    zoo = ApiZoo.load(fixtures_dir / "zoo_ok")
    assert zoo.get("math.sqrt").callable == "math:sqrt"
    with pytest.raises(UnknownApiError, match=r"did you mean 'shop.orders.get'") as caught:
        zoo.get("shop.order.get")
    assert isinstance(caught.value, KeyError)
    assert isinstance(caught.value, UsageError)
    with pytest.raises(KeyError, match="no API with id 'weather'"):
        zoo.source_of("weather")


def test_fingerprint_ignores_order_and_tracks_content(fixtures_dir: Path, make_python_entry: Factory) -> None:
    zoo = ApiZoo.load(fixtures_dir / "zoo_ok")
    reordered = ApiZoo(list(reversed(zoo.specs)))
    assert zoo.fingerprint() == reordered.fingerprint()
    changed = [
        s if s.id != "math.sqrt" else ApiSpec.model_validate(make_python_entry(description="x")) for s in zoo
    ]
    assert ApiZoo(changed).fingerprint() != zoo.fingerprint()
    assert ApiZoo(zoo.specs[:2]).fingerprint() != zoo.fingerprint()


def test_save_is_sorted_two_space_and_round_trips(fixtures_dir: Path, tmp_path: Path) -> None:
    zoo = ApiZoo.load(fixtures_dir / "zoo_ok")
    target = zoo.save(tmp_path / "out" / "all.json")
    text = target.read_text(encoding="utf-8")
    assert text.endswith("]\n")
    assert text.startswith('[\n  {\n    "id": "math.sqrt"')
    assert [entry["id"] for entry in json.loads(text)] == sorted(zoo.ids)
    assert ApiZoo.load(target).fingerprint() == zoo.fingerprint()
    assert [p.name for p in target.parent.iterdir()] == ["all.json"]  # no temporary file left behind
    assert target.stat().st_mode & 0o777 == 0o644


def test_failed_save_leaves_the_old_file(
    fixtures_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "zoo.json"
    target.write_text("[]\n", encoding="utf-8")
    zoo = ApiZoo.load(fixtures_dir / "zoo_ok")

    def explode(self: ApiZoo) -> str:
        raise RuntimeError("disk full")

    monkeypatch.setattr(ApiZoo, "to_json", explode)
    with pytest.raises(RuntimeError):
        zoo.save(target)
    assert target.read_text(encoding="utf-8") == "[]\n"


def test_bundled_zoo_loads() -> None:
    zoo = ApiZoo.bundled()
    assert len(zoo) > 0
    assert all(zoo.source_of(api_id) is not None for api_id in zoo.ids)


def test_empty_folder_and_repeated_paths(tmp_path: Path, fixtures_dir: Path) -> None:
    with pytest.raises(SpecError, match=r"no \*\.json provider files in this folder"):
        ApiZoo.load(tmp_path)
    folder = fixtures_dir / "zoo_ok"
    assert len(ApiZoo.load(folder, folder / "python_math.json")) == 3  # a file named twice loads once


def test_save_leaves_out_the_derived_provider(tmp_path: Path, make_python_entry: Factory) -> None:
    specs = [
        ApiSpec.model_validate(make_python_entry()),
        ApiSpec.model_validate(make_python_entry(id="calc.cbrt", provider="python-math")),
    ]
    entries = json.loads(ApiZoo(specs).save(tmp_path / "p.json").read_text(encoding="utf-8"))
    assert [entry.get("provider") for entry in entries] == ["python-math", None]
    assert ApiZoo.load(tmp_path / "p.json").get("math.sqrt").provider == "math"
