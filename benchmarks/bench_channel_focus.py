"""How often the channel's top k candidates hold every right function: the basis of ``prompt_candidates``.

Reads a per-item file written by ``bench_end_to_end.py --out`` (each call request with its five retrieved
candidates and its gold calls), scores each request after each candidate's description with the default
model (:func:`gorilla_router.generation.toolcall.channel.channel_evidence`, the pass the decoder runs
before it renders the prompt) and prints, for k = 1…5, how many call requests whose right functions were all
retrieved keep all of them in the channel's top k — beside the retriever's own top k:

    python benchmarks/bench_end_to_end.py --split tune --backends embedded --out tune.jsonl
    python benchmarks/bench_channel_focus.py tune.jsonl
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from gorilla_router.generation.constrained.torch_chooser import TorchChooser
from gorilla_router.generation.ladder import ensure_model_folder, resolve_rung
from gorilla_router.generation.toolcall.channel import channel_evidence
from gorilla_router.generation.transformers_backend import load_model
from gorilla_router.zoo import ApiZoo

_FUNCTION = re.compile(r"([\w.]+)\(")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("items", type=Path, help="a bench_end_to_end.py --out file")
    parser.add_argument("--model", default="default", help="a ladder name")
    args = parser.parse_args()

    zoo = ApiZoo.bundled()
    entry = load_model(str(ensure_model_folder(resolve_rung(args.model))))
    chooser = TorchChooser(entry.model, entry.tokenizer)
    channel_ranks: list[list[int]] = []
    retrieval_ranks: list[list[int]] = []
    seen: set[str] = set()  # a file of several backends holds each request once per backend
    for line in args.items.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        if item["category"] not in ("single", "parallel") or item["query"] in seen:
            continue
        seen.add(item["query"])
        gold = {match.group(1) for call in item["calls"] if (match := _FUNCTION.match(call))}
        candidates: list[str] = item["candidates"]
        if not gold or not gold <= set(candidates):
            continue
        evidence = channel_evidence(chooser, item["query"], [zoo.get(api_id) for api_id in candidates])
        order = sorted(range(len(candidates)), key=lambda i: (-evidence.scores[i], i))
        channel_ranks.append([order.index(candidates.index(api_id)) for api_id in gold])
        retrieval_ranks.append([candidates.index(api_id) for api_id in gold])

    total = len(channel_ranks)
    print(f"{total} call requests whose right functions were all among the candidates ({args.items.name})")
    print(f"{'k':>3} {'channel top k':>15} {'retriever top k':>17}")
    for k in range(1, 6):
        by_channel = sum(all(rank < k for rank in ranks) for ranks in channel_ranks)
        by_retriever = sum(all(rank < k for rank in ranks) for ranks in retrieval_ranks)
        print(f"{k:>3} {by_channel:>9} / {total:<3} {by_retriever:>11} / {total:<3}")


if __name__ == "__main__":
    main()
