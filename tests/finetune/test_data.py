"""Training data from a zoo: the held-out split, retrieval-aware samples, each augmentation, rendering."""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

import pytest

from gorilla_router.finetune.augment import (
    AugmentOptions,
    mask_sample,
    missing_value_sample,
    optional_value_sample,
    shuffle_sample,
    swap_values_sample,
    value_pools,
)
from gorilla_router.finetune.data import DataOptions, build_zoo_samples
from gorilla_router.finetune.samples import Sample, answer_text, data_fingerprint, read_samples, write_samples
from gorilla_router.finetune.split import held_out_split
from gorilla_router.generation.toolcall.prompt import ToolPrompt, compact_tool, render_answer
from gorilla_router.retrieval import HashEmbedder
from gorilla_router.specs import ApiCall, MissingInput
from gorilla_router.zoo import ApiZoo

OFF = AugmentOptions(irrelevance=0, masked=0, shuffled=0, pair=0, missing=0)


def _build(zoo: ApiZoo, tmp_path: Path, augment: AugmentOptions = OFF, **options: object) -> object:
    settings = DataOptions(k=3, folds=2, seed=1, min_score=-1.0, augment=augment, **options)  # type: ignore[arg-type]
    return build_zoo_samples(zoo, HashEmbedder(), settings, workdir=tmp_path)


def test_held_out_split_takes_each_entrys_last_example(small_zoo):
    reduced, items = held_out_split(small_zoo)
    for spec in small_zoo:
        kept = reduced.get(spec.id).examples
        if len(spec.examples) >= 2:
            assert kept == spec.examples[:-1]
            assert any(i.query == spec.examples[-1].query and i.api_id == spec.id for i in items)
        else:
            assert kept == spec.examples
    assert len(items) == sum(len(s.examples) >= 2 for s in small_zoo)


def test_base_samples_follow_the_retriever(small_zoo, tmp_path):
    reduced, items = held_out_split(small_zoo)
    data = _build(reduced, tmp_path)
    held_out = {i.query for i in items}
    assert data.samples
    assert not held_out & {s.query for s in data.samples}
    for sample in data.samples:
        assert len(sample.tools) == 3
        api_id = sample.source.split(":", 1)[1].split("#")[0]
        names = [t["name"] for t in sample.tools]
        if sample.kind == "call":
            assert api_id in names
            assert json.loads(sample.answer)["name"] == api_id
        else:
            assert sample.kind == "not_retrieved"
            assert api_id not in names
            assert sample.answer == render_answer(None)
    counts = Counter(s.kind for s in data.samples)
    assert counts["call"] == data.counts["call"]
    assert counts["not_retrieved"] == data.counts["not_retrieved"]
    assert counts["call"] + counts["not_retrieved"] == sum(len(s.examples) for s in reduced)


def test_not_retrieved_samples_can_be_thinned(small_zoo, tmp_path):
    reduced, _ = held_out_split(small_zoo)
    every = _build(reduced, tmp_path)
    assert every.counts["not_retrieved"] >= 2, "the small zoo must give the hash retriever some misses"
    none = _build(reduced, tmp_path, not_retrieved=0.0)
    assert none.counts["not_retrieved"] == 0
    assert none.counts["not_retrieved_dropped"] == every.counts["not_retrieved"]
    assert {s.kind for s in none.samples} == {"call"}
    assert none.counts["call"] == every.counts["call"]
    half = _build(reduced, tmp_path, not_retrieved=0.5)
    kept, dropped = half.counts["not_retrieved"], half.counts["not_retrieved_dropped"]
    assert kept + dropped == every.counts["not_retrieved"]


def test_the_same_seed_gives_the_same_data(small_zoo, tmp_path):
    options = AugmentOptions()
    first = _build(small_zoo, tmp_path, options)
    second = _build(small_zoo, tmp_path, options)
    assert data_fingerprint(first.samples) == data_fingerprint(second.samples)


