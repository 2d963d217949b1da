// Panel: who made a token and who it is for (iss, aud), what RFC 8725 says about checking them,
// and what flask-jwt-extended does by default. Shows the token's own iss and aud when it has them.
import { whoseToken } from "./use-exchange.js";
import { Panel } from "./teaching-parts.jsx";

export function IssuerAndAudience({ exchange }) {
  const { iss, aud } = exchange.payload ?? {};
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
            {whoseToken(exchange)} has neither
            {exchange.live
              ? "."
              : ": log in and this sentence shows your own token's."}
          </>
        ) : (
          <>
            {whoseToken(exchange)} says <code>iss</code>{" "}
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
