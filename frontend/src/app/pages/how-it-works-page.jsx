// The lesson's five steps, each tied to what this browser just did (when you are logged in)
// and to the file and function that does it, then the lesson's token comparison and the
// mistakes in the lesson's own code that this app fixes. Loaded on demand (React.lazy).
import { Link } from "react-router";
import { useRequestLog } from "../../api/request-log.js";
import { getToken } from "../../api/token-store.js";
import { useAuth } from "../../features/auth/auth-provider.jsx";
import { decodeToken, shortenToken } from "../../lib/jwt.js";
import { API, PAGES } from "../../lib/paths.js";
import { Basics } from "./how-it-works-basics.jsx";
import { KeysAndAudiences } from "./how-it-works-keys.jsx";
import { ClaimsAndRoles } from "./how-it-works-roles.jsx";
import { RefreshRotation } from "./how-it-works-sessions.jsx";

// Shown when this browser has no session: what the same exchange looks like for the demo user.
// The token has the claims of a real access token, `role` included; its signature is made up.
const EXAMPLE_TOKEN =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJmcmVzaCI6dHJ1ZSwiaWF0IjoxNzk2MjIwMDAwLCJqdGkiOiIwZjZjMWI5ZS0yZDRhLTRjOGUtOWE1Ny0zYmUxZjBkMmM0YTEiLCJ0eXBlIjoiYWNjZXNzIiwic3ViIjoiMSIsIm5iZiI6MTc5NjIyMDAwMCwiY3NyZiI6IjVkN2U5YTEwLTRiMmMtNGYxZS04YzNkLTZhOWIwZTFmMmQzYyIsImV4cCI6MTc5NjIyMDkwMCwic2lkIjoiOGMxZDJlM2YtNGE1Yi00YzZkLThlN2YtOWEwYjFjMmQzZTRmIiwicm9sZSI6InN0dWRlbnQifQ.c2lnbmF0dXJlLXg5UWs";
const EXAMPLE = {
  username: "demo",
  userId: 1,
  token: EXAMPLE_TOKEN,
  ...decodeToken(EXAMPLE_TOKEN),
  expiresIn: 900,
};

// The lesson's three example tokens, exactly as it prints them.
const LESSON_BASIC = "ecff2099b95ed507a27a4717ec78965d529cc346";
const LESSON_BEARER =
  "YWxlc2FuY2hlenI6NzE0YmZhNDNlN2MzMTJiZTk5OWQwYWZlYTg5MTQ4ZTc=";
const LESSON_JWT =
  "eyJhbGciOiJIUzI1NiIsInR5c.eyJzdWIiOFt2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpM";

/** Standard base64 to text: anyone can do it, no key needed. */
function decodeBase64(text) {
  return atob(text);
}

// The password is never shown, not even your own: the log does not keep request bodies.
const HIDDEN_PASSWORD = "********";

function Code({ children, label }) {
  return (
    // tabIndex: a long line scrolls sideways, and keyboard users must be able to reach it.
    <pre className="exchange" tabIndex={0} aria-label={label}>
      {children}
    </pre>
  );
}

function DoneBy({ places }) {
  return (
    <p className="done-by">
      <strong>Done by: </strong>
      {places.map(([file, fn], index) => (
        <span key={`${file}-${fn}`}>
          {index > 0 && "; "}
          <code>{file}</code> <code>{fn}</code>
        </span>
      ))}
    </p>
  );
}

// Live values from this browser's session, or the example above.
function useExchange() {
  const { status, user } = useAuth();
  const log = useRequestLog();
  const token = status === "authenticated" ? getToken() : null;
  const decoded = token ? decodeToken(token) : { error: "no token" };
  if (!user || decoded.error) return { live: false, ...EXAMPLE };

  const { exp, iat } = decoded.payload;
  const login = log.find(
    (entry) =>
      entry.method === "POST" &&
      entry.path === API.token &&
      entry.status === 200,
  );
  return {
    live: true,
    loginAt: login?.at,
    username: user.username,
    userId: user.id,
    token,
    header: decoded.header,
    payload: decoded.payload,
    expiresIn:
      typeof exp === "number" && typeof iat === "number" ? exp - iat : "…",
  };
}

