"""``router.annotate``: inline calls executed through the router's own parser, validator and guard."""

from __future__ import annotations

import time

import pytest
from conftest import DEC, INC, python_tool, rest_tool

from gorilla_router import CallReason, CallStatus, GorillaRouter, RouterConfig
from gorilla_router.execution import RecordingExecutor

TOOLFORMER = "make these calls: [inc(1)] and [dec(2)] and [ignored(3)]"


def test_toolformer_pytorch_readme_example_runs_in_the_sandbox(sandbox_router: GorillaRouter) -> None:
    annotated = sandbox_router.annotate(TOOLFORMER)

    assert annotated.text == "make these calls: [inc(1) → 2] and [dec(2) → 1] and [ignored(3)]"
    assert [s.reason for s in annotated.spans] == [
        CallReason.EXECUTED,
        CallReason.EXECUTED,
        CallReason.UNKNOWN_API,
    ]
    assert [s.output for s in annotated.executed] == [2, 1]
    assert annotated.spans[2].source == "[ignored(3)]"
    assert "'ignored' is not an API in the zoo" in (annotated.spans[2].error or "")


def test_annotating_twice_executes_nothing_twice(config: RouterConfig, recording) -> None:
    router = GorillaRouter(zoo=[INC, DEC], config=config, transports=recording)
    once = router.annotate(TOOLFORMER)
    twice = router.annotate(once.text)

    assert twice.text == once.text
    assert recording["python"].api_ids == ["inc", "dec"]
    assert [s.call_text for s in twice.spans] == ["ignored(3)"]


def test_same_call_twice_in_a_text_runs_once_per_span(config: RouterConfig, recording) -> None:
    router = GorillaRouter(zoo=[INC, DEC], config=config, transports=recording)
    annotated = router.annotate("[inc(1)] then [inc(1)]")
    assert annotated.text == "[inc(1) → 2] then [inc(1) → 2]"
    assert recording["python"].api_ids == ["inc", "inc"]


def _shop(config: RouterConfig, recording, **options) -> GorillaRouter:
    zoo = [INC, rest_tool("shop.order", "POST", "write"), rest_tool("shop.wipe", "DELETE", "destructive")]
    return GorillaRouter(zoo=zoo, config=config, transports=recording, **options)


def test_write_api_in_text_is_not_run_without_confirmation(config: RouterConfig, recording) -> None:
    annotated = _shop(config, recording).annotate('Buy it: [shop.order(item="lamp")] now.')

    assert annotated.text == 'Buy it: [shop.order(item="lamp")] now.'
    (span,) = annotated.spans
    assert span.status is CallStatus.DENIED
    assert span.reason is CallReason.NEEDS_CONFIRMATION
    assert "confirmation required" in (span.error or "")
    assert recording["rest"].calls == []


def test_write_api_runs_when_confirmed_and_not_when_declined(config: RouterConfig, recording) -> None:
    asked: list[str] = []

    def confirm(call, spec, reason):
        asked.append(call.api_id)
        return call.arguments["item"] == "lamp"

    router = _shop(config, recording, confirm=confirm)
    annotated = router.annotate('[shop.order(item="lamp")] and [shop.order(item="sofa")]')

    assert asked == ["shop.order", "shop.order"]
    assert [s.reason for s in annotated.spans] == [
        CallReason.EXECUTED,
        CallReason.NEEDS_CONFIRMATION,
    ]  # declined by the person asked
    assert annotated.text.startswith('[shop.order(item="lamp") → {"api_id": "shop.order"')
    assert annotated.text.endswith(' and [shop.order(item="sofa")]')
    assert [c.arguments for c, _ in recording["rest"].calls] == [{"item": "lamp"}]


def test_destructive_api_is_denied_without_asking(config: RouterConfig, recording) -> None:
    asked: list[str] = []
    router = _shop(config, recording, confirm=lambda call, spec, reason: asked.append(call.api_id) or True)
    (span,) = router.annotate('[shop.wipe(item="all")]').spans
    assert span.reason is CallReason.DENIED_BY_POLICY
    assert "destructive" in (span.error or "")
    assert asked == []
    assert recording["rest"].calls == []


