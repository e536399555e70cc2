"""Samples from other people's data: xLAM-format files and APIBench's ``torchhub_train.json``.

Both readers check every record and report each problem as ``file:line: message``; :func:`read_external`
returns samples only when no record was malformed (or, with ``skip_malformed``, the good ones plus the
report), so a training file is never built from half a file by accident.

**xLAM** (Salesforce/xlam-function-calling-60k, Hammer's xlam-irrelevance): a JSON array or JSON Lines of
``{"query": str, "tools": [...] | JSON text, "answers": [...] | JSON text}``; a tool is
``{"name", "description", "parameters": {name: {"type": "str, optional", "description", "default"}}}``
(or already a JSON Schema object); an empty ``answers`` list means "no call".

**APIBench TorchHub** (``torchhub_train.json``, JSON Lines): the request is the ``Instruction`` inside
``code``; the gold API is ``api_data`` and its call ``api_call`` (``torch.hub.load(repo_or_dir=…, model=…)``).
Each record becomes a tool named ``torchhub.<api_name>`` whose parameters are the call's keywords; the
candidates are the gold tool and ``k - 1`` other records' tools, in a seeded random order.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gorilla_router.callsyntax import CallSyntaxError, literal_value, parse_single_call
from gorilla_router.errors import ConfigError

from .samples import Sample, answer_text

__all__ = ["DataFileError", "ReadReport", "read_apibench_torchhub", "read_external", "read_xlam"]

_DESCRIPTION_CHARS = 120
_XLAM_TYPES = {
    "str": "string",
    "string": "string",
    "int": "integer",
    "integer": "integer",
    "float": "number",
    "number": "number",
    "bool": "boolean",
    "boolean": "boolean",
    "list": "array",
    "array": "array",
    "dict": "object",
    "object": "object",
}


class _Unusable(ValueError):
    """A well-formed record that cannot become a sample (skipped and counted, not an error)."""


class DataFileError(ConfigError):
    """Malformed records in training data files; ``problems`` lists each as ``file:line: message``."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        shown = "\n  ".join(self.problems[:20])
        more = f"\n  … and {len(self.problems) - 20} more" if len(self.problems) > 20 else ""
        super().__init__(f"{len(self.problems)} malformed record(s); nothing was written:\n  {shown}{more}")


@dataclass
class ReadReport:
    """What a reader produced: the samples, and one ``file:line: message`` per record it could not use."""

    samples: list[Sample] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """Well-formed records that cannot become a sample (e.g. a call whose value is a variable), with why."""


