// A labelled input with an optional hint and error, wired up for screen readers:
// the <label> names the field, aria-describedby reads the hint and the error after it,
// and aria-invalid marks a field whose value was rejected.
import { useId } from "react";

/** One form field: label, input, hint and error message. Extra props go to the <input>. */
export function TextField({ label, hint, error, ...inputProps }) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint && hintId, error && errorId]
    .filter(Boolean)
    .join(" ");

  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
        {...inputProps}
      />
      {hint && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * The username field of the login and signup forms: typed as it is (no capital first letter, no
 * spell-check), and marked `autoComplete="username"` for the browser's password manager.
 */
export function UsernameField(props) {
  return (
    <TextField
      label="Username"
      autoComplete="username"
      autoCapitalize="none"
      spellCheck={false}
      {...props}
    />
  );
}

/**
 * A password field. `isNew` for a password being chosen (signup, change): autocomplete
 * "new-password", so the password manager does not fill in the saved one; else
 * "current-password".
 */
export function PasswordField({ isNew = false, ...props }) {
  return (
    <TextField
      type="password"
      autoComplete={isNew ? "new-password" : "current-password"}
      {...props}
    />
  );
}
