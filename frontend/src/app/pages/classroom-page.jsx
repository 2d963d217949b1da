// /classroom: the teacher's live view of the sessions on this server, and where a student meets
// the API's 403. The server decides who may see it (GET /api/classroom/sessions checks
// the token's signed `role` claim); this page shows whatever it answered: the table for a
// teacher, an explanation of 403 for everyone else.
import { useId, useState } from "react";
import { useSearchParams } from "react-router";
import { client } from "../../api/client.js";
import { TextField } from "../../components/text-field.jsx";
import { RotateSigningKey } from "../../features/classroom/rotate-signing-key.jsx";
import { API } from "../../lib/paths.js";
import {
  forbiddenRoutes,
  libraryStatuses,
  ROLE_CHANGE,
} from "../../lib/server-facts.js";
import {
  formatCountdown,
  hoursAndMinutes,
  lastTimeAt,
} from "../../lib/time.js";
import { useNow } from "../../lib/use-now.js";
import { usePolling } from "../../lib/use-polling.js";

// How often the table is asked again: a student who logs in or out shows within 2 seconds.
export const POLL_MS = 1500;

// Green while it works; plain when it ended the ordinary way; red when the server cut it off
// (revoked, reuse detected, ended by teacher).
const STATE_BADGE = { active: "badge-ok", "logged out": "", expired: "" };

function clockTime(iso) {
  return iso ? new Date(iso).toLocaleTimeString() : null;
}

function expiresIn(session, nowMs) {
  if (session.state !== "active" || !session.access_expires_at) return "—";
  const left = (Date.parse(session.access_expires_at) - nowMs) / 1000;
  return left > 0 ? formatCountdown(left) : "expired";
}

/** `path` limited to the sessions started since `since` (an ISO date and time), if any. */
function withSince(path, since) {
  return since ? `${path}?since=${encodeURIComponent(since)}` : path;
}

/**
 * The sessions started since `since` (every one without it), asked every POLL_MS while the page
 * is open and the tab is shown. Returns the view and `reload()` to ask at once.
 *   view.status "loading" | "ready" | "forbidden" (msg: the 403's)
 *   view.data   the server's answer: sessions (every active one first, then the newest ended
 *               ones) and the counts active, active_students, ended, ended_shown
 *   view.error  why the last poll failed (the table shown is then the last one that came)
 */
function useSessions(since) {
  const [view, setView] = useState({ status: "loading" });
  const reload = usePolling(
    async (signal) => {
      try {
        const data = await client(withSince(API.classroomSessions, since), {
          signal,
          background: true,
        });
        if (signal.aborted) return; // a newer poll is on its way
        setView({ status: "ready", data, error: null });
      } catch (error) {
        if (signal.aborted) return;
        if (error.status === 403) {
          // Logged in, but not a teacher: asking again will not change that.
          setView({ status: "forbidden", msg: error.msg });
          return;
        }
        // A 401 has already ended the session (RequireAuth takes over); anything else
        // (server down, 5xx) keeps the last table and says why it may be stale.
        setView((current) => ({ ...current, error: error.msg }));
      }
    },
    POLL_MS,
    {
      enabled: view.status !== "forbidden",
      immediate: true,
      // Another start time: ask at once, and never show an answer for the old one.
      restartOn: since,
    },
  );
  return { view, reload };
}

/**
 * "This class started at ...": the moment kept in the page's address (`?since=`, so a reload
 * keeps it), as an ISO date and time, or null for every session. Returns [since, setSince].
 */
function useSince() {
  const [params, setParams] = useSearchParams();
  const raw = params.get("since");
  const since = raw && !Number.isNaN(Date.parse(raw)) ? raw : null;
  function setSince(date) {
    setParams(date ? { since: date.toISOString() } : {}, { replace: true });
  }
  return [since, setSince];
}

/** The time field that limits the page (list and End all) to one class. */
function ClassStart({ since, onChange }) {
  return (
    <div className="class-start">
      <TextField
        label="This class started at"
        name="since"
        type="time"
        value={since ? hoursAndMinutes(new Date(since)) : ""}
        onChange={(event) =>
          onChange(event.target.value ? lastTimeAt(event.target.value) : null)
        }
        hint="Only sessions started since then are listed and ended, so two classes can share this server. Empty: every session."
      />
      {since && (
        <button
          type="button"
          className="button-secondary"
          onClick={() => onChange(null)}
        >
          Show every session
        </button>
      )}
    </div>
  );
}

/** A teacher's action (end one session, end all): pending while sent, then what happened. */
function useAction(reload) {
  const [pending, setPending] = useState(null);
  const [outcome, setOutcome] = useState(null); // {ok, text}

  async function run(key, path, describe) {
    setPending(key);
    setOutcome(null);
    try {
      const data = await client(path, { method: "POST" });
      setOutcome({ ok: true, text: describe(data) });
    } catch (error) {
      setOutcome({ ok: false, text: error.msg });
    } finally {
      setPending(null);
      reload();
    }
  }
  return { pending, outcome, run };
}

