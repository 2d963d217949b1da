// Create an account (the lesson assumed users already existed in the User table).
import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { client } from "../api/client.js";
import {
  fieldMessage,
  PASSWORD_HINT,
  passwordProblem,
} from "../components/password-rules.js";
import { TextField } from "../components/text-field.jsx";

// The same rules the API enforces. Checking here gives instant feedback; the server still
// checks, because anyone can send a request without this page.
const USERNAME_PATTERN = /^[A-Za-z0-9_.-]+$/;

function validate({ username, password, confirm }) {
  const errors = {};
  if (!username) errors.username = "Choose a username.";
  else if (username.length < 3 || username.length > 32)
    errors.username = "Username must be 3 to 32 characters long.";
  else if (!USERNAME_PATTERN.test(username))
    errors.username = "Username may only contain letters, digits, _ . and -.";

  const problem = passwordProblem(password, "Choose a password.");
  if (problem) errors.password = problem;

  if (confirm !== password) errors.confirm = "Passwords do not match.";
  return errors;
}

/** The signup form; on success it hands over to /login with a confirmation. */
export function SignupPage() {
  const navigate = useNavigate();
  const [values, setValues] = useState({
    username: "",
    password: "",
    confirm: "",
  });
  const [errors, setErrors] = useState({});
  const [formError, setFormError] = useState(null);
  const [pending, setPending] = useState(false);
  const [attempted, setAttempted] = useState(false);

  function change(event) {
    const next = { ...values, [event.target.name]: event.target.value };
    setValues(next);
    // After a first attempt, re-check as you type so fixed fields lose their message.
    if (attempted) setErrors(validate(next));
  }

  async function handleSubmit(event) {
    event.preventDefault();
    setAttempted(true);
    setFormError(null);
    const found = validate(values);
    setErrors(found);
    const firstInvalid = ["username", "password", "confirm"].find(
      (name) => found[name],
    );
    if (firstInvalid) {
      // Move focus to the first field to fix, so keyboard and screen-reader users land on it.
      event.currentTarget.elements[firstInvalid].focus();
      return;
    }

    setPending(true);
    try {
      const user = await client("/api/signup", {
        body: { username: values.username, password: values.password },
      });
      navigate("/login", { state: { created: user.username } });
    } catch (err) {
      const serverErrors = {};
      for (const name of ["username", "password"]) {
        if (err.errors?.[name])
          serverErrors[name] = fieldMessage(err.errors[name]);
      }
      setErrors(serverErrors);
      // 409 "Username already taken", a network failure, or a 400 with no field we show.
      if (Object.keys(serverErrors).length === 0) setFormError(err.msg);
      setPending(false);
    }
  }

  return (
    <section className="form-page" aria-labelledby="signup-heading">
      <h1 id="signup-heading">Sign up</h1>
      {formError && (
        <p role="alert" className="message message-error">
          {formError}
        </p>
      )}
      <form onSubmit={handleSubmit} noValidate>
        <TextField
          label="Username"
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          hint="3 to 32 characters: letters, digits, _ . -"
          error={errors.username}
          value={values.username}
          onChange={change}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          hint={PASSWORD_HINT}
          error={errors.password}
          value={values.password}
          onChange={change}
        />
        <TextField
          label="Confirm password"
          name="confirm"
          type="password"
          autoComplete="new-password"
          error={errors.confirm}
          value={values.confirm}
          onChange={change}
        />
        <button type="submit" disabled={pending}>
          {pending ? "Signing up..." : "Sign up"}
        </button>
      </form>
      <p>
        Already have an account? <Link to="/login">Log in</Link>
      </p>
    </section>
  );
}
