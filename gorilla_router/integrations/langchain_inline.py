"""``GorillaInlineRunnable``: inline calls as a LangChain runnable — ``chat_model | runnable`` executes the
``[api(args)]`` calls a model wrote in its answer and returns the text with ``[call → result]`` spliced in.

It accepts a string or a message (its text content), so it chains after a chat model or a prompt. With
``augment=True`` it runs ``router.augment`` instead (the model inserts calls, the loss filter keeps the
useful ones). The guard is the router's: a write API in the text needs the router's ``confirm`` callback,
exactly as in ``router.run``. ``ainvoke``/``batch``/``stream`` come from ``Runnable`` (threads).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gorilla_router.integrations._deps import LANGCHAIN_INSTALL, missing

try:
    from langchain_core.messages import BaseMessage
    from langchain_core.runnables import Runnable, RunnableConfig
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise missing(exc, LANGCHAIN_INSTALL, "GorillaInlineRunnable") from exc

if TYPE_CHECKING:
    from gorilla_router.router import GorillaRouter

__all__ = ["GorillaInlineRunnable"]


class GorillaInlineRunnable(Runnable[Any, str]):
    """``invoke(text | message) -> str``: the annotated (or augmented) text; reports kept in ``last``."""

    def __init__(self, router: GorillaRouter, *, augment: bool = False, **options: Any) -> None:
        self.router = router
        self.augment = augment
        self.options = options
        self.last: Any = None
        """The latest ``AnnotatedText`` / ``AugmentedText``, for callers that want the per-span reports."""

    def invoke(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> str:
        text = _text_of(input)
        report = (
            self.router.augment(text, **self.options)
            if self.augment
            else self.router.annotate(text, **self.options)
        )
        self.last = report
        result: str = report.text
        return result


def _text_of(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, BaseMessage):
        return value.text if isinstance(value.text, str) else str(value.content)
    raise TypeError(f"GorillaInlineRunnable takes a str or a message, got {type(value).__name__}")
