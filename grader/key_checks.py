"""The token's key: the `kid` or `jku` its header names, and the key set (JWKS) the API publishes.

A token signed with a private key (RS256, ES256, EdDSA...) is checked with the public key, which
an API publishes as a JWKS (RFC 7517), usually at /.well-known/jwks.json. The grader fetches one
only from the API's own origin: a `jku` naming another site is reported, never followed (RFC 8725
section 3.10: a URL in a token is its writer's choice, so a verifier allows only known ones).
The fetch is bounded like every request to the student's app (target.send), and the signature is
checked with PyJWT.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import jwt
import requests

from . import tokens
from .checks import Result
from .target import Exchange, Target, origin, send, shorten

WELL_KNOWN_JWKS = "/.well-known/jwks.json"
# Header members that name a URL to fetch keys from (RFC 7515 sections 4.1.2 and 4.1.5).
KEY_URL_MEMBERS = ("jku", "x5u")


def same_origin(url: str, api: str) -> bool:
    """Whether `url` is an absolute http(s) URL on the API's origin (scheme, host and port)."""
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return False
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return False
    return origin(url).lower() == origin(api).lower()


def quoted(value: object) -> str:
    """A value from the token's header as the report shows it: JSON, shortened."""
    return shorten(json.dumps(value, ensure_ascii=False), 40)


def key_set_url(header: dict, target: Target) -> tuple[str, bool]:
    """Where the grader fetches the token's JWKS: its `jku` when that is on the API's origin,
    else the well-known place on the API's origin. The flag says whether the token named it."""
    jku = header.get("jku")
    if isinstance(jku, str) and same_origin(jku, target.api):
        return jku, True
    return origin(target.api) + WELL_KNOWN_JWKS, False


def token_key(header: dict, target: Target) -> Result:
    """api.token_key: the `kid` the header names (reported), and no key URL on another site."""
    for member in KEY_URL_MEMBERS:
        url = header.get(member)
        if url is not None and not (isinstance(url, str) and same_origin(url, target.api)):
            note = (
                f"Your tokens send verifiers to {quoted(url)} ({member}) for their keys, not to "
                f"your API's origin ({origin(target.api)}): the grader did not fetch it. A "
                f"verifier that follows a token's `{member}` blindly fetches whatever URL the "
                "token's writer chose (RFC 8725 section 3.10 asks verifiers to allow only known "
                f"locations). Drop it, and publish your keys at {origin(target.api)}"
                f"{WELL_KNOWN_JWKS}."
            )
            return Result("api.token_key", "warn", observed=f"{member} {quoted(url)}", note=note)
    kid = header.get("kid")
    jku = header.get("jku")
    named = []
    if kid is not None:
        named.append(
            f"Your tokens name their key (kid {quoted(kid)}); a verifier finds the public key "
            "by it."
        )
    if jku is not None:
        named.append(
            f"They name a key set on your API's origin (jku {quoted(jku)}): the grader fetched "
            "the keys there (api.jwks)."
        )
    observed = ", ".join(
        f"{member} {quoted(header[member])}" for member in ("kid", "jku") if member in header
    )
    return Result(
        "api.token_key",
        "pass",
        observed=observed or "no kid or jku in the header",
        note=" ".join(named),
    )


def private_key_result(sent: str, keys: list[dict]) -> Result | None:
    """api.jwks failed when a key of the set gives its private or secret part away."""
    leaks = [(key, tokens.private_members(key)) for key in keys]
    leaks = [(key, members) for key, members in leaks if members]
    if not leaks:
        return None
    key, members = leaks[0]
    name = f"key {quoted(key['kid'])}" if "kid" in key else "a key"
    listed = ", ".join(f"`{member}`" for member in members)
    secret = "the shared secret itself" if members == ["k"] else "a private key"
    note = (
        f"Your JWKS publishes {secret}: {name} has {listed}. Anyone who fetches it can sign "
        "tokens your API accepts. Publish the public key only (to_jwk(private_key.public_key()))"
        ", and make a new key: this one is public now."
    )
    observed = f"{len(leaks)} of {len(keys)} key(s) with private members ({listed} in {name})"
    return Result("api.jwks", "fail", sent=sent, observed=observed, note=note)


