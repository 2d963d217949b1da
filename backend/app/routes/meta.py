"""About the service itself: is it healthy, is it in demo mode, and its documentation."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, current_app, jsonify, send_from_directory
from sqlalchemy.exc import SQLAlchemyError

from app.demo import listed_accounts
from app.errors import ErrorKind
from app.extensions import db
from app.openapi import build_openapi, documented
from app.schemas import DemoOut, HealthErrorOut, HealthOut, OpenAPIOut
from app.security_headers import spa_policy

bp = Blueprint("meta", __name__)

DOCS_DIR = Path(__file__).resolve().parent.parent / "docs"
# Swagger UI's own built files, from the swagger-ui-py package (installed, not from a CDN).
SWAGGER_UI_DIR = Path(str(files("swagger_ui") / "static"))
SWAGGER_UI_FILES = {"swagger-ui-bundle.js", "swagger-ui.css"}


@bp.get("/health")
@documented({200: HealthOut, 503: HealthErrorOut}, tags=["meta"])
def health() -> Any:
    """200 when the database answers a query, 503 when it does not (for load balancers)."""
    try:
        db.session.execute(db.select(1))
    except SQLAlchemyError:
        current_app.logger.exception("Health check: the database did not answer")
        db.session.rollback()
        # HealthErrorOut: the error shape, plus the `status` of the 200's body.
        error = ErrorKind.DATABASE_UNAVAILABLE
        return jsonify(msg="Database unavailable", error=error, status="error"), 503
    return jsonify(status="ok")


@bp.get("/demo")
@documented({200: DemoOut}, tags=["meta"])
def demo() -> Any:
    """Whether demo mode is on, and the demo accounts to show on the login page if it is."""
    enabled = current_app.config["DEMO_MODE"]
    return jsonify(enabled=enabled, accounts=listed_accounts() if enabled else [])


@bp.get("/openapi.json")
@documented({200: OpenAPIOut}, tags=["meta"])
def openapi() -> Any:
    """This API described as OpenAPI 3.1, generated from the schemas that validate requests."""
    return jsonify(build_openapi(current_app))


@bp.get("/docs")
@documented({200: "Swagger UI (an HTML page)"}, tags=["meta"])
def docs() -> Any:
    """Interactive documentation: Swagger UI reading /api/openapi.json."""
    response = send_from_directory(DOCS_DIR, "index.html", max_age=0)
    # The docs page is a page: it gets the SPA's strict policy, not the API's "load nothing".
    response.headers["Content-Security-Policy"] = spa_policy([])
    return response


@bp.get("/docs/<name>")
def docs_file(name: str) -> Any:
    """The docs page's script and styles (not part of the API, so not in the document)."""
    if name == "init.js":
        return send_from_directory(DOCS_DIR, name, max_age=0)
    if name in SWAGGER_UI_FILES:
        return send_from_directory(SWAGGER_UI_DIR, name, max_age=3600)
    abort(404)
