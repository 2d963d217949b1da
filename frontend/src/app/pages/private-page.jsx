// The page behind the login (the lesson's "private endpoint", seen from the browser).
import { UserFacts } from "../../components/user-facts.jsx";
import { useAuth } from "../../features/auth/auth-provider.jsx";
import { ChangePasswordForm } from "../../features/auth/change-password-form.jsx";

/** Who the API says you are, and the change-password form. Inside <RequireAuth>: `user` is set. */
export function PrivatePage() {
  const { user } = useAuth();

  return (
    <article className="prose">
      <h1>Welcome, {user.username}</h1>
      <p>
        Your browser sent your token in the <code>Authorization</code> header,
        the API verified its signature, and <code>GET /api/protected</code>{" "}
        answered with who you are:
      </p>
      <UserFacts user={user} />
      <p className="muted">
        The user id is the token&apos;s <code>sub</code> claim: the API read it
        from the token and loaded your user from the database. Log out with the
        button at the top.
      </p>
      <ChangePasswordForm />
    </article>
  );
}
