"""Functions the sandbox tests run as zoo callables (imported by the worker as ``sandbox_samples:…``)."""

from __future__ import annotations

import os
from typing import Any


def echo(text: Any) -> Any:
    return text


def add(a: float, b: float = 2) -> float:
    return a + b


def positional_only(a: int, b: int, /, c: int = 0) -> list[int]:
    return [a, b, c]


def star_args(first: int, *rest: int) -> list[int]:
    return [first, *rest]


def boom(message: str) -> None:
    raise ValueError(message)


def spin() -> None:
    while True:
        pass


def eat_memory() -> int:
    blocks = []
    while True:
        blocks.append(bytearray(16 * 1024 * 1024))


def environment() -> dict[str, str]:
    return dict(os.environ)


def make_object() -> object:
    return object()


def chatty(text: str) -> str:
    print("this goes to stderr, not into the protocol", text)
    return text.upper()


def exit_hard() -> None:
    os._exit(3)


def workdir() -> str:
    return os.getcwd()
