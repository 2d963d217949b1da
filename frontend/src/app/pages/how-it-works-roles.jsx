// "Who may do what": claims-based authorization for /how-it-works. The token's `role` claim,
// 401 against 403, and what happens when a role changes while a token still says the old one.
import { Link } from "react-router";
import { PAGES } from "../../lib/paths.js";

/** The section; `x` is the page's exchange (live: this browser's token payload). */
export function ClaimsAndRoles({ x }) {
  const role = x.live ? x.payload?.role : undefined;
  return (
    <section aria-labelledby="roles-heading">
      <h2 id="roles-heading">Who may do what: the role claim</h2>
      <p>
        Logging in answers <em>who are you?</em> The next question is{" "}
        <em>what may you do?</em> This app writes the answer into the token
        itself: every access token carries a <code>role</code> claim,{" "}
        <code>&quot;student&quot;</code> or <code>&quot;teacher&quot;</code>,
        put there when the server signs it (at login, at each refresh and after
        a password change, by flask-jwt-extended&apos;s{" "}
        <code>additional_claims_loader</code>).{" "}
        {typeof role === "string" ? (
          <>
            Yours says <code>&quot;role&quot;: &quot;{role}&quot;</code>.
          </>
        ) : (
          <>Log in and this sentence shows the role in your own token.</>
        )}{" "}
        A teacher-only route (<code>GET /api/classroom/sessions</code>, the
        table on <code>/classroom</code>) reads the role from the verified token
        instead of asking the database: that is claims-based authorization.
      </p>
      <p>
        The claim is inside the signed payload, so nobody can promote
        themselves: change <code>&quot;student&quot;</code> to{" "}
        <code>&quot;teacher&quot;</code> and the signature no longer matches.
        The server answers 401 before it reads the role (experiment 9 in the{" "}
        <Link to={PAGES.lab}>Lab</Link>&apos;s Tamper lab).
      </p>
      <dl className="facts">
        <dt>401 Unauthorized</dt>
        <dd className="prose-dd">
          &quot;I don&apos;t know who you are.&quot; No token, a broken or
          edited one, an expired or revoked one: log in (again).
        </dd>
        <dt>403 Forbidden</dt>
        <dd className="prose-dd">
          &quot;I know who you are, and you may not.&quot; A genuine student
          token at the teacher&apos;s <code>/api/classroom/sessions</code>.
          Logging in again changes nothing. This is the one place this app
          answers 403; the lesson&apos;s front end waits for a 403 where its API
          answers 401.
        </dd>
      </dl>
      <h3>When a role changes, the token still says the old one</h3>
      <p>
        A token is a signed snapshot taken when it was made. Make a student a
        teacher and the token they hold still says{" "}
        <code>&quot;student&quot;</code> until it is refreshed (the app does
        that when it expires, after <code>ACCESS_TOKEN_TTL</code>, 15 minutes by
        default) or they log in again. The other way round is the dangerous one:
        a demoted teacher&apos;s token would go on saying{" "}
        <code>&quot;teacher&quot;</code> for just as long. So{" "}
        <code>flask set-role USERNAME ROLE</code> (and{" "}
        <code>flask create-user USERNAME --role teacher</code>) also ends every
        session of that user: the server reads the session on every request
        anyway, so each of their tokens is refused at once, and the next login
        brings a token with the new role.
      </p>
      <p className="done-by">
        <strong>Done by: </strong>
        <code>backend/app/jwt_callbacks.py</code> <code>role_claim</code>;{" "}
        <code>backend/app/routes/classroom.py</code>{" "}
        <code>teacher_required</code>; <code>backend/app/cli.py</code>{" "}
        <code>set_role</code>;{" "}
        <code>frontend/src/app/pages/classroom-page.jsx</code>{" "}
        <code>ClassroomPage</code>
      </p>
    </section>
  );
}
