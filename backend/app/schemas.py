"""Request and response bodies, as pydantic models.

The same classes validate requests here and describe the API in
/api/openapi.json, so the documentation cannot drift from the code.

Username rule: surrounding whitespace is stripped, the text is NFKC-normalised (so full-width
letters such as U+FF44 "d" become plain ASCII ones) and lower-cased. The normalised form is what
we store and what we compare, so "Demo", " demo " and "demo" typed in full-width letters are all
the same account and cannot be registered twice. Control characters (NUL, tab, newline...) are
refused anywhere in a username, before any stripping: no form can type them, and PostgreSQL
cannot even store a NUL.

Passwords are taken as typed: any Unicode, spaces included (passphrases are good passwords);
their length is counted in characters, not bytes. Only NUL is refused, and a new password that
is commonly used, the username or the app's own words (common_passwords.py). (passwords.py also
NFKC-normalises them before hashing, so the same password typed on two keyboards matches.)
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    RootModel,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from app.common_passwords import why_refused
from app.demo import is_published_password
from app.errors import ErrorKind

# The `type` of our own validation errors: validation.py shows their message as it is.
OWN_ERROR = "rule"
# The same two rules as patterns, for the JSON schema (/api/openapi.json), so generated clients
# and the fuzzer know them. The validators below run first and give the friendlier message.
NO_CONTROL_CHARACTERS = r"^[^\x00-\x1f\x7f-\x9f]*$"
NO_NUL = r"^[^\x00]*$"


def normalise_username(value: Any) -> Any:
    """Strip, NFKC-normalise and lower-case a username; leave non-strings for type checking."""
    if isinstance(value, str):
        return unicodedata.normalize("NFKC", value).strip().lower()
    return value


def username_input(value: Any) -> Any:
    """Refuse control characters, then normalise (see the module docstring)."""
    if isinstance(value, str) and any(unicodedata.category(c) == "Cc" for c in value):
        raise PydanticCustomError(OWN_ERROR, "Must not contain control characters")
    return normalise_username(value)


def no_nul(value: Any) -> Any:
    """Refuse NUL: C code (and some databases and libraries) would cut the text there."""
    if isinstance(value, str) and "\x00" in value:
        raise PydanticCustomError(OWN_ERROR, "Must not contain the NUL character")
    return value


# A password typed to be checked (login, current password): only "present", and no NUL.
TypedPassword = Annotated[
    str, Field(min_length=1, max_length=1024, pattern=NO_NUL), BeforeValidator(no_nul)
]


def refuse_guessable(password: str, username: str | None) -> str:
    """Raise the field's error for a password nobody should pick (common_passwords.py).

    A demo account may have its own published password (`demo` / `demo1234`), in demo mode only.
    """
    if username is not None and is_published_password(username, password):
        return password
    reason = why_refused(password, username)
    if reason:
        raise PydanticCustomError(OWN_ERROR, reason)
    return password


# A password being chosen (signup, new password): the contract's 8 to 128 characters, no NUL,
# and not a guessable one (checked by the models below, which know the username; the list
# cannot be a JSON-schema pattern, so the description says it).
NewPassword = Annotated[
    str,
    Field(
        min_length=8,
        max_length=128,
        pattern=NO_NUL,
        description="8 to 128 characters; not a commonly used password, the username, or "
        "this app's name or words (400 says which)",
    ),
    BeforeValidator(no_nul),
]


class RequestBody(BaseModel):
    """Base of request bodies: strict types, so 123 is not quietly turned into "123"."""

    model_config = ConfigDict(strict=True, extra="ignore")
    # The 400 "msg", and a message per field for a value of the right type that breaks a rule.
    invalid_message: ClassVar[str] = "Invalid request body"
    field_rules: ClassVar[dict[str, str]] = {}


class LoginIn(RequestBody):
    """POST /api/token. Only "present and a string": login must not reveal the signup rules."""

    # Field before BeforeValidator: the validator runs first, the constraints then check its
    # result (the normalised text), and the constraints appear in the JSON schema.
    username: Annotated[
        str,
        Field(min_length=1, max_length=128, pattern=NO_CONTROL_CHARACTERS),
        BeforeValidator(username_input),
    ]
    password: TypedPassword

    invalid_message: ClassVar[str] = "Invalid login"
    field_rules: ClassVar[dict[str, str]] = {
        "username": "Enter a username (at most 128 characters)",
        "password": "Enter a password (at most 1024 characters)",
    }


class SignupIn(RequestBody):
    """POST /api/signup."""

    username: Annotated[
        str, Field(pattern=r"^[A-Za-z0-9_.-]{3,32}$"), BeforeValidator(username_input)
    ]
    password: NewPassword

    invalid_message: ClassVar[str] = "Invalid signup"
    field_rules: ClassVar[dict[str, str]] = {
        "username": "Use 3 to 32 characters: letters, digits, _ . or -",
        "password": "Use 8 to 128 characters",
    }

    @field_validator("password")
    @classmethod
    def not_guessable(cls, password: str, info: ValidationInfo) -> str:
        """A password nobody should pick, the username included (validated first, if valid)."""
        return refuse_guessable(password, info.data.get("username"))


class PasswordChangeIn(RequestBody):
    """POST /api/password. The new password follows the signup rule."""

    current_password: TypedPassword
    new_password: NewPassword

    invalid_message: ClassVar[str] = "Invalid password change"
    field_rules: ClassVar[dict[str, str]] = {
        "current_password": "Enter your current password",
        "new_password": "Use 8 to 128 characters",
    }

    @field_validator("new_password")
    @classmethod
    def not_guessable(cls, new_password: str) -> str:
        """A password nobody should pick; the view checks the username, which it knows."""
        return refuse_guessable(new_password, None)


SINCE_RULE = "Use an ISO 8601 date and time with a time zone, e.g. 2026-12-07T09:00:00Z"


def moment_input(value: Any) -> Any:
    """An ISO 8601 date and time with a time zone, as UTC; empty text means none."""
    if not isinstance(value, str):
        return value
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError(OWN_ERROR, SINCE_RULE) from None
    if moment.tzinfo is None:  # whose 9 o'clock? the server's and the browser's may differ
        raise PydanticCustomError(OWN_ERROR, SINCE_RULE)
    return moment.astimezone(UTC)


class SinceQuery(RequestBody):
    """The query of the classroom routes: `?since=` limits them to the sessions started since."""

    since: Annotated[AwareDatetime | None, BeforeValidator(moment_input)] = Field(
        default=None,
        description="Only sessions started (logged in) at or after this moment: ISO 8601 with "
        "a time zone, e.g. 2026-12-07T09:00:00Z. Absent: every session",
    )

    invalid_message: ClassVar[str] = "Invalid query"


class TokenOut(BaseModel):
    """Logged in: the access token (the refresh token comes as an HttpOnly cookie, not here)."""

    token: str
    user_id: int
    expires_in: int = Field(description="Seconds until the access token expires")


class RefreshOut(BaseModel):
    """200 from POST /api/token/refresh (the refresh cookie is rotated too)."""

    token: str
    expires_in: int = Field(description="Seconds until the access token expires")


class PasswordChangeOut(RefreshOut):
    """200 from POST /api/password: fresh tokens for this session; the others are revoked."""

    revoked_sessions: int = Field(description="How many other sessions were logged out")


class MessageOut(BaseModel):
    """A plain confirmation, e.g. 200 from POST /api/logout."""

    msg: str


class LabTokensOut(BaseModel):
    """200 from POST /api/lab/tokens: specimens for the tamper lab, each useless on purpose."""

    expired: str = Field(description="An access token for you whose exp is 1 s in the past")
    refresh: str = Field(description="A refresh token no session knows: always refused")
    revoked: str = Field(description="An access token for you, on the blocklist since it was made")
    other_audience: str = Field(
        description="An access token for you, signed by the current key, for another `aud`"
    )
    other_issuer: str = Field(
        description="An access token for you, signed by the current key, from another `iss`"
    )
    other_user_id: int | None = Field(description="Another user's id, to try forging a token")


class ClassSessionOut(BaseModel):
    """One login session, as the teacher's classroom view shows it."""

    id: str
    username: str
    role: Literal["student", "teacher"]
    started_at: AwareDatetime = Field(description="When the user logged in (ISO 8601, UTC)")
    refreshed_at: AwareDatetime | None = Field(description="The last refresh; null if none yet")
    access_expires_at: AwareDatetime | None = Field(
        description="When the session's newest access token expires"
    )
    state: Literal[
        "active", "logged out", "revoked", "reuse detected", "ended by teacher", "expired"
    ]
    yours: bool = Field(description="True for the session of the token that asked")


