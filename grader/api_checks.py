"""The API checks: plain HTTP against the student's token and protected routes.

Few requests: the logins the browser already made are reused (its wrong and right password,
the token the page sends), so a grade makes at most three login requests; then the protected
route with the real token, without one and with three forgeries, with another identity in the
URL, and a CORS preflight or three. The account's password is never printed.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import requests

from . import key_checks, tokens
from .checks import CHECKS, Grade, Result, SetupProblem
from .target import DeadlinePassed, Exchange, RateLimited, Target, origin, send, shorten

LESSON_422 = "Subject must be a string"
# flask-jwt-extended answers 422 for a token it cannot decode or use (bad signature, `alg:
# none`, another algorithm, an integer `sub`, a malformed one) unless the app registers its own
# invalid_token_loader; 401 is for a missing or expired token.
DEFAULT_422 = (
    "Refused, but with 422: flask-jwt-extended's default for an invalid token. RFC 6750 "
    "section 3.1 says 401 (invalid_token); register @jwt.invalid_token_loader to answer 401."
)
MAX_LIFETIME_S = 24 * 3600
RATE_LIMITED_NOTE = "Not run: the app rate-limited the grader (see the end of the report)."
SETUP_NOTE = "Not run: set-up problem (see the top of the report)."
# Names of URL parameters that name a user: a protected route must not believe them.
IDENTITY_PARAMETER = re.compile(
    r"^(user_?id|userid|uid|id|user|username|user_?name|email|owner(_?id)?|account(_?id)?)$",
    re.IGNORECASE,
)
MAX_IDENTITY_TRIES = 4
# An Origin no app uses: an API that echoes it back echoes anyone's.
ANY_ORIGIN = "https://any-site.grader.invalid"


@dataclass
class LoginShape:
    """How the app's login request is written: where it goes, its format and field names."""

    url: str
    format: str = "json"  # or "form" (application/x-www-form-urlencoded)
    username_field: str = "username"
    password_field: str = "password"  # noqa: S105 (a field name)
    extra: dict = field(default_factory=dict)

    def shown(self, username: str) -> str:
        """The body as the report shows it: the password never appears."""
        body = {self.username_field: username, self.password_field: "(hidden)", **self.extra}
        return json.dumps(body) if self.format == "json" else urlencode(body)

    def as_dict(self) -> dict[str, str]:
        return {
            "username": self.username_field,
            "password": self.password_field,
            "format": self.format,
        }


@dataclass
class Seen:
    """What the browser saw of the app's own logins, for the API checks to reuse."""

    shape: LoginShape | None = None
    wrong: Exchange | None = None  # the answer to the form with a wrong password
    right: Exchange | None = None  # the answer to the form with the right password
    token: str | None = None  # the token the page sent and the API accepted
    protected_calls: list[str] = field(default_factory=list)


def log_in(shape: LoginShape, username: str, password: str) -> Exchange:
    """POST a login written the way the app writes it."""
    body = {shape.username_field: username, shape.password_field: password, **shape.extra}
    if shape.format == "form":
        return send("POST", shape.url, form_body=body, shown_body=shape.shown(username))
    return send("POST", shape.url, json_body=body, shown_body=shape.shown(username))


def find_token(body: object) -> tuple[str | None, str | None]:
    """(field, token): the lesson's `token` field (JWT or not), else the first holding a JWT."""
    if not isinstance(body, dict):
        return None, None
    if isinstance(body.get("token"), str) and body["token"]:
        return "token", body["token"]
    for name, value in body.items():
        if tokens.looks_like_jwt(value):
            return str(name), value
    return None, None


