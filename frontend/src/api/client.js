// One wrapper around fetch for every API call (lesson step 5: "The front-end will use that token
// from now on to make any future request"). It does five things, in one place:
//   1. adds `Authorization: Bearer <token>` when it is given a token,
//   2. turns a non-2xx answer into an ApiError carrying the server's `msg`,
//   3. when the access token has expired, trades the refresh cookie for a new one (once) and
//      retries the request with it,
//   4. ends the session centrally when the server rejects a token we sent (401),
//   5. tells subscribers about every call, refreshes included, for the request log.
import { API } from "../lib/paths.js";
import { getToken, setToken } from "./token-store.js";

// Empty means "same origin" (`make run`: Flask serves this app and the API). `make dev` sets it
// to the Flask dev server, so calls are cross-origin and CORS is for real.
const BASE_URL = import.meta.env.VITE_API_URL ?? "";

export const NETWORK_ERROR_MSG =
  "Cannot reach the server. Check that the API is running.";

/** What the login page says when the refresh token could not buy a new access token. */
export const SESSION_EXPIRED_MSG = "Your session expired, please log in again";

/**
 * The server's words (access and refresh tokens alike) once a teacher has ended the session on
 * /classroom. Unlike an expired token, a refresh cannot help, and the reason is worth keeping.
 */
export const ENDED_BY_TEACHER_MSG = "Your session was ended by the teacher";

// The server's exact words for an access token past its `exp`: the only 401 worth a refresh.
// Any other 401 (tampered, revoked, user deleted) would fail again with a new token too.
const EXPIRED_MSG = "Token has expired";

// flask-jwt-extended's CSRF double submit: the server sets this readable cookie next to the
// HttpOnly refresh cookie, and wants its value back in a header. Another site can make the
// browser SEND our cookies, but cannot READ them, so it cannot copy the value into the header.
const CSRF_COOKIE = "csrf_refresh_token";
const CSRF_HEADER = "X-CSRF-TOKEN";

/** A failed API call: HTTP status (0 = no answer), the server's message and per-field errors. */
export class ApiError extends Error {
  constructor(status, msg, errors = {}) {
    super(msg);
    this.name = "ApiError";
    this.status = status;
    this.msg = msg;
    this.errors = errors;
    // True when the access token expired and the refresh token could not replace it.
    this.sessionExpired = false;
  }
}

// Who to call when the server rejects a token we sent. The auth provider registers itself, so
// the session ends the same way whichever page made the call.
let unauthorizedHandler = null;

/** Register the one handler for "the server rejected our token"; returns an unregister function. */
export function setUnauthorizedHandler(handler) {
  unauthorizedHandler = handler;
  return () => {
    if (unauthorizedHandler === handler) unauthorizedHandler = null;
  };
}

const requestListeners = new Set();

/**
 * Subscribe to every API call:
 * listener({method, path, status, ms, sentAuth, token, retry, background, at}).
 * `token` is the one sent (null without); `retry` marks the second try of a request after a
 * refresh; `background` marks a call the app repeats by itself every few seconds (the session
 * check, the classroom's table). Returns an unsubscribe function.
 */
export function onRequest(listener) {
  requestListeners.add(listener);
  return () => requestListeners.delete(listener);
}

function report(entry) {
  for (const listener of requestListeners) listener(entry);
}

async function readJson(response) {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    // Not JSON (e.g. a proxy's HTML error page): the status alone will have to do.
    return null;
  }
}

function readCookie(name) {
  for (const pair of document.cookie.split(";")) {
    const [key, ...value] = pair.trim().split("=");
    if (key === name) return decodeURIComponent(value.join("="));
  }
  return null;
}

/**
 * One HTTP exchange, logged: returns {response, data} for any status, throws ApiError(0) when
 * there is no answer at all.
 */
async function send(
  path,
  { method, body, token, headers = {}, signal, retry, background = false },
) {
  const allHeaders = { Accept: "application/json", ...headers };
  if (body !== undefined) allHeaders["Content-Type"] = "application/json";
  if (token) allHeaders.Authorization = `Bearer ${token}`;

  const at = new Date();
  const started = performance.now();
  const log = (status) =>
    report({
      method,
      path,
      status,
      ms: Math.round(performance.now() - started),
      sentAuth: Boolean(token),
      token: token ?? null,
      retry,
      background,
      at,
    });

  let response;
  try {
    response = await fetch(`${BASE_URL}${path}`, {
      method,
      headers: allHeaders,
      body: body === undefined ? undefined : JSON.stringify(body),
      // Send and accept cookies even cross-origin (`make dev`): the refresh cookie needs it.
      credentials: "include",
      signal,
    });
  } catch (error) {
    if (error?.name === "AbortError") throw error; // the caller cancelled: not a failure
    log(0);
    throw new ApiError(0, NETWORK_ERROR_MSG);
  }
  log(response.status);
  return { response, data: await readJson(response) };
}

