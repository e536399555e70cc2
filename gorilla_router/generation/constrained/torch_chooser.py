"""A :class:`~.chooser.Chooser` over a Hugging Face causal LM, with a KV cache and batched scoring.

Why our own scorer instead of a grammar library: with a few options per decision (candidate ids, enum
values, the query's numbers, the next word of a span) the likeliest *whole* option can be found in one
forward pass instead of one masked step per token; and forced text (``", name="``) rides along in that
same pass, so it costs no model step. Scores are exact log-likelihoods, so a multi-token option is not
judged by its first token alone. The options run as one row — their shared tokens once, then each
option's own tokens, masked to see the cache, the shared tokens and themselves (a token tree, as in
tree-attention speculative decoding) — rather than one row per option: the cached prompt is then
neither copied per option nor read once per option, and a choice costs about one decoding step.

States are immutable: the cache of the committed text (one ``(keys, values)`` pair per layer, batch 1),
the next-token log-probabilities after it, and forced text not yet run through the model.
"""

from __future__ import annotations

import inspect
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import torch
from transformers import DynamicCache

from gorilla_router.generation.constrained.blocks import (
    KV,
    BlockCache,
    KeptBlock,
    join_blocks,
    rotary_frequencies,
)
from gorilla_router.generation.constrained.chooser import Choice, TextScanner
from gorilla_router.generation.constrained.state_store import StateStore

__all__ = ["LmState", "TextScanner", "TorchChooser"]

_PREFIX_CACHE_SIZE = 4
_BLOCK_CACHE_BYTES = 256 << 20  # tool descriptions (:mod:`.blocks`): 100-300 tokens, 1-4 MB each (0.5B)
_FRESH_CACHE_SIZE = 160  # channel prefixes (one per function, ~45 tokens, ~1.2 MB each for the 0.5B) ...
_FRESH_CACHE_SIZE_WITH_STORE = 48  # ... fewer where the state store keeps them all (read back in ~1 ms)
_PENDING_IN_ROWS = 24  # characters of forced text worth repeating per row rather than a separate step
_DRAFT_TOKENS = 8  # prompt tokens proposed per step while a value is copied from the request
_SCORED_ROWS = 8
"""Positions projected onto the vocabulary at once when scoring a text: each costs a row of logits and two
of float32 log-probabilities (~1.5 MB for Qwen's 151,936 words), so six copies of a 39-token request
projected together were a 135 MB peak on top of the weights (16 at a time: 24 MB; 8: 12 MB, which took a
fresh process's peak for the first test request from 1,501 to 1,485 MB). Each row's result is the same
either way (the projection and the normalisation are per row)."""


def _part(tensor: torch.Tensor, row: int, length: int) -> torch.Tensor:
    part = tensor[row : row + 1, :, :length]
    return part if part.shape == tensor.shape else part.clone()


def _common_prefix(rows: list[list[int]]) -> int:
    """How many leading tokens every row shares (their scores are equal, so they are not compared)."""
    shared = 0
    for column in zip(*rows):  # noqa: B905 - rows differ in length; only the shared part counts
        if any(token != column[0] for token in column):
            break
        shared += 1
    return shared


@dataclass(frozen=True)
class LmState:
    """Committed text's KV cache, next-token log-probabilities after it, and pending forced text."""

    kv: KV
    length: int
    next_logprobs: torch.Tensor
    pending: str = ""
    ahead: tuple[int, LmState] | None = None
    """A token expected next and the state after it, already run (:meth:`TorchChooser.choose`'s
    ``follow``): the first step of :meth:`TorchChooser.generate_until` uses it when it writes that token."""


