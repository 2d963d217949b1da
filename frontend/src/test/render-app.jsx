import { render } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, useLocation } from "react-router";
import { App } from "../app/app.jsx";

// Test-only: shows the router's current location (a person sees it in the address bar).
export function LocationProbe() {
  const location = useLocation();
  return (
    <p data-testid="location">{`${location.pathname}${location.search}`}</p>
  );
}

/** Render the whole app at `path` (a string or a {pathname, state} entry). */
export function renderApp(path = "/") {
  const user = userEvent.setup();
  const result = render(
    <MemoryRouter initialEntries={[path]}>
      <App />
      <LocationProbe />
    </MemoryRouter>,
  );
  const location = () => result.getByTestId("location").textContent;
  return { user, location, ...result };
}
