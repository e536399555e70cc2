"""Fine-tune a local model for *your* zoo: retriever-aware data, LoRA training, before/after evaluation.

``gorilla-router finetune data | train | eval`` (:mod:`gorilla_router.cli.finetune`). Nothing here is imported
by the router: training needs the optional extra ``pip install 'gorilla-router[train]'`` (peft), and the
modules import torch, transformers and peft only inside the functions that use them.

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

__all__: list[str] = []
