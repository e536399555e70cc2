"""Constrained decoding of the instruct model's own tool-call JSON: its competence, inside the schema.

The model writes ``{"name": "…", "arguments": {…}}`` lines, the JSON it was trained on, but every
structural choice is made among what the schema allows, in one batched model pass each:

* call or not: the prompt tells the model to answer ``{"name": "none", …}`` when no function fits, so
  "none" is scored beside the candidates' ids, with a ``no_call_bias`` calibrated on tuning data (never on
  a reported set), plus the channel's relevance of the request (:mod:`.channel`, ``relevance_weight``);
* the function: the model's log-likelihood of each candidate id plus ``channel_weight`` × the noisy-channel
  score ``log P(request | description)`` (:mod:`.channel`: the model's direct choice goes by surface words)
  and minus ``rank_weight`` nats per retrieval rank below the first (0 by default); only the candidates'
  ids can be chosen, so an API outside the candidates cannot be written;
* each argument: one of the function's parameters not yet written, or the end of the arguments once
  every required one is written (a required value the request lacks is caught by grounding afterwards);
* values: enums and booleans chosen among their allowed values; numbers, strings and structured values
  (an array's ``[`` or an object's ``{`` forced by the schema) written freely and greedily by the model
  under a scanner (digits only for numbers, no new lines) — so a conversion the model knows
  ("France" → "FR", "US dollars" → "usd") survives; a string that is a comma-separated list ends where
  the model scores the whole value likelier (``list_ends``), not at the greedy comma. Whether a value is
  grounded in the request is decided afterwards, by :mod:`gorilla_router.generation.grounding`.
* after a call: another call (parallel requests) or the end of the turn.

Written against :class:`ToolChooser`, so it is tested with a scripted chooser and runs on any model the
:class:`~gorilla_router.generation.constrained.torch_chooser.TorchChooser` can drive.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from gorilla_router.generation.constrained.chooser import Choice, TextScanner
from gorilla_router.generation.toolcall.channel import ChannelEvidence
from gorilla_router.generation.toolcall.coverage import joins_parts, uncovered_mentions
from gorilla_router.generation.toolcall.prompt import CALL_START, NO_CALL_NAME
from gorilla_router.generation.toolcall.scanners import JsonValueScanner, NumberScanner, OpeningScanner
from gorilla_router.specs import ApiCall, ApiSpec

__all__ = ["DecodedTurn", "ToolCallDecoder", "ToolChooser", "ToolDecodeOptions"]

S = TypeVar("S")

_END_OF_TURN = "<|im_end|>"
_STATED_FRACTION = re.compile(r"\d\.(\d+)")
_LIST_COMMA = re.compile(r",(?! )")
"""A comma that separates the items of a list value (``"USD,GBP"``), not a clause (``"Paris, France"``)."""


class ToolChooser(Protocol[S]):
    """The model operations tool-call decoding needs (``TorchChooser`` implements them)."""

    def extend(self, state: S, text: str) -> S: ...

    def commit(self, state: S) -> S:
        """Run the pending text through the model now, so text extended later is tokenized apart from it
        (as it is after a :meth:`choose`)."""
        ...

    def choose(self, state: S, options: Sequence[str], follow: Sequence[str] = ()) -> Choice[S]:
        """The likeliest of ``options``; ``follow[i]``: text expected after option ``i``, which a chooser
        may run ahead in the same pass (unscored) so that writing it next costs nothing."""
        ...

    def generate_until(self, state: S, scanner: TextScanner, max_tokens: int) -> tuple[str, S]: ...


@dataclass(frozen=True)
class ToolDecodeOptions:
    """Decoding limits and the call/no-call calibration.

    "No call" is the pseudo-function ``none`` offered beside the candidates; it wins when its
    log-likelihood plus ``no_call_bias`` beats the best candidate's (``call_margin`` < 0). After a call,
    a second one is decoded when its log-likelihood plus ``more_calls_bias`` beats ending the turn (a small
    model tends to stop after the first of several calls a request asks for); later ones get no bias, the
    model goes on by itself once it has started a list. Both biases were chosen on the end-to-end
    benchmark's tune split only: at 3.0, 5 of 8 several-call requests go on to a second call and 1 of 80
    single-call requests does (``benchmarks/bench_end_to_end.py --split tune``, margins).
    """

    no_call_bias: float = 2.0
    complete_required: bool = True
    """The arguments may end only once every required one is written. Safe for the router, since its
    grounding (:mod:`gorilla_router.generation.refine`) turns a required value the request does not give
    into ``needs_input`` whatever the model wrote there; what it buys is the required value the request
    *does* give that the model would have left out (``unicodedata.normalize(form="NFD")`` for "decompose
    'é' … (NFD)"). Chosen on the tune split side by side (``--backends
    "embedded,embedded@complete_required=true"``): exact 106 → 107 of 154, needs_input 6/6 and no-call
    12/12 both ways, latency p50 1.58 / 1.64 s."""
    more_calls_bias: float = 3.0
    """(Not after a first call whose function the model did not pick: :attr:`DecodedTurn.overruled`, and
    only for a request that joins parts: :func:`.coverage.joins_parts`.)"""
    uncovered_bias: float = 2.5
    """Added to "another call" (any, not only the second) while the request states a quoted text, a date or
    a number that no call so far uses, beside a used one of the same kind (:mod:`.coverage`). Chosen on the
    tune split's "more" margins: 2.5 turns 4 of the 7 missed second calls there."""
    optional_bias: float = 0.0
    """Added to ending the arguments once every required one is written: an optional argument is then
    written only when the model prefers it by this margin (fewer invented values, fewer tokens to decode)."""
    rank_weight: float = 0.0
    channel_weight: float = 1.5
    """Weight of the noisy-channel prior (:mod:`.channel`) added to each candidate's score for the first
    call's function; the call / no-call margin keeps the model's direct score (plus the relevance, below).
    Chosen on the tune split (first-call function right, 144 call requests whose API was retrieved): 0 →
    108, 0.5 → 121, 1.5 → 128, 3 → 126, channel alone 123; 0 turns the prior off (with
    ``relevance_weight`` 0 too, the channel's model pass is saved)."""
    later_channel_weight: float = 0.5
    """Weight of the same prior for the function of a second or later call: the model's own pick there
    drifts to a neighbour of the first (``nager.holidays.public`` after ``next`` for "next holiday in
    Japan and in Brazil"), and a repeat of the first call ends the turn, so a light pull toward the
    request's function also stops runs of spurious calls. Chosen on the tune split's 16 requests that got
    or want several calls (the only ones it can change): exact 5 → 8 at 0.5, 7 at 1, 6 at 1.5 (which
    pulled two calls of *different* functions onto the first's); single-call requests answered with
    several calls 4 → 1 at 0.5."""
    relevance_weight: float = 2.0
    """Weight of the channel's relevance (:attr:`.channel.ChannelEvidence.relevance`) added to the call /
    no-call margin. Chosen on the tune split with the margin's natural threshold 0 (the request reads no
    likelier after any description than after none): no-call requests declined 7 → 12 of 12, call requests
    declined 4 → 4 of 160 (weights 0.5 / 1 / 2 / 4: 9, 10, 12, 12 declined; 4, 3, 4, 7 wrongly)."""
    prompt_candidates: int = 3
    """How many candidates the prompt shows: those the channel (:func:`.channel.focus`) ranks highest, in
    retrieval order; 0 shows all. Prompt length is the latency on a CPU and each tool is 100–250 tokens,
    while the channel's top three held every right function of 145 of the tune split's 146 call requests
    whose function was retrieved (top four: all 146; ``benchmarks/bench_channel_focus.py``). Measured on
    the tune split side by side (5 / 3 / 4 shown, before the :func:`.coverage.joins_parts` rule): exact
    101 / 99 / 102 of 154, no-call 12 / 12 / 11 of 12, latency p50 5.15 / 3.57 / 3.97 s; three of the
    losses at 3 were spurious extra calls, which that rule stops (with it: 102 at 3). Needs the channel
    pass (``channel_weight`` or ``relevance_weight``); without it all candidates are shown."""
    allow_no_call: bool = True
    max_calls: int = 4
    max_arguments: int = 12
    max_string_tokens: int = 48
    max_number_tokens: int = 12
    min_decimals: int | None = 2
    """A number ends once its fraction has as many digits as the most the request writes in a number, and
    at least this many (``None``: unbounded). Digits beyond what the user wrote are the model's invention —
    a made-up coordinate's ``-0.123456`` — written one token per pass; grounding puts a named city's
    coordinates at 0.01° anyway, and money has two decimals."""
    max_json_tokens: int = 96
    list_ends: bool = True
    """Where a string value is a list of comma-separated items (``"USD,GBP"``), the model's whole-value
    likelihood decides where it ends, not the greedy comma. Greedy decoding writes the likeliest next token,
    and a comma can be likelier than the closing quote by itself while the item it opens costs more than the
    quote would have. So the value cut after its first and after its second item (at a comma without a
    space after it: ``"USD,GBP"``, not ``"Paris, France"``) is scored whole beside the written one, closing
    quotes included, in one pass, and the likeliest is kept. Chosen on the tune split (docs/decoder.md, "A
    list value ends where the model scores it likelier whole"), where the same for arrays changed nothing and
    rivals of a value's first token cost more than they gave."""
    end_of_turn: str = _END_OF_TURN