def check_login(target: Target, grade: Grade, login: Exchange, seen: Seen | None) -> str | None:
    """api.login and api.token_field; returns the token the login answered with."""
    field_name, token = find_token(login.json())
    if login.status == 200 and token:
        grade.add(Result("api.login", "pass", sent=login.sent, observed=login.observed))
    elif login.status == 200 and seen is not None and seen.token and not login.text:
        observed = "200 (its body was not kept after the page moved on)"
        grade.add(Result("api.login", "pass", sent=login.sent, observed=observed))
        note = "The login's body could not be read, so the field holding the token is unknown."
        grade.add(Result("api.token_field", "skip", sent=login.sent, note=note))
        return seen.token
    else:
        note = ""
        if login.status == 200:
            note = "200, but the JSON body has no `token` field, nor any field holding a JWT."
        elif login.status in (401, 403):
            note = (
                f"The API refused {target.username!r}: create that account first (or check "
                "USERNAME and PASSWORD)."
            )
        elif login.status in (400, 415, 422) and seen is None:
            note = (
                f"The API answered {login.status} to {login.sent.split(' ', 2)[-1]}: if it reads "
                "other field names (email, say), pass USERNAME_FIELD=... (--username-field)."
            )
        elif login.status in (404, 405):
            note = (
                f"No POST route at {login.sent.split()[1]}: set TOKEN_PATH (and API) to where "
                "your token route is."
            )
        elif login.status >= 500:
            note = "The server crashed on a correct login: read its log for the traceback."
        grade.add(Result("api.login", "fail", sent=login.sent, observed=login.observed, note=note))
        return None
    if field_name == "token":
        grade.add(
            Result("api.token_field", "pass", sent=login.sent, observed=f"token in `{field_name}`")
        )
    else:
        grade.add(
            Result(
                "api.token_field",
                "warn",
                sent=login.sent,
                observed=f"token in `{field_name}`",
                note=f"The lesson's front end reads data.token; yours must read data.{field_name}.",
            )
        )
    return token


def check_token(token: str, grade: Grade, protected_status: int | None) -> bool:
    """The checks that read the token itself (step 4); False when it is not a JWT to read."""
    try:
        header, payload = tokens.read(token)
    except tokens.NotAJwt as error:
        note = f"Not a JWT: {error}."
        grade.add(Result("api.token_is_jwt", "fail", observed=shorten(token), note=note))
        return False
    grade.add(token_is_jwt(header))
    grade.add(sub_is_string(payload, protected_status))
    grade.add(token_expires(payload))
    grade.add(secret_not_tutorial(token, header))
    return True


def token_is_jwt(header: dict) -> Result:
    """api.token_is_jwt: the header names an algorithm that signs (HMAC or a key pair)."""
    algorithm = header.get("alg")
    observed = f"header {shorten(json.dumps(header), 60)}"
    if algorithm in tokens.SIGNING_ALGORITHMS:
        return Result("api.token_is_jwt", "pass", observed=observed)
    if isinstance(algorithm, str) and algorithm.lower() != "none":
        note = (
            f"Signed with {algorithm}: not an algorithm of RFC 7518 that PyJWT knows, so most "
            "libraries cannot check it (the lesson uses HS256)."
        )
        return Result("api.token_is_jwt", "warn", observed=observed, note=note)
    return Result("api.token_is_jwt", "fail", observed=observed, note="The token is not signed.")


def sub_is_string(payload: dict, protected_status: int | None) -> Result:
    """api.sub_is_string: the identity is a string, as RFC 7519 and flask-jwt-extended want."""
    sub = payload.get("sub")
    observed = f"sub = {shorten(repr(sub), 40)} ({type(sub).__name__})"
    if isinstance(sub, str):
        return Result("api.sub_is_string", "pass", observed=observed)
    note = "No `sub` claim." if sub is None else ""
    if isinstance(sub, int) and protected_status == 200:
        note = (
            "An integer `sub` (the lesson's create_access_token(identity=user.id)), yet the "
            "protected route accepted it: the app turns the check off (JWT_VERIFY_SUB = "
            "False), which hides the mistake instead of fixing it. RFC 7519 makes `sub` a "
            "string; use identity=str(user.id)."
        )
    elif isinstance(sub, int):
        note = (
            "An integer `sub`: the lesson's create_access_token(identity=user.id). "
            f'flask-jwt-extended 4.7 then answers 422 "{LESSON_422}" on every '
            "protected call."
        )
    return Result("api.sub_is_string", "fail", observed=observed, note=note)


def token_expires(payload: dict) -> Result:
    """api.token_expires: an `exp`, at most MAX_LIFETIME_S after `iat` (or now)."""
    expires = tokens.number(payload, "exp")
    if expires is None:
        note = "No `exp`." if "exp" not in payload else "`exp` is not a finite number."
        observed = f"payload claims {shorten(str(sorted(map(str, payload))), 80)}"
        return Result("api.token_expires", "fail", observed=observed, note=note)
    issued = tokens.number(payload, "iat")
    start = issued if issued is not None else time.time()
    lifetime = int(expires - start)
    observed = f"exp - iat = {lifetime} s"
    if lifetime > MAX_LIFETIME_S:
        note = f"It lives {lifetime / 3600:.0f} hours: a stolen token is useful that long."
        return Result("api.token_expires", "warn", observed=observed, note=note)
    return Result("api.token_expires", "pass", observed=observed)


