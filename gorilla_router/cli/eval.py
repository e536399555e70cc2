"""``gorilla-router eval bfcl | apibench | openfunctions``: score a backend (or saved responses).

Each command prints the headline table (accuracy, hallucination where defined) and per-category counts,
and writes one JSON Lines record per item (``--out``; default under the cache folder) so failures can be
read afterwards. Exit status: 0 when the run completed, 3 on a usage / data error.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from gorilla_router.errors import ConfigError, RouterError, UsageError
from gorilla_router.evaluation import (
    ApiBenchData,
    EvalReport,
    evaluate,
    evaluate_apibench,
    evaluate_responses,
    gold_candidates,
    load_bfcl,
    load_openfunctions,
    load_responses,
    openfunctions_to_bfcl,
    retrieved_candidates,
    score_apibench_responses,
    unique_specs,
)
from gorilla_router.evaluation.apibench import check_hub, read_jsonl
from gorilla_router.evaluation.apibench_specs import record_spec
from gorilla_router.evaluation.retrievers import make_retriever
from gorilla_router.evaluation.tables import categories_table, summary_table, verdicts_table
from gorilla_router.generation.base import ModelBackend
from gorilla_router.paths import cache_dir

__all__ = ["register"]

eval_app = typer.Typer(
    help="Measure a backend on BFCL-style files, APIBench or OpenFunctions.", no_args_is_help=True
)

DATA_ENV = "GORILLA_ROUTER_BENCHMARK_DATA"
BackendOption = Annotated[
    str | None,
    typer.Option(
        "--backend", "-b", help="Model backend: embedded (default), test, openai:…, transformers:…."
    ),
]
ResponsesOption = Annotated[
    Path | None, typer.Option("--responses", help="Score outputs produced elsewhere (JSON Lines) instead.")
]
LimitOption = Annotated[int | None, typer.Option("--limit", "-n", min=1, help="Only the first N items.")]
OutOption = Annotated[Path | None, typer.Option("--out", "-o", help="Per-item results (JSON Lines).")]
TopKOption = Annotated[int, typer.Option("--k", "-k", min=1, help="Candidates offered in retrieval modes.")]
RetrieverOption = Annotated[
    str, typer.Option("--retriever", help="lexical (in-memory BM25) or hybrid (Chroma + BM25).")
]


def _data_dir(given: Path | None) -> Path:
    """The benchmark data folder: --data, else $GORILLA_ROUTER_BENCHMARK_DATA, else ../shared/data."""
    folder = given or Path(os.environ.get(DATA_ENV, "../shared/data"))
    if not folder.exists():
        raise ConfigError(f"benchmark data not found at {folder}; pass --data or set {DATA_ENV}")
    return folder


def _finish(
    console: Console, report: EvalReport, out: Path | None, kind: str, apibench: bool = False
) -> None:
    console.print(summary_table(report))
    console.print(verdicts_table(report) if apibench else categories_table(report))
    target = report.write_jsonl(out or cache_dir() / "eval" / f"{kind}.jsonl")
    console.print(f"per-item results: {target}")


def _fail(console: Console, error: RouterError) -> typer.Exit:
    console.print(f"[red]error:[/red] {error}")
    return typer.Exit(3 if isinstance(error, UsageError) else 1)


def _backend(name: str | None) -> ModelBackend:
    from gorilla_router.generation.registry import load_backend  # lazy: backends import heavy libraries

    return load_backend(name)


@eval_app.command("bfcl")
def bfcl_command(
    questions: Annotated[Path, typer.Option("--questions", "-q", help="Questions file (JSON Lines).")],
    answers: Annotated[
        Path | None, typer.Option("--answers", "-a", help="Possible-answer file (JSON Lines).")
    ] = None,
    limit: LimitOption = None,
    backend: BackendOption = None,
    responses: ResponsesOption = None,
    out: OutOption = None,
) -> None:
    """Score calls on BFCL-format files with the AST checker (the item's own functions are offered)."""
    console = Console()
    try:
        items = load_bfcl(questions, answers, limit)
        if responses is not None:
            report = evaluate_responses(load_responses(responses), items, name=responses.name)
        else:
            report = evaluate(_backend(backend), items)
    except RouterError as error:
        raise _fail(console, error) from error
    _finish(console, report, out, "bfcl")


@eval_app.command("openfunctions")
def openfunctions_command(
    data: Annotated[
        Path | None,
        typer.Option("--data", help="openfunctions-v1-test.json or its folder (default as for apibench)."),
    ] = None,
    mode: Annotated[
        str, typer.Option("--mode", help="gold: offer the item's function; retrieve: top-k of all.")
    ] = "gold",
    retriever: RetrieverOption = "lexical",
    k: TopKOption = 3,
    limit: LimitOption = None,
    backend: BackendOption = None,
    responses: ResponsesOption = None,
    out: OutOption = None,
) -> None:
    """The OpenFunctions v1 test (112 items) as BFCL items; ids are simple_0 … simple_111."""
    console = Console()
    try:
        path = _data_dir(data)
        path = path / "openfunctions-v1-test.json" if path.is_dir() else path
        all_items = openfunctions_to_bfcl(load_openfunctions(path))
        items = all_items[:limit]
        if mode not in ("gold", "retrieve"):
            raise ConfigError(f"unknown --mode {mode!r}; use gold or retrieve")
        candidates = (
            gold_candidates
            if mode == "gold"
            else retrieved_candidates(
                make_retriever(retriever, unique_specs(all_items), "eval_openfunctions"), k
            )
        )
        if responses is not None:
            report = evaluate_responses(load_responses(responses), items, candidates, name=responses.name)
        else:
            report = evaluate(_backend(backend), items, candidates)
    except RouterError as error:
        raise _fail(console, error) from error
    _finish(console, report, out, f"openfunctions-{mode}")


@eval_app.command("apibench")
def apibench_command(
    hub: Annotated[str, typer.Option("--hub", help="torchhub, tensorflowhub or huggingface.")],
    responses: ResponsesOption = None,
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            help="Folder holding apibench/ (default: $GORILLA_ROUTER_BENCHMARK_DATA or ../shared/data).",
        ),
    ] = None,
    retriever: RetrieverOption = "lexical",
    k: TopKOption = 3,
    limit: LimitOption = None,
    backend: BackendOption = None,
    out: OutOption = None,
) -> None:
    """AST sub-tree match. --responses scores Gorilla-format outputs; otherwise our retriever (top-1) or
    retriever + --backend picks a database API per question and that API's own call is scored."""
    console = Console()
    try:
        dataset = ApiBenchData(_data_dir(data), check_hub(hub))
        if responses is not None:
            report = score_apibench_responses(dataset, read_jsonl(responses)[:limit], str(responses))
        else:
            specs = [record_spec(dataset.hub, i, r) for i, r in enumerate(dataset.matcher.records)]
            search = make_retriever(retriever, specs, f"eval_apibench_{dataset.hub}")
            chosen = _backend(backend) if backend is not None else None
            report = evaluate_apibench(dataset, search, specs, chosen, k, limit)
    except RouterError as error:
        raise _fail(console, error) from error
    _finish(console, report, out, f"apibench-{hub}", apibench=True)


def register(app: typer.Typer) -> None:
    app.add_typer(eval_app, name="eval")