/** /how-it-works: the lesson, walked with this browser's own requests. */
export function HowItWorksPage() {
  const x = useExchange();
  const short = shortenToken(x.token);

  return (
    <article className="how">
      <h1>How it works</h1>
      <p className="lead">
        The lesson splits logging in into five steps. Here they are, each with
        the request or response (the headers that matter here, tokens shortened)
        and the code in this app that does it.
      </p>
      {x.live ? (
        <p role="status" className="message message-success">
          Live: these are your own requests
          {x.loginAt
            ? ` from your login at ${x.loginAt.toLocaleTimeString()}`
            : ""}
          , as {x.username}. The password is never shown.
        </p>
      ) : (
        <p className="message message-note">
          Example values: <Link to={PAGES.login}>log in</Link> and this page
          shows your own requests instead.
        </p>
      )}

      <ol className="walkthrough">
        <li>
          <h2>1. You type your username and password</h2>
          <p>
            The login form keeps both in React state until you press{" "}
            <q>Log in</q>. Nothing has left the browser yet.
          </p>
          <DoneBy
            places={[["frontend/src/app/pages/login-page.jsx", "LoginPage"]]}
          />
        </li>

        <li>
          <h2>2. They are sent to the API</h2>
          <p>
            One <code>POST</code>, because a token is being created. The body is
            JSON; there is no <code>Authorization</code> header yet, since there
            is no token yet.
          </p>
          <Code label="Step 2 request">
            {`POST /api/token
Content-Type: application/json

{"username": "${x.username}", "password": "${HIDDEN_PASSWORD}"}`}
          </Code>
          <DoneBy
            places={[
              ["frontend/src/features/auth/auth-provider.jsx", "login"],
              ["frontend/src/api/client.js", "client"],
            ]}
          />
        </li>

        <li>
          <h2>3. The API looks up the user and checks the password</h2>
          <p>
            The lesson looked for a row matching username AND password, so it
            stored passwords in plain text. This API finds the user by name and
            checks the password against an argon2id hash; an unknown user and a
            wrong password get the same answer, 401{" "}
            <q>Bad username or password</q>.
          </p>
          <Code label="Step 3 on the server">
            {`user = db.session.scalar(db.select(User).where(User.username == "${x.username}"))
user.verify_password("${HIDDEN_PASSWORD}")   # argon2id: True or False`}
          </Code>
          <DoneBy
            places={[
              ["backend/app/routes/auth.py", "create_token"],
              ["backend/app/models.py", "User.verify_password"],
            ]}
          />
        </li>

        <li>
          <h2>4. The API signs a token and answers 200</h2>
          <p>
            The API starts a login session and flask-jwt-extended signs two
            tokens with the server&apos;s key, each with your user id, as a
            string, in the <code>sub</code> claim. The access token comes in the
            body; the browser keeps it in{" "}
            <code>localStorage[&quot;jwt-token&quot;]</code>, the lesson&apos;s
            key. The refresh token comes as an <code>HttpOnly</code> cookie that
            no script can read (the lesson had no refresh token).
          </p>
          <Code label="Step 4 response">
            {`HTTP/1.1 200 OK
Content-Type: application/json
Cache-Control: no-store
Set-Cookie: refresh_token_cookie=eyJhbGci…; Expires=…; Max-Age=604800; HttpOnly; Path=/api/token/refresh; SameSite=Strict
Set-Cookie: csrf_refresh_token=…; Expires=…; Max-Age=604800; Path=/; SameSite=Strict

{"token": "${short}", "user_id": ${x.userId}, "expires_in": ${x.expiresIn}}`}
          </Code>
          <p className="muted">
            <code>Max-Age</code> is the refresh token&apos;s lifetime (
            <code>REFRESH_TOKEN_TTL</code>, 7 days by default); in production
            both cookies are also <code>Secure</code>, sent over https only.
          </p>
          <DoneBy
            places={[
              ["backend/app/routes/auth.py", "create_token"],
              ["backend/app/lifecycle.py", "start_session"],
              ["backend/app/jwt_callbacks.py", "user_identity"],
              ["frontend/src/api/token-store.js", "setToken"],
            ]}
          />
        </li>

        <li>
          <h2>5. Every later request carries the token</h2>
          <p>
            The API client adds the header to every call that needs you logged
            in (the refresh call sends the refresh cookie and an{" "}
            <code>X-CSRF-TOKEN</code> header instead);{" "}
            <code>@jwt_required()</code> checks the signature and the expiry,
            then one database query checks that the token was not revoked and
            loads the user named by <code>sub</code>. Here a missing or bad
            token gets 401. The lesson expected 403, which flask-jwt-extended
            never sends: its defaults are 401 for a missing, expired or revoked
            token and 422 for an invalid one.
          </p>
          <Code label="Step 5 request and response">
            {`GET /api/protected
Authorization: Bearer ${short}

HTTP/1.1 200 OK
{"id": ${x.userId}, "username": "${x.username}"}`}
          </Code>
          <DoneBy
            places={[
              ["frontend/src/api/client.js", "client"],
              ["backend/app/routes/private.py", "protected"],
              ["backend/app/jwt_callbacks.py", "token_is_revoked"],
              ["backend/app/jwt_callbacks.py", "load_user"],
            ]}
          />
          {x.live && (
            <p>
              See every request and your token taken apart in the{" "}
              <Link to={PAGES.lab}>Lab</Link>.
            </p>
          )}
        </li>
      </ol>

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
                Decoded by this page, it reads{" "}
                <code>{decodeBase64(LESSON_BEARER)}</code>: a name and a secret
                joined by a colon, the shape of an HTTP Basic credential (RFC
                7617 §2). And &quot;Bearer&quot; is not a token format. It is a
                property: RFC 6750 §1.2 calls any token that works for whoever
                holds it a bearer token, unlike a proof-of-possession token that
                also needs a key only its owner has (DPoP, RFC 9449). And it is
                the scheme that sends such tokens,{" "}
                <code>Authorization: Bearer</code>. Behind it the server may
                look the token up (an opaque token, stored in a database) or
                check its signature (a JWT).
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

      <h2>Mistakes in the lesson&apos;s code that this app fixes</h2>
      <ul className="mistakes">
        <li>
          <strong>Plain-text passwords.</strong> The lesson queried{" "}
          <code>filter_by(username=username, password=password)</code>. Here
          passwords are argon2id hashes, checked by{" "}
          <code>User.verify_password</code>.
        </li>
        <li>
          <strong>An integer identity.</strong>{" "}
          <code>create_access_token(identity=user.id)</code> makes a token
          without complaint, but PyJWT 2.10+ refuses it each time it is checked,
          and flask-jwt-extended answers 422 <q>Subject must be a string</q>{" "}
          (RFC 7519 §4.1.2 makes <code>sub</code> a string). Here{" "}
          <code>sub</code> is <code>str(user.id)</code> (
          <code>user_identity</code> in{" "}
          <code>backend/app/jwt_callbacks.py</code>).
        </li>
        <li>
          <strong>Unreachable error branches.</strong> The lesson&apos;s{" "}
          <code>login()</code> throws on <code>!resp.ok</code> before it checks
          for 401 and 400, so those messages never show. Here the client reads
          the status first and shows the server&apos;s own <code>msg</code>.
        </li>
        <li>
          <strong>A 403 that never comes.</strong> The lesson checked for 403 on
          a missing or invalid token, after <code>!resp.ok</code> had already
          thrown. flask-jwt-extended never answers 403 there: 401 for a missing,
          expired or revoked token, 422 for an invalid one (bad signature, wrong
          algorithm, wrong type, malformed). This app answers 401 to all of them
          and handles every 401 in one place.
        </li>
        <li>
          <strong>The &quot;super-secret&quot; key.</strong> A key printed in a
          tutorial lets anyone sign tokens. Here development generates a random
          key (48 random bytes) unless you set one; a key you set must have at
          least 32 bytes (RFC 7518 §3.2) and not be a known placeholder, and
          production also refuses one that looks guessable.
        </li>
        <li>
          <strong>No way to take a token back.</strong> The lesson has no logout
          and no refresh: its token lives for flask-jwt-extended&apos;s default
          15 minutes, a stolen copy works until then, and the user is thrown out
          when it ends. Here logging out puts the token on a blocklist the
          server reads on every request, and an expired token is refreshed by
          itself. The <Link to={PAGES.lab}>Lab</Link> shows both: a revoked
          token in the Tamper lab, and <em>Refresh now</em> in the Token
          inspector.
        </li>
        <li>
          <strong>getMyTasks throws on every path.</strong> Its{" "}
          <code>if / else if / else</code> ends in <code>throw</code> on every
          branch, so the data is never returned. Here <code>client()</code>{" "}
          returns the data of every 2xx answer.
        </li>
        <li>
          <strong>Three token types that are not.</strong> The lesson&apos;s
          Basic example is an opaque token, its Bearer example is a Basic
          credential, and Bearer is a property of a token and the scheme that
          sends it, not a token format: the table above says what each one is.
        </li>
      </ul>

      <Basics x={x} />

      <RefreshRotation />

      <ClaimsAndRoles x={x} />

      <KeysAndAudiences x={x} />

      <section aria-labelledby="grade-heading">
        <h2 id="grade-heading">Now grade your own</h2>
        <p>
          Built the lesson into your own Flask and React app? Start it, then run{" "}
          <code>
            make grade API=http://localhost:3001/api APP=http://localhost:3000
            USERNAME=you PASSWORD=yours
          </code>{" "}
          in this repository. It checks every step above against your app, in a
          real browser, and says what is wrong, why it matters and how to fix it
          (the README&apos;s &quot;Grade your own implementation&quot;).
        </p>
      </section>
    </article>
  );
}
