"""The grader's checks: what each looks at, why it matters, how to fix it, who does it right.

Every check belongs to one of the lesson's five steps. `api_checks.py` and `browser_checks.py`
run them and record a `Result` for each; `report.py` prints them in this order.
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass, field
from typing import Literal

# The lesson's "How API Authentication works", in its own order.
STEPS = {
    1: "The user writes their username and password on your website",
    2: "The username and password get sent to the backend API",
    3: "The API looks for a user with that username and password",
    4: "The API generates a token for that user and answers 200",
    5: "The front end uses that token for every later request",
}

Status = Literal["pass", "fail", "warn", "skip"]


@dataclass(frozen=True)
class Check:
    """One thing the grader verifies: the text a student reads next to its result."""

    id: str
    step: int
    title: str
    why: str
    fix: str
    # Where JWT Classroom does it right: a file in this repository and a name defined in it.
    reference: tuple[str, str]
    # Warnings never fail a run; a required check that does not pass does.
    required: bool = True


@dataclass
class Result:
    """What happened when a check ran against the app."""

    check: str
    status: Status
    # What was sent, what came back and what it means are named at every call (Result(...,
    # sent=..., observed=...)): three strings in a row are too easy to swap.
    _: KW_ONLY
    sent: str = ""
    observed: str = ""
    # What the grader recognised: the cause, in the student's terms (empty when it passed).
    note: str = ""

    def to_dict(self) -> dict[str, object]:
        """The result with its check's texts, as `--json` writes it."""
        check = CHECKS[self.check]
        return {
            "id": self.check,
            "result": self.status,
            "sent": self.sent,
            "observed": self.observed,
            "note": self.note,
            "step": check.step,
            "title": check.title,
            "required": check.required,
            "why": check.why,
            "fix": check.fix,
            "reference": {"file": check.reference[0], "name": check.reference[1]},
        }


@dataclass(frozen=True)
class SetupProblem:
    """Why the app could not be graded as it runs now, and what the teacher or student changes."""

    problem: str
    fix: str


@dataclass
class Grade:
    """Every result of one run, and why some did not run."""

    api: str
    app: str | None
    results: list[Result] = field(default_factory=list)
    # Set when the app answered 429: the grader stops asking and says so.
    rate_limited: str = ""
    # What the app's pages tried to reach besides APP and API (refused by the grader).
    blocked: list[str] = field(default_factory=list)
    # Set-up problems (an address that does not answer, a page calling another API): the app
    # could not be graded as it is, and nothing about its code is concluded from them.
    setup: list[SetupProblem] = field(default_factory=list)
    # The login body's field names, as the app's own form sends them (or as the options say).
    login_fields: dict[str, str] = field(default_factory=dict)
    # Set when the grade's deadline passed before every check had run.
    deadline_passed: str = ""

    def add(self, result: Result) -> Result:
        self.results.append(result)
        return result

    def failed(self) -> list[Result]:
        """Required checks that did not pass (a skipped one has not passed either)."""
        return [r for r in self.results if CHECKS[r.check].required and r.status in FAILING]

    def counts(self) -> dict[str, int]:
        return {
            s: sum(r.status == s for r in self.results) for s in ("pass", "warn", "fail", "skip")
        }


FAILING = ("fail", "skip")

