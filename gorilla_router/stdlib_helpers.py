"""Old home of the zoo's standard-library helpers, kept so existing zoo entries keep working.

The helpers live in :mod:`gorilla_router.zoo.stdlib_helpers`, next to the rest of the zoo, and the bundled
entries name them there. A zoo entry written against an earlier release says
``"callable": "gorilla_router.stdlib_helpers:logarithm"``; this alias resolves such entries to the same
functions. Write new entries against ``gorilla_router.zoo.stdlib_helpers``.
"""

from __future__ import annotations

from gorilla_router.zoo.stdlib_helpers import (
    add_days,
    b64decode_text,
    b64encode_text,
    character_name,
    convert_timezone,
    days_between,
    list_timezones,
    logarithm,
    md5_hex,
    new_uuid,
    now_in_timezone,
    parse_url,
    sha1_hex,
    sha256_hex,
    similarity_ratio,
    unified_diff_text,
    weekday_name,
)

__all__ = [
    "add_days",
    "b64decode_text",
    "b64encode_text",
    "character_name",
    "convert_timezone",
    "days_between",
    "list_timezones",
    "logarithm",
    "md5_hex",
    "new_uuid",
    "now_in_timezone",
    "parse_url",
    "sha1_hex",
    "sha256_hex",
    "similarity_ratio",
    "unified_diff_text",
    "weekday_name",
]
