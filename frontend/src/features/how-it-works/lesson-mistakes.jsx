// The mistakes in the lesson's own code, each with what this app does instead.
import { Link } from "react-router";
import { PAGES } from "../../lib/paths.js";

/** The list of mistakes, under its heading. */
export function LessonMistakes() {
  return (
    <>
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
          tutorial lets anyone sign tokens. Here the server&apos;s secret,{" "}
          <code>JWT_SECRET_KEY</code>, is 48 random bytes that development
          generates unless you set one; one you set must have at least 32 bytes
          (RFC 7518 §3.2) and not be a known placeholder, and production also
          refuses one that looks guessable. In HS256 mode the signing key comes
          from it; the other signing modes (<code>JWT_SIGNING</code>) share no
          secret at all: a private key signs and public keys verify (
          <q>Keys, algorithms and audiences</q>, below).
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
    </>
  );
}
