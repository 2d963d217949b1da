// Test-only JWTs: real structure (base64url JSON parts), fake signature. Enough for the pages,
// which only ever decode tokens; the server is the one that checks signatures.
import { encodePart } from "../lib/jwt.js";

/** A token for `claims` with an HS256 header and a made-up signature. */
export function makeJwt(claims, signature = "c2lnbmF0dXJlLXg5UWs") {
  return `${encodePart({ alg: "HS256", typ: "JWT" })}.${encodePart(claims)}.${signature}`;
}

/** Claims like the server's access tokens, valid for `ttl` seconds from now. */
export function accessClaims({ sub = "1", ttl = 900, ...rest } = {}) {
  const now = Math.floor(Date.now() / 1000);
  return {
    fresh: false,
    iat: now,
    jti: "6ddb6ab9-cb5f-4afd-b50f-8655839f9ebd",
    type: "access",
    sub,
    nbf: now,
    exp: now + ttl,
    ...rest,
  };
}
