"""A choice runs all options in one row (a tree mask): its scores and state equal each option run alone."""

from __future__ import annotations

import pytest

from gorilla_router.generation.constrained.testing import CharTokenizer
from gorilla_router.generation.constrained.torch_chooser import LmState, TorchChooser, _OptionTree

torch = pytest.importorskip("torch")

PROMPT = "Tools: weather(city), time(zone), none. The request: what is the weather in Oslo? Call: "


def alone(chooser: TorchChooser, state: LmState, option: str, shared: int) -> tuple[float, LmState]:
    """The option's log-likelihood after ``state`` (from its token ``shared`` on) and the state after it,
    from a forward pass of that option only."""
    after = chooser.commit(chooser.extend(state, option))
    ids = chooser._ids(option)
    logits, _ = chooser._forward(state.kv, [ids])
    logprobs = chooser._logprobs(logits[0])
    score = float(state.next_logprobs[ids[0]]) if shared == 0 else 0.0
    score += sum(float(logprobs[t - 1, ids[t]]) for t in range(max(shared, 1), len(ids)))
    return score, after


@pytest.fixture(params=["full attention", "sliding window"])
def chooser(request, tiny_qwen2) -> TorchChooser:
    if request.param == "full attention":
        return TorchChooser(tiny_qwen2(128, seed=11), CharTokenizer())
    model = tiny_qwen2(128, seed=11, use_sliding_window=True, sliding_window=16, max_window_layers=0)
    chooser = TorchChooser(model, CharTokenizer())
    assert chooser._sliding_window == 16  # longer than the window: the local layers' mask matters
    return chooser


@pytest.mark.parametrize(
    "options",
    [
        ["weather", "time", "none"],  # nothing shared
        ['w(city="Oslo")', 'w(city="Bergen")', "w()"],  # a shared start, options of different lengths
    ],
)
def test_tree_scores_and_state_equal_separate_runs(chooser: TorchChooser, options: list[str]) -> None:
    state = chooser.commit(chooser.start(PROMPT))
    choice = chooser.choose(state, options)
    shared = 0 if options[0][0] != options[1][0] else 2
    expected = [alone(chooser, state, option, shared) for option in options]
    assert choice.scores == pytest.approx([score for score, _ in expected], abs=1e-4)
    best = max(range(len(options)), key=lambda i: expected[i][0])
    assert choice.index == best
    reference = expected[best][1]
    assert choice.state.length == reference.length
    assert torch.allclose(choice.state.next_logprobs, reference.next_logprobs, atol=1e-4)
    for (keys, values), (ref_keys, ref_values) in zip(choice.state.kv, reference.kv, strict=True):
        assert torch.allclose(keys, ref_keys, atol=1e-5)
        assert torch.allclose(values, ref_values, atol=1e-5)


def test_the_tree_lets_each_option_see_the_shared_tokens_and_only_its_own() -> None:
    tree = _OptionTree([[1, 2, 3], [1, 2, 4, 5], [1, 2]], shared=2)
    assert tree.tokens == [1, 2, 3, 4, 5]
    assert tree.positions == [0, 1, 2, 2, 3]
    assert tree.path(1) == [0, 1, 3, 4]
    assert tree.path(2) == [0, 1]
    visible = tree.visible.int().tolist()
    assert visible == [
        [1, 0, 0, 0, 0],
        [1, 1, 0, 0, 0],
        [1, 1, 1, 0, 0],  # option 0's own token
        [1, 1, 0, 1, 0],  # option 1 does not see option 0
        [1, 1, 0, 1, 1],
    ]


def test_channel_scores_in_one_row_equal_separate_runs(chooser: TorchChooser) -> None:
    """The channel pass lays each prefix's cache side by side; each copy of the text sees its own only."""
    prefixes = [
        "Function weather: the weather in a city.\nRequest: ",
        "Function clock: time\nRequest: ",
        "Hi: ",
    ]
    text = "weather in Oslo"
    scores = chooser.continuation_logprobs(prefixes, text)
    for prefix, score in zip(prefixes, scores, strict=True):
        state = chooser._fresh_states([prefix])[0]
        expected, _ = alone(chooser, state, text, shared=0)
        assert score == pytest.approx(expected, abs=1e-4)


def test_a_token_run_ahead_saves_a_pass_and_changes_nothing(chooser: TorchChooser) -> None:
    """``follow``: the opening token expected after an argument's name rides along in the choice's pass."""
    from gorilla_router.generation.toolcall.scanners import OpeningScanner

    state = chooser.commit(chooser.start(PROMPT))
    options = [', "city":', ', "zone":']
    plain = chooser.choose(state, options)
    ahead = chooser.choose(state, options, follow=['"', '"'])  # one token each (one per character here)
    assert ahead.scores == pytest.approx(plain.scores, abs=1e-5)  # the follower is not scored
    assert ahead.index == plain.index
    assert ahead.state.length == plain.state.length
    assert torch.allclose(ahead.state.next_logprobs, plain.state.next_logprobs, atol=1e-5)
    assert ahead.state.ahead is not None
    token, after = ahead.state.ahead
    reference = chooser.commit(chooser.extend(plain.state, chooser.tokenizer.decode([token])))
    assert after.length == reference.length
    assert torch.allclose(after.next_logprobs, reference.next_logprobs, atol=1e-4)

    # the model writes the token run ahead (forced here: the only one the scanner allows): no pass
    forced = OpeningScanner('"', None)
    steps = chooser.steps
    text, written = chooser.generate_until(ahead.state, forced, 1)
    assert chooser.steps == steps
    assert written.length == after.length
    again, alone = chooser.generate_until(plain.state, OpeningScanner('"', None), 1)
    assert chooser.steps == steps + 1  # without the token run ahead, the pass is spent here
    assert text == again
    assert torch.allclose(written.next_logprobs, alone.next_logprobs, atol=1e-4)


def test_a_state_s_cache_is_shared_not_copied_and_later_passes_never_change_it(chooser: TorchChooser) -> None:
    """A committed one-row pass keeps its cache's tensors as they are (no copy); every later pass from that
    state — a commit, a choice, a value step — builds new tensors, so the state reads the same afterwards."""
    from gorilla_router.generation.toolcall.scanners import JsonValueScanner

    state = chooser.commit(chooser.start(PROMPT))
    ids = chooser._ids('w(city="Oslo")')
    _, cache = chooser._forward(state.kv, [ids])
    whole = chooser._select(cache, 0, state.length + len(ids))
    assert whole[0][0].data_ptr() == cache.layers[0].keys.data_ptr()  # the whole cache: taken as it is
    part = chooser._select(cache, 0, state.length + len(ids) - 1)
    assert part[0][0].data_ptr() != cache.layers[0].keys.data_ptr()  # a part: copied, the rest freed
    assert torch.equal(part[0][0], whole[0][0][:, :, :-1])
    before = [(keys.clone(), values.clone()) for keys, values in state.kv]
    chooser.commit(chooser.extend(state, 'w(city="Oslo")'))
    chooser.choose(state, ['w(city="Oslo")', "none"])
    chooser.generate_until(chooser.extend(state, "["), JsonValueScanner(), 6)
    for (keys, values), (old_keys, old_values) in zip(state.kv, before, strict=True):
        assert torch.equal(keys, old_keys)
        assert torch.equal(values, old_values)
