// Panel: where a single-page app can keep its token, what an injected script can do with each,
// why this app chose as it did, and what this page's own script can see right now.
import { getToken } from "../../api/token-store.js";
import { shortenToken } from "../../lib/jwt.js";
import { Panel } from "./teaching-parts.jsx";

// Names of the cookies this page's JavaScript can read (values are none of the page's business).
function readableCookieNames() {
  return document.cookie
    .split(";")
    .map((pair) => pair.split("=")[0].trim())
    .filter(Boolean);
}

const STORAGE = [
  [
    "localStorage",
    "Yes, in every tab, until removed (even after the browser closes)",
    "Read it and send it anywhere",
    "No",
  ],
  [
    "sessionStorage",
    "Survives a reload; this tab only, gone when it closes",
    "Read it and send it anywhere",
    "No",
  ],
  [
    "Memory (a JavaScript variable)",
    "No: a reload needs a new token (a refresh cookie can provide one)",
    "Harder to find, but a script in the page can still use it",
    "No",
  ],
  [
    "HttpOnly cookie",
    "Yes",
    "Cannot read it, but can send requests that carry it",
    "Yes: needs SameSite and a CSRF check",
  ],
  [
    "Backend-for-frontend",
    "Yes (the browser keeps only a session cookie)",
    "No token to take, but can send requests while the page is open",
    "Yes: the session cookie needs SameSite and a CSRF check",
  ],
];

export function TokenStorage() {
  const token = getToken();
  const cookies = readableCookieNames();
  return (
    <Panel id="basics-storage" title="Where a SPA can keep its token">
      <div
        className="table-scroll"
        tabIndex={0}
        aria-label="Token storage compared"
      >
        <table className="explained">
          <caption>Places a single-page app can keep a token</caption>
          <thead>
            <tr>
              <th scope="col">Where</th>
              <th scope="col">Still there after a reload?</th>
              <th scope="col">An injected script (XSS) can</th>
              <th scope="col">Sent by the browser on its own?</th>
            </tr>
          </thead>
          <tbody>
            {STORAGE.map(([where, reload, xss, automatic]) => (
              <tr key={where}>
                <th scope="row">{where}</th>
                <td>{reload}</td>
                <td>{xss}</td>
                <td>{automatic}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>
        OWASP&apos;s JWT cheat sheet (&quot;Token Storage on Client Side&quot;)
        prefers <code>sessionStorage</code> or a JavaScript variable to{" "}
        <code>localStorage</code>, plus a fingerprint in a hardened cookie so
        that a stolen token alone is useless; its HTML5 Security cheat sheet
        says not to keep session identifiers in <code>localStorage</code>. A
        backend-for-frontend keeps the token off the browser altogether. No
        choice survives XSS: a script in the page can always act as you while
        the page is open. Storage decides whether it can also carry the token
        away.
      </p>
      <p>
        <strong>Why this app chose as it did.</strong> The access token stays in{" "}
        <code>localStorage[&quot;jwt-token&quot;]</code>, the lesson&apos;s
        place, so the lesson&apos;s code still reads true and a class can watch
        the token. To limit the damage it lives 15 minutes, logging out revokes
        it on the server, and a strict Content-Security-Policy lets only this
        app&apos;s own scripts run. The refresh token lives 7 days, so it is an{" "}
        <code>HttpOnly</code> cookie (<code>SameSite=Strict</code>, sent only to{" "}
        <code>/api/token/refresh</code>, <code>Secure</code> in production).
        HttpOnly stops the cookie being stolen, not used: an injected script can
        read <code>csrf_refresh_token</code> and call refresh itself while the
        page is open. A real product would rather keep the access token in
        memory, or use a backend-for-frontend.
      </p>
      <p>
        What this page&apos;s JavaScript can see right now:{" "}
        <code>localStorage[&quot;jwt-token&quot;]</code>{" "}
        {token ? (
          <>
            holds <code>{shortenToken(token)}</code>
          </>
        ) : (
          "is empty"
        )}
        ; cookies:{" "}
        {cookies.length > 0 ? <code>{cookies.join(", ")}</code> : "none"}.{" "}
        <code>refresh_token_cookie</code> is never among them: it is HttpOnly.
      </p>
    </Panel>
  );
}
