"""Reading, forging and key-guessing JWTs, offline, with PyJWT.

Reading a token needs no key: its header and payload are only base64url-encoded JSON. That is
why the grader can check `sub` and `exp`, build the forgeries a server must refuse, and try the
keys tutorials print against the signature, all without the student's secret.
"""

from __future__ import annotations

import base64
import json
import math
import re
import secrets
import warnings
from pathlib import Path

import jwt

from .target import parse_json

# Three dot-separated base64url parts; the header starts with `{"` encoded (`eyJ`).
JWT_PATTERN = re.compile(r"^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")
TUTORIAL_SECRETS = Path(__file__).with_name("tutorial-secrets.txt")
HMAC_ALGORITHMS = ("HS256", "HS384", "HS512")
# Every algorithm PyJWT signs and verifies with (cryptography installed): HMAC with a shared
# secret, and RSA, RSA-PSS, ECDSA and EdDSA with a key pair. `none` signs nothing.
SIGNING_ALGORITHMS = frozenset(jwt.PyJWS().get_algorithms()) - {"none"}
KEY_PAIR_ALGORITHMS = SIGNING_ALGORITHMS - set(HMAC_ALGORITHMS)
# JWK members that hold a private or secret key (RFC 7518 section 6; `d` of an OKP key is
# RFC 8037's): a key set published for verifiers must hold none of them.
PRIVATE_MEMBERS = ("d", "p", "q", "dp", "dq", "qi", "oth", "k")


class NotAJwt(ValueError):
    """The string is not three base64url parts of JSON."""


def looks_like_jwt(value: object) -> bool:
    """True for a string shaped like a compact JWS (three base64url parts, a JSON header)."""
    return isinstance(value, str) and bool(JWT_PATTERN.match(value))


def b64url_decode(part: str) -> bytes:
    """base64url without padding (RFC 7515 section 2), as JWTs write it."""
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def b64url_encode(data: bytes) -> str:
    """The inverse of `b64url_decode`."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def read(token: object) -> tuple[dict, dict]:
    """The header and payload of a token, WITHOUT checking its signature (anyone can).

    Whatever `token` is, this returns two JSON objects or raises NotAJwt saying why.
    """
    if not isinstance(token, str):
        raise NotAJwt(f"a {type(token).__name__}, not a string")
    parts = token.split(".")
    if len(parts) != 3:
        raise NotAJwt(f"{len(parts)} part(s) separated by dots, not 3")
    try:
        header = parse_json(b64url_decode(parts[0]))
        payload = parse_json(b64url_decode(parts[1]))
    except ValueError as error:  # binascii.Error and UnicodeDecodeError are ValueErrors
        raise NotAJwt(f"a part is not base64url-encoded JSON ({error})") from error
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise NotAJwt("the header or the payload is not a JSON object")
    return header, payload


def number(payload: dict, claim: str) -> float | None:
    """The claim as a finite number (`exp`, `iat`...), or None when it is anything else.

    JSON as Python reads it allows `Infinity`, `NaN` and `1e400` (infinite too): a date claim
    like that is no date, and arithmetic on it would raise.
    """
    value = payload.get(claim)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        value = float(value)
    except OverflowError:  # an integer too large for a float
        return None
    return value if math.isfinite(value) else None


def _json_part(data: dict) -> str:
    return b64url_encode(json.dumps(data, separators=(",", ":")).encode())


def tampered(token: str) -> str:
    """The same token, made an admin's with a day more to live, under its original signature.

    The `sub` stays, so a server that skips the signature still finds the user and answers 200:
    the edit is caught by the signature check or not at all.
    """
    header_part, _payload_part, signature = token.split(".")
    _header, payload = read(token)
    payload["admin"] = True
    if number(payload, "exp") is not None:
        payload["exp"] += 24 * 3600
    return f"{header_part}.{_json_part(payload)}.{signature}"


def unsigned(token: str) -> str:
    """The same payload under `{"alg": "none"}` with an empty signature (RFC 7519 section 6)."""
    _header, payload = read(token)
    return f"{_json_part({'alg': 'none', 'typ': 'JWT'})}.{_json_part(payload)}."


def signed_with_another_key(token: str) -> str:
    """The same header and payload, signed HS256 with a random key the server cannot know."""
    _header, payload = read(token)
    return jwt.encode(payload, secrets.token_bytes(32), algorithm="HS256")


def tutorial_sources() -> dict[str, str]:
    """Each key tutorials and docs print (tutorial-secrets.txt) -> where it comes from."""
    sources: dict[str, str] = {}
    source = "a tutorial"
    for line in TUTORIAL_SECRETS.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            source = line[3:].strip()
        elif line and not line.startswith("#"):
            sources.setdefault(line, source)
    return sources


def tutorial_secrets() -> list[str]:
    """The keys tutorials and docs print, in the file's order."""
    return list(tutorial_sources())


def guess_key(token: str, candidates: list[str] | None = None) -> tuple[str, str] | None:
    """(key, where it comes from) for the candidate that verifies the HMAC signature, or None.

    Only the signature is checked (PyJWS), so an expired token or an integer `sub` do not get in
    the way. Tutorial keys are short, which PyJWT rightly warns about: not here, where guessing
    them is the point.
    """
    header, _payload = read(token)
    algorithm = header.get("alg")
    if algorithm not in HMAC_ALGORITHMS:
        return None
    verifier = jwt.PyJWS()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", jwt.InsecureKeyLengthWarning)
        sources = tutorial_sources()
        for key in sources if candidates is None else candidates:
            try:
                verifier.decode(token, key, algorithms=[algorithm])
            except jwt.InvalidSignatureError:
                continue
            except jwt.PyJWTError:
                return None  # not a signature we can judge (malformed)
            return key, sources.get(key, "a tutorial")
    return None


def private_members(jwk: dict) -> list[str]:
    """The members of a JWK that give its private or secret key away (none for a public key)."""
    return [member for member in PRIVATE_MEMBERS if member in jwk]


def verify_with_jwk(token: str, jwk: dict, algorithm: str) -> None:
    """Check the token's signature with one key of a JWKS, as `algorithm`; claims are not read.

    Raises a jwt.PyJWTError saying why when the key cannot be used or does not verify it.
    """
    jwt.PyJWS().decode(token, jwt.PyJWK(jwk, algorithm=algorithm), algorithms=[algorithm])