def test_dry_run_shows_the_request_and_sends_nothing(config: RouterConfig, recording) -> None:
    router = _shop(config.model_copy(update={"dry_run": True}), recording)
    annotated = router.annotate('[shop.order(item="lamp")] [inc(1)]')

    assert annotated.text == '[shop.order(item="lamp")] [inc(1)]'
    assert [s.reason for s in annotated.spans] == [CallReason.DRY_RUN, CallReason.DRY_RUN]
    assert annotated.spans[0].request is not None
    assert annotated.spans[0].request["arguments"] == {"item": "lamp"}
    assert recording["rest"].calls == []
    assert recording["python"].calls == []


@pytest.mark.parametrize(
    ("text", "reason", "message"),
    [
        ("[__import__('os').system('x')]", CallReason.MODEL_OUTPUT_INVALID, "must be a dotted name"),
        ("[inc(__import__('os').system('x'))]", CallReason.INVALID_ARGUMENTS, "not a literal"),
        ("[inc(x=open('/etc/passwd').read())]", CallReason.INVALID_ARGUMENTS, "not a literal"),
        ("[inc(1]", CallReason.MODEL_OUTPUT_INVALID, "unbalanced brackets: ']' closes '('"),
        ("text [inc(1 and more", CallReason.MODEL_OUTPUT_INVALID, "never closed"),
        ("[inc(x='1)]", CallReason.MODEL_OUTPUT_INVALID, "unterminated string"),
        ("[inc(x='one')]", CallReason.INVALID_ARGUMENTS, "parameter 'x'"),
        ("[inc(1, 2)]", CallReason.INVALID_ARGUMENTS, "positional arguments"),
        ("[inc(1) + 1)]", CallReason.MODEL_OUTPUT_INVALID, "unbalanced brackets: ')' closes '['"),
    ],
)
def test_hostile_spans_get_a_clear_error_and_nothing_runs(
    config: RouterConfig, recording, text: str, reason: CallReason, message: str
) -> None:
    router = GorillaRouter(zoo=[INC, DEC], config=config, transports=recording)
    annotated = router.annotate(text)

    assert annotated.text == text
    assert [s.reason for s in annotated.spans] == [reason]
    assert message in (annotated.spans[0].error or "")
    assert recording["python"].calls == []


def test_ten_thousand_brackets(config: RouterConfig, recording) -> None:
    router = GorillaRouter(zoo=[INC, DEC], config=config, transports=recording)
    started = time.perf_counter()

    plain = router.annotate("[" * 10_000 + "]" * 10_000)
    opened = router.annotate("[inc(" * 10_000)
    many = router.annotate("[inc(1)]" * 10_000, max_spans=20)

    assert time.perf_counter() - started < 10
    assert plain.spans == []
    assert plain.text == plain.original
    assert recording["python"].api_ids == ["inc"] * 20  # only the many-calls text had runnable calls
    assert len(opened.spans) == 10_000
    assert opened.text == opened.original
    assert {s.reason for s in opened.spans} == {CallReason.MODEL_OUTPUT_INVALID, CallReason.DENIED_BY_POLICY}
    assert "longer than 2000 characters" in (opened.spans[0].error or "")
    assert "more than 50 inline calls" in (opened.spans[-1].error or "")
    assert len(many.executed) == 20
    assert many.spans[20].reason is CallReason.DENIED_BY_POLICY
    assert many.text.startswith("[inc(1) → 2]" * 20 + "[inc(1)]")


