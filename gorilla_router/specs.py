"""The data types that flow through the pipeline: ``ApiSpec`` → ``Candidate`` → ``ApiCall`` → ``CallResult``.

They live in one module so every stage speaks the same language. All are pydantic v2 models; ``ApiSpec``
forbids unknown fields so a typo in a zoo entry is an error, not a silently ignored key.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    TypeAdapter,
    field_validator,
    model_validator,
)

__all__ = [
    "SPEC_ADAPTER",
    "ApiCall",
    "ApiSpec",
    "AuthSpec",
    "CallResult",
    "CallStatus",
    "Candidate",
    "Example",
    "HttpMethod",
    "Kind",
    "ParamLocation",
    "PythonSpec",
    "RestSpec",
    "SideEffects",
    "specs_fingerprint",
]

Kind = Literal["python", "rest"]
SideEffects = Literal["none", "read", "write", "destructive"]
HttpMethod = Literal["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]
ParamLocation = Literal["path", "query", "header", "body"]

_DOTTED_NAME = r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*"
API_ID_PATTERN = rf"^{_DOTTED_NAME}$"
CALLABLE_PATTERN = rf"^{_DOTTED_NAME}:{_DOTTED_NAME}$"
_PATH_PARAM = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class Example(_Strict):
    """A natural-language request and the call that answers it, as a Python call string.

    ``call`` uses the spec's id as the function name and keyword arguments, e.g.
    ``math.sqrt(x=3342398)``. Examples document the API, feed few-shot prompts and retrieval text,
    and are checked by ``gorilla-router zoo validate`` (they must parse and validate against the spec).
    """

    query: str = Field(min_length=1)
    call: str = Field(min_length=1)


class AuthSpec(_Strict):
    """Where a credential comes from and where it goes. Never the secret itself.

    ``env`` names the environment variable holding the secret; ``location`` and ``name`` say where the
    REST executor puts it (e.g. header ``Authorization`` with ``prefix`` ``"Bearer "``, or query ``appid``).
    """

    env: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    location: Literal["header", "query"] = "header"
    name: str = "Authorization"
    prefix: str = ""


class ApiSpec(_Strict):
    """One API in the zoo: what it does, its parameters (a JSON Schema object) and how to call it.

    ``kind="python"`` specs name a ``callable`` (``package.module:qualname``); ``kind="rest"`` specs carry
    ``method``, ``base_url`` (the only host the call may reach — the model never picks it), a ``path``
    template, where each parameter goes (``locations``; default: path parameters in the path, the rest in
    the query for GET/DELETE/HEAD and in the JSON body otherwise), static ``headers`` and ``auth``.

    Every spec is a ``PythonSpec`` or a ``RestSpec``, the subclass its ``kind`` names: ``ApiSpec(...)``,
    ``ApiSpec.model_validate(...)`` and an ``ApiSpec`` field all build that subclass, so code that needs a
    kind's fields narrows with ``isinstance`` instead of re-checking ``None``. This base declares every
    field of the zoo format, so both kinds dump the same keys (the index hashes that dump) and
    ``ApiSpec(...)`` type-checks; the subclasses narrow the types.
    """

    id: str = Field(pattern=API_ID_PATTERN, description="Stable dotted id, e.g. 'openmeteo.forecast'.")
    name: str = Field(min_length=1)
    description: str = Field(min_length=1)
    kind: Kind
    provider: str = Field(default="", description="Defaults to the first segment of the id.")
    parameters: dict[str, Any] = Field(
        default_factory=lambda: {"type": "object", "properties": {}, "required": []},
        description="JSON Schema of the arguments: an object with properties and required.",
    )
    returns: dict[str, Any] | None = None
    examples: list[Example] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    side_effects: SideEffects = "read"
    version: str = "1"
    source: str | None = Field(default=None, description="Documentation URL the entry was written from.")
    # python
    callable: str | None = Field(default=None, pattern=CALLABLE_PATTERN)
    requirements: list[str] = Field(default_factory=list)
    # rest
    method: HttpMethod | None = None
    base_url: str | None = None
    path: str | None = None
    locations: dict[str, ParamLocation] = Field(default_factory=dict)
    headers: dict[str, str] = Field(default_factory=dict)
    auth: AuthSpec | None = None
    body_encoding: Literal["json", "form"] = "json"

    def __new__(cls, *args: Any, **data: Any) -> ApiSpec:
        """``ApiSpec(kind=..., ...)`` allocates the subclass for that kind; pydantic then validates as it.

        Python calls ``__init__`` of the class ``__new__`` returned, so the subclass's own fields and
        validators apply. Without a known ``kind`` the base is allocated and ``_as_its_kind`` rejects it.
        """
        kind = data.get("kind")
        if cls is ApiSpec and isinstance(kind, str) and kind in _SPEC_CLASSES:
            return super().__new__(_SPEC_CLASSES[kind])
        return super().__new__(cls)

    @model_validator(mode="wrap")
    @classmethod
    def _as_its_kind(cls, data: Any, handler: ModelWrapValidatorHandler[ApiSpec]) -> ApiSpec:
        """Validating data as ``ApiSpec`` validates it as the subclass its ``kind`` names.

        Any other input goes to the base's own validation, which fails on the missing or unknown ``kind``.
        """
        if cls is ApiSpec and isinstance(data, dict):
            kind = data.get("kind")
            if isinstance(kind, str) and kind in _SPEC_CLASSES:
                return _SPEC_CLASSES[kind].model_validate(data)
        return handler(data)

    @field_validator("parameters")
    @classmethod
    def _object_schema(cls, value: dict[str, Any]) -> dict[str, Any]:
        if value.get("type", "object") != "object":
            raise ValueError("parameters must be a JSON Schema with type 'object'")
        props = value.setdefault("properties", {})
        if not isinstance(props, dict):
            raise ValueError("parameters.properties must be an object mapping names to schemas")
        value["type"] = "object"
        required = value.setdefault("required", [])
        missing = [r for r in required if r not in props]
        if missing:
            raise ValueError(f"parameters.required names undeclared parameters: {', '.join(missing)}")
        return value

    @model_validator(mode="after")
    def _default_provider(self) -> ApiSpec:
        if not self.provider:
            self.provider = self.id.split(".", 1)[0]
        return self

    @property
    def required(self) -> list[str]:
        return list(self.parameters.get("required", []))

    @property
    def properties(self) -> dict[str, Any]:
        return dict(self.parameters.get("properties", {}))

    def content_hash(self) -> str:
        """A stable hash of everything in the spec; the index re-embeds a spec only when this changes."""
        payload = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class PythonSpec(ApiSpec):
    """A Python callable, run by the Python executor (in a sandbox worker unless allowed in-process).

    ``callable`` is required; the REST-only fields that say where a request goes are typed ``None``, so an
    entry that mixes the kinds fails on the field at fault.
    """

    kind: Literal["python"]
    callable: str = Field(pattern=CALLABLE_PATTERN)
    method: None = None
    base_url: None = None
    path: None = None


class RestSpec(ApiSpec):
    """An HTTP endpoint, sent by the REST executor to ``base_url`` + ``path`` and nowhere else.

    ``method``, ``base_url`` and ``path`` are required and ``callable`` is typed ``None``. The one check the
    types cannot say — every ``{placeholder}`` in the path is a declared parameter that ``locations`` does
    not send elsewhere — is the validator below.
    """

    kind: Literal["rest"]
    callable: None = None
    method: HttpMethod
    base_url: str = Field(pattern=r"^https?://")
    path: str = Field(pattern=r"^/")

    @model_validator(mode="after")
    def _parameters_placed(self) -> RestSpec:
        props = self.parameters.get("properties", {})
        undeclared = [p for p in self.path_parameters if p not in props]
        if undeclared:
            raise ValueError(f"path parameters not declared in parameters: {', '.join(undeclared)}")
        unknown = [p for p in self.locations if p not in props]
        if unknown:
            raise ValueError(f"locations names undeclared parameters: {', '.join(unknown)}")
        for name in self.path_parameters:
            if self.locations.get(name, "path") != "path":
                raise ValueError(f"parameter {name!r} appears in the path but locations says otherwise")
        return self

    @property
    def path_parameters(self) -> list[str]:
        """Names of ``{placeholders}`` in the path template, in order."""
        return _PATH_PARAM.findall(self.path)

    def location_of(self, parameter: str) -> ParamLocation:
        """Where a parameter goes: explicit ``locations`` first, else path/query/body by convention."""
        if parameter in self.locations:
            return self.locations[parameter]
        if parameter in self.path_parameters:
            return "path"
        return "query" if self.method in ("GET", "DELETE", "HEAD") else "body"


_SPEC_CLASSES: dict[str, type[ApiSpec]] = {"python": PythonSpec, "rest": RestSpec}

SPEC_ADAPTER: TypeAdapter[PythonSpec | RestSpec] = TypeAdapter(
    Annotated[PythonSpec | RestSpec, Field(discriminator="kind")]
)
"""The zoo format as pydantic's tagged union on ``kind``; ``apizoo/schema.json`` is generated from it."""