def test_irrelevance_removes_the_right_api(small_zoo, tmp_path):
    data = _build(
        small_zoo, tmp_path, AugmentOptions(irrelevance=1.0, masked=0, shuffled=0, pair=0, missing=0)
    )
    irrelevant = [s for s in data.samples if s.kind == "irrelevance"]
    assert len(irrelevant) == data.counts["irrelevance"] == data.counts["call"]
    for sample in irrelevant:
        api_id = sample.source.split(":", 1)[1].split("#")[0]
        assert api_id not in [t["name"] for t in sample.tools]
        assert sample.answer == render_answer(None)
        assert len(sample.tools) == 3


def test_masking_renames_functions_and_parameters_and_keeps_descriptions(small_zoo):
    spec = small_zoo.get("math.factorial")
    call = {"name": "math.factorial", "arguments": {"n": 12}}
    tools = [compact_tool(small_zoo.get("math.sqrt")), compact_tool(spec)]
    sample = Sample("12 factorial", tools, answer_text([call]), "call", "zoo:math.factorial#0", [call])
    masked = mask_sample(sample, random.Random(0))
    assert masked.kind == "masked"
    assert {t["name"] for t in masked.tools}.isdisjoint({"math.sqrt", "math.factorial"})
    assert [t["description"] for t in masked.tools] == [t["description"] for t in tools]
    target = masked.tools[1]
    assert json.loads(masked.answer)["name"] == target["name"]
    (argument,) = json.loads(masked.answer)["arguments"]
    assert argument in target["parameters"]["properties"]
    assert argument != "n"
    assert json.loads(masked.answer)["arguments"][argument] == 12
    assert set(target["parameters"].get("required", [])) <= set(target["parameters"]["properties"])


def test_shuffling_changes_the_order_and_is_counted(small_zoo, tmp_path):
    sample = Sample("q", [compact_tool(s) for s in list(small_zoo)[:3]], "{}", "call", "s")
    before = [t["name"] for t in sample.tools]
    assert shuffle_sample(sample, random.Random(3))
    assert sorted(t["name"] for t in sample.tools) == sorted(before)
    assert [t["name"] for t in sample.tools] != before
    data = _build(
        small_zoo, tmp_path, AugmentOptions(irrelevance=0, masked=0, shuffled=1.0, pair=0, missing=0)
    )
    assert data.counts["shuffled"] == data.counts["call"]


def test_pairs_are_two_calls_with_both_apis_offered(small_zoo, tmp_path):
    data = _build(
        small_zoo, tmp_path, AugmentOptions(irrelevance=0, masked=0, shuffled=0, pair=1.0, missing=0)
    )
    pairs = [s for s in data.samples if s.kind == "pair"]
    assert len(pairs) == data.counts["pair"] > 0
    assert data.counts["pair"] + data.counts["pair_skipped"] == sum(len(s.examples) for s in small_zoo)
    for sample in pairs:
        calls = [json.loads(line) for line in sample.answer.splitlines()]
        assert len(calls) == 2
        assert calls[0]["name"] != calls[1]["name"]
        assert {c["name"] for c in calls} <= {t["name"] for t in sample.tools}


def test_missing_value_sample_asks_for_the_value():
    sample = Sample(
        "what is the square root of 3342398",
        [
            {
                "name": "math.sqrt",
                "description": "d",
                "parameters": {"type": "object", "properties": {"x": {"type": "number"}}, "required": ["x"]},
            }
        ],
        answer_text([{"name": "math.sqrt", "arguments": {"x": 3342398}}]),
        "call",
        "zoo:math.sqrt#0",
        [{"name": "math.sqrt", "arguments": {"x": 3342398}}],
    )
    missing = missing_value_sample(sample, random.Random(0))
    assert missing is not None
    assert missing.query == "what is the square root of a number"
    assert missing.answer == render_answer(None, [MissingInput(api_id="math.sqrt", parameter="x")])
    no_value = Sample("give me a random uuid", sample.tools, sample.answer, "call", "s", sample.calls)
    assert missing_value_sample(no_value, random.Random(0)) is None