function SessionRow({ session, nowMs, pending, onEnd }) {
  const canEnd =
    session.role === "student" && session.state === "active" && !session.yours;
  return (
    <tr className={session.yours ? "session-yours" : undefined}>
      <th scope="row">{session.username}</th>
      <td>{session.role}</td>
      <td>{clockTime(session.started_at) ?? "—"}</td>
      <td>{clockTime(session.refreshed_at) ?? "never"}</td>
      <td className="nowrap">{expiresIn(session, nowMs)}</td>
      <td>
        <span
          className={`badge ${STATE_BADGE[session.state] ?? "badge-rejected"}`}
        >
          {session.state}
        </span>
      </td>
      <td>
        {session.yours ? (
          <span className="muted">Your session (use Log out)</span>
        ) : (
          canEnd && (
            <button
              type="button"
              className="button-secondary"
              disabled={pending !== null}
              onClick={() => onEnd(session)}
            >
              {pending === session.id ? "Ending..." : "End session"}
            </button>
          )
        )}
      </td>
    </tr>
  );
}

function SessionsTable({ sessions, pending, onEnd }) {
  const nowMs = useNow(1000);
  if (sessions.length === 0) {
    return <p className="muted">No sessions to show.</p>;
  }
  return (
    <div className="table-scroll" tabIndex={0} aria-label="Sessions table">
      <table className="log">
        <thead>
          <tr>
            <th scope="col">User</th>
            <th scope="col">Role</th>
            <th scope="col">Started</th>
            <th scope="col">Last refreshed</th>
            <th scope="col">Access token expires in</th>
            <th scope="col">State</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((session) => (
            <SessionRow
              key={session.id}
              session={session}
              nowMs={nowMs}
              pending={pending}
              onEnd={onEnd}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** What a logged-in non-teacher sees: the server's 403, and what 403 means next to 401. */
function Forbidden({ msg }) {
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

/** "3 student sessions" */
function studentSessions(n) {
  return n === 1 ? "1 student session" : `${n} student sessions`;
}

/**
 * "End all student sessions": one click ends them. Beside it, and read out with it
 * (aria-describedby), how many it will end: `count`, the server's `active_students` for the same
 * `since`, which is exactly what the button ends. Nothing to end: the button is disabled.
 */
function EndAll({ count, since, pending, onEnd }) {
  const descriptionId = useId();
  const which = since
    ? `started since ${hoursAndMinutes(new Date(since))}`
    : "on this server";
  return (
    <>
      <button
        type="button"
        aria-describedby={descriptionId}
        disabled={pending !== null || count === 0}
        onClick={onEnd}
      >
        End all student sessions
      </button>
      <span id={descriptionId}>
        {count === 0
          ? `No student session ${which} to end.`
          : `Ends ${studentSessions(count)} ${which}.`}
      </span>
    </>
  );
}

/** /classroom: the live sessions table for a teacher; the 403 explained for anyone else. */
export function ClassroomPage() {
  const [since, setSince] = useSince();
  const { view, reload } = useSessions(since);
  const { pending, outcome, run } = useAction(reload);

  if (view.status === "forbidden") return <Forbidden msg={view.msg} />;

  const data = view.data ?? {};
  const sessions = data.sessions ?? [];
  const activeStudents = data.active_students ?? 0;
  const endedHidden = (data.ended ?? 0) - (data.ended_shown ?? 0);

  function endOne(session) {
    run(
      session.id,
      API.endSession(session.id),
      () => `Ended the session of ${session.username}.`,
    );
  }

  function endStudents() {
    run(
      "all",
      withSince(API.endStudentSessions, since),
      (result) => `Ended ${studentSessions(result.ended)}.`,
    );
  }

  return (
    <article className="classroom">
      <h1>Classroom</h1>
      <p className="lead">
        Every active session on this server, newest first, then the sessions of
        the last 24 hours that have ended. The table asks the server again every{" "}
        {POLL_MS / 1000} seconds while this tab is shown, so a student who logs
        in, refreshes or logs out shows up here by itself. When you end a
        session, the server revokes all its tokens: the student&apos;s open tab
        notices within a few seconds and goes back to the login page.
      </p>
      <section className="panel" aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">Class sessions</h2>
        <ClassStart since={since} onChange={setSince} />
        {view.error && (
          <p role="alert" className="message message-error">
            The table could not be updated: {view.error}
          </p>
        )}
        {view.status === "loading" ? (
          !view.error && <p role="status">Loading the sessions...</p>
        ) : (
          <>
            <div className="classroom-actions">
              <EndAll
                count={activeStudents}
                since={since}
                pending={pending}
                onEnd={endStudents}
              />
            </div>
            <div aria-live="polite">
              {outcome?.ok && (
                <p role="status" className="message message-success">
                  {outcome.text}
                </p>
              )}
            </div>
            {outcome && !outcome.ok && (
              <p role="alert" className="message message-error">
                {outcome.text}
              </p>
            )}
            <SessionsTable
              sessions={sessions}
              pending={pending}
              onEnd={endOne}
            />
            {endedHidden > 0 && (
              <p className="muted">
                And {endedHidden} older ended{" "}
                {endedHidden === 1 ? "session" : "sessions"}, not listed: every
                active session is.
              </p>
            )}
          </>
        )}
      </section>
      <RotateSigningKey />
    </article>
  );
}
