"""One training sample and the JSON Lines file that holds many.

A sample is model-agnostic data: the user's query, the tools exactly as the router's compact tool prompt
shows them (:func:`~gorilla_router.generation.toolcall.prompt.compact_tool`, in retrieval order), and the
answer text the model should write (:func:`~gorilla_router.generation.toolcall.prompt.render_answer`'s
format). It is rendered through a model's own chat template only at training time (:mod:`.render`), so one
data file serves every instruct model of the ladder.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from gorilla_router.errors import ConfigError
from gorilla_router.generation.toolcall.prompt import NO_CALL_NAME

__all__ = ["Sample", "answer_text", "data_fingerprint", "read_samples", "write_samples"]


@dataclass
class Sample:
    """``query`` + ``tools`` (compact tool dicts) → ``answer``; ``kind`` and ``source``: where it came from.

    ``kind``: ``call`` (right API retrieved), ``not_retrieved`` (right API absent → no call), ``irrelevance``,
    ``masked``, ``pair``, ``missing``, ``xlam``, ``apibench``. ``calls`` holds the target calls as
    ``{"name", "arguments"}`` dicts (empty for no call and for needs-input answers).
    """

    query: str
    tools: list[dict[str, Any]]
    answer: str
    kind: str
    source: str
    calls: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Sample:
        return cls(
            query=str(data["query"]),
            tools=list(data["tools"]),
            answer=str(data["answer"]),
            kind=str(data.get("kind", "call")),
            source=str(data.get("source", "")),
            calls=list(data.get("calls", [])),
        )


def answer_text(calls: Sequence[dict[str, Any]]) -> str:
    """The answer for ``calls`` (``{"name", "arguments"}`` dicts), byte-identical to ``render_answer``.

    Written here too because xLAM and APIBench tool names need not be valid zoo ids (``ApiCall`` checks them).
    """
    if not calls:
        return json.dumps({"name": NO_CALL_NAME, "arguments": {}})
    return "\n".join(
        json.dumps({"name": c["name"], "arguments": c["arguments"]}, ensure_ascii=False) for c in calls
    )


def write_samples(samples: Iterable[Sample], path: str | Path) -> Path:
    """Write one sample per line: to a temporary file beside ``path``, renamed in (never half-written)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            for sample in samples:
                out.write(sample.to_json() + "\n")
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def read_samples(path: str | Path) -> list[Sample]:
    """Samples written by :func:`write_samples`; a bad line is a ``ConfigError`` naming file and line."""
    source = Path(path)
    if not source.is_file():
        raise ConfigError(f"no training data at {source}; build it with 'gorilla-router finetune data'")
    samples: list[Sample] = []
    with source.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                samples.append(Sample.from_dict(json.loads(line)))
            except (ValueError, KeyError, TypeError) as exc:
                raise ConfigError(f"{source}:{number}: not a training sample: {exc}") from exc
    return samples


def data_fingerprint(samples: Sequence[Sample]) -> str:
    """SHA-256 over the samples in order: the same data gives the same fingerprint, on any machine."""
    digest = hashlib.sha256()
    for sample in samples:
        digest.update(sample.to_json().encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()