def specs_fingerprint(specs: Iterable[ApiSpec]) -> str:
    """A hash of a set of specs' content, independent of order: it changes iff some spec changes.

    The zoo reports it and the index records it after each sync, so both must compute it the same way.
    """
    digest = hashlib.sha256()
    for content_hash in sorted(spec.content_hash() for spec in specs):
        digest.update(content_hash.encode("ascii"))
    return digest.hexdigest()


class Candidate(BaseModel):
    """A spec proposed by the retriever, with its fused ``score`` (higher is better) and 1-based ``rank``.

    ``scores`` keeps each retriever's own score (e.g. ``{"dense": 0.61, "bm25": 7.2}``) for inspection.
    """

    spec: ApiSpec
    score: float
    rank: int = Field(ge=1)
    scores: dict[str, float] = Field(default_factory=dict)


class ApiCall(BaseModel):
    """A call the model wrote (or a person wrote): which API and with which arguments.

    ``raw`` keeps the model text it was parsed from, for error messages and audit.
    """

    api_id: str = Field(pattern=API_ID_PATTERN)
    arguments: dict[str, Any] = Field(default_factory=dict)
    raw: str = ""
    conversions: dict[str, str] = Field(default_factory=dict)
    """Arguments whose value is not written in the request but derived from it (``"Japan" -> "JP"``):
    parameter → how. Recorded so a person can review what the model changed."""

    def to_source(self) -> str:
        """Render as a Python call string, e.g. ``math.sqrt(x=3342398)``."""
        args = ", ".join(f"{k}={v!r}" for k, v in self.arguments.items())
        return f"{self.api_id}({args})"


