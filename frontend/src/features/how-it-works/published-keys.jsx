// Panel: what a JWKS is for: public keys as JSON at one URL, each named by a kid that tokens
// carry in their header. Shows the kid of the token shown, when it has one.
import { whoseToken } from "./use-exchange.js";
import { Panel } from "./teaching-parts.jsx";

function KidOfThisToken({ exchange }) {
  const kid = exchange.header?.kid;
  if (kid === undefined) {
    return (
      <>
        {whoseToken(exchange)}&apos;s header has no <code>kid</code>
        {exchange.live ? "." : ", like the lesson's."}
      </>
    );
  }
  return (
    <>
      {whoseToken(exchange)}&apos;s header says{" "}
      <code>&quot;kid&quot;: {JSON.stringify(kid)}</code>.
    </>
  );
}

export function PublishedKeys({ exchange }) {
  return (
    <Panel id="keys-jwks" title="Public keys, published: the JWKS">
      <p>
        A JSON Web Key (JWK, RFC 7517) is a key written as JSON, and a JWK Set
        is a list of them: <code>{'{"keys": [...]}'}</code>. An issuer that
        signs with private keys publishes the public halves as a JWK Set (a
        JWKS) at one URL, and every service that checks its tokens fetches them
        from there: nobody hands a secret around, and the issuer can add or drop
        a key in one place. A public JWK carries only public numbers (
        <code>x</code> and <code>y</code> for an elliptic curve key,{" "}
        <code>n</code> and <code>e</code> for RSA); a private member such as{" "}
        <code>d</code> never belongs in it.
      </p>
      <p>
        Each JWK has a <code>kid</code>, and each token names the key that
        signed it with the same <code>kid</code> in its header (RFC 7515
        §4.1.4): the verifier picks the key whose <code>kid</code> matches.{" "}
        <KidOfThisToken exchange={exchange} />
      </p>
      <p>
        This server publishes its JWKS at{" "}
        <code>GET /.well-known/jwks.json</code>, a path many issuers use; RFC
        7517 fixes no path. OpenID Connect providers and OAuth authorization
        servers (RFC 8414) name the address instead, as <code>jwks_uri</code> in
        a metadata document. In HS256 mode the list is empty,{" "}
        <code>{'{"keys": []}'}</code>: a shared secret is never published, since
        whoever has it can sign.
      </p>
    </Panel>
  );
}
