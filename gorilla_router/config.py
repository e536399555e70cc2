"""``RouterConfig``: every knob of the router, from a TOML file and environment variables.

Why one object: a router is built from five replaceable parts (zoo, index, embedder, model, executor) and a
user must be able to swap each one without writing code — on a laptop, in CI, or on a server that points the
index at a Chroma cluster and the model at a vLLM box. Precedence, lowest first: the defaults, the TOML file,
environment variables, then keyword arguments to ``RouterConfig.load(**overrides)`` or ``GorillaRouter``.
"""

from __future__ import annotations

import difflib
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from gorilla_router.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = ["ENV_PREFIX", "RouterConfig", "find_config_file"]

ENV_PREFIX = "GORILLA_ROUTER_"
CONFIG_ENV = "GORILLA_ROUTER_CONFIG"
PROJECT_CONFIG_NAME = "gorilla_router.toml"

# Fields that hold lists read from one environment variable: comma-separated (paths: os.pathsep too).
_LIST_FIELDS = {"zoo", "allow", "deny", "only", "allow_private"}
_MAPPING_FIELDS = {"base_url_overrides"}


class RouterConfig(BaseModel):
    """What a ``GorillaRouter`` is built from; each field has a variable ``GORILLA_ROUTER_<FIELD>``.

    The TOML file holds the same names as top-level keys (``base_url_overrides`` as a table). It is the
    first that exists of: the file named by ``GORILLA_ROUTER_CONFIG`` (an error if missing),
    ``./gorilla_router.toml`` (the project's), ``$XDG_CONFIG_HOME/gorilla_router/config.toml`` or
    ``~/.config/gorilla_router/config.toml`` (the user's).

    Environment variables (lists are comma-separated; booleans accept 1/0, true/false, yes/no, on/off):

    ``GORILLA_ROUTER_CONFIG``
        Path of the TOML file to read (otherwise the search above).
    ``GORILLA_ROUTER_ZOO``
        API Zoo files or folders (comma- or ``os.pathsep``-separated). Default: the bundled ``apizoo/``.
    ``GORILLA_ROUTER_BACKEND``
        Model backend string: ``embedded`` (default: Qwen2.5-Coder-0.5B-Instruct, offline;
        ``embedded:gemma-270m`` / ``embedded:qwen-1.5b`` for the other rungs), ``transformers:<hub id or
        folder>``, ``openai:<model>[@<base_url>]``, ``test`` (a fake that answers with the top candidate's
        first example).
    ``GORILLA_ROUTER_EMBEDDER``
        Embedding model for retrieval: empty (default: the packaged all-MiniLM-L6-v2, offline), a local
        sentence-transformers folder, or ``hash`` (a deterministic fake for tests; poor retrieval).
    ``GORILLA_ROUTER_TOP_K``
        How many candidate APIs the model sees (default 5).
    ``GORILLA_ROUTER_MIN_SCORE``
        Retrieval threshold: when no candidate's dense (cosine) similarity reaches it, the router answers
        "no suitable API" without asking the model (default 0.2; -1 disables it). Measured with MiniLM on
        the bundled zoo: all 142 held-out example queries score >= 0.204, 7 of 16 off-topic chit-chat
        requests score below 0.2; the model's own "no call" handles the rest.
    ``GORILLA_ROUTER_CHROMA_PATH``
        Folder of the embedded Chroma index (default: ``<cache dir>/index``).
    ``GORILLA_ROUTER_CHROMA_HOST`` / ``GORILLA_ROUTER_CHROMA_PORT``
        Use a Chroma server (``chroma run``) instead of the embedded store.
    ``GORILLA_ROUTER_COLLECTION``
        Chroma collection name (default ``apizoo``).
    ``GORILLA_ROUTER_DRY_RUN``
        Never dispatch: every call comes back ``dry_run`` with the exact request it would send.
    ``GORILLA_ROUTER_GROUND_ARGUMENTS``
        Grounding (default on): invented optional values are dropped, and a required value the request
        does not give makes the answer ``needs_input`` instead of a guessed call.
    ``GORILLA_ROUTER_ASSUME_YES``
        Confirm calls with side effects (``write``) without asking. Off by default; destructive calls still
        need an ``allow`` pattern.
    ``GORILLA_ROUTER_ALLOW`` / ``GORILLA_ROUTER_DENY``
        Glob patterns on API ids that are always allowed / always denied (e.g. ``uber.eat.*``).
    ``GORILLA_ROUTER_ONLY``
        When set, only API ids matching one of these glob patterns may run; everything else is denied.
    ``GORILLA_ROUTER_ALLOW_PRIVATE``
        Hosts or CIDRs the REST executor may reach although private (e.g. ``127.0.0.1`` for a local service).
    ``GORILLA_ROUTER_BASE_URL_OVERRIDES``
        ``provider_or_api_id=url`` pairs, comma-separated, pointing a provider at another server (e.g.
        ``uber=http://127.0.0.1:8080``). Only configuration can set this, never the model.
    ``GORILLA_ROUTER_AUDIT_LOG``
        JSON Lines file recording every call decision (secrets redacted).
    ``GORILLA_ROUTER_CACHE_DIR``
        The cache folder (index, converted model); read by ``gorilla_router.paths``, not a field here.
    """

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    zoo: list[Path] = Field(default_factory=list)
    backend: str = "embedded"
    embedder: str | None = None
    top_k: int = Field(default=5, ge=1, le=50)
    min_score: float = Field(default=0.2, ge=-1.0, le=1.0)
    chroma_path: Path | None = None
    chroma_host: str | None = None
    chroma_port: int | None = Field(default=None, ge=1, le=65535)
    collection: str = "apizoo"
    dry_run: bool = False
    ground_arguments: bool = True
    """Drop invented optional values and answer ``needs_input`` for missing required ones (grounding)."""
    assume_yes: bool = False
    allow: list[str] = Field(default_factory=list)
    deny: list[str] = Field(default_factory=list)
    only: list[str] = Field(default_factory=list)
    allow_private: list[str] = Field(default_factory=list)
    base_url_overrides: dict[str, str] = Field(default_factory=dict)
    audit_log: Path | None = None
    source: str = Field(default="defaults", exclude=True, description="Where the values came from.")

    @field_validator("backend")
    @classmethod
    def _backend_not_empty(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("backend must not be empty; use 'embedded' for the offline default")
        return value.strip()

    @field_validator("base_url_overrides")
    @classmethod
    def _urls_are_http(cls, value: dict[str, str]) -> dict[str, str]:
        for key, url in value.items():
            if not url.startswith(("http://", "https://")):
                raise ValueError(f"base_url_overrides[{key!r}] must start with http(s)://, got {url!r}")
        return {key: url.rstrip("/") for key, url in value.items()}

    @classmethod
    def load(
        cls,
        path: str | Path | None = None,
        *,
        environ: Mapping[str, str] | None = None,
        **overrides: Any,
    ) -> RouterConfig:
        """Defaults ← TOML file (``path`` or the search) ← environment ← ``overrides``."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        sources: list[str] = []
        if path is not None:
            file: Path | None = Path(path).expanduser()
            if not Path(path).expanduser().is_file():
                raise ConfigError(f"config file {path} does not exist; create it or drop the path argument")
        else:
            file = find_config_file(env)
        if file is not None:
            values.update(_read_toml(file))
            sources.append(str(file))
        from_env = _read_environment(env)
        if from_env:
            values.update(from_env)
            names = ", ".join(ENV_PREFIX + k.upper() for k in sorted(from_env))
            sources.append(f"environment ({names})")
        given = {k: v for k, v in overrides.items() if v is not None}
        _reject_unknown(given, "argument")
        if given:
            values.update(given)
            sources.append("arguments")
        values["source"] = "; ".join(sources) or "defaults"
        try:
            return cls(**values)
        except ValidationError as exc:
            raise ConfigError(_explain(exc, values["source"])) from exc


def find_config_file(environ: Mapping[str, str] | None = None) -> Path | None:
    """The TOML file to read: ``$GORILLA_ROUTER_CONFIG``, ``./gorilla_router.toml``, else the user's file."""
    env = os.environ if environ is None else environ
    named = env.get(CONFIG_ENV)
    if named:
        file = Path(named).expanduser()
        if not file.is_file():
            raise ConfigError(f"{CONFIG_ENV}={named} does not name an existing file; fix or unset it")
        return file
    project = Path.cwd() / PROJECT_CONFIG_NAME
    if project.is_file():
        return project
    config_home = Path(env.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    user = config_home / "gorilla_router" / "config.toml"
    return user if user.is_file() else None


def _field_names() -> list[str]:
    return [name for name in RouterConfig.model_fields if name != "source"]


def _reject_unknown(values: Mapping[str, Any], where: str) -> None:
    for key in values:
        if key not in _field_names():
            close = difflib.get_close_matches(key, _field_names(), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; known: {', '.join(_field_names())}"
            raise ConfigError(f"unknown configuration {where} {key!r}{hint}")


def _read_toml(file: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read config file {file}: {exc}") from exc
    table = data.get("gorilla_router", data)  # a [gorilla_router] table is accepted too
    _reject_unknown(table, f"key in {file}:")
    if isinstance(table.get("zoo"), str):
        table["zoo"] = [table["zoo"]]
    if "zoo" in table:  # relative zoo paths are relative to the config file, not to the working directory
        table["zoo"] = [str((file.parent / Path(p).expanduser()).resolve()) for p in table["zoo"]]
    return dict(table)


def _read_environment(env: Mapping[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in _field_names():
        raw = env.get(ENV_PREFIX + name.upper())
        if raw is None or raw.strip() == "":
            continue
        if name in _LIST_FIELDS:
            separators = [",", os.pathsep] if name == "zoo" else [","]
            items = [raw]
            for sep in separators:
                items = [part for item in items for part in item.split(sep)]
            values[name] = [item.strip() for item in items if item.strip()]
        elif name in _MAPPING_FIELDS:
            values[name] = _parse_pairs(ENV_PREFIX + name.upper(), raw)
        else:
            values[name] = raw.strip()
    return values


def _parse_pairs(variable: str, raw: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in raw.split(","))):
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ConfigError(f"{variable}: expected 'name=url' pairs separated by commas, got {item!r}")
        pairs[key.strip()] = value.strip()
    return pairs


def _explain(exc: ValidationError, source: str) -> str:
    lines = []
    for error in exc.errors():
        field = ".".join(str(part) for part in error["loc"]) or "config"
        variable = ENV_PREFIX + str(error["loc"][0]).upper() if error["loc"] else ""
        got = error.get("input")
        lines.append(f"{field}: {error['msg']} (got {got!r}; set by {variable} or the TOML key)")
    return f"invalid router configuration from {source}:\n" + "\n".join(lines)