def test_missing_value_rate_is_counted(small_zoo, tmp_path):
    data = _build(
        small_zoo, tmp_path, AugmentOptions(irrelevance=0, masked=0, shuffled=0, pair=0, missing=1.0)
    )
    made = [s for s in data.samples if s.kind == "missing"]
    assert len(made) == data.counts["missing"] > 0
    assert data.counts["missing"] + data.counts["missing_skipped"] == data.counts["call"]
    for sample in made:
        assert sample.answer.startswith("I need more information")


def _hn(query: str, user: str) -> Sample:
    call = {"name": "hackernews.user.get", "arguments": {"id": user}}
    tools = [{"name": "hackernews.user.get", "parameters": {"properties": {"id": {"type": "string"}}}}]
    return Sample(query, tools, answer_text([call]), "call", "zoo:hackernews.user.get#0", [call])


def test_swapped_values_change_request_and_target_alike():
    samples = [_hn("karma of pg on hacker news", "pg"), _hn("show the HN profile of dang", "dang")]
    pools = value_pools(samples)
    assert pools[("hackernews.user.get", "id")] == ["pg", "dang"]
    swapped = swap_values_sample(samples[1], pools, random.Random(0))
    assert swapped is not None
    assert swapped.kind == "swapped"
    assert swapped.query == "show the HN profile of pg"
    assert json.loads(swapped.answer) == {"name": "hackernews.user.get", "arguments": {"id": "pg"}}
    assert samples[1].query.endswith("dang")  # the original is left as it was


def test_swapped_numbers_keep_their_form_everywhere_they_occur():
    call = {"name": "math.log", "arguments": {"x": 1024, "base": 2.5}}
    tools = [{"name": "math.log", "parameters": {"properties": {"x": {}, "base": {}}}}]
    sample = Sample("log of 1024 in base 2.5, i.e. 1024", tools, answer_text([call]), "call", "s", [call])
    swapped = swap_values_sample(sample, {}, random.Random(4))
    assert swapped is not None
    x, base = swapped.calls[0]["arguments"]["x"], swapped.calls[0]["arguments"]["base"]
    assert isinstance(x, int)
    assert 1000 <= x <= 9999
    assert x != 1024
    assert isinstance(base, float)
    assert len(str(base).split(".")[1]) == 1
    assert base != 2.5
    assert swapped.query == f"log of {x} in base {base}, i.e. {x}"


def test_values_the_request_does_not_state_are_not_swapped():
    call = {"name": "restcountries.country.by_code", "arguments": {"code": "FR"}}
    tools = [{"name": "restcountries.country.by_code", "parameters": {"properties": {"code": {}}}}]
    sample = Sample("tell me about France", tools, answer_text([call]), "call", "s", [call])
    japan = {**call, "arguments": {"code": "JP"}}
    other = Sample("about Japan: JP", tools, answer_text([japan]), "call", "s", [japan])
    assert swap_values_sample(sample, value_pools([sample, other]), random.Random(0)) is None
    lone = _hn("show the HN profile of dang", "dang")  # no other user is known: nothing to swap in
    assert swap_values_sample(lone, value_pools([lone]), random.Random(0)) is None


@pytest.mark.parametrize("kind", ["swapped", "optional"])
def test_copying_rates_are_counted(small_zoo, tmp_path, kind):
    off = {"irrelevance": 0, "masked": 0, "shuffled": 0, "pair": 0, "missing": 0}
    data = _build(small_zoo, tmp_path, AugmentOptions(**off, **{kind: 1.0}))
    made = [s for s in data.samples if s.kind == kind]
    assert len(made) == data.counts[kind] > 0
    assert data.counts[kind] + data.counts[f"{kind}_skipped"] == data.counts["call"]
    originals = {s.source: s for s in data.samples if s.kind == "call"}
    for sample in made:
        original = originals[sample.source]
        assert sample.query != original.query
        assert sample.answer != original.answer
        assert sample.tools == original.tools
        if kind == "optional":
            assert sample.query.startswith(original.query.rstrip(" .?!") + ", ")
            assert len(sample.calls[0]["arguments"]) == len(original.calls[0]["arguments"]) + 1


