// GET /.well-known/jwks.json as a verifier asks for it. The server lets caches keep the key set
// for a minute (Cache-Control: max-age=60), so a plain fetch may get the copy from before a
// rotation, without the key a new token names. `cache: "no-cache"` makes the browser check with
// the server first (its ETag: a 304 when nothing changed), as a verifier that meets an unknown
// kid must. The API client has no such option, hence fetch here; the call still goes in the
// request log.
import { recordRequest } from "../../api/request-log.js";
import { API } from "../../lib/paths.js";

// The API's origin, as the client uses it (empty: this page's own origin).
const BASE_URL = import.meta.env.VITE_API_URL ?? "";

/** The JWKS, fresh from the server; throws Error(msg) when it cannot be had. */
export async function fetchJwks(signal) {
  const at = new Date();
  const started = performance.now();
  const record = (status) =>
    recordRequest({
      method: "GET",
      path: API.jwks,
      status,
      ms: Math.round(performance.now() - started),
      at,
    });
  let response;
  try {
    response = await fetch(`${BASE_URL}${API.jwks}`, {
      headers: { Accept: "application/json" },
      cache: "no-cache",
      signal,
    });
  } catch (error) {
    if (error?.name === "AbortError") throw error;
    record(0);
    throw new Error("Cannot reach the server. Check that the API is running.", {
      cause: error,
    });
  }
  record(response.status);
  if (!response.ok) {
    throw new Error(`GET ${API.jwks} answered ${response.status}`);
  }
  return response.json();
}
