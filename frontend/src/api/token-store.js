// The ONLY module that touches the access token in localStorage. Everything else asks here, so
// there is one place to read when you wonder "where does the token live?" and one place to
// change it later. (lib/large-text.js keeps a display preference there under its own key.)
//
// The key is the lesson's: localStorage.setItem("jwt-token", data.token).
// localStorage is readable by any script on the page, which is why the app ships no inline
// scripts and sends a strict Content-Security-Policy (backend/app/security_headers.py). An
// HttpOnly cookie cannot be read by scripts at all, which is why the refresh token lives there
// instead (the server sets it; this app never sees it).

export const TOKEN_KEY = "jwt-token";

/** The stored access token, or null when there is none (or storage is unavailable). */
export function getToken() {
  try {
    return window.localStorage.getItem(TOKEN_KEY);
  } catch {
    // Some privacy modes throw on any localStorage access: behave as "logged out".
    return null;
  }
}

/** Remember the access token across reloads. */
export function setToken(token) {
  window.localStorage.setItem(TOKEN_KEY, token);
}

/** Forget the access token (logout, or the server rejected it). */
export function clearToken() {
  try {
    window.localStorage.removeItem(TOKEN_KEY);
  } catch {
    // Nothing stored, nothing to clear.
  }
}

/**
 * Call listener(newToken or null) when ANOTHER tab of this site stores, replaces or removes the
 * token (the browser's `storage` event never fires in the tab that made the change).
 * Returns an unsubscribe function.
 */
export function subscribe(listener) {
  function onStorage(event) {
    // key === null: that tab called localStorage.clear(), which removed our token too.
    if (event.storageArea !== window.localStorage) return;
    if (event.key !== TOKEN_KEY && event.key !== null) return;
    listener(event.key === null ? null : event.newValue);
  }
  window.addEventListener("storage", onStorage);
  return () => window.removeEventListener("storage", onStorage);
}
