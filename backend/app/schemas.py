"""Request and response bodies, as pydantic models.

The same classes validate requests here and (in a later issue) describe the API in
/api/openapi.json, so the documentation cannot drift from the code.

Username rule: surrounding whitespace is stripped, the text is NFKC-normalised (so full-width
letters such as U+FF44 "d" become plain ASCII ones) and lower-cased. The normalised form is what
we store and what we compare, so "Demo", " demo " and "demo" typed in full-width letters are all
the same account and cannot be registered twice.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field


def normalise_username(value: Any) -> Any:
    """Strip, NFKC-normalise and lower-case a username; leave non-strings for type checking."""
    if isinstance(value, str):
        return unicodedata.normalize("NFKC", value).strip().lower()
    return value


class RequestBody(BaseModel):
    """Base of request bodies: strict types, so 123 is not quietly turned into "123"."""

    model_config = ConfigDict(strict=True, extra="ignore")
    # The 400 "msg", and a message per field for a value of the right type that breaks a rule.
    invalid_message: ClassVar[str] = "Invalid request body"
    field_rules: ClassVar[dict[str, str]] = {}


class LoginIn(RequestBody):
    """POST /api/token. Only "present and a string": login must not reveal the signup rules."""

    username: Annotated[
        str, BeforeValidator(normalise_username), Field(min_length=1, max_length=128)
    ]
    password: Annotated[str, Field(min_length=1, max_length=1024)]

    invalid_message: ClassVar[str] = "Invalid login"
    field_rules: ClassVar[dict[str, str]] = {
        "username": "Enter a username (at most 128 characters)",
        "password": "Enter a password (at most 1024 characters)",
    }


class SignupIn(RequestBody):
    """POST /api/signup."""

    username: Annotated[
        str, BeforeValidator(normalise_username), Field(pattern=r"^[A-Za-z0-9_.-]{3,32}$")
    ]
    password: Annotated[str, Field(min_length=8, max_length=128)]

    invalid_message: ClassVar[str] = "Invalid signup"
    field_rules: ClassVar[dict[str, str]] = {
        "username": "Use 3 to 32 characters: letters, digits, _ . or -",
        "password": "Use 8 to 128 characters",
    }


class PasswordChangeIn(RequestBody):
    """POST /api/password. The new password follows the signup rule."""

    current_password: Annotated[str, Field(min_length=1, max_length=1024)]
    new_password: Annotated[str, Field(min_length=8, max_length=128)]

    invalid_message: ClassVar[str] = "Invalid password change"
    field_rules: ClassVar[dict[str, str]] = {
        "current_password": "Enter your current password",
        "new_password": "Use 8 to 128 characters",
    }


class TokenOut(BaseModel):
    """200 from POST /api/token (the refresh token comes as an HttpOnly cookie, not here)."""

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
    other_user_id: int | None = Field(description="Another user's id, to try forging a token")


class UserOut(BaseModel):
    """The public view of a user (never the password hash)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str


class ErrorOut(BaseModel):
    """Every error body: a human-readable `msg` (the lesson's key), per-field `errors` on 400."""

    msg: str
    errors: dict[str, str] | None = None
