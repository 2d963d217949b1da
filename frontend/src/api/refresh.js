// A new access token for one that has expired: POST /api/token/refresh, which the browser sends
// with the HttpOnly refresh cookie. The server rotates that cookie on every refresh, so the same
// cookie presented twice looks like a stolen copy and ends the session: only one refresh may be
// on its way at a time, in this tab (one shared promise) and across tabs (a Web Lock).
import { API } from "../lib/paths.js";
import { errorFrom, send } from "./http.js";
import { getToken, setToken } from "./token-store.js";

// flask-jwt-extended's CSRF double submit: the server sets this readable cookie next to the
// HttpOnly refresh cookie, and wants its value back in a header. SameSite=Strict already keeps
// other sites' requests from carrying the cookie; the header covers the rest (a page on another
// subdomain of our site; any site, in a browser without SameSite): such a page can make the
// browser SEND the cookie, but cannot READ it, so it cannot copy the value into the header.
const CSRF_COOKIE = "csrf_refresh_token";
const CSRF_HEADER = "X-CSRF-TOKEN";

function readCookie(name) {
  for (const pair of document.cookie.split(";")) {
    const [key, ...value] = pair.trim().split("=");
    if (key === name) return decodeURIComponent(value.join("="));
  }
  return null;
}

/**
 * The refresh itself: the cookie goes by itself, the CSRF value by hand; stores the new token.
 * A 401 means this session can never be refreshed again (the refresh cookie is missing, expired,
 * revoked or reused, the teacher ended the session, its lifetime is over): the error is thrown
 * with `refreshRefused`, its `kind` saying which. Any other failure (a busy or broken server) is
 * thrown as it is, like an unreachable one: the session stays and a later refresh may work.
 */
async function requestNewToken() {
  const csrf = readCookie(CSRF_COOKIE);
  const { response, data } = await send(API.refresh, {
    method: "POST",
    headers: csrf ? { [CSRF_HEADER]: csrf } : {},
  });
  if (response.ok && data?.token) {
    setToken(data.token);
    return data.token;
  }
  const error = errorFrom(response, data);
  error.refreshRefused = response.status === 401;
  throw error;
}

// Tabs share localStorage and the refresh cookie. The Web Lock lets one tab refresh at a time;
// the next one then finds the new token already stored and uses it, or (if the browser has not
// copied it to this tab yet) refreshes with the cookie already rotated.
function oneTabAtATime(work) {
  const locks = globalThis.navigator?.locks;
  if (locks) return locks.request("jwt-classroom-refresh", work);
  return Promise.resolve().then(work); // no Web Locks (old browser, jsdom): this tab's guard only
}

// The refresh on its way, shared by every request that finds its token expired: ten calls
// failing at once cause ONE refresh.
let refreshing = null;

/**
 * A working access token in place of `expiredToken`: a newer one already stored (another request
 * or tab refreshed first), or a refreshed one. Throws an ApiError with `refreshRefused` when the
 * server refuses the refresh (401), and another ApiError when it cannot give one now.
 */
export function newAccessToken(expiredToken) {
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
