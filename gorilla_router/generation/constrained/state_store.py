"""Model states kept on disk between processes: the prompt's fixed head and each function's channel prefix.

Every process used to compute them again: the tool prompt's head (~150 tokens) on its first request and a
channel prefix ("Function `<id>`: <description> …", ~45 tokens) the first time each function is a
candidate — about 0.6 s of a command-line call's first answer, and 0.2 s per request while a long-running
router meets new functions. They depend only on the model and the text, so they are stored once per model,
one small safetensors file per text (its keys and values per layer, and the next-token log-probabilities
in float32, exactly as computed), and read back on the next miss instead of run through the model.

Files are written through a temporary file and a rename; a file that cannot be read (a crash mid-write on a
filesystem without atomic rename, a full disk) is ignored and computed again, and a read-only cache only
costs the computation. The store keeps at most ``max_bytes`` (512 MB: a zoo of ~450 functions for the 0.5B);
beyond that the least recently used files go (a read renews a file's time). ``GORILLA_ROUTER_STATE_CACHE=0``
turns the store off.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import torch

from gorilla_router.generation.constrained.blocks import KV

__all__ = ["StateStore", "StoredState"]

StoredState = tuple[KV, int, torch.Tensor]
"""``(keys and values per layer, length in tokens, next-token log-probabilities)``."""

_FORMAT = "gorilla-router-state-v2"  # v2: each prefix computed alone
_PRUNE_EVERY = 16  # saves between two checks of the store's size


class StateStore:
    """States of one model by text (see the module docstring); ``kind`` separates framings of a text."""

    def __init__(self, folder: Path, max_bytes: int = 512 << 20) -> None:
        self.folder = folder
        self.max_bytes = max_bytes
        self._saves = 0

    @classmethod
    def for_model(cls, model_folder: Path, variant: str = "same") -> StateStore | None:
        """The store of the weights in ``model_folder`` (keyed by their paths, sizes and times), or ``None``
        when the folder has no weights file or the store is turned off.

        ``variant`` names a change made to the weights after loading (``"int8"``: the vocabulary
        projection quantized), which changes the stored log-probabilities, so it gets a store of its own.
        """
        from gorilla_router.paths import cache_dir

        if os.environ.get("GORILLA_ROUTER_STATE_CACHE", "").strip() == "0":
            return None
        files = sorted(model_folder.glob("*.safetensors")) if model_folder.is_dir() else []
        if not files:
            return None
        stamp = [_FORMAT] + [f"{f.resolve()}:{f.stat().st_size}:{f.stat().st_mtime_ns}" for f in files]
        if variant != "same":
            stamp.append(f"variant:{variant}")
        key = hashlib.sha256("\n".join(stamp).encode()).hexdigest()[:24]
        return cls(cache_dir() / "states" / key)

    def _path(self, kind: str, text: str) -> Path:
        digest = hashlib.sha256(kind.encode() + b"\0" + text.encode()).hexdigest()[:40]
        return self.folder / f"{digest}.safetensors"

    def load(self, kind: str, text: str) -> StoredState | None:
        """The state stored for ``text`` (read into memory), or ``None``."""
        from safetensors import SafetensorError
        from safetensors.torch import load_file

        path = self._path(kind, text)
        if not path.is_file():
            return None
        try:
            tensors = load_file(str(path))
            os.utime(path)  # recently used: the last to be pruned
            layers = int(tensors["layers"].item())
            kv = tuple((tensors[f"k{i}"], tensors[f"v{i}"]) for i in range(layers))
            return kv, int(tensors["length"].item()), tensors["next_logprobs"]
        except (OSError, KeyError, ValueError, RuntimeError, SafetensorError):
            return None

    def save(self, kind: str, text: str, state: StoredState) -> None:
        """Store ``state`` for ``text``; any failure only means it is computed again next time."""
        from safetensors.torch import save_file

        kv, length, next_logprobs = state
        tensors = {"layers": torch.tensor(len(kv)), "length": torch.tensor(length)}
        for index, (keys, values) in enumerate(kv):
            tensors[f"k{index}"], tensors[f"v{index}"] = keys.contiguous(), values.contiguous()
        tensors["next_logprobs"] = next_logprobs.contiguous()
        path = self._path(kind, text)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            save_file(tensors, str(temporary), metadata={"format": _FORMAT})
            os.replace(temporary, path)
        except OSError:
            temporary.unlink(missing_ok=True)
            return
        self._saves += 1
        if self._saves % _PRUNE_EVERY == 1:
            self.prune()

    def prune(self) -> None:
        """Delete the least recently used files until the store holds at most ``max_bytes``."""
        try:
            files = [(f.stat().st_mtime_ns, f.stat().st_size, f) for f in self.folder.glob("*.safetensors")]
        except OSError:
            return
        total = sum(size for _, size, _ in files)
        for _, size, file in sorted(files, key=lambda item: item[0]):
            if total <= self.max_bytes:
                break
            file.unlink(missing_ok=True)
            total -= size
