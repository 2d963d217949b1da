// One HTTP exchange with the API: the JSON body out, the JSON answer back, cookies included, the
// access token in the Authorization header when there is one, and a line in the request log.
// client.js decides which token to send and what a failure means; this module only sends.
import { recordRequest } from "./request-log.js";

// Empty means "same origin" (`make run`: Flask serves this app and the API). The e2e CORS test
// builds the SPA with another origin here, so its calls are cross-origin and CORS is for real.
const BASE_URL = import.meta.env.VITE_API_URL ?? "";

const NETWORK_ERROR_MSG =
  "Cannot reach the server. Check that the API is running.";

/**
 * A failed API call: the HTTP status (0 = no answer), the server's `msg` (words for people),
 * its `kind` (the body's `error`, a stable machine-readable name such as "token_expired"; null
 * when the answer named none), per-field `errors`, and `retryAfter`. Code decides by `kind` and
 * `status`, never by `msg`: the server may reword a message, not a kind. A kind this app does not
 * know is handled like any other error with its status.
 */
export class ApiError extends Error {
  constructor(
    status,
    msg,
    { kind = null, errors = {}, retryAfter = null } = {},
  ) {
    super(msg);
    this.name = "ApiError";
    this.status = status;
    this.msg = msg;
    this.kind = kind;
    this.errors = errors;
    // Seconds the server asked us to wait (Retry-After, on a 429 or 503), else null.
    this.retryAfter = retryAfter;
    // True when the refresh token could not buy a new access token: the session is over.
    this.refreshRefused = false;
  }
}

/** The ApiError for a non-2xx answer: the server's `msg`, `error` and `errors`, or the status. */
export function errorFrom(response, data) {
  const retryAfter = Number.parseInt(response.headers.get("Retry-After"), 10);
  return new ApiError(
    response.status,
    data?.msg ?? `Request failed with status ${response.status}`,
    {
      kind: typeof data?.error === "string" ? data.error : null,
      errors: data?.errors ?? {},
      retryAfter: Number.isFinite(retryAfter) ? retryAfter : null,
    },
  );
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
 * Send one request and return {response, data} whatever the status; throw ApiError(0) when no
 * answer came at all. `retry` and `background` only label the request log's line.
 */
export async function send(
  path,
  { method, body, token, headers = {}, signal, retry = false, background },
) {
  const allHeaders = { Accept: "application/json", ...headers };
  if (body !== undefined) allHeaders["Content-Type"] = "application/json";
  if (token) allHeaders.Authorization = `Bearer ${token}`;

  const at = new Date();
  const started = performance.now();
  const record = (status) =>
    recordRequest({
      method,
      path,
      status,
      ms: Math.round(performance.now() - started),
      at,
      token,
      retry,
      background,
    });

  let response;
  try {
    response = await fetch(`${BASE_URL}${path}`, {
      method,
      headers: allHeaders,
      body: body === undefined ? undefined : JSON.stringify(body),
      // Send and accept cookies even cross-origin: the refresh cookie needs it.
      credentials: "include",
      signal,
    });
  } catch (error) {
    if (error?.name === "AbortError") throw error; // the caller cancelled: not a failure
    record(0);
    throw new ApiError(0, NETWORK_ERROR_MSG);
  }
  record(response.status);
  return { response, data: await readJson(response) };
}
