// The front-end half of @jwt_required(): a guarded page renders only for a logged-in user.
// It is a convenience, not security: the API still checks the token on every request.
import { Navigate, useLocation } from "react-router";
import { PAGES } from "../../lib/paths.js";
import { useAuth } from "./auth-provider.jsx";

/** Render children when logged in; otherwise send the visitor to /login and back afterwards. */
export function RequireAuth({ children }) {
  const { status } = useAuth();
  const location = useLocation();

  if (status === "loading") {
    return <p role="status">Checking your session...</p>;
  }
  if (status === "anonymous") {
    // `from` lets the login page bring you back to the page you asked for.
    return <Navigate to={PAGES.login} state={{ from: location }} replace />;
  }
  return children;
}
