"""Which arithmetic a bf16 model runs on the CPU: bf16 where the CPU has it, float32 where it does not.

The router stores its models' weights in bf16 (half the memory of float32). Whether bf16 is also the
fastest *arithmetic* depends on the CPU. Where it has bf16 instructions (x86 with AMX or AVX-512 BF16,
as the machine the README's latencies were first measured on), torch multiplies bf16 matrices natively.
Where it has not — AVX2-only x86, which is most laptops and many cloud cores — torch's bf16 matrix
product falls back to a kernel that handles one row at a time: measured on a 2-core AMD EPYC with AVX2
(`benchmarks/bench_cpu_math.py`), the 0.5B model's 300-token prompt took **12.1 s** in bf16 and **2.5 s**
with the weights kept in bf16 and the arithmetic in float32, and a request's median 25.7 s against 8.3 s.
Prompt length is the router's latency, so on such a CPU every request was about three times slower than it
needed to be.

``float32`` math keeps the bf16 weights (so memory does not grow) and makes each linear layer widen its
weight to float32 (into a reused buffer) for a product over many rows — a prompt, a batch of options —
where the widening (~1 ms for the largest matrix) is small against the product; for a few rows (a
decoding step) the bf16 matrix-vector kernel, fast everywhere, is used directly. Everything else
(embeddings' output, norms, attention, the key/value cache) is float32. Results move by what bf16
rounding of the activations moved them (next-token log-probability 0.03 on average on 200 tokens of
text, top-1 the same for 98 %).

``int8`` goes one step further: the body's weights are rounded to int8 (absmax per output row, as the
vocabulary projection already is), half the memory of bf16, and a few rows run torch's weight-only int8
kernel, which on the AVX2 machine is ~4 times faster than bf16's for 8 rows; many rows widen the int8
weight to float32 as above. Rounding the weights to 8 bits moves the next-token log-probability by 0.04
on average (top-1 the same for 98 %), so it is a setting to measure, not the default.

The choice is made here and only here: ``GORILLA_ROUTER_CPU_MATH`` = ``auto`` (the default: bf16 math
where the CPU has bf16 instructions, else float32), ``bfloat16``, ``float32`` or ``int8``.
"""

from __future__ import annotations

import os
import platform
import threading
from typing import Any

import torch
import torch.nn.functional as F

from gorilla_router.errors import ConfigError

__all__ = [
    "MATH_CHOICES",
    "Bf16WeightLinear",
    "Int8WeightLinear",
    "chosen_cpu_math",
    "cpu_has_bf16",
    "use_float32_math",
]

MATH_CHOICES = ("auto", "bfloat16", "float32", "int8")
_ENV = "GORILLA_ROUTER_CPU_MATH"
FEW_ROWS = 10
"""Below this many rows a product runs on the bf16 weights directly: measured on the AVX2 machine for the
0.5B's 4864×896 weight, bf16 4.2 ms and widened 5.0 ms at 8 rows, 8.1 and 5.4 ms at 16."""

_scratch = threading.local()


def _widened(weight: torch.Tensor) -> torch.Tensor:
    """``weight`` in float32, in this thread's reused buffer: a fresh 17 MB tensor per product cost more
    in page faults (~5 ms) than the copy (~1 ms). Valid until the thread's next call."""
    buffer: torch.Tensor | None = getattr(_scratch, "buffer", None)
    if buffer is None or buffer.numel() < weight.numel():
        with torch.inference_mode(False), torch.no_grad():
            buffer = torch.empty(weight.numel(), dtype=torch.float32)
        _scratch.buffer = buffer
    return buffer[: weight.numel()].view(weight.shape).copy_(weight)


def cpu_has_bf16() -> bool:
    """Whether torch multiplies bf16 matrices natively on this CPU (x86 with AMX or AVX-512 BF16)."""
    if platform.machine().lower() not in ("x86_64", "amd64", "i686", "x86"):
        return False
    probes = ("_is_amx_tile_supported", "_is_avx512_bf16_supported")
    return any(bool(getattr(torch.cpu, probe, lambda: False)()) for probe in probes)


