"""Fine-tune a local model for *your* zoo: retriever-aware data, LoRA training, before/after evaluation.

``gorilla-router finetune data | train | eval`` (:mod:`gorilla_router.cli.finetune`). The router never imports
this package; training needs the optional extra ``pip install 'gorilla-router[train]'`` (peft), and torch,
transformers and peft are imported only inside the functions that use them.

* :mod:`.samples` — one training sample (query, compact tools, answer text), JSON Lines written atomically;
* :mod:`.split` — the held-out split (each entry's last example), the same as the end-to-end benchmark;
* :mod:`.data` — samples from a zoo through the real retriever (cross-fitted, so a training query is never
  its own retrieval document), with :mod:`.augment`'s switchable, counted augmentations;
* :mod:`.readers` — xLAM-format files and APIBench's ``torchhub_train.json``;
* :mod:`.render` — a sample as the exact prompt the router shows plus the target turn, token ids and labels;
* :mod:`.train` — LoRA (peft): CUDA bf16 / 4-bit QLoRA / CPU, resumable, seeded, merged folder out;
* :mod:`.evaluate` — before/after on the held-out split through the router (retrieve → decode → validate).
"""

from __future__ import annotations

from gorilla_router.finetune.augment import AugmentOptions
from gorilla_router.finetune.data import DataOptions, DataSet, build_zoo_samples
from gorilla_router.finetune.readers import DataFileError, read_apibench_torchhub, read_external, read_xlam
from gorilla_router.finetune.samples import Sample, data_fingerprint, read_samples, write_samples
from gorilla_router.finetune.split import HeldOutItem, held_out_split
from gorilla_router.finetune.train import TrainResult, TrainSettings, train

__all__ = [
    "AugmentOptions",
    "DataFileError",
    "DataOptions",
    "DataSet",
    "HeldOutItem",
    "Sample",
    "TrainResult",
    "TrainSettings",
    "build_zoo_samples",
    "data_fingerprint",
    "held_out_split",
    "read_apibench_torchhub",
    "read_external",
    "read_samples",
    "read_xlam",
    "train",
    "write_samples",
]