class TorchChooser:
    """Score continuations with ``model``/``tokenizer``; count model forward passes in ``steps``."""

    def __init__(self, model: Any, tokenizer: Any, store: StateStore | None = None) -> None:
        self.model = model
        self.tokenizer = tokenizer
        self.store = store
        """Where prompt heads and channel prefixes persist between processes (:mod:`.state_store`)."""
        self.device = next(model.parameters()).device
        self.pad_id = int(tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0)
        self.softcap = float(getattr(model.config, "final_logit_softcapping", None) or 0.0)
        self.steps = 0
        self.tokens = 0
        self._prefixes: OrderedDict[str, LmState] = OrderedDict()
        self._fresh: OrderedDict[str, LmState] = OrderedDict()
        self._blocks = BlockCache(_BLOCK_CACHE_BYTES)
        self._lookup: list[int] = []  # the latest prompt's tail: where copied values are drafted from
        # transformers 5.25 renamed ``past_key_values`` to ``cache`` (the old name warns, then goes away)
        parameters = inspect.signature(model.get_decoder().forward).parameters
        self._cache_argument = "cache" if "cache" in parameters else "past_key_values"
        self._prefix_lock = threading.Lock()
        config = getattr(model.config, "get_text_config", lambda: model.config)()
        sliding = "sliding_attention" in (getattr(config, "layer_types", None) or [])
        self._sliding_window = int(getattr(config, "sliding_window", 0) or 0) if sliding else 0

    # -- helpers -------------------------------------------------------------------------------------
    def _ids(self, text: str) -> list[int]:
        ids: list[int] = self.tokenizer(text, add_special_tokens=False)["input_ids"]
        return ids

    def _forward(self, kv: KV, rows: list[list[int]], skip: int = 0) -> tuple[torch.Tensor, DynamicCache]:
        """Run ``rows`` (right-padded) on ``kv``; return raw logits [rows, len - skip, vocab] and the cache.

        Only positions from ``skip`` on get logits: the vocabulary projection (262k words for Gemma) costs
        more than the whole transformer body per position, so positions nobody reads are not projected.
        Logits stay in the model's dtype; :meth:`_logprobs` normalizes one row at a time in float32, so
        the transient memory is one row's worth, not the batch's.
        """
        width = max(len(r) for r in rows)
        ids = torch.full((len(rows), width), self.pad_id, dtype=torch.long)
        new_mask = torch.zeros((len(rows), width), dtype=torch.long)
        for i, row in enumerate(rows):
            ids[i, : len(row)] = torch.tensor(row)
            new_mask[i, : len(row)] = 1
        past = kv[0][0].shape[-2] if kv else 0
        mask = torch.cat([torch.ones((len(rows), past), dtype=torch.long), new_mask], dim=1)
        cache = DynamicCache()
        for layer, (keys, values) in enumerate(kv):
            cache.update(keys.expand(len(rows), -1, -1, -1), values.expand(len(rows), -1, -1, -1), layer)
        self.steps += 1
        self.tokens += int(new_mask.sum())
        with torch.inference_mode():
            out = self.model.get_decoder()(
                input_ids=ids.to(self.device),
                attention_mask=mask.to(self.device),
                use_cache=True,
                **{self._cache_argument: cache},
            )
            logits = self.model.get_output_embeddings()(out.last_hidden_state[:, skip:])
            returned = out.cache if self._cache_argument == "cache" else out.past_key_values
            return logits, returned

    def _logprobs(self, logits: torch.Tensor) -> torch.Tensor:
        """Log-probabilities (float32) from raw logits of one position or one row."""
        with torch.inference_mode():
            values = logits.float()
            if self.softcap:
                values = torch.tanh(values / self.softcap) * self.softcap
            return torch.log_softmax(values, dim=-1)

    @staticmethod
    def _select(cache: Any, row: int, length: int) -> KV:
        """Batch row ``row``'s first ``length`` positions of every layer (dynamic full-attention layers).

        A part is copied, so the rest of the pass's cache can be freed; the whole of a one-row cache (a
        commit, a prompt's head, a value step that kept its whole draft) is taken as it is — nothing
        writes into a cache's tensors after its pass — which saves a copy of every layer's keys and values
        (13 MB for the 0.5B after a 1,100-token prompt) per pass and the memory of two copies at once.
        """
        return tuple(
            (_part(layer.keys, row, length), _part(layer.values, row, length)) for layer in cache.layers
        )

    def _fresh_states(self, texts: Sequence[str]) -> list[LmState]:
        """The state after each of ``texts`` as a fresh context (framed as the tokenizer frames a text:
        Gemma's <bos>, nothing for Qwen), cached: the channel prefixes of a zoo's functions recur."""
        found: dict[str, LmState] = {}
        with self._prefix_lock:
            for text in texts:
                if text in self._fresh:
                    self._fresh.move_to_end(text)
                    found[text] = self._fresh[text]
        new: dict[str, LmState] = {}
        for text in dict.fromkeys(texts):
            if text in found:
                continue
            stored = self.store.load("fresh", text) if self.store is not None else None
            if stored is not None:
                new[text] = LmState(*stored)
                continue
            row = list(self.tokenizer(text)["input_ids"])  # one row: a prefix's state must not depend
            logits, cache = self._forward((), [row], skip=len(row) - 1)  # on what it was batched with
            new[text] = LmState(self._select(cache, 0, len(row)), len(row), self._logprobs(logits[0, -1]))
            if self.store is not None:
                self.store.save("fresh", text, (new[text].kv, new[text].length, new[text].next_logprobs))
        found.update(new)
        if new:
            with self._prefix_lock:
                for text, state in new.items():
                    self._fresh[text] = state
                limit = _FRESH_CACHE_SIZE if self.store is None else _FRESH_CACHE_SIZE_WITH_STORE
                while len(self._fresh) > limit:
                    self._fresh.popitem(last=False)
        return [found[text] for text in texts]

    def continuation_logprobs(self, prefixes: Sequence[str], text: str) -> list[float]:
        """Log-likelihood of ``text`` after each of ``prefixes`` (each a fresh context), one model pass.

        The prefixes' caches (:meth:`_fresh_states`) are laid side by side and ``text`` follows once per
        prefix in one row, each copy masked to its own prefix, its positions continuing that prefix, so
        the scores equal separate runs'.
        """
        if not prefixes:
            return []
        continuation = self._ids(text)
        if not continuation:
            return [0.0] * len(prefixes)
        starts = self._fresh_states(prefixes)
        # one row: every prefix's cache side by side, then the text once per prefix, each copy seeing
        # only its own prefix and its own earlier tokens, at positions continuing that prefix
        count, size = len(starts), len(continuation)
        kv = tuple(
            (
                torch.cat([s.kv[layer][0] for s in starts], dim=2),
                torch.cat([s.kv[layer][1] for s in starts], dim=2),
            )
            for layer in range(len(starts[0].kv))
        )
        owner = torch.cat([torch.full((s.length,), row) for row, s in enumerate(starts)])
        past_positions = torch.cat([torch.arange(s.length) for s in starts])
        rows = torch.arange(count).repeat_interleave(size)
        positions = torch.cat([torch.arange(s.length, s.length + size) for s in starts])
        sees_past = rows[:, None] == owner[None, :]
        sees_new = (rows[:, None] == rows[None, :]) & torch.ones((count * size,) * 2, dtype=torch.bool).tril()
        hidden, _ = self._forward_masked(
            kv, past_positions, continuation * count, positions, sees_past, sees_new
        )
        following = continuation[1:]
        scores = []
        for row, s in enumerate(starts):
            score = float(s.next_logprobs[continuation[0]])
            if following:
                score += float(
                    self._token_logprobs(hidden[row * size : row * size + size - 1], following).sum()
                )
            scores.append(score)
        return scores

    def _token_logprobs(self, hidden: torch.Tensor, tokens: Sequence[int]) -> torch.Tensor:
        """``log P(tokens[i] | hidden[i])`` for each row, projected ``_SCORED_ROWS`` rows at a time."""
        head = self.model.get_output_embeddings()
        parts = []
        with torch.inference_mode():
            for start in range(0, len(tokens), _SCORED_ROWS):
                logprobs = self._logprobs(head(hidden[start : start + _SCORED_ROWS]))
                chosen = torch.tensor(tokens[start : start + _SCORED_ROWS])
                parts.append(logprobs[torch.arange(len(chosen)), chosen])
        return torch.cat(parts)

    # -- the Chooser protocol --------------------------------------------------------------------------
    def start(self, head: str, tail: str = "") -> LmState:
        """The state after the prompt ``head + tail``; ``head`` (shared by many prompts) is cached."""
        with self._prefix_lock:
            base = self._prefixes.get(head)
            if base is not None:
                self._prefixes.move_to_end(head)
        if base is None and self.store is not None:
            stored = self.store.load("head", head)
            base = LmState(*stored) if stored is not None else None
        if base is None:
            bos = self.tokenizer.bos_token_id
            ids = [bos, *self._ids(head)] if bos is not None else self._ids(head)
            logits, cache = self._forward((), [ids], skip=len(ids) - 1)
            base = LmState(self._select(cache, 0, len(ids)), len(ids), self._logprobs(logits[0, -1]))
            if self.store is not None:
                self.store.save("head", head, (base.kv, base.length, base.next_logprobs))
        if head not in self._prefixes:
            with self._prefix_lock:
                self._prefixes[head] = base
                while len(self._prefixes) > _PREFIX_CACHE_SIZE:
                    self._prefixes.popitem(last=False)
        self._lookup = self._ids(tail) if tail else []
        return self.extend(base, tail) if tail else base

    @property
    def reads_blocks(self) -> bool:
        """Whether :meth:`start_blocks` can keep blocks for this model (else it reads the prompt whole)."""
        if not hasattr(self, "_frequencies"):
            self._frequencies = rotary_frequencies(self.model)
        return self._frequencies is not None

    def start_blocks(self, head: str, blocks: Sequence[str], rest: str) -> LmState:
        """The state after ``head + "".join(blocks) + rest``, each block's cache kept and reused
        (:mod:`.blocks`): only the blocks not seen before and ``rest`` run through the model."""
        frequencies = self._frequencies if self.reads_blocks else None
        if frequencies is None or not blocks:
            return self.start(head, "".join(blocks) + rest)
        base = self.start(head)
        kept: list[KeptBlock] = []
        for text in blocks:
            with self._prefix_lock:
                block = self._blocks.get(head, text)
            if block is None:
                ids = self._ids(text)
                logits, cache = self._forward(base.kv, [ids], skip=len(ids) - 1)
                whole = self._select(cache, 0, base.length + len(ids))
                block = KeptBlock(
                    tuple((k[:, :, base.length :], v[:, :, base.length :]) for k, v in whole),
                    base.length,
                    len(ids),
                    self._logprobs(logits[0, -1]),
                )
                with self._prefix_lock:
                    self._blocks.put(head, text, block)
            kept.append(block)
        kv = join_blocks(base.kv, kept, frequencies)
        state = LmState(kv, base.length + sum(block.length for block in kept), kept[-1].next_logprobs)
        self._lookup = self._ids("".join(blocks) + rest)
        return self.extend(state, rest) if rest else state

    def extend(self, state: LmState, text: str) -> LmState:
        return LmState(state.kv, state.length, state.next_logprobs, state.pending + text)

    def commit(self, state: LmState) -> LmState:
        """Run pending text through the model (needed before reading ``next_logprobs``)."""
        if not state.pending:
            return state
        row = self._ids(state.pending)
        logits, cache = self._forward(state.kv, [row], skip=len(row) - 1)
        length = state.length + len(row)
        return LmState(self._select(cache, 0, length), length, self._logprobs(logits[0, -1]))

    def choose(self, state: LmState, options: Sequence[str], follow: Sequence[str] = ()) -> Choice[LmState]:
        """The likeliest option after ``state`` (one model pass, the options as a token tree).

        ``follow[i]``, where given, is text expected right after option ``i`` (a value's opening token
        after an argument's name): it rides along in the same pass, unscored, and when option ``i`` wins,
        the state after it is kept as the chosen state's :attr:`LmState.ahead`, so writing that token next
        costs no pass of its own.
        """
        if not options:
            raise ValueError("choose() needs at least one option")
        if len(options) == 1:
            return Choice(0, (0.0,), self.extend(state, options[0]))
        if len(state.pending) > _PENDING_IN_ROWS:
            state = self.commit(state)  # one row instead of repeating a long forced text in every row
        rows = [self._ids(state.pending + option) for option in options]
        shared = _common_prefix(rows)
        extra = [self._ids(follow[i]) if i < len(follow) and follow[i] else [] for i in range(len(rows))]
        extra = [more if len(more) == 1 else [] for more in extra]  # one token, or nothing to run ahead
        tree = _OptionTree([row + more for row, more in zip(rows, extra, strict=True)], shared)
        predictors = [
            tree.position(i, t - 1) for i, row in enumerate(rows) for t in range(max(shared, 1), len(row))
        ]
        lasts = [tree.position(i, len(row) - 1) for i, row in enumerate(rows)]
        followers = [tree.position(i, len(row)) for i, row in enumerate(rows) if extra[i]]
        hidden, cache = self._forward_tree(state, tree)
        wanted = sorted(set(predictors + lasts + followers))  # one vocabulary projection for all of them
        where = {position: k for k, position in enumerate(wanted)}
        with torch.inference_mode():
            logits = self.model.get_output_embeddings()(hidden[wanted])
        scores, lengths = [], []
        for i, row in enumerate(rows):
            score = float(state.next_logprobs[row[0]]) if shared == 0 else 0.0
            targets = list(range(max(shared, 1), len(row)))
            if targets:
                logprobs = self._logprobs(logits[[where[tree.position(i, t - 1)] for t in targets]])
                score += float(
                    logprobs[torch.arange(len(targets)), torch.tensor([row[t] for t in targets])].sum()
                )
            scores.append(score)
            lengths.append(len(targets) + (shared == 0))
        best = max(range(len(rows)), key=scores.__getitem__)
        path = tree.path(best)
        kept = torch.tensor([*range(state.length), *(state.length + p for p in path)], dtype=torch.long)
        whole = tuple(
            (layer.keys.index_select(2, kept), layer.values.index_select(2, kept)) for layer in cache.layers
        )
        length = state.length + len(rows[best])
        ahead = None
        if extra[best]:  # the token expected next: the state after it, from this same pass
            ahead = (extra[best][0], LmState(whole, length + 1, self._logprobs(logits[where[path[-1]]])))
        kv = tuple((keys[:, :, :length], values[:, :, :length]) for keys, values in whole) if ahead else whole
        after = LmState(kv, length, self._logprobs(logits[where[lasts[best]]]), ahead=ahead)
        return Choice(best, tuple(scores), after, tuple(lengths))

    def _forward_tree(self, state: LmState, tree: _OptionTree) -> tuple[torch.Tensor, Any]:
        """Run every option in one row: the shared tokens once, then each option's own tokens, each
        attending to the cache, the shared tokens and its own earlier tokens only (positions continue the
        shared text per option). Returns the hidden states [tokens, hidden] and the cache.

        One row instead of one per option: the cached prefix is neither copied per option nor read
        per option by attention, which made a five-option choice cost twice a one-token step.
        """
        past = state.length
        sees_past = torch.ones((len(tree.tokens), past), dtype=torch.bool)
        positions = torch.tensor(tree.positions) + past
        return self._forward_masked(
            state.kv, torch.arange(past), tree.tokens, positions, sees_past, tree.visible
        )

    def _forward_masked(
        self,
        kv: KV,
        past_positions: torch.Tensor,
        tokens: Sequence[int],
        positions: torch.Tensor,
        sees_past: torch.Tensor,
        sees_new: torch.Tensor,
    ) -> tuple[torch.Tensor, Any]:
        """One row of ``tokens`` at ``positions`` after the cache ``kv`` (whose entries sit at
        ``past_positions``): token ``a`` attends to cached entry ``b`` where ``sees_past[a, b]`` and to new
        token ``b`` where ``sees_new[a, b]`` (a 4D mask). Returns the hidden states [tokens, hidden] and
        the cache (``kv`` followed by the new tokens)."""
        mask = torch.cat([sees_past, sees_new], dim=1)[None, None]
        attention: torch.Tensor | dict[str, torch.Tensor] = mask.to(self.device)
        if self._sliding_window:  # Gemma 3's local layers see only the latest ``window`` positions
            distance = positions[:, None] - torch.cat([past_positions, positions])[None, :]
            local = (mask & (distance < self._sliding_window)).to(self.device)
            attention = {"full_attention": mask.to(self.device), "sliding_attention": local}
        cache = DynamicCache()
        for layer, (keys, values) in enumerate(kv):
            cache.update(keys, values, layer)
        self.steps += 1
        self.tokens += len(tokens)
        with torch.inference_mode():
            out = self.model.get_decoder()(
                input_ids=torch.tensor([list(tokens)], device=self.device),
                attention_mask=attention,
                position_ids=positions[None].to(self.device),
                use_cache=True,
                **{self._cache_argument: cache},
            )
            returned = out.cache if self._cache_argument == "cache" else out.past_key_values
            return out.last_hidden_state[0], returned

    def free_text(self, state: LmState, stop: str, max_tokens: int) -> tuple[str, LmState]:
        state = self.commit(state)
        text = ""
        for _ in range(max_tokens):
            token = int(torch.argmax(state.next_logprobs))
            piece = self.tokenizer.decode([token])
            if stop in piece or token == self.tokenizer.eos_token_id or "\n" in piece:
                head = (
                    piece.split(stop, 1)[0].split("\n", 1)[0] if token != self.tokenizer.eos_token_id else ""
                )
                return text + head, self.extend(state, head)
            text += piece
            logits, cache = self._forward(state.kv, [[token]])
            state = LmState(
                self._select(cache, 0, state.length + 1), state.length + 1, self._logprobs(logits[0, -1])
            )
        return text, state

    # -- free text under a scanner (JSON values of tool calls) -----------------------------------------
    def first_token_logprob(self, state: LmState, text: str) -> float:
        """Log-probability that the text after ``state`` starts with ``text``'s first token."""
        state = self.commit(state)
        return float(state.next_logprobs[self._ids(text)[0]])

    def _new_text(self, written: list[int], text: str, partial: int) -> str | None:
        """The characters the latest token of ``written`` adds to ``text``, or ``None`` mid-character.

        Byte-level vocabularies split a non-ASCII character (``٣``, ``é``, ``東``) over several tokens,
        each of which decodes alone to U+FFFD; decoding the whole run and waiting (up to the 4 bytes of a
        UTF-8 character; ``partial`` tokens so far) for a complete character keeps such values intact.
        """
        decoded = str(self.tokenizer.decode(written))
        if decoded.endswith("\ufffd") and partial < 3:
            return None
        return decoded[len(text) :]

    def _pieces(self) -> list[str]:
        cached: list[str] | None = getattr(self, "_piece_cache", None)
        if cached is None:
            size = int(self.model.get_output_embeddings().out_features)
            cached = [self.tokenizer.decode([token]) for token in range(size)]
            self._piece_cache = cached
        return cached

    def _mask_for(self, scanner: TextScanner) -> torch.Tensor:
        """Which tokens ``scanner`` allows, cached per scanner class (masks depend on the class only) or per
        its ``mask_key`` where it has one (a class whose masks depend on a setting)."""
        masks: dict[str, torch.Tensor] = getattr(self, "_mask_cache", {})
        self._mask_cache = masks
        key = str(getattr(scanner, "mask_key", type(scanner).__qualname__))
        if key not in masks:
            special = set(getattr(self.tokenizer, "all_special_ids", []) or [])
            allowed = [
                token not in special and bool(piece) and scanner.allows(piece)
                for token, piece in enumerate(self._pieces())
            ]
            masks[key] = torch.tensor(allowed, dtype=torch.bool)
        return masks[key]

    def generate_until(self, state: LmState, scanner: TextScanner, max_tokens: int) -> tuple[str, LmState]:
        """Greedy text among the tokens ``scanner`` allows, until it says the text is complete.

        Returns the text and the state after it; a last token that runs past the end is not run through
        the model — its kept part becomes pending text, so the state holds exactly the returned text.

        Values are mostly copied from the request, so each step also runs a *draft*: the tokens that
        followed the latest written ones in the prompt (:func:`_draft`, prompt-lookup decoding). The
        model checks the whole draft in the same forward pass; the tokens it would have chosen anyway are
        kept, so the text is exactly the greedy one, in fewer passes.
        """
        state = self.commit(state)
        mask = self._mask_for(scanner)
        text = ""
        written: list[int] = []
        partial = 0

        def masked_best(logprobs: torch.Tensor) -> int | None:
            size = min(len(mask), logprobs.shape[-1])
            masked = torch.where(mask[:size], logprobs[:size], torch.tensor(float("-inf")))
            token = int(torch.argmax(masked))
            return None if masked[token] == float("-inf") else token

        token = masked_best(state.next_logprobs)
        while token is not None and len(written) < max_tokens:
            written.append(token)
            piece = self._new_text(written, text, partial)
            partial = partial + 1 if piece is None else 0
            if piece is not None:
                kept = scanner.feed(piece)
                if kept is not None:
                    return text + kept, self.extend(state, kept)
                text += piece
            if state.ahead is not None and state.ahead[0] == token and len(written) == 1:
                state = state.ahead[1]  # run already, in the choice before (``choose``'s ``follow``)
                token = masked_best(state.next_logprobs)
                continue
            draft = _draft(self._lookup, written, max_tokens - len(written))
            logits, cache = self._forward(state.kv, [[token, *draft]])
            accepted, token = 0, None
            following = self._logprobs(logits[0, 0])
            for drafted in draft:
                if masked_best(following) != drafted:
                    break
                written.append(drafted)
                piece = self._new_text(written, text, partial)
                partial = partial + 1 if piece is None else 0
                kept = scanner.feed(piece) if piece is not None else None
                if kept is not None:  # complete inside the draft: keep the state before that token
                    length = state.length + 1 + accepted
                    done = LmState(self._select(cache, 0, length), length, following)
                    return text + kept, self.extend(done, kept)
                text += piece or ""
                accepted += 1
                following = self._logprobs(logits[0, accepted])
            length = state.length + 1 + accepted
            state = LmState(self._select(cache, 0, length), length, following)
            token = masked_best(following)
        return text, state


