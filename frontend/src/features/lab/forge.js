// Forged tokens for the tamper lab, built in this browser from the real token. None of them
// can work: the server recomputes the signature with a key that never leaves it. Building them
// here (instead of asking the server) shows that forging is easy to attempt and useless.
import {
  decodeToken,
  encodePart,
  hs256Signature,
  splitToken,
} from "../../lib/jwt.js";

// A key the attacker might guess. The lesson's own example key was "super-secret": a key that
// guessable, or published in a tutorial, would make this attack work. Ours, when the server
// generates it, is 48 random bytes.
export const WRONG_KEY = "not-the-server-key";

/** Same header and signature, but the payload says `sub` is someone else. */
export function withOtherSub(token, sub) {
  const { header, signature } = splitToken(token);
  const { payload } = decodeToken(token);
  // `sub` stays a string: the server would reject a number for another reason (see the inspector).
  return `${header}.${encodePart({ ...payload, sub: String(sub) })}.${signature}`;
}

/** Same header and signature, but the payload's claim `name` says `value`. */
export function withClaim(token, name, value) {
  const { header, signature } = splitToken(token);
  const { payload } = decodeToken(token);
  return `${header}.${encodePart({ ...payload, [name]: value })}.${signature}`;
}

/** Same header and signature, but the payload's `role` claim says "teacher". */
export function withRole(token, role) {
  return withClaim(token, "role", role);
}

/** The classic "alg: none" attack: claim the token is unsigned and drop the signature. */
export function withAlgNone(token) {
  const { payload } = splitToken(token);
  return `${encodePart({ alg: "none", typ: "JWT" })}.${payload}.`;
}

/** The same header and payload, signed HS256 with another key (lib/jwt.js hs256Signature). */
export async function signedWithKey(token, key = WRONG_KEY) {
  const { header, payload } = splitToken(token);
  return `${header}.${payload}.${hs256Signature(token, key)}`;
}