def test_escapes_nesting_and_code_are_handled_as_written(config: RouterConfig, recording) -> None:
    router = GorillaRouter(zoo=[INC, DEC], config=config, transports=recording)
    text = (
        "literal \\[inc(1)] stays; [see [dec(2)]] nests; `[inc(3)]` is code;\n"
        "```python\nxs = [inc(4)]\n```\n"
        "[Note(s) below] and [1] are prose; [inc(x=5)] runs."
    )
    annotated = router.annotate(text)

    assert [c.arguments for c, _ in recording["python"].calls] == [{"x": 2}, {"x": 5}]
    assert annotated.spans == annotated.executed
    assert "[see [dec(2) → 1]] nests" in annotated.text
    assert "[inc(x=5) → 2] runs." in annotated.text
    assert "\\[inc(1)] stays" in annotated.text
    assert "`[inc(3)]`" in annotated.text
    assert "xs = [inc(4)]" in annotated.text


def test_brackets_and_strings_inside_arguments(config: RouterConfig) -> None:
    echo = python_tool("text.echo", "inline_toolbox:shout", param="text", kind="string")
    recording = {"rest": RecordingExecutor(), "python": RecordingExecutor({"text.echo": "ok"})}
    router = GorillaRouter(zoo=[echo], config=config, transports=recording)

    annotated = router.annotate('[text.echo(text="a] [b(")] and [echo("x")]')

    assert annotated.text == '[text.echo(text="a] [b(") → ok] and [echo("x") → ok]'
    assert [c.arguments["text"] for c, _ in recording["python"].calls] == ["a] [b(", "x"]


def test_short_names_resolve_only_when_unambiguous(config: RouterConfig) -> None:
    zoo = [
        python_tool("math.log", "math:log", kind="number"),
        python_tool("cmath.log", "cmath:log", kind="number"),
        python_tool("math.sqrt", "math:sqrt", kind="number"),
    ]
    recording = {"rest": RecordingExecutor(), "python": RecordingExecutor()}
    router = GorillaRouter(zoo=zoo, config=config, transports=recording)

    annotated = router.annotate("[sqrt(16)] [log(8)] [math.sqrt(x=4)] [sqrtt(9)]")

    assert [s.reason for s in annotated.spans] == [
        CallReason.EXECUTED,
        CallReason.UNKNOWN_API,
        CallReason.EXECUTED,
        CallReason.UNKNOWN_API,
    ]
    assert "ambiguous" in (annotated.spans[1].error or "")
    assert "math.log" in (annotated.spans[1].error or "")
    assert "cmath.log" in (annotated.spans[1].error or "")
    assert "did you mean math.sqrt" in (annotated.spans[3].error or "")
    assert recording["python"].api_ids == ["math.sqrt", "math.sqrt"]


def test_long_results_are_shortened_and_cannot_close_the_span(config: RouterConfig) -> None:
    shout = python_tool("shout", "inline_toolbox:shout", param="text", kind="string")
    with GorillaRouter(zoo=[shout], config=config) as router:
        annotated = router.annotate('He said [shout("hi")] loudly.', max_result_chars=12)
        again = router.annotate(annotated.text)

    (span,) = annotated.spans
    assert span.output.startswith("HI]] !!!")
    assert span.result_text == "HI\\]\\] !!!!!!…"  # 12 characters before "]" is escaped
    assert annotated.text == 'He said [shout("hi") → HI\\]\\] !!!!!!…] loudly.'
    assert again.spans == []
    assert again.text == annotated.text


def test_options_are_checked(config: RouterConfig, recording) -> None:
    router = GorillaRouter(zoo=[INC], config=config, transports=recording)
    with pytest.raises(ValueError, match="max_result_chars"):
        router.annotate("[inc(1)]", max_result_chars=0)
    with pytest.raises(TypeError):
        router.annotate(b"[inc(1)]")  # type: ignore[arg-type]


def test_results_render_as_text_would_write_them() -> None:
    from gorilla_router.inline.render import render_result

    assert render_result(39.0, 80) == "39"
    assert render_result(2.5, 80) == "2.5"
    assert render_result(True, 80) == "True"
    assert render_result({"a": [1, "x]"]}, 80) == '{"a": [1, "x\\]"\\]}'
    assert render_result("two\nlines", 80) == "two lines"
