// The lesson's table of "Basic", "Bearer" and "JWT" tokens, with what each example really is.
// The page decodes the lesson's examples itself, so the table shows what anyone can check.

// The lesson's three example tokens, exactly as it prints them.
const LESSON_BASIC = "ecff2099b95ed507a27a4717ec78965d529cc346";
const LESSON_BEARER =
  "YWxlc2FuY2hlenI6NzE0YmZhNDNlN2MzMTJiZTk5OWQwYWZlYTg5MTQ4ZTc=";
const LESSON_JWT =
  "eyJhbGciOiJIUzI1NiIsInR5c.eyJzdWIiOFt2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpM";

/** The comparison table, under its heading, and what a JWT still needs a database for. */
export function TokenTypesCompared() {
  return (
    <>
      <h2>Basic, Bearer and JWT tokens</h2>
      <p>
        The lesson compares three &quot;types of token&quot; with an example
        each. The examples are not what their names say, and the three names are
        not three kinds of token.
      </p>
      <div
        className="table-scroll"
        tabIndex={0}
        aria-label="Token types compared"
      >
        <table className="compare">
          <caption>
            The lesson&apos;s comparison, with what each example really is
          </caption>
          <thead>
            <tr>
              <th scope="col">The lesson&apos;s name</th>
              <th scope="col">The lesson&apos;s example</th>
              <th scope="col">What it really is</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">Basic</th>
              <td>
                <code>{LESSON_BASIC}</code>
              </td>
              <td>
                40 hexadecimal digits: an opaque token (random-looking, meaning
                nothing by itself), not HTTP Basic. Real HTTP Basic (RFC 7617)
                sends <code>username:password</code>, only base64-encoded, with
                every request: anyone who sees one request has the password.
              </td>
            </tr>
            <tr>
              <th scope="row">Bearer</th>
              <td>
                <code>{LESSON_BEARER}</code>
              </td>
              <td>
                Decoded by this page (plain base64: no key needed), it reads{" "}
                <code>{atob(LESSON_BEARER)}</code>: a name and a secret joined
                by a colon, the shape of an HTTP Basic credential (RFC 7617 §2).
                And &quot;Bearer&quot; is not a token format. It is a property:
                RFC 6750 §1.2 calls any token that works for whoever holds it a
                bearer token, unlike a proof-of-possession token that also needs
                a key only its owner has (DPoP, RFC 9449). And it is the scheme
                that sends such tokens, <code>Authorization: Bearer</code>.
                Behind it the server may look the token up (an opaque token,
                stored in a database) or check its signature (a JWT).
              </td>
            </tr>
            <tr>
              <th scope="row">JWT</th>
              <td>
                <code>{LESSON_JWT}</code>
              </td>
              <td>
                The shape of a JWT, three base64url parts joined by dots, but
                broken. Its header has 25 characters, and no base64url text can
                (a length of 4n + 1 never decodes): only its first 24 decode, to{" "}
                <code>{'{"alg":"HS256","ty'}</code>, which stops mid-word. Its
                payload decodes to <code>{'{"sub"8[v239022}'}</code>. A real JWT
                carries its claims and a signature, so the server checks the
                signature instead of looking the token up. It is a bearer token
                too: this app sends it as <code>Authorization: Bearer</code>. It
                is signed, not encrypted: anyone can read its payload.
              </td>
            </tr>
          </tbody>
        </table>
      </div>
      <p className="muted">
        The lesson says a JWT needs no database. Checking one does not, but
        logging out does: this app keeps a blocklist of revoked token ids (
        <code>jti</code>), and still loads the user on every request.
      </p>
    </>
  );
}
