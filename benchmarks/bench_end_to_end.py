"""End-to-end benchmark: the router (real retriever, top 5, grounding, one repair round) on held-out requests.

    .venv/bin/python benchmarks/bench_end_to_end.py [--backends embedded,embedded:gemma-270m,...]
        [--split test|tune] [--limit N] [--cold] [--verbose] [--out FILE.jsonl]
    (a backend may carry settings: ``embedded@examples=0``, ``embedded@no_call_bias=3+examples=1``)

Items (``--split test``, the reported figures):
* every zoo entry with >= 2 examples contributes its LAST example ("single"); those examples are removed
  from the zoo the router uses, so they are neither indexed (retrieval embeds example queries) nor shown;
* ``benchmarks/data/e2e_extra.json`` "test": several-call requests ("parallel"), requests no API serves
  ("no_call") and requests that lack a required value ("needs_input"), written for this benchmark.
``--split tune`` measures the second-to-last examples and the file's "tune" requests instead: the only
set the no-call calibration (``no_call_bias``) was chosen on; the test split never was.

A call is **exact** when its API id is the gold one, every argument it has equals the gold value (BFCL
string normalisation: case, spaces and ``,./-_*^`` ignored; validation's coercions applied to both), and
every gold argument it leaves out is optional and neither stated in the request nor converted from it (an
optional value the request does not say — ``units="metric"`` for "weather in Paris" — may be left to the
API's default: that is the grounding rule; one it says in other words — ``temperature_unit="fahrenheit"``
for "in fahrenheit" — may not). ``strict`` additionally needs every gold argument. Several calls match in
any order. A ``no_call`` item is right when nothing is called and nothing asked; a ``needs_input`` item
when no call would run and the answer names at least one of the missing parameters. Nothing is executed
(``plan``).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from gorilla_router import GorillaRouter, RouterConfig
from gorilla_router.errors import ValidationError
from gorilla_router.execution import validate_arguments
from gorilla_router.generation.grounding import Grounding
from gorilla_router.generation.grounding.dates import relative_days
from gorilla_router.generation.grounding.evidence import RequestEvidence
from gorilla_router.generation.grounding.located import coordinate_axis
from gorilla_router.generation.grounding.values import ground_value
from gorilla_router.generation.parsing import parse_calls
from gorilla_router.paths import cache_dir
from gorilla_router.specs import ApiCall, ApiSpec
from gorilla_router.zoo import ApiZoo

EXTRA = Path(__file__).parent / "data" / "e2e_extra.json"
WARM_UP_QUERY = "what is 2 to the power of 10"
_STRIP = str.maketrans("", "", " ,./-_*^'\"")


def split_zoo(zoo: ApiZoo, split: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(zoo entries without the split's items, items of ``split``).

    ``test`` removes each entry's last example; ``tune`` removes its last two and measures the second to
    last, so neither split's requests are ever in the index or the prompt the router sees.
    """
    entries, items = [], []
    for spec in zoo:
        data = spec.model_dump(mode="json", exclude_none=True)
        examples = list(spec.examples)
        if len(examples) >= 2:
            held = 1 if split == "test" else min(2, len(examples) - 1)
            data["examples"] = [e.model_dump() for e in examples[:-held]]
            pick = examples[-1] if split == "test" else (examples[-2] if len(examples) >= 3 else None)
            if pick is not None:
                items.append({"category": "single", "query": pick.query, "calls": [pick.call]})
        entries.append(data)
    items.extend(json.loads(EXTRA.read_text(encoding="utf-8"))[split])
    return entries, items


def split_dirs(split: str) -> tuple[Path, Path]:
    """The reduced zoo's folder and its own index, one pair per split."""
    work = cache_dir() / "bench_e2e" / split
    return work / "zoo", work / "index"


def canon(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        return value.lower().translate(_STRIP)
    if isinstance(value, (list, tuple)):
        return [canon(v) for v in value]
    if isinstance(value, dict):
        return {k: canon(v) for k, v in value.items()}
    return value


COORDINATE_TOLERANCE = 0.1
"""Degrees within which two coordinates of a named place agree: sources put a city's point a few
hundredths apart (Chicago 41.88 / 41.85), and either is the right call."""


def same_value(name: str, schema: dict[str, Any], predicted: Any, gold: Any) -> bool:
    """Equal after BFCL-style normalisation; a latitude or longitude within ``COORDINATE_TOLERANCE``; a
    gold relative day ("tomorrow", where the API takes one) and the date it means today."""
    numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (predicted, gold))
    if numbers and coordinate_axis(name, schema):
        return bool(abs(float(predicted) - float(gold)) <= COORDINATE_TOLERANCE)
    if (
        isinstance(gold, str)
        and isinstance(predicted, str)
        and gold.lower() in ("today", "tomorrow", "yesterday")
    ):
        days = relative_days(gold, datetime.date.today())
        return predicted.lower() == gold.lower() or predicted == days[0][1].isoformat()
    return bool(canon(predicted) == canon(gold))


