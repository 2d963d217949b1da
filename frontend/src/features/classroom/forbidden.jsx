// What a logged-in non-teacher sees on /classroom: the server's 403, and what 403 means next to
// 401.
import {
  forbiddenRoutes,
  libraryStatuses,
  ROLE_CHANGE,
} from "../../lib/server-facts.js";

/** The 403 explained; `msg` is the server's. */
export function Forbidden({ msg }) {
  return (
    <article className="prose" aria-labelledby="forbidden-heading">
      <h1 id="forbidden-heading">Classroom: teachers only</h1>
      <p role="alert" className="message message-error">
        403 Forbidden: {msg}
      </p>
      <p>
        <strong>You are logged in, but not allowed.</strong> The server checked
        your token and it is genuine: it knows who you are. Had it not, it would
        have answered <strong>401 Unauthorized</strong>, which means &quot;I
        don&apos;t know who you are: log in&quot;.{" "}
        <strong>403 Forbidden</strong> means &quot;I know who you are, and you
        may not do this&quot;: your token&apos;s <code>role</code> claim is not{" "}
        <code>&quot;teacher&quot;</code>, and the claim is covered by the
        signature, so it cannot be edited (try it in the Lab&apos;s Tamper lab).
        Logging in again will not change the answer.
      </p>
      <p>
        The lesson&apos;s front end checks for a 403 when the token is missing
        or invalid, but its API, a stock flask-jwt-extended, never sends one
        there: it answers {libraryStatuses()}. This app answers 401 to every
        rejected token, and 403 only where a known user may not do something:{" "}
        {forbiddenRoutes()}.
      </p>
      <p className="muted">Just made a teacher? {ROLE_CHANGE}</p>
    </article>
  );
}
