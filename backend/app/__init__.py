"""JWT Classroom API: the application factory.

`create_app()` builds a configured Flask app. `flask --app app ...` and the server
(`serve.py`) both call it; tests call it with their own settings.
(The lesson made one global `app = Flask(__name__)`; a factory lets each test get a fresh app.)
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

# Importing app.jwt_callbacks registers the JWT callbacks on `jwt`; app.routes holds the views.
from app import cli, errors, jwt_callbacks, keys, rate_limits, security_headers
from app.config import load_settings
from app.extensions import cors, db, jwt, migrate, prepare_sqlite
from app.routes import auth, classroom, lab, meta, private
from app.routes import keys as keys_routes


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Create the app: settings, extensions, JWT wiring, blueprints, errors, CLI."""
    # static_folder=None: the SPA is served by app/spa.py, not by Flask's /static route.
    app = Flask(__name__, static_folder=None)
    app.config.from_mapping(load_settings(config))
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if app.config["PROXY_FIX_X_FOR"]:
        # Behind N trusted proxies, the client is the Nth address from the right in
        # X-Forwarded-For; anything further left was written by the client and is not believed.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_FIX_X_FOR"])

    db.init_app(app)
    with app.app_context():
        prepare_sqlite(db.engine)
    migrate.init_app(app, db)
    jwt.init_app(app)
    keys.init_app(app)
    rate_limits.init_app(app)
    # Only the listed origins may call the API from another origin (the Vite dev server);
    # credentials=True lets the browser send the refresh cookie along, and X-CSRF-TOKEN is the
    # header that proves the caller could read our CSRF cookie (see config.py).
    cors.init_app(
        app,
        resources={r"/api/*": {"origins": app.config["CORS_ORIGINS"]}},
        allow_headers=["Authorization", "Content-Type", "X-CSRF-TOKEN"],
        methods=["GET", "POST"],
        supports_credentials=True,
        # Only answer CORS to requests that are cross-origin (that send an Origin header).
        always_send=False,
        max_age=600,
    )

    jwt_callbacks.refuse_listed_authorization_headers(app)
    errors.refuse_unreadable_requests(app)
    jwt_callbacks.register_jwt_error_handlers(app)
    errors.register_error_handlers(app)
    security_headers.register_security_headers(app)
    cli.register_commands(app)
    app.register_blueprint(auth.bp, url_prefix="/api")
    app.register_blueprint(private.bp, url_prefix="/api")
    app.register_blueprint(lab.bp, url_prefix="/api")
    app.register_blueprint(classroom.bp, url_prefix="/api")
    app.register_blueprint(meta.bp, url_prefix="/api")
    # /.well-known/jwks.json (RFC 8615: at the root), /api/keys and the teacher's rotation.
    app.register_blueprint(keys_routes.bp)
    return app
