// "Who may do what": claims-based authorization. The token's `role` claim,
// 401 against 403, and what happens when a role changes while a token still says the old one.
import { Link } from "react-router";
import { PAGES } from "../../lib/paths.js";
import {
  forbiddenRoutes,
  libraryAnswer,
  ROLE_CHANGE,
} from "../../lib/server-facts.js";
import { DoneBy } from "./teaching-parts.jsx";

/** The section; the role shown is the one in `exchange`'s token when it is this browser's own. */
export function RoleClaim({ exchange }) {
  const role = exchange.live ? exchange.payload?.role : undefined;
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
        table on <code>/classroom</code>) decides by the role in the verified
        token: that is claims-based authorization. It is a choice: the same
        request&apos;s one database query (the revocation check) reads your user
        row, role included, but the route uses the claim. That choice is where a
        stale role can come from (below).
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
          Logging in again changes nothing. This app answers 403 in these places
          only: {forbiddenRoutes()}. The lesson&apos;s front end waits for a 403
          where its API (a stock flask-jwt-extended) answers{" "}
          {libraryAnswer("missing")} or, for an invalid token,{" "}
          {libraryAnswer("edited")} and the like.
        </dd>
      </dl>
      <h3>When a role changes, the token still says the old one</h3>
      <p>
        A token is a signed snapshot taken when it was made. Change a role in
        the database alone and the token the user holds still says the old one
        until it is replaced (a refresh, at most <code>ACCESS_TOKEN_TTL</code>{" "}
        away: 15 minutes by default). For a demoted teacher that is the
        dangerous way round, so this app does not wait: {ROLE_CHANGE} The server
        reads the session on every request anyway, so this costs nothing. (
        <code>flask create-user USERNAME --role teacher</code> makes a new
        account: it has no tokens to end.)
      </p>
      <DoneBy
        places={[
          ["backend/app/jwt_callbacks.py", "role_claim"],
          ["backend/app/routes/classroom.py", "teacher_required"],
          ["backend/app/cli.py", "set_role"],
          ["frontend/src/app/pages/classroom-page.jsx", "ClassroomPage"],
        ]}
      />
    </section>
  );
}
