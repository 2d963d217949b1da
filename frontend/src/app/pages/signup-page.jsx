// Create an account (the lesson assumed users already existed in the User table).
import { Link, useNavigate } from "react-router";
import { client } from "../../api/client.js";
import { FormError, SubmitButton } from "../../components/form-parts.jsx";
import {
  PASSWORD_HINT,
  passwordProblem,
} from "../../components/password-rules.js";
import { PasswordField, UsernameField } from "../../components/text-field.jsx";
import { useForm } from "../../components/use-form.js";
import { API, PAGES } from "../../lib/paths.js";

// The same rules the API enforces. Checking here gives instant feedback; the server still
// checks, because anyone can send a request without this page.
const USERNAME_PATTERN = /^[A-Za-z0-9_.-]+$/;
const USERNAME_HINT = "3 to 32 characters: letters, digits, _ . -";

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
  const { formError, pending, submit, field } = useForm({
    initial: { username: "", password: "", confirm: "" },
    fields: ["username", "password", "confirm"],
    validate,
    // After a first attempt, re-check as you type so fixed fields lose their message.
    recheck: true,
  });

  function handleSubmit(event) {
    return submit(event, async ({ username, password }) => {
      const user = await client(API.signup, {
        body: { username, password },
        token: null,
      });
      navigate(PAGES.login, { state: { created: user.username } });
    });
  }

  return (
    <section className="form-page" aria-labelledby="signup-heading">
      <h1 id="signup-heading">Sign up</h1>
      <FormError message={formError} />
      <form onSubmit={handleSubmit} noValidate>
        <UsernameField hint={USERNAME_HINT} {...field("username")} />
        <PasswordField
          label="Password"
          isNew
          hint={PASSWORD_HINT}
          {...field("password")}
        />
        <PasswordField label="Confirm password" isNew {...field("confirm")} />
        <SubmitButton pending={pending} pendingLabel="Signing up...">
          Sign up
        </SubmitButton>
      </form>
      <p>
        Already have an account? <Link to={PAGES.login}>Log in</Link>
      </p>
    </section>
  );
}
