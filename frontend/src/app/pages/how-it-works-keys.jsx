// "Keys, algorithms and audiences": three short panels for /how-it-works on what one shared HS256
// key means: whoever checks a token can make one (HS256 against RS256/ES256), who a token is for
// (iss, aud), and how a key is guessed, rotated and changed. Each shows what this browser's token
// (or the page's example token) says. Library behaviour: backend/tests/test_library_claims.py.
import { useState } from "react";
import { Link } from "react-router";
import { signedWithKey } from "../../features/lab/forge.js";
import { PAGES } from "../../lib/paths.js";
import { Panel } from "./how-it-works-basics.jsx";

// Keys printed in tutorials and defaults, the first an attacker tries; the lesson's is second.
export const TUTORIAL_KEYS = [
  "secret",
  "super-secret",
  "supersecret",
  "changeme",
  "change-me",
  "jwt-secret",
  "jwt_secret",
  "secret-key",
  "secretkey",
  "my-secret-key",
  "your-256-bit-secret",
  "password",
];
const LESSON_KEY = "super-secret";

/** The first of `keys` whose HS256 signature over the token's header and payload is the token's own, or null. */
export async function guessKey(token, keys = TUTORIAL_KEYS) {
  for (const key of keys) {
    if ((await signedWithKey(token, key)) === token) return key;
  }
  return null;
}

function OneSharedSecret({ x }) {
  const alg = x.header?.alg;
  return (
    <Panel id="keys-algorithms" title="One shared secret: HS256, RS256, ES256">
      <p>
        {x.live ? "Your token" : "The example token"} says{" "}
        <code>&quot;alg&quot;: {JSON.stringify(alg ?? null)}</code>. HS256 is an
        HMAC (RFC 7518 §3.2): the same secret key makes the signature and checks
        it. So whatever can check a token can also make one, for any user. Here
        that is fine: one server both signs and checks, and the key never leaves
        it.
      </p>
      <p>
        It stops being fine when several services check the same tokens: give
        each one the key and each one can forge tokens for everyone. RS256 (RSA)
        and ES256 (ECDSA), also in RFC 7518 (§3.1 lists them, §3.3 and §3.4
        define them), split the key in two: a private key that signs, kept by
        the one service that issues tokens, and a public key that only verifies,
        which any service may hold (and publish). flask-jwt-extended does both:{" "}
        <code>JWT_ALGORITHM</code> plus <code>JWT_PRIVATE_KEY</code> and{" "}
        <code>JWT_PUBLIC_KEY</code> (PyJWT needs the <code>cryptography</code>{" "}
        package for them).
      </p>
    </Panel>
  );
}

function IssuerAndAudience({ x }) {
  const { iss, aud } = x.payload ?? {};
  const who = x.live ? "Your token" : "The example token";
  return (
    <Panel id="keys-audience" title="Who made it, who it is for: iss and aud">
      <p>
        Two registered claims say where a token comes from and where it may be
        used: <code>iss</code>, the issuer (RFC 7519 §4.1.1), and{" "}
        <code>aud</code>, the audience (§4.1.3). A server that names an audience
        must refuse a token whose <code>aud</code> does not name it (§4.1.3).
        RFC 8725 says when to rely on them: once one issuer makes tokens for
        more than one application, each token must carry an <code>aud</code> and
        each application must check it (§3.9), or a token meant for one is
        accepted by another; and the key that checks a token must belong to its
        issuer (§3.8).
      </p>
      <p>
        {iss === undefined && aud === undefined ? (
          <>
            {who} has neither: this app does not issue them today. It is the
            only issuer and the only audience of its tokens, signed with a key
            nobody else holds, so a token it accepts can only be its own.
          </>
        ) : (
          <>
            {who} says <code>iss</code>{" "}
            <code>{JSON.stringify(iss ?? null)}</code> and <code>aud</code>{" "}
            <code>{JSON.stringify(aud ?? null)}</code>.
          </>
        )}{" "}
        flask-jwt-extended writes them when <code>JWT_ENCODE_ISSUER</code> and{" "}
        <code>JWT_ENCODE_AUDIENCE</code> are set, and checks them only when{" "}
        <code>JWT_DECODE_ISSUER</code> and <code>JWT_DECODE_AUDIENCE</code> are:
        by default it accepts a token whose <code>aud</code> names another app.
      </p>
    </Panel>
  );
}

function KeyGuess({ token }) {
  const [result, setResult] = useState(null);
  async function guess() {
    const lessonToken = await signedWithKey(token, LESSON_KEY);
    setResult({
      yours: await guessKey(token),
      lesson: await guessKey(lessonToken),
    });
  }
  return (
    <>
      <p>
        <button type="button" className="button-secondary" onClick={guess}>
          Guess the key
        </button>{" "}
        tries {TUTORIAL_KEYS.length} keys from tutorials against this token, in
        your browser, without asking the server.
      </p>
      <div aria-live="polite">
        {result && (
          <p role="status">
            This token:{" "}
            {result.yours === null ? "none of them" : `"${result.yours}"`}{" "}
            signed it. The same token signed with the lesson&apos;s key: found,{" "}
            <code>&quot;{result.lesson}&quot;</code>.
          </p>
        )}
      </div>
    </>
  );
}

function KeyManagement({ x }) {
  const kid = x.header?.kid;
  return (
    <Panel id="keys-management" title="Keys: guessed, rotated, changed">
      <p>
        <strong>Guessed offline.</strong> A token is all an attacker needs to
        test guesses at an HS256 key: compute the HMAC of its header and payload
        with a guess and compare with its signature, on their own machines, as
        fast as they can. No server is asked, so no rate limit applies. A key
        from a tutorial, or one a person made up, is among the first guesses; 32
        random bytes are out of reach. Hence RFC 8725 (§2.2, §3.5): never a
        human-memorable password as an HS256 key.
      </p>
      <KeyGuess token={x.token} />
      <p>
        <strong>Rotated.</strong> The header&apos;s <code>kid</code> (RFC 7515
        §4.1.4) names the key that signed a token. A server that rotates keys
        signs new tokens with the new key and keeps checking the old key&apos;s
        tokens, found by their <code>kid</code>, until they expire; then it
        drops the old key.{" "}
        {kid === undefined ? (
          <>
            {x.live ? "Your token's" : "The example token's"} header has no{" "}
            <code>kid</code>: this app signs with one key,{" "}
            <code>JWT_SECRET_KEY</code>.
          </>
        ) : (
          <>
            {x.live ? "Your token's" : "The example token's"} header says{" "}
            <code>&quot;kid&quot;: {JSON.stringify(kid)}</code>.
          </>
        )}
      </p>
      <p>
        <strong>Changed.</strong> Replace <code>JWT_SECRET_KEY</code> without
        rotating and every token signed with the old key fails its signature
        check, refresh cookies included: everyone is logged out and logs in
        again. After a leak that is the point. Experiment 3 of the Tamper lab in
        the <Link to={PAGES.lab}>Lab</Link> shows the server&apos;s answer to a
        token signed with another key: 401.
      </p>
    </Panel>
  );
}

/** The three panels, under one heading; `x` is the page's exchange (live or example). */
export function KeysAndAudiences({ x }) {
  return (
    <section aria-labelledby="keys-heading">
      <h2 id="keys-heading">Keys, algorithms and audiences</h2>
      <OneSharedSecret x={x} />
      <IssuerAndAudience x={x} />
      <KeyManagement x={x} />
    </section>
  );
}
