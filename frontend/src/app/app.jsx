// Every route in one table (the paths themselves are in lib/paths.js). Pages the first load
// (/login) does not need are lazy: their code arrives when the route is first opened, while the
// <Suspense> in <Layout> shows "Loading...".
import { lazy } from "react";
import { Route, Routes } from "react-router";
import { AuthProvider } from "../features/auth/auth-provider.jsx";
import { RequireAuth } from "../features/auth/require-auth.jsx";
import { PAGES } from "../lib/paths.js";
import { Layout } from "./layout.jsx";
import { HomePage } from "./pages/home-page.jsx";
import { LoginPage } from "./pages/login-page.jsx";
import { NotFoundPage } from "./pages/not-found-page.jsx";
import { PrivatePage } from "./pages/private-page.jsx";
import { SignupPage } from "./pages/signup-page.jsx";

// React.lazy wants a default export; the pages keep their named exports, like the others.
const LabPage = lazy(() =>
  import("./pages/lab-page.jsx").then((m) => ({ default: m.LabPage })),
);
const ClassroomPage = lazy(() =>
  import("./pages/classroom-page.jsx").then((m) => ({
    default: m.ClassroomPage,
  })),
);
const HowItWorksPage = lazy(() =>
  import("./pages/how-it-works-page.jsx").then((m) => ({
    default: m.HowItWorksPage,
  })),
);

/** The whole app. Needs a router around it (BrowserRouter in main.jsx, MemoryRouter in tests). */
export function App() {
  return (
    <AuthProvider>
      <Routes>
        <Route element={<Layout />}>
          <Route index element={<HomePage />} />
          <Route path={PAGES.login} element={<LoginPage />} />
          <Route path={PAGES.signup} element={<SignupPage />} />
          <Route
            path={PAGES.private}
            element={
              <RequireAuth>
                <PrivatePage />
              </RequireAuth>
            }
          />
          <Route
            path={PAGES.lab}
            element={
              <RequireAuth>
                <LabPage />
              </RequireAuth>
            }
          />
          <Route
            path={PAGES.classroom}
            element={
              <RequireAuth>
                <ClassroomPage />
              </RequireAuth>
            }
          />
          <Route path={PAGES.howItWorks} element={<HowItWorksPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </AuthProvider>
  );
}
