"""Retrieval benchmark (issue 6): APIBench accuracy per hub, query latency at 3 sizes, build and sync speed.

    .venv/bin/python benchmarks/bench_retrieval.py            # full run (~8 min on a busy 2-core CPU)
    .venv/bin/python benchmarks/bench_retrieval.py --quick    # fewer questions, 20k instead of 100k specs
    .venv/bin/python benchmarks/bench_retrieval.py --hub tensorflowhub --skip-scale

Accuracy: one real Chroma index (embedded, temp folder) holds all three hubs; each hub is searched with a
``provider`` filter, so the filters-before-top-k path is what is measured. Gold API = every database record
with the gold ``api_call`` (see ``retrieval_apibench.py``). Gorilla's rows score the one doc appended to its
``questions_<hub>_{bm25,gpt_index}.jsonl`` on the same questions. Nothing is trained or tuned on the eval
questions except the two fusion hyper-parameters (lexical weight, RRF constant), chosen from a small grid.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from retrieval_apibench import HUB_LABEL, HUBS, Hub, load_hub
from retrieval_metrics import accuracy, gorilla_accuracy, identical_text_cap, majority_domain, percentile_ms
from retrieval_scale import perturbed_vectors, synthetic_specs

from gorilla_router.retrieval import ChromaIndex, HybridRetriever, SearchFilters, SentenceTransformerEmbedder
from gorilla_router.retrieval.chroma_store import spec_hash
from gorilla_router.retrieval.documents import document_metadata, document_text

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "apibench"
TARGETS = {
    "tensorflowhub": {"R@1": 0.60, "R@5": 0.85, "dom@1": 0.85},
    "huggingface": {"R@5": 0.50, "dom@1": 0.70},
    "torchhub": {"R@5": 0.45},
}


def table(title: str, header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(str(x)) for x in column) for column in zip(header, *rows, strict=True)]
    print(f"\n{title}")
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print("| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) + " |")
    sys.stdout.flush()


def accuracy_section(hubs: list[Hub], embedder: SentenceTransformerEmbedder, folder: Path, limit: int | None):
    specs = [spec for hub in hubs for spec in hub.specs]
    index = ChromaIndex(embedder, path=folder / "apibench")
    report = index.sync(specs)
    print(f"indexed {len(specs)} APIBench specs in {report.seconds:.1f}s")
    retriever = HybridRetriever(specs, embedder=embedder, index=index)
    rows = []
    for hub in hubs:
        if limit:
            hub.questions = hub.questions[:limit]
        texts = [q.text for q in hub.questions]
        vectors = embedder.embed(texts)
        provider = hub.specs[0].provider
        offset = next(i for i, s in enumerate(specs) if s.provider == provider)
        only = SearchFilters(provider=provider)
        dense = [[p for p, _ in retriever.dense_hits(v, 10, only)] for v in vectors]
        lexical = [[p for p, _ in retriever.lexical_hits(t, 10, only)] for t in texts]
        hybrid = [
            [retriever.position(c.spec.id) for c in found]
            for found in retriever.search_batch(texts, 10, only, vectors=vectors)
        ]
        cap = identical_text_cap(hub, [str(r["description"]) for r in hub.records])
        label = HUB_LABEL[hub.name]
        for name, ranking in (("bm25", lexical), ("dense", dense), ("hybrid", hybrid)):
            m = accuracy(hub, [[p - offset for p in r] for r in ranking])
            rows.append(
                [label, name, f"{m['R@1']:.3f}", f"{m['R@5']:.3f}", f"{m['R@10']:.3f}", f"{m['dom@1']:.3f}"]
            )
        for name in ("bm25", "gpt_index"):
            g = gorilla_accuracy(hub, name)
            rows.append([label, f"Gorilla {name} doc", f"{g['R@1']:.3f}", "-", "-", f"{g['dom@1']:.3f}"])
        rows.append(
            [
                label,
                "identical-text cap",
                f"{cap['R@1']:.3f}",
                f"{cap['R@5']:.3f}",
                f"{cap['R@10']:.3f}",
                f"{majority_domain(hub):.3f} (majority)",
            ]
        )
        target = TARGETS[hub.name]
        rows.append(
            [
                label,
                "target",
                *(f">= {target[k]:.2f}" if k in target else "" for k in ("R@1", "R@5", "R@10", "dom@1")),
            ]
        )
    sizes = ", ".join(f"{HUB_LABEL[h.name]} {len(h.specs)} APIs / {len(h.questions)} q" for h in hubs)
    table(
        f"APIBench retrieval ({sizes})",
        ["hub", "retriever", "R@1", "R@5", "R@10", "domain@1"],
        rows,
    )
    return specs, index, retriever


def latency(retriever: HybridRetriever, queries: list[str], repeats: int) -> dict[str, float]:
    total, embed, dense, lexical = [], [], [], []
    for query in (queries * repeats)[: max(len(queries), 1) * repeats]:
        t0 = time.perf_counter()
        vector = retriever.embedder.embed([query])[0]
        t1 = time.perf_counter()
        retriever.index.query(vector, retriever.pool)
        t2 = time.perf_counter()
        retriever.lexical.scores(query)
        t3 = time.perf_counter()
        retriever.search(query, k=5)
        t4 = time.perf_counter()
        total.append(t4 - t3)
        embed.append(t1 - t0)
        dense.append(t2 - t1)
        lexical.append(t3 - t2)
    return {
        "p50": percentile_ms(total, 50),
        "p95": percentile_ms(total, 95),
        "embed": percentile_ms(embed, 50),
        "chroma": percentile_ms(dense, 50),
        "bm25": percentile_ms(lexical, 50),
    }


def scale_section(
    base_specs, base_index, base_retriever, embedder, folder, queries, build_size, large, repeats
):
    rows = []
    measured = latency(base_retriever, queries, repeats)
    rows.append([f"{len(base_specs):,} (APIBench, real vectors)", *_lat(measured)])

    # build throughput vs raw embedding on the same documents, then fill up to 5,000 for a no-change sync
    specs5k = synthetic_specs(base_specs, 5000)
    build_specs = specs5k[:build_size]
    documents = [document_text(s) for s in build_specs]
    t0 = time.perf_counter()
    embedder.embed(documents)
    raw_rate = len(documents) / (time.perf_counter() - t0)
    print(f"raw embedding: {raw_rate:.0f} docs/s", flush=True)
    index5k = ChromaIndex(embedder, path=folder / "synthetic5k")
    build = index5k.sync(build_specs)
    build_rate = len(build_specs) / build.seconds
    base_vectors = _stored_vectors(base_index, [s.id for s in base_specs])
    rest = specs5k[build_size:]
    index5k.add_vectors(
        [s.id for s in rest],
        perturbed_vectors(base_vectors, len(rest), seed=1),
        [document_metadata(s, spec_hash(s)) for s in rest],
    )
    nochange = index5k.sync(specs5k)
    print(f"build: {build_rate:.0f} specs/s; no-change sync of 5,000: {nochange.seconds:.3f}s", flush=True)
    retriever5k = HybridRetriever(specs5k, embedder=embedder, index=index5k)
    rows.append(["5,000 (synthetic)", *_lat(latency(retriever5k, queries, repeats))])

    t0 = time.perf_counter()
    big_specs = synthetic_specs(base_specs, large, seed=2)
    index_big = ChromaIndex(embedder, path=folder / "synthetic_big")
    index_big.add_vectors(
        [s.id for s in big_specs],
        perturbed_vectors(base_vectors, large, seed=2),
        [
            {
                "kind": "python",
                "provider": "synth",
                "side_effects": "none",
                "tags": "",
                "content_hash": "synthetic",
            }
        ]
        * large,
    )
    retriever_big = HybridRetriever(big_specs, embedder=embedder, index=index_big)
    print(f"built the {large:,}-spec synthetic index in {time.perf_counter() - t0:.0f}s")
    rows.append(
        [f"{large:,} (synthetic, perturbed vectors)", *_lat(latency(retriever_big, queries, repeats))]
    )
    table(
        "Query latency, ms (hybrid search k=5, query embedding included; parts are medians)",
        ["index size", "p50", "p95", "embed", "chroma", "bm25"],
        rows,
    )
    table(
        "Indexing speed",
        ["measure", "value"],
        [
            [f"raw embedding, {build_size:,} docs", f"{raw_rate:.0f} specs/s"],
            [
                f"index build (sync), {build_size:,} specs",
                f"{build_rate:.0f} specs/s ({build_rate / raw_rate:.0%} of raw)",
            ],
            ["no-change sync, 5,000 specs", f"{nochange.seconds:.3f} s (unchanged {nochange.unchanged})"],
        ],
    )


def _lat(m: dict[str, float]) -> list[str]:
    return [f"{m[k]:.1f}" for k in ("p50", "p95", "embed", "chroma", "bm25")]


def _stored_vectors(index: ChromaIndex, ids: list[str]) -> np.ndarray:
    got = index._collection.get(ids=ids[: index.max_batch_size], include=["embeddings"])
    return np.asarray(got["embeddings"], dtype=np.float32)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help="the apibench folder of the shared data"
    )
    parser.add_argument("--hub", action="append", choices=HUBS, help="hubs to measure (default: all three)")
    parser.add_argument(
        "--quick", action="store_true", help="200 questions per hub, 20k large index, 300 build"
    )
    parser.add_argument("--limit", type=int, default=None, help="questions per hub")
    parser.add_argument("--skip-scale", action="store_true", help="accuracy only")
    parser.add_argument("--large", type=int, default=None, help="size of the large synthetic index")
    parser.add_argument("--build", type=int, default=None, help="specs embedded for the throughput figures")
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"APIBench data not found at {args.data}; skipping (pass --data)")
        return
    limit = args.limit or (200 if args.quick else None)
    large = args.large or (20_000 if args.quick else 100_000)
    build_size = args.build or (300 if args.quick else 1000)
    started = time.perf_counter()
    embedder = SentenceTransformerEmbedder()
    print(f"embedder {embedder.name} on {embedder.device}; timings on a shared, busy CPU are upper bounds")
    hubs = [load_hub(args.data, name) for name in (args.hub or HUBS)]
    with tempfile.TemporaryDirectory(prefix="bench-retrieval-") as tmp:
        folder = Path(tmp)
        specs, index, retriever = accuracy_section(hubs, embedder, folder, limit)
        if not args.skip_scale:
            queries = [q.text for hub in hubs for q in hub.questions[:20]]
            scale_section(specs, index, retriever, embedder, folder, queries, build_size, large, repeats=1)
    print(f"\ntotal {time.perf_counter() - started:.0f}s")


if __name__ == "__main__":
    main()
