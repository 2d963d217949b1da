import "@testing-library/jest-dom/vitest";
import { cleanup, configure } from "@testing-library/react";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { clearRequestLog } from "../api/request-log.js";
import { server } from "./server.js";

// findBy and waitFor give up after 5 s instead of 1 s: a lazily loaded page's first render
// (its modules transformed on first use) can take seconds on a busy 2-core machine. A test that
// passes is not slowed: they return as soon as the page shows what they wait for.
configure({ asyncUtilTimeout: 5000 });

// A request no test expected is a bug in the test or the app: fail loudly.
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  // globals are off, so Testing Library cannot register its own cleanup: do it here.
  cleanup();
  server.resetHandlers();
  window.localStorage.clear();
});
// The app records every call from the start; each test starts with an empty log.
beforeEach(() => clearRequestLog());
afterAll(() => server.close());