class ClassSessionsOut(BaseModel):
    """200 from GET /api/classroom/sessions: every active session, then the newest ended ones."""

    sessions: list[ClassSessionOut] = Field(
        description="Every active session (newest first), then the newest ended or expired "
        "sessions started in the last 24 hours (at most 200)"
    )
    active: int = Field(description="How many active sessions are listed (all of them)")
    active_students: int = Field(
        description="How many sessions POST /api/classroom/sessions/end-students with the same "
        "`since` would end now"
    )
    ended: int = Field(description="How many ended or expired sessions the last 24 hours hold")
    ended_shown: int = Field(description="How many of those are listed (the newest)")


class EndedOut(BaseModel):
    """200 from POST /api/classroom/sessions/end-students: how many sessions were ended."""

    ended: int


class UserOut(BaseModel):
    """The public view of a user (never the password hash)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str


class HealthOut(BaseModel):
    """The database answered (200 from GET /api/health)."""

    status: Literal["ok"]


class HealthErrorOut(BaseModel):
    """The database did not answer (503 from GET /api/health)."""

    msg: str
    error: Literal[ErrorKind.DATABASE_UNAVAILABLE]
    status: Literal["error"]


class DemoAccount(BaseModel):
    """A demo login, shown on the login page (public on purpose)."""

    username: str
    password: str
    role: Literal["student", "teacher"]


class DemoOut(BaseModel):
    """Whether demo mode is on, and its accounts (200 from GET /api/demo)."""

    enabled: bool
    accounts: list[DemoAccount] = Field(description="Empty when DEMO_MODE is off")


class OpenAPIOut(RootModel[dict[str, Any]]):
    """The OpenAPI 3.1 document (a JSON object)."""


class ErrorOut(BaseModel):
    """Every error body: a human-readable `msg` (the lesson's key), a machine-readable `error`
    kind, and per-field `errors` on 400."""

    msg: str = Field(description="For people: may be reworded, so never compared by code")
    error: ErrorKind = Field(
        description="What went wrong, for code: branch on this, never on `msg`. A kind not "
        "listed here (a newer server) means what its status means"
    )
    errors: dict[str, str] | None = None


class SigningKeyOut(BaseModel):
    """One signing key, public facts only (never key material)."""

    kid: str = Field(description="The key id, as in the `kid` header of the tokens it signs")
    alg: Literal["HS256", "ES256", "RS256", "EdDSA"]
    state: Literal["current", "verify-only", "retired"] = Field(
        description="current: signs new tokens; verify-only: its tokens are still accepted; "
        "retired: its tokens get 401 (key_retired)"
    )
    created_at: AwareDatetime
    retired_at: AwareDatetime | None = Field(description="When an operator retired it")


class SigningKeysOut(BaseModel):
    """The server's signing keys (200 from GET /api/keys), the current one first."""

    signing: Literal["hs256", "es256", "rs256", "eddsa"] = Field(
        description="JWT_SIGNING: how this server signs tokens"
    )
    alg: Literal["HS256", "ES256", "RS256", "EdDSA"] = Field(
        description="The one algorithm this server signs with and accepts"
    )
    issuer: str = Field(description="The `iss` claim of every token (checked on every request)")
    audience: str = Field(description="The `aud` claim of every token (checked on every request)")
    jwks_uri: str = Field(description="Where the public keys are (empty key list for HS256)")
    refresh_seconds: int = Field(
        description="A rotation or retirement reaches every API process within this many seconds"
    )
    keys: list[SigningKeyOut] = Field(description="Every key, the newest first")


class JwkOut(BaseModel):
    """A public key as a JWK (RFC 7517): EC (crv, x, y), RSA (n, e) or OKP (crv, x)."""

    model_config = ConfigDict(extra="forbid")

    kty: Literal["EC", "RSA", "OKP"]
    kid: str
    alg: Literal["ES256", "RS256", "EdDSA"]
    use: Literal["sig"]
    crv: Literal["P-256", "Ed25519"] | None = None
    x: str | None = None
    y: str | None = None
    n: str | None = None
    e: str | None = None


class JwksOut(BaseModel):
    """The JWK Set (RFC 7517 section 5): the public keys that verify this server's tokens."""

    keys: list[JwkOut]
    note: str | None = Field(
        default=None,
        description="With HS256 only: why no key is listed (a shared secret is never published)",
    )
