"""``decoding.json``: decoder settings a model folder carries (a fine-tune's own no-call bias).

Read by the embedded backend when it loads a folder; written by
:mod:`gorilla_router.finetune.calibrate`. Only known, numeric settings are taken; anything else in the file
is an error naming the file, so a typo never silently falls back to the default.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from gorilla_router.errors import ConfigError

__all__ = ["DECODING_FILE", "read_decoding"]

DECODING_FILE = "decoding.json"
_SETTINGS = ("no_call_bias", "more_calls_bias")


def read_decoding(folder: str | Path) -> dict[str, float]:
    """The decoder settings in ``folder/decoding.json`` (``{}`` when there is none)."""
    path = Path(folder) / DECODING_FILE
    if not path.is_file():
        return {}
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{path} is not valid JSON ({exc}); delete it or write it again") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path} must hold a JSON object")
    settings: dict[str, float] = {}
    for key, value in data.items():
        if key == "chosen_on":
            continue
        if key not in _SETTINGS or not isinstance(value, (int, float)) or isinstance(value, bool):
            raise ConfigError(
                f"{path}: {key!r} is not a decoder setting with a number (known: {', '.join(_SETTINGS)})"
            )
        settings[key] = float(value)
    return settings
