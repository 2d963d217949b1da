// The "Class sessions" region of /classroom: the class's start time, End all, and the table,
// with what the last action did. Ending a session revokes all its tokens on the server.
import { API } from "../../lib/paths.js";
import { ActionOutcome } from "./action-outcome.jsx";
import { ClassStart } from "./class-start.jsx";
import { EndAll, studentSessions } from "./end-all.jsx";
import { SessionsTable } from "./sessions-table.jsx";
import { useAction } from "./use-action.js";
import { withSince } from "./use-sessions.js";

/**
 * `view` and `reload` come from useSessions(since); `since` and `onSinceChange` from useSince().
 */
export function ClassSessions({ since, onSinceChange, view, reload }) {
  const { pending, outcome, run } = useAction(reload);
  const data = view.data ?? {};
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
    <section className="panel" aria-labelledby="sessions-heading">
      <h2 id="sessions-heading">Class sessions</h2>
      <ClassStart since={since} onChange={onSinceChange} />
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
              count={data.active_students ?? 0}
              since={since}
              pending={pending}
              onEnd={endStudents}
            />
          </div>
          <ActionOutcome outcome={outcome} />
          <SessionsTable
            sessions={data.sessions ?? []}
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
  );
}
