"""Retriever-aware training samples from a zoo: the prompt the router really shows, the call it should write.

For each training example (request → call) of each entry, the request goes through the real hybrid
retriever (dense Chroma + BM25, the router's own) and the top-k candidates become the sample's tools, in
retrieval order — so the right API is sometimes not first and sometimes absent, in which case the target is
"no call" (kind ``not_retrieved``). A request the router would not even show the model (best dense
similarity under ``min_score``) gives no sample.

Cross-fitting: retrieval documents include the zoo's example queries, so a request would find *itself* in an
index built from all training examples — an easier retrieval than at run time. The examples are split into
``folds``; each fold's requests are retrieved from an index of the zoo without that fold's examples, as a
held-out request is at run time. ``folds=1`` indexes everything (faster, optimistic).

Augmentations (:mod:`.augment`) are switchable by rate and counted in :attr:`DataSet.counts`.
"""

from __future__ import annotations

import random
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gorilla_router.errors import GenerationError
from gorilla_router.generation.toolcall.prompt import compact_tool
from gorilla_router.proposal import retrieval_no_call
from gorilla_router.retrieval.base import Embedder
from gorilla_router.specs import ApiSpec, Candidate
from gorilla_router.zoo import ApiZoo

from .augment import AugmentOptions, augment
from .samples import Sample, answer_text

__all__ = ["DataOptions", "DataSet", "build_zoo_samples"]

PAIR_JOINERS = (", and ", "; also ", " and then ", ". Then ")


@dataclass(frozen=True)
class DataOptions:
    """How samples are built: top ``k`` as the router shows, ``folds`` for cross-fitting, the seed, rates."""

    k: int = 5
    folds: int = 4
    seed: int = 0
    min_score: float = 0.2
    augment: AugmentOptions = field(default_factory=AugmentOptions)
    not_retrieved: float = 1.0
    """Share of the examples whose API the retriever missed that become "no call" samples (the rest are
    counted as ``not_retrieved_dropped``). Where the retriever misses often, these dominate the "no call"
    targets, and a model trained on more of them than the run-time share declines too often (measured:
    one epoch with all of them turned the 0.5B's no-call answers from 3 % to 23 % of held-out requests)."""
    grounded: bool = False
    """Targets as the router would send them: each example's call goes through grounding first
    (:func:`~gorilla_router.generation.grounding.ground_call`, the stage that runs after the model at run
    time), and the optional values its request does not state are left out of the target (counted as
    ``grounded_dropped``). 53 of the bundled zoo's 429 examples carry such a value (``limit=5`` for
    "search for the book …", ``fields="name,languages"``); trained on them as written, a model learns to
    write values the router then drops, or copies an example's value into another request."""


@dataclass
class DataSet:
    """The samples and how many of each kind were made or skipped (and why)."""

    samples: list[Sample] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)

    def extend(self, other: DataSet) -> None:
        self.samples += other.samples
        self.counts.update(other.counts)


@dataclass(frozen=True)
class _Example:
    spec: ApiSpec
    index: int
    query: str
    call: dict[str, Any]

    @property
    def source(self) -> str:
        return f"zoo:{self.spec.id}#{self.index}"


Search = Callable[[str, int], list[Candidate]]


def _examples(zoo: ApiZoo, counts: Counter[str], grounded: bool = False) -> list[_Example]:
    from gorilla_router.generation.grounding import ground_call
    from gorilla_router.generation.parsing import parse_calls

    out = []
    for spec in zoo:
        for index, example in enumerate(spec.examples):
            try:
                calls = parse_calls(example.call, [spec])
            except GenerationError:
                counts["unparsable_example"] += 1
                continue
            if len(calls) != 1 or calls[0].api_id != spec.id:
                counts["unparsable_example"] += 1
                continue
            arguments = calls[0].arguments
            if grounded:
                checked = ground_call(example.query, calls[0], spec)
                if checked.dropped and not checked.missing:
                    counts["grounded_dropped"] += len(checked.dropped)
                    arguments = {k: v for k, v in arguments.items() if k not in checked.dropped}
            out.append(_Example(spec, index, example.query, {"name": spec.id, "arguments": arguments}))
    return out


