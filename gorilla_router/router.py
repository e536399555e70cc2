"""``GorillaRouter``: a sentence in, a safe executed API call out — by composing the pipeline's stages.

The router owns no algorithm of its own: it retrieves candidates, lets the backend write calls, and hands
each call to the executor (which validates, guards and dispatches). What it adds is the glue a user needs:
defaults that work offline, a lazily synced index, a clear "no suitable API" answer instead of a guess,
timings per stage, a plan view without execution, and sync/async/batch entry points.

Several calls: a model may write more than one call for one request ("order a pizza and a taxi").
``run(query)`` executes exactly one — the first — and logs a warning naming the calls it left out;
``run_all(query)`` executes them all in order and returns one result each; ``plan(query)`` shows them all.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gorilla_router import components
from gorilla_router.config import RouterConfig
from gorilla_router.errors import BackendError, GenerationError, ModelOutputError
from gorilla_router.generation.refine import refine_calls
from gorilla_router.plan import Plan, PlannedCall
from gorilla_router.proposal import (
    Proposal,
    check_offered,
    checked_query,
    needs_input_message,
    retrieval_no_call,
    unexecuted_result,
)
from gorilla_router.specs import ApiCall, ApiSpec, CallReason, CallResult, CallStatus, Candidate
from gorilla_router.zoo import ApiZoo, UnknownApiError

if TYPE_CHECKING:
    from gorilla_router.execution.base import Executor
    from gorilla_router.execution.policy import Policy
    from gorilla_router.generation.base import ModelBackend
    from gorilla_router.inline import AnnotatedText, AugmentedText
    from gorilla_router.integrations.langchain_retriever import GorillaRouterRetriever
    from gorilla_router.integrations.langchain_tool import GorillaRouterTool
    from gorilla_router.retrieval.base import Embedder, Retriever, SearchFilters

__all__ = ["GorillaRouter"]

logger = logging.getLogger("gorilla_router.router")


class GorillaRouter:
    """Route natural-language requests to API calls from the zoo, then execute them under the guard.

    Every argument is optional; what is not given is built from ``config`` (``RouterConfig.load()`` by
    default: TOML file + ``GORILLA_ROUTER_*`` environment variables) on first use:

    * ``zoo`` — an ``ApiZoo``, specs, or a path (default: configured paths, else the bundled zoo);
    * ``retriever`` — any ``Retriever`` (default: hybrid dense+BM25 over an embedded Chroma in the cache
      folder, or a Chroma server; the index syncs on first use and only when the zoo's fingerprint changed);
    * ``backend`` — a ``ModelBackend`` or a backend string (default ``"embedded"``: the ladder's default,
      Qwen2.5-Coder-0.5B-Instruct, offline);
    * ``executor`` — any ``Executor`` (default: validate → guard → dry-run → audit → REST/Python);
    * ``policy`` — the guard's ``Policy`` (default from ``allow``/``deny``/``only``/``dry_run`` in the
      config). Given explicitly, it replaces the config's ``allow``; the config's ``deny``, ``only`` and
      ``dry_run`` still apply (restrictions add up, so a config in dry-run mode stays a dry run);
    * ``confirm`` — ``(call, spec, reason) -> bool`` asked before calls with side effects; without it such
      calls are denied with a message saying how to allow them (``assume_yes`` in the config answers yes);
    * ``embedder`` — the retrieval embedder (default from the config), ``progress`` — ``(done, total)``
      callback while the index is built;
    * ``transports`` — ``{"rest": …, "python": …}`` executors that do the actual dispatch under the default
      validate → guard → dry-run stack (e.g. a ``RecordingExecutor`` in tests); ignored with ``executor``.

    Thread-safe: parts are built once under a lock; the stages themselves are safe to share.
    """

    def __init__(
        self,
        zoo: ApiZoo | Iterable[ApiSpec] | str | Path | None = None,
        retriever: Retriever | None = None,
        backend: ModelBackend | str | None = None,
        executor: Executor | None = None,
        policy: Policy | None = None,
        config: RouterConfig | None = None,
        confirm: components.ConfirmCallback | None = None,
        *,
        embedder: Embedder | None = None,
        progress: components.ProgressCallback | None = None,
        transports: Mapping[str, Executor] | None = None,
    ) -> None:
        self.config = config if config is not None else RouterConfig.load()
        self._zoo_source = zoo
        self._zoo: ApiZoo | None = None
        self._retriever = retriever
        self._backend = backend if not isinstance(backend, str) else None
        self._backend_name = backend if isinstance(backend, str) else self.config.backend
        self._executor = executor
        self._policy = policy
        self._confirm = confirm
        self._embedder = embedder
        self._progress = progress
        self._transports = dict(transports or {})
        self._lock = threading.RLock()
        self._startup_timings: dict[str, float] = {}

    # ----------------------------------------------------------------- parts, built lazily and once
    @property
    def zoo(self) -> ApiZoo:
        with self._lock:
            if self._zoo is None:
                self._zoo = components.load_zoo(self._zoo_source, self.config)
            return self._zoo

    @property
    def retriever(self) -> Retriever:
        with self._lock:
            if self._retriever is None:
                from gorilla_router.retrieval import build_retriever

                embedder = self._embedder or components.build_embedder(self.config)
                started = time.perf_counter()
                self._retriever = build_retriever(
                    self.zoo.specs, embedder, components.index_location(self.config), progress=self._progress
                )
                self._startup_timings["index_sync"] = time.perf_counter() - started
            return self._retriever

    @property
    def backend(self) -> ModelBackend:
        with self._lock:
            if self._backend is None:
                started = time.perf_counter()
                self._backend = components.build_backend(
                    self.config.model_copy(update={"backend": self._backend_name})
                )
                self._startup_timings["backend_load"] = time.perf_counter() - started
            return self._backend

    @property
    def backend_name(self) -> str:
        """The backend's name without building it: ``"embedded"``, ``"test"``, ``"openai:…"``, …"""
        return self._backend.name if self._backend is not None else self._backend_name

    @property
    def policy(self) -> Policy:
        """The policy given, else the one built from the config (the guard may add the config's limits)."""
        with self._lock:
            if self._policy is None:
                self._policy = components.build_policy(self.config)
            return self._policy

    @property
    def executor(self) -> Executor:
        with self._lock:
            if self._executor is None:
                self._executor = components.configured_executor(
                    self.config, self._policy, self._confirm, **self._transports
                )
            return self._executor

    def warm_up(self) -> dict[str, float]:
        """Build every part now (load models, sync the index), not on the first query; returns timings."""
        _ = self.zoo, self.retriever, self.executor
        load_weights = getattr(self.backend, "loaded", None)  # local backends load weights on first use
        if callable(load_weights):
            started = time.perf_counter()
            load_weights()
            with self._lock:
                self._startup_timings["model_load"] = time.perf_counter() - started
        return self._take_startup_timings()

    def _take_startup_timings(self) -> dict[str, float]:
        """One-time costs (index sync, model load) are reported once: by ``warm_up`` or the first query."""
        with self._lock:
            taken, self._startup_timings = self._startup_timings, {}
            return taken

    # ----------------------------------------------------------------- the pipeline
    def search(
        self, query: str, k: int | None = None, filters: SearchFilters | None = None
    ) -> list[Candidate]:
        """The top-``k`` APIs for ``query`` (default ``top_k`` from the config), best first."""
        return self.retriever.search(checked_query(query), k=k or self.config.top_k, filters=filters)

    def plan(self, query: str) -> Plan:
        """Retrieve, generate, validate and ask the guard — but execute nothing."""
        started = time.perf_counter()
        proposal = self._propose(query)
        plan = Plan(query=query, candidates=proposal.candidates, timings=dict(proposal.timings))
        plan.no_call_code = proposal.code
        if proposal.failure is not None:
            plan.no_call_reason = f"the model's answer could not be used: {proposal.failure}"
        elif not proposal.calls:
            plan.no_call_reason = proposal.no_call_reason
        from gorilla_router.execution import verdict_of  # lazily: importing the package stays cheap

        validate_started = time.perf_counter()
        plan.missing = list(proposal.missing)
        asked = {m.api_id for m in proposal.missing}
        for call in proposal.calls:  # the executor's guard decides, exactly as it will when run
            if call.api_id in asked:
                reason = needs_input_message([m for m in proposal.missing if m.api_id == call.api_id])
                plan.calls.append(
                    PlannedCall(call=call, decision="needs_input", code=CallReason.NEEDS_INPUT, reason=reason)
                )
                continue
            verdict = verdict_of(self.executor, call, self.zoo.get(call.api_id))
            plan.calls.append(PlannedCall.from_verdict(verdict))
        plan.timings["validate"] = time.perf_counter() - validate_started
        plan.timings["total"] = time.perf_counter() - started
        return plan

    def run(self, query: str) -> CallResult:
        """Route ``query`` and execute the first call the model wrote (see the module docstring)."""
        return self._run(query, first_only=True)[0]

    def run_all(self, query: str) -> list[CallResult]:
        """Route ``query`` and execute every call the model wrote, in order; one result per call."""
        return self._run(query, first_only=False)

    def execute(self, call: ApiCall | str) -> CallResult:
        """Execute a hand-written call (``ApiCall`` or a string like ``math.sqrt(x=4)``) under the guard.

        An id that is not in the zoo, or a string that does not parse, comes back ``invalid`` with a message.
        """
        started = time.perf_counter()
        try:
            parsed = self._parse_call(call) if isinstance(call, str) else call
            spec = self.zoo.get(parsed.api_id)
        except (UnknownApiError, GenerationError) as exc:
            unknown = isinstance(exc, UnknownApiError)
            return CallResult(
                call=None if isinstance(call, str) else call,
                status=CallStatus.INVALID,
                reason=CallReason.UNKNOWN_API if unknown else CallReason.INVALID_ARGUMENTS,
                error=str(exc),
            )
        result = self.executor.execute(parsed, spec)
        timings = {**result.timings, "execute": time.perf_counter() - started}
        return result.model_copy(update={"timings": timings})

    def run_batch(self, queries: Sequence[str], *, max_workers: int = 1) -> list[CallResult]:
        """``run`` over many queries, results in order. ``max_workers`` > 1 runs them in threads."""
        if max_workers <= 1:
            return [self.run(query) for query in queries]
        self.warm_up()  # build the parts once, not racing in every thread
        with ThreadPoolExecutor(max_workers=max_workers) as pool:
            return list(pool.map(self.run, queries))

    # ----------------------------------------------------------------- inline calls (gorilla_router.inline)
    def annotate(self, text: str, **options: Any) -> AnnotatedText:
        """Execute the ``[api(args)]`` calls written in ``text`` under the guard; splice ``[call → result]``.

        ``options`` are :class:`~gorilla_router.inline.InlineOptions` fields (e.g. ``max_result_chars``).
        """
        from gorilla_router.inline import annotate_text

        return annotate_text(self, text, **options)

    def augment(self, text: str, **options: Any) -> AugmentedText:
        """Let the model insert calls where they help, keep those that pass Toolformer's loss filter.

        ``options`` are :class:`~gorilla_router.inline.AugmentOptions` fields (e.g. ``filter_threshold``).
        """
        from gorilla_router.inline import augment_text

        return augment_text(self, text, **options)

    # ----------------------------------------------------------------- async forms (in threads)
    async def arun(self, query: str) -> CallResult:
        return await asyncio.to_thread(self.run, query)

    async def arun_all(self, query: str) -> list[CallResult]:
        return await asyncio.to_thread(self.run_all, query)

    async def aplan(self, query: str) -> Plan:
        return await asyncio.to_thread(self.plan, query)

    async def asearch(
        self, query: str, k: int | None = None, filters: SearchFilters | None = None
    ) -> list[Candidate]:
        return await asyncio.to_thread(self.search, query, k, filters)

    async def aexecute(self, call: ApiCall | str) -> CallResult:
        return await asyncio.to_thread(self.execute, call)

    async def arun_batch(self, queries: Sequence[str]) -> list[CallResult]:
        return list(await asyncio.gather(*(self.arun(q) for q in queries)))

    # ----------------------------------------------------------------- LangChain views (``langchain`` extra)
    # The one import from the router to ``integrations``: a lazy shim, resolved only when called, so the
    # import graph keeps integrations → router and loading the router never loads LangChain.
    def as_tool(self, **options: Any) -> GorillaRouterTool:
        """This router as a LangChain ``GorillaRouterTool`` (``options`` go to the tool, e.g. ``name``).

        The same as ``GorillaRouterTool(router=self)``. The import is lazy so that dependencies point one
        way (integrations → router, never back) and LangChain loads only for those who ask.
        """
        from gorilla_router.integrations.langchain_tool import GorillaRouterTool

        return GorillaRouterTool(router=self, **options)

    def as_retriever(self, **options: Any) -> GorillaRouterRetriever:
        """This router's search as a LangChain ``GorillaRouterRetriever`` (options: ``k``, ``filters``).

        The same as ``GorillaRouterRetriever(router=self)``; the import is lazy, as for ``as_tool``.
        """
        from gorilla_router.integrations.langchain_retriever import GorillaRouterRetriever

        return GorillaRouterRetriever(router=self, **options)

    def close(self) -> None:
        """Release what the executor stack holds (the sandbox's worker processes, HTTP sessions)."""
        for part in _executor_parts(self._executor):
            closer = getattr(part, "close", None)
            if callable(closer):
                closer()

    def __enter__(self) -> GorillaRouter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----------------------------------------------------------------- internals
    def _propose(self, query: str) -> Proposal:
        """Retrieve candidates and let the model write calls; a no-call or a model failure is data.

        One-time costs met on the way (index sync, model load) are added to this proposal's timings.
        """
        query = checked_query(query)
        started = time.perf_counter()
        candidates = self.search(query)
        proposal = Proposal(candidates=candidates, timings={"retrieve": time.perf_counter() - started})
        proposal.no_call_reason = retrieval_no_call(candidates, self.config.min_score)
        if proposal.no_call_reason is not None:
            proposal.no_call_code = CallReason.NO_SUITABLE_API
        else:
            self._generate(query, proposal)
        proposal.timings = {**self._take_startup_timings(), **proposal.timings}
        return proposal

    def _generate(self, query: str, proposal: Proposal) -> None:
        backend = self.backend  # built outside the timed span: its load time is reported as backend_load
        started = time.perf_counter()
        try:
            proposal.calls = list(backend.generate(query, proposal.candidates))
            check_offered(proposal.calls, proposal.candidates)
            refined = refine_calls(
                query, proposal.calls, proposal.candidates, backend, ground=self.config.ground_arguments
            )
            proposal.calls, proposal.missing = refined.calls, refined.missing
        except (ModelOutputError, BackendError) as exc:
            logger.warning("generation failed for a query: %s", exc)
            proposal.failure = exc
            proposal.calls = []
        proposal.timings["generate"] = time.perf_counter() - started
        if not proposal.calls and proposal.failure is None:
            offered = ", ".join(c.spec.id for c in proposal.candidates)
            proposal.no_call_reason = (
                f"no suitable API: the model found none of the candidates fits ({offered})"
            )
            proposal.no_call_code = CallReason.MODEL_DECLINED

    def _run(self, query: str, *, first_only: bool) -> list[CallResult]:
        started = time.perf_counter()
        proposal = self._propose(query)
        if not proposal.calls or proposal.missing:
            return [unexecuted_result(proposal, time.perf_counter() - started)]
        calls = proposal.calls
        if first_only and len(calls) > 1:
            skipped = ", ".join(c.api_id for c in calls[1:])
            logger.warning(
                "the model wrote %d calls; run() executes the first only (use run_all): skipped %s",
                len(calls),
                skipped,
            )
            calls = calls[:1]
        results = []
        for call in calls:
            call_started = time.perf_counter()
            result = self.executor.execute(call, self.zoo.get(call.api_id))
            timings = {**proposal.timings, **result.timings, "execute": time.perf_counter() - call_started}
            timings["total"] = time.perf_counter() - started
            logger.info("%s -> %s in %.3fs", call.api_id, result.status.value, timings["total"])
            results.append(result.model_copy(update={"candidates": proposal.candidates, "timings": timings}))
        return results

    def _parse_call(self, text: str) -> ApiCall:
        from gorilla_router.generation.parsing import parse_calls

        try:  # keyword arguments need no spec, and an unknown id then gets the zoo's "did you mean"
            calls = parse_calls(text)
        except GenerationError:  # positional arguments are mapped by the spec's parameter order
            calls = parse_calls(text, self.zoo.specs)
        if len(calls) != 1:
            raise GenerationError(
                f"execute() takes exactly one call, the text holds {len(calls)}: {text!r}", raw=text
            )
        return calls[0]


def _executor_parts(executor: Any) -> list[Any]:
    """Every executor in a composed stack: wrappers expose ``inner``, the kind dispatcher ``by_kind``."""
    parts, pending, seen = [], [executor], set()
    while pending:
        part = pending.pop()
        if part is None or id(part) in seen:
            continue
        seen.add(id(part))
        parts.append(part)
        pending.append(getattr(part, "inner", None))
        pending.extend(getattr(part, "by_kind", {}).values())
    return parts
