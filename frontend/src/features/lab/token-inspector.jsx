// The Token inspector: the access token this browser holds, taken apart. Header and payload are
// only base64url-encoded JSON, so the page can show them without any key; the signature is the
// one part the browser can look at but never produce.
import { getToken } from "../../api/token-store.js";
import { UserFacts } from "../../components/user-facts.jsx";
import { decodeToken, splitToken } from "../../lib/jwt.js";
import { localTime } from "../../lib/time.js";
import { useNow } from "../../lib/use-now.js";
import { explainClaims, explainHeader, expiryText } from "./claims.js";
import { RefreshNow } from "./refresh-now.jsx";
import { useSigningKeys } from "./signing-keys.js";

function Json({ value, label }) {
  return (
    // tabIndex: a long line can scroll sideways, and keyboard users must be able to reach it.
    <pre className="json" tabIndex={0} aria-label={label}>
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}

function ExplainedFields({ caption, rows }) {
  return (
    // On a narrow phone the table scrolls inside this box; the page itself never scrolls sideways.
    <div className="table-scroll" tabIndex={0} aria-label={`${caption} table`}>
      <table className="explained">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Value</th>
            <th scope="col">What it means</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.name}>
              <th scope="row">
                <code>{row.name}</code>
              </th>
              <td>
                <code>{JSON.stringify(row.value)}</code>
              </td>
              <td>{row.text}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** What the signature is, for the token's algorithm. */
function SignatureText({ alg }) {
  if (alg === "HS256") {
    return (
      <p>
        HMAC-SHA256 over <code>header.payload</code>, computed with a key that
        never leaves the server. Your browser can read the header and the
        payload, but it cannot forge a signature: change one character of the
        payload and the server&apos;s own HMAC no longer matches. Try it in the
        Tamper lab below.
      </p>
    );
  }
  return (
    <p>
      A {alg} signature over <code>header.payload</code>, made with the
      server&apos;s private key, which never leaves it. The matching public key
      only checks: your browser checks this very signature with it in the Keys
      panel below, and cannot forge one. Change one character of the payload and
      the check fails: try it in the Tamper lab.
    </p>
  );
}

/**
 * The current access token, split, decoded and explained claim by claim, with the server's
 * signing key that made it.
 */
export function TokenInspector({ user }) {
  // Ticks every second: the countdown moves, and the token is re-read so a refreshed one shows.
  const now = useNow();
  const token = getToken();
  const parts = splitToken(token ?? "");
  const decoded = token ? decodeToken(token) : { error: "No token is stored." };
  const { keys } = useSigningKeys(decoded.header?.kid);

  return (
    <section className="panel" aria-labelledby="inspector-heading">
      <h2 id="inspector-heading">Token inspector</h2>
      <p>
        This is the access token your browser keeps in{" "}
        <code>localStorage[&quot;jwt-token&quot;]</code> and sends in the{" "}
        <code>Authorization</code> header of every API call that needs you
        logged in (the refresh call sends the refresh cookie instead). The
        server gave it to:
      </p>
      <UserFacts user={user} />

      {decoded.error ? (
        <p role="alert" className="message message-error">
          This token cannot be read: {decoded.error}
        </p>
      ) : (
        <>
          <div className="countdown-row">
            {typeof decoded.payload.exp === "number" && (
              <p className="countdown" role="timer">
                This token {expiryText(decoded.payload.exp, now)}
              </p>
            )}
            <RefreshNow />
          </div>

          <h3>The token, as it travels</h3>
          <p className="jwt-string" aria-label="The token, coloured by part">
            <span className="jwt-header">{parts.header}</span>.
            <span className="jwt-payload">{parts.payload}</span>.
            <span className="jwt-signature">{parts.signature}</span>
          </p>
          <p className="jwt-legend">
            Three parts, separated by dots:{" "}
            <span className="jwt-header">header</span> .{" "}
            <span className="jwt-payload">payload</span> .{" "}
            <span className="jwt-signature">signature</span>
          </p>

          <div className="jwt-section jwt-section-header">
            <h3>Header</h3>
            <p>
              How the token was made. Decoded from{" "}
              <code className="jwt-header">{parts.header}</code>:
            </p>
            <Json value={decoded.header} label="Decoded header" />
            <ExplainedFields
              caption="Header fields"
              rows={explainHeader(decoded.header, keys)}
            />
          </div>

          <div className="jwt-section jwt-section-payload">
            <h3>Payload</h3>
            <p>
              The claims: who the token is for and how long it is good for.
              Anyone holding the token can read them: this token is signed
              (JWS), not encrypted, so it must never carry a secret.
            </p>
            <Json value={decoded.payload} label="Decoded payload" />
            <ExplainedFields
              caption="Claims"
              rows={explainClaims(decoded.payload, now)}
            />
            {typeof decoded.payload.iat === "number" && (
              <p className="muted">
                Signed at {localTime(decoded.payload.iat)}.
              </p>
            )}
          </div>

          <div className="jwt-section jwt-section-signature">
            <h3>Signature</h3>
            <p>
              <code className="jwt-signature">{parts.signature}</code>
            </p>
            <SignatureText alg={decoded.header.alg} />
          </div>
        </>
      )}
    </section>
  );
}
