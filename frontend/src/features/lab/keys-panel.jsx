// The Keys panel: the public keys as any browser can fetch them (the JWKS), and your own token's
// signature checked here, in this page, with one of them. With an asymmetric algorithm the
// private key signs and never leaves the server; the public key only verifies, so anyone may
// have it. With HS256 one shared secret does both, so the server publishes nothing to check with.
import { useEffect, useState } from "react";
import { getToken } from "../../api/token-store.js";
import { decodeToken } from "../../lib/jwt.js";
import { API } from "../../lib/paths.js";
import { localTime } from "../../lib/time.js";
import { useNow } from "../../lib/use-now.js";
import { fetchJwks } from "./jwks.js";
import { useSigningKeys } from "./signing-keys.js";
import { hasWebCrypto, verifyToken } from "./verify.js";

/**
 * The JWKS as GET /.well-known/jwks.json answers it, and `refetch()`. A token whose kid is not
 * in it makes the panel fetch it again once, as a verifier does when the issuer has rotated.
 */
function useJwks(kid) {
  const [jwks, setJwks] = useState({ status: "loading" });
  const [asked, setAsked] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    fetchJwks(controller.signal).then(
      (data) => setJwks({ status: "ready", data, at: Date.now() }),
      (error) => {
        if (!controller.signal.aborted) {
          setJwks({ status: "error", msg: error.message });
        }
      },
    );
    return () => controller.abort();
  }, [asked]);

  const keys = jwks.data?.keys;
  const missing =
    kid !== undefined && Array.isArray(keys) && keys.length > 0
      ? !keys.some((key) => key.kid === kid)
      : false;
  // Adjusted while rendering (React's pattern for state that follows a prop): once per kid.
  const [refetchedFor, setRefetchedFor] = useState(null);
  if (missing && refetchedFor !== kid) {
    setRefetchedFor(kid);
    setAsked((n) => n + 1);
  }

  return { jwks, refetch: () => setAsked((n) => n + 1) };
}

// Each in <code> where a long name must be allowed to wrap on a narrow phone.
const ENGINE = {
  WebCrypto: (
    <>
      by the browser&apos;s own WebCrypto (<code>crypto.subtle.importKey</code>,
      then <code>verify</code>)
    </>
  ),
  "@noble/curves": (
    <>
      by <code>@noble/curves</code>: this page is not a secure context (plain
      http, not localhost), so the browser offers no WebCrypto
    </>
  ),
};

/** {status, text} for the check of `token` against the JWKS `keys`. */
function useVerification(token, keys) {
  const [result, setResult] = useState(null); // {token, status, engine | msg}
  const { header } = token ? decodeToken(token) : {};
  const key = keys?.find((k) => k.kid === header?.kid);
  // The key as text: a fetch brings new objects, and only a different key means a new check.
  const keyText = key ? JSON.stringify(key) : null;

  useEffect(() => {
    if (!token || !keyText) return undefined;
    let current = true;
    const alg = decodeToken(token).header?.alg;
    verifyToken(token, JSON.parse(keyText), alg).then(
      ({ valid, engine }) =>
        current &&
        setResult({ token, status: valid ? "valid" : "invalid", engine }),
      (error) =>
        current && setResult({ token, status: "error", msg: error.message }),
    );
    return () => {
      current = false;
    };
  }, [token, keyText]);

  if (!token) return { status: "error", text: "No token is stored." };
  if (!keys) return { status: "checking", text: "Fetching the JWKS..." };
  if (!key) {
    return {
      status: "error",
      text: `No key in the JWKS has your token's kid ${JSON.stringify(header?.kid)}: this page cannot check it.`,
    };
  }
  if (result?.token !== token) {
    return { status: "checking", text: "Checking your token's signature..." };
  }
  if (result.status === "error") return { status: "error", text: result.msg };
  const what = (
    <>
      your token ({header.alg}, kid <code>{JSON.stringify(key.kid)}</code>),
      checked with the public key of the same kid, in this browser{" "}
      {ENGINE[result.engine]}.
    </>
  );
  return result.status === "valid"
    ? { status: "valid", text: <>Signature valid: {what}</> }
    : { status: "invalid", text: <>Signature invalid: {what}</> };
}

