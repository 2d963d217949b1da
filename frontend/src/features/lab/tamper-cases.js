// The Tamper lab's experiments: how each token is made, what was changed, what the server
// should answer and why. Each `prepare` gets {token, labTokens, publicKey} (publicKey(): the
// JWKS entry for the token's kid, as {jwk}, or {msg} / {} when there is none) and returns the token to send
// (null = no Authorization header) and a description of the change, or {unavailable}. The
// request is GET `path` (GET /api/protected unless the experiment names another route).
import { decodeToken } from "../../lib/jwt.js";
import { API } from "../../lib/paths.js";
import { libraryAnswer } from "../../lib/server-facts.js";
import { localTime } from "../../lib/time.js";
import {
  withAlgNone,
  withClaim,
  withOtherSub,
  withRole,
  signedWithKey,
  WRONG_KEY,
} from "./forge.js";
import {
  attackerKey,
  publicKeyPem,
  signedWithKeyOf,
  signedWithPublicKeyAsSecret,
  withHeader,
  withHeaderSignedWithEmptyKey,
} from "./forge-keys.js";

// Any other id will do: the point is that the signature no longer matches, whoever it names.
function guessOtherId(sub) {
  return sub === "1" ? "2" : "1";
}

// Said instead of a status when the server cannot hand out the specimen this experiment needs.
function labTokensMissing(labTokens) {
  if (labTokens.status === 404) {
    return (
      "This server has no POST /api/lab/tokens (404 Not Found), so it cannot hand out " +
      "the token this experiment needs."
    );
  }
  return `Could not get the lab's tokens from the server: ${labTokens.msg}`;
}

// A `prepare` for an experiment that sends a token only the server can make: the lab's
// specimen `key` ("expired", "refresh", "revoked"), with `describe(payload)` saying what it is.
function fromServer(key, describe) {
  return async ({ labTokens }) => {
    const tokens = await labTokens();
    if (!tokens.data) return { unavailable: labTokensMissing(tokens) };
    const token = tokens.data[key];
    if (!token) {
      return {
        unavailable: `This server's POST /api/lab/tokens hands out no ${key} token.`,
      };
    }
    return { token, changed: describe(decodeToken(token).payload) };
  };
}

