"""The OpenAPI 3.1 document (GET /api/openapi.json), built from the code that runs.

Nothing here is written by hand twice: request bodies and query parameters come from the
pydantic models that `@json_body` and `@query_args` validate with (validation.py registers them
on the view), responses from the models listed in `@documented(...)` on each view, and the
list of operations from Flask's own routes.
A route under /api without `@documented` makes building the document fail (a test builds it),
so a new endpoint cannot be forgotten.

Why not a library: the well-kept ones (flask-openapi3, spectree) each want their own blueprint
class or their own validation error format; this file is ~150 lines a student can read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode

from app.errors import API_PREFIXES
from app.schemas import ErrorOut

REF = "#/components/schemas/{model}"
# A Flask rule's variable, `<name>` or `<converter:name>`, becomes OpenAPI's `{name}`.
RULE_VARIABLE = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")

# How a client proves who it is. Views name these in `@documented(auth=...)`.
SECURITY_SCHEMES: dict[str, dict[str, Any]] = {
    "bearerAuth": {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "The access token from POST /api/token: `Authorization: Bearer <token>`",
    },
    # flask-jwt-extended's default cookie and header names (JWT_REFRESH_COOKIE_NAME and
    # JWT_REFRESH_CSRF_HEADER_NAME; config.py keeps the defaults).
    "refreshCookie": {
        "type": "apiKey",
        "in": "cookie",
        "name": "refresh_token_cookie",
        "description": "The refresh token: an HttpOnly cookie set by POST /api/token, sent by "
        "the browser to /api/token/refresh only",
    },
    "csrfHeader": {
        "type": "apiKey",
        "in": "header",
        "name": "X-CSRF-TOKEN",
        "description": "The value of the readable `csrf_refresh_token` cookie (double-submit "
        "CSRF protection: SameSite=Strict keeps other sites from sending the refresh cookie; a "
        "page that can still make the browser send it, on another subdomain or in a browser "
        "without SameSite, cannot read the value to copy it here)",
    },
}

# The groups in /api/docs, in the order a reader needs them.
TAGS = [
    {"name": "auth", "description": "Sign up, log in (get a token), and the token's lifecycle"},
    {"name": "private", "description": "What a valid access token opens"},
    {"name": "lab", "description": "The classroom's tamper lab"},
    {"name": "classroom", "description": "The teacher's view of the room's sessions"},
    {"name": "keys", "description": "The keys that sign tokens, and the public ones that verify"},
    {"name": "meta", "description": "Health, demo mode and this documentation"},
]

# What each error status means here, for the document's readers.
ERROR_DESCRIPTIONS = {
    400: "Body missing, not a JSON object (any Content-Type but application/json included), "
    "or a field is wrong (`errors` says which)",
    401: "Missing, malformed, tampered, expired or revoked token, or wrong credentials: "
    "`error` says which",
    403: "Forbidden: the token is valid, but its holder may not do this (not a teacher; a "
    "shared demo account)",
    404: "No such resource",
    409: "Conflict: the username is already taken, or that is your own session",
    413: "Request body over 16 KiB",
    429: "Too many attempts: wait `Retry-After` seconds",
}
RESPONSE_HEADERS = {
    401: {
        "WWW-Authenticate": {
            "description": 'RFC 6750 challenge: `Bearer` or `Bearer error="invalid_token", ...`',
            "schema": {"type": "string"},
        }
    },
    429: {
        "Retry-After": {
            "description": "Seconds until a new attempt is allowed",
            "schema": {"type": "string", "pattern": "^[0-9]+$"},
        }
    },
}


@dataclass
class Doc:
    """What `@documented` records on a view."""

    responses: dict[int, type[BaseModel] | str]
    auth: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


def documented(
    responses: dict[int, type[BaseModel] | str],
    *,
    auth: str | list[str] | None = None,
    tags: list[str] | None = None,
) -> Callable:
    """Describe a view's answers: {status: pydantic model, or a description for non-JSON}.

    `auth` names entries of SECURITY_SCHEMES that the request must carry (all of them); it
    also documents the 401 every protected route can answer. A request body is documented by
    `@json_body` itself (with its 400 and 413).
    """
    schemes = [auth] if isinstance(auth, str) else list(auth or [])

    def decorator(view: Callable) -> Callable:
        all_responses = dict(responses)
        if schemes:
            all_responses.setdefault(401, ErrorOut)
        # A function attribute, which a type checker cannot declare; _operation reads it.
        view.openapi_doc = Doc(responses=all_responses, auth=schemes, tags=tags or [])  # type: ignore[attr-defined]
        return view

    return decorator


class Components:
    """The document's `components.schemas`, filled as models are referenced."""

    def __init__(self) -> None:
        self.schemas: dict[str, Any] = {}

    def ref(self, model: type[BaseModel], mode: JsonSchemaMode) -> dict[str, str]:
        """Add `model` (and the models inside it) to the components; return a $ref to it."""
        schema = model.model_json_schema(ref_template=REF, mode=mode)
        for name, nested in schema.pop("$defs", {}).items():
            self.schemas.setdefault(name, nested)
        self.schemas.setdefault(model.__name__, schema)
        return {"$ref": REF.format(model=model.__name__)}


