// The lesson's five steps of logging in, each with the request or response it makes (this
// browser's own, or the example) and the file and function in this app that does it.
import { Link } from "react-router";
import { shortenToken } from "../../lib/jwt.js";
import { PAGES } from "../../lib/paths.js";
import { DoneBy, WireText } from "./teaching-parts.jsx";

// The password is never shown, not even your own: the log does not keep request bodies.
const HIDDEN_PASSWORD = "********";

function TypeCredentials() {
  return (
    <li>
      <h2>1. You type your username and password</h2>
      <p>
        The login form keeps both in React state until you press <q>Log in</q>.
        Nothing has left the browser yet.
      </p>
      <DoneBy
        places={[["frontend/src/app/pages/login-page.jsx", "LoginPage"]]}
      />
    </li>
  );
}

function SendCredentials({ username }) {
  return (
    <li>
      <h2>2. They are sent to the API</h2>
      <p>
        One <code>POST</code>, because a token is being created. The body is
        JSON; there is no <code>Authorization</code> header yet, since there is
        no token yet.
      </p>
      <WireText label="Step 2 request">
        {`POST /api/token
Content-Type: application/json

{"username": "${username}", "password": "${HIDDEN_PASSWORD}"}`}
      </WireText>
      <DoneBy
        places={[
          ["frontend/src/features/auth/auth-provider.jsx", "login"],
          ["frontend/src/api/client.js", "client"],
        ]}
      />
    </li>
  );
}

function CheckPassword({ username }) {
  return (
    <li>
      <h2>3. The API looks up the user and checks the password</h2>
      <p>
        The lesson looked for a row matching username AND password, so it stored
        passwords in plain text. This API finds the user by name and checks the
        password against an argon2id hash; an unknown user and a wrong password
        get the same answer, 401 <q>Bad username or password</q>.
      </p>
      <WireText label="Step 3 on the server">
        {`user = db.session.scalar(db.select(User).where(User.username == "${username}"))
user.verify_password("${HIDDEN_PASSWORD}")   # argon2id: True or False`}
      </WireText>
      <DoneBy
        places={[
          ["backend/app/routes/auth.py", "create_token"],
          ["backend/app/models.py", "User.verify_password"],
        ]}
      />
    </li>
  );
}

function SignToken({ token, userId, expiresIn }) {
  return (
    <li>
      <h2>4. The API signs a token and answers 200</h2>
      <p>
        The API starts a login session and flask-jwt-extended signs two tokens
        with the server&apos;s key, each with your user id, as a string, in the{" "}
        <code>sub</code> claim. The access token comes in the body; the browser
        keeps it in <code>localStorage[&quot;jwt-token&quot;]</code>, the
        lesson&apos;s key. The refresh token comes as an <code>HttpOnly</code>{" "}
        cookie that no script can read (the lesson had no refresh token).
      </p>
      <WireText label="Step 4 response">
        {`HTTP/1.1 200 OK
Content-Type: application/json
Cache-Control: no-store
Set-Cookie: refresh_token_cookie=eyJhbGci…; Expires=…; Max-Age=604800; HttpOnly; Path=/api/token/refresh; SameSite=Strict
Set-Cookie: csrf_refresh_token=…; Expires=…; Max-Age=604800; Path=/; SameSite=Strict

{"token": "${shortenToken(token)}", "user_id": ${userId}, "expires_in": ${expiresIn}}`}
      </WireText>
      <p className="muted">
        <code>Max-Age</code> is the refresh token&apos;s lifetime (
        <code>REFRESH_TOKEN_TTL</code>, 7 days by default); in production both
        cookies are also <code>Secure</code>, sent over https only.
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
  );
}

function SendToken({ token, userId, username, live }) {
  return (
    <li>
      <h2>5. Every later request carries the token</h2>
      <p>
        The API client adds the header to every call that needs you logged in
        (the refresh call sends the refresh cookie and an{" "}
        <code>X-CSRF-TOKEN</code> header instead); <code>@jwt_required()</code>{" "}
        checks the signature and the expiry, then one database query checks that
        the token was not revoked and loads the user named by <code>sub</code>.
        Here a missing or bad token gets 401. The lesson expected 403, which
        flask-jwt-extended never sends: its defaults are 401 for a missing,
        expired or revoked token and 422 for an invalid one.
      </p>
      <WireText label="Step 5 request and response">
        {`GET /api/protected
Authorization: Bearer ${shortenToken(token)}

HTTP/1.1 200 OK
{"id": ${userId}, "username": "${username}"}`}
      </WireText>
      <DoneBy
        places={[
          ["frontend/src/api/client.js", "client"],
          ["backend/app/routes/private.py", "protected"],
          ["backend/app/jwt_callbacks.py", "token_is_revoked"],
          ["backend/app/jwt_callbacks.py", "load_user"],
        ]}
      />
      {live && (
        <p>
          See every request and your token taken apart in the{" "}
          <Link to={PAGES.lab}>Lab</Link>.
        </p>
      )}
    </li>
  );
}

/** The five steps, in order, each shown with `exchange` (this browser's login or the example). */
export function LessonSteps({ exchange }) {
  const { username, userId, token, expiresIn, live } = exchange;
  return (
    <ol className="walkthrough">
      <TypeCredentials />
      <SendCredentials username={username} />
      <CheckPassword username={username} />
      <SignToken token={token} userId={userId} expiresIn={expiresIn} />
      <SendToken
        token={token}
        userId={userId}
        username={username}
        live={live}
      />
    </ol>
  );
}
