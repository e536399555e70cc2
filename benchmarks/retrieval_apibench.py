"""APIBench readers for the retrieval benchmark: API databases as specs, questions with their gold APIs.

Data traps handled here (see issue 6): questions align to eval rows by ``question_id - 1``; the gold API is
the set of database records with the gold ``api_call`` (many records share one call: 220 TF Hub records are
``universal-sentence-encoder/4``), falling back to the gold ``api_name`` for the 77 HuggingFace rows whose
call text differs from the database; Gorilla's own retrieved doc is parsed from the question text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gorilla_router.evaluation.apibench import read_jsonl
from gorilla_router.evaluation.apibench_eval import ApiBenchData
from gorilla_router.evaluation.apibench_specs import identifier_slug, record_spec
from gorilla_router.specs import ApiSpec, Example

HUBS = ("torchhub", "tensorflowhub", "huggingface")
HUB_LABEL = {"torchhub": "TorchHub", "tensorflowhub": "TF Hub", "huggingface": "HuggingFace"}
_ID_PREFIX = {"torchhub": "torchhub", "tensorflowhub": "tfhub", "huggingface": "hf"}
_DOC_MARK = "Use this API documentation for reference:"


@dataclass
class Question:
    question_id: int
    text: str
    gold: set[int]  # indices into the hub's record list
    gold_domain: str
    gorilla_top1: dict[str, int | None] = field(default_factory=dict)  # retriever -> record index or None


@dataclass
class Hub:
    name: str
    records: list[dict[str, Any]]
    specs: list[ApiSpec]
    questions: list[Question]
    gorilla_domains: dict[str, list[str | None]] = field(default_factory=dict)

    def domain(self, index: int) -> str:
        return str(self.records[index]["domain"])


def _gorilla_doc_index(text: str, by_call: dict[str, list[int]], by_name: dict[str, list[int]]) -> int | None:
    if _DOC_MARK not in text:
        return None
    doc = text.split(_DOC_MARK, 1)[1].replace("\\'", "'")
    call = re.search(r"'api_call': \"(.*?)\", '", doc) or re.search(r"'api_call': '(.*?)', '", doc)
    if call and call.group(1) in by_call:
        return by_call[call.group(1)][0]
    name = re.search(r"'api_name': '(.*?)', '", doc)
    if name and name.group(1) in by_name:
        return by_name[name.group(1)][0]
    return None


def train_examples(root: Path, by_call: dict[str, list[int]]) -> dict[int, list[str]]:
    """TorchHub's train instructions (``torchhub_train.json``, the only APIBench train split) per record.

    They become the specs' example queries: the one fair source of request-shaped text for APIBench.
    """
    path = root / "apibench" / "torchhub_train.json"
    found: dict[int, list[str]] = {}
    if not path.exists():
        return found
    for row in read_jsonl(path):
        match = re.search(r"'Instruction':\s*(.*?),\s*'Output'", str(row.get("code", "")), re.S)
        call = str(row.get("api_data", {}).get("api_call", ""))
        if match and call in by_call:
            for index in by_call[call]:
                found.setdefault(index, []).append(match.group(1).strip())
    return found


def load_hub(root: Path, hub: str, with_gorilla: bool = True, with_train: bool = True) -> Hub:
    """Load one hub from ``root`` (the ``apibench`` folder); TorchHub specs get the train instructions as
    example queries unless ``with_train`` is false."""
    data = ApiBenchData(root, hub)
    records = data.matcher.records
    used: set[str] = set()
    specs = []
    for index, record in enumerate(records):
        base = f"{_ID_PREFIX[hub]}.{identifier_slug(str(record.get('api_name', 'api')))[:60]}"
        api_id, n = base, 1
        while api_id in used:
            n += 1
            api_id = f"{base}__{n}"
        used.add(api_id)
        specs.append(record_spec(hub, index, record, api_id=api_id, with_arguments=True))
    by_call: dict[str, list[int]] = {}
    by_name: dict[str, list[int]] = {}
    for index, record in enumerate(records):
        by_call.setdefault(str(record["api_call"]), []).append(index)
        by_name.setdefault(str(record["api_name"]), []).append(index)
    if with_train and hub == "torchhub":
        for index, queries in train_examples(root, by_call).items():
            examples = [Example(query=q, call=f"{specs[index].id}()") for q in dict.fromkeys(queries)]
            specs[index] = specs[index].model_copy(update={"examples": examples})
    questions = []
    for row in data.questions():
        question_id = int(row["question_id"])
        gold_row = data.gold_answer(question_id)
        gold = set(by_call.get(str(gold_row["api_call"]), []))
        gold = gold or set(by_name.get(str(gold_row["api_name"]), []))
        questions.append(Question(question_id, data.question_text(row), gold, str(gold_row["domain"])))
    if with_gorilla:
        for retriever in ("bm25", "gpt_index"):
            path = data.questions_file(retriever)
            if not path.exists():
                continue
            top = {
                int(r["question_id"]): _gorilla_doc_index(str(r["text"]), by_call, by_name)
                for r in read_jsonl(path)
            }
            for question in questions:
                question.gorilla_top1[retriever] = top.get(question.question_id)
    return Hub(hub, records, specs, questions)
