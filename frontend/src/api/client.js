// The one function every page calls the API with. Lesson step 5: "the front-end will use that
// token from now on to make any future request": the client reads the stored access token and
// sends it as `Authorization: Bearer <token>`. It returns the JSON of a 2xx answer and throws an
// ApiError (with the server's `msg`) for anything else. Two things the lesson's code lacks:
//   - an expired token is replaced (refresh.js) and the request tried once more;
//   - a 401 for our token ends the session, whichever page made the call.
import { errorFrom, send } from "./http.js";
import { newAccessToken } from "./refresh.js";
import { getToken } from "./token-store.js";

// The server's exact words for an access token past its `exp`: the only 401 worth a refresh.
// Any other 401 (tampered, revoked, user deleted) would fail again with a new token too.
const EXPIRED_MSG = "Token has expired";

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
    if (error.sessionExpired) unauthorizedHandler?.(error);
    // Otherwise the server could not be reached: keep the session, the caller shows why.
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
  const expired = response.status === 401 && data?.msg === EXPIRED_MSG;
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
