"""Prompt blocks read once and moved into place (:mod:`gorilla_router.generation.constrained.blocks`)."""

from __future__ import annotations

import json

import pytest
import torch
from transformers import DynamicCache

from gorilla_router.generation.constrained.blocks import BlockCache, KeptBlock, rotary_frequencies, shift_keys
from gorilla_router.generation.constrained.testing import CharTokenizer
from gorilla_router.generation.constrained.torch_chooser import TorchChooser
from gorilla_router.generation.toolcall.prompt import ToolPrompt
from gorilla_router.zoo import ApiZoo

HEAD = "system: you call functions\n"
TOOLS = ['{"name": "math.sqrt"}\n', '{"name": "calendar.isleap", "p": 1}\n']
REST = "user: was 1900 a leap year\nassistant: "


@pytest.fixture
def chooser(tiny_qwen2) -> TorchChooser:
    return TorchChooser(tiny_qwen2(128, seed=5), CharTokenizer())


def keys_after_head(chooser: TorchChooser, text: str, offset: int) -> list[torch.Tensor]:
    """Each layer's keys of ``text`` read after HEAD, its positions ``offset`` later than HEAD's end."""
    head = chooser._ids(HEAD)
    ids = chooser._ids(text)
    cache = DynamicCache()
    decoder = chooser.model.get_decoder()
    with torch.inference_mode():
        decoder(input_ids=torch.tensor([head]), use_cache=True, **{chooser._cache_argument: cache})
        positions = torch.arange(len(head) + offset, len(head) + offset + len(ids))[None]
        decoder(
            input_ids=torch.tensor([ids]),
            position_ids=positions,
            use_cache=True,
            **{chooser._cache_argument: cache},
        )
    return [layer.keys[:, :, len(head) :] for layer in cache.layers]


def test_a_kept_key_turned_by_d_is_the_key_read_d_positions_later(chooser: TorchChooser) -> None:
    """Exact in the first layer; later layers saw the head d positions nearer, so close, not equal."""
    frequencies = rotary_frequencies(chooser.model)
    assert frequencies is not None
    there = keys_after_head(chooser, TOOLS[1], 0)
    later = keys_after_head(chooser, TOOLS[1], 17)
    assert torch.allclose(shift_keys(there[0], 17, frequencies), later[0], atol=1e-5)
    for kept, expected in zip(there, later, strict=True):
        assert torch.allclose(shift_keys(kept, 17, frequencies), expected, atol=5e-3)
        assert not torch.allclose(kept, expected, atol=1e-2)  # unturned, they differ


def test_one_block_reads_exactly_as_the_whole_prompt(chooser: TorchChooser) -> None:
    whole = chooser.commit(chooser.start(HEAD, TOOLS[0] + REST))
    blocked = chooser.commit(chooser.start_blocks(HEAD, TOOLS[:1], REST))
    assert blocked.length == whole.length
    assert torch.allclose(blocked.next_logprobs, whole.next_logprobs, atol=1e-4)


def test_a_block_seen_before_is_not_read_again(chooser: TorchChooser) -> None:
    chooser.commit(chooser.start_blocks(HEAD, TOOLS, REST))
    before = chooser.tokens
    state = chooser.commit(chooser.start_blocks(HEAD, list(reversed(TOOLS)), REST))
    assert chooser.tokens - before == len(chooser._ids(REST))  # only the text after the tools ran
    assert state.length == len(chooser._ids(HEAD + "".join(TOOLS) + REST))


def test_a_model_with_sliding_window_layers_reads_the_prompt_whole(tiny_qwen2) -> None:
    model = tiny_qwen2(128, seed=5, use_sliding_window=True, sliding_window=16, max_window_layers=0)
    chooser = TorchChooser(model, CharTokenizer())
    assert not chooser.reads_blocks
    state = chooser.commit(chooser.start_blocks(HEAD, TOOLS, REST))
    assert state.length == len(chooser._ids(HEAD + "".join(TOOLS) + REST))


def test_the_block_cache_keeps_within_its_budget_dropping_the_least_recently_used() -> None:
    def block(tokens: int) -> KeptBlock:
        pair = (torch.zeros(1, 1, tokens, 4), torch.zeros(1, 1, tokens, 4))  # 2 x 16 bytes per token
        return KeptBlock((pair,), 0, tokens, torch.zeros(3))

    cache = BlockCache(budget_bytes=32 * 10)
    cache.put("h", "a", block(4))
    cache.put("h", "b", block(4))
    assert cache.get("h", "a") is not None  # "a" is now the most recently used
    cache.put("h", "c", block(4))
    assert cache.get("h", "b") is None
    assert cache.get("h", "a") is not None
    assert cache.get("h", "c") is not None
    assert cache.used_bytes == 32 * 8


class LineTemplate:
    """A chat template that writes each tool as one JSON line between <tools> tags, as Qwen2.5's does."""

    def __init__(self, tools_as_lines: bool = True) -> None:
        self.tools_as_lines = tools_as_lines

    def apply_chat_template(self, conversation, tools=(), **_: object) -> str:
        separator = "\n" if self.tools_as_lines else " "
        listed = "".join(json.dumps(tool, ensure_ascii=False) + separator for tool in tools)
        system, user = conversation[0]["content"], conversation[1]["content"]
        return f"<s>{system}\n<tools>\n{listed}</tools>\n<user>{user}</user>\n<assistant>"


def test_the_prompt_splits_into_head_one_block_per_tool_and_the_rest() -> None:
    zoo = ApiZoo.bundled()
    specs = [zoo.get("math.sqrt"), zoo.get("calendar.isleap")]
    prompt = ToolPrompt(LineTemplate())
    head, blocks, rest = prompt.render_blocks("was 1900 a leap year", specs)
    assert (head, "".join(blocks) + rest) == prompt.render_parts("was 1900 a leap year", specs)
    assert [block.startswith('{"name": "' + spec.id) for block, spec in zip(blocks, specs, strict=True)] == [
        True,
        True,
    ]
    assert rest.startswith("</tools>")
    other = ToolPrompt(LineTemplate(tools_as_lines=False))
    head, blocks, rest = other.render_blocks("was 1900 a leap year", specs)
    assert blocks == []  # not one line per tool: read whole
    assert head + rest == other.render("was 1900 a leap year", specs)
