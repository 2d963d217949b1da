// Change the password (POST /api/password). The lesson never changed a password; here it is
// also the way to end every OTHER session: a thief who logged in with the old password, or a
// laptop left logged in somewhere, loses access, while this tab carries on with a new token.
import { useState } from "react";
import { useAuth } from "../auth/auth-provider.jsx";
import {
  fieldMessage,
  PASSWORD_HINT,
  passwordProblem,
} from "./password-rules.js";
import { TextField } from "./text-field.jsx";

const FIELDS = ["current_password", "new_password", "confirm_password"];
const EMPTY = { current_password: "", new_password: "", confirm_password: "" };

export const PASSWORD_CHANGED_MSG =
  "Password changed. Other sessions were logged out.";

// The same rule as signup (the API checks it again: anyone can call it without this form).
function validate(values) {
  const errors = {};
  if (!values.current_password)
    errors.current_password = "Enter your current password.";
  const next = values.new_password;
  const problem = passwordProblem(next, "Choose a new password.");
  if (problem) errors.new_password = problem;
  if (values.confirm_password !== next)
    errors.confirm_password = "Passwords do not match.";
  return errors;
}

/** The form on /private: current password, new password twice. */
export function ChangePasswordForm() {
  const { changePassword } = useAuth();
  const [values, setValues] = useState(EMPTY);
  const [errors, setErrors] = useState({});
  const [formError, setFormError] = useState(null);
  const [done, setDone] = useState(false);
  const [pending, setPending] = useState(false);

  function change(event) {
    setValues({ ...values, [event.target.name]: event.target.value });
    setDone(false);
  }

  async function handleSubmit(event) {
    event.preventDefault();
    const form = event.currentTarget;
    setFormError(null);
    setDone(false);
    const found = validate(values);
    setErrors(found);
    const firstInvalid = FIELDS.find((name) => found[name]);
    if (firstInvalid) {
      form.elements[firstInvalid].focus();
      return;
    }

    setPending(true);
    try {
      await changePassword(values.current_password, values.new_password);
      setValues(EMPTY);
      setDone(true);
    } catch (err) {
      // 400 names the field: a wrong current password, or a new one the server refuses.
      const serverErrors = {};
      for (const name of ["current_password", "new_password"]) {
        if (err.errors?.[name])
          serverErrors[name] = fieldMessage(err.errors[name]);
      }
      setErrors(serverErrors);
      if (Object.keys(serverErrors).length === 0) setFormError(err.msg);
      else form.elements[FIELDS.find((name) => serverErrors[name])].focus();
    } finally {
      setPending(false);
    }
  }

  return (
    <section className="change-password" aria-labelledby="password-heading">
      <h2 id="password-heading">Change password</h2>
      <p className="muted">
        The server logs out every other session of yours (other browsers, other
        devices) and gives this one a new token.
      </p>
      {done && (
        <p role="status" className="message message-success">
          {PASSWORD_CHANGED_MSG}
        </p>
      )}
      {formError && (
        <p role="alert" className="message message-error">
          {formError}
        </p>
      )}
      <form onSubmit={handleSubmit} noValidate>
        <TextField
          label="Current password"
          name="current_password"
          type="password"
          autoComplete="current-password"
          error={errors.current_password}
          value={values.current_password}
          onChange={change}
        />
        <TextField
          label="New password"
          name="new_password"
          type="password"
          autoComplete="new-password"
          hint={PASSWORD_HINT}
          error={errors.new_password}
          value={values.new_password}
          onChange={change}
        />
        <TextField
          label="Confirm new password"
          name="confirm_password"
          type="password"
          autoComplete="new-password"
          error={errors.confirm_password}
          value={values.confirm_password}
          onChange={change}
        />
        <button type="submit" disabled={pending}>
          {pending ? "Changing password..." : "Change password"}
        </button>
      </form>
    </section>
  );
}
