"""Synthetic API Zoos for the latency / throughput part of the retrieval benchmark.

Synthetic specs are variations of real APIBench records (their words shuffled with a numbered suffix) so
that BM25 and the embedder see realistic text. At 100,000 specs the vectors are NOT computed by the model
(that would take ~30 minutes on this CPU): each is a real record's vector plus Gaussian noise, normalised.
Query latency still includes embedding the query with the real model.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from gorilla_router.specs import ApiSpec


def synthetic_specs(base: Sequence[ApiSpec], count: int, seed: int = 0) -> list[ApiSpec]:
    """``count`` distinct specs derived from ``base`` (ids ``synth.api_<i>``)."""
    rng = random.Random(seed)
    specs = []
    for i in range(count):
        source = base[i % len(base)]
        words = source.description.split()
        rng.shuffle(words)
        specs.append(
            ApiSpec(
                id=f"synth.api_{i}",
                name=f"{source.name} variant {i}",
                description=" ".join(words[:60]) or source.description,
                kind="python",
                callable=f"synth:api_{i}",
                tags=source.tags[:1],
                side_effects="none",
            )
        )
    return specs


def perturbed_vectors(
    base: npt.NDArray[np.float32], count: int, noise: float = 0.35, seed: int = 0
) -> npt.NDArray[np.float32]:
    """``count`` unit vectors near the rows of ``base`` (row i is near ``base[i % len(base)]``)."""
    rng = np.random.default_rng(seed)
    rows = base[np.arange(count) % len(base)]
    jitter = rng.normal(0.0, noise / np.sqrt(base.shape[1]), size=rows.shape).astype(np.float32)
    vectors = rows + jitter
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors.astype(np.float32)
