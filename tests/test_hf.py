"""A loaded tokenizer without its build material: the same tokens, decoding, template and saved files."""

from __future__ import annotations

from pathlib import Path

import pytest

from gorilla_router._hf import release_tokenizer_sources

transformers = pytest.importorskip("transformers")

TEXTS = ["hello world", "lower lowest", "héllo  wörld\n\tend", ""]


def _tokenizer():
    """A small byte-level BPE tokenizer of the default model's class, built from a vocabulary and merges."""
    alphabet = [chr(c) for c in range(33, 127)] + ["Ġ", "Ċ", "ĉ", "Ã", "©", "¶"]
    vocab = {piece: i for i, piece in enumerate(alphabet)}
    merges = [("l", "o"), ("lo", "w"), ("low", "e"), ("e", "r"), ("Ġ", "w"), ("Ġw", "o")]
    for left, right in merges:
        vocab.setdefault(left + right, len(vocab))
    return transformers.Qwen2Tokenizer(vocab=vocab, merges=merges)


def test_releasing_changes_no_token(tmp_path: Path) -> None:
    tokenizer = _tokenizer()
    before = [tokenizer(text)["input_ids"] for text in TEXTS]
    vocabulary = tokenizer.get_vocab()
    assert release_tokenizer_sources(tokenizer) > 0
    assert tokenizer._vocab == {}
    assert tokenizer._merges == []
    assert [tokenizer(text)["input_ids"] for text in TEXTS] == before
    assert tokenizer.decode(before[0]) == TEXTS[0]
    assert tokenizer.get_vocab() == vocabulary
    tokenizer.save_pretrained(tmp_path)
    again = transformers.AutoTokenizer.from_pretrained(tmp_path)
    assert [again(text)["input_ids"] for text in TEXTS] == before
    assert release_tokenizer_sources(tokenizer) == 0  # nothing left to release


def test_a_tokenizer_without_a_rust_core_is_left_alone() -> None:
    class Plain:
        def __init__(self) -> None:
            self._vocab = {"a": 0}

    plain = Plain()
    assert release_tokenizer_sources(plain) == 0
    assert plain._vocab == {"a": 0}
