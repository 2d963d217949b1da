// What the app teaches: the lesson's five steps, each pointing at the part of this app that
// does it, so you can try a step and then read its code.
import { Link } from "react-router";
import { useAuth } from "../../features/auth/auth-provider.jsx";
import { PAGES } from "../../lib/paths.js";

/** The landing page. */
export function HomePage() {
  const { status, user } = useAuth();

  return (
    <article className="prose">
      <h1>See how a JWT protects an API</h1>
      <p>
        This app is the lesson{" "}
        <cite>
          Understanding JWT and how to implement a simple JWT with Flask
        </cite>
        , running. Log in and watch its five steps happen:
      </p>
      <ol className="steps">
        <li>
          You type your username and password into the{" "}
          <strong>login form</strong>.
        </li>
        <li>
          They are sent to the API: <code>POST /api/token</code>.
        </li>
        <li>
          The API looks up your user and checks the password (against a salted
          hash: the lesson stored passwords in plain text).
        </li>
        <li>
          It answers <code>200</code> with a signed token, a JWT, which this
          page keeps in <code>localStorage[&quot;jwt-token&quot;]</code>.
        </li>
        <li>
          Every later request that needs you logged in carries it as{" "}
          <code>Authorization: Bearer &lt;token&gt;</code> (getting a new token
          uses a cookie instead): the <strong>private page</strong> shows what{" "}
          <code>GET /api/protected</code> answered.
        </li>
      </ol>
      {status === "authenticated" ? (
        <p>
          You are logged in as <strong>{user.username}</strong>. Open the
          private page from the menu.
        </p>
      ) : (
        <p className="actions">
          <Link className="button" to={PAGES.login}>
            Log in
          </Link>
          <Link className="button button-secondary" to={PAGES.signup}>
            Sign up
          </Link>
        </p>
      )}
    </article>
  );
}
