// "What the lesson leaves out": five short panels for /how-it-works, each shown with this
// browser's own token where it can be (or the page's example token when nobody is logged in).
// Every claim about a library is checked by backend/tests/test_library_claims.py.
import { Link } from "react-router";
import { getToken } from "../../api/token-store.js";
import { shortenToken } from "../../lib/jwt.js";
import { PAGES } from "../../lib/paths.js";
import { localTime } from "../../lib/time.js";

// Hosts that are this machine: over plain http the token still never crosses a network.
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/** One titled panel of /how-it-works, a region named by its heading. */
export function Panel({ id, title, children }) {
  return (
    <section className="panel" aria-labelledby={id}>
      <h3 id={id}>{title}</h3>
      {children}
    </section>
  );
}

function Json({ value, label }) {
  return (
    // tabIndex: a long line scrolls sideways, and keyboard users must be able to reach it.
    <pre className="json" tabIndex={0} aria-label={label}>
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}

function DecodingIsNotVerifying({ x }) {
  return (
    <Panel id="basics-decoding" title="Decoding is not verifying">
      <p>
        A JWT&apos;s header and payload are only base64url-encoded JSON (RFC
        7515 §3.1): anyone who holds the token can read them, without any key.
        This page just did, in your browser, with{" "}
        {x.live ? "your own token" : "the example token"}:
      </p>
      <Json value={x.payload} label="Payload decoded by this page" />
      <p>
        Reading proves nothing. Only the server <em>verifies</em>: it recomputes
        the signature, an HMAC-SHA256 over header and payload (RFC 7518 §3.2),
        with its secret key and compares. Your browser, a proxy or a website
        that decodes JWTs can read this token; only the key holder can make one
        that passes. That is why the private page shows who{" "}
        <code>GET /api/protected</code> says you are, not what the browser
        decoded.
      </p>
      <p>
        The lesson calls the header&apos;s algorithm an &quot;encryption
        algorithm&quot; and says a JWT &quot;can be decrypted by the
        server&quot;: nothing here is encrypted. This token is signed (JWS, RFC
        7515), not encrypted (that would be JWE, RFC 7516), so it must never
        carry a secret.
        {x.live && (
          <>
            {" "}
            Try it: the Tamper lab in the <Link to={PAGES.lab}>Lab</Link>{" "}
            changes the payload and sends it.
          </>
        )}
      </p>
    </Panel>
  );
}

/** What sending a bearer token from a page at `location` exposes it to. */
export function transportVerdict(location) {
  if (location.protocol === "https:") {
    return "encrypted with TLS: nobody on the way can read your token.";
  }
  if (LOOPBACK.has(location.hostname)) {
    return "plain http, but to this very machine: the token never crosses a network. Fine for make run on your own laptop; a class reaching the app across a network needs https.";
  }
  return "plain http across a network: anyone on it (the classroom Wi-Fi) can read your token and use it until it expires, and also the password you logged in with and the refresh cookie, a 7-day credential (Secure, https only, in production alone). Use a throwaway account here, or serve the app over https before a class uses it.";
}

function TlsAndUrls() {
  const { protocol, host } = window.location;
  return (
    <Panel id="basics-tls" title="Bearer tokens: only over TLS, never in URLs">
      <p>
        Bearer means whoever holds the token gets in (RFC 6750 §1.2): the server
        asks for no other proof. So RFC 6750 §5.3 says bearer tokens must be
        sent over TLS (https) and should not be put in page URLs, where browser
        history and server logs keep them; a URL can also leak to other sites in
        the <code>Referer</code> header (RFC 9700 §4.2).
      </p>
      <p>
        This page came over{" "}
        <code>
          {protocol}
          {"//"}
          {host}
        </code>
        : {transportVerdict(window.location)}
      </p>
      <p>
        This app sends the access token only in the <code>Authorization</code>{" "}
        header and the refresh token only in a cookie, marked{" "}
        <code>Secure</code> in production so the browser sends it over https
        only. No token is ever in a URL, and <code>Referrer-Policy</code> is{" "}
        <code>no-referrer</code> anyway. flask-jwt-extended could read a token
        from the query string, but only if <code>JWT_TOKEN_LOCATION</code> asks
        for it: its default is the header alone.
      </p>
    </Panel>
  );
}

// Who defines each name a token of this app carries, and what it means.
const NAMES = [
  ["alg", "header", "RFC 7515 §4.1.1", "the signing algorithm (HS256)"],
  ["typ", "header", "RFC 7515 §4.1.9", 'the token\'s media type: "JWT"'],
  ["sub", "payload", "RFC 7519 §4.1.2", "who the token is for (a string)"],
  ["exp", "payload", "RFC 7519 §4.1.4", "not accepted on or after this time"],
  ["nbf", "payload", "RFC 7519 §4.1.5", "not accepted before this time"],
  ["iat", "payload", "RFC 7519 §4.1.6", "when it was issued"],
  ["jti", "payload", "RFC 7519 §4.1.7", "a unique id (what logout revokes)"],
  ["type", "payload", "flask-jwt-extended", '"access" or "refresh"'],
  ["fresh", "payload", "flask-jwt-extended", "made from a typed password?"],
  [
    "csrf",
    "payload",
    "flask-jwt-extended",
    "checked only for cookie tokens, on POST, PUT, PATCH, DELETE",
  ],
  ["sid", "payload", "IANA registry", "the login session it belongs to"],
  ["role", "payload", "this app", "student or teacher: what you may do"],
];

function ClaimNames({ x }) {
  return (
    <Panel
      id="basics-claims"
      title="Registered claims, the library's, and this app's"
    >
      <p>
        The names in a JWT come from three places. <em>Registered</em> claims
        (RFC 7519 §4.1) mean the same to every JWT library, and more names are
        registered with IANA (its &quot;JSON Web Token Claims&quot; registry):
        this app uses <code>sid</code>, &quot;Session ID&quot;, for its login
        session. The others are private names (§4.3) that mean something only to
        the code that wrote them: flask-jwt-extended adds its own, and this app
        one more, <code>role</code>.
      </p>
      <div className="table-scroll" tabIndex={0} aria-label="Claim names">
        <table className="explained">
          <caption>
            Who defines each name in {x.live ? "your" : "a"} token
          </caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Part</th>
              <th scope="col">Defined by</th>
              <th scope="col">Meaning</th>
              <th scope="col">{x.live ? "In your token" : "In the example"}</th>
            </tr>
          </thead>
          <tbody>
            {NAMES.map(([name, part, source, meaning]) => {
              const value = (part === "header" ? x.header : x.payload)[name];
              return (
                <tr key={name}>
                  <th scope="row">
                    <code>{name}</code>
                  </th>
                  <td>{part}</td>
                  <td>{source}</td>
                  <td>{meaning}</td>
                  <td>
                    <code>
                      {value === undefined ? "—" : JSON.stringify(value)}
                    </code>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p>
        Do not mix up <code>typ</code> and <code>type</code>. <code>typ</code>,
        in the header, says the whole string is a JWT. <code>type</code>, in the
        payload, is flask-jwt-extended&apos;s way of telling an access token
        from a refresh token; RFC 8725 §3.11 recommends a different header{" "}
        <code>typ</code> per kind of token for that (such as <code>at+jwt</code>{" "}
        for access tokens, RFC 9068). Either way, a server must refuse a refresh
        token where an access token belongs: experiment 6 of the Tamper lab.
      </p>
    </Panel>
  );
}

function ClocksAndLeeway({ x }) {
  const { iat, nbf, exp } = x.payload;
  const times = [iat, nbf, exp].every((value) => typeof value === "number");
  return (
    <Panel id="basics-clocks" title="Clocks and leeway">
      <p>
        <code>exp</code>, <code>nbf</code> and <code>iat</code> are seconds
        since 1970 in UTC (RFC 7519 §2, &quot;NumericDate&quot;). The server
        compares them with its own clock: <code>exp</code> must be in the
        future, <code>nbf</code> and <code>iat</code> must not be.
        flask-jwt-extended writes <code>nbf</code> equal to <code>iat</code>:
        the moment of signing.
      </p>
      {times && (
        <p>
          {x.live ? "Your token" : "The example token"}: <code>iat</code>{" "}
          {localTime(iat)}, <code>nbf</code> {localTime(nbf)}
          {nbf === iat ? " (the same)" : ""}, <code>exp</code> {localTime(exp)},{" "}
          {exp - iat} seconds later.
        </p>
      )}
      <p>
        Two machines&apos; clocks never agree exactly. If the server that checks
        a token runs 5 seconds behind the one that signed it, PyJWT refuses a
        brand-new token for its first 5 seconds: &quot;The token is not yet
        valid (iat)&quot; (422 by flask-jwt-extended&apos;s default).{" "}
        <em>Leeway</em> is a grace period on all three checks: with{" "}
        <code>JWT_DECODE_LEEWAY = 10</code>, a token is accepted up to 10
        seconds early and 10 seconds after its <code>exp</code>. RFC 7519 §4.1.4
        allows &quot;some small leeway, usually no more than a few
        minutes&quot;. flask-jwt-extended&apos;s default, kept here, is 0: the
        same server signs and checks, with one clock. Servers on several
        machines need their clocks kept in sync (NTP), or a few seconds of
        leeway.
      </p>
      <p>
        Your browser&apos;s clock never counts: the server does not ask it. It
        only drives the Lab&apos;s countdown, which is off by as much as your
        clock is.
      </p>
    </Panel>
  );
}

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

function WhereToKeepIt() {
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

/** The five panels, under one heading; `x` is the page's exchange (live or example). */
export function Basics({ x }) {
  return (
    <>
      <h2>What the lesson leaves out</h2>
      <p>
        Five things a beginner needs next, each shown with{" "}
        {x.live ? "your own token" : "the example token"} where it can be.
      </p>
      <DecodingIsNotVerifying x={x} />
      <TlsAndUrls />
      <ClaimNames x={x} />
      <ClocksAndLeeway x={x} />
      <WhereToKeepIt />
    </>
  );
}
