// A new access token for one that has expired: POST /api/token/refresh, which the browser sends
// with the HttpOnly refresh cookie. The server rotates that cookie on every refresh, so the same
// cookie presented twice looks like a stolen copy and ends the session: only one refresh may be
// on its way at a time, in this tab (one shared promise) and across tabs (a Web Lock).
import { API } from "../lib/paths.js";
import { ApiError, errorFrom, send } from "./http.js";
import { getToken, setToken } from "./token-store.js";

/** What the login page says when the refresh token could not buy a new access token. */
const SESSION_EXPIRED_MSG = "Your session expired, please log in again";

/**
 * The server's words (access and refresh tokens alike) once a teacher has ended the session on
 * /classroom. Unlike an expired token, a refresh cannot help, and the reason is worth keeping.
 */
export const ENDED_BY_TEACHER_MSG = "Your session was ended by the teacher";

/**
 * The server's words for a session past its absolute lifetime (SESSION_MAX_AGE from the login):
 * refreshes never extend a session beyond it, so even a stolen refresh cookie stops working.
 */
const SESSION_OVER_MSG = "Your session is over: please log in again";

// Refusals already written for the person whose session it was: shown as the server sent them.
const SERVER_WORDS = new Set([ENDED_BY_TEACHER_MSG, SESSION_OVER_MSG]);

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

/** The refresh itself: the cookie goes by itself, the CSRF value by hand; stores the new token. */
async function requestNewToken() {
  const csrf = readCookie(CSRF_COOKIE);
  const { response, data } = await send(API.refresh, {
    method: "POST",
    headers: csrf ? { [CSRF_HEADER]: csrf } : {},
  });
  if (!response.ok || !data?.token) {
    const error = errorFrom(response, data);
    // The session is over (refresh token expired, revoked or reused): say so in plain words,
    // unless the server's own reason is written for people (a teacher ended it, its lifetime
    // is over): then that is the one to show.
    const expired = new ApiError(
      401,
      SERVER_WORDS.has(error.msg) ? error.msg : SESSION_EXPIRED_MSG,
    );
    expired.sessionExpired = true;
    expired.cause = error;
    throw expired;
  }
  setToken(data.token);
  return data.token;
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
 * or tab refreshed first), or a refreshed one. Throws an ApiError with `sessionExpired` when the
 * server refuses the refresh, and ApiError(0) when it cannot be reached.
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