export const TAMPER_CASES = [
  {
    id: "sub",
    title: "1. Pretend to be another user",
    button: "Change sub",
    expected: 401,
    async prepare({ token, labTokens }) {
      const { payload } = decodeToken(token);
      const tokens = await labTokens();
      const other = String(
        tokens.data?.other_user_id ?? guessOtherId(payload.sub),
      );
      return {
        token: withOtherSub(token, other),
        changed: `sub "${payload.sub}" changed to "${other}" in the payload; header and signature kept.`,
      };
    },
    why:
      "The server recomputes HMAC-SHA256 over the header and the new payload with its key. " +
      "The result no longer matches the old signature: one changed character changes the whole " +
      "signature. So it answers 401 before it even looks at who sub names (flask-jwt-extended's " +
      `default answer would be ${libraryAnswer("edited")}).`,
  },
  {
    id: "none",
    title: '2. Claim the token is unsigned ("alg": "none")',
    button: "Use alg none",
    expected: 401,
    async prepare({ token }) {
      return {
        token: withAlgNone(token),
        changed:
          'Header replaced by {"alg": "none", "typ": "JWT"}; signature removed.',
      };
    },
    why:
      'Some early JWT libraries believed the header and skipped the check when it said "none" ' +
      "(RFC 8725 §2.1). This server accepts HS256 only, whatever a token says about itself. So " +
      "did the lesson's set-up: flask-jwt-extended accepts only its JWT_ALGORITHM (HS256) by " +
      `default, and answers ${libraryAnswer("alg-none")} where this app answers 401.`,
  },
  {
    id: "key",
    title: "3. Sign it with a key of your own",
    button: "Sign with another key",
    expected: 401,
    async prepare({ token }) {
      return {
        token: await signedWithKey(token),
        changed: `Header and payload kept; signature recomputed in this browser with the key "${WRONG_KEY}".`,
      };
    },
    why:
      "A correct HMAC, but with the wrong key. Without the server's key nobody can make a " +
      'signature it accepts: that is why the key must be random and secret (the lesson\'s "super-secret" is neither). ' +
      `flask-jwt-extended's default answer would be ${libraryAnswer("other-key")}.`,
  },
  {
    id: "expired",
    title: "4. Send a token that has expired",
    button: "Send expired token",
    expected: 401,
    prepare: fromServer(
      "expired",
      (payload) =>
        `A genuine token of yours from the server, whose exp (${localTime(payload.exp)}) has passed.`,
    ),
    why:
      "The signature is genuine: the server made this token. But exp is in the past, and a good " +
      "signature does not make an old token valid. Outside the lab, the app would now refresh " +
      "the token or ask you to log in again.",
  },
  {
    id: "missing",
    title: "5. Send no token at all",
    button: "Send no header",
    expected: 401,
    async prepare() {
      return { token: null, changed: "No Authorization header at all." };
    },
    why:
      "@jwt_required() refuses the request before the view runs. The lesson's frontend checked " +
      `for 403 here; the answer is 401, from flask-jwt-extended's defaults (${libraryAnswer("missing")}) as from this app. ` +
      "This app adds WWW-Authenticate: Bearer, which names the scheme to use and, as RFC 6750 §3 " +
      "asks when no token was sent, no error code; the body's msg says what is missing.",
  },
  {
    id: "refresh",
    title: "6. Use a refresh token as an access token",
    button: "Send refresh token",
    expected: 401,
    prepare: fromServer(
      "refresh",
      () =>
        'A genuine refresh token (claim type "refresh") where an access token belongs.',
    ),
    why:
      'A refresh token is signed with the same key, but its type claim says "refresh". The API ' +
      "takes it only at /api/token/refresh, so a refresh token cannot be used to read data " +
      `(flask-jwt-extended's default answer is ${libraryAnswer("refresh")}).`,
  },
  {
    id: "revoked",
    title: "7. Send a token that has been revoked",
    button: "Send revoked token",
    expected: 401,
    prepare: fromServer(
      "revoked",
      (payload) =>
        `A genuine token of yours, valid until ${localTime(payload.exp)}, whose jti the server put on its blocklist the moment it made it, as logging out does.`,
    ),
    why:
      "Signature, exp and type are all fine: a token cannot take itself back. So on every " +
      "request the server also looks up the token's jti in a blocklist, which logging out " +
      "writes to: the one database query a token check costs. The lesson's app had no " +
      "logout, so a stolen token worked until it expired.",
  },
  {
    id: "real",
    title: "8. Send your real token",
    button: "Send real token",
    expected: 200,
    async prepare({ token }) {
      return {
        token,
        changed: "Nothing: your real token, exactly as the app sends it.",
      };
    },
    why:
      "The signature matches, exp is in the future, the type is access and the user exists: the " +
      "server answers with who you are.",
  },
  {
    id: "role",
    title: "9. Make yourself a teacher",
    button: "Change role",
    expected: 401,
    path: API.classroomSessions,
    async prepare({ token }) {
      const { payload } = decodeToken(token);
      if (payload.role === "teacher") {
        return {
          unavailable:
            "Your token already says you are a teacher: log in as a student to try this one.",
        };
      }
      const was =
        payload.role === undefined
          ? "No role claim; one was added"
          : `role "${payload.role}" changed to "teacher"`;
      return {
        token: withRole(token, "teacher"),
        changed: `${was} in the payload, to open the teacher's classroom view; header and signature kept.`,
      };
    },
    why:
      "The role claim is part of the signed payload, so editing it breaks the signature like " +
      "any other change: the server answers 401 before it even reads the role. With your real " +
      "token this route answers 403 (you are logged in, but not a teacher); the forged one " +
      "never gets that far. That is why a teacher-only route can trust the claim: nobody " +
      "without the server's key can change it (flask-jwt-extended's default answer would be " +
      `${libraryAnswer("edited")}).`,
  },
];

