// "Refresh rotation": what it catches and what it does not. A stolen refresh
// cookie is the attack; reuse detection and the session's absolute lifetime are the answers.
import { Link } from "react-router";
import { PAGES } from "../../lib/paths.js";

/** The section: rotation, the theft it catches, the one it does not, and the bound on both. */
export function RefreshRotation() {
  return (
    <section aria-labelledby="rotation-heading">
      <h2 id="rotation-heading">
        Refresh rotation: what it catches and what it does not
      </h2>
      <p>
        Every refresh spends the refresh cookie: the server answers with a new
        access token <em>and</em> a new refresh cookie, and remembers the old
        one as used. Press <em>Refresh now</em> in the{" "}
        <Link to={PAGES.lab}>Lab</Link>: the token&apos;s <code>jti</code>{" "}
        changes, and your browser quietly stores a new cookie. This is refresh
        token rotation (RFC 9700 §4.14.2).
      </p>
      <ul>
        <li>
          <strong>What it catches:</strong> the same refresh cookie used twice.
          A thief who copied your cookie and refreshes <em>after</em> you
          presents a spent one; so do you, if the thief refreshed first and you
          refresh next. The server cannot tell which of you is the thief, so it
          ends the whole session: both are sent back to the login page.
        </li>
        <li>
          <strong>What it does not catch:</strong> a thief who refreshes first
          while you never refresh again (you closed the tab and went home).
          Nobody presents a spent cookie, so reuse detection never fires, and
          each refresh buys the thief another <code>REFRESH_TOKEN_TTL</code> (7
          days by default).
        </li>
      </ul>
      <p>
        So a session here also has an <strong>absolute lifetime</strong>,{" "}
        <code>SESSION_MAX_AGE</code> (30 days from the login by default):
        refreshes never extend it, and the first refresh after it answers 401{" "}
        <q>Your session is over: please log in again</q>, which is what the
        login page then shows. A stolen refresh cookie works at most that long,
        and only a typed password starts a new session. OWASP&apos;s Session
        Management cheat sheet asks for such an absolute timeout next to the
        idle one (here: a refresh cookie unused for 7 days expires). Logging
        out, or changing your password, makes every copy a thief holds useless
        at once.
      </p>
    </section>
  );
}
