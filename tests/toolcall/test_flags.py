"""Yes/no parameters a request switches on or off (grounding.flags), and what grounding keeps of them."""

from __future__ import annotations

import pytest

from gorilla_router.generation.grounding import ground_call
from gorilla_router.generation.grounding.evidence import RequestEvidence
from gorilla_router.generation.grounding.flags import flag_values_said
from gorilla_router.specs import ApiCall
from gorilla_router.zoo import ApiZoo

ZOO = ApiZoo.bundled()


@pytest.mark.parametrize(
    ("parameter", "request_text", "said"),
    [
        ("urlsafe", "url-safe base64 of '>>>???'", {True}),
        ("urlsafe", "base64 of '>>>???', not url safe", {False}),
        ("quote", "make 'a > b' safe for an HTML page without touching quotes", {False}),
        ("sort_keys", "serialise it to JSON with the keys sorted", {True}),
        ("sort_keys", "don't sort the keys", {False}),
        ("exclude_archived", "show the Slack channels that are not archived", {True}),
        ("exclude_archived", "list slack channels excluding archived ones", {True}),
        ("exclude_archived", "list the archived slack channels too", {False}),
        ("singleEvents", "expand recurring events into single events", {True}),
        ("urlsafe", "base64 of 'url'", set()),  # a word of three letters names too much
        ("fullText", "tell me about the country India", set()),
    ],
)
def test_a_flag_is_said_by_its_words_and_turned_by_a_negation(parameter, request_text, said):
    assert flag_values_said(parameter, RequestEvidence.of(request_text)) == said


def _grounded(
    api_id: str, request_text: str, **arguments: object
) -> tuple[dict[str, object], dict[str, object]]:
    checked = ground_call(request_text, ApiCall(api_id=api_id, arguments=arguments), ZOO.get(api_id))
    return dict(checked.call.arguments), dict(checked.dropped)


def test_a_flag_the_request_switches_is_kept_and_the_opposite_one_dropped():
    kept, dropped = _grounded("base64.b64encode", "url-safe base64 of '>>>???'", text=">>>???", urlsafe=True)
    assert kept == {"text": ">>>???", "urlsafe": True}
    assert not dropped
    kept, dropped = _grounded("html.escape", "escape 'a > b' without touching quotes", s="a > b", quote=False)
    assert kept == {"s": "a > b", "quote": False}
    assert not dropped
    request = "show the Slack channels that are not archived"
    kept, dropped = _grounded("slack.conversations.list", request, exclude_archived=False)
    assert dropped == {"exclude_archived": False}
    assert "exclude_archived" not in kept
    kept, _ = _grounded("slack.conversations.list", request, exclude_archived=True)
    assert kept == {"exclude_archived": True}


def test_a_flag_the_request_never_names_is_dropped():
    kept, dropped = _grounded("base64.b64encode", "base64 of 'hello'", text="hello", urlsafe=True)
    assert kept == {"text": "hello"}
    assert dropped == {"urlsafe": True}
