"""``gorilla-router zoo …`` through the real root CLI (typer's CliRunner)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from gorilla_router.cli import app
from gorilla_router.zoo import ApiZoo

Factory = Callable[..., dict[str, Any]]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_validate_clean_and_bundled(runner: CliRunner, fixtures_dir: Path) -> None:
    result = runner.invoke(app, ["zoo", "validate", str(fixtures_dir / "zoo_ok")])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "OK: 3 entries in 2 file(s), no problems"
    bundled = runner.invoke(app, ["zoo", "validate"])
    assert bundled.exit_code == 0, bundled.output


def test_validate_broken_entry_exits_1_with_one_line_per_problem(
    runner: CliRunner, write_zoo: Callable[..., Path], make_rest_entry: Factory
) -> None:
    path = write_zoo("r.json", [make_rest_entry(path="/v1/{shop}/orders/{order_id}", colour="red")])
    result = runner.invoke(app, ["zoo", "validate", str(path)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines == [
        f"{path}: shop.orders.get: colour: "
        "unknown field (not part of the ApiSpec format; check the spelling or remove it)",
        f"{path}: shop.orders.get: path: path parameters not declared in parameters: shop",
    ]
    assert "error: 2 problem(s) in 1 entries" in result.stderr


def test_list_filters(runner: CliRunner, fixtures_dir: Path) -> None:
    result = runner.invoke(app, ["zoo", "list", str(fixtures_dir / "zoo_ok"), "--kind", "rest"])
    assert result.exit_code == 0, result.output
    assert "shop.orders.cancel" in result.stdout
    assert "math.sqrt" not in result.stdout
    assert "2 of 3 APIs" in result.stdout
    typo = runner.invoke(app, ["zoo", "list", str(fixtures_dir / "zoo_ok"), "--provider", "shops"])
    assert typo.exit_code == 1
    assert "no provider 'shops' in the zoo; did you mean shop?" in typo.stderr
    wrong_kind = runner.invoke(app, ["zoo", "list", str(fixtures_dir / "zoo_ok"), "--kind", "soap"])
    assert wrong_kind.exit_code == 1


def test_list_of_a_broken_zoo_fails(runner: CliRunner, write_zoo: Callable[..., Path]) -> None:
    path = write_zoo("bad.json", "[1,")
    result = runner.invoke(app, ["zoo", "list", str(path)])
    assert result.exit_code == 1
    assert f"{path}: <file>: <json>: not valid JSON" in result.stdout


def test_add_callable_prints_json_or_writes_file(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["zoo", "add", "statistics:median", "--id", "stats.median"])
    assert result.exit_code == 0, result.output
    entry = json.loads(result.stdout)
    assert (entry["id"], entry["callable"], entry["parameters"]["required"]) == (
        "stats.median",
        "statistics:median",
        ["data"],
    )
    target = tmp_path / "python_stats.json"
    for callable_name in ("statistics:median", "statistics:mean"):
        written = runner.invoke(app, ["zoo", "add", callable_name, "--to", str(target)])
        assert written.exit_code == 0, written.output
    assert ApiZoo.load(target).ids == ["statistics.mean", "statistics.median"]
    again = runner.invoke(app, ["zoo", "add", "statistics:mean", "--to", str(target)])
    assert again.exit_code == 1
    assert "duplicate id" in again.stderr


def test_add_from_openapi_and_bad_usage(runner: CliRunner, fixtures_dir: Path) -> None:
    doc = str(fixtures_dir / "petstore.yaml")
    result = runner.invoke(app, ["zoo", "add", "--openapi", doc, "--operation", "createPet"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["id"] == "pet_store.create_pet"
    missing = runner.invoke(app, ["zoo", "add", "--openapi", doc])
    assert missing.exit_code == 1
    assert "give --operation" in missing.stderr
    nothing = runner.invoke(app, ["zoo", "add"])
    assert nothing.exit_code == 1
    bad_id = runner.invoke(app, ["zoo", "add", "statistics:mean", "--id", "Not An Id"])
    assert bad_id.exit_code == 1
    assert "String should match pattern" in bad_id.stderr
    renamed = runner.invoke(
        app, ["zoo", "add", "--openapi", doc, "--operation", "listPets", "--id", "pets.all"]
    )
    assert json.loads(renamed.stdout)["provider"] == "pets"
    bad = runner.invoke(app, ["zoo", "add", "no_such_module_xyz:f"])
    assert bad.exit_code == 1
    assert "cannot import module 'no_such_module_xyz'" in bad.stderr


def test_import_gorilla_lists_every_skip_and_writes(
    runner: CliRunner, fixtures_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "imported.json"
    result = runner.invoke(
        app, ["zoo", "import", "gorilla", str(fixtures_dir / "gorilla"), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    skipped = [line for line in result.stdout.splitlines() if line.startswith("skipped ")]
    assert len(skipped) == 4
    assert "11 entries seen: 7 loaded, 4 skipped" in result.stdout
    assert len(ApiZoo.load(out)) == 7


def test_import_openapi_and_module(runner: CliRunner, fixtures_dir: Path) -> None:
    result = runner.invoke(app, ["zoo", "import", "openapi", str(fixtures_dir / "petstore.yaml"), "--notes"])
    assert result.exit_code == 0, result.output
    assert "8 entries seen: 4 loaded, 4 skipped" in result.stdout
    assert "note " in result.stdout
    module = runner.invoke(app, ["zoo", "import", "module", "textwrap"])
    assert module.exit_code == 0, module.output
    assert "5 entries seen: 5 loaded, 0 skipped" in module.stdout
    missing = runner.invoke(app, ["zoo", "import", "module", "no_such_module_xyz"])
    assert missing.exit_code == 1


def test_schema_command(runner: CliRunner) -> None:
    printed = runner.invoke(app, ["zoo", "schema"])
    assert printed.exit_code == 0
    assert json.loads(printed.stdout)["title"] == "ApiSpec"
    checked = runner.invoke(app, ["zoo", "schema", "--check"])
    assert checked.exit_code == 0, checked.output
