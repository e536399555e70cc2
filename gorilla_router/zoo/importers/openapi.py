"""Import OpenAPI 3 documents: one ``ApiSpec`` per operation.

``servers[0]`` (variables filled with their defaults) is the base URL; path, query and header parameters
and a JSON (or form) request body's top-level properties become the spec's parameters with their
locations; ``operationId`` (snake_case) is the id after the provider prefix. Security schemes of type
``apiKey`` and ``http bearer`` become ``auth`` naming an environment variable. What cannot be represented
— cookie parameters, multipart bodies, non-object bodies, external ``$ref``s — is reported, never guessed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError as PydanticValidationError

from gorilla_router.errors import UsageError
from gorilla_router.specs import ApiSpec
from gorilla_router.zoo.importers.naming import IdAllocator, identifier, side_effects_for_method
from gorilla_router.zoo.importers.openapi_document import RefResolver, load_document
from gorilla_router.zoo.importers.report import ImportReport

__all__ = ["import_openapi", "openapi_operation"]

_METHODS = ("get", "put", "post", "delete", "patch", "head")
_UNSUPPORTED_METHODS = ("options", "trace")


def _base_url(document: dict[str, Any], provider: str, notes: list[str]) -> str:
    servers = document.get("servers") or []
    if not servers or not isinstance(servers[0], dict) or not servers[0].get("url"):
        notes.append("no servers[0].url; base_url is a placeholder host, set it before calling")
        return f"https://{provider.replace('_', '-')}.example.invalid"
    server = servers[0]
    url = str(server["url"])
    for name, variable in (server.get("variables") or {}).items():
        url = url.replace("{" + name + "}", str(variable.get("default", "")))
    if url.startswith("/"):
        notes.append(f"servers[0].url {url!r} is relative; placed under a placeholder host")
        url = f"https://{provider.replace('_', '-')}.example.invalid{url}"
    return url.rstrip("/")


def _auth(document: dict[str, Any], operation: dict[str, Any], provider: str) -> dict[str, Any] | None:
    requirements = operation.get("security", document.get("security")) or []
    schemes = (document.get("components") or {}).get("securitySchemes") or {}
    env = re.sub(r"[^A-Z0-9_]", "_", provider.upper())
    for requirement in requirements:
        for name in requirement or {}:
            scheme = schemes.get(name) or {}
            if scheme.get("type") == "apiKey" and scheme.get("in") in ("header", "query"):
                return {"env": f"{env}_API_KEY", "location": scheme["in"], "name": scheme.get("name", name)}
            if (
                scheme.get("type") in ("http", "oauth2", "openIdConnect")
                and scheme.get("scheme", "bearer") == "bearer"
            ):
                return {
                    "env": f"{env}_TOKEN",
                    "location": "header",
                    "name": "Authorization",
                    "prefix": "Bearer ",
                }
    return None


def _body(operation: dict[str, Any]) -> tuple[dict[str, Any], list[str], str]:
    """Top-level body properties, required names and the encoding; ``ValueError`` when not representable."""
    body = operation.get("requestBody")
    if not body:
        return {}, [], "json"
    content = body.get("content") or {}
    media = next((m for m in content if m == "application/json" or m.endswith("+json")), None)
    encoding = "json"
    if media is None and "application/x-www-form-urlencoded" in content:
        media, encoding = "application/x-www-form-urlencoded", "form"
    if media is None:
        raise ValueError(
            f"request body media type(s) {', '.join(content) or 'none'} not supported (JSON or form)"
        )
    schema = (content[media] or {}).get("schema") or {}
    if schema.get("type", "object") != "object" or "properties" not in schema:
        raise ValueError(
            "request body is not a JSON object with properties; it cannot be split into parameters"
        )
    required = list(schema.get("required") or []) if body.get("required") else []
    return dict(schema["properties"]), required, encoding


def _returns(operation: dict[str, Any]) -> dict[str, Any] | None:
    """The JSON schema of the first 2xx JSON response, if the operation documents one."""
    for status, response in sorted((operation.get("responses") or {}).items()):
        content = (response or {}).get("content") or {}
        media = next((m for m in content if m == "application/json" or m.endswith("+json")), None)
        if str(status).startswith("2") and media and isinstance(content[media].get("schema"), dict):
            return dict(content[media]["schema"])
    return None


def _operation_spec(
    document: dict[str, Any], path: str, method: str, operation: dict[str, Any], context: dict[str, Any]
) -> ApiSpec:
    provider: str = context["provider"]
    odd = [p for p in re.findall(r"\{([^{}]*)\}", path) if not re.fullmatch(r"[A-Za-z_]\w*", p)]
    if odd:
        raise ValueError(
            f"path placeholder(s) {', '.join(odd)} are not identifiers; rename them in the document"
        )
    properties: dict[str, Any] = {}
    required: list[str] = []
    locations: dict[str, str] = {}
    shared = context["path_parameters"]
    merged = {(p.get("name"), p.get("in")): p for p in [*shared, *(operation.get("parameters") or [])]}
    for (name, where), parameter in merged.items():
        if not name:
            raise ValueError(f"a parameter could not be read: {parameter.get('description') or parameter}")
        if where not in ("path", "query", "header"):
            raise ValueError(f"parameter {name!r} in {where!r} is not supported (path, query or header)")
        schema = dict(parameter.get("schema") or {})
        if parameter.get("description"):
            schema.setdefault("description", parameter["description"])
        properties[name], locations[name] = schema, where
        if parameter.get("required") or where == "path":
            required.append(name)
    body_properties, body_required, encoding = _body(operation)
    for name, schema in body_properties.items():
        if name in properties:
            raise ValueError(f"body property {name!r} has the same name as a {locations[name]} parameter")
        properties[name], locations[name] = schema, "body"
    required += [name for name in body_required if name in body_properties]
    operation_id = operation.get("operationId") or f"{method} {path}"
    summary = (operation.get("summary") or "").strip()
    description = "\n\n".join(t for t in (summary, (operation.get("description") or "").strip()) if t)
    return ApiSpec.model_validate(
        {
            "id": context["ids"].allocate(f"{provider}.{identifier(operation_id)}"),
            "name": summary or operation_id,
            "description": description or f"{method.upper()} {path}",
            "kind": "rest",
            "provider": provider,
            "parameters": {"type": "object", "properties": properties, "required": required},
            "tags": [str(t) for t in operation.get("tags") or []],
            "side_effects": side_effects_for_method(method),
            "version": str((document.get("info") or {}).get("version") or "1"),
            "method": method.upper(),
            "base_url": context["base_url"],
            "path": path,
            "locations": locations,
            "auth": _auth(document, operation, provider),
            "body_encoding": encoding,
            "returns": _returns(operation),
        }
    )


def import_openapi(
    source: str | Path | dict[str, Any], *, provider: str | None = None, base_url: str | None = None
) -> ImportReport:
    """Every operation of an OpenAPI 3 document → ``ApiSpec``; unsupported parts are in the report."""
    raw = load_document(source)
    name = str(source) if not isinstance(source, dict) else "<document>"
    if not str(raw.get("openapi", "")).startswith("3"):
        found = raw.get("swagger") or raw.get("openapi") or "no version"
        raise UsageError(f"{name}: only OpenAPI 3.x is supported (found {found!r}); convert Swagger 2 first")
    resolver = RefResolver(raw)
    document = resolver.resolve(raw)
    report = ImportReport()
    title = str((document.get("info") or {}).get("title") or "openapi")
    provider = identifier(provider or title, drop_leading=()).removesuffix("_api") or "openapi"
    notes: list[str] = []
    context = {
        "provider": provider,
        "ids": IdAllocator(),
        "base_url": base_url or _base_url(document, provider, notes),
    }
    for note in notes + resolver.problems:
        report.note(name, "<document>", note)
    for path, item in (document.get("paths") or {}).items():
        context["path_parameters"] = item.get("parameters") or []
        for method in _UNSUPPORTED_METHODS:
            if method in item:
                report.seen += 1
                report.skip(
                    name, f"{method.upper()} {path}", f"HTTP method {method.upper()} is not supported"
                )
        for method in _METHODS:
            if method not in item:
                continue
            report.seen += 1
            label = item[method].get("operationId") or f"{method.upper()} {path}"
            try:
                report.specs.append(_operation_spec(document, path, method, item[method], context))
            except (ValueError, PydanticValidationError) as error:
                report.skip(name, label, str(error).replace("\n", " "))
    return report


def openapi_operation(source: str | Path | dict[str, Any], operation_id: str, **options: Any) -> ApiSpec:
    """The spec for one operation (by ``operationId``); ``UsageError`` listing the ids when absent."""
    report = import_openapi(source, **options)
    for spec in report.specs:
        if spec.id.split(".", 1)[1] == identifier(operation_id):
            return spec
    for skipped in report.skipped:
        if skipped.entry == operation_id:
            raise UsageError(f"operation {operation_id!r} cannot be imported: {skipped.reason}")
    known = ", ".join(sorted(s.id.split(".", 1)[1] for s in report.specs)[:20])
    raise UsageError(f"no operation {operation_id!r} in the document; it has: {known}")
