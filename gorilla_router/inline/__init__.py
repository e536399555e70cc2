"""Toolformer inline calls: ``[api(args)]`` written in text, executed under the guard, results spliced back.

* :mod:`.spans` — find call spans in text (escapes, nesting, code blocks, limits); nothing is evaluated.
* :mod:`.resolve` — the written name → one zoo id (full dotted ids; short names only when unambiguous).
* :mod:`.annotate` — parse (``ast`` only), validate, guard and execute each span; splice ``[call → result]``.
* :mod:`.scoring` — the ``Scorer`` seam (token log-likelihoods from a causal LM) and a fake for tests;
  :mod:`.hf_scorer` — the real one over any Hugging Face causal-LM folder (torch, imported lazily).
* :mod:`.lossfilter` — Toolformer's filter: keep a call only if its result lowers the loss that follows.
* :mod:`.augment` — let the model insert calls where they help, then filter and annotate.

``router.annotate(text)`` and ``router.augment(text)`` are the entry points most users need.
"""

from __future__ import annotations

from gorilla_router.inline.annotate import (
    AnnotatedText,
    Annotator,
    InlineOptions,
    SpanReport,
    annotate_text,
    reason_of,
)
from gorilla_router.inline.augment import (
    TEACH_PROMPT,
    AugmentedText,
    Augmenter,
    AugmentOptions,
    InsertedCall,
    augment_text,
    default_scorer,
)
from gorilla_router.inline.lossfilter import FilterItem, FilterScore, LossFilter, toolformer_weights
from gorilla_router.inline.resolve import UnresolvedName, resolve_name
from gorilla_router.inline.scoring import CopyScorer, Scorer
from gorilla_router.inline.spans import Span, find_spans

__all__ = [
    "TEACH_PROMPT",
    "AnnotatedText",
    "Annotator",
    "AugmentOptions",
    "AugmentedText",
    "Augmenter",
    "CopyScorer",
    "FilterItem",
    "FilterScore",
    "InlineOptions",
    "InsertedCall",
    "LossFilter",
    "Scorer",
    "Span",
    "SpanReport",
    "UnresolvedName",
    "annotate_text",
    "augment_text",
    "default_scorer",
    "find_spans",
    "reason_of",
    "resolve_name",
    "toolformer_weights",
]
