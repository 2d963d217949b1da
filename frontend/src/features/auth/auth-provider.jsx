// Who is logged in, for the whole app. The lesson's "set your user into the store" step, done
// with React Context: pages call useAuth() instead of reading localStorage themselves.
//
//   status "loading"        a token is stored and we are asking the API whether it still works
//          "anonymous"      nobody is logged in
//          "authenticated"  `user` is {id, username}, as GET /api/protected returned it
//   role                    the access token's `role` claim ("student", "teacher"), or null
//   notice                  why the last session ended (shown on /login), or null
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
} from "react";
import { useNavigate } from "react-router";
import {
  client,
  keepTokenFresh,
  setUnauthorizedHandler,
} from "../../api/client.js";
import {
  clearToken,
  getToken,
  setToken,
  subscribe,
} from "../../api/token-store.js";
import { decodeToken } from "../../lib/jwt.js";
import { API, PAGES } from "../../lib/paths.js";
import { usePolling } from "../../lib/use-polling.js";
import { sessionEndedNotice } from "./session-notice.js";

const AuthContext = createContext(null);

const ANONYMOUS = { status: "anonymous", user: null, role: null, notice: null };

const LOGGED_OUT_ELSEWHERE_MSG = "You were logged out in another tab.";

// A server that does not answer must not keep the "Log out" button spinning forever.
const LOGOUT_TIMEOUT_MS = 5000;

// How often a logged-in tab asks the server whether its session is still alive, so a session
// ended elsewhere (by the teacher on /classroom) shows here within seconds, without a click.
export const SESSION_CHECK_MS = 3000;

/**
 * The `role` claim of an access token, read without checking the signature (only the server
 * can check it, and it does, on every teacher-only request). Null when there is none.
 */
function roleOf(token) {
  const role = decodeToken(token).payload?.role;
  return typeof role === "string" ? role : null;
}

/**
 * "Load me": GET /api/protected answers who the stored token belongs to (lesson step 5). The role
 * is read from the token after the call, since a refresh on the way may have replaced it. Used on
 * first load, after a login, when another tab changes the token, and by the session check.
 */
async function loadSession(options) {
  const user = await client(API.protected, options);
  const token = getToken();
  return { status: "authenticated", user, role: roleOf(token), notice: null };
}

// When a class logs in at once, the server hashes a few passwords at a time and answers the
// rest 503 with Retry-After: wait that long, plus up to a second so the retries spread out,
// and ask again. The button keeps showing progress meanwhile.
const LOGIN_TRIES = 8;

async function sendLogin(username, password) {
  for (let tries = 1; ; tries += 1) {
    try {
      return await client(API.token, {
        body: { username, password },
        token: null,
      });
    } catch (error) {
      const busy = error.status === 503 && error.retryAfter !== null;
      if (!busy || tries === LOGIN_TRIES) throw error;
      const ms = error.retryAfter * 1000 + Math.random() * 1000;
      await new Promise((resolve) => setTimeout(resolve, ms));
    }
  }
}

