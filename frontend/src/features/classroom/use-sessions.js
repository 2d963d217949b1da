// The classroom's data: the sessions on this server, asked again every few seconds while the page
// is open (lib/use-polling.js, the same polling as the logged-in tab's session check), and the
// class's start time kept in the page's address.
import { useState } from "react";
import { useSearchParams } from "react-router";
import { client } from "../../api/client.js";
import { API } from "../../lib/paths.js";
import { usePolling } from "../../lib/use-polling.js";

// How often the table is asked again: a student who logs in or out shows within 2 seconds.
export const POLL_MS = 1500;

/** `path` limited to the sessions started since `since` (an ISO date and time), if any. */
export function withSince(path, since) {
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
export function useSessions(since) {
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
export function useSince() {
  const [params, setParams] = useSearchParams();
  const raw = params.get("since");
  const since = raw && !Number.isNaN(Date.parse(raw)) ? raw : null;
  function setSince(date) {
    setParams(date ? { since: date.toISOString() } : {}, { replace: true });
  }
  return [since, setSince];
}
