"""The bundled API Zoo as data: every entry loads as an ``ApiSpec``, ids are unique, each file holds one
provider, REST entries are wired consistently and honest about their side effects."""

from __future__ import annotations

import re
from collections import Counter

from gorilla_router.specs import ApiSpec

MIN_ENTRIES = 60
MIN_EXAMPLES = 2
ENV_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")


def test_every_file_loads_and_the_zoo_is_big_enough(zoo_entries):
    assert len(zoo_entries) >= MIN_ENTRIES
    assert all(isinstance(entry.spec, ApiSpec) for entry in zoo_entries)
    assert {entry.spec.kind for entry in zoo_entries} == {"python", "rest"}


def test_ids_are_unique_and_dotted_lowercase(zoo_entries):
    counts = Counter(entry.spec.id for entry in zoo_entries)
    assert [api_id for api_id, n in counts.items() if n > 1] == []
    bad = [str(e) for e in zoo_entries if e.spec.id != e.spec.id.lower() or "." not in e.spec.id]
    assert bad == []


def test_each_file_holds_one_provider(zoo_entries):
    providers: dict[str, set[str]] = {}
    for entry in zoo_entries:
        providers.setdefault(entry.file, set()).add(entry.spec.provider)
    assert {f: p for f, p in providers.items() if len(p) != 1} == {}


def test_entries_are_documented(zoo_entries):
    problems = []
    for entry in zoo_entries:
        spec = entry.spec
        if len(spec.examples) < MIN_EXAMPLES:
            problems.append(f"{entry}: {len(spec.examples)} examples, need >= {MIN_EXAMPLES}")
        if not (spec.source or "").startswith("https://"):
            problems.append(f"{entry}: source must be the https documentation URL")
        if not spec.tags:
            problems.append(f"{entry}: no tags")
        undocumented = [n for n, s in spec.properties.items() if not s.get("description")]
        if undocumented:
            problems.append(f"{entry}: parameters without description: {undocumented}")
        untyped = [n for n, s in spec.properties.items() if "type" not in s]
        if untyped and spec.kind == "rest":
            problems.append(f"{entry}: REST parameters need a type: {untyped}")
    assert problems == []


def test_example_queries_are_unique(zoo_entries):
    counts = Counter(ex.query.lower() for e in zoo_entries for ex in e.spec.examples)
    assert [q for q, n in counts.items() if n > 1] == []


def test_python_entries_are_side_effect_free(zoo_entries):
    assert [str(e) for e in zoo_entries if e.spec.kind == "python" and e.spec.side_effects != "none"] == []


def test_rest_entries_are_consistent(zoo_entries):
    problems = []
    for entry in (e for e in zoo_entries if e.spec.kind == "rest"):
        spec = entry.spec
        assert spec.base_url is not None
        if not spec.base_url.startswith("https://") or spec.base_url.endswith("/"):
            problems.append(f"{entry}: base_url must be https:// without a trailing slash")
        not_required = [p for p in spec.path_parameters if p not in spec.required]
        if not_required:
            problems.append(f"{entry}: path parameters must be required: {not_required}")
        expected = {"GET": {"read"}, "HEAD": {"read"}, "DELETE": {"destructive"}}.get(
            spec.method or "", {"write", "destructive"}
        )
        if spec.side_effects not in expected:
            problems.append(
                f"{entry}: {spec.method} marked {spec.side_effects!r}, expected one of {expected}"
            )
        if spec.auth is not None and not ENV_NAME.match(spec.auth.env):
            problems.append(f"{entry}: auth.env should be an UPPER_CASE variable name")
        if spec.body_encoding == "form" and spec.method in ("GET", "DELETE", "HEAD"):
            problems.append(f"{entry}: body_encoding 'form' on a method without a body")
    assert problems == []


def test_secrets_never_appear_in_entries(zoo_entries):
    secretish = re.compile(r"(sk_live_|sk_test_|xox[abp]-|ghp_[A-Za-z0-9]{20}|Bearer [A-Za-z0-9])")
    leaks = [str(e) for e in zoo_entries if secretish.search(e.spec.model_dump_json())]
    assert leaks == []
