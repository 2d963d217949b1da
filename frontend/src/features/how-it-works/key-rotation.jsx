// Panel: why keys rotate and how, without logging anyone out: the new key signs at once, the old
// one only verifies until its tokens expire, then the operator retires it; verifiers elsewhere
// cache the JWKS and fetch it again for a kid they do not know.
import { Panel } from "./teaching-parts.jsx";

export function KeyRotation() {
  return (
    <Panel id="keys-rotation" title="Keys rotate, and nobody is logged out">
      <p>
        <strong>Why.</strong> The longer a key signs, the more places it may
        have leaked to (a backup, a log, a laptop), and whoever holds it can
        sign any token until it is replaced. Rotating on a schedule bounds that
        time, and makes replacing a key a routine the operator has already
        practised when a leak forces one.
      </p>
      <p>
        <strong>How.</strong> <code>flask rotate-key</code> makes a new key, and
        from then on (within a few seconds in every API process) new tokens are
        signed with it and carry its <code>kid</code>. The old key is kept to
        verify only: tokens it signed keep working until they expire, and each
        refresh replaces them with tokens of the new key, so nobody is logged
        out. Once the longest of them could have expired (
        <code>REFRESH_TOKEN_TTL</code>, 7 days by default), the operator runs{" "}
        <code>flask retire-key [KID]</code>; the key leaves the JWKS, and a
        token still signed by it gets 401 with{" "}
        <code>&quot;error&quot;: &quot;key_retired&quot;</code>.
      </p>
      <p>
        <strong>Elsewhere.</strong> A service that verifies with the JWKS keeps
        a copy instead of fetching it for every request, and fetches it again
        when a token names a <code>kid</code> it has not seen, but not within 30
        seconds (by default) of its last fetch: PyJWT&apos;s{" "}
        <code>PyJWKClient</code> and the <code>createRemoteJWKSet</code> of the
        JavaScript library jose both work this way. So such a service may refuse
        the first tokens of a brand-new key for up to those 30 seconds; an
        issuer with verifiers elsewhere can publish a key in its JWKS a while
        before signing with it.
      </p>
      <p>
        <strong>Replaced instead of rotated.</strong> Throw the old key away
        instead of keeping it to verify, and every token it signed fails its
        check, refresh cookies included: everyone is logged out and logs in
        again. A new <code>JWT_SECRET_KEY</code> does that here, since every key
        of this server is made from it or locked with it. After a leak that is
        the point.
      </p>
    </Panel>
  );
}