def _slack(query: str, **arguments: object) -> Sample:
    call = {"name": "slack.conversations.list", "arguments": dict(arguments)}
    properties = {
        "limit": {"type": "integer", "default": 100, "minimum": 1, "maximum": 1000},
        "exclude_archived": {"type": "boolean", "default": False},
        "cursor": {"type": "string"},  # free text nobody gave an example of: never stated
        "team": {"type": "string", "description": "required", "default": "T1"},
    }
    tools = [
        {
            "name": "slack.conversations.list",
            "parameters": {"type": "object", "properties": properties, "required": ["team"]},
        }
    ]
    return Sample(query, tools, answer_text([call]), "call", "zoo:slack.conversations.list#0", [call])


def test_an_optional_value_is_stated_in_the_request_and_written_in_the_call():
    seen = set()
    for seed in range(20):
        added = optional_value_sample(_slack("list the slack channels"), {}, random.Random(seed))
        assert added is not None
        assert added.kind == "optional"
        arguments = added.calls[0]["arguments"]
        assert json.loads(added.answer)["arguments"] == arguments
        (name,) = arguments  # one parameter added, never the required one or a free text
        seen.add(name)
        if name == "limit":
            assert 1 <= arguments["limit"] <= 50
            assert added.query == f"list the slack channels, limit {arguments['limit']}"
        else:
            assert arguments == {"exclude_archived": True}  # the other way than its default
            assert added.query == "list the slack channels, exclude archived"
    assert seen == {"limit", "exclude_archived"}


def test_an_optional_value_comes_from_the_examples_and_skips_what_the_call_has():
    pools = {("slack.conversations.list", "cursor"): ["dXNlcjpVMDYx"]}
    sample = _slack("list the slack channels, first 20", limit=20, exclude_archived=True)
    added = optional_value_sample(sample, pools, random.Random(0))
    assert added is not None
    assert added.calls[0]["arguments"] == {"limit": 20, "exclude_archived": True, "cursor": "dXNlcjpVMDYx"}
    assert added.query == "list the slack channels, first 20, cursor dXNlcjpVMDYx"
    full = _slack("list", limit=5, exclude_archived=True, cursor="abc")
    assert optional_value_sample(full, pools, random.Random(0)) is None  # nothing left to add


def test_every_augmentation_off_gives_base_samples_only(small_zoo, tmp_path):
    data = _build(small_zoo, tmp_path)
    assert {s.kind for s in data.samples} <= {"call", "not_retrieved"}
    assert not {"irrelevance", "masked", "shuffled", "pair", "missing"} & set(data.counts)


def test_answer_text_matches_the_routers_answer_format():
    calls = [ApiCall(api_id="math.sqrt", arguments={"x": 4}), ApiCall(api_id="math.pow", arguments={"x": 1})]
    as_dicts = [{"name": c.api_id, "arguments": c.arguments} for c in calls]
    assert answer_text(as_dicts) == render_answer(calls)
    assert answer_text([]) == render_answer(None)


def test_samples_file_round_trip_and_bad_line(tmp_path):
    samples = [Sample("q", [], answer_text([]), "not_retrieved", "s")]
    path = write_samples(samples, tmp_path / "d.jsonl")
    assert read_samples(path) == samples
    path.write_text(path.read_text() + "{not json\n")
    from gorilla_router.errors import ConfigError

    with pytest.raises(ConfigError, match=r"d\.jsonl:2"):
        read_samples(path)


def test_rendered_prompt_is_the_routers_prompt(small_zoo, tokenizer):
    from gorilla_router.finetune.render import IGNORE, encode_sample, render_prompt, render_target

    candidates = list(small_zoo)[:3]
    call = {"name": candidates[1].id, "arguments": {}}
    sample = Sample(
        "a request", [compact_tool(s) for s in candidates], answer_text([call]), "call", "s", [call]
    )
    prompt = render_prompt(tokenizer, sample)
    assert prompt == ToolPrompt(tokenizer).render("a request", candidates)
    target = render_target(tokenizer, sample, prompt)
    assert target == sample.answer + "<|im_end|>"
    encoded = encode_sample(tokenizer, sample)
    answer_ids = [i for i, label in zip(encoded.input_ids, encoded.labels, strict=False) if label != IGNORE]
    assert tokenizer.decode(answer_ids) == target
    assert encoded.labels[: len(encoded.labels) - len(answer_ids)] == [IGNORE] * (
        len(encoded.labels) - len(answer_ids)
    )
    named = [encoded.input_ids[i] for i in sorted(encoded.name_tokens)]
    assert tokenizer.decode(named).strip('" ') == candidates[1].id


