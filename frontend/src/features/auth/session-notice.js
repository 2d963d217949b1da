// What /login says when the server refused our token and the session ended: the app's own words
// for each kind of 401 (the body's `error`), so the server may reword its `msg` freely.

const EXPIRED = "Your session expired, please log in again";

const NOTICES = {
  // An access token past its `exp` that the refresh could not replace (it was tried first), or
  // a refresh cookie past its own `exp` or gone from the browser.
  token_expired: EXPIRED,
  token_missing: EXPIRED,
  // Logged out elsewhere, password changed, role changed.
  token_revoked:
    "Your session has ended: Token has been revoked. Please log in again.",
  refresh_reused:
    "Your session has ended: its refresh token was used twice, as a stolen copy would be, so the server ended the whole session. Please log in again.",
  session_ended: "Your session was ended by the teacher",
  session_over: "Your session is over: please log in again",
  user_not_found: "Your session has ended: your account no longer exists.",
  key_retired:
    "Your session has ended: the key that signed your token was retired. Please log in again.",
};

/**
 * The sentence for the ApiError that ended the session. A rejected token (`token_invalid`: bad
 * signature, wrong algorithm, ...) and any kind this app does not know get the server's reason,
 * since only the server knows which check failed.
 */
export function sessionEndedNotice(error) {
  if (Object.hasOwn(NOTICES, error.kind)) return NOTICES[error.kind];
  // Server msgs read like "Signature verification failed."; drop a trailing period.
  const why = error.msg.replace(/\.$/, "");
  return `Your session has ended: ${why}. Please log in again.`;
}