def validated(call: ApiCall, spec: ApiSpec) -> dict[str, Any]:
    try:
        return dict(validate_arguments(call, spec).arguments)
    except ValidationError:
        return dict(call.arguments)


def compare(pred: ApiCall, gold: ApiCall, spec: ApiSpec, query: str) -> tuple[bool, bool, int]:
    """(exact, strict, extra arguments) for one predicted call against one gold call."""
    if pred.api_id != gold.api_id:
        return False, False, 0
    properties = spec.parameters.get("properties", {}) or {}
    required = set(spec.parameters.get("required", []) or [])
    pa, ga = validated(pred, spec), validated(gold, spec)
    evidence = RequestEvidence.of(query)
    exact, extra = True, 0
    for name in pred.arguments:
        if name in gold.arguments:
            exact &= same_value(name, properties.get(name) or {}, pa.get(name), ga.get(name))
        elif canon(pa.get(name)) != canon((properties.get(name) or {}).get("default", object())):
            exact, extra = False, extra + 1
    for name in gold.arguments:
        if name not in pred.arguments and canon(pa.get(name)) == canon(ga.get(name)):
            continue  # left out, and its default is the gold value: the call that runs is the same
        if name not in pred.arguments:
            said = ground_value(name, gold.arguments[name], properties.get(name) or {}, evidence)
            exact &= name not in required and said is Grounding.INVENTED
    strict = exact and all(same_value(k, properties.get(k) or {}, pa.get(k), v) for k, v in ga.items())
    return exact, strict, extra


def match_calls(
    preds: list[ApiCall], golds: list[ApiCall], zoo: ApiZoo, query: str
) -> tuple[bool, bool, int]:
    if len(preds) != len(golds):
        return False, False, 0
    remaining, exact_all, strict_all, extras = list(preds), True, True, 0
    for gold in golds:
        scored = [(compare(p, gold, zoo.get(gold.api_id), query), p) for p in remaining]
        scored.sort(key=lambda item: (item[0][0], item[0][1]), reverse=True)
        if not scored:
            return False, False, extras
        (exact, strict, extra), best = scored[0]
        remaining.remove(best)
        exact_all &= exact
        strict_all &= strict
        extras += extra
    return exact_all, strict_all, extras


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def build_router(zoo_dir: Path, index_dir: Path, backend: str) -> GorillaRouter:
    """The router for ``backend``; ``name@key=value+key=value`` also sets backend settings (side by side).

    A key is a router setting (``top_k``), an attribute of the backend (``examples``) or of its decoding
    options (``no_call_bias``), e.g. ``embedded@examples=0`` beside ``embedded@examples=1``.
    """
    name, _, settings = backend.partition("@")
    pairs = [setting.partition("=") for setting in filter(None, settings.split("+"))]
    values = {key: json.loads(text) for key, _, text in pairs}
    routing = {key: values.pop(key) for key in list(values) if key in RouterConfig.model_fields}
    config = RouterConfig.load(
        environ={}, zoo=[zoo_dir], chroma_path=index_dir, backend=name, assume_yes=True, **routing
    )
    router = GorillaRouter(config=config)
    for key, value in values.items():
        model: Any = router.backend
        if hasattr(model, key):
            setattr(model, key, value)
        elif hasattr(getattr(model, "options", None), key):
            model.options = dataclasses.replace(model.options, **{key: value})
        else:
            raise SystemExit(f"{name} has no setting {key!r}")
    return router


def sampled_router(split: str, requests: int, backend: str = "embedded") -> tuple[GorillaRouter, list[Any]]:
    """The router over ``split``'s reduced zoo and index, and a fixed random sample of its requests
    (seed 1), for benchmarks that time or watch a router over a few of them."""
    zoo = ApiZoo.bundled()
    entries, items = split_zoo(zoo, split)
    sample = random.Random(1).sample(items, requests)
    zoo_dir, index_dir = split_dirs(split)
    zoo_dir.mkdir(parents=True, exist_ok=True)
    (zoo_dir / "heldout.json").write_text(json.dumps(entries), encoding="utf-8")
    return build_router(zoo_dir, index_dir, backend), sample