def _records(path: Path) -> list[tuple[int, Any]] | str:
    """``(line, record)`` pairs from a JSON array or JSON Lines file; a string is a whole-file problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return f"{path}: cannot read: {exc}"
    if text.lstrip().startswith("["):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            return f"{path}:{exc.lineno}: not valid JSON: {exc.msg}"
        if not isinstance(data, list):
            return f"{path}: expected a JSON array of records"
        # the line each element starts on, for messages
        decoder, position, out = json.JSONDecoder(), text.index("[") + 1, []
        for item in data:
            while text[position] in " \t\r\n,":
                position += 1
            _, end = decoder.raw_decode(text, position)
            out.append((text.count("\n", 0, position) + 1, item))
            position = end
        return out
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            out.append((number, json.loads(line)))
        except json.JSONDecodeError as exc:
            out.append((number, exc))
    return out


def _maybe_json(value: Any, what: str) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{what} is text but not JSON: {exc.msg}") from exc
    return value


def _shorten(text: Any, limit: int) -> str:
    flat = " ".join(str(text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _xlam_tool(tool: Any) -> dict[str, Any]:
    if not isinstance(tool, dict) or not isinstance(tool.get("name"), str) or not tool["name"]:
        raise ValueError("a tool needs a non-empty string 'name'")
    raw = tool.get("parameters") or {}
    if not isinstance(raw, dict):
        raise ValueError(f"tool {tool['name']!r}: 'parameters' must be an object")
    if raw.get("type") == "object" and isinstance(raw.get("properties"), dict):  # already JSON Schema
        properties, required = raw["properties"], list(raw.get("required", []))
    else:
        properties, required = {}, []
        for name, schema in raw.items():
            schema = schema if isinstance(schema, dict) else {"description": str(schema)}
            written = str(schema.get("type", "")).strip()
            optional = "optional" in written.lower() or "default" in schema
            base = re.split(r"[\[, ]", written.lower(), maxsplit=1)[0]
            entry: dict[str, Any] = {"type": _XLAM_TYPES.get(base, "string")}
            if schema.get("description"):
                entry["description"] = _shorten(schema["description"], 60)
            properties[name] = entry
            if not optional:
                required.append(name)
    parameters: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        parameters["required"] = required
    return {
        "name": tool["name"],
        "description": _shorten(tool.get("description") or tool["name"], _DESCRIPTION_CHARS),
        "parameters": parameters,
    }


def _xlam_sample(record: Any, source: str) -> Sample:
    if not isinstance(record, dict):
        raise ValueError("a record must be a JSON object")
    missing = [key for key in ("query", "tools", "answers") if key not in record]
    if missing:
        raise ValueError(f"missing field(s): {', '.join(missing)}")
    if not isinstance(record["query"], str) or not record["query"].strip():
        raise ValueError("'query' must be a non-empty string")
    tools = _maybe_json(record["tools"], "'tools'")
    answers = _maybe_json(record["answers"], "'answers'")
    if not isinstance(tools, list) or not isinstance(answers, list):
        raise ValueError("'tools' and 'answers' must be lists")
    compact = [_xlam_tool(tool) for tool in tools]
    offered = {tool["name"] for tool in compact}
    calls = []
    for answer in answers:
        if not isinstance(answer, dict) or not isinstance(answer.get("name"), str):
            raise ValueError("an answer needs a string 'name'")
        arguments = answer.get("arguments", {})
        if not isinstance(arguments, dict):
            raise ValueError(f"answer {answer['name']!r}: 'arguments' must be an object")
        if answer["name"] not in offered:
            raise ValueError(f"answer names {answer['name']!r}, which is not one of its tools")
        calls.append({"name": answer["name"], "arguments": arguments})
    kind = "xlam" if calls else "xlam_irrelevance"
    return Sample(record["query"], compact, answer_text(calls), kind, source, calls)


def read_xlam(path: str | Path) -> ReadReport:
    """Samples from one xLAM-format file; malformed records are reported, not guessed."""
    file = Path(path)
    report = ReadReport()
    records = _records(file)
    if isinstance(records, str):
        report.problems.append(records)
        return report
    for number, record in records:
        if isinstance(record, json.JSONDecodeError):
            report.problems.append(f"{file}:{number}: not valid JSON: {record.msg}")
            continue
        try:
            report.samples.append(_xlam_sample(record, f"{file.name}:{number}"))
        except ValueError as exc:
            report.problems.append(f"{file}:{number}: {exc}")
    return report


_INSTRUCTION = re.compile(r"'Instruction':\s*(.+?),\s*'Output'", re.DOTALL)
_NOT_ID = re.compile(r"[^A-Za-z0-9_]+")


def _torchhub_call(text: str) -> dict[str, Any]:
    """The keyword arguments of a TorchHub ``api_call``, read by the shared ``ast`` core.

    The reader's policy: keywords only, and ``**{...}`` (a dict literal) merges its items as keywords.
    """
    try:
        node = parse_single_call(text)
    except CallSyntaxError as exc:
        raise _Unusable(f"api_call is not Python, or not one call ({exc}): {text!r}") from exc
    if node.args:
        raise _Unusable(f"api_call is not a call with keyword arguments only: {text!r}")
    arguments = {}
    for keyword in node.keywords:
        try:
            value = literal_value(keyword.value, text, names={})
        except CallSyntaxError as exc:
            raise _Unusable(f"a value in api_call is not a literal: {text!r}") from exc
        if keyword.arg is None:
            if not isinstance(value, dict):
                raise _Unusable(f"api_call unpacks a non-dict: {text!r}")
            arguments.update({str(key): item for key, item in value.items()})
        else:
            arguments[keyword.arg] = value
    return arguments


def _torchhub_tool(api: dict[str, Any], arguments: dict[str, Any]) -> dict[str, Any]:
    slug = _NOT_ID.sub("_", str(api.get("api_name", ""))).strip("_") or "model"
    properties: dict[str, Any] = {}
    for name, value in arguments.items():
        kind = "boolean" if isinstance(value, bool) else "string"
        properties[name] = {"type": kind}
    return {
        "name": f"torchhub.{slug}",
        "description": _shorten(
            api.get("description") or api.get("functionality") or slug, _DESCRIPTION_CHARS
        ),
        "parameters": {"type": "object", "properties": properties, "required": list(properties)},
    }


def read_apibench_torchhub(path: str | Path, k: int = 5, seed: int = 0) -> ReadReport:
    """Samples from APIBench's ``torchhub_train.json``: the gold API among ``k - 1`` others (seeded)."""
    file = Path(path)
    report = ReadReport()
    records = _records(file)
    if isinstance(records, str):
        report.problems.append(records)
        return report
    parsed: list[tuple[int, str, dict[str, Any], dict[str, Any]]] = []
    for number, record in records:
        if isinstance(record, json.JSONDecodeError):
            report.problems.append(f"{file}:{number}: not valid JSON: {record.msg}")
            continue
        try:
            if not isinstance(record, dict):
                raise ValueError("a record must be a JSON object")
            match = _INSTRUCTION.search(str(record.get("code", "")))
            if match is None:
                raise ValueError("no 'Instruction' in 'code'")
            api = record.get("api_data")
            if not isinstance(api, dict) or not isinstance(record.get("api_call"), str):
                raise ValueError("needs 'api_call' (text) and 'api_data' (object)")
            arguments = _torchhub_call(record["api_call"])
            parsed.append((number, match.group(1).strip(), _torchhub_tool(api, arguments), arguments))
        except _Unusable as exc:
            report.skipped.append(f"{file}:{number}: {exc}")
        except ValueError as exc:
            report.problems.append(f"{file}:{number}: {exc}")
    tools: dict[str, dict[str, Any]] = {}
    for _, _, tool, _ in parsed:
        tools.setdefault(tool["name"], tool)
    names = sorted(tools)
    rng = random.Random(seed)  # noqa: S311 - seeded sampling, not security
    for number, query, tool, arguments in parsed:
        others = [name for name in names if name != tool["name"]]
        offered = [tools[name] for name in rng.sample(others, min(k - 1, len(others)))]
        offered.insert(rng.randrange(len(offered) + 1), tool)
        calls = [{"name": tool["name"], "arguments": arguments}]
        report.samples.append(
            Sample(query, offered, answer_text(calls), "apibench", f"{file.name}:{number}", calls)
        )
    return report


def read_external(
    xlam: Sequence[str | Path] = (),
    torchhub: Sequence[str | Path] = (),
    *,
    k: int = 5,
    seed: int = 0,
    skip_malformed: bool = False,
) -> ReadReport:
    """All samples from the files; :class:`DataFileError` on a malformed record unless ``skip_malformed``."""
    total = ReadReport()
    for path in xlam:
        part = read_xlam(path)
        total.samples += part.samples
        total.problems += part.problems
    for path in torchhub:
        part = read_apibench_torchhub(path, k, seed)
        total.samples += part.samples
        total.problems += part.problems
        total.skipped += part.skipped
    if total.problems and not skip_malformed:
        raise DataFileError(total.problems)
    return total
