"""The API checks: plain HTTP against the student's token and protected routes.

Few requests, in this order: one good login, one wrong password, one unknown user, the protected
route with the real token, without one and with three forgeries, and a CORS preflight or two.
The account's password is never printed.
"""

from __future__ import annotations

import secrets
import time

import requests

from . import tokens
from .checks import CHECKS, Grade, Result
from .target import Exchange, RateLimited, Target, origin, send, shorten

LESSON_422 = "Subject must be a string"
# flask-jwt-extended answers 422 for a token it cannot use (bad signature, wrong algorithm,
# integer `sub`, malformed), unless the app registers its own invalid_token_loader.
DEFAULT_422 = (
    "Refused, but with 422: flask-jwt-extended's default for an invalid token. HTTP and the "
    "lesson's front end expect 401; register @jwt.invalid_token_loader to answer 401."
)
MAX_LIFETIME_S = 24 * 3600
RATE_LIMITED_NOTE = "Not run: the app rate-limited the grader (see the end of the report)."


def credentials_shown(username: str) -> str:
    """The login body as the report shows it: the password never appears."""
    return f'{{"username": "{username}", "password": "(hidden)"}}'


def log_in(target: Target, username: str, password: str) -> Exchange:
    """POST the lesson's login body to the token route."""
    return send(
        "POST",
        target.api_url(target.token_path),
        json_body={"username": username, "password": password},
        shown_body=credentials_shown(username),
    )


def find_token(body: object) -> tuple[str | None, str | None]:
    """(field, token): the lesson's `token` field (JWT or not), else the first holding a JWT."""
    if not isinstance(body, dict):
        return None, None
    if isinstance(body.get("token"), str) and body["token"]:
        return "token", body["token"]
    for field, value in body.items():
        if tokens.looks_like_jwt(value):
            return field, value
    return None, None


def check_login(target: Target, grade: Grade) -> str | None:
    """api.login and api.token_field; returns the token for the checks that need one."""
    exchange = log_in(target, target.username, target.password)
    field, token = find_token(exchange.json())
    note = ""
    if exchange.status == 200 and token:
        grade.add(Result("api.login", "pass", exchange.sent, exchange.observed))
    else:
        if exchange.status == 200:
            note = "200, but the JSON body has no `token` field, nor any field holding a JWT."
        elif exchange.status in (401, 403):
            note = (
                f"The API refused {target.username!r}: create that account first (or check "
                "USERNAME and PASSWORD)."
            )
        elif exchange.status in (404, 405):
            note = (
                f"No POST route at {target.api_url(target.token_path)}: set TOKEN_PATH (and "
                "API) to where your token route is."
            )
        elif exchange.status >= 500:
            note = "The server crashed on a correct login: read its log for the traceback."
        grade.add(Result("api.login", "fail", exchange.sent, exchange.observed, note))
        return None
    if field == "token":
        grade.add(Result("api.token_field", "pass", exchange.sent, f"token in `{field}`"))
    else:
        grade.add(
            Result(
                "api.token_field",
                "warn",
                exchange.sent,
                f"token in `{field}`",
                f"The lesson's front end reads data.token; yours must read data.{field}.",
            )
        )
    return token


