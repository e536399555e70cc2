"""Recall@k, domain@1 and the identical-text cap for the retrieval benchmark (pure functions, no I/O)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from retrieval_apibench import Hub

KS = (1, 5, 10)


def accuracy(hub: Hub, rankings: Sequence[Sequence[int]]) -> dict[str, float]:
    """Exact-API Recall@1/5/10 and domain match of the top hit, over the hub's questions."""
    questions = hub.questions
    result = {
        f"R@{k}": float(
            np.mean([bool(set(r[:k]) & q.gold) for q, r in zip(questions, rankings, strict=True)])
        )
        for k in KS
    }
    result["dom@1"] = float(
        np.mean(
            [bool(r) and hub.domain(r[0]) == q.gold_domain for q, r in zip(questions, rankings, strict=True)]
        )
    )
    return result


def gorilla_accuracy(hub: Hub, retriever: str) -> dict[str, float]:
    """Gorilla's own retrieved doc (one per question): only @1 figures exist."""
    tops = [q.gorilla_top1.get(retriever) for q in hub.questions]
    return {
        "R@1": float(
            np.mean([t is not None and t in q.gold for q, t in zip(hub.questions, tops, strict=True)])
        ),
        "dom@1": float(
            np.mean(
                [
                    t is not None and hub.domain(t) == q.gold_domain
                    for q, t in zip(hub.questions, tops, strict=True)
                ]
            )
        ),
    }


def identical_text_cap(hub: Hub, documents: Sequence[str]) -> dict[str, float]:
    """Best expected exact Recall@k when APIs with identical text (``documents``: the records' descriptions)
    tie, ties broken at random.

    For a question whose gold text is shared by n distinct APIs (other api_calls), a perfect retriever still
    ranks the gold first only 1/n of the time: the expectation of min(1, k/n).
    """
    calls_by_text: dict[str, set[str]] = {}
    for record, text in zip(hub.records, documents, strict=True):
        calls_by_text.setdefault(text, set()).add(str(record["api_call"]))
    caps = {}
    for k in KS:
        values = []
        for question in hub.questions:
            if not question.gold:
                values.append(0.0)
                continue
            gold = min(question.gold)
            siblings = len(calls_by_text[documents[gold]])
            values.append(min(1.0, k / siblings))
        caps[f"R@{k}"] = float(np.mean(values))
    return caps


def majority_domain(hub: Hub) -> float:
    """Domain@1 of always answering the most common gold domain (the floor domain@1 must beat)."""
    domains = [q.gold_domain for q in hub.questions]
    most = max(set(domains), key=domains.count)
    return domains.count(most) / len(domains)


def percentile_ms(samples: Sequence[float], q: float) -> float:
    return float(np.percentile(np.asarray(samples) * 1000.0, q))
