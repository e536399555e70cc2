"""Constrained decoding: the model can only write a call to a candidate, with schema-typed values.

:mod:`.chooser` is the seam (pick the likeliest of a few continuations), :mod:`.decoder` walks the call
grammar over it, :mod:`.strings` and :mod:`.values` restrict values to what the query says, and
:mod:`.torch_chooser` implements the seam on a Hugging Face model (imported lazily: it needs torch).
"""

from __future__ import annotations

from gorilla_router.generation.constrained.chooser import Choice, Chooser
from gorilla_router.generation.constrained.decoder import CallDecoder, DecodedCall, DecodeOptions
from gorilla_router.generation.constrained.values import query_numbers, query_spans

__all__ = ["CallDecoder", "Choice", "Chooser", "DecodeOptions", "DecodedCall", "query_numbers", "query_spans"]
