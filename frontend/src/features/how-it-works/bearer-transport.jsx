// Panel: a bearer token works for whoever holds it, so it travels only over TLS and never in a
// URL; and what this very page's connection exposes.
import { Panel } from "./teaching-parts.jsx";

// Hosts that are this machine: over plain http the token still never crosses a network.
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

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

export function BearerTransport() {
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