def secret_not_tutorial(token: str, header: dict) -> Result:
    """api.secret_not_tutorial: the published keys tried offline against an HMAC signature."""
    algorithm = header.get("alg")
    if algorithm not in tokens.HMAC_ALGORITHMS:
        # Only an HMAC key is a shared secret a tutorial could have printed: a key pair's
        # private key never leaves the server, and guessing one is not a thing a list can do.
        hmac = ", ".join(tokens.HMAC_ALGORITHMS)
        if algorithm in tokens.KEY_PAIR_ALGORITHMS:
            observed = f"{algorithm}: signed with a private key, not a shared secret"
            note = (
                f"Not tried: {algorithm} tokens are signed with a private key, which no list of "
                f"published keys can guess; the list is tried against {hmac} signatures only."
            )
        else:
            observed = f"{shorten(json.dumps(algorithm), 40)}: no shared secret named"
            note = f"Not tried: the list is tried against {hmac} signatures only."
        return Result(
            "api.secret_not_tutorial", "pass", sent="not tried", observed=observed, note=note
        )
    sent = f"offline: {len(tokens.tutorial_secrets())} published keys tried against the "
    sent += f"{algorithm} signature"
    guessed = tokens.guess_key(token)
    if guessed is None:
        return Result("api.secret_not_tutorial", "pass", sent=sent, observed="no match")
    key, source = guessed
    note = (
        f"The token is signed with {key!r} ({source}): anyone who read the same page "
        "can forge tokens for your app."
    )
    return Result("api.secret_not_tutorial", "fail", sent=sent, observed=f"key {key!r}", note=note)


def check_key(token: str, target: Target, grade: Grade) -> None:
    """api.token_key and api.jwks: the key the token names, and the API's published keys."""
    header, _payload = tokens.read(token)
    grade.add(key_checks.token_key(header, target))
    grade.add(key_checks.jwks(token, header, target))


def protected(url: str, token: str | None) -> Exchange:
    """GET the protected route, with `Authorization: Bearer <token>` when there is one."""
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return send("GET", url, headers=headers)


def check_protected(target: Target, exchange: Exchange, grade: Grade) -> None:
    """api.protected_ok with the real token."""
    body = exchange.json()
    msg = body.get("msg") if isinstance(body, dict) else None
    if exchange.status == 200:
        note = ""
        if target.username.lower() not in exchange.text.lower():
            note = "200, but the body does not mention the user: the front end needs it."
        grade.add(
            Result(
                "api.protected_ok",
                "pass",
                sent=exchange.sent,
                observed=exchange.observed,
                note=note,
            )
        )
        return
    note = ""
    if exchange.status == 422 and msg == LESSON_422:
        note = (
            '422 "Subject must be a string": the token\'s `sub` is a number. Use '
            "create_access_token(identity=str(user.id))."
        )
    elif exchange.status in (404, 405):
        note = "No GET route there: set PROTECTED_PATH to your protected route."
    grade.add(
        Result(
            "api.protected_ok", "fail", sent=exchange.sent, observed=exchange.observed, note=note
        )
    )


def judge_refusal(check_id: str, exchange: Exchange, grade: Grade) -> None:
    """A forged or missing token: 401 passes, 422 warns, 2xx or 5xx fails."""
    status = exchange.status
    if status == 401:
        grade.add(Result(check_id, "pass", sent=exchange.sent, observed=exchange.observed))
    elif status == 422 and check_id != "api.no_token":
        grade.add(
            Result(
                check_id, "warn", sent=exchange.sent, observed=exchange.observed, note=DEFAULT_422
            )
        )
    elif 200 <= status < 300:
        note = "The protected route ACCEPTED it: anyone can get in this way."
        grade.add(
            Result(check_id, "fail", sent=exchange.sent, observed=exchange.observed, note=note)
        )
    elif status >= 500:
        note = "The server crashed: a bad token must be a 401, never a 500."
        grade.add(
            Result(check_id, "fail", sent=exchange.sent, observed=exchange.observed, note=note)
        )
    else:
        note = f"Refused, but with {status}: a missing or bad token is 401 (RFC 6750)."
        if status == 403:
            note += ' 403 means "I know who you are, and you may not".'
        grade.add(
            Result(check_id, "warn", sent=exchange.sent, observed=exchange.observed, note=note)
        )