class CallStatus(str, Enum):
    """How a call ended. ``no_call`` means no API in the zoo fits the request (nothing was guessed)."""

    OK = "ok"
    DRY_RUN = "dry_run"
    DENIED = "denied"
    INVALID = "invalid"
    ERROR = "error"
    NO_CALL = "no_call"
    NEEDS_INPUT = "needs_input"


class CallReason(str, Enum):
    """Why a call ended the way it did, for programs: a caller branches on this, never on message text.

    ``ok`` results carry ``executed``; every other status carries the most specific reason known.
    """

    EXECUTED = "executed"
    DRY_RUN = "dry_run"
    NEEDS_CONFIRMATION = "needs_confirmation"
    DENIED_BY_POLICY = "denied_by_policy"
    INVALID_ARGUMENTS = "invalid_arguments"
    UNKNOWN_API = "unknown_api"
    NO_SUITABLE_API = "no_suitable_api"
    MODEL_DECLINED = "model_declined"
    MODEL_OUTPUT_INVALID = "model_output_invalid"
    NEEDS_INPUT = "needs_input"
    BACKEND_ERROR = "backend_error"
    EXECUTION_FAILED = "execution_failed"


class MissingInput(BaseModel):
    """A required value the request does not give: which parameter, and what the user should supply."""

    model_config = ConfigDict(frozen=True)

    api_id: str
    parameter: str
    expected: str = ""

    def describe(self) -> str:
        what = f" ({self.expected})" if self.expected else ""
        return f"{self.api_id}: {self.parameter}{what}"


class CallResult(BaseModel):
    """The outcome of one request: the call, its status, its output or error, and timings in seconds.

    ``request`` describes what was (or, in a dry run, would be) sent — method, URL, headers with secrets
    masked and body for REST; callable and arguments for Python. ``candidates`` are the APIs the retriever
    offered, so a person can see why this call was chosen.
    """

    call: ApiCall | None = None
    status: CallStatus
    reason: CallReason | None = None
    missing: list[MissingInput] = Field(default_factory=list)
    output: Any = None
    error: str | None = None
    request: dict[str, Any] | None = None
    timings: dict[str, float] = Field(default_factory=dict)
    candidates: list[Candidate] = Field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status is CallStatus.OK
