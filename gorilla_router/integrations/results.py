"""How a result that did not run reads to an agent — one wording for the MCP server and the LangChain tool.

Both hand a failure to a model as text (an MCP ``isError`` result, a ``ToolException``). The text starts
with the status and the machine-readable reason code, so an agent (or a person reading a transcript) can
tell "ask a person" from "fix the arguments" from "give up", and it branches on ``CallResult.reason``,
never on message wording. Depends only on ``specs``: no optional extra is needed to import it.
"""

from __future__ import annotations

from collections.abc import Mapping

from gorilla_router.specs import CallReason, CallResult, CallStatus

__all__ = ["failure_message", "succeeded"]

_SUCCESS = frozenset({CallStatus.OK, CallStatus.DRY_RUN})


def succeeded(result: CallResult) -> bool:
    """True when the call ran or was previewed as asked (``ok``, ``dry_run``); anything else is a failure."""
    return result.status in _SUCCESS


def _needs_input(result: CallResult) -> str:
    """Name each missing value and say what to do, so an agent asks the user instead of guessing."""
    missing = "; ".join(m.describe() for m in result.missing) or "(the model did not say which)"
    return (
        f"the request does not give every required value: {missing}. "
        "Ask the user for these values, then send the request again with them included."
    )


def failure_message(result: CallResult, hints: Mapping[CallReason, str] | None = None) -> str:
    """``status [reason] (attempted call): why`` plus the caller's hint for that reason code, if any.

    ``hints`` lets an integration add what only it knows (the MCP server: how to start it so it may
    confirm writes) keyed by reason code, not by matching the message text.
    """
    code = f" [{result.reason.value}]" if result.reason is not None else ""
    attempted = f" (attempted {result.call.to_source()})" if result.call is not None else ""
    if result.status is CallStatus.NEEDS_INPUT or result.reason is CallReason.NEEDS_INPUT:
        why = _needs_input(result) + (f" {result.error}" if result.error else "")
    else:
        why = result.error or "no reason was given"
    hint = (hints or {}).get(result.reason) if result.reason is not None else None
    return f"{result.status.value}{code}{attempted}: {why}" + (f" {hint}" if hint else "")
