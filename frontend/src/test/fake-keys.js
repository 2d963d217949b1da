// An in-memory stand-in for the server's signing keys, for msw: real ES256 key pairs (Node's
// WebCrypto, OpenSSL underneath like the server's `cryptography`), tokens really signed with the
// current one, GET /.well-known/jwks.json (public members only), GET /api/keys and the
// teacher's POST /api/classroom/keys/rotate. `fakeSharedSecret()` is the HS256 server, which
// publishes no key.
import { http, HttpResponse } from "msw";
import { base64UrlFromBytes, encodePart } from "../lib/jwt.js";

const ES256 = { name: "ECDSA", namedCurve: "P-256" };
const SIGN = { name: "ECDSA", hash: "SHA-256" };
export const SHARED_SECRET_NOTE =
  "This server signs with HS256: its shared secret is never published.";

/**
 * { handlers, sign(claims) -> token, rotate() -> kid, retire(kid), keys, jwks() }: `keys` is
 * the server's list (kid, alg, state, created_at, and the private key, never served).
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
      kid: `key-${made}`,
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
        .filter((key) => key.state !== "retired")
        .map((key) => ({
          ...key.publicJwk,
          kid: key.kid,
          alg: key.alg,
          use: "sig",
        })),
    };
  }

  function list() {
    return keys.map(({ kid, alg, state, created_at }) => ({
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

  const handlers = [
    http.get("/.well-known/jwks.json", () => HttpResponse.json(jwks())),
    http.get("/api/keys", () => HttpResponse.json({ keys: list() })),
    http.post("/api/classroom/keys/rotate", async () => {
      const kid = await addKey();
      return HttpResponse.json({ kid, keys: list() });
    }),
  ];

  return {
    handlers,
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
