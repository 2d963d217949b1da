// Every route in one table. A later page that should not weigh on the first load is added as
//   const LabPage = lazy(() => import("./pages/lab-page.jsx"));
// and used like the others: the <Suspense> in <Layout> covers it while its code loads.
import { Route, Routes } from "react-router";
import { AuthProvider } from "./auth/auth-provider.jsx";
import { RequireAuth } from "./auth/require-auth.jsx";
import { Layout } from "./components/layout.jsx";
import { HomePage } from "./pages/home-page.jsx";
import { LoginPage } from "./pages/login-page.jsx";
import { NotFoundPage } from "./pages/not-found-page.jsx";
import { PrivatePage } from "./pages/private-page.jsx";
import { SignupPage } from "./pages/signup-page.jsx";

/** The whole app. Needs a router around it (BrowserRouter in main.jsx, MemoryRouter in tests). */
export function App() {
  return (
    <AuthProvider>
      <Routes>
        <Route element={<Layout />}>
          <Route index element={<HomePage />} />
          <Route path="login" element={<LoginPage />} />
          <Route path="signup" element={<SignupPage />} />
          <Route
            path="private"
            element={
              <RequireAuth>
                <PrivatePage />
              </RequireAuth>
            }
          />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </AuthProvider>
  );
}