@dataclass
class DecodedTurn:
    """What the model decided: its calls (maybe none), its margin for calling over "none", the text."""

    calls: list[ApiCall] = field(default_factory=list)
    call_margin: float = 0.0
    more_margins: list[float] = field(default_factory=list)
    """After each call: log-likelihood of another call minus that of ending the turn (before the bias)."""
    function_scores: dict[str, float] = field(default_factory=dict)
    channel_scores: dict[str, float] = field(default_factory=dict)
    """The channel prior given to :meth:`ToolCallDecoder.decode`, per candidate id (empty: none)."""
    relevance: float | None = None
    """The channel's relevance of the request (``None``: no channel evidence was given)."""
    overruled: bool = False
    """The first call's function is not the model's own pick (the channel's, or a call kept over "none").
    ``more_calls_bias`` is then not given: the model's wish to go on is largely its rejected pick wanting
    out (tune split: ``json.loads`` chosen, then the model's ``urllib.parse.unquote`` and more)."""
    text: str = ""


class ToolCallDecoder:
    """Decode one assistant turn of tool calls under the candidates' schemas (module docstring)."""

    def __init__(self, chooser: ToolChooser[Any], options: ToolDecodeOptions | None = None) -> None:
        self.chooser = chooser
        self.options = options or ToolDecodeOptions()
        self._request = ""

    def decode(
        self,
        state: Any,
        specs: Sequence[ApiSpec],
        request: str = "",
        prior: ChannelEvidence | None = None,
    ) -> DecodedTurn:
        """Decode the turn; ``specs`` in retrieval order (rank 1 first), which the rank prior reads.

        ``request``: the user's words, read for what no call uses yet (``uncovered_bias``); empty: no bonus.
        ``prior``: the channel evidence (:mod:`.channel`): per spec a score weighed by ``channel_weight``
        for the first call's function, and the request's relevance weighed by ``relevance_weight`` into the
        call / no-call margin.
        """
        turn = DecodedTurn()
        self._request = request
        if not specs:
            return turn
        by_id = {spec.id: spec for spec in specs}
        ids = list(by_id)
        if prior is not None:
            turn.channel_scores = dict(zip(ids, prior.scores, strict=True))
            turn.relevance = prior.relevance
        names = [*ids, NO_CALL_NAME] if self.options.allow_no_call else ids
        # committed here, not inside the first choice: a function the model did not pick is run from
        # this state, and would otherwise read the whole prompt's tail again
        state = self.chooser.commit(self.chooser.extend(state, CALL_START))
        for index in range(self.options.max_calls):
            choice = self.chooser.choose(state, [f'{name}"' for name in names])
            scores = [
                score - self.options.rank_weight * rank
                for rank, score in enumerate(choice.scores[: len(ids)])
            ]
            if index == 0:
                turn.function_scores = dict(zip(names, choice.scores, strict=True))
                if self.options.allow_no_call:
                    direct = max(scores)
                    turn.call_margin = direct - (choice.scores[-1] + self.options.no_call_bias)
                    if prior is not None:
                        turn.call_margin += self.options.relevance_weight * prior.relevance
                    if turn.call_margin < 0:
                        turn.text = CALL_START + NO_CALL_NAME
                        return turn
            elif names[choice.index] == NO_CALL_NAME:
                break
            weight = self.options.channel_weight if index == 0 else self.options.later_channel_weight
            if prior is not None and weight:
                scores = [s + weight * extra for s, extra in zip(scores, prior.scores, strict=True)]
            best = max(range(len(ids)), key=scores.__getitem__)
            if index == 0:
                turn.overruled = choice.index != best
            if choice.index == best:
                after = choice.state
            else:  # committed apart, as a choice is: a merged '",' token made the model close its arguments
                after = self.chooser.commit(self.chooser.extend(state, f'{ids[best]}"'))
            spec = by_id[ids[best]]
            can_continue = index + 1 < self.options.max_calls
            arguments, state, text, more = self._arguments(
                self.chooser.extend(after, ', "arguments": {'), spec, can_continue, turn
            )
            raw = json.dumps({"name": spec.id, "arguments": arguments}, ensure_ascii=False)
            if any(call.api_id == spec.id and call.arguments == arguments for call in turn.calls):
                break  # the model repeats itself: the request asked for no further call
            turn.calls.append(ApiCall(api_id=spec.id, arguments=arguments, raw=raw))
            turn.text += CALL_START + spec.id + '", "arguments": {' + text + "}}"
            if not more:
                break
            turn.text += "\n"
        return turn

    def _arguments(
        self, state: Any, spec: ApiSpec, can_continue: bool, turn: DecodedTurn
    ) -> tuple[dict[str, Any], Any, str, bool]:
        """The call's arguments, then whether another call follows (the state is then after its start).

        The end of the arguments is scored together with what follows it — the end of the turn or the
        start of another call — so closing a call costs no pass of its own. Against the parameters, the
        end's score is the log-sum of both endings (the probability of ``}}``).
        """
        properties: dict[str, Any] = dict(spec.parameters.get("properties", {}) or {})
        remaining = list(properties)
        arguments: dict[str, Any] = {}
        text = ""
        ends = ["}}" + self.options.end_of_turn, "}}\n" + CALL_START] if can_continue else ["}}"]
        required = set(spec.parameters.get("required", []) or [])
        while remaining and len(arguments) < self.options.max_arguments:
            separator = ", " if arguments else ""
            can_end = not (self.options.complete_required and required & set(remaining))
            options = [f'{separator}"{name}":' for name in remaining] + (ends if can_end else [])
            openers = [_opening_token(dict(properties[name] or {})) for name in remaining]
            choice = self.chooser.choose(state, options, openers)
            parameter = max(range(len(remaining)), key=choice.scores.__getitem__)
            if can_end and choice.scores[parameter] <= self._end_score(choice, remaining, required):
                state, more = self._end(state, choice, len(remaining), ends, turn, arguments)
                return arguments, state, text, more
            name, chosen = remaining.pop(parameter), options[parameter]
            text += chosen
            after = choice.state if choice.index == parameter else self.chooser.extend(state, chosen)
            value, state, written = self._value(after, dict(properties[name] or {}))
            text += written
            if value is not _UNREADABLE:
                arguments[name] = value
        choice = self.chooser.choose(state, ends)
        state, more = self._end(state, choice, 0, ends, turn, arguments)
        return arguments, state, text, more

    def _end_score(self, choice: Choice[Any], remaining: list[str], required: set[str]) -> float:
        """Ending the arguments, against the best parameter: the log-sum of the ends (+ ``optional_bias``
        once every required argument is written)."""
        end = _log_sum(choice.scores[len(remaining) :])
        return end if required & set(remaining) else end + self.options.optional_bias

    def _end(
        self,
        state: Any,
        choice: Choice[Any],
        offset: int,
        ends: list[str],
        turn: DecodedTurn,
        arguments: dict[str, Any],
    ) -> tuple[Any, bool]:
        """End the call: another one when its score plus the biases beats ending the turn."""
        if len(ends) == 1:
            return (choice.state if choice.index == offset else self.chooser.extend(state, ends[0])), False
        finish, another = choice.scores[offset], choice.scores[offset + 1]
        turn.more_margins.append(another - finish)
        first_own = len(turn.more_margins) == 1 and not turn.overruled
        bias = self.options.more_calls_bias if first_own and joins_parts(self._request) else 0.0
        if self._request and self.options.uncovered_bias:
            written = [call.arguments for call in turn.calls] + [arguments]
            if uncovered_mentions(self._request, written):
                bias += self.options.uncovered_bias
        more = another + bias > finish
        picked = offset + int(more)
        return (choice.state if choice.index == picked else self.chooser.extend(state, ends[more])), more

    def _max_decimals(self) -> int | None:
        """A number's fraction: at most as many digits as the request writes in any number, and at least
        ``ToolDecodeOptions.min_decimals`` (``None``: unbounded)."""
        if self.options.min_decimals is None:
            return None
        stated = [len(fraction) for fraction in _STATED_FRACTION.findall(self._request)]
        return max([self.options.min_decimals, *stated])

    def _value(self, state: Any, schema: dict[str, Any]) -> tuple[Any, Any, str]:
        enum = schema.get("enum")
        kind = schema.get("type")
        if isinstance(enum, list) and enum:
            options = [" " + json.dumps(value, ensure_ascii=False) for value in enum]
            choice = self.chooser.choose(state, options)
            return enum[choice.index], choice.state, options[choice.index]
        if kind == "boolean":
            choice = self.chooser.choose(state, [" true", " false"])
            return choice.index == 0, choice.state, [" true", " false"][choice.index]
        if kind in ("integer", "number"):
            written, state = self.chooser.generate_until(
                state, NumberScanner(self._max_decimals()), self.options.max_number_tokens
            )
            return _read_number(written, kind), state, written
        opener = {"string": '"', "array": "[", "object": "{"}.get(str(kind), "")
        if not opener:  # no type given: any JSON value
            written, state = self.chooser.generate_until(
                state, JsonValueScanner(), self.options.max_json_tokens
            )
            return _read_json(written, schema), state, written
        items = schema.get("items")
        item_type = items.get("type") if isinstance(items, dict) else None
        opening_scanner = OpeningScanner(opener, item_type if isinstance(item_type, (str, list)) else None)
        start = state
        opening, state = self.chooser.generate_until(state, opening_scanner, 1)
        if not opening:  # no token opens it (a scripted chooser whose script went elsewhere): open it for it
            opening = " " + opener
            state = self.chooser.extend(state, opening)
        body = opening_scanner.body(opening)
        limit = self.options.max_string_tokens if opener == '"' else self.options.max_json_tokens
        rest, state = self.chooser.generate_until(state, body, limit - 1)
        if opener == '"':
            written = opening.lstrip(" ")[1:] + rest
            written, state = self._end_list(start, written, state)
            try:
                value: Any = json.loads(f'"{written}"')
            except json.JSONDecodeError:
                value = written
            return value, state, f' "{written}"'
        written = opening.lstrip(" ") + rest
        return _read_json(written, schema), state, written

    def _end_list(self, start: Any, written: str, state: Any) -> tuple[str, Any]:
        """The greedy string value ``written`` (its text between the quotes) or a cut of it after its
        first or second list item, whichever the model scores likelier whole (``list_ends``); returns
        it and the state after it, its closing quote pending, so that the quote is tokenized with what
        follows (``",``), as the model reads JSON. ``start``: the state before the value's opening token;
        ``state``: after ``written``."""
        after = self.chooser.extend(state, '"')
        cuts = _list_cuts(written) if self.options.list_ends else []
        if not cuts:
            return written, after
        values = [written, *cuts]
        index = self.chooser.choose(start, [f' "{value}"' for value in values]).index
        if index == 0:
            return written, after
        return values[index], self.chooser.extend(start, f' "{values[index]}"')