def chosen_cpu_math() -> str:
    """``"bfloat16"``, ``"float32"`` or ``"int8"``: the setting if given, else what this CPU does fastest."""
    wanted = os.environ.get(_ENV, "").strip().lower() or "auto"
    if wanted not in MATH_CHOICES:
        import difflib

        close = difflib.get_close_matches(wanted, MATH_CHOICES, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise ConfigError(
            f"{_ENV}={wanted!r} is not one of {', '.join(MATH_CHOICES)}.{hint} Unset it to let the "
            "router choose by this CPU."
        )
    if wanted == "auto":
        return "bfloat16" if cpu_has_bf16() else "float32"
    return wanted


class Bf16WeightLinear(torch.nn.Linear):
    """A linear layer whose weight stays bf16 and whose input and output are float32 (module docstring).

    A ``torch.nn.Linear`` still (code that looks for linear layers finds it), built around the existing
    weight without allocating one of its own.
    """

    def __init__(self, linear: torch.nn.Linear, *, widen: bool = True) -> None:
        """``widen=False`` never widens the weight (the vocabulary projection: 545 MB in float32 for
        Qwen's 151,936 words, for positions the decoder reads a few at a time)."""
        torch.nn.Module.__init__(self)
        self.widen = widen
        self.in_features = linear.in_features
        self.out_features = linear.out_features
        self.weight = linear.weight
        bias = None if linear.bias is None else linear.bias.detach().float()
        self.register_parameter("bias", None if bias is None else torch.nn.Parameter(bias, False))

    def forward(self, hidden: torch.Tensor) -> torch.Tensor:
        rows = hidden.numel() // max(1, hidden.shape[-1])
        if rows < FEW_ROWS or not self.widen:
            out = F.linear(hidden.to(self.weight.dtype), self.weight).float()
        else:
            out = F.linear(hidden.float(), _widened(self.weight))
        return out if self.bias is None else out + self.bias


INT8_FEW_ROWS = 48
"""Below this many rows an int8 layer runs torch's int8 weight kernel, from it on a float32 product over
the widened weight."""


class Int8WeightLinear(torch.nn.Linear):
    """A linear layer with int8 weights (absmax per output row, as the int8 vocabulary projection),
    float32 in and out: torch's weight-only int8 kernel for a few rows, a float32 product over the weight
    widened into the thread's buffer for many. Half the memory of bf16; weights rounded to 8 bits."""

    weight_int8: torch.Tensor
    scales: torch.Tensor
    kernel_scales: torch.Tensor

    def __init__(self, linear: torch.nn.Linear) -> None:
        from gorilla_router.generation.output_head import hand_back_file_pages, quantize_rows

        torch.nn.Module.__init__(self)
        self.in_features = linear.in_features
        self.out_features = linear.out_features
        quantized, scales = quantize_rows(linear.weight.detach())
        hand_back_file_pages(linear.weight)
        self.register_buffer("weight_int8", quantized)
        self.register_buffer("scales", scales[:, None].contiguous())
        self.register_buffer("kernel_scales", scales.to(torch.bfloat16))
        self.register_parameter("weight", None)
        bias = None if linear.bias is None else linear.bias.detach().float()
        self.register_parameter("bias", None if bias is None else torch.nn.Parameter(bias, False))

    def forward(self, hidden: torch.Tensor) -> torch.Tensor:
        shape = hidden.shape
        flat = hidden.reshape(-1, shape[-1])
        if len(flat) < INT8_FEW_ROWS:
            kernel = torch._weight_int8pack_mm
            out = kernel(flat.to(torch.bfloat16).contiguous(), self.weight_int8, self.kernel_scales)
            out = out.float()
        else:
            out = F.linear(flat.float(), _widened(self.weight_int8).mul_(self.scales))
        out = out.reshape(*shape[:-1], self.out_features)
        return out if self.bias is None else out + self.bias


def _widen_output(module: torch.nn.Module, inputs: Any, output: torch.Tensor) -> torch.Tensor:
    return output.float()


def use_float32_math(model: Any, *, int8_weights: bool = False) -> bool:
    """Make a bf16 CPU model compute in float32 over its bf16 weights; ``False`` (unchanged) where it
    does not apply: not bf16, not on the CPU, or already done.

    Every ``nn.Linear`` of the body becomes :class:`Bf16WeightLinear` (with ``int8_weights``,
    ``GORILLA_ROUTER_CPU_MATH=int8``: :class:`Int8WeightLinear`, the bf16 pages handed back where they are
    an unmodified file mapping); the input embeddings stay bf16 (read a row per token) and hand float32
    on; norms and other small parameters become float32; the output layer keeps its weights (the int8
    projection as it is; a bf16 linear layer, tied or not, is wrapped without widening).
    """
    body = model.get_decoder()
    embeddings = model.get_input_embeddings()
    weight = getattr(embeddings, "weight", None)
    if weight is None or weight.dtype != torch.bfloat16 or weight.device.type != "cpu":
        return False
    if getattr(model, "_gorilla_float32_math", False):
        return False
    for parent in list(body.modules()):
        for name, child in list(parent.named_children()):
            if isinstance(child, torch.nn.Linear):
                layer = Int8WeightLinear(child) if int8_weights else Bf16WeightLinear(child)
                setattr(parent, name, layer)
    for module in body.modules():
        if module is embeddings or isinstance(module, (Bf16WeightLinear, Int8WeightLinear)):
            continue
        for name, parameter in list(module.named_parameters(recurse=False)):
            if parameter.dtype == torch.bfloat16:
                setattr(module, name, torch.nn.Parameter(parameter.detach().float(), requires_grad=False))
        for name, buffer in list(module.named_buffers(recurse=False)):
            if buffer.dtype == torch.bfloat16:
                persistent = name not in module._non_persistent_buffers_set
                module.register_buffer(name, buffer.float(), persistent=persistent)
    embeddings.register_forward_hook(_widen_output)
    head = model.get_output_embeddings()
    if isinstance(head, torch.nn.Linear):
        model.set_output_embeddings(Bf16WeightLinear(head, widen=False))
    model._gorilla_float32_math = True
    return True
