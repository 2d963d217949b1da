// The table of sessions: one row per login, with a live countdown to its access token's expiry
// and an "End session" button on each live student session.
import { ScrollTable } from "../../components/scroll-table.jsx";
import { formatCountdown } from "../../lib/time.js";
import { useNow } from "../../lib/use-now.js";

// Green while it works; plain when it ended the ordinary way; red when the server cut it off
// (revoked, reuse detected, ended by teacher).
const STATE_BADGE = { active: "badge-ok", "logged out": "", expired: "" };

const COLUMNS = [
  "User",
  "Role",
  "Started",
  "Last refreshed",
  "Access token expires in",
  "State",
  "Action",
];

function clockTime(iso) {
  return iso ? new Date(iso).toLocaleTimeString() : null;
}

function expiresIn(session, nowMs) {
  if (session.state !== "active" || !session.access_expires_at) return "—";
  const left = (Date.parse(session.access_expires_at) - nowMs) / 1000;
  return left > 0 ? formatCountdown(left) : "expired";
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

/** The rows of `sessions`; `pending` the action on its way (buttons wait), `onEnd(session)`. */
export function SessionsTable({ sessions, pending, onEnd }) {
  const nowMs = useNow(1000);
  if (sessions.length === 0) {
    return <p className="muted">No sessions to show.</p>;
  }
  return (
    <ScrollTable label="Sessions table" columns={COLUMNS}>
      {sessions.map((session) => (
        <SessionRow
          key={session.id}
          session={session}
          nowMs={nowMs}
          pending={pending}
          onEnd={onEnd}
        />
      ))}
    </ScrollTable>
  );
}
