"""``gorilla_router.zoo.stdlib_helpers``: known answers, round trips, and clear errors for bad input."""

from __future__ import annotations

import json
import uuid
from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gorilla_router.zoo import stdlib_helpers as h


@pytest.mark.parametrize(
    ("func", "text", "digest"),
    [
        (h.sha256_hex, "hello world", "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"),
        (h.sha1_hex, "abc", "a9993e364706816aba3e25717850c26c9cd0d89d"),
        (h.md5_hex, "hello world", "5eb63bbbe01eeed093cb22bb8f5acdc3"),
        (h.md5_hex, "", "d41d8cd98f00b204e9800998ecf8427e"),
    ],
)
def test_digests_match_published_test_vectors(func, text, digest):
    assert func(text) == digest


@given(text=st.text(), urlsafe=st.booleans())
def test_base64_round_trips_any_text(text, urlsafe):
    assert h.b64decode_text(h.b64encode_text(text, urlsafe=urlsafe), urlsafe=urlsafe) == text


def test_base64_known_value_and_errors():
    assert h.b64encode_text("hello world") == "aGVsbG8gd29ybGQ="
    assert h.b64encode_text(">>>???", urlsafe=True) == "Pj4-Pz8_"
    with pytest.raises(ValueError, match="not valid Base64"):
        h.b64decode_text("not base64!")
    with pytest.raises(ValueError, match="not UTF-8"):
        h.b64decode_text("//79")  # bytes ff fe fd


def test_time_zone_conversion_respects_daylight_saving():
    # London is on GMT and Sydney on AEDT (+11) in mid-March 2025.
    assert (
        h.convert_timezone("2025-03-14T09:00", "Europe/London", "Australia/Sydney")
        == "2025-03-14T20:00:00+11:00"
    )
    # Berlin is on CEST (+2) and Los Angeles on PDT (-7) in July.
    assert (
        h.convert_timezone("2025-07-01T15:00", "Europe/Berlin", "America/Los_Angeles")
        == "2025-07-01T06:00:00-07:00"
    )


def test_now_in_timezone_is_an_aware_iso_time():
    now = datetime.fromisoformat(h.now_in_timezone("Asia/Tokyo"))
    assert now.utcoffset() is not None
    assert now.utcoffset().total_seconds() == 9 * 3600


def test_unknown_time_zone_names_the_argument_and_suggests():
    with pytest.raises(ValueError, match=r"to_tz: unknown time zone 'Europe/Berln'.*Europe/Berlin"):
        h.convert_timezone("2025-01-01T10:00", "UTC", "Europe/Berln")
    with pytest.raises(ValueError, match="tz: unknown time zone"):
        h.now_in_timezone("Mars/Olympus_Mons")


def test_convert_timezone_rejects_bad_times():
    with pytest.raises(ValueError, match="time: expected YYYY-MM-DDTHH:MM"):
        h.convert_timezone("tomorrow 9am", "UTC", "UTC")
    with pytest.raises(ValueError, match="without an offset"):
        h.convert_timezone("2025-01-01T10:00+02:00", "UTC", "UTC")


def test_list_timezones_filters_by_prefix_case_insensitively():
    zones = h.list_timezones("australia/")
    assert "Australia/Sydney" in zones
    assert zones == sorted(zones)
    assert all(z.startswith("Australia/") for z in zones)
    assert len(h.list_timezones()) > 300


def test_date_arithmetic():
    assert h.days_between("2024-03-15", "2024-12-25") == 285
    assert h.days_between("2025-01-02", "2025-01-01") == -1
    assert h.add_days("2024-02-28", 1) == "2024-02-29"
    assert h.add_days("2025-03-10", -30) == "2025-02-08"
    assert h.weekday_name("1969-07-20") == "Sunday"
    with pytest.raises(ValueError, match=r"start: expected a date as YYYY-MM-DD, got '15/03/2024'"):
        h.days_between("15/03/2024", "2024-12-25")


def test_parse_url_returns_json_data():
    parts = h.parse_url("https://user@shop.example.com:8443/cart/items?id=42&color=red&color=blue#top")
    assert parts == {
        "scheme": "https",
        "host": "shop.example.com",
        "port": 8443,
        "path": "/cart/items",
        "query": {"id": ["42"], "color": ["red", "blue"]},
        "fragment": "top",
    }
    assert json.loads(json.dumps(parts)) == parts
    with pytest.raises(ValueError, match="port"):
        h.parse_url("http://example.com:99999/")


def test_text_comparison_helpers():
    assert h.similarity_ratio("same", "same") == 1.0
    assert 0 < h.similarity_ratio("kitten", "sitting") < 1
    assert h.unified_diff_text("a\nb\n", "a\nb\n") == ""
    diff = h.unified_diff_text("one\ntwo\nthree", "one\n2\nthree", "old", "new")
    assert diff.splitlines()[:2] == ["--- old", "+++ new"]
    assert "-two" in diff.splitlines()
    assert "+2" in diff.splitlines()


def test_character_name_and_its_errors():
    assert h.character_name("€") == "EURO SIGN"
    with pytest.raises(ValueError, match="exactly one character, got 2"):
        h.character_name("ab")
    with pytest.raises(ValueError, match=r"U\+0007 has no Unicode name"):
        h.character_name("\x07")


def test_logarithm():
    assert h.logarithm(1024, 2) == pytest.approx(10)
    assert h.logarithm(1) == 0
    with pytest.raises(ValueError, match="x: the logarithm needs a positive number"):
        h.logarithm(0)
    with pytest.raises(ValueError, match="base: must be positive and not 1"):
        h.logarithm(10, 1)


def test_new_uuid_is_a_fresh_version_4_uuid():
    first, second = h.new_uuid(), h.new_uuid()
    assert first != second
    assert uuid.UUID(first).version == 4


def test_zoo_entries_naming_the_old_module_still_resolve_to_the_same_helpers():
    import importlib

    from gorilla_router.zoo import ApiZoo, validate_specs

    old = importlib.import_module("gorilla_router.stdlib_helpers")
    assert sorted(old.__all__) == sorted(h.__all__)
    assert all(getattr(old, name) is getattr(h, name) for name in h.__all__)
    spec = ApiZoo.bundled().get("math.log")
    assert spec.callable == "gorilla_router.zoo.stdlib_helpers:logarithm"
    legacy = spec.model_copy(update={"callable": "gorilla_router.stdlib_helpers:logarithm"})
    assert validate_specs([("legacy.json", legacy)]) == []
