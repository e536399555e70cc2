"""``gorilla-router index`` / ``search`` through Typer's runner, on the bundled zoo with the hash embedder."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from gorilla_router.cli import app
from gorilla_router.paths import bundled_zoo_dir

runner = CliRunner()


@pytest.fixture(autouse=True)
def hash_embedder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GORILLA_ROUTER_EMBEDDER", "hash")
    monkeypatch.delenv("GORILLA_ROUTER_CONFIG", raising=False)
    monkeypatch.delenv("GORILLA_ROUTER_ZOO", raising=False)


@pytest.fixture
def zoo_file(tmp_path: Path) -> Path:
    files = sorted(bundled_zoo_dir().glob("python_math.json"))
    if not files:
        pytest.skip("the bundled apizoo/python_math.json is not there")
    return files[0]


def test_index_then_incremental_then_rebuild(zoo_file: Path) -> None:
    first = runner.invoke(app, ["index", "--zoo", str(zoo_file)])
    assert first.exit_code == 0, first.output
    assert "unchanged 0" in first.output
    assert "hash-64" in first.output
    second = runner.invoke(app, ["index", "--zoo", str(zoo_file)])
    assert second.exit_code == 0
    assert "added 0" in second.output
    rebuilt = runner.invoke(app, ["index", "--rebuild", "--zoo", str(zoo_file)])
    assert rebuilt.exit_code == 0
    assert "unchanged 0" in rebuilt.output


def test_search_prints_a_ranked_table(zoo_file: Path) -> None:
    result = runner.invoke(app, ["search", "square root of a number", "-k", "3", "--zoo", str(zoo_file)])
    assert result.exit_code == 0, result.output
    assert "math.sqrt" in result.output
    assert "rank" in result.output
    filtered = runner.invoke(app, ["search", "square root", "--kind", "rest", "--zoo", str(zoo_file)])
    assert filtered.exit_code == 0
    assert "no API matches" in filtered.output


def test_search_rejects_a_bad_kind_and_reports_a_model_mismatch(
    zoo_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = runner.invoke(app, ["search", "x", "--kind", "soap", "--zoo", str(zoo_file)])
    assert bad.exit_code == 2
    assert "--kind must be" in bad.output
    assert runner.invoke(app, ["index", "--zoo", str(zoo_file)]).exit_code == 0
    monkeypatch.setenv("GORILLA_ROUTER_EMBEDDER", "")
    import gorilla_router.retrieval as retrieval

    class OtherModel(retrieval.HashEmbedder):
        def __init__(self, model: str | None = None) -> None:
            super().__init__(dimension=32, name="other-model")

    monkeypatch.setattr(retrieval, "SentenceTransformerEmbedder", OtherModel)
    mismatch = runner.invoke(app, ["index", "--zoo", str(zoo_file)])
    assert mismatch.exit_code == 1
    assert "gorilla-router index --rebuild" in mismatch.output
    assert "other-model" in mismatch.output


def test_the_index_command_leaves_the_index_as_a_router_would(
    zoo_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After ``gorilla-router index`` a router finds the index current and embeds nothing."""
    from gorilla_router import RouterConfig, components
    from gorilla_router.retrieval import HashEmbedder, build_retriever, index_status
    from gorilla_router.zoo import ApiZoo

    monkeypatch.setenv("GORILLA_ROUTER_CHROMA_PATH", str(tmp_path / "index"))
    assert runner.invoke(app, ["index", "--zoo", str(zoo_file)]).exit_code == 0
    config = RouterConfig.load(zoo=[zoo_file])
    location = components.index_location(config)
    specs = ApiZoo.load(zoo_file).specs
    embedder = HashEmbedder()
    assert index_status(location, specs, embedder).current
    build_retriever(specs, embedder, location)
    assert embedder.calls == 0
