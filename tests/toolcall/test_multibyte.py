"""Non-ASCII values survive a byte-level vocabulary that splits one character over several tokens."""

from __future__ import annotations

from types import SimpleNamespace

from gorilla_router.generation.constrained.torch_chooser import TorchChooser


class ByteTokenizer:
    """Every byte is a token, as in byte-level BPE for characters outside the merges."""

    def decode(self, ids: list[int]) -> str:
        return bytes(ids).decode("utf-8", errors="replace")


def run(text: str) -> str:
    chooser = SimpleNamespace(tokenizer=ByteTokenizer())
    written: list[int] = []
    out, partial = "", 0
    for byte in text.encode("utf-8"):
        written.append(byte)
        piece = TorchChooser._new_text(chooser, written, out, partial)  # type: ignore[arg-type]
        partial = partial + 1 if piece is None else 0
        if piece is not None:
            out += piece
    return out


def test_multibyte_characters_are_decoded_whole() -> None:
    for value in ["٣", "café crème", "東京", "emoji 🦍 ok", "plain"]:
        assert run(value) == value


def test_an_invalid_byte_run_is_given_up_after_four_bytes() -> None:
    chooser = SimpleNamespace(tokenizer=ByteTokenizer())
    waits = [TorchChooser._new_text(chooser, [0xFF] * (n + 1), "", n) for n in range(4)]  # type: ignore[arg-type]
    assert waits[:3] == [None, None, None]
    assert waits[3] == "\ufffd" * 4