function SharedSecret({ jwks }) {
  const note = Object.entries(jwks).find(
    ([name, value]) => name !== "keys" && typeof value === "string",
  );
  return (
    <>
      <p>
        This server signs with <strong>HS256</strong>: one shared secret both
        makes and checks every signature. Whoever holds it can make tokens for
        anyone, so it is never published: the JWKS has no key in it
        {note ? (
          <>
            , and says so: <q>{note[1]}</q>
          </>
        ) : (
          "."
        )}
      </p>
      <p role="status" className="message message-note">
        This browser cannot check your token&apos;s signature: with HS256 only
        the server, which holds the secret, can.
      </p>
    </>
  );
}

/** Region "Keys": the JWKS, the server's list of keys, and your token checked in this page. */
export function KeysPanel() {
  // The token is read again every second: a refreshed one is checked again.
  useNow();
  const token = getToken();
  const { header } = token ? decodeToken(token) : {};
  const { keys } = useSigningKeys(header?.kid);
  const { jwks, refetch } = useJwks(header?.kid);
  const published = jwks.data?.keys;
  const shared = Array.isArray(published) && published.length === 0;
  const check = useVerification(token, shared ? null : published);

  return (
    <section className="panel" aria-labelledby="keys-heading">
      <h2 id="keys-heading">Keys</h2>
      <p>
        A JWKS (JSON Web Key Set, RFC 7517) is the list of public keys a server
        publishes so that anyone can check its tokens:{" "}
        <code>GET {API.jwks}</code>, no login needed. The token&apos;s header
        names its key with <code>kid</code>; a verifier picks the key with that
        kid from the set. Private keys never appear in it.
      </p>

      {jwks.status === "loading" && <p>Fetching the JWKS...</p>}
      {jwks.status === "error" && (
        <p role="alert" className="message message-error">
          Could not fetch the JWKS: {jwks.msg}
        </p>
      )}
      {jwks.status === "ready" && (
        <>
          <h3>The JWKS, as this browser fetched it</h3>
          <pre className="json" tabIndex={0} aria-label="JWKS">
            {JSON.stringify(jwks.data, null, 2)}
          </pre>
          <p className="muted">
            Fetched at {localTime(jwks.at / 1000)}.{" "}
            <button
              type="button"
              className="button-secondary"
              onClick={refetch}
            >
              Fetch the JWKS again
            </button>
          </p>
          {shared ? (
            <SharedSecret jwks={jwks.data} />
          ) : (
            <>
              <h3>Your token, checked in this browser</h3>
              <p
                role="status"
                className={`message ${
                  check.status === "valid"
                    ? "message-success"
                    : check.status === "checking"
                      ? "message-note"
                      : "message-error"
                }`}
              >
                {check.text}
              </p>
              <p className="muted">
                {hasWebCrypto()
                  ? "This page is a secure context, so it uses WebCrypto."
                  : "This page is not a secure context, so it has no WebCrypto and uses @noble/curves."}{" "}
                Any service could do the same check without asking this server:
                that is what publishing public keys is for.
              </p>
            </>
          )}
        </>
      )}

      {keys && (
        <div className="table-scroll" tabIndex={0} aria-label="Keys table">
          <table className="explained">
            <caption>The server&apos;s signing keys (GET {API.keys})</caption>
            <thead>
              <tr>
                <th scope="col">kid</th>
                <th scope="col">Algorithm</th>
                <th scope="col">State</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {keys.map((key) => (
                <tr key={key.kid}>
                  <th scope="row">
                    <code>{key.kid}</code>
                    {key.kid === header?.kid && " (your token's)"}
                  </th>
                  <td>{key.alg}</td>
                  <td>{key.state}</td>
                  <td>{new Date(key.created_at).toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
