"""Verifiers outside this app check its tokens with the public keys alone, across a rotation.

Two of them, neither sharing code with the server: PyJWT's PyJWKClient (what a Python service
of another team would use) and the browser's own WebCrypto, each fetching
/.well-known/jwks.json from the running server as any client would. The server signs with
JWT_SIGNING's default here (ES256); HS256 publishes no key, so there is nothing to check then.
"""

from __future__ import annotations

import jwt
import pytest
from helpers import api_json
from playwright.sync_api import Page

JWKS_PATH = "/.well-known/jwks.json"
ISSUER = "jwt-classroom"
AUDIENCE = "jwt-classroom-api"


@pytest.fixture(scope="module")
def keys_server(start_server) -> str:
    """A server of its own: rotating keys must not change what the other modules' server does."""
    base_url = start_server()
    status, jwks = api_json(base_url, "GET", JWKS_PATH)
    assert status == 200, jwks
    if not jwks["keys"]:
        pytest.skip(f"JWT_SIGNING=hs256 publishes no public key: {jwks['note']}")
    return base_url


def log_in(base_url: str, username: str, password: str) -> str:
    status, body = api_json(
        base_url, "POST", "/api/token", {"username": username, "password": password}
    )
    assert status == 200, body
    return body["token"]


def rotate(base_url: str) -> list[dict]:
    """The demo teacher presses Rotate on /classroom: the new key list, current key first."""
    teacher = log_in(base_url, "teacher", "teacher1234")
    status, body = api_json(base_url, "POST", "/api/classroom/keys/rotate", {}, token=teacher)
    assert status == 200, body
    return body["keys"]


def verified_by_pyjwt(client: jwt.PyJWKClient, token: str) -> dict:
    key = client.get_signing_key_from_jwt(token)
    return jwt.decode(
        token, key.key, algorithms=[key.algorithm_name], audience=AUDIENCE, issuer=ISSUER
    )


def test_pyjwks_client_verifies_our_tokens_before_and_after_a_rotation(keys_server: str) -> None:
    # cooldown_duration=0: fetch the set again as soon as a kid is unknown. By default PyJWKClient
    # waits 30 s after its last fetch before it does (README, "Rotating keys").
    verifier = jwt.PyJWKClient(keys_server + JWKS_PATH, cooldown_duration=0)
    before = log_in(keys_server, "demo", "demo1234")
    assert verified_by_pyjwt(verifier, before)["type"] == "access"

    new_key = rotate(keys_server)[0]
    after = log_in(keys_server, "demo", "demo1234")

    # The verifier has the old key set cached; the new kid makes it fetch the set again.
    assert jwt.get_unverified_header(after)["kid"] == new_key["kid"]
    assert verified_by_pyjwt(verifier, after)["sub"] == verified_by_pyjwt(verifier, before)["sub"]
    # And the server itself still accepts both: nobody was logged out.
    assert api_json(keys_server, "GET", "/api/protected", token=before)[0] == 200
    assert api_json(keys_server, "GET", "/api/protected", token=after)[0] == 200


def test_a_forged_token_fails_the_outside_verifier_too(keys_server: str) -> None:
    token = log_in(keys_server, "demo", "demo1234")
    header, _payload, signature = token.split(".")
    claims = jwt.decode(token, options={"verify_signature": False})
    forged_payload = jwt.utils.base64url_encode(
        jwt.api_jws.json.dumps({**claims, "sub": "1", "role": "teacher"}).encode()
    ).decode()

    forged = f"{header}.{forged_payload}.{signature}"
    with pytest.raises(jwt.InvalidSignatureError):
        verified_by_pyjwt(jwt.PyJWKClient(keys_server + JWKS_PATH), forged)


# Runs in the page: fetch the JWKS, import the key the token's kid names, verify the signature.
# An ES256 JWS signature is r || s (RFC 7518 section 3.4), the form WebCrypto's ECDSA expects.
VERIFY_IN_BROWSER = """
async ([token, path]) => {
  const [header, payload, signature] = token.split(".");
  const bytes = (part) =>
    Uint8Array.from(atob(part.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
  const { kid, alg } = JSON.parse(new TextDecoder().decode(bytes(header)));
  // The key set as cached (max-age=60), then, for a kid it lacks, asked again: a new key.
  let jwks = await (await fetch(path)).json();
  if (!jwks.keys.some((key) => key.kid === kid)) {
    jwks = await (await fetch(path, { cache: "no-cache" })).json();
  }
  const jwk = jwks.keys.find((key) => key.kid === kid);
  if (!jwk) return `no key ${kid}`;
  const key = await crypto.subtle.importKey(
    "jwk", jwk, { name: "ECDSA", namedCurve: "P-256" }, false, ["verify"]);
  const ok = await crypto.subtle.verify(
    { name: "ECDSA", hash: "SHA-256" }, key, bytes(signature),
    new TextEncoder().encode(`${header}.${payload}`));
  return `${alg} ${ok ? "verified" : "refused"}`;
}
"""


def test_the_browser_verifies_our_tokens_with_webcrypto_across_a_rotation(
    page: Page, keys_server: str
) -> None:
    page.goto(keys_server + "/login")  # a page of the app's origin: localhost, a secure context
    before = log_in(keys_server, "demo", "demo1234")
    assert page.evaluate(VERIFY_IN_BROWSER, [before, JWKS_PATH]) == "ES256 verified"

    rotate(keys_server)
    after = log_in(keys_server, "demo", "demo1234")
    assert page.evaluate(VERIFY_IN_BROWSER, [after, JWKS_PATH]) == "ES256 verified"
    assert page.evaluate(VERIFY_IN_BROWSER, [before, JWKS_PATH]) == "ES256 verified"

    header, payload, signature = after.split(".")
    tampered = f"{header}.{payload[:-2]}AA.{signature}"
    assert page.evaluate(VERIFY_IN_BROWSER, [tampered, JWKS_PATH]) == "ES256 refused"
