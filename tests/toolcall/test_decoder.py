"""The tool-call decoder on a scripted chooser: the schema says what may come, the script what is likely."""

from __future__ import annotations

import pytest

from gorilla_router.generation.constrained.testing import ScriptedChooser
from gorilla_router.generation.toolcall.channel import ChannelEvidence
from gorilla_router.generation.toolcall.decoder import ToolCallDecoder, ToolDecodeOptions, _list_cuts
from gorilla_router.specs import ApiSpec


def spec(api_id: str, properties: dict, required: list[str]) -> ApiSpec:
    return ApiSpec(
        id=api_id,
        name=api_id.rsplit(".", 1)[-1],
        description=f"{api_id} does its job.",
        kind="python",
        callable="math:sqrt",
        parameters={"type": "object", "properties": properties, "required": required},
    )


def _evidence(*scores: float, baseline: float = -100.0) -> ChannelEvidence:
    return ChannelEvidence(tuple(scores), baseline)


SQRT = spec("math.sqrt", {"x": {"type": "number"}}, ["x"])
WEATHER = spec(
    "weather.current",
    {
        "city": {"type": "string"},
        "units": {"type": "string", "enum": ["metric", "imperial"]},
        "alerts": {"type": "boolean"},
        "days": {"type": "array", "items": {"type": "integer"}},
    },
    ["city"],
)


def decode(target: str, specs: list[ApiSpec], **options) -> tuple:
    chooser = ScriptedChooser(target)
    turn = ToolCallDecoder(chooser, ToolDecodeOptions(**options)).decode("", specs)
    return turn, chooser


def test_one_call_with_every_value_kind() -> None:
    turn, _ = decode(
        '{"name": "weather.current", "arguments": {"city": "Paris", "units": "metric", "alerts": true, '
        '"days": [1, 2]}}<|im_end|>',
        [SQRT, WEATHER],
    )
    (call,) = turn.calls
    assert call.api_id == "weather.current"
    assert call.arguments == {"city": "Paris", "units": "metric", "alerts": True, "days": [1, 2]}


def test_numbers_are_read_as_numbers() -> None:
    turn, _ = decode('{"name": "math.sqrt", "arguments": {"x": 3342398}}<|im_end|>', [SQRT, WEATHER])
    assert turn.calls[0].arguments == {"x": 3342398}


def test_several_calls_in_one_turn() -> None:
    turn, _ = decode(
        '{"name": "math.sqrt", "arguments": {"x": 16}}\n'
        '{"name": "math.sqrt", "arguments": {"x": 81}}<|im_end|>',
        [SQRT],
    )
    assert [c.arguments for c in turn.calls] == [{"x": 16}, {"x": 81}]


def test_later_channel_weight_moves_the_function_of_a_later_call() -> None:
    target = (
        '{"name": "math.sqrt", "arguments": {"x": 16}}\n'
        '{"name": "weather.current", "arguments": {"city": "Rome"}}<|im_end|>'
    )
    evidence = _evidence(-5.0, -40.0)  # the request reads like math.sqrt's, for every call

    def functions(**options) -> list[str]:
        options = {"relevance_weight": 0.0, "uncovered_bias": 0.0, **options}
        decoder = ToolCallDecoder(ScriptedChooser(target), ToolDecodeOptions(**options))
        return [call.api_id for call in decoder.decode("", [SQRT, WEATHER], "", evidence).calls]

    assert functions(later_channel_weight=0.0) == ["math.sqrt", "weather.current"]  # the first call only
    assert functions(later_channel_weight=1.0)[:2] == ["math.sqrt", "math.sqrt"]
    # the default, 0.5, is a light pull: 17.5 nats here, less than the script's 26 for its own pick
    assert functions() == ["math.sqrt", "weather.current"]


def test_none_means_no_call() -> None:
    turn, _ = decode('{"name": "none", "arguments": {}}', [SQRT, WEATHER])
    assert turn.calls == []
    assert turn.call_margin < 0


def test_no_call_bias_turns_a_call_into_none_and_back() -> None:
    target = '{"name": "math.sqrt", "arguments": {"x": 4}}<|im_end|>'
    assert decode(target, [SQRT], no_call_bias=100.0)[0].calls == []
    assert decode('{"name": "none", "arguments": {}}', [SQRT], no_call_bias=-100.0)[0].calls != []


