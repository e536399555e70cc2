"""The failure text shared by the MCP server and the LangChain tool: status, reason code, call, why, hint."""

from __future__ import annotations

from gorilla_router.integrations.results import failure_message, succeeded
from gorilla_router.specs import ApiCall, CallReason, CallResult, CallStatus, MissingInput


def test_needs_input_names_every_missing_value_and_what_to_do() -> None:
    result = CallResult(
        call=ApiCall(api_id="weather.current", arguments={}),
        status=CallStatus.NEEDS_INPUT,
        reason=CallReason.NEEDS_INPUT,
        missing=[
            MissingInput(api_id="weather.current", parameter="city", expected="a city name"),
            MissingInput(api_id="weather.current", parameter="units"),
        ],
    )
    message = failure_message(result)
    assert message.startswith("needs_input [needs_input] (attempted weather.current()):")
    assert "weather.current: city (a city name); weather.current: units" in message
    assert "Ask the user for these values" in message
    assert not succeeded(result)


def test_hints_are_chosen_by_reason_code_not_by_message_text() -> None:
    denied = CallResult(status=CallStatus.DENIED, reason=CallReason.NEEDS_CONFIRMATION, error="anything")
    by_policy = CallResult(status=CallStatus.DENIED, reason=CallReason.DENIED_BY_POLICY, error="anything")
    hints = {CallReason.NEEDS_CONFIRMATION: "Start with --allow-writes."}
    expected = "denied [needs_confirmation]: anything Start with --allow-writes."
    assert failure_message(denied, hints) == expected
    assert failure_message(by_policy, hints) == "denied [denied_by_policy]: anything"


def test_ok_and_dry_run_succeed_everything_else_fails() -> None:
    assert succeeded(CallResult(status=CallStatus.OK, reason=CallReason.EXECUTED))
    assert succeeded(CallResult(status=CallStatus.DRY_RUN, reason=CallReason.DRY_RUN))
    assert not succeeded(CallResult(status=CallStatus.NO_CALL, reason=CallReason.NO_SUITABLE_API))
    assert failure_message(CallResult(status=CallStatus.ERROR)) == "error: no reason was given"
