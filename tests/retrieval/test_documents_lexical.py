from __future__ import annotations

import numpy as np

from gorilla_router.retrieval.documents import document_metadata, document_text, split_identifier
from gorilla_router.retrieval.lexical import BM25Index, tokenize
from gorilla_router.specs import ApiSpec, Example


def test_split_identifier_handles_dots_snake_and_camel_case() -> None:
    assert split_identifier("openmeteo.get_forecastDaily") == "openmeteo get forecast Daily"
    assert split_identifier("HTTPServer_v2") == "HTTP Server v2"


def test_document_text_carries_tags_name_description_examples_and_parameters() -> None:
    spec = ApiSpec(
        id="openmeteo.forecast",
        name="forecast",
        description="Weather forecast for a coordinate.",
        kind="python",
        callable="m:f",
        tags=["weather", "free"],
        parameters={"type": "object", "properties": {"latitude": {"type": "number", "description": "deg N"}}},
        examples=[Example(query="Will it rain in Oslo?", call="openmeteo.forecast(latitude=59.9)")],
    )
    text = document_text(spec)
    for piece in (
        "weather. free.",
        "forecast (openmeteo forecast)",
        "Weather forecast",
        "Will it rain",
        "latitude",
    ):
        assert piece in text
    assert text.index("weather") < text.index("Weather forecast")


def test_metadata_is_flat_with_one_boolean_per_tag() -> None:
    spec = ApiSpec(id="a.b", name="b", description="d", kind="python", callable="m:f", tags=["x", "y z"])
    metadata = document_metadata(spec, "hash")
    assert metadata["tag:x"] is True
    assert metadata["tag:y z"] is True
    assert metadata["tags"] == "x|y z"
    assert metadata["content_hash"] == "hash"
    assert metadata["kind"] == "python"
    assert metadata["provider"] == "a"
    assert metadata["side_effects"] == "read"
    assert all(isinstance(value, (str, bool, int, float)) for value in metadata.values())


def test_tokenize_splits_identifiers_drops_stop_words_and_stems() -> None:
    assert tokenize("getForecastDaily for the cities") == ["get", "forecast", "daily", "city"]
    assert tokenize("vgg_16 mobilenet-v2", stem=False) == ["vgg", "16", "mobilenet", "v", "2"]


def test_bm25_ranks_matching_documents_and_scores_everything() -> None:
    index = BM25Index(["weather forecast rain", "stock price quote", "square root number"])
    scores = index.scores("Will it rain? forecast please")
    assert scores.shape == (3,)
    assert int(np.argmax(scores)) == 0
    assert scores[1] == 0
    assert not index.scores("zzzz unknown words").any()
    assert BM25Index([]).scores("anything").shape == (0,)


def test_index_build_logs_nothing_even_with_a_debug_root_handler(caplog) -> None:
    import logging

    caplog.set_level(logging.DEBUG)  # an application that configured verbose root logging
    level_before = logging.getLogger("bm25s").level
    index = BM25Index(["forecast weather today", "order burgers for lunch"])
    assert index.scores("burgers")[1] > 0
    assert [r.getMessage() for r in caplog.records if r.name.startswith("bm25s")] == []
    assert logging.getLogger("bm25s").level == level_before  # restored: only the build is silenced
