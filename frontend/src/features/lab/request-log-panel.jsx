// The Request log: what the API client reported, newest first. 401s and refresh calls carry a
// text badge (not only a colour), so they stand out on a projector and for screen readers too.
import { clearRequestLog, useRequestLog } from "../../api/request-log.js";
import { ScrollTable } from "../../components/scroll-table.jsx";

const COLUMNS = ["Time", "Request", "Status", "Authorization header"];

function Badges({ entry }) {
  return (
    <>
      {entry.isRefresh && <span className="badge badge-refresh">Refresh</span>}
      {entry.isRetry && (
        <span className="badge badge-refresh">Retry with new token</span>
      )}
      {entry.isUnauthorized && (
        <span className="badge badge-rejected">401 Rejected</span>
      )}
    </>
  );
}

/** Every API call of this page since it loaded, clearable. */
export function RequestLogPanel() {
  const entries = useRequestLog();

  return (
    <section className="panel" aria-labelledby="log-heading">
      <h2 id="log-heading">Request log</h2>
      <p>
        Every call this app made to the API since the page loaded, newest first
        (your login included). Look for the <code>Authorization</code> header:
        the login sends none, every later call sends the token, except a
        refresh, which sends the refresh cookie instead. The check the app
        repeats every few seconds (is the session still alive?) is left out.
      </p>
      <p>
        <button
          type="button"
          className="button-secondary"
          onClick={clearRequestLog}
        >
          Clear log
        </button>
      </p>
      {entries.length === 0 ? (
        <p className="muted">No requests yet.</p>
      ) : (
        <ScrollTable label="Request log entries" columns={COLUMNS}>
          {entries.map((entry) => (
            <tr
              key={entry.id}
              className={entry.isUnauthorized ? "log-rejected" : undefined}
            >
              <td>{entry.at.toLocaleTimeString()}</td>
              <td>
                <code>
                  {entry.method} {entry.path}
                </code>{" "}
                <Badges entry={entry} />
              </td>
              <td>
                {entry.status === 0 ? "no answer" : entry.status}{" "}
                <span className="muted">({entry.ms} ms)</span>
              </td>
              <td>
                {entry.sentAuth ? (
                  <>
                    Sent: <code>Bearer {entry.token}</code>
                  </>
                ) : (
                  "Not sent"
                )}
              </td>
            </tr>
          ))}
        </ScrollTable>
      )}
    </section>
  );
}