def _retriever(specs: Sequence[ApiSpec], embedder: Embedder, folder: Path) -> Search:
    from gorilla_router.retrieval import ChromaIndex, HybridRetriever

    index = ChromaIndex(embedder, path=folder, collection="finetune")
    index.sync(specs)
    retriever = HybridRetriever(list(specs), embedder=embedder, index=index)
    return lambda query, k: retriever.search(query, k=k)


def _without(zoo: ApiZoo, leave_out: set[tuple[str, int]]) -> list[ApiSpec]:
    specs = []
    for spec in zoo:
        kept = [e for i, e in enumerate(spec.examples) if (spec.id, i) not in leave_out]
        specs.append(spec.model_copy(update={"examples": kept}) if len(kept) != len(spec.examples) else spec)
    return specs


def _fold_samples(
    examples: Sequence[_Example], search: Search, options: DataOptions, rng: random.Random
) -> DataSet:
    out = DataSet()
    rates = options.augment
    for example in examples:
        found = search(example.query, options.k + 1)
        if retrieval_no_call(found[: options.k], options.min_score) is not None:
            out.counts["below_min_score"] += 1
            continue
        shown = found[: options.k]
        ids = [c.spec.id for c in shown]
        tools = [compact_tool(c.spec) for c in shown]
        if example.spec.id in ids:
            out.samples.append(
                Sample(
                    example.query, tools, answer_text([example.call]), "call", example.source, [example.call]
                )
            )
            out.counts["call"] += 1
            if rates.irrelevance and rng.random() < rates.irrelevance:
                others = [compact_tool(c.spec) for c in found if c.spec.id != example.spec.id][: options.k]
                if others:
                    out.samples.append(
                        Sample(example.query, others, answer_text([]), "irrelevance", example.source)
                    )
                    out.counts["irrelevance"] += 1
        elif options.not_retrieved >= 1 or rng.random() < options.not_retrieved:
            out.samples.append(Sample(example.query, tools, answer_text([]), "not_retrieved", example.source))
            out.counts["not_retrieved"] += 1
        else:
            out.counts["not_retrieved_dropped"] += 1
    if rates.pair:
        out.extend(_pairs(examples, search, options, rng))
    return out


def _pairs(examples: Sequence[_Example], search: Search, options: DataOptions, rng: random.Random) -> DataSet:
    """Several-call samples: two requests of different APIs joined; kept when both APIs are retrieved."""
    out = DataSet()
    wanted = round(options.augment.pair * len(examples))
    if len(examples) < 2:
        return out
    for _ in range(wanted):
        first, second = rng.sample(list(examples), 2)
        if first.spec.id == second.spec.id:
            out.counts["pair_skipped"] += 1
            continue
        query = first.query.rstrip(" .?!") + rng.choice(PAIR_JOINERS) + second.query
        shown = search(query, options.k)
        ids = [c.spec.id for c in shown]
        if first.spec.id not in ids or second.spec.id not in ids:
            out.counts["pair_skipped"] += 1
            continue
        calls = [first.call, second.call]
        tools = [compact_tool(c.spec) for c in shown]
        out.samples.append(
            Sample(query, tools, answer_text(calls), "pair", f"{first.source}+{second.source}", calls)
        )
        out.counts["pair"] += 1
    return out


def build_zoo_samples(
    zoo: ApiZoo,
    embedder: Embedder,
    options: DataOptions | None = None,
    *,
    workdir: str | Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> DataSet:
    """Samples for every example of ``zoo`` (pass the zoo *without* its held-out examples)."""
    options = options or DataOptions()
    report = progress or (lambda _line: None)
    rng = random.Random(options.seed)  # noqa: S311 - seeded data order, not security
    result = DataSet()
    examples = _examples(zoo, result.counts, options.grounded)
    order = list(range(len(examples)))
    rng.shuffle(order)
    folds = max(1, min(options.folds, len(examples)))
    parts = [[examples[i] for i in order[f::folds]] for f in range(folds)]
    folder = Path(tempfile.mkdtemp(prefix="finetune-index-", dir=workdir))
    try:
        for number, part in enumerate(parts, 1):
            leave_out = {(e.spec.id, e.index) for e in part} if folds > 1 else set()
            report(f"fold {number}/{folds}: indexing {len(zoo)} APIs without {len(leave_out)} example(s)")
            search = _retriever(_without(zoo, leave_out), embedder, folder / f"fold{number}")
            result.extend(_fold_samples(part, search, options, rng))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    extra = augment(result.samples, options.augment, rng, result.counts)
    result.samples += extra
    return result