def check_refusals(url: str, token: str | None, grade: Grade) -> None:
    """api.no_token, and with a real token to start from: tampered, alg none, another key."""
    judge_refusal("api.no_token", protected(url, None), grade)
    if token is None:
        return
    forgeries = {
        "api.tampered": tokens.tampered,
        "api.alg_none": tokens.unsigned,
        "api.other_key": tokens.signed_with_another_key,
    }
    for check_id, forge in forgeries.items():
        judge_refusal(check_id, protected(url, forge(token)), grade)


def other_identities(value: str, username: str) -> list[str]:
    """Values naming someone else than `value` (a user id or the user's own name)."""
    if value.isdigit():
        number = int(value)
        return [str(number + 1)] + ([str(number - 1)] if number > 1 else [])
    if value.lower() == username.lower():
        return [f"grader_other_{secrets.token_hex(3)}"]
    return []


def with_parameter(url: str, name: str, value: str) -> str:
    """`url` with its query parameter `name` set to `value` (added when missing)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != name]
    return urlunsplit(parts._replace(query=urlencode([*query, (name, value)])))


def identity_probes(url: str, sub: str, username: str) -> list[str]:
    """URLs that name another user than the token's, in the parameters the page itself used."""
    params = parse_qsl(urlsplit(url).query, keep_blank_values=True)
    named = [(k, v) for k, v in params if IDENTITY_PARAMETER.match(k) or v in (sub, username)] or [
        ("user_id", sub if sub.isdigit() else "1")
    ]
    probes = [
        with_parameter(url, name, other)
        for name, value in named
        for other in other_identities(value, username)
    ]
    return probes[:MAX_IDENTITY_TRIES]


def check_identity(url: str, token: str, baseline: Exchange, target: Target, grade: Grade) -> None:
    """api.identity_from_token: another identity in the URL changes nothing."""
    try:
        _header, payload = tokens.read(token)
    except tokens.NotAJwt:
        payload = {}
    sub = str(payload.get("sub", ""))
    knows_user = target.username.lower() in baseline.text.lower()
    for probe in identity_probes(url, sub, target.username):
        answer = protected(probe, token)
        if not 200 <= answer.status < 300:
            continue
        answers_other = (
            target.username.lower() not in answer.text.lower()
            if knows_user
            else answer.text != baseline.text and protected(url, token).text == baseline.text
        )
        if answers_other:
            note = (
                "With the same token and another identity in the URL, the route answered for "
                "someone else: it believes the URL, not the token."
            )
            grade.add(
                Result(
                    "api.identity_from_token",
                    "fail",
                    sent=answer.sent,
                    observed=answer.observed,
                    note=note,
                )
            )
            return
    observed = "the same user whatever the URL says"
    grade.add(
        Result(
            "api.identity_from_token", "pass", sent=f"GET {url} with other ids", observed=observed
        )
    )


