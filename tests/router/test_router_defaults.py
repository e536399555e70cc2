"""The router's default parts from configuration: bundled zoo, real embedded Chroma, fingerprinted sync.

Uses the hash embedder (a fake, fast) and the TestModel so it runs in seconds; the real models are covered
by the slow end-to-end tests.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gorilla_router import CallStatus, GorillaRouter, RouterConfig
from gorilla_router.errors import ConfigError, SpecError
from gorilla_router.execution import RecordingExecutor
from gorilla_router.retrieval import HashEmbedder
from gorilla_router.zoo import ApiZoo


@pytest.fixture
def isolated_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GORILLA_ROUTER_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path


def _config(tmp: Path, **extra) -> RouterConfig:
    return RouterConfig(backend="test", embedder="hash", chroma_path=tmp / "index", **extra)


def test_no_arguments_but_config_uses_the_bundled_zoo_and_an_embedded_index(isolated_cache: Path) -> None:
    transports = {"rest": RecordingExecutor(), "python": RecordingExecutor()}
    router = GorillaRouter(config=_config(isolated_cache), transports=transports)
    assert len(router.zoo) == len(ApiZoo.bundled())
    assert router.zoo.get("math.sqrt").kind == "python"
    candidates = router.search("square root of a number", k=5)
    assert 1 <= len(candidates) <= 5
    assert [c.rank for c in candidates] == list(range(1, len(candidates) + 1))
    assert (isolated_cache / "index").is_dir()


def test_index_syncs_on_first_use_and_only_when_the_zoo_changed(isolated_cache: Path) -> None:
    config = _config(isolated_cache)
    zoo = ApiZoo.bundled()
    progress: list[tuple[int, int]] = []
    first = HashEmbedder()
    router = GorillaRouter(
        zoo=zoo, config=config, embedder=first, progress=lambda d, t: progress.append((d, t))
    )
    assert first.calls == 0  # nothing happens before the first use
    router.search("weather in Berlin")
    assert first.calls > len(zoo)  # every spec embedded (at least once), plus the query
    assert progress
    assert progress[-1][0] == progress[-1][1] == len(zoo)
    before = first.calls
    router.search("weather in Berlin")
    per_query = first.calls - before  # what one search costs on a synced index

    second = HashEmbedder()
    GorillaRouter(zoo=zoo, config=config, embedder=second).search("weather in Berlin")
    assert second.calls == per_query  # the fingerprint matched: only the query was embedded

    smaller = ApiZoo([s for s in zoo if s.id != "math.sqrt"])
    third = HashEmbedder()
    found = GorillaRouter(zoo=smaller, config=config, embedder=third).search("square root", k=10)
    assert third.calls == per_query  # removing a spec deletes it without re-embedding the others
    assert "math.sqrt" not in {c.spec.id for c in found}


def test_a_zoo_from_the_configuration(isolated_cache: Path) -> None:
    folder = isolated_cache / "myzoo"
    folder.mkdir()
    entry = ApiZoo.bundled().get("math.sqrt").model_dump(mode="json", exclude_defaults=True)
    (folder / "mine.json").write_text(json.dumps([entry]), encoding="utf-8")
    transports = {"rest": RecordingExecutor(), "python": RecordingExecutor()}
    router = GorillaRouter(config=_config(isolated_cache, zoo=[folder]), transports=transports)
    assert router.zoo.ids == ["math.sqrt"]
    result = router.run("what is the square root of 3342398")
    assert result.status is CallStatus.OK
    assert result.call is not None
    assert result.call.api_id == "math.sqrt"


def test_bad_zoo_and_bad_chroma_settings_are_clear(isolated_cache: Path) -> None:
    with pytest.raises(SpecError, match="no such file or folder"):
        _ = GorillaRouter(config=_config(isolated_cache, zoo=[isolated_cache / "missing"])).zoo
    lonely_port = RouterConfig(backend="test", embedder="hash", chroma_port=8123)
    with pytest.raises(ConfigError, match="CHROMA_HOST"):
        GorillaRouter(config=lonely_port).search("anything")


def test_a_new_document_format_resyncs_the_index(
    isolated_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gorilla_router.retrieval import chroma_store

    config = _config(isolated_cache)
    zoo = ApiZoo([s for s in ApiZoo.bundled() if s.provider == "math"])
    GorillaRouter(zoo=zoo, config=config, embedder=HashEmbedder()).search("square root")
    monkeypatch.setattr(chroma_store, "DOCUMENT_VERSION", chroma_store.DOCUMENT_VERSION + "-next")
    again = HashEmbedder()
    GorillaRouter(zoo=zoo, config=config, embedder=again).search("square root")
    assert again.calls > len(zoo)  # every spec re-embedded in the new format