def _response(status: int, body: type[BaseModel] | str, components: Components) -> dict:
    if isinstance(body, str):  # not JSON: an HTML page, say
        return {"description": body, "content": {"text/html": {"schema": {"type": "string"}}}}
    if body is ErrorOut:
        description = ERROR_DESCRIPTIONS.get(status, "Error")
    else:
        description = (body.__doc__ or body.__name__).strip().splitlines()[0]
    response: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"schema": components.ref(body, "serialization")}},
    }
    if status in RESPONSE_HEADERS:
        response["headers"] = RESPONSE_HEADERS[status]
    return response


def _query_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    """The fields of a `@query_args` model, as OpenAPI query parameters."""
    schema = model.model_json_schema(mode="validation")
    required = set(schema.get("required", []))
    parameters = []
    for name, field_schema in schema["properties"].items():
        description = field_schema.pop("description", None)
        field_schema.pop("title", None)
        parameter = {"name": name, "in": "query", "required": name in required}
        if description:
            parameter["description"] = description
        parameters.append({**parameter, "schema": field_schema})
    return parameters


def _operation(
    endpoint: str, view: Callable, components: Components, arguments: list[str]
) -> dict[str, Any]:
    doc: Doc | None = getattr(view, "openapi_doc", None)
    if doc is None:
        raise LookupError(f"{endpoint}: add @documented(...) so /api/openapi.json describes it")
    lines = (view.__doc__ or endpoint).strip().splitlines()
    operation: dict[str, Any] = {
        "operationId": endpoint.replace(".", "_"),
        "summary": lines[0],
        "tags": doc.tags or [endpoint.split(".")[0]],
    }
    if len(lines) > 1:
        operation["description"] = "\n".join(line.strip() for line in lines[1:]).strip()

    responses = dict(doc.responses)
    request_model: type[BaseModel] | None = getattr(view, "openapi_request", None)
    if request_model is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {
                "application/json": {"schema": components.ref(request_model, "validation")}
            },
        }
        responses.setdefault(400, ErrorOut)
        responses.setdefault(413, ErrorOut)
    query_model: type[BaseModel] | None = getattr(view, "openapi_query", None)
    parameters = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in arguments
    ]
    if query_model is not None:
        parameters += _query_parameters(query_model)
        responses.setdefault(400, ErrorOut)
    if parameters:
        operation["parameters"] = parameters
    operation["responses"] = {
        str(status): _response(status, body, components)
        for status, body in sorted(responses.items())
    }
    # [] means "no credentials needed"; otherwise every listed scheme together.
    operation["security"] = [{name: [] for name in doc.auth}] if doc.auth else []
    return operation


def build_openapi(app: Flask) -> dict[str, Any]:
    """The OpenAPI 3.1 document of every route under /api (and /.well-known) in `app`."""
    components = Components()
    paths: dict[str, dict[str, Any]] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.rule.startswith(API_PREFIXES):
            continue  # the SPA
        view = app.view_functions[rule.endpoint]
        if rule.arguments and not hasattr(view, "openapi_doc"):
            continue  # files served under /api/docs/<name>
        path = RULE_VARIABLE.sub(r"{\1}", rule.rule)
        arguments = RULE_VARIABLE.findall(rule.rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = _operation(
                rule.endpoint, view, components, arguments
            )
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "JWT Classroom API",
            "version": "1.0.0",
            "description": "Log in for a JSON Web Token, then send it as a Bearer token. "
            'Every error body is {"msg": ..., "error": ...}: `msg` for people, `error` (one of '
            "the ErrorKind values) for code; 400s add per-field `errors`.",
        },
        "servers": [{"url": "/"}],
        "tags": TAGS,
        "paths": paths,
        "components": {
            "schemas": dict(sorted(components.schemas.items())),
            "securitySchemes": SECURITY_SCHEMES,
        },
    }
