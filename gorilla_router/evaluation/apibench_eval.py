"""APIBench runs: score a responses file (outputs produced elsewhere) or our own retriever / backend.

Data layout (Gorilla's release, see ``../shared/data/README.md``): ``api/<hub>_api.jsonl`` (the database),
``apibench/<eval>_eval.json`` (gold answers, aligned to questions by ``question_id - 1``),
``eval_questions/<hub>/questions_<hub>_0_shot.jsonl`` and ``responses/<hub>/…``.

Our own mode is deliberately limited: each database record becomes a spec; a retriever offers the top-k
for each question; with no backend the top-1 record is the answer, with a backend the record of the call
it chose is. The answer is scored as that record's own ``api_call`` code — APIBench asks *which* model
API fits (its arguments are that API's fixed model id), so the model's written arguments are not scored.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gorilla_router.errors import BackendError, ConfigError, GenerationError
from gorilla_router.evaluation.apibench import ApiBenchMatcher, ApiBenchVerdict, check_hub, read_jsonl
from gorilla_router.evaluation.report import EvalReport, ItemOutcome
from gorilla_router.generation.base import ModelBackend
from gorilla_router.retrieval.base import Retriever
from gorilla_router.specs import ApiSpec

__all__ = ["ApiBenchData", "evaluate_apibench", "record_spec", "score_apibench_responses"]

_EVAL_FILE = {"huggingface": "huggingface", "tensorflowhub": "tensorflow", "torchhub": "torchhub"}
_NOT_ID = re.compile(r"[^A-Za-z0-9_]+")


class ApiBenchData:
    """One hub's database (as a matcher), gold domains and questions, read from the data folder."""

    def __init__(self, data_dir: str | Path, hub: str) -> None:
        self.hub = check_hub(hub)
        root = Path(data_dir)
        base = root / "apibench" if (root / "apibench" / "api").is_dir() else root
        api_file = base / "api" / f"{self.hub}_api.jsonl"
        if not api_file.is_file():
            raise ConfigError(f"APIBench data not found: {api_file} is missing; pass the folder holding api/")
        self.base = base
        self.matcher = ApiBenchMatcher.from_file(api_file, self.hub)
        gold = read_jsonl(base / "apibench" / f"{_EVAL_FILE[self.hub]}_eval.json")
        self.gold_domains = [str(row["api_data"]["domain"]) for row in gold]

    def gold_domain(self, question_id: int) -> str:
        if not 1 <= question_id <= len(self.gold_domains):
            raise ConfigError(
                f"question_id {question_id} is outside 1..{len(self.gold_domains)} for {self.hub}"
            )
        return self.gold_domains[question_id - 1]

    def questions(self, variant: str = "0_shot") -> list[dict[str, Any]]:
        return read_jsonl(self.base / "eval_questions" / self.hub / f"questions_{self.hub}_{variant}.jsonl")

    def responses_file(self, model: str, variant: str) -> Path:
        return self.base / "responses" / self.hub / f"response_{self.hub}_Gorilla_{model}_{variant}.jsonl"


def _outcome(
    question_id: int, hub: str, verdict: ApiBenchVerdict, question: str = "", **extra: Any
) -> ItemOutcome:
    matched = verdict.matched
    return ItemOutcome(
        id=str(question_id),
        category=hub,
        question=question,
        candidates=list(extra.pop("candidates", [])),
        raw_output=str(extra.pop("raw", verdict.api_call or "")),
        calls=[{"api_call": verdict.api_call}] if verdict.api_call is not None else [],
        passed=verdict.verdict == "correct",
        reason=verdict.reason,
        hallucination=verdict.verdict == "hallucination",
        latency_s=float(extra.pop("latency_s", 0.0)),
        extra={"verdict": verdict.verdict, "matched_api": matched.api_name if matched else None, **extra},
    )


def score_apibench_responses(
    data: ApiBenchData, responses: Sequence[dict[str, Any]], name: str
) -> EvalReport:
    """Score Gorilla-format responses (``question_id``, ``text``) with the AST sub-tree matcher."""
    started = time.perf_counter()
    outcomes = []
    for number, row in enumerate(responses, start=1):
        if "question_id" not in row or "text" not in row:
            raise ConfigError(f"{name}: response {number} needs 'question_id' and 'text'; got {sorted(row)}")
        question_id = int(row["question_id"])
        verdict = data.matcher.score(str(row["text"]), data.gold_domain(question_id))
        outcomes.append(_outcome(question_id, data.hub, verdict, raw=row["text"]))
    return EvalReport(name, outcomes, time.perf_counter() - started)


def record_spec(hub: str, index: int, record: dict[str, Any]) -> ApiSpec:
    """A database record as a spec offered to retrievers and backends (id ``<hub>.r<index>_<name>``)."""
    slug = _NOT_ID.sub("_", str(record.get("api_name", "")))[:60].strip("_") or "api"
    return ApiSpec(
        id=f"{hub}.r{index}_{slug}",
        name=str(record.get("api_name") or f"record {index}"),
        description=str(record.get("description") or record.get("functionality") or "APIBench API"),
        kind="python",
        callable=f"gorilla_router.evaluation.unexecuted:{hub}_r{index}",
        tags=[t for t in (str(record.get("domain", "")), str(record.get("functionality", ""))) if t],
        side_effects="none",
    )


def evaluate_apibench(
    data: ApiBenchData,
    retriever: Retriever,
    specs: Sequence[ApiSpec],
    backend: ModelBackend | None = None,
    k: int = 3,
    limit: int | None = None,
) -> EvalReport:
    """Our retriever (top-1) or retriever + backend on the 0-shot questions, scored by the matcher."""
    index_of = {spec.id: number for number, spec in enumerate(specs)}
    started = time.perf_counter()
    outcomes = []
    for row in data.questions()[:limit]:
        question_id, question = int(row["question_id"]), str(row["text"]).replace("\\n", "\n").strip()
        began = time.perf_counter()
        candidates = retriever.search(question, k=k)
        chosen = candidates[0].spec.id if candidates else None
        raw = ""
        if backend is not None and candidates:
            try:
                calls = backend.generate(question, candidates)
            except (GenerationError, BackendError) as error:
                calls, raw = [], f"{type(error).__name__}: {error}"
            chosen = calls[0].api_id if calls else None
            raw = raw or "\n".join(c.raw for c in calls)
        code = str(data.matcher.records[index_of[chosen]]["api_call"]) if chosen in index_of else ""
        gold = data.gold_domain(question_id)
        verdict = (
            data.matcher.score_code(code, gold) if code else ApiBenchVerdict("no_api_call", None, None, gold)
        )
        outcomes.append(
            _outcome(
                question_id,
                data.hub,
                verdict,
                question,
                candidates=[c.spec.id for c in candidates],
                raw=raw or code,
                latency_s=time.perf_counter() - began,
            )
        )
    return EvalReport(f"apibench:{data.hub}", outcomes, time.perf_counter() - started)