def test_a_name_outside_the_candidates_cannot_be_written() -> None:
    turn, _ = decode('{"name": "os.system", "arguments": {"command": "rm -rf /"}}', [SQRT, WEATHER])
    assert all(call.api_id in {"math.sqrt", "weather.current"} for call in turn.calls)
    assert all("command" not in call.arguments for call in turn.calls)


def test_enum_values_come_from_the_enum_only() -> None:
    turn, _ = decode(
        '{"name": "weather.current", "arguments": {"city": "Oslo", "units": "kelvin"}}<|im_end|>', [WEATHER]
    )
    assert turn.calls[0].arguments["units"] in {"metric", "imperial"}


@pytest.mark.parametrize("weight", [0.0, 50.0])
def test_rank_weight_prefers_the_retriever_s_first_candidate(weight: float) -> None:
    target = '{"name": "weather.current", "arguments": {"city": "Rome"}}<|im_end|>'
    turn, _ = decode(target, [SQRT, WEATHER], rank_weight=weight, no_call_bias=-100.0)
    assert turn.calls[0].api_id == ("weather.current" if weight == 0 else "math.sqrt")


def test_argument_names_come_from_the_schema_only() -> None:
    turn, _ = decode('{"name": "math.sqrt", "arguments": {"y": 2, "x": 9}}<|im_end|>', [SQRT])
    assert set(turn.calls[0].arguments) <= {"x"}


def test_an_object_parameter_is_opened_by_the_schema() -> None:
    search = spec("db.find", {"filter": {"type": "object"}, "limit": {"type": "integer"}}, ["filter"])
    turn, _ = decode(
        '{"name": "db.find", "arguments": {"filter": {"name": "Ada", "tags": ["x"]}, "limit": 3}}<|im_end|>',
        [search],
    )
    assert turn.calls[0].arguments == {"filter": {"name": "Ada", "tags": ["x"]}, "limit": 3}


def test_more_calls_bias_decodes_a_second_call_the_model_would_not_start() -> None:
    target = (
        '{"name": "math.sqrt", "arguments": {"x": 16}}\n{"name": "math.sqrt", "arguments": {"x": 81}}'
        "<|im_end|>"
    )
    stops_early = {'}}\n{"name": "': -30.0}  # the model prefers ending the turn after its first call
    turn = ToolCallDecoder(ScriptedChooser(target, bias=stops_early)).decode("", [SQRT])
    assert [c.arguments for c in turn.calls] == [{"x": 16}]
    options = ToolDecodeOptions(more_calls_bias=50.0)
    turn = ToolCallDecoder(ScriptedChooser(target, bias=stops_early), options).decode("", [SQRT])
    assert [c.arguments for c in turn.calls] == [{"x": 16}, {"x": 81}]


def test_more_calls_bias_pushes_a_second_call_only_for_a_request_that_joins_parts() -> None:
    target = (
        '{"name": "math.sqrt", "arguments": {"x": 16}}\n{"name": "math.sqrt", "arguments": {"x": 81}}'
        "<|im_end|>"
    )
    stops_early = {'}}\n{"name": "': -30.0}
    options = ToolDecodeOptions(more_calls_bias=50.0, uncovered_bias=0.0)

    def calls(request: str) -> int:
        decoder = ToolCallDecoder(ScriptedChooser(target, bias=stops_early), options)
        return len(decoder.decode("", [SQRT], request).calls)

    assert calls("square root of 16 or 81") == 1  # nothing joined: the bias does not start another call
    assert calls("square roots of 16 and 81") == 2
    assert calls("") == 2  # no request given: no evidence against the bias