def _list_cuts(written: str) -> list[str]:
    """A string value's text (``USD,GBP,JPY``) ended after its first and after its second item, at a list
    comma (:data:`_LIST_COMMA`); nothing for a value that is not a list."""
    return [written[: match.start()] for match in _LIST_COMMA.finditer(written) if match.start() > 0][:2]


def _opening_token(schema: dict[str, Any]) -> str:
    """The token a value of ``schema`` most often opens with after ``"name":`` (Qwen's tokenizer: a
    space before a number's digits, ``' "'``, ``' ["'`` for a list of strings); empty where a choice
    follows (enums, booleans) or the type is open. A guess run ahead, never forced: the model still
    writes its own opening token (:class:`.scanners.OpeningScanner`)."""
    if schema.get("enum") or schema.get("type") == "boolean":
        return ""
    kind = schema.get("type")
    if kind in ("integer", "number"):
        return " "
    if kind == "string":
        return ' "'
    if kind == "array":
        items = schema.get("items")
        return ' ["' if isinstance(items, dict) and items.get("type") == "string" else " ["
    if kind == "object":
        return ' {"'
    return ""


def _read_json(written: str, schema: dict[str, Any]) -> Any:
    try:
        return json.loads(written)
    except json.JSONDecodeError:
        return _read_bare_list(written, schema)