def verify_result(token: str, header: dict, sent: str, keys: list[dict]) -> Result:
    """api.jwks for a key-pair token: a key of the set (its `kid`'s) verifies the signature."""
    algorithm = str(header.get("alg"))
    kid = header.get("kid")
    candidates = keys if kid is None else [key for key in keys if key.get("kid") == kid]
    if not candidates:
        kids = ", ".join(quoted(key.get("kid")) for key in keys[:5]) or "no key at all"
        note = (
            f"Your token names key {quoted(kid)}, but the JWKS has no key with that kid (it "
            f"has {kids}): a verifier cannot find the key that checks your tokens."
        )
        return Result("api.jwks", "fail", sent=sent, observed=f"{len(keys)} key(s)", note=note)
    problems = []
    for key in candidates:
        try:
            tokens.verify_with_jwk(token, key, algorithm)
        except jwt.PyJWTError as error:
            problems.append(str(error))
            continue
        except (TypeError, ValueError, KeyError, AttributeError) as error:
            # Key material from the app can be any JSON: a number where text belongs, say.
            problems.append(f"unusable key ({type(error).__name__})")
            continue
        name = f"key {quoted(key['kid'])}" if "kid" in key else "its key"
        observed = f"{name} verifies the token's {algorithm} signature (PyJWT)"
        return Result("api.jwks", "pass", sent=sent, observed=observed)
    note = (
        f"No key of your JWKS verifies the token's {algorithm} signature "
        f"({shorten(problems[-1], 120)}): a service that checks your tokens with it refuses "
        "every one."
    )
    return Result("api.jwks", "fail", sent=sent, observed=f"{len(keys)} key(s)", note=note)


def no_key_set_result(exchange: Exchange, header: dict, named: bool) -> Result:
    """api.jwks when the answer is no key set: nothing published, so nothing wrongly."""
    algorithm = header.get("alg")
    observed = f"no JWKS there (answered {exchange.status})"
    if named:
        note = (
            "Your tokens name this key set (jku), but it answers no JWKS: a verifier that "
            "looks there finds no key."
        )
        return Result("api.jwks", "warn", sent=exchange.sent, observed=observed, note=note)
    if exchange.status == 200 and exchange.cut:
        note = f"The answer was not read whole ({exchange.cut}), so it was not judged."
        return Result("api.jwks", "warn", sent=exchange.sent, observed=observed, note=note)
    note = ""
    if algorithm in tokens.KEY_PAIR_ALGORITHMS:
        note = (
            f"Your tokens are signed with a private key ({algorithm}) and no JWKS is served: a "
            "service that checks them needs your public key some other way (most APIs publish "
            f"it at {WELL_KNOWN_JWKS})."
        )
    return Result("api.jwks", "pass", sent=exchange.sent, observed=observed, note=note)


def jwks(token: str, header: dict, target: Target) -> Result:
    """api.jwks: the key set on the API's origin holds no private key and verifies the token."""
    url, named = key_set_url(header, target)
    sent = f"GET {url}" + (" (the token's jku)" if named else "")
    try:
        exchange = send("GET", url)
    except requests.Timeout:
        note = "The key set did not answer in time, so it was not judged."
        return Result("api.jwks", "warn", sent=sent, observed="no answer", note=note)
    exchange.sent = sent
    body = exchange.json()
    keys = body.get("keys") if isinstance(body, dict) else None
    if exchange.status != 200 or not isinstance(keys, list) or exchange.cut:
        return no_key_set_result(exchange, header, named)
    keys = [key for key in keys if isinstance(key, dict)]
    leaked = private_key_result(sent, keys)
    if leaked is not None:
        return leaked
    algorithm = header.get("alg")
    if algorithm in tokens.KEY_PAIR_ALGORITHMS:
        return verify_result(token, header, sent, keys)
    observed = f"{len(keys)} public key(s), none private"
    if algorithm in tokens.HMAC_ALGORITHMS:
        observed += f"; the token is {algorithm}, whose shared secret is never published"
    return Result("api.jwks", "pass", sent=sent, observed=observed)
