"""Rate limits on the routes an attacker would hammer: logging in and signing up.

The lesson had none, so a script could try passwords as fast as the server can hash them.
Flask-Limiter counts requests in RATELIMIT_STORAGE_URI (memory:// for one process; Redis when
several processes must share the counts). The limits are settings (config.py), so a class, a
test or the fuzzer can change them:

- failed logins per username (5/minute): slows guessing one account's password, from any
  number of addresses. Only failures count, so logging in successfully never blocks anyone.
  A wrong current password at POST /api/password counts against the same budget (someone
  holding a stolen token could otherwise guess the password there);
- failed logins per client address (100/minute): slows one machine trying many usernames,
  while a whole classroom behind one NAT address still fits;
- signups per client address (50/hour): enough for a class sharing one address, too few to
  mass-create accounts. Only attempts that cost a password hash count (201 and 409);
- the tamper lab's specimens per login session (30/minute): each call writes a blocklist row,
  and the page asks once per visit.
"""

from __future__ import annotations

import math
import time
from typing import Any

from flask import Flask, Response, current_app
from flask_jwt_extended import current_user, get_jwt
from flask_limiter.errors import RateLimitExceeded
from flask_limiter.util import get_remote_address

from app.errors import json_error
from app.extensions import limiter
from app.schemas import normalise_username
from app.validation import json_object_body


def _setting(name: str) -> Any:
    # Limits are read per request, so each app (each test) can have its own.
    return lambda: current_app.config[name]


def username_key() -> str:
    """The rate-limit key for a login: the username as it will be looked up (normalised).

    "Alice", " alice " and "alice" are one account, so they share one count.
    """
    body = json_object_body()
    username = body.get("username") if body is not None else None
    if not isinstance(username, str):
        username = ""  # an invalid body gets 400, which is never counted anyway
    return f"username:{normalise_username(username)}"


def account_key() -> str:
    """The same key as `username_key`, for a request whose token says who the user is."""
    return f"username:{current_user.username}"


def session_key() -> str:
    """The login session of the token on the request (every login starts a new one)."""
    return f"session:{get_jwt()['sid']}"


def address_key() -> str:
    """The client's address (after ProxyFix, which only believes the proxies we trust)."""
    return f"address:{get_remote_address()}"


def failed_login(response: Response) -> bool:
    """Count a login against the limits only when the credentials were wrong."""
    return response.status_code == 401


def wrong_current_password(response: Response) -> bool:
    """Count a password change only when the current password was wrong (a guess)."""
    body = response.get_json(silent=True) if response.status_code == 400 else None
    return isinstance(body, dict) and "current_password" in (body.get("errors") or {})


def cost_a_hash(response: Response) -> bool:
    """Count a signup that hashed a password: created (201) or name taken (409), not a 400."""
    return response.status_code in (201, 409)


# One budget of password guesses per account, shared by the two places a password is checked:
# a shared limit with one scope counts under the same key ("username:alice") on both routes.
GUESS_SCOPE = "guesses"
login_per_username = limiter.shared_limit(
    _setting("RATELIMIT_LOGIN_PER_USERNAME"),
    scope=GUESS_SCOPE,
    key_func=username_key,
    deduct_when=failed_login,
)
# Below @jwt_required on the view, so the user is known when the key is computed.
password_change_per_account = limiter.shared_limit(
    _setting("RATELIMIT_LOGIN_PER_USERNAME"),
    scope=GUESS_SCOPE,
    key_func=account_key,
    deduct_when=wrong_current_password,
)
login_per_address = limiter.limit(
    _setting("RATELIMIT_LOGIN_PER_ADDRESS"), key_func=address_key, deduct_when=failed_login
)
signup_per_address = limiter.limit(
    _setting("RATELIMIT_SIGNUP_PER_ADDRESS"), key_func=address_key, deduct_when=cost_a_hash
)
# Below @jwt_required on the view, like password_change_per_account: the session is known.
lab_tokens_per_session = limiter.limit(
    _setting("RATELIMIT_LAB_TOKENS_PER_SESSION"), key_func=session_key
)


def retry_after_seconds() -> int:
    """Seconds until the limit that was hit lets a request through again (at least 1)."""
    breached = limiter.current_limit
    if breached is None:
        return 60
    return max(1, math.ceil(breached.window.reset_time - time.time()))


def register_rate_limit_handler(app: Flask) -> None:
    """Answer 429 in the API's error shape, with Retry-After (RFC 9110) in seconds."""

    @app.errorhandler(RateLimitExceeded)
    def too_many_requests(_e: RateLimitExceeded) -> Any:
        seconds = retry_after_seconds()
        return json_error(
            429,
            f"Too many attempts, try again in {seconds} seconds",
            {"Retry-After": str(seconds)},
        )
