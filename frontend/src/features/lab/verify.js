// Checking a token's signature in this browser, with a public key from the JWKS: what any other
// service can do with an asymmetric key, and nobody can do with an HS256 secret. WebCrypto
// (crypto.subtle) does it where the browser offers it: only in a secure context (https:// or
// localhost). A classroom server on plain http at a LAN address gets no crypto.subtle, so there
// @noble/curves (audited, pure JavaScript) checks ES256 and EdDSA signatures instead, loaded only
// when needed.
import { splitToken } from "../../lib/jwt.js";

// The WebCrypto names for each JWS algorithm (RFC 7518 §3.1; EdDSA: RFC 8037).
const WEBCRYPTO = {
  ES256: {
    key: { name: "ECDSA", namedCurve: "P-256" },
    verify: { name: "ECDSA", hash: "SHA-256" },
  },
  RS256: {
    key: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
    verify: { name: "RSASSA-PKCS1-v1_5" },
  },
  EdDSA: { key: { name: "Ed25519" }, verify: { name: "Ed25519" } },
};

/** The bytes of a base64url string (JWS signatures, JWK members). */
export function bytesFromBase64Url(text) {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

/** Is crypto.subtle here? Only in a secure context (https:// or localhost). */
export function hasWebCrypto() {
  return Boolean(globalThis.crypto?.subtle);
}

async function verifyWithWebCrypto(alg, jwk, signature, signed) {
  const names = WEBCRYPTO[alg];
  const key = await crypto.subtle.importKey("jwk", jwk, names.key, false, [
    "verify",
  ]);
  return crypto.subtle.verify(names.verify, key, signature, signed);
}

async function verifyWithNoble(alg, jwk, signature, signed) {
  if (alg === "ES256") {
    const { p256 } = await import("@noble/curves/nist.js");
    // The uncompressed point: 0x04, then x and y (SEC 1 §2.3.3).
    const x = bytesFromBase64Url(jwk.x);
    const y = bytesFromBase64Url(jwk.y);
    const point = new Uint8Array([4, ...x, ...y]);
    // lowS: false accepts both forms of s, as JWS and WebCrypto do; noble wants the low one by
    // default (a Bitcoin rule), which about half of OpenSSL's signatures are not.
    return p256.verify(signature, signed, point, { lowS: false });
  }
  if (alg === "EdDSA") {
    const { ed25519 } = await import("@noble/curves/ed25519.js");
    return ed25519.verify(signature, signed, bytesFromBase64Url(jwk.x));
  }
  throw new Error(
    `This page has no ${alg} check without WebCrypto, which needs https:// or localhost.`,
  );
}

/**
 * Check `token`'s signature with the public key `jwk` (one entry of a JWKS). Returns
 * {valid, engine}: engine "WebCrypto" or "@noble/curves". Throws when the algorithm is not one
 * this page knows, or the key does not fit it.
 */
export async function verifyToken(token, jwk, alg) {
  if (!WEBCRYPTO[alg]) {
    throw new Error(`This page does not check ${alg} signatures.`);
  }
  const { header, payload, signature } = splitToken(token);
  // What is signed: the first two parts exactly as they travel, joined by their dot.
  const signed = new TextEncoder().encode(`${header}.${payload}`);
  const bytes = bytesFromBase64Url(signature);
  if (hasWebCrypto()) {
    return {
      valid: await verifyWithWebCrypto(alg, jwk, bytes, signed),
      engine: "WebCrypto",
    };
  }
  return {
    valid: await verifyWithNoble(alg, jwk, bytes, signed),
    engine: "@noble/curves",
  };
}
