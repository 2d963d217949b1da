// One plain sentence per claim, for the token inspector.
import { libraryAnswer, ROLE_CHANGE } from "../../lib/server-facts.js";
import { formatCountdown, localTime } from "../../lib/time.js";
import { signedBy } from "./signing-keys.js";

/** "expires in 14:32" while the token is valid, "expired" once `exp` has passed. */
export function expiryText(exp, nowMs) {
  const left = exp - nowMs / 1000;
  return left > 0 ? `expires in ${formatCountdown(left)}` : "expired";
}

const EXPLAIN = {
  sub: (value) =>
    `Subject: who the token is for, your user id ${JSON.stringify(value)}. It is a string ` +
    `because the JWT standard says so (RFC 7519 §4.1.2). Making a token with a number works, ` +
    `but PyJWT 2.10+ refuses it when the token is checked: flask-jwt-extended's default answer ` +
    `is ${libraryAnswer("integer-sub")}. That is what the lesson's identity=user.id runs into.`,
  exp: (value, nowMs) =>
    `Expiration time: ${localTime(value)} (your local time); the token ${expiryText(value, nowMs)}. ` +
    `After that the server answers 401 "Token has expired", even though the signature is fine.`,
  iat: (value) =>
    `Issued at: ${localTime(value)}, when the server signed the token.`,
  nbf: (value) =>
    `Not before: the server refuses the token before ${localTime(value)}. ` +
    `flask-jwt-extended sets it to the moment of signing, the same as iat.`,
  jti: () =>
    `JWT ID: a random id unique to this token. Logging out puts it on the server's ` +
    `blocklist, so this exact token stops working even before it expires.`,
  type: (value) =>
    `Token type "${value}": an access token opens the API; a refresh token can only ask ` +
    `for a new access token, and the API refuses it anywhere else.`,
  fresh: (value) =>
    value
      ? `Fresh: true, the token comes straight from typing your password, not from a refresh.`
      : `Fresh: false, the token does not prove you typed your password just now (a refreshed token never does); a route that wants that proof refuses it.`,
  iss: (value) =>
    `Issuer: who made the token, ${JSON.stringify(value)}. The server checks it on every ` +
    `request: a token that names another issuer gets 401, even when its signature is good.`,
  aud: (value) =>
    `Audience: who the token is for, ${JSON.stringify(value)}. The server checks it on every ` +
    `request, so a token made for another service gets 401 here and cannot be replayed ` +
    `against this API (RFC 8725 §3.9).`,
  sid: () =>
    `Session id: the login this token belongs to; logging out ends that session and every ` +
    `token issued for it.`,
  role: (value) =>
    `Role ${JSON.stringify(value)}: what you may do. A teacher-only route reads it from the ` +
    `token (403 for anyone else). It is covered by the signature, so editing it gets 401. ` +
    ROLE_CHANGE,
  csrf: () =>
    `CSRF value: flask-jwt-extended puts one in every token, but checks it only when the ` +
    `token arrives in a cookie, and only for the methods in JWT_CSRF_METHODS (POST, PUT, ` +
    `PATCH and DELETE by default): then the same value must come back in the X-CSRF-TOKEN ` +
    `header, which a page that cannot read our cookies cannot do. Here that is the refresh ` +
    `token (a POST); this access token travels in the Authorization header, so its csrf is ` +
    `never checked.`,
};

/** The sentence that explains one claim (`nowMs` drives the countdown in `exp`). */
export function explainClaim(name, value, nowMs = Date.now()) {
  const explain = EXPLAIN[name];
  if (explain) return explain(value, nowMs);
  return `A claim the server added that this page does not explain; it is covered by the signature too.`;
}

// The order a lesson reads them in: who, how long, which token; anything else after.
const CLAIM_ORDER = [
  "sub",
  "exp",
  "iat",
  "nbf",
  "jti",
  "type",
  "iss",
  "aud",
  "fresh",
  "sid",
  "role",
  "csrf",
];

function rank(name) {
  const index = CLAIM_ORDER.indexOf(name);
  return index === -1 ? CLAIM_ORDER.length : index;
}

/** Every claim of a payload with its explanation, known claims first in a teaching order. */
export function explainClaims(payload, nowMs = Date.now()) {
  const names = Object.keys(payload ?? {});
  names.sort((a, b) => rank(a) - rank(b));
  return names.map((name) => ({
    name,
    value: payload[name],
    text: explainClaim(name, payload[name], nowMs),
  }));
}

// What each algorithm is, for the header's alg (RFC 7518 §3.1 lists them; EdDSA is RFC 8037).
const ALGORITHMS = {
  HS256:
    "HMAC with SHA-256 (RFC 7518 §3.2): one secret key both signs and checks, so only the server, which holds it, can check this signature.",
  ES256:
    "ECDSA on the P-256 curve with SHA-256 (RFC 7518 §3.4): the server's private key signs, and the matching public key, which anyone may have, checks.",
  RS256:
    "RSASSA-PKCS1-v1_5 with SHA-256 (RFC 7518 §3.3): the server's private RSA key signs, and the matching public key, which anyone may have, checks.",
  EdDSA:
    "Ed25519 signatures (RFC 8037): the server's private key signs, and the matching public key, which anyone may have, checks.",
};

function explainAlg(alg) {
  const what = ALGORITHMS[alg] ?? "an algorithm this page does not explain.";
  return (
    `Algorithm "${alg}": ${what} The server accepts only the algorithm it signs with, ` +
    `whatever a token says about itself (flask-jwt-extended accepts only its JWT_ALGORITHM by ` +
    `default), so a token that says "none" or names another algorithm is refused.`
  );
}

/**
 * The header's fields, explained in the same way. `keys` (the server's list, GET /api/keys)
 * lets the kid row say which key signed the token.
 */
export function explainHeader(header, keys = null) {
  return Object.entries(header ?? {}).map(([name, value]) => {
    let text = "A header field this page does not explain.";
    if (name === "alg") text = explainAlg(value);
    if (name === "typ") {
      text = `Type "${value}": this string is a JSON Web Token (RFC 7519 §5.1). Not the payload's "type" claim, which says whether it is an access or a refresh token.`;
    }
    if (name === "kid") {
      const by = signedBy(value, keys);
      text =
        `Key ID (RFC 7515 §4.1.4): the name of the key that signed this token, so the ` +
        `server (or anyone with its JWKS) knows which key checks it. A name only: the server ` +
        `looks it up in its own key set.` +
        (by ? ` This one is ${by}.` : "");
    }
    return { name, value, text };
  });
}