/** Holds the session (status, user, notice) and the login, logout and password actions. */
export function AuthProvider({ children }) {
  const navigate = useNavigate();
  // A stored token means "maybe logged in": start in "loading" until the API confirms it.
  const [state, setState] = useState(() =>
    getToken() ? { ...ANONYMOUS, status: "loading" } : ANONYMOUS,
  );

  // The API rejected a token we sent (tampered, revoked, user deleted, expired beyond refresh):
  // forget the token and say why. Guarded pages then redirect to /login, where the notice is
  // shown. No stored token means the session has already ended (logout): a late answer for a
  // request sent before that has nothing left to end.
  const endSession = useCallback((error) => {
    if (!getToken()) return;
    clearToken();
    setState({ ...ANONYMOUS, notice: sessionEndedNotice(error) });
  }, []);

  useEffect(() => setUnauthorizedHandler(endSession), [endSession]);

  // Another tab logged out, logged in (maybe as someone else) or refreshed the token: all tabs
  // share localStorage, so this one follows. Otherwise it would go on showing a user who has
  // logged out, until its next request failed.
  useEffect(
    () =>
      subscribe((token) => {
        if (!token) {
          setState({ ...ANONYMOUS, notice: LOGGED_OUT_ELSEWHERE_MSG });
          return;
        }
        loadSession().then(
          (session) => {
            // A newer change may have happened while we asked: only the latest token counts.
            if (getToken() === token) setState(session);
          },
          () => {}, // a 401 ended the session through endSession(); a network error changes nothing
        );
      }),
    [],
  );

  // On first load, a stored token restores the session, so a reload keeps you logged in.
  useEffect(() => {
    if (!getToken()) return;
    const controller = new AbortController();
    loadSession({ signal: controller.signal }).then(setState, (error) => {
      if (error.name === "AbortError") return;
      // A 401 already ended the session through endSession(). Anything else (server down)
      // keeps the token, so a reload once the API is back logs you straight in again.
      if (error.status !== 401) {
        setState({ ...ANONYMOUS, notice: error.msg });
      }
    });
    return () => controller.abort();
  }, []);

  /** Lesson steps 1-4: send username and password, keep the token, then load the user. */
  const login = useCallback(async (username, password) => {
    const data = await sendLogin(username, password);
    setToken(data.token);
    // The token response only has user_id; the username comes from the protected route,
    // which also proves the new token works (lesson step 5).
    const session = await loadSession();
    setState(session);
    return session.user;
  }, []);

  // While logged in, ask GET /api/protected every few seconds (not while the tab is hidden). A
  // 401 ends the session through endSession() like any other call, saying why (its kind); a
  // refreshed token's role is picked up on the way.
  const loggedIn = state.status === "authenticated";
  usePolling(
    async (signal) => {
      try {
        const next = await loadSession({ signal, background: true });
        setState((current) => {
          if (current.status !== "authenticated") return current; // logged out meanwhile
          const same =
            current.user.id === next.user.id &&
            current.user.username === next.user.username &&
            current.role === next.role;
          // Nothing changed: keep the same object, so nothing re-renders every few seconds.
          return same ? current : next;
        });
      } catch {
        // A 401 already ended the session; an unreachable server changes nothing.
      }
    },
    SESSION_CHECK_MS,
    { enabled: loggedIn },
  );

  // While logged in, the access token is replaced shortly before it expires.
  useEffect(() => (loggedIn ? keepTokenFresh() : undefined), [loggedIn]);

  /**
   * Tell the server first (it revokes this access token and the session's refresh tokens), then
   * forget the token here whatever the answer: a user who clicks "Log out" is logged out, even
   * when the server is down. The lesson had no logout at all: its token, and any copy of it,
   * kept working until it expired.
   */
  const logout = useCallback(async () => {
    if (getToken()) {
      try {
        await client(API.logout, {
          method: "POST",
          signal: AbortSignal.timeout(LOGOUT_TIMEOUT_MS),
        });
        // An expired token is refreshed and the logout retried, so the session is revoked.
      } catch {
        // Unreachable, slow or refusing: the local logout below still happens (and replaces
        // any "session ended" notice a 401 set on the way: the user asked to leave).
      }
    }
    clearToken();
    setState(ANONYMOUS);
    navigate(PAGES.login);
  }, [navigate]);

  /**
   * POST /api/password. The server revokes the user's other sessions and the token we sent,
   * and answers with a new token for this session, which replaces the old one at once.
   */
  const changePassword = useCallback(async (currentPassword, newPassword) => {
    const data = await client(API.password, {
      body: { current_password: currentPassword, new_password: newPassword },
    });
    setToken(data.token);
    return data;
  }, []);

  const value = useMemo(
    () => ({ ...state, login, logout, changePassword }),
    [state, login, logout, changePassword],
  );
  return <AuthContext value={value}>{children}</AuthContext>;
}

/** The current session and its actions. Only works inside <AuthProvider>. */
export function useAuth() {
  const auth = useContext(AuthContext);
  if (!auth) {
    throw new Error("useAuth must be used inside <AuthProvider>");
  }
  return auth;
}