function errorFrom(response, data) {
  return new ApiError(
    response.status,
    data?.msg ?? `Request failed with status ${response.status}`,
    data?.errors ?? {},
  );
}

// --- refreshing --------------------------------------------------------------------------------

// The refresh in progress, shared by every request that finds its token expired: ten calls
// failing at once cause ONE refresh, not ten. A second refresh with the same (now rotated)
// cookie would even look like a stolen token to the server and end the session.
let refreshing = null;

/** POST /api/token/refresh: the HttpOnly cookie goes by itself, the CSRF value by hand. */
async function requestNewToken() {
  const csrf = readCookie(CSRF_COOKIE);
  const { response, data } = await send(API.refresh, {
    method: "POST",
    headers: csrf ? { [CSRF_HEADER]: csrf } : {},
    retry: false,
  });
  if (!response.ok || !data?.token) {
    const error = errorFrom(response, data);
    // The session is over (refresh token expired, revoked or reused): say so in plain words,
    // unless a teacher ended it: then the server's own reason is the one to show.
    const expired = new ApiError(
      401,
      error.msg === ENDED_BY_TEACHER_MSG ? error.msg : SESSION_EXPIRED_MSG,
    );
    expired.sessionExpired = true;
    expired.cause = error;
    throw expired;
  }
  setToken(data.token);
  return data.token;
}

// Tabs share localStorage and the refresh cookie, so two tabs refreshing at the same moment
// would present the same refresh token twice (reuse -> session revoked). A Web Lock lets one tab
// refresh at a time; the next one then finds the new token already stored and uses it, or (if
// the browser has not copied it to this tab yet) refreshes with the cookie already rotated.
function oneTabAtATime(work) {
  const locks = globalThis.navigator?.locks;
  if (locks) return locks.request("jwt-classroom-refresh", work);
  return Promise.resolve().then(work); // no Web Locks (old browser, jsdom): one tab's guard only
}

/** A working access token in place of `expiredToken`: a newer stored one, or a refreshed one. */
function freshToken(expiredToken) {
  const stored = getToken();
  if (stored && stored !== expiredToken) return Promise.resolve(stored);
  refreshing ??= oneTabAtATime(() => {
    const now = getToken();
    return now && now !== expiredToken ? now : requestNewToken();
  }).finally(() => {
    refreshing = null;
  });
  return refreshing;
}

/** freshToken(), and a refused refresh ends the session (the handler says why). */
async function replaceToken(oldToken) {
  try {
    return await freshToken(oldToken);
  } catch (error) {
    if (error.sessionExpired) unauthorizedHandler?.(error);
    // Otherwise the server could not be reached: keep the session, the caller shows why.
    throw error;
  }
}

/**
 * Refresh now instead of when the token expires (the lab's "Refresh now"): the same exchange,
 * with the same single-flight lock. Returns the new token; a refused refresh ends the session.
 */
export function refreshNow() {
  return replaceToken(getToken());
}

// --- the client --------------------------------------------------------------------------------

/**
 * Call the API and return the parsed JSON body.
 * `body` is sent as JSON; `token`, when given, goes in the Authorization header.
 * `session: false` is for a call that sends some other token on purpose (e.g. to show how the
 * server rejects it): its 401 neither refreshes nor ends the session.
 * `background: true` marks a call the app repeats by itself (see onRequest).
 * Throws ApiError for a non-2xx answer or when the server cannot be reached.
 */
export async function client(
  path,
  { method, body, token, signal, session = true, background = false } = {},
) {
  const verb = method ?? (body === undefined ? "GET" : "POST");
  const request = {
    method: verb,
    body,
    token,
    signal,
    retry: false,
    background,
  };

  let { response, data } = await send(path, request);

  // The lesson's token lived until it expired, then every call failed. Ours lives 15 minutes:
  // an expired one is replaced by the refresh cookie and the request tried ONE more time.
  const expired =
    response.status === 401 && data?.msg === EXPIRED_MSG && token && session;
  if (expired && getToken()) {
    const newToken = await replaceToken(token);
    ({ response, data } = await send(path, {
      ...request,
      token: newToken,
      retry: true,
    }));
  }

  // The lesson's login() threw on !resp.ok before checking 401/400, so those branches were
  // unreachable; we read the status first and keep the server's own explanation (`msg`).
  if (!response.ok) {
    const error = errorFrom(response, data);
    // The lesson checked for 403 on a missing/invalid token; flask-jwt-extended answers 401.
    // Only a 401 for a token we SENT ends the session: a failed login (no token) is just an
    // error for the form to show. A 401 after the retry ends it too: no second refresh, so
    // a server that keeps refusing cannot trap us in a loop.
    if (response.status === 401 && token && session) {
      unauthorizedHandler?.(error);
    }
    throw error;
  }
  return data;
}
