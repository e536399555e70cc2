"""Tiny tools for the inline-call tests (imported by the sandbox's child process by name)."""

from __future__ import annotations

CALLS: list[str] = []


def inc(x: int) -> int:
    return x + 1


def dec(x: int) -> int:
    return x - 1


def shout(text: str) -> str:
    return text.upper() + "]] " + "!" * 200