def test_a_number_no_call_uses_yet_helps_another_call() -> None:
    target = (
        '{"name": "math.sqrt", "arguments": {"x": 16}}\n{"name": "math.sqrt", "arguments": {"x": 81}}'
        "<|im_end|>"
    )
    # another call scores 5 below ending the turn: more_calls_bias (3) alone does not start it
    stops_early = {'}}\n{"name": "': -28.0}

    def calls(request: str) -> list[dict]:
        decoder = ToolCallDecoder(ScriptedChooser(target, bias=stops_early))
        return [c.arguments for c in decoder.decode("", [SQRT], request).calls]

    assert calls("") == [{"x": 16}]
    assert calls("square roots of 16 and 81") == [{"x": 16}, {"x": 81}]
    assert calls("square root of 16, please") == [{"x": 16}]  # nothing left over: no bonus


def test_the_channel_prior_can_overrule_the_direct_choice_but_not_the_no_call_margin() -> None:
    target = '{"name": "math.sqrt", "arguments": {"x": 16}}<|im_end|>'
    specs = [SQRT, WEATHER]
    chooser = ScriptedChooser(target)
    options = ToolDecodeOptions(channel_weight=1.0, relevance_weight=0.0)
    plain = ToolCallDecoder(chooser, options).decode("", specs, "", _evidence(0.0, 0.0))
    assert [c.api_id for c in plain.calls] == ["math.sqrt"]
    options = ToolDecodeOptions(channel_weight=1.0, relevance_weight=0.0)
    swayed = ToolCallDecoder(ScriptedChooser(target), options).decode("", specs, "", _evidence(-40.0, -5.0))
    assert swayed.calls[0].api_id == "weather.current"  # (the script has no arguments for it)
    assert swayed.channel_scores == {"math.sqrt": -40.0, "weather.current": -5.0}
    assert swayed.call_margin == plain.call_margin  # the call / no-call decision is the model's own
    off_options = ToolDecodeOptions(channel_weight=0.0)
    off = ToolCallDecoder(ScriptedChooser(target), off_options).decode("", specs, "", _evidence(-40.0, -5.0))
    assert [c.api_id for c in off.calls] == ["math.sqrt"]  # channel_weight 0: the prior is ignored
    declined = ToolCallDecoder(ScriptedChooser('{"name": "none", "arguments": {}}'), options).decode(
        "", specs, "", _evidence(0.0, 100.0)
    )
    assert declined.calls == []


def test_a_repeated_call_ends_the_turn() -> None:
    turn, _ = decode(
        '{"name": "math.sqrt", "arguments": {"x": 16}}\n{"name": "math.sqrt", "arguments": {"x": 16}}\n'
        '{"name": "math.sqrt", "arguments": {"x": 81}}<|im_end|>',
        [SQRT],
    )
    assert [c.arguments for c in turn.calls] == [{"x": 16}]


def test_more_calls_bias_helps_only_the_second_call() -> None:
    target = (
        '{"name": "math.sqrt", "arguments": {"x": 16}}\n{"name": "math.sqrt", "arguments": {"x": 81}}\n'
        '{"name": "math.sqrt", "arguments": {"x": 25}}<|im_end|>'
    )
    stops_early = {'}}\n{"name": "': -30.0}
    options = ToolDecodeOptions(more_calls_bias=50.0)
    turn = ToolCallDecoder(ScriptedChooser(target, bias=stops_early), options).decode("", [SQRT])
    assert [c.arguments for c in turn.calls] == [{"x": 16}, {"x": 81}]
    assert len(turn.more_margins) == 2


def test_complete_required_keeps_the_arguments_open_until_every_required_one_is_written() -> None:
    target = '{"name": "weather.current", "arguments": {}}<|im_end|>'  # the model would leave out city
    turn, _ = decode(target, [WEATHER], complete_required=False)
    assert turn.calls[0].arguments == {}
    turn, _ = decode(target, [WEATHER])
    assert "city" in turn.calls[0].arguments


def test_optional_bias_ends_the_arguments_once_every_required_one_is_written() -> None:
    target = '{"name": "weather.current", "arguments": {"city": "Paris", "units": "metric"}}<|im_end|>'
    turn, _ = decode(target, [WEATHER])
    assert turn.calls[0].arguments == {"city": "Paris", "units": "metric"}
    turn, _ = decode(target, [WEATHER], optional_bias=50.0)
    assert turn.calls[0].arguments == {"city": "Paris"}


