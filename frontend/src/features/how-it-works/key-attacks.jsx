// Panel: the attacks that come with keys, each a Tamper lab experiment, and why this server
// answers each one 401: the server checks a token's header before it looks up any key. Library
// behaviour is checked by backend/tests/test_library_claims.py.
import { Fragment } from "react";
import { Link } from "react-router";
import { PAGES } from "../../lib/paths.js";
import { Panel } from "./teaching-parts.jsx";

// [the experiment, what a careless verifier does with it, why this server answers 401]
const ATTACKS = [
  [
    "Algorithm confusion",
    <>
      The header says <code>HS256</code> and the token is signed with the
      server&apos;s <em>public</em> key used as an HMAC secret. A verifier that
      lets the token choose the algorithm checks it with that same public key,
      and it passes (RFC 8725 §2.1). It needs a public key, so it applies to the
      ES256, RS256 and EdDSA modes.
    </>,
    <>
      The server accepts one algorithm, its own, as RFC 8725 §3.1 asks
      (&quot;Perform Algorithm Verification&quot;): it refuses a token that
      names another before it looks for a key, and flask-jwt-extended gives
      PyJWT that one algorithm too, so PyJWT would refuse any other before
      checking a signature. PyJWT also refuses to use a PEM public key as an
      HMAC secret.
    </>,
  ],
  [
    <>
      An embedded <code>jwk</code>
    </>,
    <>
      The attacker signs with a key pair of their own and puts its public key in
      the header (RFC 7515 §4.1.3). A verifier that uses it checks the token
      with the attacker&apos;s key.
    </>,
    <>
      A key that arrives inside the token proves nothing: the key must belong to
      the issuer (RFC 8725 §3.8). The server refuses a token whose header
      carries a key or points to one (<code>jwk</code>, <code>jku</code>,{" "}
      <code>x5u</code>, <code>x5c</code>) before it looks anything up, and it
      checks signatures with its own keys only. PyJWT never reads a{" "}
      <code>jwk</code> header either.
    </>,
  ],
  [
    <>
      A <code>jku</code> pointing elsewhere
    </>,
    <>
      The header names a JWK Set URL (RFC 7515 §4.1.2) on the attacker&apos;s
      site. A verifier that follows it fetches the attacker&apos;s keys, and can
      be made to send requests anywhere, inside its own network too (server-side
      request forgery).
    </>,
    <>
      RFC 8725 §3.10 (&quot;Do Not Trust Received Claims&quot;): never follow
      such a URL blindly. The server fetches nothing and refuses the token, as
      it does one with a <code>jwk</code>; PyJWT never fetches such a URL
      either.
    </>,
  ],
  [
    <>
      A <code>kid</code> with a path in it
    </>,
    <>
      A verifier that loads a key from a file named by the <code>kid</code> can
      be pointed at a file whose content the attacker knows (an empty one, say)
      and accept a token signed with it; one that builds a database query from
      it can be injected (RFC 8725 §3.10).
    </>,
    <>
      The server accepts only a <code>kid</code> shaped like the ones it makes,
      and only compares it with the names of its own keys: it opens no file and
      builds no query from it.
    </>,
  ],
  [
    <>
      An unknown <code>kid</code>
    </>,
    <>A key id that names no key of the issuer&apos;s.</>,
    <>
      No key, no check: refused. A <code>kid</code> of a key the operator has
      retired gets its own kind, <code>key_retired</code>.
    </>,
  ],
  [
    <>
      Another <code>aud</code> or <code>iss</code>
    </>,
    <>
      A token made for another service, or by another issuer, replayed here (RFC
      8725 §2.7, substitution).
    </>,
    <>
      The server names its issuer and audience (<code>JWT_DECODE_ISSUER</code>,{" "}
      <code>JWT_DECODE_AUDIENCE</code>), so PyJWT refuses any other (RFC 8725
      §3.8 and §3.9).
    </>,
  ],
];

export function KeyAttacks() {
  return (
    <Panel id="keys-attacks" title="Attacks that come with keys">
      <p>
        Headers name keys and algorithms, and an attacker writes the header.
        Each attack below is an experiment in the Tamper lab of the{" "}
        <Link to={PAGES.lab}>Lab</Link>, and this server answers each with 401{" "}
        <code>&quot;error&quot;: &quot;token_invalid&quot;</code>, unless noted.
      </p>
      <dl>
        {ATTACKS.map(([attack, careless, here], index) => (
          <Fragment key={index}>
            <dt>
              <strong>{attack}</strong>
            </dt>
            <dd>
              <p>{careless}</p>
              <p>
                <strong>Here: </strong>
                {here}
              </p>
            </dd>
          </Fragment>
        ))}
      </dl>
    </Panel>
  );
}
