"""The embedded model folder: converted once, atomically, then only found."""

from __future__ import annotations

from pathlib import Path

import pytest

from gorilla_router.errors import BackendError
from gorilla_router.generation import embedded, ladder


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("GORILLA_ROUTER_CACHE_DIR", str(tmp_path))
    return tmp_path


def fake_conversion(calls: list[Path]):
    def convert(target: Path, progress) -> None:
        calls.append(target)
        progress("converting (fake)")
        target.mkdir(parents=True)
        (target / ".gorilla_router_converted").write_text(ladder.CONVERSION_VERSION)

    return convert


def test_converts_once_then_finds_the_folder(cache, monkeypatch):
    calls: list[Path] = []
    lines: list[str] = []
    monkeypatch.setattr(embedded, "_convert", fake_conversion(calls))
    first = embedded.ensure_embedded_model(lines.append)
    second = embedded.ensure_embedded_model(lines.append)
    assert first == second == cache / "models" / embedded.EMBEDDED_MODEL_NAME
    assert calls == [first]
    assert lines == ["converting (fake)"]


def test_a_folder_without_the_completion_marker_is_converted_again(cache, monkeypatch):
    half_written = cache / "models" / embedded.EMBEDDED_MODEL_NAME
    half_written.mkdir(parents=True)
    (half_written / "config.json").write_text("{}")
    calls: list[Path] = []

    def convert(target: Path, progress) -> None:
        calls.append(target)
        raise BackendError("stop here")

    monkeypatch.setattr(embedded, "_convert", convert)
    with pytest.raises(BackendError):
        embedded.ensure_embedded_model()
    assert calls == [half_written]


@pytest.mark.slow
def test_the_real_cached_model_loads_without_converting(monkeypatch):
    """After the first (real) conversion in the user cache, loading never converts again."""
    path = embedded.ensure_embedded_model()  # converts on a fresh machine (about a minute), else finds it

    def refuse(target: Path, progress) -> None:
        raise AssertionError("converted a second time")

    monkeypatch.setattr(embedded, "_convert", refuse)
    assert embedded.ensure_embedded_model() == path
    assert (path / "model.safetensors").is_file()
    assert (path / "tokenizer.json").is_file()