// --- The attacks that come with keys ----------------------------------------------------------

// Where the jku experiment says the attacker's key set lives (.example is reserved, RFC 2606).
export const ATTACKER_JKU = "https://attacker.example/jwks.json";
export const PATH_KID = "../../../dev/null";
// Shaped like this server's kids (a date and 8 hex digits), but no key has it.
export const UNKNOWN_KID = "20000101-00000000";
export const OTHER_AUDIENCE = "another-api";
export const OTHER_ISSUER = "https://issuer.example";

function noPublicKey(jwks) {
  if (jwks.msg) return `Could not fetch the JWKS: ${jwks.msg}`;
  return (
    "This server signs with HS256 and publishes no public key (its JWKS is empty), so there " +
    "is nothing to confuse it with: the attack needs an asymmetric key (JWT_SIGNING=es256, " +
    "rs256 or eddsa)."
  );
}

// A `prepare` for a claim that only the server can sign: its lab specimen `key` if it hands one
// out, else the claim edited in the payload (which the signature check refuses first).
function otherClaim(claim, specimen, value) {
  return async ({ token, labTokens }) => {
    const tokens = await labTokens();
    const genuine = tokens.data?.[specimen];
    if (genuine) {
      const was = decodeToken(genuine).payload[claim];
      return {
        token: genuine,
        changed: `A genuine token from this server, signed by its current key, whose ${claim} is ${JSON.stringify(was)}.`,
      };
    }
    const { payload } = decodeToken(token);
    return {
      token: withClaim(token, claim, value),
      changed:
        `${claim} ${JSON.stringify(payload[claim])} changed to ${JSON.stringify(value)} in the ` +
        "payload; header and signature kept. Only the server can sign a token, so this one also " +
        "fails the signature check, which comes first.",
    };
  };
}

/**
 * prepare() for an attack signed by a key pair made in this browser: `forge(header, key)` is
 * the header the attacker sends, `describe(header)` what changed. Making a key needs WebCrypto.
 */
function signedByAttacker(forge, describe) {
  return async ({ token }) => {
    const { header } = decodeToken(token);
    const key = await attackerKey(header.alg);
    if (!key) {
      return {
        unavailable: `Making an ${header.alg} key needs WebCrypto, which this page lacks (it is not https:// or localhost).`,
      };
    }
    return {
      token: await signedWithKeyOf(key, forge(header, key), token),
      changed: describe(header),
    };
  };
}