def check_token(token: str, grade: Grade) -> bool:
    """api.token_is_jwt, api.sub_is_string, api.token_expires, api.secret_not_tutorial."""
    shown = shorten(token)
    try:
        header, payload = tokens.read(token)
    except tokens.NotAJwt as error:
        grade.add(Result("api.token_is_jwt", "fail", "", shown, f"Not a JWT: {error}."))
        return False
    algorithm = header.get("alg")
    observed = f"header {header}"
    if algorithm in ("HS256", "RS256"):
        grade.add(Result("api.token_is_jwt", "pass", "", observed))
    elif isinstance(algorithm, str) and algorithm.lower() != "none":
        grade.add(
            Result(
                "api.token_is_jwt",
                "warn",
                "",
                observed,
                f"Signed with {algorithm}: valid, but the lesson (and most clients) use HS256.",
            )
        )
    else:
        grade.add(Result("api.token_is_jwt", "fail", "", observed, "The token is not signed."))

    sub = payload.get("sub")
    observed = f"sub = {sub!r} ({type(sub).__name__})"
    if isinstance(sub, str):
        grade.add(Result("api.sub_is_string", "pass", "", observed))
    else:
        note = "No `sub` claim." if sub is None else ""
        if isinstance(sub, int):
            note = (
                "An integer `sub`: the lesson's create_access_token(identity=user.id). "
                f'flask-jwt-extended 4.7 then answers 422 "{LESSON_422}" on every '
                "protected call."
            )
        grade.add(Result("api.sub_is_string", "fail", "", observed, note))

    expires = payload.get("exp")
    if not isinstance(expires, int | float):
        grade.add(
            Result(
                "api.token_expires", "fail", "", f"payload claims {sorted(payload)}", "No `exp`."
            )
        )
    else:
        issued = payload.get("iat")
        start = issued if isinstance(issued, int | float) else time.time()
        lifetime = int(expires - start)
        observed = f"exp - iat = {lifetime} s"
        if lifetime > MAX_LIFETIME_S:
            note = f"It lives {lifetime / 3600:.0f} hours: a stolen token is useful that long."
            grade.add(Result("api.token_expires", "warn", "", observed, note))
        else:
            grade.add(Result("api.token_expires", "pass", "", observed))

    if algorithm in tokens.HMAC_ALGORITHMS:
        tried = len(tokens.tutorial_secrets())
        key = tokens.guess_key(token)
        sent = f"offline: {tried} tutorial keys tried against the {algorithm} signature"
        if key is None:
            grade.add(Result("api.secret_not_tutorial", "pass", sent, "no match"))
        else:
            note = f"The token is signed with {key!r}: anyone can forge tokens for your app."
            grade.add(Result("api.secret_not_tutorial", "fail", sent, f"key {key!r}", note))
    else:
        observed = f"{algorithm}: a key pair, not a shared secret"
        grade.add(Result("api.secret_not_tutorial", "pass", "not applicable", observed))
    return True


def protected(target: Target, token: str | None) -> Exchange:
    """GET the protected route, with `Authorization: Bearer <token>` when there is one."""
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return send("GET", target.api_url(target.protected_path), headers=headers)


def check_protected(target: Target, token: str, grade: Grade) -> None:
    """api.protected_ok with the real token."""
    exchange = protected(target, token)
    body = exchange.json()
    msg = body.get("msg") if isinstance(body, dict) else None
    if exchange.status == 200:
        note = ""
        if target.username not in exchange.text:
            note = "200, but the body does not mention the user: the front end needs it."
        grade.add(Result("api.protected_ok", "pass", exchange.sent, exchange.observed, note))
        return
    note = ""
    if exchange.status == 422 and msg == LESSON_422:
        note = (
            '422 "Subject must be a string": the token\'s `sub` is a number. Use '
            "create_access_token(identity=str(user.id))."
        )
    elif exchange.status in (404, 405):
        note = "No GET route there: set PROTECTED_PATH to your protected route."
    grade.add(Result("api.protected_ok", "fail", exchange.sent, exchange.observed, note))


def judge_refusal(check_id: str, exchange: Exchange, grade: Grade) -> None:
    """A forged or missing token: 401 passes, 422 warns, 2xx or 5xx fails."""
    status = exchange.status
    if status == 401:
        grade.add(Result(check_id, "pass", exchange.sent, exchange.observed))
    elif status == 422 and check_id != "api.no_token":
        grade.add(Result(check_id, "warn", exchange.sent, exchange.observed, DEFAULT_422))
    elif 200 <= status < 300:
        note = "The protected route ACCEPTED it: anyone can get in this way."
        grade.add(Result(check_id, "fail", exchange.sent, exchange.observed, note))
    elif status >= 500:
        note = "The server crashed: a bad token must be a 401, never a 500."
        grade.add(Result(check_id, "fail", exchange.sent, exchange.observed, note))
    else:
        note = f"Refused, but with {status}: a missing or bad token is 401 (RFC 6750)."
        if status == 403:
            note += ' 403 means "I know who you are, and you may not".'
        grade.add(Result(check_id, "warn", exchange.sent, exchange.observed, note))


def check_refusals(target: Target, token: str | None, grade: Grade) -> None:
    """api.no_token, and with a real token to start from: tampered, alg none, another key."""
    judge_refusal("api.no_token", protected(target, None), grade)
    if token is None:
        return
    forgeries = {
        "api.tampered": tokens.tampered,
        "api.alg_none": tokens.unsigned,
        "api.other_key": tokens.signed_with_another_key,
    }
    for check_id, forge in forgeries.items():
        judge_refusal(check_id, protected(target, forge(token)), grade)


