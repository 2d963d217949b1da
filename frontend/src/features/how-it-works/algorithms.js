// The signing algorithms this app can sign with (its JWT_SIGNING setting picks one), described
// for the pages. The page never assumes which one the server uses: it reads the `alg` of the
// token it shows.

// What each `alg` value means, and where it is defined.
const SIGNATURES = {
  HS256: "an HMAC-SHA256 (RFC 7518 §3.2)",
  ES256: "an ECDSA signature on the P-256 curve with SHA-256 (RFC 7518 §3.4)",
  RS256: "an RSASSA-PKCS1-v1_5 signature with SHA-256 (RFC 7518 §3.3)",
  EdDSA: "an EdDSA signature with Ed25519 (RFC 8037)",
};

/** Whether `alg` is an HMAC: one shared secret both signs and checks. */
export function usesSharedSecret(alg) {
  return typeof alg === "string" && alg.startsWith("HS");
}

/** What the signature of a token with this `alg` is, or null for a value this app never signs with. */
export function signatureKind(alg) {
  return Object.hasOwn(SIGNATURES, alg) ? SIGNATURES[alg] : null;
}
