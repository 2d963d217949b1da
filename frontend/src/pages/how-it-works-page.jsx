// The lesson's five steps, each tied to what this browser just did (when you are logged in)
// and to the file and function that does it, then the lesson's token comparison and the
// mistakes in the lesson's own code that this app fixes. Loaded on demand (React.lazy).
import { Link } from "react-router";
import { useAuth } from "../auth/auth-provider.jsx";
import { getToken } from "../auth/token-store.js";
import { useRequestLog } from "../lab/request-log.js";
import { shortenToken } from "../lab/shorten-token.js";
import { decodeToken } from "../lab/token-parts.js";

// Shown when this browser has no session: what the same exchange looks like for the demo user.
const EXAMPLE = {
  username: "demo",
  userId: 1,
  token:
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIiwidHlwZSI6ImFjY2VzcyJ9.c2lnbmF0dXJlLXg5UWs",
  expiresIn: 900,
};

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
      entry.path === "/api/token" &&
      entry.status === 200,
  );
  return {
    live: true,
    loginAt: login?.at,
    username: user.username,
    userId: user.id,
    token,
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
        the exact request or response and the code in this app that does it.
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
          Example values: <Link to="/login">log in</Link> and this page shows
          your own requests instead.
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
            places={[["frontend/src/pages/login-page.jsx", "LoginPage"]]}
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
              ["frontend/src/auth/auth-provider.jsx", "login"],
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
Set-Cookie: refresh_token_cookie=eyJhbGci…; HttpOnly; Path=/api/token/refresh; SameSite=Strict
Set-Cookie: csrf_refresh_token=…; Path=/; SameSite=Strict

{"token": "${short}", "user_id": ${x.userId}, "expires_in": ${x.expiresIn}}`}
          </Code>
          <DoneBy
            places={[
              ["backend/app/routes/auth.py", "create_token"],
              ["backend/app/lifecycle.py", "start_session"],
              ["backend/app/auth.py", "user_identity"],
              ["frontend/src/auth/token-store.js", "setToken"],
            ]}
          />
        </li>

        <li>
          <h2>5. Every later request carries the token</h2>
          <p>
            The API client adds the header; <code>@jwt_required()</code> checks
            the signature and the expiry, then one database query checks that
            the token was not revoked and loads the user named by{" "}
            <code>sub</code>. A missing or bad token gets 401 (the lesson
            expected 403).
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
              ["backend/app/auth.py", "token_is_revoked"],
              ["backend/app/auth.py", "load_user"],
            ]}
          />
          {x.live && (
            <p>
              See every request and your token taken apart in the{" "}
              <Link to="/lab">Lab</Link>.
            </p>
          )}
        </li>
      </ol>

      <h2>Basic, Bearer and JWT tokens</h2>
      <div
        className="table-scroll"
        tabIndex={0}
        aria-label="Token types compared"
      >
        <table className="compare">
          <caption>
            The lesson&apos;s comparison, with what each one means
          </caption>
          <thead>
            <tr>
              <th scope="col">Type</th>
              <th scope="col">How it looks (the lesson&apos;s examples)</th>
              <th scope="col">What the server does with it</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">Basic</th>
              <td>
                <code>ecff2099b95ed507a27a4717ec78965d529cc346</code>
              </td>
              <td>
                HTTP Basic sends <code>username:password</code>, only
                base64-encoded, with every request: anyone who sees one request
                has the password.
              </td>
            </tr>
            <tr>
              <th scope="row">Bearer</th>
              <td>
                <code>
                  YWxlc2FuY2hlenI6NzE0YmZhNDNlN2MzMTJiZTk5OWQwYWZlYTg5MTQ4ZTc=
                </code>
              </td>
              <td>
                Whoever bears it gets in. An opaque random string: the server
                must store every one and look it up on each request.
              </td>
            </tr>
            <tr>
              <th scope="row">JWT</th>
              <td>
                <code>
                  eyJhbGciOiJIUzI1NiIsInR5c.eyJzdWIiOiFt2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpM
                </code>
              </td>
              <td>
                A bearer token that carries its own claims, signed: the server
                checks the signature instead of looking the token up. It is
                encoded, not encrypted: anyone can read the payload.
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
          <code>create_access_token(identity=user.id)</code> makes a token that
          flask-jwt-extended 4.7 refuses with 422{" "}
          <q>Subject must be a string</q>. Here <code>sub</code> is{" "}
          <code>str(user.id)</code> (<code>user_identity</code> in{" "}
          <code>backend/app/auth.py</code>).
        </li>
        <li>
          <strong>Unreachable error branches.</strong> The lesson&apos;s{" "}
          <code>login()</code> throws on <code>!resp.ok</code> before it checks
          for 401 and 400, so those messages never show. Here the client reads
          the status first and shows the server&apos;s own <code>msg</code>.
        </li>
        <li>
          <strong>A 403 that never comes.</strong> The lesson checked for 403 on
          a missing or invalid token; the answer is 401, and this app handles
          every 401 in one place.
        </li>
        <li>
          <strong>The &quot;super-secret&quot; key.</strong> A key printed in a
          tutorial lets anyone sign tokens. Here the key is random, at least 32
          bytes, and production refuses to start with a weak one.
        </li>
        <li>
          <strong>No way to take a token back.</strong> The lesson has no logout
          and no refresh: its token lives for flask-jwt-extended&apos;s default
          15 minutes, a stolen copy works until then, and the user is thrown out
          when it ends. Here logging out puts the token on a blocklist the
          server reads on every request, and an expired token is refreshed by
          itself. The <Link to="/lab">Lab</Link> shows both: a revoked token in
          the Tamper lab, and <em>Refresh now</em> in the Token inspector.
        </li>
        <li>
          <strong>getMyTasks throws on every path.</strong> Its{" "}
          <code>if / else if / else</code> ends in <code>throw</code> on every
          branch, so the data is never returned. Here <code>client()</code>{" "}
          returns the data of every 2xx answer.
        </li>
      </ul>
    </article>
  );
}