export const KEY_CASES = [
  {
    id: "confusion",
    title: "10. Sign HS256 with the public key (algorithm confusion)",
    button: "Sign with the public key",
    expected: 401,
    async prepare({ token, publicKey }) {
      const found = await publicKey();
      if (!found.jwk) return { unavailable: noPublicKey(found) };
      const secret = await publicKeyPem(found.jwk);
      if (!secret) {
        return {
          unavailable:
            "Turning an RSA key into PEM text needs WebCrypto, which this page lacks (it is not https:// or localhost).",
        };
      }
      return {
        token: signedWithPublicKeyAsSecret(token, secret),
        changed:
          `Header says "alg": "HS256"; the signature is an HMAC-SHA256 whose secret is the ` +
          `public key of kid ${JSON.stringify(found.jwk.kid)} from the JWKS, as PEM text.`,
      };
    },
    why:
      "RFC 8725 §2.1 tells of libraries that took the algorithm from the header: told HS256, " +
      "they checked an HMAC with the server's public key as the secret. A public key is public " +
      "(this one is in the JWKS), so anyone could sign. This server accepts only the algorithm " +
      "it signs with, and refuses any other before it even chooses a key (RFC 8725 §3.1).",
  },
  {
    id: "jwk",
    title: "11. Bring your own key in the header (jwk)",
    button: "Embed a jwk",
    expected: 401,
    prepare: signedByAttacker(
      (header, key) => ({ ...header, jwk: key.jwk }),
      (header) =>
        `A key pair made in this browser: its public key put in the header as "jwk", its private key signed the token (${header.alg}, kid kept).`,
    ),
    why:
      'A "jwk" header (RFC 7515 §4.1.3) carries the public key that matches the signature. A ' +
      "verifier that used it would check the attacker's signature with the attacker's own key, " +
      "and pass: Cisco's node-jose did (CVE-2018-0114). This server chooses the key only by kid, " +
      "from its own key set, and refuses any token whose header carries or points to a key " +
      "(jwk, jku, x5u, x5c).",
  },
  {
    id: "jku",
    title: "12. Point jku at your own key set",
    button: "Add a jku",
    expected: 401,
    prepare: signedByAttacker(
      (header) => ({ ...header, jku: ATTACKER_JKU, kid: "attacker-key" }),
      () =>
        `Header gets "jku": "${ATTACKER_JKU}" and kid "attacker-key"; signed with a key made in this browser, whose public half that address would serve.`,
    ),
    why:
      '"jku" (RFC 7515 §4.1.2) is the address of a key set. A verifier that fetched it would ' +
      "check the token with the attacker's keys, and every such token would make the server " +
      "send a request wherever the attacker likes (server-side request forgery, RFC 8725 " +
      "§3.10). This server never fetches an address a token names: its keys come from its own " +
      "database, and a header with jku, jwk, x5u or x5c is refused.",
  },
  {
    id: "kid-path",
    title: "13. Put a path in kid",
    button: "Use a path as kid",
    expected: 401,
    async prepare({ token }) {
      const { header } = decodeToken(token);
      if (header.alg === "HS256") {
        return {
          token: withHeaderSignedWithEmptyKey(token, { kid: PATH_KID }),
          changed: `kid set to "${PATH_KID}"; signed with HMAC-SHA256 and an empty key, which is what reading /dev/null gives.`,
        };
      }
      return {
        token: withHeader(token, { kid: PATH_KID }),
        changed: `kid set to "${PATH_KID}"; the rest of the header and the signature kept.`,
      };
    },
    why:
      "Some servers used kid as a file name (or put it in an SQL query) to find the key. Given " +
      '"../../../dev/null", such a server reads an empty file, and an HS256 token signed with ' +
      "an empty key passes. Here kid is only a name: one that does not look like this server's " +
      "own kids (a date and 8 hex digits) is refused before any look-up, and a kid is never a " +
      "path or part of a query (RFC 8725 §3.10).",
  },
  {
    id: "kid-unknown",
    title: "14. Name a key that does not exist",
    button: "Use an unknown kid",
    expected: 401,
    async prepare({ token }) {
      return {
        token: withHeader(token, { kid: UNKNOWN_KID }),
        changed: `kid set to "${UNKNOWN_KID}", shaped like this server's kids but naming none; the rest of the header and the signature kept.`,
      };
    },
    why:
      "A kid no key has: the server reads its key set again (a key another server process has " +
      "just made would be found), at most once a second however many such tokens arrive, then " +
      "refuses. No key, no check: 401.",
  },
  {
    id: "aud",
    title: "15. Send a token for another audience",
    button: "Change aud",
    expected: 401,
    prepare: otherClaim("aud", "other_audience", OTHER_AUDIENCE),
    why:
      "aud says who a token is for (RFC 7519 §4.1.3). This server checks it on every request, " +
      "so a token made for another service gets 401 here even with a good signature: a token " +
      "stolen from one service cannot be replayed against another (RFC 8725 §3.9).",
  },
  {
    id: "iss",
    title: "16. Send a token from another issuer",
    button: "Change iss",
    expected: 401,
    prepare: otherClaim("iss", "other_issuer", OTHER_ISSUER),
    why:
      "iss says who made the token (RFC 7519 §4.1.1). This server accepts only tokens that name " +
      "it as their issuer, so a token another issuer made gets 401 (RFC 8725 §3.8: the keys " +
      "that check a token must be the issuer's).",
  },
];
