"""Session-wide test settings: an isolated cache folder and no hub downloads."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The field's benchmark data beside the repository; tests needing it skip cleanly when absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"reference data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(scope="session")
def tiny_qwen2():
    """Build a randomly initialised two-layer Qwen2 (width 32) with ``vocab_size`` words, seeded.

    The same architecture as the default model, small enough that loading, decoding and training steps
    run in seconds; keyword arguments override the config (``tie_word_embeddings``, sizes).
    """
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")

    def build(vocab_size: int, seed: int = 0, **changes: object) -> object:
        torch.manual_seed(seed)
        settings: dict[str, object] = {
            "vocab_size": vocab_size,
            "hidden_size": 32,
            "intermediate_size": 64,
            "num_hidden_layers": 2,
            "num_attention_heads": 4,
            "num_key_value_heads": 2,
            "max_position_embeddings": 2048,
            **changes,
        }
        return transformers.Qwen2ForCausalLM(transformers.Qwen2Config(**settings)).eval()

    return build
