"""The transformers-only path for sentence-transformers folders: same vectors, and only where it is exact."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from gorilla_router.retrieval.embeddings import default_model_path
from gorilla_router.retrieval.pooled import PooledEncoder

TEXTS = [
    "what's the weather in Paris tomorrow",
    "convert 100 US dollars to euros",
    "",
    "東京の天気 · Ünïcode ß",
    "word " * 400,  # longer than the model's 256-token limit: truncated the same way
]

_POOLING_KEYS = {
    "mean": "pooling_mode_mean_tokens",
    "cls": "pooling_mode_cls_token",
    "max": "pooling_mode_max_tokens",
}


def _write_folder(
    folder: Path,
    pooling: dict[str, bool],
    extra_modules: list[str] | None = None,
    settings: dict[str, object] | None = None,
) -> Path:
    """A sentence-transformers folder layout (no weights) with the given pooling and modules."""
    folder.mkdir(parents=True, exist_ok=True)
    modules = [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
    ]
    for index, kind in enumerate(extra_modules or [], start=2):
        modules.append({"idx": index, "name": str(index), "path": f"{index}_x", "type": kind})
    (folder / "modules.json").write_text(json.dumps(modules))
    (folder / "1_Pooling").mkdir(exist_ok=True)
    (folder / "1_Pooling" / "config.json").write_text(json.dumps({"word_embedding_dimension": 8, **pooling}))
    (folder / "sentence_bert_config.json").write_text(json.dumps({"max_seq_length": 32}))
    (folder / "config_sentence_transformers.json").write_text(json.dumps(settings or {}))
    return folder


@pytest.mark.parametrize(
    ("pooling", "extra", "settings"),
    [
        ({"pooling_mode_mean_sqrt_len_tokens": True}, None, None),
        ({"pooling_mode_lasttoken": True}, None, None),
        ({"pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": True}, None, None),
        ({"pooling_mode_mean_tokens": True}, ["sentence_transformers.models.Dense"], None),
        (
            {"pooling_mode_mean_tokens": True},
            ["sentence_transformers.models.Normalize", "sentence_transformers.models.Dense"],
            None,
        ),
        ({"pooling_mode_mean_tokens": True}, None, {"default_prompt_name": "query"}),
    ],
    ids=["mean-sqrt-len", "last-token", "two-modes", "dense", "dense-after-normalize", "default-prompt"],
)
def test_layouts_it_cannot_reproduce_are_left_to_the_library(
    tmp_path: Path,
    pooling: dict[str, bool],
    extra: list[str] | None,
    settings: dict[str, object] | None,
) -> None:
    folder = _write_folder(tmp_path / "model", pooling, extra, settings)
    # None before any weights are read: the folder has none, so reading them would raise.
    assert PooledEncoder.load(folder, "cpu") is None


def test_a_hub_id_or_a_folder_without_modules_is_left_to_the_library(tmp_path: Path) -> None:
    assert PooledEncoder.load("sentence-transformers/all-MiniLM-L6-v2", "cpu") is None
    (tmp_path / "plain").mkdir()
    assert PooledEncoder.load(tmp_path / "plain", "cpu") is None
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "modules.json").write_text('{"not": "a list"}')
    assert PooledEncoder.load(tmp_path / "broken", "cpu") is None


@pytest.mark.slow
def test_the_default_model_gives_the_libraries_vectors() -> None:
    from sentence_transformers import SentenceTransformer

    ours = PooledEncoder.load(default_model_path(), "cpu")
    assert ours is not None
    library = SentenceTransformer(default_model_path(), device="cpu")
    expected = library.encode(TEXTS, batch_size=2, normalize_embeddings=True, convert_to_numpy=True)
    got = ours.encode(TEXTS, batch_size=2)
    assert got.dtype == np.float32
    assert got.shape == (len(TEXTS), ours.get_embedding_dimension()) == (len(TEXTS), 384)
    np.testing.assert_allclose(got, expected, atol=1e-5)
    assert ours.encode([]).shape == (0, 384)


@pytest.mark.slow
@pytest.mark.parametrize("pooling", ["mean", "cls", "max"])
@pytest.mark.parametrize("normalize", [True, False], ids=["normalized", "raw"])
def test_each_pooling_matches_the_library_on_a_small_random_encoder(
    tmp_path: Path, pooling: str, normalize: bool
) -> None:
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers import BertConfig, BertModel

    folder = _write_folder(
        tmp_path / "tiny",
        {_POOLING_KEYS[pooling]: True},
        ["sentence_transformers.models.Normalize"] if normalize else None,
    )
    source = Path(default_model_path())
    for name in ("vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
        shutil.copy(source / name, folder / name)
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=30522, hidden_size=8, num_hidden_layers=1, num_attention_heads=2, intermediate_size=16
    )
    BertModel(config).save_pretrained(folder)

    ours = PooledEncoder.load(folder, "cpu")
    assert ours is not None
    library = SentenceTransformer(str(folder), device="cpu")
    expected = library.encode(TEXTS, batch_size=2, convert_to_numpy=True)
    np.testing.assert_allclose(ours.encode(TEXTS, batch_size=2), expected, atol=1e-5)


@pytest.mark.slow
def test_the_default_embedder_does_not_import_sentence_transformers() -> None:
    """The cold-start saving is real only while nothing on the default path imports the library."""
    code = (
        "import sys; from gorilla_router.retrieval.embeddings import SentenceTransformerEmbedder;"
        "e = SentenceTransformerEmbedder(device='cpu'); v = e.embed(['weather in Paris']);"
        "print(v.shape, 'sentence_transformers' in sys.modules, 'sklearn' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split("\n")[-2] == "(1, 384) False False"
