"""Evaluation: the BFCL-style AST checker, APIBench AST sub-tree matching, the OpenFunctions v1 test set.

Every accuracy figure the project claims comes from here (and ``gorilla-router eval …``):

* ``load_bfcl`` + ``evaluate(backend, items, candidates_fn)`` / ``evaluate_responses`` → ``EvalReport``;
* ``check_item`` — the checker's verdict on one item's calls, with a reason on failure;
* ``load_openfunctions`` / ``openfunctions_to_bfcl`` — the 112-item OpenFunctions test as BFCL items;
* ``ApiBenchMatcher`` — Gorilla's AST sub-tree match, reproducing the published APIBench figures.
"""

from __future__ import annotations

from gorilla_router.evaluation.apibench import (
    HUBS,
    ApiBenchMatcher,
    ApiBenchVerdict,
    ApiReference,
    extract_api_call,
)
from gorilla_router.evaluation.apibench_eval import ApiBenchData, evaluate_apibench, score_apibench_responses
from gorilla_router.evaluation.bfcl import (
    CATEGORIES,
    BfclItem,
    CheckResult,
    category_of,
    check_call,
    check_item,
)
from gorilla_router.evaluation.bfcl_data import load_bfcl, question_text
from gorilla_router.evaluation.candidates import (
    CandidatesFn,
    LexicalSpecSearch,
    gold_candidates,
    retrieved_candidates,
    unique_specs,
)
from gorilla_router.evaluation.function_docs import function_doc_to_spec, spec_id_for, to_json_schema
from gorilla_router.evaluation.openfunctions import gold_call, load_openfunctions, openfunctions_to_bfcl
from gorilla_router.evaluation.report import CategoryCounts, EvalReport, ItemOutcome
from gorilla_router.evaluation.retrievers import RETRIEVERS, make_retriever
from gorilla_router.evaluation.runner import evaluate, evaluate_responses, load_responses

__all__ = [
    "CATEGORIES",
    "HUBS",
    "RETRIEVERS",
    "ApiBenchData",
    "ApiBenchMatcher",
    "ApiBenchVerdict",
    "ApiReference",
    "BfclItem",
    "CandidatesFn",
    "CategoryCounts",
    "CheckResult",
    "EvalReport",
    "ItemOutcome",
    "LexicalSpecSearch",
    "category_of",
    "check_call",
    "check_item",
    "evaluate",
    "evaluate_apibench",
    "evaluate_responses",
    "extract_api_call",
    "function_doc_to_spec",
    "gold_call",
    "gold_candidates",
    "load_bfcl",
    "load_openfunctions",
    "load_responses",
    "make_retriever",
    "openfunctions_to_bfcl",
    "question_text",
    "retrieved_candidates",
    "score_apibench_responses",
    "spec_id_for",
    "to_json_schema",
    "unique_specs",
]