def check_failures(
    shape: LoginShape, seen: Seen | None, right: Exchange, target: Target, grade: Grade
) -> None:
    """api.wrong_password and api.no_enumeration: at most two failed logins, one reused."""
    wrong = seen.wrong if seen is not None and seen.wrong is not None else None
    if wrong is None:
        wrong = log_in(shape, target.username, target.password + "-wrong")
    malformed = (
        "400 means the request was malformed (a missing or wrong field), not a wrong password"
    )
    if wrong.status == 401:
        grade.add(Result("api.wrong_password", "pass", sent=wrong.sent, observed=wrong.observed))
    elif wrong.status == 400 and right.status != 200:
        note = (
            f"The API answered 400 to the grader's login body: {malformed}. Pass the field "
            "names your API reads (USERNAME_FIELD=...) to judge it."
        )
        grade.add(
            Result(
                "api.wrong_password", "skip", sent=wrong.sent, observed=wrong.observed, note=note
            )
        )
    else:
        note = "A WRONG password logged in." if wrong.status == 200 else ""
        note = note or f"Answer 401, not {wrong.status}."
        if wrong.status == 400:
            note += f" ({malformed}: the same body with the right password logged in.)"
        grade.add(
            Result(
                "api.wrong_password", "fail", sent=wrong.sent, observed=wrong.observed, note=note
            )
        )

    looks_like_email = "@" in target.username or "mail" in shape.username_field.lower()
    nobody = f"grader_nobody_{secrets.token_hex(4)}"
    name = nobody + ("@example.com" if looks_like_email else "")
    unknown = log_in(shape, name, target.password + "-wrong")
    same = unknown.status == wrong.status and unknown.json() == wrong.json()
    if unknown.json() is None and wrong.json() is None:
        same = unknown.status == wrong.status and unknown.text == wrong.text
    observed = f"unknown user: {unknown.observed} / wrong password: {wrong.observed}"
    if same:
        grade.add(Result("api.no_enumeration", "pass", sent=unknown.sent, observed=observed))
    elif 400 in (unknown.status, wrong.status):
        note = (
            f"One of the two answers is 400 ({malformed}), so the two cannot be compared as "
            "login answers."
        )
        grade.add(
            Result("api.no_enumeration", "warn", sent=unknown.sent, observed=observed, note=note)
        )
    else:
        note = "The two answers differ, so anyone can test which usernames exist."
        grade.add(
            Result("api.no_enumeration", "fail", sent=unknown.sent, observed=observed, note=note)
        )


def preflight(url: str, page_origin: str, method: str, header: str) -> Exchange:
    """The OPTIONS a browser on `page_origin` sends before `method url` with `header`."""
    exchange = send(
        "OPTIONS",
        url,
        headers={
            "Origin": page_origin,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": header,
        },
    )
    exchange.sent += f" from Origin: {page_origin} asking {method} with {header}"
    return exchange


def check_cors(target: Target, login_url: str, protected_url: str, grade: Grade) -> None:
    """api.cors: the preflight a browser on APP's origin sends before the login and the call."""
    if target.app is None:
        return  # no page, no origin to check
    app_origin = origin(target.app)
    if app_origin == origin(target.api):
        observed = f"the app and the API share the origin {app_origin}"
        grade.add(Result("api.cors", "pass", sent="no preflight needed", observed=observed))
        return
    asks = [(login_url, "POST", "content-type"), (protected_url, "GET", "authorization")]
    for url, method, header in asks:
        exchange = preflight(url, app_origin, method, header)
        allowed_origin = exchange.headers.get("Access-Control-Allow-Origin", "")
        allowed_headers = exchange.headers.get("Access-Control-Allow-Headers", "").lower()
        observed = (
            f"{exchange.status}, Access-Control-Allow-Origin: {allowed_origin or '(none)'}, "
            f"Access-Control-Allow-Headers: {allowed_headers or '(none)'}"
        )
        listed = {h.strip() for h in allowed_headers.split(",")}
        origin_ok = allowed_origin in (app_origin, "*")
        note = f"The browser will refuse to send {method} {urlsplit(url).path} from {app_origin}."
        if header == "authorization" and "*" in listed and header not in listed:
            note = (
                "`Access-Control-Allow-Headers: *` does not cover Authorization: the Fetch "
                "standard never lets the wildcard stand for it, so browsers that follow it refuse "
                "the call (Chromium still lets it through for now). List Authorization by name."
            )
            grade.add(Result("api.cors", "fail", sent=exchange.sent, observed=observed, note=note))
            return
        header_ok = header in listed or "*" in listed
        if not (exchange.status < 400 and origin_ok and header_ok):
            grade.add(Result("api.cors", "fail", sent=exchange.sent, observed=observed, note=note))
            return
    grade.add(Result("api.cors", "pass", sent=exchange.sent, observed=observed))


def check_any_origin(url: str, grade: Grade) -> None:
    """api.cors_any_origin: a made-up Origin is not echoed back with credentials allowed."""
    exchange = preflight(url, ANY_ORIGIN, "GET", "authorization")
    allowed = exchange.headers.get("Access-Control-Allow-Origin", "")
    credentials = exchange.headers.get("Access-Control-Allow-Credentials", "").lower()
    observed = (
        f"Access-Control-Allow-Origin: {allowed or '(none)'}, "
        f"Access-Control-Allow-Credentials: {credentials or '(none)'}"
    )
    if allowed == ANY_ORIGIN and credentials == "true":
        note = (
            "The API echoes any Origin and allows credentials: any site the user visits can "
            "call it with the user's cookies and read the answers."
        )
        grade.add(
            Result("api.cors_any_origin", "fail", sent=exchange.sent, observed=observed, note=note)
        )
    else:
        grade.add(Result("api.cors_any_origin", "pass", sent=exchange.sent, observed=observed))


