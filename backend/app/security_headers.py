"""Security headers on every response, set in one place (an `after_request` hook).

The lesson's app sent none. These tell the browser what the page may do, so that a bug in our
page (say, an injected <script>) cannot run, load from elsewhere or be framed by another site.
A view that needs something else (the API docs page) sets its own header; we never overwrite it.
"""

from __future__ import annotations

from flask import Flask, Response, current_app

from app.errors import is_api_request


def policy(**directives: str) -> str:
    """Write a Content-Security-Policy: policy(default_src="'self'") -> "default-src 'self'"."""
    return "; ".join(f"{name.replace('_', '-')} {value}" for name, value in directives.items())


def spa_policy(connect_src: list[str]) -> str:
    """The SPA's policy: only our own scripts and styles, no inline code, talk only to the API.

    No 'unsafe-inline' or 'unsafe-eval': an attacker who gets markup into the page still cannot
    run script, which is what would let them read the token in localStorage.
    """
    return policy(
        default_src="'self'",
        script_src="'self'",
        style_src="'self'",
        img_src="'self' data:",
        # 'self' is the API in `make run`; CSP_CONNECT_SRC adds an API served from elsewhere.
        connect_src=" ".join(["'self'", *connect_src]),
        object_src="'none'",
        base_uri="'none'",
        frame_ancestors="'none'",
        form_action="'self'",
    )


# JSON is never a page: nothing in it may load or run, and no site may frame it.
API_POLICY = policy(default_src="'none'", frame_ancestors="'none'")
# Two years, the value browsers' preload lists ask for; only sent in production (HTTPS).
HSTS = "max-age=63072000; includeSubDomains"


def add_security_headers(response: Response) -> Response:
    """Add the headers below to `response` unless the view already chose a value."""
    headers = response.headers
    if is_api_request():
        headers.setdefault("Content-Security-Policy", API_POLICY)
        # API answers are per user (a token, a profile): no cache may keep a copy.
        headers.setdefault("Cache-Control", "no-store")
    else:
        headers.setdefault(
            "Content-Security-Policy", spa_policy(current_app.config["CSP_CONNECT_SRC"])
        )
    headers.setdefault("X-Content-Type-Options", "nosniff")  # a .js is never run as HTML
    headers.setdefault("X-Frame-Options", "DENY")  # frame-ancestors for older browsers
    # Our URLs carry nothing secret today; "no-referrer" keeps it that way by default.
    headers.setdefault("Referrer-Policy", "no-referrer")
    if current_app.config["APP_ENV"] == "production":
        # Browsers then refuse plain http:// for this host: only sensible behind HTTPS.
        headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def register_security_headers(app: Flask) -> None:
    """Run `add_security_headers` on every response of `app` (called by `create_app`)."""
    app.after_request(add_security_headers)