def run_backend(
    backend: str, items: list[dict[str, Any]], zoo: ApiZoo, dirs: tuple[Path, Path], verbose: bool, out: Any
) -> dict[str, Any]:
    router = build_router(*dirs, backend)
    started = time.perf_counter()
    router.warm_up()
    router.plan(WARM_UP_QUERY)
    ready = time.perf_counter() - started
    model = router.backend
    repairs = {"asked": 0}
    if hasattr(model, "repair"):
        original = model.repair

        def counting(*args: Any, **kwargs: Any) -> list[ApiCall]:
            repairs["asked"] += 1
            return original(*args, **kwargs)

        model.repair = counting  # type: ignore[method-assign]
    per: dict[str, list[bool]] = {}
    strict_ok, extras, outside, latencies, margins = 0, 0, 0, [], []
    predicted_none, true_none = 0, 0
    for item in items:
        t0 = time.perf_counter()
        plan = router.plan(item["query"])
        latencies.append(time.perf_counter() - t0)
        preds = [p.call for p in plan.calls]
        offered = {c.spec.id for c in plan.candidates}
        outside += sum(p.api_id not in offered for p in preds)
        turn = getattr(model, "last_turn", None)
        if turn is not None and hasattr(turn, "call_margin"):
            margins.append(
                {
                    "category": item["category"],
                    "margin": turn.call_margin,
                    "more": list(getattr(turn, "more_margins", [])),
                    "functions": dict(getattr(turn, "function_scores", {})),
                    "channel": dict(getattr(turn, "channel_scores", {})),
                    "relevance": getattr(turn, "relevance", None),
                    "query": item["query"],
                    "gold": [text.split("(", 1)[0] for text in item.get("calls", [])],
                    "candidates": [c.spec.id for c in plan.candidates],
                    "retrieval": [{"score": c.score, **c.scores} for c in plan.candidates],
                }
            )
        category = item["category"]
        is_none = not preds and not plan.missing
        predicted_none += is_none
        if category == "no_call":
            ok = is_none
            true_none += ok
        elif category == "needs_input":
            named = {f"{m.api_id}.{m.parameter}" for m in plan.missing}
            ok = bool(named & set(item.get("missing", [])))
        else:
            golds = [c for text in item["calls"] for c in parse_calls(text, zoo.specs)]
            ok, strict, extra = (
                (False, False, 0) if plan.missing else match_calls(preds, golds, zoo, item["query"])
            )
            strict_ok += strict
            extras += extra
        per.setdefault(category, []).append(ok)
        record = {
            "backend": backend,
            **item,
            "ok": ok,
            "got": [p.to_source() for p in preds],
            "missing": [m.describe() for m in plan.missing],
            "seconds": latencies[-1],
            "candidates": [c.spec.id for c in plan.candidates],
            "model_text": getattr(turn, "text", None),  # the last decode's text (a repair's, if one ran)
        }
        if out is not None:
            out.write(json.dumps(record) + "\n")
            out.flush()
        if verbose:
            print(
                f"{'OK ' if ok else 'BAD'} {latencies[-1]:5.2f}s [{category}] {item['query']!r} -> "
                f"{record['got'] or record['missing'] or plan.no_call_reason}",
                flush=True,
            )
    router.close()
    n_none = len(per.get("no_call", []))
    calls_items = per.get("single", []) + per.get("parallel", [])
    return {
        "backend": backend,
        "per": per,
        "strict": strict_ok,
        "n_calls": len(calls_items),
        "exact": sum(calls_items),
        "extras": extras,
        "outside": outside,
        "latencies": latencies,
        "ready": ready,
        "repairs": repairs["asked"],
        "margins": margins,
        "no_call_precision": true_none / predicted_none if predicted_none else 1.0,
        "no_call_recall": true_none / n_none if n_none else 1.0,
    }