def _log_sum(scores: Sequence[float]) -> float:
    top = max(scores)
    return top + math.log(sum(math.exp(score - top) for score in scores))


class _Unreadable:
    def __repr__(self) -> str:
        return "<unreadable value>"


_UNREADABLE: Any = _Unreadable()


def _read_bare_list(text: str, schema: dict[str, Any]) -> Any:
    """``[red, blue]`` → ``["red", "blue"]`` when the items may be strings: the model meant strings and
    left out the quotes (the value scanner bounds brackets, not JSON syntax). Anything else is unreadable."""
    items = schema.get("items") if isinstance(schema.get("items"), dict) else {}
    kinds = items.get("type") if isinstance(items, dict) else None
    may_be_string = kinds == "string" or (isinstance(kinds, list) and "string" in kinds)
    inner = text.strip()
    if not (may_be_string and inner.startswith("[") and inner.endswith("]")):
        return _UNREADABLE
    parts = [part.strip() for part in inner[1:-1].split(",")]
    if not all(parts) or any(char in '[]{}"' for part in parts for char in part):
        return _UNREADABLE
    values: list[Any] = []
    for part in parts:
        try:
            values.append(json.loads(part))
        except json.JSONDecodeError:
            values.append(part)
    return values


def _read_number(text: str, kind: str | None) -> Any:
    text = text.strip()
    try:
        number = float(text)
    except ValueError:
        return text if text else _UNREADABLE  # the validator names the parameter and the bad value
    if kind == "integer" and number.is_integer():
        return int(number)
    return int(number) if number.is_integer() and "." not in text and "e" not in text.lower() else number
