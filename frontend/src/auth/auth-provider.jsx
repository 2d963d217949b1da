// Who is logged in, for the whole app. The lesson's "set your user into the store" step, done
// with React Context: pages call useAuth() instead of reading localStorage themselves.
//
//   status "loading"        a token is stored and we are asking the API whether it still works
//          "anonymous"      nobody is logged in
//          "authenticated"  `user` is {id, username}, as GET /api/protected returned it
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
import { client, setUnauthorizedHandler } from "../api/client.js";
import { clearToken, getToken, setToken } from "./token-store.js";

const AuthContext = createContext(null);

const ANONYMOUS = { status: "anonymous", user: null, notice: null };

function endedNotice(reason) {
  // The server's msgs read like "Token has expired"; drop a trailing period so ours reads well.
  const why = reason.replace(/\.$/, "");
  return `Your session has ended: ${why}. Please log in again.`;
}

/** Holds the session (status, user, notice) and the login/logout actions. */
export function AuthProvider({ children }) {
  const navigate = useNavigate();
  // A stored token means "maybe logged in": start in "loading" until the API confirms it.
  const [state, setState] = useState(() =>
    getToken() ? { status: "loading", user: null, notice: null } : ANONYMOUS,
  );

  // The API rejected a token we sent (expired, tampered, user deleted...): forget the token
  // and say why. Guarded pages then redirect to /login, where the notice is shown.
  const endSession = useCallback((error) => {
    clearToken();
    setState({
      status: "anonymous",
      user: null,
      notice: endedNotice(error.msg),
    });
  }, []);

  useEffect(() => setUnauthorizedHandler(endSession), [endSession]);

  // On first load, a stored token restores the session, so a reload keeps you logged in.
  useEffect(() => {
    const token = getToken();
    if (!token) return;
    const controller = new AbortController();
    client("/api/protected", { token, signal: controller.signal }).then(
      (user) => setState({ status: "authenticated", user, notice: null }),
      (error) => {
        if (error.name === "AbortError") return;
        // A 401 already ended the session through endSession(). Anything else (server down)
        // keeps the token, so a reload once the API is back logs you straight in again.
        if (error.status !== 401) {
          setState({ status: "anonymous", user: null, notice: error.msg });
        }
      },
    );
    return () => controller.abort();
  }, []);

  /** Lesson steps 1-4: send username and password, keep the token, then load the user. */
  const login = useCallback(async (username, password) => {
    const data = await client("/api/token", { body: { username, password } });
    setToken(data.token);
    // The token response only has user_id; the username comes from the protected route,
    // which also proves the new token works (lesson step 5).
    const user = await client("/api/protected", { token: data.token });
    setState({ status: "authenticated", user, notice: null });
    return user;
  }, []);

  const logout = useCallback(() => {
    // Server-side logout (POST /api/logout, revoking the token) comes in a later issue: call it
    // here, before the token is forgotten.
    clearToken();
    setState(ANONYMOUS);
    navigate("/login");
  }, [navigate]);

  const value = useMemo(
    () => ({ ...state, login, logout }),
    [state, login, logout],
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
