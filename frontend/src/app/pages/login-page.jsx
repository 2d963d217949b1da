// Lesson steps 1 and 2: the user types a username and password, and they go to the API.
import { useEffect, useState } from "react";
import { Link, Navigate, useLocation } from "react-router";
import { client } from "../../api/client.js";
import { FormError, SubmitButton } from "../../components/form-parts.jsx";
import { PasswordField, UsernameField } from "../../components/text-field.jsx";
import { useForm } from "../../components/use-form.js";
import { useAuth } from "../../features/auth/auth-provider.jsx";
import { API, PAGES } from "../../lib/paths.js";

// Where to go after logging in: the page RequireAuth sent us away from, else /private.
function returnPath(from) {
  if (!from?.pathname || from.pathname === PAGES.login) return PAGES.private;
  return `${from.pathname}${from.search ?? ""}${from.hash ?? ""}`;
}

/** The login form, plus the demo accounts when the server runs in demo mode. */
export function LoginPage() {
  const { status, notice, login } = useAuth();
  const location = useLocation();
  const created = location.state?.created;

  // No `fields` or `validate`: this form checks only that both are filled in, and any
  // failure, field errors included, is shown as one message above the form.
  const { values, setValues, formError, setFormError, pending, submit, field } =
    useForm({
      initial: { username: created ?? "", password: "" },
      failMessage: "Login failed.",
    });
  const demoAccounts = useDemoAccounts();

  // Logged in (just now, or already): go on. This single redirect serves both cases.
  if (status === "authenticated") {
    return <Navigate to={returnPath(location.state?.from)} replace />;
  }

  function handleSubmit(event) {
    const username = values.username.trim();
    if (!username || !values.password) {
      event.preventDefault();
      setFormError("Enter your username and password.");
      return;
    }
    // On failure formError is the server's words, e.g. "Bad username or password", or the
    // network message.
    return submit(event, ({ password }) => login(username, password));
  }

  function fillIn(account) {
    setValues({ username: account.username, password: account.password });
    setFormError(null);
  }

  // One alert at a time: this attempt's error wins over why the last session ended.
  const alert = formError ?? notice;

  return (
    <section className="form-page" aria-labelledby="login-heading">
      <h1 id="login-heading">Log in</h1>
      {created && !alert && (
        <p role="status" className="message message-success">
          Account created for {created}. You can log in now.
        </p>
      )}
      <FormError message={alert} />
      <form onSubmit={handleSubmit} noValidate>
        <UsernameField {...field("username")} />
        <PasswordField label="Password" {...field("password")} />
        <SubmitButton pending={pending} pendingLabel="Logging in...">
          Log in
        </SubmitButton>
      </form>
      <p>
        No account yet? <Link to={PAGES.signup}>Sign up</Link>
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
    client(API.demo, { token: null, signal: controller.signal }).then(
      (data) => setAccounts(data?.enabled ? (data.accounts ?? []) : []),
      () => {}, // No demo list is fine: the form works without it.
    );
    return () => controller.abort();
  }, []);
  return accounts;
}
