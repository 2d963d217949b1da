// The Tamper lab's experiments: how each token is made, what was changed, what the server
// should answer and why. Each `prepare` gets {token, labTokens} and returns the token to send
// (null = no Authorization header) and a description of the change, or {unavailable}. The
// request is GET `path` (GET /api/protected unless the experiment names another route).
import { decodeToken } from "../../lib/jwt.js";
import { API } from "../../lib/paths.js";
import { libraryAnswer } from "../../lib/server-facts.js";
import { localTime } from "../../lib/time.js";
import {
  withAlgNone,
  withOtherSub,
  withRole,
  signedWithKey,
  WRONG_KEY,
} from "./forge.js";

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
