"""Weight-only int8 against bf16 for the 0.5B's layer shapes, by the number of rows a pass runs.

    .venv/bin/python benchmarks/bench_int8_kernels.py [--threads 2] [--repeats 30]

Prints, for each linear layer shape of Qwen2.5-0.5B and each row count, the milliseconds of one product:
``bf16`` (``F.linear`` on bf16 weights, what the model runs today), ``int8`` (``_weight_int8pack_mm`` on
int8 weights with a bf16 scale per output row) and ``deq`` (the int8 weights turned back into bf16, then
``F.linear`` — what a pass of many rows would do if only the int8 copy were kept). Summed over the 24
layers' seven products, the last table is the cost of one pass of the whole stack (attention and the
vocabulary projection left out); the vocabulary projection (896 → 151,936, int8 in the router since it is
read whole by every step) is timed apart for the few rows a decoding step scores.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import torch
import torch.nn.functional as F

SHAPES = {  # name: (in_features, out_features), Qwen2.5-0.5B
    "q_proj": (896, 896),
    "k_proj": (896, 128),
    "v_proj": (896, 128),
    "o_proj": (896, 896),
    "gate_proj": (896, 4864),
    "up_proj": (896, 4864),
    "down_proj": (4864, 896),
}
LAYERS = 24
ROWS = (1, 2, 4, 8, 16, 32, 64, 128, 256)
VOCABULARY = (896, 151936)
VOCABULARY_ROWS = (1, 2, 4, 8)


def timed(product: Callable[..., torch.Tensor], *inputs: torch.Tensor, repeats: int) -> float:
    """Milliseconds per call of ``product(*inputs)`` after three warm-up calls."""
    for _ in range(3):
        product(*inputs)
    started = time.perf_counter()
    for _ in range(repeats):
        product(*inputs)
    return (time.perf_counter() - started) / repeats * 1000


def quantize(width: int, out: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """A random bf16 weight, its int8 rows and their bf16 scales (absmax per row, as the router has them)."""
    weight = (torch.randn(out, width) * 0.02).to(torch.bfloat16)
    scale = weight.float().abs().amax(dim=1) / 127.0
    quantized = torch.round(weight.float() / scale[:, None]).clamp(-127, 127).to(torch.int8)
    return weight, quantized, scale.to(torch.bfloat16)


def dequantized(x: torch.Tensor, quantized: torch.Tensor, scales: torch.Tensor) -> torch.Tensor:
    return F.linear(x, quantized.to(torch.bfloat16) * scales[:, None])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    totals = {rows: [0.0, 0.0, 0.0] for rows in ROWS}
    print(f"threads {args.threads}; ms per product")
    print(f"{'layer':10} {'rows':>5} {'bf16':>8} {'int8':>8} {'deq':>8}")
    for name, (width, out) in SHAPES.items():
        weight, quantized, scales = quantize(width, out)
        for rows in ROWS:
            x = torch.randn(rows, width).to(torch.bfloat16)
            with torch.inference_mode():
                bf16 = timed(F.linear, x, weight, repeats=args.repeats)
                int8 = timed(torch._weight_int8pack_mm, x, quantized, scales, repeats=args.repeats)
                deq = timed(dequantized, x, quantized, scales, repeats=args.repeats)
            for index, value in enumerate((bf16, int8, deq)):
                totals[rows][index] += value * LAYERS
            print(f"{name:10} {rows:>5} {bf16:8.3f} {int8:8.3f} {deq:8.3f}")
    width, out = VOCABULARY
    weight, quantized, scales = quantize(width, out)
    print(f"\nvocabulary projection ({width} -> {out}), ms per product")
    print(f"{'rows':>5} {'bf16':>8} {'int8':>8}")
    for rows in VOCABULARY_ROWS:
        x = torch.randn(rows, width).to(torch.bfloat16)
        with torch.inference_mode():
            bf16 = timed(F.linear, x, weight, repeats=args.repeats)
            int8 = timed(torch._weight_int8pack_mm, x, quantized, scales, repeats=args.repeats)
        print(f"{rows:>5} {bf16:8.2f} {int8:8.2f}")
    print("\nwhole stack (24 layers x 7 products), ms per pass")
    print(f"{'rows':>5} {'bf16':>8} {'int8':>8} {'deq':>8}")
    for rows, (bf16, int8, deq) in totals.items():
        print(f"{rows:>5} {bf16:8.1f} {int8:8.1f} {deq:8.1f}")


if __name__ == "__main__":
    main()
