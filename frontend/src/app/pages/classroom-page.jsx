// /classroom: the teacher's live view of the sessions on this server, and where a student meets
// the API's 403. The server decides who may see it (GET /api/classroom/sessions checks the
// token's signed `role` claim); this page shows whatever it answered: the table for a teacher,
// an explanation of 403 for everyone else. Its parts live in features/classroom/.
import { ClassSessions } from "../../features/classroom/class-sessions.jsx";
import { Forbidden } from "../../features/classroom/forbidden.jsx";
import { RotateSigningKey } from "../../features/classroom/rotate-signing-key.jsx";
import {
  POLL_MS,
  useSessions,
  useSince,
} from "../../features/classroom/use-sessions.js";

/** /classroom: the live sessions table for a teacher; the 403 explained for anyone else. */
export function ClassroomPage() {
  const [since, setSince] = useSince();
  const { view, reload } = useSessions(since);

  if (view.status === "forbidden") return <Forbidden msg={view.msg} />;

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
      <ClassSessions
        since={since}
        onSinceChange={setSince}
        view={view}
        reload={reload}
      />
      <RotateSigningKey />
    </article>
  );
}