def default_shape(target: Target) -> LoginShape:
    """The login body as the options say (the lesson's {"username", "password"} by default)."""
    return LoginShape(
        target.api_url(target.token_path),
        "json",
        target.username_field or "username",
        target.password_field or "password",
    )


def failed_url(error: requests.RequestException, fallback: str) -> str:
    """The URL a request failed on: requests attaches the request it prepared to the error."""
    sent = error.request
    return sent.url if isinstance(sent, requests.PreparedRequest) and sent.url else fallback


def run(target: Target, grade: Grade, seen: Seen | None = None) -> None:
    """Every API check, reusing what the browser saw (`seen`) when it saw the app log in."""
    shape = seen.shape if seen is not None and seen.shape is not None else default_shape(target)
    if target.username_field or target.password_field:
        shape = LoginShape(
            shape.url,
            shape.format,
            target.username_field or shape.username_field,
            target.password_field or shape.password_field,
            shape.extra,
        )
    grade.login_fields = shape.as_dict()
    reason = "Not run: it needs a token from the login (see above)."
    try:
        right = seen.right if seen is not None and seen.right is not None else None
        if right is None:
            right = log_in(shape, target.username, target.password)
        token = check_login(target, grade, right, seen)
        if seen is not None and seen.token:
            token = seen.token  # the token the page really sends (after a refresh, say)
        protected_url = target.api_url(target.protected_path or "/protected")
        if not target.protected_path and seen is not None and seen.protected_calls:
            protected_url = seen.protected_calls[0]
        baseline = protected(protected_url, token) if token is not None else None
        is_jwt = token is not None and check_token(
            token, grade, baseline.status if baseline else None
        )
        if is_jwt and token is not None:
            check_key(token, target, grade)
        if token is not None and baseline is not None:
            check_protected(target, baseline, grade)
        # Forgeries start from a real JWT; without one, only the missing token is tried.
        check_refusals(protected_url, token if is_jwt else None, grade)
        if token is not None and baseline is not None and baseline.status == 200:
            check_identity(protected_url, token, baseline, target, grade)
        check_failures(shape, seen, right, target, grade)
        check_cors(target, shape.url, protected_url, grade)
        check_any_origin(protected_url, grade)
    except RateLimited as limited:
        retry = limited.exchange.headers.get("Retry-After")
        grade.rate_limited = (
            f"The app answered 429 to {limited.exchange.sent} (it rate-limits: good). The API "
            "checks after it did not run"
            + (f"; grade again in {retry} s." if retry else "; grade again in a minute.")
        )
    except DeadlinePassed:
        grade.deadline_passed = (
            f"The grade's {target.deadline:.0f} s deadline passed during the API checks; the "
            "checks after it did not run."
        )
        reason = "Not run: the grade's deadline passed (see the end of the report)."
    except requests.Timeout as error:
        # An answer that never ends is the app's doing (a loop, a drip): the checks after it
        # are not run, and say why.
        url = failed_url(error, target.api)
        reason = f"Not run: {url} did not answer in time, so the API checks stopped there."
    except requests.RequestException as error:
        url = failed_url(error, target.api)
        grade.setup.append(
            SetupProblem(
                f"The API stopped answering during the grade (no connection to {url}).",
                "Start the API again (and keep it running), then grade again.",
            )
        )
        reason = SETUP_NOTE
    api_ids = [
        cid for cid in CHECKS if cid.startswith("api.") and (target.app or cid != "api.cors")
    ]
    skip_missing(grade, api_ids, RATE_LIMITED_NOTE if grade.rate_limited else reason)


def skip_missing(grade: Grade, ids: list[str], note: str) -> None:
    """A skipped result for each check of `ids` that produced none."""
    done = {r.check for r in grade.results}
    for check_id in ids:
        if check_id not in done:
            grade.add(Result(check_id, "skip", note=note))