def cold_start(backend: str, dirs: tuple[Path, Path], query: str) -> dict[str, Any]:
    code = (  # noqa: UP031
        "import json,sys,time;t=time.perf_counter();sys.path.insert(0,%r);import bench_end_to_end as b;"
        "r=b.build_router(b.Path(%r),b.Path(%r),%r);res=r.run(%r);"
        "print(json.dumps({'status':res.status.value,'rss':b.peak_rss_mb(),'in_process':time.perf_counter()-t}))"
    ) % (str(Path(__file__).parent), str(dirs[0]), str(dirs[1]), backend, query)
    t0 = time.perf_counter()
    child = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=600, check=False
    )
    wall = time.perf_counter() - t0
    lines = child.stdout.strip().splitlines()
    if child.returncode != 0 or not lines:
        return {"wall": wall, "error": child.stderr[-400:]}
    return {"wall": wall, **json.loads(lines[-1])}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backends", default="embedded")
    parser.add_argument("--split", choices=["test", "tune"], default="test")
    parser.add_argument("--limit", type=int, default=0, help="a fixed random subset of N items (0: all)")
    parser.add_argument("--queries", help="only the items whose request is a line of this file")
    parser.add_argument("--cold", action="store_true", help="also time a fresh process (first backend)")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--out", help="per-item JSON Lines")
    args = parser.parse_args()

    zoo = ApiZoo.bundled()
    entries, items = split_zoo(zoo, args.split)
    if args.limit:
        items = random.Random(0).sample(items, min(args.limit, len(items)))
    if args.queries:
        wanted = set(Path(args.queries).read_text(encoding="utf-8").splitlines())
        items = [item for item in items if item["query"] in wanted]
    zoo_dir, index_dir = split_dirs(args.split)
    work = zoo_dir.parent
    zoo_dir.mkdir(parents=True, exist_ok=True)
    (zoo_dir / "heldout.json").write_text(json.dumps(entries), encoding="utf-8")
    reduced = ApiZoo.load(zoo_dir)
    out = open(args.out, "w", encoding="utf-8") if args.out else None  # noqa: SIM115
    reports = [
        run_backend(b.strip(), items, reduced, (zoo_dir, index_dir), args.verbose, out)
        for b in args.backends.split(",")
    ]
    if out is not None:
        out.close()
    counts = Counter(item["category"] for item in items)
    print(
        f"\nEnd to end on the {args.split} split: {len(items)} items ({dict(counts)}), "
        "top-5 retrieval unless a backend sets top_k, "
        f"{os.cpu_count()} CPUs"
    )
    rows: list[tuple[str, list[str]]] = []

    def pct(ok: int, n: int) -> str:
        return f"{100 * ok / n:.1f}% ({ok}/{n})" if n else "-"

    rows.append(("exact calls (single + parallel)", [pct(r["exact"], r["n_calls"]) for r in reports]))
    rows.append(("strict (every gold argument)", [pct(r["strict"], r["n_calls"]) for r in reports]))
    for category in ("single", "parallel", "no_call", "needs_input"):
        rows.append(
            (
                f"  {category}",
                [pct(sum(r["per"].get(category, [])), len(r["per"].get(category, []))) for r in reports],
            )
        )
    rows.append(
        (
            "no-call precision / recall",
            [f"{100 * r['no_call_precision']:.0f}% / {100 * r['no_call_recall']:.0f}%" for r in reports],
        )
    )
    rows.append(("API outside the candidates", [str(r["outside"]) for r in reports]))
    rows.append(("extra (non-gold) arguments kept", [str(r["extras"]) for r in reports]))
    rows.append(("repair rounds asked", [str(r["repairs"]) for r in reports]))
    rows.append(
        (
            "latency p50 / p95 (plan: retrieve+generate+refine)",
            [
                f"{statistics.median(r['latencies']):.2f} / {percentile(r['latencies'], 95):.2f} s"
                for r in reports
            ],
        )
    )
    rows.append(("start-up (load, index, first query)", [f"{r['ready']:.1f} s" for r in reports]))
    if args.cold:
        cold = cold_start(reports[0]["backend"], (zoo_dir, index_dir), items[0]["query"])
        rows.append(
            (
                f"cold start, fresh process ({reports[0]['backend']})",
                [cold.get("error") or f"{cold['wall']:.1f} s wall, peak RSS {cold['rss']:.0f} MB"],
            )
        )
    width = max(len(name) for name, _ in rows)
    print(f"{'':<{width}}  " + "  ".join(f"{r['backend']:<24}" for r in reports))
    for name, values in rows:
        print(f"{name:<{width}}  " + "  ".join(f"{v:<24}" for v in values))
    for report in reports:
        if report["margins"]:
            path = work / f"margins-{args.split}-{report['backend'].replace(':', '_').replace('/', '_')}.json"
            path.write_text(json.dumps(report["margins"]), encoding="utf-8")
            print(f"call margins of {report['backend']} written to {path}")


if __name__ == "__main__":
    main()
