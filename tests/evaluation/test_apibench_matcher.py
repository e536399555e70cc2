"""APIBench AST sub-tree matching: unit cases on a small database, and the published figures (data)."""

from __future__ import annotations

import pytest

from gorilla_router.errors import ConfigError
from gorilla_router.evaluation import (
    ApiBenchData,
    ApiBenchMatcher,
    extract_api_call,
    score_apibench_responses,
)
from gorilla_router.evaluation.apibench import read_jsonl
from gorilla_router.evaluation.apibench_calls import find_calls
from gorilla_router.evaluation.apibench_eval import PUBLISHED_FIGURES

HF_DB = [
    {
        "api_call": "pipeline('text-classification', model='distilbert-sst2')",
        "domain": "NLP Text Classification",
        "api_name": "distilbert-sst2",
    },
    {
        "api_call": "AutoModel.from_pretrained('bert-base')",
        "domain": "NLP Feature Extraction",
        "api_name": "bert",
    },
    {"api_call": "./run.sh --model x", "domain": "Audio", "api_name": "shell"},
    {
        "api_call": "pipeline('summarization', model='bart-cnn')",
        "domain": "NLP Summarization",
        "api_name": "bart",
    },
]
TH_DB = [
    {
        "api_call": "torch.hub.load(repo_or_dir='pytorch/vision', model='resnet50', pretrained=True)",
        "domain": "Classification",
        "api_name": "resnet50",
    },
]


def test_find_calls_uses_ast_segments_and_keeps_order_outer_first():
    calls = find_calls("m = f(g(1), key='v')\nh(2)")
    assert [c.function for c in calls] == ["h", "f", "g"]
    outer = calls[1]
    assert outer.text == "f(g(1), key='v')"
    assert not outer.recovered
    assert [(a.keyword, a.value) for a in outer.arguments] == [(None, "g(1)"), ("key", "'v'")]


def test_find_calls_recovers_calls_from_broken_text():
    calls = find_calls("\\\"model = torch.hub.load('pytorch/vision', 'resnet50', pretrained=True)")
    assert calls[0].function == "torch.hub.load"
    assert calls[0].recovered
    # a quote that opens a string hides what it encloses, as in tree-sitter
    assert find_calls("'model = torch.hub.load('a/b', 'c', pretrained=True)") == []
    # comments and text after an import on the same line are not code
    assert find_calls("x = 1 # f('a')\\n g(") == []
    assert find_calls("import tensorflow_hub as hub\\nmodel = hub.load('x')") == []
    # ... but only the first call after the import, and only a real import statement
    assert [c.text for c in find_calls("from a import b\\nf(1); g(2)")] == ["g(2)"]
    assert [c.text for c in find_calls("First, import it. Then f(1)")] == ["f(1)"]


def test_extract_api_call_like_the_original_scripts():
    call = "pipeline('summarization', model='bart-cnn')"
    text = f"<<<domain>>>: NLP\\n<<<api_call>>>: {call}\\n<<<api_provider>>>: HF"
    assert extract_api_call(text, "huggingface") == "pipeline('summarization', model='bart-cnn')"
    assert extract_api_call("no field here", "huggingface") == "no field here"
    assert extract_api_call("no field here", "torchhub") is None


def test_match_correct_wrong_and_hallucination():
    matcher = ApiBenchMatcher(HF_DB, "huggingface")
    assert len(matcher.references) == 3  # the shell command is not a call
    correct = matcher.score_code('pipeline("summarization", model="bart-cnn", device=0)', "NLP Summarization")
    assert correct.verdict == "correct"
    assert correct.matched is not None
    assert correct.matched.api_name == "bart"
    wrong = matcher.score_code("AutoModel.from_pretrained('bert-base')", "NLP Summarization")
    assert wrong.verdict == "wrong"
    assert "expected 'NLP Summarization'" in wrong.reason
    hallucinated = matcher.score_code("pipeline('summarization', model='t5-made-up')", "NLP Summarization")
    assert hallucinated.verdict == "hallucination"
    assert hallucinated.matched is None


def test_function_text_must_match_not_just_the_values():
    matcher = ApiBenchMatcher(HF_DB, "huggingface")
    assert matcher.match("AutoTokenizer.from_pretrained('bert-base')") is None


def test_torchhub_counts_only_repo_and_model_values():
    matcher = ApiBenchMatcher(TH_DB, "torchhub")
    assert matcher.references[0].values == ("pytorch/vision", "resnet50")
    assert matcher.match("torch.hub.load('pytorch/vision', 'resnet50')") is not None
    assert matcher.match("torch.hub.load('pytorch/vision', 'resnet18')") is None


def test_unknown_hub_is_a_clear_error():
    with pytest.raises(ConfigError, match="use one of: huggingface, tensorflowhub, torchhub"):
        ApiBenchMatcher(HF_DB, "pytorchhub")


@pytest.mark.data
@pytest.mark.parametrize("hub", ["tensorflowhub", "huggingface", "torchhub"])
def test_reproduces_published_figures_within_one_point(shared_data, hub):
    data = ApiBenchData(shared_data, hub)
    for (published_hub, model, variant), (accuracy, hallucination) in PUBLISHED_FIGURES.items():
        if published_hub != hub:
            continue
        path = data.responses_file(model, variant)
        report = score_apibench_responses(data, read_jsonl(path), path.name)
        assert abs(100 * report.accuracy - accuracy) <= 1.0, (path.name, report.accuracy)
        assert abs(100 * report.hallucination - hallucination) <= 1.0, (path.name, report.hallucination)
