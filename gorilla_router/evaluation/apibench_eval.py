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

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gorilla_router.errors import BackendError, ConfigError, GenerationError
from gorilla_router.evaluation.apibench import ApiBenchMatcher, ApiBenchVerdict, check_hub, read_jsonl
from gorilla_router.evaluation.apibench_specs import record_spec
from gorilla_router.evaluation.report import EvalReport, ItemOutcome
from gorilla_router.generation.base import ModelBackend
from gorilla_router.retrieval.base import Retriever
from gorilla_router.specs import ApiSpec

__all__ = [
    "EVAL_FILE",
    "PUBLISHED_FIGURES",
    "ApiBenchData",
    "evaluate_apibench",
    "record_spec",
    "score_apibench_responses",
]

EVAL_FILE = {"huggingface": "huggingface", "tensorflowhub": "tensorflow", "torchhub": "torchhub"}
"""Each hub's gold-answer file stem: ``apibench/<stem>_eval.json`` (TF Hub's is ``tensorflow``)."""
PUBLISHED_FIGURES: dict[tuple[str, str, str], tuple[float, float]] = {
    ("tensorflowhub", "RT", "bm25"): (41.9, 2.8),
    ("tensorflowhub", "RT", "gpt_index"): (65.0, 2.3),
    ("tensorflowhub", "RT", "oracle"): (94.2, 2.0),
    ("huggingface", "RT", "bm25"): (15.7, 6.4),
    ("huggingface", "RT", "gpt_index"): (43.5, 8.2),
    ("huggingface", "RT", "oracle"): (89.3, 7.0),
    ("torchhub", "FT", "0_shot"): (75.8, 16.1),
}
"""The Gorilla README's APIBench figures: ``(hub, FT|RT, variant)`` → (accuracy %, hallucination %).

Scoring the released responses with :class:`ApiBenchMatcher` must reproduce them (to within a point).
"""


class ApiBenchData:
    """One hub's database (as a matcher), gold answers and questions, read from the data folder."""

    def __init__(self, data_dir: str | Path, hub: str) -> None:
        self.hub = check_hub(hub)
        root = Path(data_dir)
        base = root / "apibench" if (root / "apibench" / "api").is_dir() else root
        api_file = base / "api" / f"{self.hub}_api.jsonl"
        if not api_file.is_file():
            raise ConfigError(f"APIBench data not found: {api_file} is missing; pass the folder holding api/")
        self.base = base
        self.matcher = ApiBenchMatcher.from_file(api_file, self.hub)
        gold = read_jsonl(base / "apibench" / f"{EVAL_FILE[self.hub]}_eval.json")
        self.gold_answers: list[dict[str, Any]] = [dict(row["api_data"]) for row in gold]

    def gold_answer(self, question_id: int) -> dict[str, Any]:
        """The gold ``api_data`` record (``api_call``, ``api_name``, ``domain``…) of a question.

        Questions align to the eval file's rows by ``question_id - 1`` (a trap: not by any id field).
        """
        if not 1 <= question_id <= len(self.gold_answers):
            raise ConfigError(
                f"question_id {question_id} is outside 1..{len(self.gold_answers)} for {self.hub}"
            )
        return self.gold_answers[question_id - 1]

    def gold_domain(self, question_id: int) -> str:
        return str(self.gold_answer(question_id)["domain"])

    def questions_file(self, variant: str = "0_shot") -> Path:
        """``0_shot`` (the bare question) or ``bm25`` / ``gpt_index`` / ``oracle`` (with Gorilla's doc)."""
        return self.base / "eval_questions" / self.hub / f"questions_{self.hub}_{variant}.jsonl"

    def questions(self, variant: str = "0_shot") -> list[dict[str, Any]]:
        return read_jsonl(self.questions_file(variant))

    @staticmethod
    def question_text(row: dict[str, Any]) -> str:
        """A question row's text with the release's escaped ``\\n`` turned into newlines."""
        return str(row["text"]).replace("\\n", "\n").strip()

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
        question_id, question = int(row["question_id"]), data.question_text(row)
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
