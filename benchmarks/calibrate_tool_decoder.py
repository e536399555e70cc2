"""Calibrate the decoder's function choice on the TUNE split only: ``rank_weight`` and ``no_call_bias``.

    .venv/bin/python benchmarks/calibrate_tool_decoder.py [--backend embedded] [--top-k 5]

For every tune item (the second-to-last example of each zoo entry, and the "tune" requests of
``benchmarks/data/e2e_extra.json``; both the tune and the test examples are removed from the zoo and the
index, and requests under the retrieval threshold are "no call" before any model, as in the router) the
real retriever offers the candidates and the model scores each candidate id and ``none`` once (one prompt,
one batched pass). A grid search then picks the rank prior and the no-call bias that make the most right
first decisions (right API for call items, ``none`` for no-call items). The chosen values are printed; they
are the defaults in ``ToolDecodeOptions`` — chosen here, never on the test split that
``bench_end_to_end.py`` reports.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from bench_end_to_end import build_router, split_dirs, split_zoo

from gorilla_router.generation.toolcall.decoder import ToolCallDecoder, ToolDecodeOptions
from gorilla_router.proposal import retrieval_no_call
from gorilla_router.zoo import ApiZoo


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backend", default="embedded")
    parser.add_argument("--top-k", type=int, default=5)
    args = parser.parse_args()
    zoo = ApiZoo.bundled()
    entries, items = split_zoo(zoo, "tune")
    zoo_dir, index_dir = split_dirs("tune")
    work = zoo_dir.parent
    zoo_dir.mkdir(parents=True, exist_ok=True)
    (zoo_dir / "heldout.json").write_text(json.dumps(entries), encoding="utf-8")
    router = build_router(zoo_dir, index_dir, args.backend)
    router.warm_up()
    backend = router.backend
    entry = backend.loaded()  # type: ignore[attr-defined]
    from gorilla_router.generation.constrained.torch_chooser import TorchChooser

    chooser = TorchChooser(entry.model, entry.tokenizer)
    prompt = backend._prompt(entry.tokenizer)  # type: ignore[attr-defined]
    rows = []
    started = time.perf_counter()
    for item in items:
        candidates = router.search(item["query"], k=args.top_k)
        gold = {text.split("(", 1)[0] for text in item["calls"]}
        if retrieval_no_call(candidates, router.config.min_score) is not None:  # the router asks no model
            rows.append({"gold": sorted(gold), "ids": [], "scores": {}})
            continue
        head, tail = prompt.render_parts(item["query"], candidates)
        decoder = ToolCallDecoder(chooser, ToolDecodeOptions(max_calls=1, max_arguments=0))
        turn = decoder.decode(chooser.start(head, tail), [c.spec for c in candidates])
        rows.append(
            {"gold": sorted(gold), "ids": [c.spec.id for c in candidates], "scores": turn.function_scores}
        )
        if len(rows) % 20 == 0:
            print(f"  {len(rows)}/{len(items)} items, {time.perf_counter() - started:.0f} s", flush=True)
    seconds = time.perf_counter() - started
    (work / "calibration-rows.json").write_text(json.dumps(rows), encoding="utf-8")

    def right(row: dict, weight: float, bias: float) -> bool:
        ids, scores = row["ids"], row["scores"]
        if not ids:
            return not row["gold"]
        adjusted = [scores[i] - weight * rank for rank, i in enumerate(ids)]
        best = max(range(len(ids)), key=adjusted.__getitem__)
        calls = adjusted[best] - (scores["none"] + bias) >= 0
        if not row["gold"]:
            return not calls
        return calls and ids[best] in row["gold"]

    grid = itertools.product([0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0], [-4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6])
    results = sorted(((sum(right(r, w, b) for r in rows), w, b) for w, b in grid), reverse=True)
    baseline = sum(right(r, 0.0, 0.0) for r in rows)
    n_none = sum(not r["gold"] for r in rows)
    print(f"{len(rows)} tune items ({n_none} no-call), {seconds / len(rows):.2f} s per item")
    print(f"model alone (weight 0, bias 0): {baseline}/{len(rows)} right first decisions")
    for score, weight, bias in results[:8]:
        none_right = sum(right(r, weight, bias) for r in rows if not r["gold"])
        print(
            f"rank_weight {weight:>4}  no_call_bias {bias:>3}: {score}/{len(rows)} "
            f"(no-call {none_right}/{n_none})"
        )


if __name__ == "__main__":
    main()
