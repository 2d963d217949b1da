// Lesson steps 1 and 2: the user types a username and password, and they go to the API.
import { useEffect, useState } from "react";
import { Link, Navigate, useLocation } from "react-router";
import { client } from "../api/client.js";
import { useAuth } from "../auth/auth-provider.jsx";
import { TextField } from "../components/text-field.jsx";

// Where to go after logging in: the page RequireAuth sent us away from, else /private.
function returnPath(from) {
  if (!from?.pathname || from.pathname === "/login") return "/private";
  return `${from.pathname}${from.search ?? ""}${from.hash ?? ""}`;
}

/** The login form, plus the demo accounts when the server runs in demo mode. */
export function LoginPage() {
  const { status, notice, login } = useAuth();
  const location = useLocation();
  const created = location.state?.created;

  const [username, setUsername] = useState(created ?? "");
  const [password, setPassword] = useState("");
  const [error, setError] = useState(null);
  const [pending, setPending] = useState(false);
  const demoAccounts = useDemoAccounts();

  // Logged in (just now, or already): go on. This single redirect serves both cases.
  if (status === "authenticated") {
    return <Navigate to={returnPath(location.state?.from)} replace />;
  }

  async function handleSubmit(event) {
    event.preventDefault();
    if (!username.trim() || !password) {
      setError("Enter your username and password.");
      return;
    }
    setError(null);
    setPending(true);
    try {
      await login(username.trim(), password);
    } catch (err) {
      // The server's words, e.g. "Bad username or password", or the network message.
      setError(err.msg ?? "Login failed.");
    } finally {
      setPending(false);
    }
  }

  function fillIn(account) {
    setUsername(account.username);
    setPassword(account.password);
    setError(null);
  }

  // One alert at a time: this attempt's error wins over why the last session ended.
  const alert = error ?? notice;

  return (
    <section className="form-page" aria-labelledby="login-heading">
      <h1 id="login-heading">Log in</h1>
      {created && !alert && (
        <p role="status" className="message message-success">
          Account created for {created}. You can log in now.
        </p>
      )}
      {alert && (
        <p role="alert" className="message message-error">
          {alert}
        </p>
      )}
      <form onSubmit={handleSubmit} noValidate>
        <TextField
          label="Username"
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          value={username}
          onChange={(e) => setUsername(e.target.value)}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <button type="submit" disabled={pending}>
          {pending ? "Logging in..." : "Log in"}
        </button>
      </form>
      <p>
        No account yet? <Link to="/signup">Sign up</Link>
      </p>
      {demoAccounts.length > 0 && (
        <section className="demo" aria-labelledby="demo-heading">
          <h2 id="demo-heading">Demo accounts</h2>
          <p className="muted">
            This server runs in demo mode. Pick an account to fill in the form.
          </p>
          <ul className="demo-list">
            {demoAccounts.map((account) => (
              <li key={account.username}>
                <span>
                  <code>{account.username}</code> /{" "}
                  <code>{account.password}</code>
                </span>
                <button
                  type="button"
                  className="button-secondary"
                  aria-label={`Fill in ${account.username}`}
                  onClick={() => fillIn(account)}
                >
                  Fill in
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </section>
  );
}

// Demo mode is the server's decision (DEMO_MODE), so ask it rather than hard-coding accounts.
function useDemoAccounts() {
  const [accounts, setAccounts] = useState([]);
  useEffect(() => {
    const controller = new AbortController();
    client("/api/demo", { signal: controller.signal }).then(
      (data) => setAccounts(data?.enabled ? (data.accounts ?? []) : []),
      () => {}, // No demo list is fine: the form works without it.
    );
    return () => controller.abort();
  }, []);
  return accounts;
}
