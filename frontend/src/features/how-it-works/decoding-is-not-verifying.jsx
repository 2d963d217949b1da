// Panel: a JWT's header and payload are only encoded, so reading one proves nothing; only the
// server verifies, with its key. Shown with this browser's token or the example.
import { Link } from "react-router";
import { PAGES } from "../../lib/paths.js";
import { signatureKind, usesSharedSecret } from "./algorithms.js";
import { JsonText, Panel } from "./teaching-parts.jsx";

/** How the server checks a token signed with `alg`, as the end of a sentence. */
function howTheServerChecks(alg) {
  const kind = signatureKind(alg);
  if (kind === null) return "it checks the signature with its own key";
  if (usesSharedSecret(alg)) {
    return `it recomputes the signature, ${kind} over header and payload, with its secret key and compares`;
  }
  return `it checks the signature, ${kind} over header and payload, with its public key`;
}

export function DecodingIsNotVerifying({ exchange }) {
  return (
    <Panel id="basics-decoding" title="Decoding is not verifying">
      <p>
        A JWT&apos;s header and payload are only base64url-encoded JSON (RFC
        7515 §3.1): anyone who holds the token can read them, without any key.
        This page just did, in your browser, with{" "}
        {exchange.live ? "your own token" : "the example token"}:
      </p>
      <JsonText value={exchange.payload} label="Payload decoded by this page" />
      <p>
        Reading proves nothing. Only the server <em>verifies</em>:{" "}
        {howTheServerChecks(exchange.header?.alg)}. Your browser, a proxy or a
        website that decodes JWTs can read this token; only the holder of the
        signing key can make one that passes. That is why the private page shows
        who <code>GET /api/protected</code> says you are, not what the browser
        decoded.
      </p>
      <p>
        The lesson calls the header&apos;s algorithm an &quot;encryption
        algorithm&quot; and says a JWT &quot;can be decrypted by the
        server&quot;: nothing here is encrypted. This token is signed (JWS, RFC
        7515), not encrypted (that would be JWE, RFC 7516), so it must never
        carry a secret.
        {exchange.live && (
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
