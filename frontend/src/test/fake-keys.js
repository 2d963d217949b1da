// An in-memory stand-in for the server's signing keys, for msw: real ES256 key pairs (Node's
// WebCrypto, OpenSSL underneath like the server's `cryptography`), tokens really signed with the
// current one, GET /.well-known/jwks.json (public members only), GET /api/keys and the
// teacher's POST /api/classroom/keys/rotate. `fakeSharedSecret()` is the HS256 server, which
// publishes no key.
import { http, HttpResponse } from "msw";
import { base64UrlFromBytes, encodePart } from "../lib/jwt.js";

const ES256 = { name: "ECDSA", namedCurve: "P-256" };
export const ISSUER = "jwt-classroom";
export const AUDIENCE = "jwt-classroom-api";
export const UNKNOWN_KID =
  "The token's kid names no signing key of this server";
export const KEY_IN_HEADER =
  "The token's header names a key (jwk, jku, x5u or x5c): this server verifies only with its own keys, chosen by kid";
const SIGN = { name: "ECDSA", hash: "SHA-256" };
export const SHARED_SECRET_NOTE =
  "This server signs with HS256: its shared secret is never published.";

/**
 * { handlers, check(request), sign(claims) -> token, rotate() -> kid, retire(kid), keys, jwks() }:
 * `keys` is the server's list (kid, alg, state, created_at, and the private key, never served);
 * `check` answers a request's Bearer token as the server would (see below).
 */
export async function fakeSigningKeys() {
  const keys = [];
  let made = 0;

  async function addKey() {
    made += 1;
    const pair = await crypto.subtle.generateKey(ES256, true, [
      "sign",
      "verify",
    ]);
    const { kty, crv, x, y } = await crypto.subtle.exportKey(
      "jwk",
      pair.publicKey,
    );
    for (const key of keys)
      if (key.state === "current") key.state = "verify-only";
    const key = {
      // Shaped like the server's kids: the creation date and 8 hex digits.
      kid: `20261208-${String(made).padStart(8, "0")}`,
      alg: "ES256",
      state: "current",
      created_at: new Date(Date.UTC(2026, 11, 8, 9, made)).toISOString(),
      privateKey: pair.privateKey,
      publicJwk: { kty, crv, x, y },
    };
    keys.push(key);
    return key.kid;
  }

  function jwks() {
    return {
      keys: keys
        .toReversed()
        .filter((key) => key.state !== "retired")
        .map((key) => ({
          ...key.publicJwk,
          kid: key.kid,
          alg: key.alg,
          use: "sig",
        })),
    };
  }

  // Newest first, as the server lists them.
  function list() {
    return keys.toReversed().map(({ kid, alg, state, created_at }) => ({
      kid,
      alg,
      state,
      created_at,
    }));
  }

  /** A token signed by the current key (or the key `kid`), as the server makes them. */
  async function sign(
    claims,
    kid = keys.find((k) => k.state === "current").kid,
  ) {
    const key = keys.find((k) => k.kid === kid);
    const signed = `${encodePart({ alg: "ES256", typ: "JWT", kid })}.${encodePart(claims)}`;
    const signature = await crypto.subtle.sign(
      SIGN,
      key.privateKey,
      new TextEncoder().encode(signed),
    );
    return `${signed}.${base64UrlFromBytes(new Uint8Array(signature))}`;
  }

  await addKey();

  const unauthorized = (msg, error = "token_invalid") =>
    HttpResponse.json(
      { msg, error },
      { status: 401, headers: { "WWW-Authenticate": "Bearer" } },
    );

  /**
   * The server's checks of a Bearer token, in its order (backend/app/keys.py decode_key, then
   * the signature, then the claims): the claims, or {response} with the 401.
   */
  async function check(request) {
    const token = request.headers.get("Authorization")?.replace(/^Bearer /, "");
    if (!token)
      return {
        response: unauthorized("Missing Authorization Header", "token_missing"),
      };
    const [h, p, sig] = token.split(".");
    const header = JSON.parse(atob(h.replace(/-/g, "+").replace(/_/g, "/")));
    if (header.alg !== "ES256") {
      return {
        response: unauthorized("The specified alg value is not allowed"),
      };
    }
    if (["jwk", "jku", "x5u", "x5c"].some((name) => name in header)) {
      return { response: unauthorized(KEY_IN_HEADER) };
    }
    const key = keys.find((k) => k.kid === header.kid);
    if (!key) return { response: unauthorized(UNKNOWN_KID) };
    if (key.state === "retired") {
      return {
        response: unauthorized(
          "This token was signed by a key that has been retired; please log in again",
          "key_retired",
        ),
      };
    }
    const publicKey = await crypto.subtle.importKey(
      "jwk",
      key.publicJwk,
      ES256,
      false,
      ["verify"],
    );
    const signature = Uint8Array.from(
      atob(sig.replace(/-/g, "+").replace(/_/g, "/")),
      (c) => c.charCodeAt(0),
    );
    const valid = await crypto.subtle.verify(
      SIGN,
      publicKey,
      signature,
      new TextEncoder().encode(`${h}.${p}`),
    );
    if (!valid)
      return { response: unauthorized("Signature verification failed") };
    const claims = JSON.parse(atob(p.replace(/-/g, "+").replace(/_/g, "/")));
    if (claims.aud !== AUDIENCE)
      return { response: unauthorized("Audience doesn't match") };
    if (claims.iss !== ISSUER)
      return { response: unauthorized("Invalid issuer") };
    return { claims };
  }

  const handlers = [
    http.get("/.well-known/jwks.json", () => HttpResponse.json(jwks())),
    http.get("/api/keys", () =>
      HttpResponse.json({ alg: "ES256", keys: list() }),
    ),
    http.post("/api/classroom/keys/rotate", async () => {
      await addKey();
      return HttpResponse.json({ alg: "ES256", keys: list() });
    }),
  ];

  return {
    handlers,
    check,
    sign,
    rotate: addKey,
    retire(kid) {
      keys.find((k) => k.kid === kid).state = "retired";
    },
    keys,
    jwks,
  };
}

/** The HS256 server: an empty JWKS that says why, and its one key listed. */
export function fakeSharedSecret() {
  return [
    http.get("/.well-known/jwks.json", () =>
      HttpResponse.json({ keys: [], note: SHARED_SECRET_NOTE }),
    ),
    http.get("/api/keys", () =>
      HttpResponse.json({
        keys: [
          {
            kid: "hs-1",
            alg: "HS256",
            state: "current",
            created_at: "2026-12-08T09:00:00Z",
          },
        ],
      }),
    ),
  ];
}