def test_name_tokens_cover_each_call_and_none(small_zoo, tokenizer):
    from gorilla_router.finetune.render import IGNORE, encode_sample

    candidates = list(small_zoo)[:3]
    calls = [{"name": candidates[0].id, "arguments": {"x": 1}}, {"name": candidates[2].id, "arguments": {}}]
    tools = [compact_tool(s) for s in candidates]
    encoded = encode_sample(tokenizer, Sample("q", tools, answer_text(calls), "pair", "s", calls))
    assert all(encoded.labels[i] != IGNORE for i in encoded.name_tokens)
    text = tokenizer.decode([encoded.input_ids[i] for i in sorted(encoded.name_tokens)])
    assert candidates[0].id in text
    assert candidates[2].id in text
    assert "arguments" not in text
    none = encode_sample(tokenizer, Sample("q", tools, answer_text([]), "irrelevance", "s"))
    assert tokenizer.decode([none.input_ids[i] for i in sorted(none.name_tokens)]).strip('" ') == "none"


def test_grounded_targets_leave_out_optional_values_the_request_does_not_state(small_zoo, tmp_path):
    from gorilla_router.specs import Example

    dumps = small_zoo.get("json.dumps")
    invented = Example(query='turn {"k": 7} into JSON text', call='json.dumps(obj={"k": 7}, indent=4)')
    stated = Example(
        query='pretty print {"b": 1} as JSON with 2-space indent', call='json.dumps(obj={"b": 1}, indent=2)'
    )
    specs = [s for s in small_zoo if s.id not in (dumps.id, "base64.b64encode")]
    zoo = ApiZoo([*specs, dumps.model_copy(update={"examples": [invented, stated]})])

    def targets(data: object) -> dict[str, dict[str, object]]:
        return {s.query: s.calls[0]["arguments"] for s in data.samples if s.kind == "call"}  # type: ignore[attr-defined]

    as_written = _build(zoo, tmp_path)
    grounded = _build(zoo, tmp_path, grounded=True)
    assert targets(as_written)[invented.query] == {"obj": {"k": 7}, "indent": 4}
    assert targets(grounded)[invented.query] == {"obj": {"k": 7}}
    assert targets(grounded)[stated.query] == {"obj": {"b": 1}, "indent": 2}
    assert grounded.counts["grounded_dropped"] == 1  # type: ignore[attr-defined]
    assert "grounded_dropped" not in as_written.counts  # type: ignore[attr-defined]
    for sample in grounded.samples:  # type: ignore[attr-defined]
        if sample.query == invented.query and sample.kind == "call":
            assert '"indent"' not in sample.answer


def test_the_data_command_grounds_targets_when_asked(small_zoo, tmp_path):
    from typer.testing import CliRunner

    from gorilla_router.cli import app
    from gorilla_router.specs import Example

    dumps = small_zoo.get("json.dumps")
    invented = Example(query='turn {"k": 7} into JSON text', call='json.dumps(obj={"k": 7}, indent=4)')
    specs = [s for s in small_zoo if s.id not in (dumps.id, "base64.b64encode")]
    zoo = ApiZoo([*specs, dumps.model_copy(update={"examples": [invented, *dumps.examples]})])
    zoo_file = zoo.save(tmp_path / "zoo.json")
    out = tmp_path / "data.jsonl"
    command = ["finetune", "data", "--zoo", str(zoo_file), "--embedder", "hash", "-k", "3", "-o", str(out)]
    result = CliRunner().invoke(app, [*command, "--grounded"])
    assert result.exit_code == 0, result.output
    assert "grounded_dropped" in result.output
    written = [s for s in read_samples(out) if s.query == invented.query and s.kind == "call"]
    assert written
    assert all(s.calls[0]["arguments"] == {"obj": {"k": 7}} for s in written)