class _OptionTree:
    """Options as one token sequence: their shared leading tokens once, then each option's own tokens.

    ``visible[a, b]``: whether token ``a`` may attend to token ``b`` (causal within the shared part and
    within one option's own part; every option sees the shared part). ``positions``: each token's position
    in its own option's text, so every option is scored as if it were alone.
    """

    def __init__(self, rows: Sequence[Sequence[int]], shared: int) -> None:
        self.shared = shared
        self.tokens: list[int] = list(rows[0][:shared])
        self.positions: list[int] = list(range(shared))
        self.starts: list[int] = []
        self.own: list[int] = []
        for row in rows:
            self.starts.append(len(self.tokens))
            self.own.append(len(row) - shared)
            self.tokens.extend(row[shared:])
            self.positions.extend(range(shared, len(row)))
        size = len(self.tokens)
        causal = torch.ones((size, size), dtype=torch.bool).tril()
        same = torch.zeros((size, size), dtype=torch.bool)
        same[:shared, :shared] = True
        for i in range(len(rows)):
            start, end = self.starts[i], self.starts[i] + self.own[i]
            same[start:end, :shared] = True
            same[start:end, start:end] = True
        self.visible = causal & same

    def position(self, row: int, index: int) -> int:
        """Where the ``index``-th token of option ``row`` sits in :attr:`tokens`."""
        return index if index < self.shared else self.starts[row] + index - self.shared

    def path(self, row: int) -> list[int]:
        """The indices in :attr:`tokens` of option ``row``'s tokens, in order."""
        start = self.starts[row]
        return [*range(self.shared), *range(start, start + self.own[row])]


def _draft(source: Sequence[int], written: Sequence[int], limit: int, longest: int = 3) -> list[int]:
    """Up to ``_DRAFT_TOKENS`` tokens that followed the latest occurrence of ``written``'s tail in ``source``.

    The longest tail (up to ``longest`` tokens) that occurs wins; its latest occurrence is used because the
    request is at the end of the prompt, after the tools' descriptions.
    """
    limit = min(limit, _DRAFT_TOKENS)
    if limit <= 0 or not written or not source:
        return []
    for size in range(min(longest, len(written)), 0, -1):
        tail = list(written[-size:])
        for end in range(len(source) - 1, size - 2, -1):
            if list(source[end - size + 1 : end + 1]) == tail:
                return list(source[end + 1 : end + 1 + limit])
    return []
