// Change the password (POST /api/password). The lesson never changed a password; here it is
// also the way to end every OTHER session: a thief who logged in with the old password, or a
// laptop left logged in somewhere, loses access, while this tab carries on with a new token.
import { FormError, SubmitButton } from "../../components/form-parts.jsx";
import {
  PASSWORD_HINT,
  passwordProblem,
} from "../../components/password-rules.js";
import { PasswordField } from "../../components/text-field.jsx";
import { useForm } from "../../components/use-form.js";
import { useAuth } from "./auth-provider.jsx";

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
  const { setValues, formError, pending, done, submit, field } = useForm({
    initial: EMPTY,
    fields: FIELDS,
    validate,
    // A 400 names the field (a wrong current password, or a new one the server refuses):
    // take the user there, as for a field this form found wrong itself.
    focusServerErrors: true,
  });

  function handleSubmit(event) {
    return submit(event, async (values) => {
      await changePassword(values.current_password, values.new_password);
      setValues(EMPTY);
    });
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
      <FormError message={formError} />
      <form onSubmit={handleSubmit} noValidate>
        <PasswordField
          label="Current password"
          {...field("current_password")}
        />
        <PasswordField
          label="New password"
          isNew
          hint={PASSWORD_HINT}
          {...field("new_password")}
        />
        <PasswordField
          label="Confirm new password"
          isNew
          {...field("confirm_password")}
        />
        <SubmitButton pending={pending} pendingLabel="Changing password...">
          Change password
        </SubmitButton>
      </form>
    </section>
  );
}
