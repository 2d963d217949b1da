// Panel: HS256's one shared secret against a key pair (ES256, RS256, EdDSA): who can check a
// token, who can make one, and where a browser can verify one. Reads the algorithm from the
// token shown, never from a default: the server's JWT_SIGNING setting chooses it.
import { signatureKind, usesSharedSecret } from "./algorithms.js";
import { Panel } from "./teaching-parts.jsx";

/** What the token shown says about the server's signing mode. */
function ModeOfThisServer({ exchange }) {
  const alg = exchange.header?.alg;
  const says = (
    <>
      says <code>&quot;alg&quot;: {JSON.stringify(alg ?? null)}</code>
    </>
  );
  if (!exchange.live) {
    return (
      <p>
        The example token {says}, the lesson&apos;s algorithm. This server signs
        with the one its <code>JWT_SIGNING</code> setting names (
        <code>hs256</code>, <code>es256</code>, <code>rs256</code> or{" "}
        <code>eddsa</code>) and accepts no other: log in and this panel reads it
        from your own token.
      </p>
    );
  }
  const kind = signatureKind(alg);
  return (
    <p>
      Your token {says}
      {kind ? <>: its signature is {kind}</> : null}. It is the one algorithm
      this server signs with and accepts, chosen by its <code>JWT_SIGNING</code>{" "}
      setting (<code>hs256</code>, <code>es256</code>, <code>rs256</code> or{" "}
      <code>eddsa</code>).{" "}
      {usesSharedSecret(alg)
        ? "So this server holds one shared secret."
        : "So this server signs with a private key, and anyone may hold its public key."}
    </p>
  );
}

export function SharedSecretOrKeyPair({ exchange }) {
  return (
    <Panel
      id="keys-algorithms"
      title="One shared secret or a key pair: HS256, ES256, RS256, EdDSA"
    >
      <ModeOfThisServer exchange={exchange} />
      <p>
        <strong>HS256</strong> is an HMAC (RFC 7518 §3.2): the same secret key
        makes the signature and checks it. So whatever can check a token can
        also make one, for any user. That is fine while one server both signs
        and checks and the key never leaves it. It stops being fine when several
        services check the same tokens: give each one the key and each one can
        forge tokens for everyone. And anyone holding a single token can test
        guesses at the key offline (below).
      </p>
      <p>
        <strong>ES256</strong> (ECDSA on the P-256 curve, RFC 7518 §3.4),{" "}
        <strong>RS256</strong> (RSA, §3.3) and <strong>EdDSA</strong> (Ed25519,
        RFC 8037) split the key in two: a private key that signs, kept by the
        one service that issues tokens, and a public key that only verifies,
        which any service may hold, and which can be published for anyone to
        fetch. A service that holds only the public key can check tokens and can
        never make one. flask-jwt-extended does both: <code>JWT_ALGORITHM</code>{" "}
        plus <code>JWT_PRIVATE_KEY</code> and <code>JWT_PUBLIC_KEY</code>, or
        its <code>encode_key_loader</code> and <code>decode_key_loader</code>{" "}
        callbacks to choose among several keys (PyJWT needs the{" "}
        <code>cryptography</code> package for these algorithms).
      </p>
      <p>
        A browser can verify such a token itself with WebCrypto (
        <code>crypto.subtle</code>): ECDSA P-256 and RSA in every current
        browser, Ed25519 since Chrome 137, Firefox 129 and Safari 17. Only a
        secure context has <code>crypto.subtle</code>, though: a page served
        over https or from localhost. On plain http to a classroom address it is
        missing, and a JavaScript library has to do the maths instead.
      </p>
    </Panel>
  );
}
