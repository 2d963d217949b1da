"""GET /api/openapi.json and /api/docs: generated from the code, complete, and served offline."""

import re

import pytest
import schemathesis
from flask import Blueprint
from pydantic import ValidationError

from app.errors import ErrorKind
from app.openapi import build_openapi
from app.schemas import LoginIn, SignupIn


@pytest.fixture
def document(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def operations(document):
    return {(method.upper(), path) for path, item in document["paths"].items() for method in item}


def test_it_is_a_valid_openapi_3_1_document(document):
    assert document["openapi"] == "3.1.0"
    # schemathesis (the fuzzer, `make fuzz`) loads it and finds every operation.
    schema = schemathesis.openapi.from_dict(document)
    loaded = {(op.ok().method.upper(), op.ok().path) for op in schema.get_all_operations()}
    assert loaded == operations(document)


def test_every_api_route_is_an_operation(app, document):
    routes = {
        (method, re.sub(r"<([^>]+)>", r"{\1}", rule.rule))
        for rule in app.url_map.iter_rules()
        # /api/docs/<name> serves the docs page's own files: not part of the API
        if rule.rule.startswith(("/api/", "/.well-known/")) and rule.endpoint != "meta.docs_file"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes == operations(document)
    assert ("POST", "/api/token") in routes  # the check above is not vacuous
    assert ("POST", "/api/classroom/sessions/{session_id}/end") in routes
    assert ("GET", "/.well-known/jwks.json") in routes


def test_a_path_parameter_is_described(document):
    operation = document["paths"]["/api/classroom/sessions/{session_id}/end"]["post"]
    assert operation["parameters"] == [
        {"name": "session_id", "in": "path", "required": True, "schema": {"type": "string"}}
    ]
    assert {"403", "404", "409"} <= set(operation["responses"])


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_classrooms_since_parameter_is_described(document, method):
    path = "/api/classroom/sessions" if method == "get" else "/api/classroom/sessions/end-students"
    operation = document["paths"][path][method]
    (parameter,) = operation["parameters"]
    assert (parameter["name"], parameter["in"], parameter["required"]) == ("since", "query", False)
    assert {"type": "string", "format": "date-time"} in parameter["schema"]["anyOf"]
    assert "400" in operation["responses"]


@pytest.mark.parametrize(("path", "model"), [("/api/token", LoginIn), ("/api/signup", SignupIn)])
def test_request_bodies_are_the_models_that_validate(document, path, model):
    body = document["paths"][path]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"] == {"$ref": f"#/components/schemas/{model.__name__}"}
    # What a generated client must send: both fields, nothing else.
    schema = document["components"]["schemas"][model.__name__]
    assert set(schema["required"]) == {"username", "password"}
    assert set(schema["properties"]) == {"username", "password"}


def test_the_signup_rules_are_in_the_document(document):
    fields = document["components"]["schemas"]["SignupIn"]["properties"]
    assert fields["username"]["pattern"] == "^[A-Za-z0-9_.-]{3,32}$"
    assert (fields["password"]["minLength"], fields["password"]["maxLength"]) == (8, 128)


def test_error_bodies_are_described(document):
    token = document["paths"]["/api/token"]["post"]["responses"]
    assert set(token) == {"200", "400", "401", "413", "429"}
    for status in ("400", "401", "413", "429"):
        schema = token[status]["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/ErrorOut"}
    assert "Retry-After" in token["429"]["headers"]
    error = document["components"]["schemas"]["ErrorOut"]
    assert error["required"] == ["msg", "error"]
    assert set(error["properties"]) == {"msg", "error", "errors"}


def test_every_error_kind_is_in_the_document(document):
    """A client generated from the document knows every kind the server can answer with."""
    error = document["components"]["schemas"]["ErrorOut"]["properties"]["error"]
    kinds = document["components"]["schemas"][error["$ref"].rpartition("/")[2]]
    assert kinds["enum"] == [kind.value for kind in ErrorKind]
    assert {"token_expired", "session_ended", "key_retired", "bad_credentials"} <= set(
        kinds["enum"]
    )


def test_the_protected_route_asks_for_a_bearer_token(document):
    operation = document["paths"]["/api/protected"]["get"]
    assert operation["security"] == [{"bearerAuth": []}]
    assert "401" in operation["responses"]
    assert document["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "The access token from POST /api/token: `Authorization: Bearer <token>`",
    }
    assert document["paths"]["/api/token"]["post"]["security"] == []


def test_an_undocumented_route_is_refused(make_app):
    app = make_app(schema=None)
    bp = Blueprint("extra", __name__)

    @bp.get("/forgotten")
    def forgotten():
        return {}

    app.register_blueprint(bp, url_prefix="/api")
    with pytest.raises(LookupError, match=r"extra\.forgotten: add @documented"):
        build_openapi(app)


def read(client, path):
    response = client.get(path)
    data = response.get_data(as_text=True)
    response.close()
    return response, data


def test_the_docs_page_loads_swagger_ui_from_this_server(client):
    response, html = read(client, "/api/docs")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    # Only our own files: no CDN, and no inline script the CSP would refuse.
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources == ["docs/swagger-ui.css", "docs/swagger-ui-bundle.js", "docs/init.js"]
    assert "<script>" not in html
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    for source in sources:
        asset, body = read(client, "/api/" + source)
        assert asset.status_code == 200, source
        assert body


@pytest.mark.parametrize("name", ["index.html", "../app/config.py", "swagger-editor.js"])
def test_other_files_are_not_served(client, name):
    assert client.get(f"/api/docs/{name}").status_code == 404


def accepts(model, **fields):
    try:
        model.model_validate(fields)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize(
    "text", ["alice", "Ålice ünicode", "a b", "al\x00ice", "al\tice", "al\x1bice", "al\x85ice"]
)
def test_the_documented_patterns_are_the_rules_that_are_enforced(document, text):
    login = document["components"]["schemas"]["LoginIn"]["properties"]
    documented = re.search(login["username"]["pattern"], text) is not None
    assert documented == accepts(LoginIn, username=text, password="x")
    documented = re.search(login["password"]["pattern"], text) is not None
    assert documented == accepts(LoginIn, username="alice", password=text)


def test_the_refresh_route_asks_for_the_cookie_and_the_csrf_header(document):
    operation = document["paths"]["/api/token/refresh"]["post"]
    assert operation["security"] == [{"refreshCookie": [], "csrfHeader": []}]
    schemes = document["components"]["securitySchemes"]
    assert (schemes["refreshCookie"]["in"], schemes["refreshCookie"]["name"]) == (
        "cookie",
        "refresh_token_cookie",
    )
    assert (schemes["csrfHeader"]["in"], schemes["csrfHeader"]["name"]) == (
        "header",
        "X-CSRF-TOKEN",
    )


@pytest.mark.parametrize("path", ["/api/logout", "/api/password", "/api/lab/tokens"])
def test_the_other_lifecycle_routes_ask_for_a_bearer_token(document, path):
    operation = document["paths"][path]["post"]
    assert operation["security"] == [{"bearerAuth": []}]
    assert "401" in operation["responses"]


def test_the_password_change_body_is_documented_with_the_signup_rule(document):
    fields = document["components"]["schemas"]["PasswordChangeIn"]["properties"]
    assert (fields["new_password"]["minLength"], fields["new_password"]["maxLength"]) == (8, 128)
    assert set(document["paths"]["/api/password"]["post"]["responses"]) == {
        "200",
        "400",
        "401",
        "403",
        "413",
        "429",
    }
