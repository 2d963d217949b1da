// The one function every page calls the API with. Lesson step 5: "the front-end will use that
// token from now on to make any future request": the client reads the stored access token and
// sends it as `Authorization: Bearer <token>`. It returns the JSON of a 2xx answer and throws an
// ApiError (the server's `msg` and `kind`) for anything else. Three things the lesson's code lacks:
//   - the token is replaced (refresh.js) shortly before it expires, while someone is logged in;
//   - a token that expired anyway is replaced and the request tried once more;
//   - a 401 for our token ends the session, whichever page made the call.
import { decodeToken } from "../lib/jwt.js";
import { errorFrom, send } from "./http.js";
import { newAccessToken } from "./refresh.js";
import { getToken } from "./token-store.js";

// The kind of 401 the server gives an access token past its `exp`: the only one worth a refresh.
// Any other 401 (tampered, revoked, user deleted) would fail again with a new token too.
const TOKEN_EXPIRED = "token_expired";

// Who to tell when the server rejects our token. The auth provider registers itself, so the
// session ends the same way whichever page made the call.
let unauthorizedHandler = null;

/** Register the one handler for "the server rejected our token"; returns an unregister function. */
export function setUnauthorizedHandler(handler) {
  unauthorizedHandler = handler;
  return () => {
    if (unauthorizedHandler === handler) unauthorizedHandler = null;
  };
}

/** newAccessToken(), and a refused refresh ends the session (the handler says why). */
async function replaceToken(expiredToken) {
  try {
    return await newAccessToken(expiredToken);
  } catch (error) {
    if (error.refreshRefused) unauthorizedHandler?.(error);
    // Otherwise the server could not be reached or give one now: keep the session, the caller
    // shows why.
    throw error;
  }
}

/**
 * Refresh now instead of when the token expires (the lab's "Refresh now"): the same exchange,
 * one at a time like any other. Returns the new token; a refused refresh ends the session.
 */
export function refreshNow() {
  return replaceToken(getToken());
}

// How long before its `exp` a token is replaced: 10 seconds, or a quarter of its lifetime for a
// token shorter than 40 seconds, so even a classroom demo's 3-second token is used for a while.
const REFRESH_AHEAD_S = 10;

// When a refresh could not reach the server, the next try.
const RETRY_MS = 5000;

/** Milliseconds until `token` should be replaced (0 or less: now); null if it has no `exp`. */
export function msUntilRefresh(token, nowMs = Date.now()) {
  const { exp, iat } = decodeToken(token).payload ?? {};
  if (typeof exp !== "number") return null;
  const lifetime = typeof iat === "number" ? exp - iat : REFRESH_AHEAD_S * 4;
  const ahead = Math.min(REFRESH_AHEAD_S, lifetime / 4);
  return (exp - ahead) * 1000 - nowMs;
}

/**
 * Replace the stored access token shortly before it expires, and each new one after it, until
 * the returned stop() is called (the auth provider runs this while someone is logged in). So no
 * page ever holds an expired token: the Token inspector never reads "expired" for a live session.
 * A refused refresh ends the session; a token that expires anyway (a sleeping laptop) is still
 * replaced by the first request's 401.
 */
export function keepTokenFresh() {
  let timer;
  let stopped = false;
  let fromLastRefresh = null;

  function plan() {
    if (stopped) return;
    const token = getToken();
    const wait = token ? msUntilRefresh(token) : null;
    // A token the last refresh just brought that is already due: this browser's clock is
    // ahead of the server's. Refreshing again would not help; the 401 path still works.
    if (wait === null || (wait <= 0 && token === fromLastRefresh)) return;
    timer = setTimeout(() => refresh(token), Math.max(0, wait));
  }

  async function refresh(token) {
    try {
      // Another tab or request may have replaced it already: then that token is used.
      fromLastRefresh = await replaceToken(token);
    } catch (error) {
      // Refused: the session has ended (the handler said why). Unreachable or busy: try again
      // later.
      if (!error.refreshRefused && !stopped)
        timer = setTimeout(() => refresh(token), RETRY_MS);
      return;
    }
    plan();
  }

  plan();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/**
 * Call the API and return the parsed JSON body. `body` is sent as JSON (and makes the default
 * method POST). The stored access token goes in the Authorization header.
 * `token` sends exactly that token instead, and leaves the session alone: `null` for a route that
 * takes none (login, signup), or another token on purpose (the tamper lab's forged ones, whose
 * 401 must not log you out). `background: true` marks a call the app repeats by itself every few
 * seconds, which the request log leaves out.
 * Throws ApiError for a non-2xx answer or when the server cannot be reached.
 */
export async function client(
  path,
  { method, body, signal, background = false, token: otherToken } = {},
) {
  const ours = otherToken === undefined;
  const token = ours ? getToken() : otherToken;
  const request = {
    method: method ?? (body === undefined ? "GET" : "POST"),
    body,
    signal,
    background,
  };

  let { response, data } = await send(path, { ...request, token });

  // The lesson's token lived until it expired, then every call failed. Ours is replaced by the
  // refresh cookie and the request tried ONE more time (unless we logged out meanwhile).
  const expired = response.status === 401 && data?.error === TOKEN_EXPIRED;
  if (ours && token && expired && getToken()) {
    const newToken = await replaceToken(token);
    ({ response, data } = await send(path, {
      ...request,
      token: newToken,
      retry: true,
    }));
  }

  // The lesson's login() threw on !resp.ok before checking 401/400, so those branches were
  // unreachable; here the status is read first and the server's explanation (`msg`) kept.
  if (!response.ok) {
    const error = errorFrom(response, data);
    // Only a 401 for OUR token ends the session: a failed login (no token) is an error for the
    // form to show. A 401 after the retry ends it too: no second refresh, so a server that
    // keeps refusing cannot trap us in a loop.
    if (response.status === 401 && ours && token) unauthorizedHandler?.(error);
    throw error;
  }
  return data;
}
