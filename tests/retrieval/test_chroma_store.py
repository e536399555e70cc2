"""The Chroma index against a real embedded Chroma in a temporary folder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from gorilla_router.errors import IndexMismatchError, RetrievalError, UsageError
from gorilla_router.retrieval.base import SearchFilters
from gorilla_router.retrieval.chroma_store import ChromaIndex, spec_hash, where_from_filters
from gorilla_router.retrieval.embeddings import HashEmbedder
from gorilla_router.specs import ApiSpec, Example


class FailingEmbedder(HashEmbedder):
    """Dies (like a killed process would) once ``fail_after`` texts have been embedded."""

    def __init__(self, fail_after: int) -> None:
        super().__init__(dimension=64, name="hash-64")
        self.fail_after = fail_after

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        if self.calls + len(texts) > self.fail_after:
            raise KeyboardInterrupt("simulated kill during sync")
        return super().embed(texts)


def bulk_spec(api_id: str, description: str) -> ApiSpec:
    name = api_id.rsplit(".", 1)[-1]
    return ApiSpec(id=api_id, name=name, description=description, kind="python", callable=f"pkg:{name}")


def many_specs(count: int, version: str = "1") -> list[ApiSpec]:
    return [bulk_spec(f"bulk.api_{i}", f"Bulk API number {i} version {version}.") for i in range(count)]


def assert_index_equals(index: ChromaIndex, specs: list[ApiSpec]) -> None:
    stored = index.stored_hashes()
    assert index.count() == len(specs) == len(stored)
    assert stored == {spec.id: spec_hash(spec) for spec in specs}


def test_default_location_is_the_cache_folder(isolated_cache: Path) -> None:
    index = ChromaIndex(HashEmbedder())
    assert Path(index.location) == isolated_cache / "index"
    assert index.count() == 0
    assert index.query(HashEmbedder().embed(["x"])[0], 3) == []


def test_collection_uses_cosine_hnsw_and_no_default_embedding_function(tmp_path: Path) -> None:
    index = ChromaIndex(HashEmbedder(), path=tmp_path, hnsw={"max_neighbors": 24})
    configuration = index._collection.configuration
    assert configuration["hnsw"]["space"] == "cosine"
    assert configuration["hnsw"]["max_neighbors"] == 24
    assert configuration["hnsw"]["ef_construction"] == 200
    assert configuration.get("embedding_function") is None
    assert index._collection.metadata == {"embedder": "hash-64", "dimension": 64}


def test_incremental_sync_embeds_only_what_changed(tmp_path: Path, small_zoo: list[ApiSpec]) -> None:
    embedder = HashEmbedder()
    index = ChromaIndex(embedder, path=tmp_path)
    first = index.sync(small_zoo)
    assert (first.added, first.updated, first.removed, first.unchanged) == (8, 0, 0, 0)
    assert embedder.calls == 8

    again = index.sync(small_zoo)
    assert (again.added, again.updated, again.removed, again.unchanged) == (0, 0, 0, 8)
    assert embedder.calls == 8
    assert not again.changed

    changed = [
        s.model_copy(update={"description": "Changed."}) if s.id == "stocks.quote" else s for s in small_zoo
    ]
    changed = [s for s in changed if s.id != "textlib.word_count"]
    changed.append(bulk_spec("textlib.upper", "Upper-case a text."))
    report = index.sync(changed)
    assert (report.added, report.updated, report.removed, report.unchanged) == (1, 1, 1, 6)
    assert embedder.calls == 10
    assert_index_equals(index, changed)
    reopened = ChromaIndex(HashEmbedder(), path=tmp_path)
    assert_index_equals(reopened, changed)


def test_writes_are_batched_and_progress_is_reported(tmp_path: Path) -> None:
    specs = many_specs(25)
    index = ChromaIndex(HashEmbedder(), path=tmp_path, write_batch=10)
    seen: list[tuple[int, int]] = []
    index.sync(specs, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(0, 25), (10, 25), (20, 25), (25, 25)]
    assert index.max_batch_size > 0
    assert_index_equals(index, specs)


def test_interrupted_sync_is_repaired_by_the_next_sync(tmp_path: Path) -> None:
    old = many_specs(40, "old")
    ChromaIndex(HashEmbedder(), path=tmp_path).sync(old)
    new = [*many_specs(30, "new"), bulk_spec("extra.one", "An extra API.")]
    with pytest.raises(KeyboardInterrupt):
        ChromaIndex(FailingEmbedder(fail_after=15), path=tmp_path, write_batch=10).sync(new)
    half = ChromaIndex(HashEmbedder(), path=tmp_path)
    assert half.count() == 30  # removals ran first; one batch of 10 new specs landed, 20 are still old
    report = half.sync(new)
    assert (report.added, report.updated, report.removed, report.unchanged) == (1, 20, 0, 10)
    assert_index_equals(half, new)


def test_sync_killed_by_sigkill_is_repaired(tmp_path: Path) -> None:
    child = textwrap.dedent(
        f"""
        import time
        from gorilla_router.specs import ApiSpec
        from gorilla_router.retrieval.chroma_store import ChromaIndex
        from gorilla_router.retrieval.embeddings import HashEmbedder

        class Slow(HashEmbedder):
            def embed(self, texts):
                time.sleep(0.05)
                return super().embed(texts)

        index = ChromaIndex(Slow(), path={str(tmp_path)!r}, write_batch=10)
        specs = [
            ApiSpec(id=f"bulk.api_{{i}}", name=f"api_{{i}}", description=f"Bulk API number {{i}} version 1.",
                    kind="python", callable=f"pkg:api_{{i}}")
            for i in range(400)
        ]
        index.sync(specs, progress=lambda done, total: print(done, flush=True))
        print("finished", flush=True)
        """
    )
    process = subprocess.Popen([sys.executable, "-c", child], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    for line in process.stdout:
        if line.strip().isdigit() and int(line) >= 50:
            break
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL

    embedder = HashEmbedder()
    index = ChromaIndex(embedder, path=tmp_path)
    written = index.count()
    assert 50 <= written < 400
    report = index.sync(many_specs(400))
    assert report.unchanged == written
    assert report.added == 400 - written
    assert embedder.calls == 400 - written
    assert_index_equals(index, many_specs(400))


def test_opening_with_another_model_names_both_and_the_fix(tmp_path: Path) -> None:
    ChromaIndex(HashEmbedder(64), path=tmp_path).sync(many_specs(3))
    with pytest.raises(IndexMismatchError) as error:
        ChromaIndex(HashEmbedder(32), path=tmp_path)
    message = str(error.value)
    assert "'hash-64' (dimension 64)" in message
    assert "'hash-32' (dimension 32)" in message
    assert "gorilla-router index --rebuild" in message
    with pytest.raises(IndexMismatchError, match="hash-other"):
        ChromaIndex(HashEmbedder(64, name="hash-other"), path=tmp_path)
    rebuilt = ChromaIndex(HashEmbedder(32), path=tmp_path, rebuild=True)
    assert rebuilt.count() == 0
    assert rebuilt.sync(many_specs(3)).added == 3


def test_duplicate_ids_and_bad_arguments_are_usage_errors(tmp_path: Path) -> None:
    index = ChromaIndex(HashEmbedder(), path=tmp_path)
    spec = bulk_spec("dup.api", "Duplicate.")
    with pytest.raises(UsageError, match=r"duplicate API id 'dup\.api'"):
        index.sync([spec, spec])
    with pytest.raises(UsageError, match="k must be"):
        index.query(HashEmbedder().embed(["x"])[0], 0)
    with pytest.raises(UsageError, match="either"):
        ChromaIndex(HashEmbedder(), path=tmp_path, host="localhost")


def test_chroma_failures_become_retrieval_errors(tmp_path: Path, small_zoo: list[ApiSpec]) -> None:
    index = ChromaIndex(HashEmbedder(), path=tmp_path)
    index.sync(small_zoo)
    with pytest.raises(RetrievalError, match="Chroma failed to query the index"):
        index.query(np.ones(7, dtype=np.float32), 3)


def test_query_scores_and_where_filters(tmp_path: Path, small_zoo: list[ApiSpec]) -> None:
    embedder = HashEmbedder()
    index = ChromaIndex(embedder, path=tmp_path)
    index.sync(small_zoo)
    vector = embedder.embed(["weather forecast city temperature rain wind"])[0]
    hits = index.query(vector, 3)
    assert hits[0][0] == "weather.forecast"
    assert hits[0][1] > hits[1][1]
    python_only = index.query(vector, 8, where_from_filters(SearchFilters(kind="python")))
    assert {api_id for api_id, _ in python_only} == {s.id for s in small_zoo if s.kind == "python"}
    tagged = index.query(vector, 8, where_from_filters(SearchFilters(tags=["math", "finance"])))
    assert {api_id for api_id, _ in tagged} == {"mathlib.sqrt", "mathlib.factorial", "stocks.quote"}
    writes = index.query(
        vector, 8, where_from_filters(SearchFilters(side_effects=["write"], provider="orders"))
    )
    assert [api_id for api_id, _ in writes] == ["orders.create"]


def test_where_from_filters_shapes() -> None:
    assert where_from_filters(None) is None
    assert where_from_filters(SearchFilters()) is None
    assert where_from_filters(SearchFilters(kind="rest")) == {"kind": {"$eq": "rest"}}
    assert where_from_filters(SearchFilters(kind="rest", tags=["a"])) == {
        "$and": [{"kind": {"$eq": "rest"}}, {"tag:a": {"$eq": True}}]
    }


def test_example_queries_are_indexed_and_follow_their_spec(tmp_path: Path) -> None:
    embedder = HashEmbedder()
    index = ChromaIndex(embedder, path=tmp_path)
    plain = bulk_spec("calc.add", "Add two integers.")
    with_examples = plain.model_copy(
        update={"examples": [Example(query="zebra giraffe total", call="calc.add(a=1, b=2)")]}
    )
    other = bulk_spec("calc.sub", "Subtract two integers.")
    index.sync([with_examples, other])
    assert embedder.calls == 3  # two documents and one example query
    assert index.count() == 2
    assert index._examples is not None
    assert index._examples.get()["ids"] == ["calc.add#0"]
    top = index.query(embedder.embed(["zebra giraffe total"])[0], 1)
    assert top[0][0] == "calc.add"
    assert top[0][1] == pytest.approx(1.0, abs=1e-5)

    index.sync([plain, other])  # the example was dropped from the spec
    assert index._examples.get()["ids"] == []
    index.sync([with_examples, other])
    index.sync([other])  # the spec was removed from the zoo
    assert index._examples.get()["ids"] == []
    assert_index_equals(index, [other])


def test_documents_only_index_skips_examples(tmp_path: Path) -> None:
    embedder = HashEmbedder()
    spec = bulk_spec("calc.add", "Add.").model_copy(
        update={"examples": [Example(query="sum", call="calc.add()")]}
    )
    index = ChromaIndex(embedder, path=tmp_path, examples=False)
    index.sync([spec])
    assert embedder.calls == 1
    assert index._examples is None


def test_sync_killed_between_example_rows_and_spec_row_is_repaired(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = bulk_spec("calc.add", "Add.").model_copy(
        update={
            "examples": [Example(query="sum up", call="calc.add()"), Example(query="plus", call="calc.add()")]
        }
    )
    broken = ChromaIndex(HashEmbedder(), path=tmp_path)

    def killed(**_: object) -> None:
        raise KeyboardInterrupt("killed before the spec row was written")

    monkeypatch.setattr(broken._collection, "upsert", killed)
    with pytest.raises(KeyboardInterrupt):
        broken.sync([spec])
    index = ChromaIndex(HashEmbedder(), path=tmp_path)
    assert index.count() == 0
    assert index._examples is not None
    assert sorted(index._examples.get()["ids"]) == ["calc.add#0", "calc.add#1"]
    assert index.sync([spec]).added == 1
    assert sorted(index._examples.get()["ids"]) == ["calc.add#0", "calc.add#1"]
    index.sync([])  # orphaned example rows of a spec that never landed are removed too
    broken_again = ChromaIndex(HashEmbedder(), path=tmp_path)
    monkeypatch.setattr(broken_again._collection, "upsert", killed)
    with pytest.raises(KeyboardInterrupt):
        broken_again.sync([spec])
    final = ChromaIndex(HashEmbedder(), path=tmp_path)
    final.sync([])
    assert final._examples is not None
    assert final._examples.get()["ids"] == []
    assert final.count() == 0
