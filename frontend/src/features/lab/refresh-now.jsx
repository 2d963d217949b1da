// "Refresh now": the exchange the app makes by itself shortly before the access token expires, on
// demand, so a class can watch it without waiting 15 minutes. The Token inspector re-reads the
// token every second, so the new one shows there; the Request log shows the call.
import { useState } from "react";
import { refreshNow } from "../../api/client.js";
import { getToken } from "../../api/token-store.js";
import { decodeToken } from "../../lib/jwt.js";
import { localTime } from "../../lib/time.js";

function claimsOf(token) {
  return token ? (decodeToken(token).payload ?? {}) : {};
}

function shortJti(jti) {
  return typeof jti === "string" ? `${jti.slice(0, 8)}…` : String(jti);
}

/** A button that trades the refresh cookie for a new access token, and what happened. */
export function RefreshNow() {
  const [state, setState] = useState(null);

  async function refresh() {
    const before = claimsOf(getToken());
    setState({ pending: true });
    try {
      const after = claimsOf(await refreshNow());
      setState({ before, after });
    } catch (error) {
      // A refused refresh has already ended the session (and left this page); this is the
      // server that could not be reached.
      setState({ error: error.msg ?? error.message });
    }
  }

  return (
    <div className="refresh-now">
      <button type="button" onClick={refresh} disabled={state?.pending}>
        {state?.pending ? "Refreshing..." : "Refresh now"}
      </button>
      <div role="status">
        {state?.error && (
          <p className="message message-error">
            Could not refresh: {state.error}
          </p>
        )}
        {state?.after && (
          <p>
            New token: <code>jti</code> {shortJti(state.before.jti)} is now{" "}
            {shortJti(state.after.jti)}, <code>fresh</code> is now{" "}
            {String(state.after.fresh)} (a refresh proves no typed password),
            valid until {localTime(state.after.exp)}. Your browser sent its
            refresh cookie (HttpOnly: this page cannot read it) to{" "}
            <code>POST /api/token/refresh</code> and got this token and a new
            cookie. The old access token still works until its <code>exp</code>:
            refreshing does not revoke it, logging out does.
          </p>
        )}
      </div>
    </div>
  );
}
