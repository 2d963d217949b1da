// The frame around every page: a header with the app name, navigation and who is logged in,
// then the page itself in <main>.
import { Suspense, useState } from "react";
import { Link, NavLink, Outlet, useLocation } from "react-router";
import { LargeTextToggle } from "../components/large-text-toggle.jsx";
import { useAuth } from "../features/auth/auth-provider.jsx";
import { PAGES } from "../lib/paths.js";

// These pages already offer their own way to log in, so the header leaves its "Log in" link out
// there: one link per name on a page keeps it clear for people and for tests that find by name.
const PAGES_WITH_LOGIN = [PAGES.home, PAGES.login, PAGES.signup];

/** Header + <main>; the current route renders in the <Outlet>. */
export function Layout() {
  const { status, user, role, logout } = useAuth();
  const { pathname } = useLocation();
  // Logging out waits for the server (at most a few seconds): show it, and no double clicks.
  const [leaving, setLeaving] = useState(false);

  async function handleLogout() {
    setLeaving(true);
    try {
      await logout();
    } finally {
      setLeaving(false);
    }
  }

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <header className="site-header">
        <Link to={PAGES.home} className="brand">
          JWT Classroom
        </Link>
        <nav aria-label="Main">
          <NavLink to={PAGES.home} end>
            Home
          </NavLink>
          {status === "authenticated" && (
            <>
              <NavLink to={PAGES.private}>Private</NavLink>
              <NavLink to={PAGES.lab}>Lab</NavLink>
              {/* A convenience: the server checks the role again on every request. */}
              {role === "teacher" && (
                <NavLink to={PAGES.classroom}>Classroom</NavLink>
              )}
            </>
          )}
          <NavLink to={PAGES.howItWorks}>How it works</NavLink>
        </nav>
        <div className="session">
          <LargeTextToggle />
          {status === "authenticated" ? (
            <>
              <span className="session-user">
                Logged in as <strong>{user.username}</strong>
              </span>
              <button
                type="button"
                className="button-secondary"
                onClick={handleLogout}
                disabled={leaving}
              >
                {leaving ? "Logging out..." : "Log out"}
              </button>
            </>
          ) : (
            status === "anonymous" &&
            !PAGES_WITH_LOGIN.includes(pathname) && (
              <Link to={PAGES.login}>Log in</Link>
            )
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {/* Later pages load on demand (React.lazy); this shows while their code arrives. */}
        <Suspense fallback={<p role="status">Loading...</p>}>
          <Outlet />
        </Suspense>
      </main>
    </>
  );
}
