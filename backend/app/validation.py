"""`@json_body(Model)` and `@query_args(Model)`: validate a request before the view runs.

The lesson read `request.json.get("username", None)` and went on with None when a field was
missing; here a bad body never reaches the view, and the client learns which field is wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import current_app, request
from pydantic import ValidationError

from app.errors import ErrorKind, json_error
from app.schemas import OWN_ERROR, RequestBody

NOT_A_JSON_OBJECT = "Request body must be a JSON object"


def json_object_body() -> dict[str, Any] | None:
    """The request body as a JSON object, or None if it is anything else.

    Anything else includes: a Content-Type other than `application/json` (Flask would also take
    `application/*+json`), a charset other than UTF-8 (RFC 8259: JSON on the wire is UTF-8;
    Python's parser would guess UTF-16 from the bytes), bytes that are not UTF-8, invalid JSON,
    and JSON nested too deeply for the parser (it raises RecursionError, which Flask's
    `get_json(silent=True)` does not catch). The body is at most 16 KiB (MAX_CONTENT_LENGTH).
    """
    if request.mimetype != "application/json":
        return None
    if request.mimetype_params.get("charset", "utf-8").lower() not in ("utf-8", "utf8"):
        return None
    try:
        data = current_app.json.loads(request.get_data().decode("utf-8"))
    except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        return None
    return data if isinstance(data, dict) else None


def field_errors(model: type[RequestBody], error: ValidationError) -> dict[str, str]:
    """Turn pydantic's error list into {field: message}, one readable message per field."""
    errors: dict[str, str] = {}
    for item in error.errors():
        field = str(item["loc"][0]) if item["loc"] else "body"
        if field in errors:
            continue
        if item["type"] == "missing":
            errors[field] = "This field is required"
        elif item["type"].endswith("_type"):
            errors[field] = "Must be a string"
        elif item["type"] == OWN_ERROR:
            errors[field] = item["msg"]  # already written for people (schemas.py)
        else:
            errors[field] = model.field_rules.get(field, item["msg"])
    return errors


def invalid(model: type[RequestBody], error: ValidationError) -> Any:
    """The 400 for a request `model` refused: its message, and one message per field."""
    return json_error(
        400, model.invalid_message, ErrorKind.VALIDATION_FAILED, errors=field_errors(model, error)
    )


def json_body(model: type[RequestBody]) -> Callable:
    """Decorate a view so it receives the validated body as its `body` keyword argument.

    Answers 400 {"msg"} when the body is missing, is not JSON (including a Content-Type other
    than application/json) or is not an object, and 400 {"msg", "errors"} when a field is wrong.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            data = json_object_body()
            if data is None:
                return json_error(400, NOT_A_JSON_OBJECT, ErrorKind.BODY_NOT_JSON)
            try:
                body = model.model_validate(data)
            except ValidationError as e:
                return invalid(model, e)
            return view(*args, body=body, **kwargs)

        # The same model documents the body in /api/openapi.json (see openapi.py): what is
        # validated is what is documented.
        wrapper.openapi_request = model  # type: ignore[attr-defined]
        return wrapper

    return decorator


def query_args(model: type[RequestBody]) -> Callable:
    """Decorate a view so it receives its validated query string as the `query` keyword argument.

    Answers 400 {"msg", "errors"} when a parameter breaks its rule. A parameter given twice
    counts once (the first).
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                query = model.model_validate(request.args.to_dict())
            except ValidationError as e:
                return invalid(model, e)
            return view(*args, query=query, **kwargs)

        # Documented as the operation's query parameters in /api/openapi.json (openapi.py).
        wrapper.openapi_query = model  # type: ignore[attr-defined]
        return wrapper

    return decorator