def check_failures(target: Target, grade: Grade) -> None:
    """api.wrong_password and api.no_enumeration: two failed logins, nothing more."""
    wrong = log_in(target, target.username, target.password + "-wrong")
    if wrong.status == 401:
        grade.add(Result("api.wrong_password", "pass", wrong.sent, wrong.observed))
    else:
        note = f"Answer 401, not {wrong.status}."
        if wrong.status == 200:
            note = "A WRONG password logged in."
        grade.add(Result("api.wrong_password", "fail", wrong.sent, wrong.observed, note))

    nobody = f"grader_nobody_{secrets.token_hex(4)}"
    unknown = log_in(target, nobody, target.password)
    same = unknown.status == wrong.status and unknown.json() == wrong.json()
    if unknown.json() is None and wrong.json() is None:
        same = unknown.status == wrong.status and unknown.text == wrong.text
    observed = f"unknown user: {unknown.observed} / wrong password: {wrong.observed}"
    if same:
        grade.add(Result("api.no_enumeration", "pass", unknown.sent, observed))
    else:
        note = "The two answers differ, so anyone can test which usernames exist."
        grade.add(Result("api.no_enumeration", "fail", unknown.sent, observed, note))


def check_cors(target: Target, grade: Grade) -> None:
    """api.cors: the preflight a browser on APP's origin sends before the login and the call."""
    if target.app is None:
        return  # no page, no origin to check
    app_origin = origin(target.app)
    if app_origin == origin(target.api):
        observed = f"the app and the API share the origin {app_origin}"
        grade.add(Result("api.cors", "pass", "no preflight needed", observed))
        return
    asks = [
        (target.token_path, "POST", "content-type"),
        (target.protected_path, "GET", "authorization"),
    ]
    for path, method, header in asks:
        exchange = send(
            "OPTIONS",
            target.api_url(path),
            headers={
                "Origin": app_origin,
                "Access-Control-Request-Method": method,
                "Access-Control-Request-Headers": header,
            },
        )
        exchange.sent += f" from Origin: {app_origin} asking {method} with {header}"
        allowed_origin = exchange.headers.get("Access-Control-Allow-Origin", "")
        allowed_headers = exchange.headers.get("Access-Control-Allow-Headers", "").lower()
        observed = (
            f"{exchange.status}, Access-Control-Allow-Origin: {allowed_origin or '(none)'}, "
            f"Access-Control-Allow-Headers: {allowed_headers or '(none)'}"
        )
        origin_ok = allowed_origin in (app_origin, "*")
        header_ok = header in allowed_headers or allowed_headers == "*"
        if not (exchange.status < 400 and origin_ok and header_ok):
            note = f"The browser will refuse to send {method} {path} from {app_origin}."
            grade.add(Result("api.cors", "fail", exchange.sent, observed, note))
            return
    grade.add(Result("api.cors", "pass", exchange.sent, observed))


def run(target: Target, grade: Grade) -> str | None:
    """Every API check, in order; returns the token (for the browser checks to compare)."""
    token = None
    reason = "Not run: it needs a token from the login (see above)."
    try:
        token = check_login(target, grade)
        is_jwt = token is not None and check_token(token, grade)
        if token is not None:
            check_protected(target, token, grade)
        # Forgeries start from a real JWT; without one, only the missing token is tried.
        check_refusals(target, token if is_jwt else None, grade)
        check_failures(target, grade)
        check_cors(target, grade)
    except RateLimited as limited:
        retry = limited.exchange.headers.get("Retry-After")
        grade.rate_limited = (
            f"The app answered 429 to {limited.exchange.sent} (it rate-limits: good). The API "
            "checks after it did not run"
            + (f"; grade again in {retry} s." if retry else "; grade again in a minute.")
        )
    except requests.RequestException as error:
        url = error.request.url if error.request is not None else target.api
        cause = "no answer in time" if isinstance(error, requests.Timeout) else "no connection"
        note = f"Could not reach {url} ({cause}): is the app running there?"
        if not grade.results:
            grade.add(Result("api.login", "fail", url, cause, note))
        reason = f"Not run: the API could not be reached ({cause})."
    api_ids = [
        cid for cid in CHECKS if cid.startswith("api.") and (target.app or cid != "api.cors")
    ]
    skip_missing(grade, api_ids, RATE_LIMITED_NOTE if grade.rate_limited else reason)
    return token


def skip_missing(grade: Grade, ids: list[str], note: str) -> None:
    """A skipped result for each check of `ids` that produced none."""
    done = {r.check for r in grade.results}
    for check_id in ids:
        if check_id not in done:
            grade.add(Result(check_id, "skip", "", "", note))