_CHECKS = [
    # --- step 1: the login form -----------------------------------------------------------
    Check(
        "browser.login_form",
        1,
        "The app has a login form: a username field, a password field and a submit button",
        "Without a form the student's users have no way in; the grader looks for a password "
        "input, the text or email input before it and the button that submits them.",
        'Render a <form> with a text input, an <input type="password"> and a submit button '
        "(give each a <label>); pass LOGIN_PATH if it is not on the first page.",
        ("frontend/src/app/pages/login-page.jsx", "LoginPage"),
    ),
    Check(
        "browser.wrong_password_message",
        1,
        "A wrong password shows a visible message",
        "A person who mistyped must be told so, or they retry blindly and lock themselves out.",
        'Catch the error of the login call and put its message on the page (role="alert"). '
        "Check resp.status (401) before a general `if (!resp.ok) throw`, or the 401 branch "
        "never runs.",
        ("frontend/src/app/pages/login-page.jsx", "LoginPage"),
    ),
    # --- step 2: sent to the API ----------------------------------------------------------
    Check(
        "api.login",
        2,
        "POST to the token route with the right username and password answers 200 and a token",
        "Everything else the front end does starts from this token.",
        "Read username and password from the JSON body, find the user, and return "
        "jsonify(token=create_access_token(identity=str(user.id))), 200.",
        ("backend/app/routes/auth.py", "create_token"),
    ),
    Check(
        "api.cors",
        2,
        "The API lets the app's origin call it (CORS preflight)",
        "When the page and the API are on different origins, the browser asks first (OPTIONS) "
        "and refuses to send the login if the API does not answer with the app's origin.",
        'Use flask-cors with the app\'s origin: CORS(app, origins=["http://localhost:3000"]) '
        '(an explicit list, not "*", once cookies are involved).',
        ("backend/app/extensions.py", "cors"),
    ),
    Check(
        "api.cors_any_origin",
        2,
        "The API does not answer any website's Origin with credentials allowed",
        "Echoing whatever Origin asks, with Access-Control-Allow-Credentials: true, lets pages "
        "of other sites read the API's answers with the user's cookies (a refresh cookie, say).",
        "List the app's origins explicitly: CORS(app, origins=[...], supports_credentials=True) "
        "only for those; never reflect the request's Origin.",
        ("backend/app/extensions.py", "cors"),
    ),
    Check(
        "browser.logs_in",
        2,
        "Submitting the form sends the username and password to the token route and gets 200",
        "This is the lesson's login(): the form is only useful if it reaches the API.",
        'On submit, fetch(API + "/token", {method: "POST", headers: {"Content-Type": '
        '"application/json"}, body: JSON.stringify({username, password})}).',
        ("frontend/src/features/auth/auth-provider.jsx", "AuthProvider"),
    ),
    # --- step 3: the API checks the user ---------------------------------------------------
    Check(
        "api.wrong_password",
        3,
        "A wrong password is refused with 401",
        '401 is what HTTP (and flask-jwt-extended) use for "who are you?"; the front end '
        "relies on it to show the right message.",
        "When the user is missing or the password does not match, return "
        'jsonify(msg="Bad username or password"), 401.',
        ("backend/app/routes/auth.py", "create_token"),
    ),
    Check(
        "api.no_enumeration",
        3,
        "An unknown username gets exactly the same answer as a wrong password",
        "A different answer tells an attacker which usernames exist, so password guesses can be "
        "aimed at real accounts (OWASP Authentication Cheat Sheet).",
        "Answer both failures with the same status and body; check a password hash even when "
        "the user is unknown (a dummy hash), so the timing matches too.",
        ("backend/app/passwords.py", "check_password"),
    ),
    # --- step 4: the token ----------------------------------------------------------------
    Check(
        "api.token_is_jwt",
        4,
        "The token is a JWT: three base64url parts, a header naming the algorithm that signed it",
        "A JWT carries its own signature, which is what lets @jwt_required() trust it without "
        "asking the database who you are.",
        "Create the token with flask-jwt-extended's create_access_token(), not by hand.",
        ("backend/app/routes/auth.py", "create_token"),
    ),
    Check(
        "api.token_field",
        4,
        "The token is in the body's `token` field, as in the lesson",
        "The lesson's front end reads data.token; a different name works only if the front "
        "end agrees.",
        "Return jsonify(token=access_token), or read the field you chose in the front end.",
        ("backend/app/routes/auth.py", "create_token"),
        required=False,
    ),
    Check(
        "api.sub_is_string",
        4,
        "The token's `sub` (the user's identity) is a string",
        "flask-jwt-extended 4.7 (PyJWT 2.10+) refuses a token whose `sub` is a number: every "
        'protected call then answers 422 "Subject must be a string".',
        "create_access_token(identity=str(user.id)), and int(get_jwt_identity()) where you "
        "need the number back.",
        ("backend/app/jwt_callbacks.py", "user_identity"),
    ),
    Check(
        "api.token_expires",
        4,
        "The token has an `exp` (it expires), and lives a day at most",
        "A stolen token without an expiry works forever; short-lived tokens limit the damage.",
        "Keep flask-jwt-extended's default (15 minutes) or set JWT_ACCESS_TOKEN_EXPIRES to a "
        "timedelta; never False.",
        ("backend/app/config.py", "ACCESS_TOKEN_TTL"),
    ),
    Check(
        "api.secret_not_tutorial",
        4,
        "The signing key is not one printed in a tutorial",
        "Anyone who guesses the key can sign a token for any user, admin included: the grader "
        "tries a list of tutorial keys offline against your token's signature.",
        "Read JWT_SECRET_KEY from the environment and make it with "
        'python -c "import secrets; print(secrets.token_urlsafe(48))".',
        ("backend/app/config.py", "check_secret"),
    ),
    Check(
        "api.token_key",
        4,
        "The token's header names its key (`kid`) and sends verifiers to no other site (`jku`)",
        "A `kid` tells a verifier which of the published keys signed the token. A `jku` names "
        "where to fetch keys, a URL whoever writes a token can change: a verifier that follows "
        "it blindly can be sent anywhere (RFC 8725 section 3.10 asks for known locations only).",
        "Put only a `kid` in the header (create_access_token(..., additional_headers={'kid': "
        "KID})) and publish the keys on your API's own origin, at /.well-known/jwks.json.",
        ("backend/app/keys.py", "kid_header"),
        required=False,
    ),
    Check(
        "api.jwks",
        4,
        "The published keys (JWKS) verify the token and hold no private key",
        "A JWKS (RFC 7517) lets other services check your tokens with public keys; a private "
        "member in it (`d`, or `k` for a shared secret) lets anyone sign tokens your API trusts.",
        "Serve only the public members: PyJWT's to_jwk() of the PUBLIC key (private_key."
        "public_key()), with its `kid`; a shared HS256 secret is never published.",
        ("backend/app/keys.py", "jwks"),
    ),
    # --- step 5: the token at work --------------------------------------------------------
    Check(
        "api.protected_ok",
        5,
        "The protected route answers 200 with the token",
        "This is what the token is for: the lesson's GET /protected with Authorization: Bearer.",
        "Decorate the route with @jwt_required() and return the user it finds from "
        "get_jwt_identity().",
        ("backend/app/routes/private.py", "protected"),
    ),
    Check(
        "api.no_token",
        5,
        "The protected route answers 401 without a token",
        "A protected route that answers without a token protects nothing.",
        "Put @jwt_required() on every private route (not @jwt_required(optional=True)).",
        ("backend/app/routes/private.py", "protected"),
    ),
    Check(
        "api.tampered",
        5,
        "A token whose payload was edited (`admin: true`, a day more to live) is refused",
        "The signature is the only thing that stops a user from rewriting their own token: "
        "another `sub`, a role, a longer life.",
        "Let @jwt_required() verify the token; never decode it with verify_signature off. "
        "Register @jwt.invalid_token_loader to answer 401 instead of the default 422.",
        ("backend/app/jwt_callbacks.py", "invalid_token"),
    ),
    Check(
        "api.alg_none",
        5,
        "A token with `alg: none` and no signature is refused",
        "An `alg: none` token is unsigned: accepting it lets anyone write their own token.",
        "Decode only with the algorithm you sign with (flask-jwt-extended's JWT_ALGORITHM); "
        "answer 401 with @jwt.invalid_token_loader.",
        ("backend/app/jwt_callbacks.py", "invalid_token"),
    ),
    Check(
        "api.other_key",
        5,
        "A token signed with another key is refused",
        "Only your server's key may make tokens your server trusts.",
        "Let @jwt_required() check the signature with your JWT_SECRET_KEY; answer 401 with "
        "@jwt.invalid_token_loader.",
        ("backend/app/jwt_callbacks.py", "invalid_token"),
    ),
    Check(
        "api.identity_from_token",
        5,
        "The protected route answers for the token's user, whatever the URL or body says",
        "The token is the proof of who is asking; an identity read from ?user_id= or the body "
        "lets anyone with a token read anyone's data.",
        "Find the user with get_jwt_identity() (or current_user) inside the @jwt_required() "
        "route; never from request.args or request.json.",
        ("backend/app/routes/private.py", "protected"),
    ),
    Check(
        "browser.token_stored",
        5,
        "After logging in, the app keeps its token (localStorage in the lesson)",
        "The token must reach every later request and survive a reload: the lesson keeps it in "
        "localStorage; sessionStorage (one tab), or memory with an HttpOnly refresh cookie "
        "(OWASP's preference), are sound choices too.",
        'localStorage.setItem("jwt-token", data.token) after a successful login.',
        ("frontend/src/api/token-store.js", "setToken"),
    ),
    Check(
        "browser.token_cookie",
        5,
        "No token in a cookie that the page's scripts can read",
        "A cookie is sent by the browser itself on every request to its site (so it needs CSRF "
        "protection), and one without HttpOnly is as open to injected scripts as localStorage.",
        "Keep the access token in localStorage (the lesson) or memory; if a cookie holds a "
        "token, make it HttpOnly, Secure and SameSite (flask-jwt-extended's cookie settings).",
        ("backend/app/lifecycle.py", "set_refresh_cookie"),
        required=False,
    ),
    Check(
        "browser.bearer_sent",
        5,
        "The next API calls carry Authorization: Bearer <a token the API accepts>",
        "@jwt_required() reads the token only from that header, in exactly that form.",
        'headers: {Authorization: "Bearer " + localStorage.getItem("jwt-token")} on every '
        "call to a private route.",
        ("frontend/src/api/client.js", "client"),
    ),
    Check(
        "browser.private_shows_user",
        5,
        "The private page shows who is logged in",
        "It proves the whole chain: form, token, header, @jwt_required(), and back.",
        "After login, fetch the protected route, return its JSON when resp.ok (the lesson's "
        "getMyTasks throws on every path) and render the username.",
        ("frontend/src/app/pages/private-page.jsx", "PrivatePage"),
    ),
    Check(
        "browser.reload_keeps_session",
        5,
        "Reloading the private page keeps the user logged in",
        "A token that only lives in a JavaScript variable is lost on reload: unless an HttpOnly "
        "refresh cookie gets a new one, the user must log in again.",
        "On start, read the token from localStorage and load the user with it (or, with a "
        "refresh cookie, ask for a new token first).",
        ("frontend/src/features/auth/auth-provider.jsx", "AuthProvider"),
    ),
    Check(
        "browser.logout_removes_token",
        5,
        "Logging out removes the token from the browser",
        "A token left in storage still works: the next person at that computer is logged in.",
        'Give the app a Log out button that calls localStorage.removeItem("jwt-token") (and '
        "tells the server, if it can revoke tokens).",
        ("frontend/src/api/token-store.js", "clearToken"),
    ),
    Check(
        "browser.guard",
        5,
        "Without a token, the private page shows nothing private and asks no API with a "
        "missing token",
        "A page without a guard sends `Authorization: Bearer null` and shows whatever comes "
        "back; it should send the visitor to the login page.",
        "Wrap private routes in a guard that redirects to the login page when there is no token.",
        ("frontend/src/features/auth/require-auth.jsx", "RequireAuth"),
    ),
]

CHECKS: dict[str, Check] = {check.id: check for check in _CHECKS}