def test_optional_bias_never_ends_a_call_that_still_lacks_a_required_argument() -> None:
    target = '{"name": "weather.current", "arguments": {"units": "metric", "city": "Paris"}}<|im_end|>'
    turn, _ = decode(target, [WEATHER], optional_bias=50.0)
    assert turn.calls[0].arguments == {"units": "metric", "city": "Paris"}


def test_a_list_of_strings_written_without_quotes_is_read_as_strings() -> None:
    mode = spec("stats.mode", {"data": {"type": "array", "items": {"type": ["number", "string"]}}}, ["data"])
    turn, _ = decode('{"name": "stats.mode", "arguments": {"data": [red, blue, 3]}}<|im_end|>', [mode])
    assert turn.calls[0].arguments == {"data": ["red", "blue", 3]}
    numbers = spec("stats.mean", {"data": {"type": "array", "items": {"type": "number"}}}, ["data"])
    turn, _ = decode('{"name": "stats.mean", "arguments": {"data": [red, blue]}}<|im_end|>', [numbers])
    assert turn.calls[0].arguments == {}  # not numbers: unreadable, left to the validator and grounding


def test_relevance_moves_the_call_or_no_call_margin() -> None:
    target = '{"name": "math.sqrt", "arguments": {"x": 16}}<|im_end|>'
    options = ToolDecodeOptions(relevance_weight=2.0)

    def turn(evidence: ChannelEvidence | None):
        return ToolCallDecoder(ScriptedChooser(target), options).decode("", [SQRT, WEATHER], "", evidence)

    alone = turn(None)
    assert alone.relevance is None
    assert [c.api_id for c in alone.calls] == ["math.sqrt"]
    unrelated = turn(_evidence(-30.0, -35.0, baseline=-10.0))  # reads likelier after no description
    assert unrelated.relevance == -20.0
    assert unrelated.call_margin == alone.call_margin - 40.0
    assert unrelated.calls == []
    related = turn(_evidence(-5.0, -35.0, baseline=-10.0))
    assert related.call_margin == alone.call_margin + 10.0
    assert [c.api_id for c in related.calls] == ["math.sqrt"]


def test_a_function_the_model_did_not_pick_is_committed_before_its_arguments() -> None:
    """A real tokenizer merges '",' when the name and ', "arguments"' are tokenized together, unlike after
    a choice; measured on the 0.5B: the forced call then closed its arguments at once."""

    class Committing(ScriptedChooser):
        commits: list[str]

        def commit(self, state: str) -> str:
            self.commits.append(state)
            return state

    target = '{"name": "math.sqrt", "arguments": {"x": 16}}<|im_end|>'
    chooser = Committing(target)
    chooser.commits = []
    options = ToolDecodeOptions(channel_weight=1.0)
    turn = ToolCallDecoder(chooser, options).decode("", [SQRT, WEATHER], "", _evidence(-40.0, -5.0))
    assert turn.calls[0].api_id == "weather.current"
    # the prompt is committed before the choice, so the overruling commit runs the name only, not the
    # prompt's whole tail again (measured: 0.6 s for a quarter of the tune split's requests)
    assert chooser.commits == ['{"name": "', '{"name": "weather.current"']
    chooser.commits = []
    ToolCallDecoder(chooser, options).decode("", [SQRT, WEATHER], "", _evidence(0.0, 0.0))
    assert chooser.commits == ['{"name": "']  # the model's own pick continues from its choice's state


def test_no_more_calls_bias_after_a_first_call_the_model_did_not_pick() -> None:
    target = (
        '{"name": "math.sqrt", "arguments": {"x": 16}}\n{"name": "math.sqrt", "arguments": {"x": 81}}'
        "<|im_end|>"
    )
    options = ToolDecodeOptions(more_calls_bias=50.0, channel_weight=1.0, relevance_weight=0.0)
    stops_early = {'}}\n{"name": "': -30.0}
    own = ToolCallDecoder(ScriptedChooser(target, bias=stops_early), options).decode(
        "", [SQRT, WEATHER], "", _evidence(0.0, 0.0)
    )
    assert not own.overruled
    assert [c.arguments for c in own.calls] == [{"x": 16}, {"x": 81}]
    prefers_weather = {**stops_early, 'weather.current"': 100.0}
    overruled = ToolCallDecoder(ScriptedChooser(target, bias=prefers_weather), options).decode(
        "", [SQRT, WEATHER], "", _evidence(200.0, 0.0)
    )
    assert overruled.overruled
    assert [(c.api_id, c.arguments) for c in overruled.calls] == [("math.sqrt", {"x": 16})]


