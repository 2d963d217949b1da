// One wrapper around fetch for every API call (lesson step 5: "The front-end will use that token
// from now on to make any future request"). It does four things, in one place:
//   1. adds `Authorization: Bearer <token>` when it is given a token,
//   2. turns a non-2xx answer into an ApiError carrying the server's `msg`,
//   3. ends the session centrally when the server rejects a token we sent (401),
//   4. tells subscribers about every call, for the request log.

// Empty means "same origin" (`make run`: Flask serves this app and the API). `make dev` sets it
// to the Flask dev server, so calls are cross-origin and CORS is for real.
const BASE_URL = import.meta.env.VITE_API_URL ?? "";

export const NETWORK_ERROR_MSG =
  "Cannot reach the server. Check that the API is running.";

/** A failed API call: HTTP status (0 = no answer), the server's message and per-field errors. */
export class ApiError extends Error {
  constructor(status, msg, errors = {}) {
    super(msg);
    this.name = "ApiError";
    this.status = status;
    this.msg = msg;
    this.errors = errors;
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
 * Subscribe to every API call: listener({method, path, status, ms, sentAuth, at}).
 * Returns an unsubscribe function.
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

/**
 * Call the API and return the parsed JSON body.
 * `body` is sent as JSON; `token`, when given, goes in the Authorization header.
 * Throws ApiError for a non-2xx answer or when the server cannot be reached.
 */
export async function client(path, { method, body, token, signal } = {}) {
  const verb = method ?? (body === undefined ? "GET" : "POST");
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;

  const at = new Date();
  const started = performance.now();
  const log = (status) =>
    report({
      method: verb,
      path,
      status,
      ms: Math.round(performance.now() - started),
      sentAuth: Boolean(token),
      at,
    });

  let response;
  try {
    response = await fetch(`${BASE_URL}${path}`, {
      method: verb,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (error) {
    if (error?.name === "AbortError") throw error; // the caller cancelled: not a failure
    log(0);
    throw new ApiError(0, NETWORK_ERROR_MSG);
  }
  log(response.status);

  const data = await readJson(response);
  // The lesson's login() threw on !resp.ok before checking 401/400, so those branches were
  // unreachable; we read the status first and keep the server's own explanation (`msg`).
  if (!response.ok) {
    const error = new ApiError(
      response.status,
      data?.msg ?? `Request failed with status ${response.status}`,
      data?.errors ?? {},
    );
    // The lesson checked for 403 on a missing/invalid token; flask-jwt-extended answers 401.
    // Only a 401 for a token we SENT ends the session: a failed login (no token) is just an
    // error for the form to show.
    if (response.status === 401 && token) unauthorizedHandler?.(error);
    throw error;
  }
  return data;
}