def test_the_name_choice_runs_each_value_s_likely_opening_token_ahead() -> None:
    """The decoder names, per parameter, the token its value most often opens with (Qwen's tokenizer)."""
    from gorilla_router.generation.toolcall.decoder import _opening_token

    assert _opening_token({"type": "string"}) == ' "'
    assert _opening_token({"type": "integer"}) == " "
    assert _opening_token({"type": "array", "items": {"type": "string"}}) == ' ["'
    assert _opening_token({"type": "array", "items": {"type": "number"}}) == " ["
    assert _opening_token({"type": "object"}) == ' {"'
    assert _opening_token({"type": "string", "enum": ["a", "b"]}) == ""  # a choice follows
    assert _opening_token({"type": "boolean"}) == ""
    assert _opening_token({}) == ""

    class Recording(ScriptedChooser):
        follows: list[tuple[str, ...]]

        def choose(self, state, options, follow=()):
            self.follows.append(tuple(follow))
            return super().choose(state, options, follow)

    chooser = Recording('{"name": "math.sqrt", "arguments": {"x": 16}}<|im_end|>')
    chooser.follows = []
    ToolCallDecoder(chooser).decode("", [SQRT, WEATHER], "")
    assert (" ",) in chooser.follows  # math.sqrt's x is a number


@pytest.mark.parametrize(
    ("request_text", "options", "x"),
    [
        ("the root of pi", {}, 3.14),  # no number in the request: two decimals
        ("the root of 3.14159", {}, 3.14159),  # the request writes five
        ("the root of pi", {"min_decimals": 3}, 3.141),
        ("the root of pi", {"min_decimals": None}, 3.14159),  # unbounded
    ],
)
def test_a_number_has_no_more_decimals_than_the_request_writes(request_text, options, x) -> None:
    target = '{"name": "math.sqrt", "arguments": {"x": 3.14159}}<|im_end|>'
    decoder = ToolCallDecoder(ScriptedChooser(target), ToolDecodeOptions(**options))
    turn = decoder.decode("", [SQRT], request_text)
    assert turn.calls[0].arguments == {"x": x}


FX = spec("fx.latest", {"symbols": {"type": "string"}}, ["symbols"])
_FX_TARGET = '{"name": "fx.latest", "arguments": {"symbols": "USD,GBP"}}<|im_end|>'


def _fx_value(chooser: ScriptedChooser, **options: object) -> str:
    turn = ToolCallDecoder(chooser, ToolDecodeOptions(**options)).decode("", [FX])  # type: ignore[arg-type]
    return str(turn.calls[0].arguments["symbols"])


def test_a_string_value_cut_at_a_list_comma_wins_when_the_model_scores_it_higher_whole() -> None:
    """Greedy wrote the comma (likelier than the quote by itself), but "USD" closed is likelier whole."""
    assert _fx_value(ScriptedChooser(_FX_TARGET)) == "USD,GBP"  # the script scores its own text highest
    assert _fx_value(ScriptedChooser(_FX_TARGET, bias={' "USD"': 30.0})) == "USD"
    assert _fx_value(ScriptedChooser(_FX_TARGET, bias={' "USD"': 30.0}), list_ends=False) == "USD,GBP"


def test_a_comma_inside_prose_is_not_a_place_to_cut() -> None:
    target = '{"name": "fx.latest", "arguments": {"symbols": "Paris, France"}}<|im_end|>'
    assert _fx_value(ScriptedChooser(target, bias={' "Paris"': 30.0})) == "Paris, France"


def test_list_cuts_end_after_the_first_and_second_items_only() -> None:
    assert _list_cuts("USD,GBP,JPY,CHF") == ["USD", "USD,GBP"]
    assert _list_cuts("Paris, France") == []
    assert _list_cuts(",x") == []  # nothing before the comma: no item to end after
    assert _list_cuts("USD") == []
